#![no_main]
//! Sigstore bundles, trusted roots and Snappy blocks, as an attestation API
//! or a release could serve them: any bytes, never a panic or a hang.

use jingyu_sigstore::{snappy, verify, Digests, Policy, TrustedRoot, GITHUB_ACTIONS};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let roots = [TrustedRoot::public_good(), TrustedRoot::github()];
    let digests = Digests {
        sha256: [7; 32],
        sha512: Some(vec![7; 64]),
    };
    let policy = Policy {
        issuer: GITHUB_ACTIONS.to_owned(),
        repository: "https://github.com/o/r".to_owned(),
        signers: vec!["*".to_owned()],
    };
    let _ = verify(data, &roots, &digests, &policy);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = TrustedRoot::from_json(text);
    }
    let _ = snappy::decompress(data, 1 << 20);
});

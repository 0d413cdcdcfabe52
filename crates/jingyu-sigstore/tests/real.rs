//! Bundles the real Sigstore made (tests/data/SOURCE.md) verify against
//! the compiled-in public-good root, with the identities they carry, and
//! fail for other bytes or another signer.

use jingyu_sigstore::{verify, Digests, Error, Policy, TrustedRoot, GITHUB_ACTIONS};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn sha256(hex: &str) -> Digests {
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    Digests {
        sha256: out,
        sha512: None,
    }
}

fn policy(issuer: &str, repository: &str, signers: &[&str]) -> Policy {
    Policy {
        issuer: issuer.to_owned(),
        repository: repository.to_owned(),
        signers: signers.iter().map(|s| (*s).to_owned()).collect(),
    }
}

const WHEEL: &str = "c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201";
const CONDA: &str = "54303491a8418fbed24344b513546182c29b43bf282ceb433af65e2299f9271f";

#[test]
fn a_release_workflows_signature_and_attestation_verify() {
    let root = [TrustedRoot::public_good()];
    let wheel = policy(
        GITHUB_ACTIONS,
        "https://github.com/trailofbits/rfc8785.py",
        &[],
    );
    let v = verify(
        &data("rfc8785-0.1.2.whl.sigstore"),
        &root,
        &sha256(WHEEL),
        &wheel,
    )
    .unwrap();
    assert_eq!(
        v.identity.san,
        "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
    );
    assert_eq!(v.log.as_deref(), Some("https://rekor.sigstore.dev"));
    let conda = policy(
        GITHUB_ACTIONS,
        "https://github.com/prefix-dev/sigstore-example",
        &[],
    );
    let v = verify(
        &data("conda-attestation.sigstore.json"),
        &root,
        &sha256(CONDA),
        &conda,
    )
    .unwrap();
    assert_eq!(v.identity.san, "https://github.com/prefix-dev/sigstore-example/.github/workflows/action.yaml@refs/heads/main");
    assert_eq!(
        v.predicate_type.as_deref(),
        Some("https://schemas.conda.org/attestations-publish-1.schema.json")
    );
    // Another repository, other bytes: refused.
    let other = policy(GITHUB_ACTIONS, "https://github.com/trailofbits/other", &[]);
    assert!(matches!(
        verify(
            &data("rfc8785-0.1.2.whl.sigstore"),
            &root,
            &sha256(WHEEL),
            &other
        ),
        Err(Error::Identity(_))
    ));
    assert!(matches!(
        verify(
            &data("conda-attestation.sigstore.json"),
            &root,
            &sha256(WHEEL),
            &conda
        ),
        Err(Error::Signature(_))
    ));
}

#[test]
fn a_cosign_blob_signature_by_an_email_identity_verifies() {
    let root = [TrustedRoot::public_good()];
    let blob = data("cosign-v3-blob.txt");
    let digest = ring::digest::digest(&ring::digest::SHA256, &blob);
    let digests = Digests {
        sha256: digest.as_ref().try_into().unwrap(),
        sha512: None,
    };
    let by = policy(
        "https://github.com/login/oauth",
        "",
        &["w.vollprecht@gmail.com"],
    );
    let v = verify(&data("cosign-v3-blob.sigstore.json"), &root, &digests, &by).unwrap();
    assert_eq!(v.identity.san, "w.vollprecht@gmail.com");
    let err = verify(
        &data("cosign-v3-blob.sigstore.json"),
        &root,
        &digests,
        &policy(GITHUB_ACTIONS, "", &["*@*"]),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("from https://github.com/login/oauth"),
        "{err}"
    );
}

const RELEASE: &str = "76f1fe8593bf227cca2c089e3c16dc95014a8d3e89c5dd220530469ca043c428";

#[test]
fn a_github_instance_bundle_verifies_by_its_signed_timestamp() {
    // GitHub's release attestation of jdx/communique v0.1.9: its own
    // Fulcio and timestamp authority, no Rekor entry, no SCT. Signed by
    // GitHub itself (no OIDC issuer), so the crypto passes and the signer
    // policy is what refuses it.
    let bundle = data("github-private-attestation.sigstore.json");
    let roots = [TrustedRoot::public_good(), TrustedRoot::github()];
    let any = policy(GITHUB_ACTIONS, "https://github.com/jdx/communique", &["*"]);
    let err = verify(&bundle, &roots, &sha256(RELEASE), &any).unwrap_err();
    assert_eq!(
        err,
        Error::Identity("the certificate names no OIDC issuer".to_owned())
    );
    let err = verify(&bundle, &roots, &sha256(WHEEL), &any).unwrap_err();
    assert!(matches!(err, Error::Signature(_)), "{err}");
    // Without GitHub's root nothing vouches for it.
    let err = verify(&bundle, &roots[..1], &sha256(RELEASE), &any).unwrap_err();
    assert!(matches!(err, Error::Log(_)), "{err}");
    // A timestamp of another signature is refused.
    let mut json: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
    json["dsseEnvelope"]["signatures"][0]["sig"] = serde_json::json!("AAAA");
    let err = verify(
        &serde_json::to_vec(&json).unwrap(),
        &roots,
        &sha256(RELEASE),
        &any,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("signed timestamp: it is of another signature"),
        "{err}"
    );
}

/// Sigstore's staging root, the digests of its Rekor v2 fixture's blob,
/// and the identity that signed it (an e-mail, by GitHub's login).
fn staging_blob() -> ([TrustedRoot; 1], Digests, Policy) {
    let root = String::from_utf8(data("staging-trusted-root.json")).unwrap();
    let digest = ring::digest::digest(&ring::digest::SHA256, &data("staging-rekor-v2.txt"));
    let digests = Digests {
        sha256: digest.as_ref().try_into().unwrap(),
        sha512: None,
    };
    let by = policy("https://github.com/login/oauth", "", &["jku@goto.fi"]);
    ([TrustedRoot::from_json(&root).unwrap()], digests, by)
}

#[test]
fn rekor_v2_entries_verify_by_their_checkpoint_and_signed_timestamp() {
    // Sigstore's staging instance, whose Rekor v2 logs (Ed25519 tile logs)
    // give no SET: the time is the TSA's. A message signature by an e-mail
    // identity, and a DSSE attestation logged as a hashedrekord of its PAE.
    let (root, digests, by) = staging_blob();
    let v = verify(
        &data("staging-rekor-v2.txt.sigstore.json"),
        &root,
        &digests,
        &by,
    )
    .unwrap();
    assert_eq!(
        v.log.as_deref(),
        Some("https://log2025-alpha1.rekor.sigstage.dev")
    );
    let beacon = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon";
    let subject = "a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    let v = verify(
        &data("a.dsse.staging-rekor-v2.txt.sigstore.json"),
        &root,
        &sha256(subject),
        &policy(GITHUB_ACTIONS, beacon, &[]),
    )
    .unwrap();
    assert_eq!(
        v.log.as_deref(),
        Some("https://log2025-alpha3.rekor.sigstage.dev")
    );
    // Another artifact: refused; against the public-good root: unknown log.
    assert!(verify(
        &data("staging-rekor-v2.txt.sigstore.json"),
        &root,
        &sha256(subject),
        &by
    )
    .is_err());
    let err = verify(
        &data("staging-rekor-v2.txt.sigstore.json"),
        &[TrustedRoot::public_good()],
        &digests,
        &by,
    )
    .unwrap_err();
    // Public-good's timestamp authority did not sign staging's timestamp.
    assert!(
        err.to_string()
            .contains("not signed by a timestamp authority of the trusted root"),
        "{err}"
    );
}

/// A change made to a bundle's JSON.
type Alter = fn(&mut serde_json::Value);

#[test]
fn a_rekor_v2_entry_altered_anywhere_fails() {
    let (root, digests, by) = staging_blob();
    let original: serde_json::Value =
        serde_json::from_slice(&data("staging-rekor-v2.txt.sigstore.json")).unwrap();
    let entry = "/verificationMaterial/tlogEntries/0";
    let cases: [(&str, Alter, &str); 4] = [
        (
            "checkpoint",
            |b| {
                let note = b
                    .pointer_mut(
                        "/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint/envelope",
                    )
                    .unwrap();
                *note = serde_json::json!(note.as_str().unwrap().replacen("646\n", "647\n", 1));
            },
            "the checkpoint is for a different tree",
        ),
        (
            "proof",
            |b| {
                b.pointer_mut("/verificationMaterial/tlogEntries/0/inclusionProof/hashes")
                    .unwrap()[0] =
                    serde_json::json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
            },
            "does not lead to its root hash",
        ),
        (
            "timestamp",
            |b| {
                b["verificationMaterial"]["timestampVerificationData"] = serde_json::json!({});
            },
            "a Rekor v2 entry with no signed timestamp",
        ),
        (
            "log",
            |b| {
                b.pointer_mut("/verificationMaterial/tlogEntries/0/logId/keyId")
                    .unwrap()
                    .clone_from(&serde_json::json!(
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
                    ));
            },
            "which the trusted root does not hold",
        ),
    ];
    assert!(original.pointer(entry).is_some());
    for (what, alter, why) in cases {
        let mut bundle = original.clone();
        alter(&mut bundle);
        let err = verify(&serde_json::to_vec(&bundle).unwrap(), &root, &digests, &by).unwrap_err();
        assert!(err.to_string().contains(why), "{what}: {err}");
    }
}

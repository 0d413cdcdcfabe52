//! Bundles from the test Sigstore (jingyu-fake), valid and broken one way
//! each, verified against its trusted root: each passes or fails for the
//! reason named.

use jingyu_fake::sigstore::{Signer, Tamper, TestSigstore};
use jingyu_sigstore::{verify, Digests, Error, Policy, TrustedRoot, GITHUB_ACTIONS};

const ASSET: &[u8] = b"the release's binary, in bytes";

fn digests(bytes: &[u8]) -> Digests {
    let sha256 = ring::digest::digest(&ring::digest::SHA256, bytes);
    let sha512 = ring::digest::digest(&ring::digest::SHA512, bytes);
    Digests {
        sha256: sha256.as_ref().try_into().unwrap(),
        sha512: Some(sha512.as_ref().to_vec()),
    }
}

fn policy(signers: &[&str]) -> Policy {
    Policy {
        issuer: GITHUB_ACTIONS.to_owned(),
        repository: "https://github.com/o/r".to_owned(),
        signers: signers.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn check(
    sigstore: &TestSigstore,
    bundle: &str,
    signers: &[&str],
) -> Result<jingyu_sigstore::Verified, Error> {
    let root = [TrustedRoot::from_json(&sigstore.trusted_root()).unwrap()];
    verify(bundle.as_bytes(), &root, &digests(ASSET), &policy(signers))
}

fn signer() -> Signer {
    Signer::github("o/r", "v1.4.0")
}

#[test]
fn valid_blob_signatures_and_attestations_verify_naming_the_workflow_and_log_index() {
    let s = TestSigstore::new();
    for bundle in [
        s.sign_blob(ASSET, &signer(), Tamper::Nothing),
        s.attest(ASSET, "tool.tar.gz", &signer(), Tamper::Nothing),
    ] {
        let v = check(&s, &bundle, &[]).unwrap();
        assert_eq!(
            v.identity.san,
            "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.4.0"
        );
        assert_eq!(v.identity.issuer, GITHUB_ACTIONS);
        assert_eq!(v.log.as_deref(), Some("https://rekor.jingyu.test"));
        assert!(v.log_index.is_some_and(|i| i > 0));
    }
    let v = check(&s, &s.attest(ASSET, "t", &signer(), Tamper::Nothing), &[]).unwrap();
    assert_eq!(
        v.predicate_type.as_deref(),
        Some("https://slsa.dev/provenance/v1")
    );
}

#[test]
fn each_broken_bundle_fails_for_its_reason() {
    let s = TestSigstore::new();
    let cases: Vec<(String, &str)> = vec![
        (
            s.sign_blob(ASSET, &signer(), Tamper::ForgedSignature),
            "signature: it does not verify",
        ),
        (
            s.attest(ASSET, "t", &signer(), Tamper::ForgedSignature),
            "signature: the DSSE envelope does not verify",
        ),
        (
            s.sign_blob(ASSET, &signer().expired_at_log_time(), Tamper::Nothing),
            "but it was used at",
        ),
        (
            s.attest(ASSET, "t", &signer(), Tamper::SubjectOtherBytes),
            "subjects are other bytes",
        ),
        (
            s.sign_blob(ASSET, &signer(), Tamper::LogEntryOtherData),
            "the log entry is not a hashedrekord of this signature",
        ),
        (
            s.attest(ASSET, "t", &signer(), Tamper::LogEntryOtherData),
            "the log entry is not a dsse of this signature",
        ),
        (
            s.attest(ASSET, "t", &signer(), Tamper::GarbagePayload),
            "not an in-toto statement",
        ),
        (
            s.attest(ASSET, "t", &signer(), Tamper::SctForAnotherCertificate),
            "(SCT): its signature does not verify",
        ),
        (
            s.sign_blob(
                ASSET,
                &signer().issuer("https://gitlab.com"),
                Tamper::Nothing,
            ),
            "from https://gitlab.com, expected https://token.actions",
        ),
        (
            s.attest(ASSET, "t", &Signer::github("evil/r", "v1"), Tamper::Nothing),
            "(repository https://github.com/evil/r), expected https://github.com/o/r",
        ),
    ];
    for (bundle, why) in cases {
        let err = check(&s, &bundle, &[]).expect_err(why).to_string();
        assert!(err.contains(why), "{err}\n  expected: {why}");
    }
}

#[test]
fn a_bundle_from_another_sigstore_is_untrusted() {
    let (ours, theirs) = (TestSigstore::new(), TestSigstore::new());
    let err = check(
        &ours,
        &theirs.attest(ASSET, "t", &signer(), Tamper::Nothing),
        &[],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("which the trusted root does not hold"),
        "{err}"
    );
    // Against the public-good root, too.
    let bundle = theirs.sign_blob(ASSET, &signer(), Tamper::Nothing);
    assert!(verify(
        bundle.as_bytes(),
        &[TrustedRoot::public_good()],
        &digests(ASSET),
        &policy(&[])
    )
    .is_err());
}

#[test]
fn the_bytes_must_be_the_ones_signed() {
    let s = TestSigstore::new();
    let root = [TrustedRoot::from_json(&s.trusted_root()).unwrap()];
    for bundle in [
        s.sign_blob(ASSET, &signer(), Tamper::Nothing),
        s.attest(ASSET, "t", &signer(), Tamper::Nothing),
    ] {
        let err = verify(bundle.as_bytes(), &root, &digests(b"other"), &policy(&[])).unwrap_err();
        assert!(matches!(err, Error::Signature(_)), "{err}");
    }
}

#[test]
fn signers_name_other_repositories_or_workflow_globs() {
    let s = TestSigstore::new();
    let theirs = s.attest(
        ASSET,
        "t",
        &Signer::github("up/stream", "v2.0"),
        Tamper::Nothing,
    );
    assert!(check(&s, &theirs, &[]).is_err());
    assert!(check(&s, &theirs, &["up/stream"]).is_ok());
    assert!(
        check(&s, &theirs, &["UP/Stream"]).is_ok(),
        "repositories compare case-insensitively"
    );
    assert!(check(
        &s,
        &theirs,
        &[
            "x/y",
            "https://github.com/up/stream/.github/workflows/release.yml@refs/tags/*"
        ]
    )
    .is_ok());
    let err = check(
        &s,
        &theirs,
        &["https://github.com/up/stream/.github/workflows/other.yml@*"],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("expected https://github.com/up/stream/.github/workflows/other.yml@*"),
        "{err}"
    );
}

#[test]
fn unreadable_bundles_say_so() {
    let s = TestSigstore::new();
    for (text, why) in [
        ("not json", "not a Sigstore bundle"),
        (
            r#"{"mediaType":"application/x","verificationMaterial":{}}"#,
            "media type `application/x`",
        ),
    ] {
        let err = check(&s, text, &[]).unwrap_err().to_string();
        assert!(err.contains(why), "{err}");
    }
    let mut two: serde_json::Value =
        serde_json::from_str(&s.attest(ASSET, "t", &signer(), Tamper::Nothing)).unwrap();
    let entry = two["verificationMaterial"]["tlogEntries"][0].clone();
    two["verificationMaterial"]["tlogEntries"] = serde_json::json!([entry.clone(), entry]);
    let err = check(&s, &two.to_string(), &[]).unwrap_err().to_string();
    assert!(
        err.contains("2 transparency-log entries, expected at most one"),
        "{err}"
    );
}

#[test]
fn a_timestamping_instance_like_githubs_verifies_by_rfc3161_time() {
    let s = TestSigstore::timestamping();
    for bundle in [
        s.sign_blob(ASSET, &signer(), Tamper::Nothing),
        s.attest(ASSET, "tool.tar.gz", &signer(), Tamper::Nothing),
    ] {
        let v = check(&s, &bundle, &[]).unwrap();
        assert_eq!((v.log_index, v.log), (None, None), "no log");
        assert!(v.time > 1_700_000_000);
    }
    for (bundle, why) in [
        (
            s.attest(ASSET, "t", &signer(), Tamper::TimestampOfAnotherSignature),
            "signed timestamp: it is of another signature",
        ),
        (
            s.sign_blob(ASSET, &signer().expired_at_log_time(), Tamper::Nothing),
            "but it was used at",
        ),
        (
            s.attest(ASSET, "t", &signer(), Tamper::ForgedSignature),
            "the DSSE envelope does not verify",
        ),
    ] {
        let err = check(&s, &bundle, &[]).unwrap_err().to_string();
        assert!(err.contains(why), "{err}\n  expected: {why}");
    }
    // Another instance's timestamp authority is not this one's.
    let stranger = TestSigstore::timestamping();
    let err = check(
        &s,
        &stranger.attest(ASSET, "t", &signer(), Tamper::Nothing),
        &[],
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Certificate(_) | Error::Timestamp(_)),
        "{err}"
    );
    // A root with logs wants a log entry.
    let logged = TestSigstore::new();
    let err = check(
        &logged,
        &s.attest(ASSET, "t", &signer(), Tamper::Nothing),
        &[],
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("no transparency-log entry"),
        "{err}"
    );
}

//! sigstore-python (`PyPI`'s `sigstore`, which `tests/run.sh` installs and
//! names in `JINGYU_SIGSTORE_ORACLE`) as an independent oracle: every bundle
//! of the test Sigstore, valid and broken, must pass or fail there exactly
//! as in jingyu, offline against the same trusted root. (Not bundles of a
//! timestamping instance like GitHub's: sigstore-python refuses any trusted
//! root without a transparency log, so those are checked against GitHub's
//! real bundle in `real.rs` instead.)

#![allow(clippy::print_stderr)] // the one "skipped" note

use std::path::PathBuf;
use std::process::Command;

use jingyu_fake::sigstore::{Signer, Tamper, TestSigstore};
use jingyu_sigstore::{verify, Digests, Policy, TrustedRoot, GITHUB_ACTIONS};

const ASSET: &[u8] = b"#!/bin/sh\necho a release binary\n";

fn oracle() -> Option<PathBuf> {
    match std::env::var_os("JINGYU_SIGSTORE_ORACLE") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => {
            panic!("JINGYU_SIGSTORE_ORACLE is not set: tests/run.sh installs sigstore-python and sets it")
        }
        None => {
            eprintln!("skipped: no sigstore-python (tests/run.sh installs it and sets JINGYU_SIGSTORE_ORACLE)");
            None
        }
    }
}

struct Case {
    name: &'static str,
    kind: &'static str,
    bundle: String,
    valid: bool,
}

fn case(name: &'static str, kind: &'static str, bundle: String, valid: bool) -> Case {
    Case {
        name,
        kind,
        bundle,
        valid,
    }
}

/// Every kind of bundle the test Sigstore makes, and whether it is valid.
fn cases(s: &TestSigstore) -> Vec<Case> {
    let stranger = TestSigstore::new();
    let ok = Signer::github("o/r", "v1.4.0");
    let expired = ok.clone().expired_at_log_time();
    vec![
        case(
            "valid blob",
            "blob",
            s.sign_blob(ASSET, &ok, Tamper::Nothing),
            true,
        ),
        case(
            "valid attestation",
            "dsse",
            s.attest(ASSET, "tool", &ok, Tamper::Nothing),
            true,
        ),
        case(
            "forged blob signature",
            "blob",
            s.sign_blob(ASSET, &ok, Tamper::ForgedSignature),
            false,
        ),
        case(
            "forged DSSE signature",
            "dsse",
            s.attest(ASSET, "tool", &ok, Tamper::ForgedSignature),
            false,
        ),
        case(
            "expired at log time",
            "blob",
            s.sign_blob(ASSET, &expired, Tamper::Nothing),
            false,
        ),
        case(
            "expired attestation",
            "dsse",
            s.attest(ASSET, "tool", &expired, Tamper::Nothing),
            false,
        ),
        case(
            "wrong issuer",
            "dsse",
            s.attest(
                ASSET,
                "tool",
                &ok.clone().issuer("https://gitlab.com"),
                Tamper::Nothing,
            ),
            false,
        ),
        case(
            "wrong repository",
            "blob",
            s.sign_blob(ASSET, &Signer::github("evil/r", "v1"), Tamper::Nothing),
            false,
        ),
        case(
            "subject for other bytes",
            "dsse",
            s.attest(ASSET, "tool", &ok, Tamper::SubjectOtherBytes),
            false,
        ),
        case(
            "log entry for other data",
            "blob",
            s.sign_blob(ASSET, &ok, Tamper::LogEntryOtherData),
            false,
        ),
        case(
            "DSSE log entry for other data",
            "dsse",
            s.attest(ASSET, "tool", &ok, Tamper::LogEntryOtherData),
            false,
        ),
        case(
            "garbage payload",
            "dsse",
            s.attest(ASSET, "tool", &ok, Tamper::GarbagePayload),
            false,
        ),
        case(
            "SCT of another certificate",
            "blob",
            s.sign_blob(ASSET, &ok, Tamper::SctForAnotherCertificate),
            false,
        ),
        case(
            "untrusted root",
            "dsse",
            stranger.attest(ASSET, "tool", &ok, Tamper::Nothing),
            false,
        ),
    ]
}

/// A directory of its own for each call (the tests run at once).
fn scratch() -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("jingyu-sigstore-oracle-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// sigstore-python's answer for each case (JSON as the script reads it):
/// "ok" or "fail: WHY".
fn answers(oracle: &PathBuf, list: &[serde_json::Value]) -> Vec<String> {
    let dir = scratch();
    let cases_path = dir.join("cases.json");
    std::fs::write(&cases_path, serde_json::to_vec(list).unwrap()).unwrap();
    let out = Command::new(oracle)
        .arg(&cases_path)
        .output()
        .expect("run sigstore-python");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<String> = serde_json::from_slice(&out.stdout).expect("the oracle's JSON");
    assert_eq!(answers.len(), list.len());
    answers
}

/// The test Sigstore's cases, written out for the oracle.
fn ask(oracle: &PathBuf, root_json: &str, cases: &[Case]) -> Vec<String> {
    let dir = scratch();
    let (root_path, artifact_path) = (dir.join("trusted_root.json"), dir.join("artifact"));
    std::fs::write(&root_path, root_json).unwrap();
    std::fs::write(&artifact_path, ASSET).unwrap();
    let mut list = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let path = dir.join(format!("{i}.sigstore.json"));
        std::fs::write(&path, &c.bundle).unwrap();
        list.push(serde_json::json!({
            "root": root_path, "bundle": path, "artifact": artifact_path, "kind": c.kind,
            "issuer": GITHUB_ACTIONS, "repository": "https://github.com/o/r",
        }));
    }
    let said = answers(oracle, &list);
    let _ = std::fs::remove_dir_all(&dir);
    said
}

#[test]
fn jingyu_and_sigstore_python_agree_on_every_bundle() {
    let Some(oracle) = oracle() else { return };
    let s = TestSigstore::new();
    let cases = cases(&s);
    let answers = ask(&oracle, &s.trusted_root(), &cases);
    let root = [TrustedRoot::from_json(&s.trusted_root()).unwrap()];
    let digests = Digests {
        sha256: ring::digest::digest(&ring::digest::SHA256, ASSET)
            .as_ref()
            .try_into()
            .unwrap(),
        sha512: Some(
            ring::digest::digest(&ring::digest::SHA512, ASSET)
                .as_ref()
                .to_vec(),
        ),
    };
    let policy = Policy {
        issuer: GITHUB_ACTIONS.to_owned(),
        repository: "https://github.com/o/r".to_owned(),
        signers: Vec::new(),
    };
    let mut disagreements = Vec::new();
    for (c, python) in cases.iter().zip(&answers) {
        let ours = verify(c.bundle.as_bytes(), &root, &digests, &policy);
        let python_ok = python == "ok";
        if ours.is_ok() != python_ok || python_ok != c.valid {
            disagreements.push(format!(
                "{}: jingyu {ours:?}, sigstore-python {python}, expected ok={}",
                c.name, c.valid
            ));
        }
    }
    assert_eq!(answers.len(), cases.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn sigstore_python_agrees_on_the_real_bundles_against_the_compiled_in_root() {
    let Some(oracle) = oracle() else { return };
    let dir = env!("CARGO_MANIFEST_DIR");
    let data = |name: &str| format!("{dir}/tests/data/{name}");
    let root = format!("{dir}/roots/public-good.json");
    let wheel = "c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201";
    let conda = "54303491a8418fbed24344b513546182c29b43bf282ceb433af65e2299f9271f";
    let list = [
        serde_json::json!({"root": root, "bundle": data("rfc8785-0.1.2.whl.sigstore"), "sha256": wheel, "kind": "blob",
            "issuer": GITHUB_ACTIONS, "repository": "https://github.com/trailofbits/rfc8785.py"}),
        serde_json::json!({"root": root, "bundle": data("conda-attestation.sigstore.json"), "sha256": conda, "kind": "dsse",
            "issuer": GITHUB_ACTIONS, "repository": "https://github.com/prefix-dev/sigstore-example"}),
        serde_json::json!({"root": root, "bundle": data("cosign-v3-blob.sigstore.json"), "artifact": data("cosign-v3-blob.txt"),
            "kind": "blob", "issuer": "https://github.com/login/oauth", "email": "w.vollprecht@gmail.com"}),
        // The same with the wrong digest or signer: refused.
        serde_json::json!({"root": root, "bundle": data("rfc8785-0.1.2.whl.sigstore"), "sha256": conda, "kind": "blob",
            "issuer": GITHUB_ACTIONS, "repository": "https://github.com/trailofbits/rfc8785.py"}),
        serde_json::json!({"root": root, "bundle": data("conda-attestation.sigstore.json"), "sha256": conda, "kind": "dsse",
            "issuer": GITHUB_ACTIONS, "repository": "https://github.com/prefix-dev/other"}),
    ];
    // Rekor v2 (staging's tile logs; time from the TSA).
    let staging = data("staging-trusted-root.json");
    let v2 = [
        serde_json::json!({"root": staging, "bundle": data("staging-rekor-v2.txt.sigstore.json"), "artifact": data("staging-rekor-v2.txt"),
            "kind": "blob", "issuer": "https://github.com/login/oauth", "email": "jku@goto.fi"}),
        serde_json::json!({"root": staging, "bundle": data("a.dsse.staging-rekor-v2.txt.sigstore.json"),
            "sha256": "a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", "kind": "dsse", "issuer": GITHUB_ACTIONS,
            "repository": "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"}),
    ];
    let list: Vec<serde_json::Value> = v2.into_iter().chain(list).collect();
    let said = answers(&oracle, &list);
    assert_eq!(said[..5], ["ok", "ok", "ok", "ok", "ok"], "{said:?}");
    assert!(said[5..].iter().all(|a| a.starts_with("fail")), "{said:?}");
}

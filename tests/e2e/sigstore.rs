//! Sigstore end to end: the test Sigstore (jingyu-fake) signs the fake
//! releases (bundles beside the asset or its checksums file, attestations
//! in GitHub's API inline or Snappy-compressed at a `bundle_url`), and jingyu
//! checks them against its trusted root (`--trusted-root`). Each broken
//! signature fails with exit 5 and nothing written; the signer is the
//! release's repository unless `--signer` names others.

use std::fs;
use std::path::PathBuf;

use jingyu_fake::sigstore::{Signer, Tamper, TestSigstore};
use jingyu_fake::{sha256_hex, FakeGitHub, Release, Stored};

use crate::archives::tool_tar_gz;
use crate::harness::{Case, Scratch};
use crate::tool_bytes;

const ASSET: &str = "tool-linux-amd64.tar.gz";

/// A fake GitHub with `owner/tool` v1.1, a test Sigstore, and its trusted
/// root in a file of its own.
struct World {
    gh: FakeGitHub,
    sigstore: TestSigstore,
    root: PathBuf,
    asset: Vec<u8>,
    _dir: Scratch,
}

impl World {
    /// The world before its release: the signer names the fake's URL, so
    /// bundles are made once it runs.
    fn new() -> World {
        World::trusting(TestSigstore::new())
    }

    fn trusting(sigstore: TestSigstore) -> World {
        let gh = FakeGitHub::start();
        // Its log's search API is the fake's (for keyless signatures).
        sigstore.serve_log_at(&gh.api_url());
        let dir = Scratch::new();
        let root = dir.0.join("trusted_root.json");
        fs::write(&root, sigstore.trusted_root()).unwrap();
        World {
            gh,
            sigstore,
            root,
            asset: tool_tar_gz("tool", "v1.1"),
            _dir: dir,
        }
    }

    /// Publishes `owner/tool` v1.1: the asset and `extra` files beside it.
    fn release(&self, extra: &[(&str, &str)]) -> &World {
        let mut release = Release::new("v1.1").asset(ASSET, self.asset.clone());
        for (name, text) in extra {
            release = release.asset(name, text.as_bytes().to_vec());
        }
        self.gh.release("owner/tool", release);
        self
    }

    /// The release workflow of `repo` on the fake forge.
    fn signer(&self, repo: &str) -> Signer {
        Signer::at(&self.gh.api_url(), repo, "v1.1")
    }

    fn workflow(&self) -> String {
        self.signer("owner/tool").workflow
    }

    /// A run trusting the test Sigstore.
    fn case(&self) -> Case {
        Case::new(&self.gh)
            .eget_stdout()
            .env("JINGYU_TRUSTED_ROOT", &self.root.display().to_string())
    }

    /// An attestation of the asset in the API.
    fn attest(&self, signer: &Signer, tamper: Tamper, stored: Stored) -> &World {
        let bundle = self.sigstore.attest(&self.asset, ASSET, signer, tamper);
        self.gh
            .attestation("owner/tool", &self.asset, &bundle, stored);
        self
    }

    /// A bundle of the asset, for `ASSET.sigstore.json`.
    fn blob(&self, signer: &Signer, tamper: Tamper) -> String {
        self.sigstore.sign_blob(&self.asset, signer, tamper)
    }
}

const SIDECAR: &str = "tool-linux-amd64.tar.gz.sigstore.json";

/// The run failed with exit 5, saying `why`, and wrote nothing.
#[track_caller]
fn refused(out: &crate::harness::Outcome, why: &str) {
    out.code(5);
    let line = out.error_line();
    assert!(line.contains(why), "{line}\n  expected: {why}");
    assert!(out.files().is_empty(), "{:?}", out.files());
}

#[test]
fn an_attestation_inline_or_behind_a_snappy_bundle_url_verifies() {
    for stored in [Stored::Inline, Stored::Snappy] {
        let w = World::new();
        w.release(&[])
            .attest(&w.signer("owner/tool"), Tamper::Nothing, stored);
        let out = w
            .case()
            .env("GITHUB_TOKEN", "secret")
            .args(["owner/tool"])
            .run();
        assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
        out.stderr_has(&format!(
            "signature verified: attestation by {}, Rekor #",
            w.workflow()
        ));
        let requests = w.gh.requests();
        let lookup = format!(
            "/repos/owner/tool/attestations/sha256:{}",
            sha256_hex(&w.asset)
        );
        assert!(
            requests.iter().any(|r| r.path == lookup),
            "{stored:?}: asked by digest"
        );
        let blobs: Vec<_> = requests
            .iter()
            .filter(|r| r.path.starts_with("/attestations/"))
            .collect();
        assert_eq!(
            blobs.len(),
            usize::from(stored == Stored::Snappy),
            "{stored:?}"
        );
        assert!(
            blobs.iter().all(|b| b.header("authorization").is_none()),
            "no token goes to blob storage"
        );
    }
}

#[test]
fn without_signature_flags_no_attestation_is_looked_up() {
    let w = World::new();
    w.release(&[])
        .attest(&w.signer("owner/tool"), Tamper::Nothing, Stored::Inline);
    let out = Case::new(&w.gh).eget_stdout().args(["owner/tool"]).run();
    out.success().stderr_lacks("attestation");
    assert!(w
        .gh
        .requests()
        .iter()
        .all(|r| !r.path.contains("/attestations/")));
}

#[test]
fn a_bundle_beside_the_asset_or_its_checksums_file_verifies() {
    let w = World::new();
    let blob = w.blob(&w.signer("owner/tool"), Tamper::Nothing);
    w.release(&[(SIDECAR, &blob)]);
    let out = w.case().args(["owner/tool"]).run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!(
        "signature verified: Sigstore bundle `{SIDECAR}` by {}, Rekor #",
        w.workflow()
    ));

    let w = World::new();
    let sums = format!("{}  {ASSET}\n", sha256_hex(&w.asset));
    let bundle = w
        .sigstore
        .sign_blob(sums.as_bytes(), &w.signer("owner/tool"), Tamper::Nothing);
    w.release(&[
        ("checksums.txt", &sums),
        ("checksums.txt.sigstore.json", &bundle),
    ]);
    let out = w.case().args(["owner/tool"]).run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!(
        "signature verified: Sigstore bundle `checksums.txt.sigstore.json` of `checksums.txt` by {}, Rekor #",
        w.workflow()
    ));
}

#[test]
fn every_broken_signature_fails_with_nothing_written() {
    type Make = fn(&World) -> ();
    let cases: Vec<(&str, Make)> = vec![
        ("the Sigstore bundle `tool-linux-amd64.tar.gz.sigstore.json` does not verify: signature: it does not verify", |w| {
            w.release(&[(SIDECAR, &w.blob(&w.signer("owner/tool"), Tamper::ForgedSignature))]);
        }),
        ("signing certificate: valid from", |w| {
            w.release(&[]).attest(&w.signer("owner/tool").expired_at_log_time(), Tamper::Nothing, Stored::Inline);
        }),
        ("issued to an identity from https://gitlab.com, expected https://token.actions.githubusercontent.com", |w| {
            w.release(&[]).attest(&w.signer("owner/tool").issuer("https://gitlab.com"), Tamper::Nothing, Stored::Snappy);
        }),
        ("/evil/tool), expected http://", |w| {
            w.release(&[]).attest(&w.signer("evil/tool"), Tamper::Nothing, Stored::Inline);
        }),
        ("the attestation's subjects are other bytes", |w| {
            w.release(&[]).attest(&w.signer("owner/tool"), Tamper::SubjectOtherBytes, Stored::Inline);
        }),
        ("the log entry is not a hashedrekord of this signature by this certificate", |w| {
            w.release(&[(SIDECAR, &w.blob(&w.signer("owner/tool"), Tamper::LogEntryOtherData))]);
        }),
        ("the DSSE payload is not an in-toto statement", |w| {
            w.release(&[]).attest(&w.signer("owner/tool"), Tamper::GarbagePayload, Stored::Inline);
        }),
        ("which the trusted root does not hold", |w| {
            let stranger = TestSigstore::new().attest(&w.asset, ASSET, &w.signer("owner/tool"), Tamper::Nothing);
            w.release(&[]).gh.attestation("owner/tool", &w.asset, &stranger, Stored::Inline);
        }),
    ];
    for (why, make) in cases {
        let w = World::new();
        make(&w);
        let out = w.case().args(["owner/tool"]).run();
        out.code(5);
        let line = out.error_line();
        assert!(
            line.starts_with(&format!("jingyu: error: `{ASSET}`: "))
                && line.contains(why)
                && line.ends_with("; nothing was installed"),
            "{line}\n  expected: {why}"
        );
        assert!(out.files().is_empty(), "{why}: {:?}", out.files());
    }
}

#[test]
fn the_compiled_in_root_does_not_trust_a_test_sigstore() {
    let w = World::new();
    w.release(&[(SIDECAR, &w.blob(&w.signer("owner/tool"), Tamper::Nothing))]);
    let out = Case::new(&w.gh).eget_stdout().args(["owner/tool"]).run();
    refused(&out, "which the trusted root does not hold");
}

#[test]
fn signers_and_issuers_name_others_than_the_release_workflow() {
    let w = World::new();
    w.release(&[])
        .attest(&w.signer("upstream/tool"), Tamper::Nothing, Stored::Inline);
    w.case().args(["owner/tool"]).run().code(5);
    let glob = format!(
        "{}/upstream/tool/.github/workflows/release.yml@refs/tags/*",
        w.gh.api_url()
    );
    for case in [
        w.case().args(["owner/tool", "--signer", "upstream/tool"]),
        w.case()
            .args(["owner/tool", "--signer", "x/y", "--signer", &glob]),
        w.case()
            .env("JINGYU_SIGNER", &format!("x/y, {glob}"))
            .args(["owner/tool"]),
    ] {
        let out = case.run();
        assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
        out.stderr_has("signature verified: attestation by ");
    }

    let ghe = "https://ghe.example/_services/token";
    let w = World::new();
    w.release(&[]).attest(
        &w.signer("owner/tool").issuer(ghe),
        Tamper::Nothing,
        Stored::Inline,
    );
    w.case().args(["owner/tool"]).run().code(5);
    w.case()
        .args(["owner/tool", "--signer-issuer", ghe])
        .run()
        .success();
    w.case()
        .env("JINGYU_SIGNER_ISSUER", ghe)
        .args(["owner/tool"])
        .run()
        .success();
}

#[test]
fn require_signed_takes_an_attestation_and_fails_without_one() {
    let w = World::new();
    w.release(&[])
        .attest(&w.signer("owner/tool"), Tamper::Nothing, Stored::Inline);
    let out = w.case().args(["owner/tool", "--require-signed"]).run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));

    let w = World::new();
    w.release(&[]);
    let out = w.case().args(["owner/tool"]).run();
    out.success().stderr_has(&format!(
        "jingyu: warning: no Sigstore bundle or attestation was found for `{ASSET}`: it is not Sigstore-verified"
    ));
    let out = w
        .case()
        .env("JINGYU_REQUIRE_SIGNED", "true")
        .args(["owner/tool"])
        .run();
    out.code(5);
    assert_eq!(
        out.error_line(),
        format!(
            "jingyu: error: `{ASSET}`: --require-signed, and no signature verified it: no Sigstore bundle beside it and no attestation of sha256 {}; nothing was installed",
            sha256_hex(&w.asset)
        )
    );
    assert!(out.files().is_empty());
}

#[test]
fn a_bad_trusted_root_is_a_usage_error() {
    let w = World::new();
    w.release(&[])
        .attest(&w.signer("owner/tool"), Tamper::Nothing, Stored::Inline);
    let out = w
        .case()
        .env("JINGYU_TRUSTED_ROOT", "/nonexistent/root.json")
        .args(["owner/tool"])
        .run();
    out.code(2);
    assert!(
        out.error_line()
            .contains("--trusted-root `/nonexistent/root.json` cannot be read"),
        "{}",
        out.error_line()
    );
    fs::write(&w.root, "{\"mediaType\": \"x\"}").unwrap();
    let out = w.case().args(["owner/tool"]).run();
    out.code(2);
    assert!(
        out.error_line().contains("media type `x`"),
        "{}",
        out.error_line()
    );
    assert!(out.files().is_empty());
}

#[test]
fn the_lock_records_the_signer_and_a_locked_install_trusts_it_without_the_api() {
    let w = World::new();
    w.release(&[])
        .attest(&w.signer("upstream/tool"), Tamper::Nothing, Stored::Snappy);
    let manifest = format!(
        "[defaults]\nplatforms = [\"linux/amd64\"]\nto = \"out/\"\ntrusted_root = \"{}\"\n[tools.\"owner/tool\"]\ntag = \"v1.1\"\nsigner = [\"upstream/tool\"]\n",
        w.root.display()
    );
    let case = || {
        let c = Case::new(&w.gh).unset("JINGYU_SYSTEM").eget_stdout();
        fs::write(c.path("jingyu.toml"), &manifest).unwrap();
        c
    };
    let out = case().args(["lock"]).run();
    out.success();
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    let signer = format!(
        "signed_by = \"attestation by {}/upstream/tool/.github/workflows/release.yml@refs/tags/v1.1, Rekor #",
        w.gh.api_url()
    );
    assert!(lock.contains(&signer), "{lock}");
    let api_before = w.gh.count(jingyu_fake::Host::Api);
    let c = case();
    fs::write(c.path("jingyu.lock"), &lock).unwrap();
    let out = c
        .env("JINGYU_REQUIRE_SIGNED", "1")
        .args(["install", "--locked", "--system", "linux/amd64"])
        .run();
    assert_eq!(out.success().file("out/tool"), tool_bytes("v1.1"));
    out.stderr_lacks("warning");
    let table = out.stdout_text();
    assert!(
        table.contains(&format!("and {}", &signer["signed_by = \"".len()..]))
            && table.contains("(at `jingyu lock`)"),
        "{table}"
    );
    assert_eq!(
        w.gh.count(jingyu_fake::Host::Api),
        api_before,
        "a locked install makes no API call"
    );
    // Without the manifest's signer, the lock's verification fails.
    let c = Case::new(&w.gh).unset("JINGYU_SYSTEM").eget_stdout();
    fs::write(
        c.path("jingyu.toml"),
        manifest.replace("signer = [\"upstream/tool\"]\n", ""),
    )
    .unwrap();
    let out = c.args(["lock"]).run();
    out.code(5);
    assert!(out.stderr().contains("none verifies"), "{}", out.stderr());
}

#[test]
fn a_private_repositorys_attestation_from_a_timestamping_instance_verifies() {
    // GitHub's own instance signs private repositories' attestations: no
    // Rekor entry, an RFC 3161 timestamp. The token reaches the API only.
    let w = World::trusting(TestSigstore::timestamping());
    w.release(&[])
        .attest(&w.signer("owner/tool"), Tamper::Nothing, Stored::Snappy);
    w.gh.private("owner/tool", "secret");
    let out = w
        .case()
        .env("GITHUB_TOKEN", "secret")
        .args(["owner/tool"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!(
        "signature verified: attestation by {}, timestamped 20",
        w.workflow()
    ));
    let requests = w.gh.requests();
    let lookup = requests
        .iter()
        .find(|r| r.path.contains("/attestations/sha256:"))
        .expect("looked up");
    assert_eq!(lookup.header("authorization"), Some("Bearer secret"));
    let blob = requests
        .iter()
        .find(|r| r.path.ends_with(".json.sn?se=2026"))
        .expect("fetched");
    assert_eq!(blob.header("authorization"), None);

    let w = World::trusting(TestSigstore::timestamping());
    w.release(&[]).attest(
        &w.signer("owner/tool"),
        Tamper::TimestampOfAnotherSignature,
        Stored::Inline,
    );
    let out = w.case().args(["owner/tool"]).run();
    refused(&out, "signed timestamp: it is of another signature");
}

#[test]
fn an_attestation_naming_the_asset_by_sha512_alone_verifies() {
    let w = World::new();
    w.release(&[]);
    let bundle = w
        .sigstore
        .attest_by_sha512(&w.asset, ASSET, &w.signer("owner/tool"));
    w.gh.attestation("owner/tool", &w.asset, &bundle, Stored::Inline);
    let out = w.case().args(["owner/tool"]).run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has("signature verified: attestation by ");
}

#[test]
fn a_keyless_signature_and_certificate_verify_through_the_logs_search() {
    // GoReleaser's checksums.txt.sig + checksums.txt.pem: no bundle, the
    // log entry is found by the file's digest.
    let w = World::new();
    let sums = format!("{}  {ASSET}\n", sha256_hex(&w.asset));
    let (sig, pem) =
        w.sigstore
            .sign_keyless(sums.as_bytes(), &w.signer("owner/tool"), Tamper::Nothing);
    w.release(&[
        ("checksums.txt", &sums),
        ("checksums.txt.sig", &sig),
        ("checksums.txt.pem", &pem),
    ]);
    w.gh.rekor(w.sigstore.log_entries());
    let out = w
        .case()
        .env("GITHUB_TOKEN", "secret")
        .args(["owner/tool"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!(
        "signature verified: keyless signature `checksums.txt.sig` of `checksums.txt` by {}, Rekor #",
        w.workflow()
    ));
    let search =
        w.gh.requests()
            .into_iter()
            .find(|r| r.path == "/api/v1/index/retrieve")
            .expect("searched");
    assert_eq!(search.method, "POST");
    assert_eq!(
        search.header("authorization"),
        None,
        "no token goes to the log"
    );
    let asked: serde_json::Value = serde_json::from_slice(&search.body).unwrap();
    assert_eq!(
        asked["hash"],
        format!("sha256:{}", sha256_hex(sums.as_bytes()))
    );
    // Unasked, the pair is left alone: no request to the log.
    let before = w.gh.requests().len();
    let out = Case::new(&w.gh).eget_stdout().args(["owner/tool"]).run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_lacks("keyless");
    assert!(w.gh.requests()[before..]
        .iter()
        .all(|r| !r.path.starts_with("/api/v1/")));

    // The asset's own pair, forged; and a pair the log does not hold.
    let w = World::new();
    let (sig, pem) =
        w.sigstore
            .sign_keyless(&w.asset, &w.signer("owner/tool"), Tamper::ForgedSignature);
    let sig_name = format!("{ASSET}.sig");
    let pem_name = format!("{ASSET}.pem");
    w.release(&[(&sig_name, &sig), (&pem_name, &pem)]);
    w.gh.rekor(w.sigstore.log_entries());
    let out = w.case().args(["owner/tool"]).run();
    refused(
        &out,
        &format!(
            "the keyless signature `{ASSET}.sig` does not verify: signature: it does not verify"
        ),
    );
    let w = World::new();
    let (sig, pem) = w
        .sigstore
        .sign_keyless(&w.asset, &w.signer("owner/tool"), Tamper::Nothing);
    w.release(&[(&sig_name, &sig), (&pem_name, &pem)]);
    let out = w.case().args(["owner/tool"]).run();
    out.code(5);
    assert!(
        out.error_line()
            .contains("no transparency log of the trusted root holds it"),
        "{}",
        out.error_line()
    );
}

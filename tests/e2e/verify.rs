//! sha256: printed, checked against the flag and the API's digest, and a
//! mismatch installs nothing and leaves an existing file alone.

use std::fs;

use jingyu_fake::{sha256_hex, FakeGitHub, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::tool_bytes;

fn one(digest: Option<&str>) -> (FakeGitHub, Vec<u8>) {
    let gh = FakeGitHub::start();
    let archive = tool_tar_gz("tool", "v1");
    gh.release(
        "o/tool",
        Release::new("v1").asset_with_digest("tool-linux-amd64.tar.gz", archive.clone(), digest),
    );
    (gh, archive)
}

#[test]
fn the_api_digest_verifies_the_download() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let out = Case::new(&gh).args(["o/tool"]).run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("verified against the release's digest");
}

#[test]
fn sha256_prints_the_hash_of_the_asset() {
    let (gh, archive) = one(None);
    let out = Case::new(&gh).args(["o/tool", "--sha256"]).run();
    out.success()
        .stdout_is(&format!("{}\ntool\n", sha256_hex(&archive)))
        .stderr_has("jingyu: warning: sha256 ")
        .stderr_has("is not verified: nothing in the release vouches for it");
}

#[test]
fn verify_sha256_accepts_the_right_hash() {
    let (gh, archive) = one(None);
    let out = Case::new(&gh)
        .args(["o/tool", "--verify-sha256", &sha256_hex(&archive)])
        .run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("verified against --verify-sha256");
}

#[test]
fn verify_sha256_mismatch_installs_nothing() {
    let (gh, archive) = one(None);
    let wrong = "ab".repeat(32);
    let case = Case::new(&gh).args(["o/tool", "--verify-sha256", &wrong]);
    fs::write(case.path("tool"), b"old").unwrap();
    let out = case.run();
    out.code(5);
    assert_eq!(out.error_line(), format!("jingyu: error: sha256 mismatch for `tool-linux-amd64.tar.gz`: expected {wrong} (--verify-sha256), got {}; nothing was installed", sha256_hex(&archive)));
    assert_eq!(out.file("tool"), b"old");
    assert_eq!(out.files(), ["tool"], "no temporary files are left");
}

#[test]
fn a_wrong_api_digest_is_a_mismatch() {
    let wrong = format!("sha256:{}", "cd".repeat(32));
    let (gh, _) = one(Some(&wrong));
    let out = Case::new(&gh).args(["o/tool"]).run();
    out.code(5).stderr_has("(the release's digest)");
    assert!(out.files().is_empty());
}

#[test]
fn a_malformed_verify_sha256_is_a_usage_error() {
    let (gh, _) = one(None);
    let out = Case::new(&gh)
        .args(["o/tool", "--verify-sha256", "xyz"])
        .run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: --verify-sha256 `xyz` is not a sha256: expected 64 hex digits"
    );
    assert_eq!(gh.requests().len(), 0, "nothing is fetched for a bad plan");
}

#[test]
fn verification_also_covers_bytes_after_the_archive() {
    // Trailing bytes after the tar end must still be hashed: a digest of the
    // whole file verifies, one of the tar alone would not.
    let gh = FakeGitHub::start();
    let mut archive = tool_tar_gz("tool", "v1");
    archive.extend_from_slice(&[0u8; 1000]);
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", archive),
    );
    let out = Case::new(&gh).args(["o/tool"]).run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("verified against the release's digest")
            .stderr_lacks("is not verified")
            .file("tool"),
        tool_bytes("v1")
    );
}

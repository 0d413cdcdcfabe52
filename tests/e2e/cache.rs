//! `--cache-dir`: verified downloads kept by sha256, so a rebuild with a
//! BuildKit cache mount downloads nothing; damaged entries are not trusted.

use std::fs;

use jingyu_fake::{sha256_hex, FakeGitHub, Host, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::tool_bytes;

#[test]
fn a_second_run_takes_the_asset_from_the_cache() {
    let gh = FakeGitHub::start();
    let archive = tool_tar_gz("tool", "v1");
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", archive.clone()),
    );
    let first = Case::new(&gh)
        .args(["o/tool", "--to", "a/"])
        .env("JINGYU_CACHE_DIR", "{dir}/cache")
        .run();
    first.success().stdout_is("a/tool\n");
    let entry = format!("cache/sha256-{}", sha256_hex(&archive));
    assert_eq!(first.file(&entry), archive);
    assert_eq!(gh.count(Host::Assets), 1);

    let case = Case::new(&gh).args(["o/tool", "--to", "b/", "--cache-dir", "{dir}/cache"]);
    fs::create_dir(case.path("cache")).unwrap();
    fs::copy(first.dir.join(&entry), case.path(&entry)).unwrap();
    let second = case.run();
    assert_eq!(
        second
            .success()
            .stdout_is("b/tool\n")
            .stderr_has("from the cache")
            .stderr_has("verified against the release's digest")
            .file("b/tool"),
        tool_bytes("v1")
    );
    assert_eq!(
        gh.count(Host::Assets),
        1,
        "the second run downloaded nothing"
    );
}

#[test]
fn a_damaged_cache_entry_is_replaced_by_a_download() {
    let gh = FakeGitHub::start();
    let archive = tool_tar_gz("tool", "v1");
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", archive.clone()),
    );
    let case = Case::new(&gh).args(["o/tool", "--cache-dir", "cache"]);
    let entry = format!("cache/sha256-{}", sha256_hex(&archive));
    fs::create_dir(case.path("cache")).unwrap();
    fs::write(case.path(&entry), b"tampered").unwrap();
    let out = case.run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1")
    );
    assert_eq!(
        out.file(&entry),
        archive,
        "the entry was rewritten from the verified download"
    );
    assert_eq!(gh.count(Host::Assets), 1);
}

#[test]
fn unverified_downloads_are_not_cached() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset_with_digest(
            "tool-linux-amd64.tar.gz",
            tool_tar_gz("tool", "v1"),
            None,
        ),
    );
    let out = Case::new(&gh)
        .args(["o/tool", "--cache-dir", "cache"])
        .run();
    out.success().stdout_is("tool\n");
    assert_eq!(
        out.files(),
        ["tool"],
        "nothing in the cache, no temporary file left"
    );
}

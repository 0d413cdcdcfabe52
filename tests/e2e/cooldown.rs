//! `--min-age`: releases of several ages; the latest old enough is taken, a
//! pinned tag too young fails, and so does a repository with nothing that old.

use std::fs;

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::tool_bytes;

const DAY: u64 = 86_400;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// RFC 3339 `days` ago.
fn ago(days: u64) -> String {
    jingyu_forge::utc(now() - days * DAY)
        .replace(' ', "T")
        .replace("TUTC", "Z")
}

/// v1.0 (30 days old), v1.1 (10), v1.2-rc (8, a pre-release), v1.2 (1).
fn aged() -> FakeGitHub {
    let gh = FakeGitHub::start();
    for (tag, days, pre) in [
        ("v1.0", 30, false),
        ("v1.1", 10, false),
        ("v1.2-rc", 8, true),
        ("v1.2", 1, false),
    ] {
        let r = Release::new(tag)
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", tag))
            .published(&ago(days));
        gh.release("owner/tool", if pre { r.prerelease() } else { r });
    }
    gh
}

#[test]
fn the_latest_is_the_newest_old_enough() {
    let gh = aged();
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--min-age", "7d"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has("from owner/tool v1.1");
    let out = Case::new(&gh)
        .eget_stdout()
        .env("JINGYU_MIN_AGE", "36h")
        .args(["owner/tool"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--min-age", "7d", "--pre-release"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.2-rc"));
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--min-age", "12h"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.2"));
}

#[test]
fn a_tag_too_young_or_nothing_old_enough_fails_with_nothing_written() {
    let gh = aged();
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--min-age", "7d", "--tag", "v1.2"])
        .run();
    out.code(3);
    let line = out.error_line();
    assert!(
        line.starts_with("jingyu: error: release `v1.2` of `owner/tool` was published ")
            && line.contains(
                " (1d ago): newer than --min-age 7d allows; pin an older tag or lower --min-age"
            ),
        "{line}"
    );
    assert!(out.files().is_empty(), "{:?}", out.files());
    // An older pin passes.
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--min-age", "7d", "--tag", "v1.0"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.0"));
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--min-age", "60d"])
        .run();
    out.code(3);
    let line = out.error_line();
    assert!(
        line.starts_with("jingyu: error: `owner/tool` has no release older than --min-age 60d; the newest is `v1.2` of "),
        "{line}"
    );
    assert!(out.files().is_empty());
}

#[test]
fn a_manifest_locks_the_release_its_min_age_allows() {
    let gh = aged();
    let case = Case::new(&gh).unset("JINGYU_SYSTEM").eget_stdout();
    fs::write(
        case.path("jingyu.toml"),
        "[defaults]\nplatforms = [\"linux/amd64\"]\n[tools.\"owner/tool\"]\nmin_age = \"7d\"\n",
    )
    .unwrap();
    let out = case.args(["lock"]).run();
    out.success();
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    assert!(lock.contains("tag = \"v1.1\""), "{lock}");
}

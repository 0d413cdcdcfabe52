//! --dry-run, --download-only, --source, --all, --file, --remove, --rate,
//! --upgrade-only.

use std::fs;

use jingyu_fake::{FakeGitHub, Host, Release};

use crate::archives::{elf, tar_gz, tool_tar_gz};
use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn dry_run_prints_name_and_url_and_downloads_nothing() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "--dry-run"]).run();
    let url = gh.asset_url("owner/tool", "v1.1", "tool-v1.1-linux-amd64.tar.gz");
    out.success()
        .stdout_is(&format!("tool-v1.1-linux-amd64.tar.gz\t{url}\n"));
    assert!(out.files().is_empty());
    assert_eq!(gh.count(Host::Assets), 0);
}

#[test]
fn dry_run_verbose_explains_each_step() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args([
            "owner/tool",
            "--dry-run",
            "--verbose",
            "--system",
            "linux/arm64",
        ])
        .run();
    let asset = "tool-v1.1-linux-arm64.tar.gz";
    out.success()
        .stdout_is(&format!(
            "{asset}\t{}\n",
            gh.asset_url("owner/tool", "v1.1", asset)
        ))
        .stderr_has("platform linux/arm64, from --system")
        .stderr_has("installable: kept")
        .stderr_has("dropped checksums.txt: a checksum file")
        .stderr_has("dropped tool-v1.1-linux-amd64.tar.gz: for amd64");
}

#[test]
fn download_only_keeps_the_asset_whole() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "-d"]).run();
    out.success().stdout_is("tool-v1.1-linux-amd64.tar.gz\n");
    assert_eq!(
        out.file("tool-v1.1-linux-amd64.tar.gz"),
        tool_tar_gz("tool", "v1.1")
    );
}

#[test]
fn source_fetches_a_source_tarball_and_extracts_it_as_eget_does() {
    // eget: no release lookup; --tag's tarball, else the default branch's,
    // named REPO.tar.gz and extracted like any archive.
    let tree = |top: &str, body: &str| {
        let tool = format!("{top}/tool");
        let readme = format!("{top}/README.md");
        tar_gz(&[
            (tool.as_str(), 0o755, &elf(body)),
            (readme.as_str(), 0o644, b"read me"),
        ])
    };
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v2")
            .source(tree("o-tool-v2", "tool v2"))
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v2")),
    );
    gh.default_branch("o/tool", tree("o-tool-main", "tool main"));
    let out = Case::new(&gh).args(["o/tool", "--source"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        elf("tool main")
    );
    let out = Case::new(&gh)
        .args(["o/tool", "--source", "--tag", "v2"])
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        elf("tool v2")
    );
    let out = Case::new(&gh).args(["o/tool", "--source", "-d"]).run();
    out.success().stdout_is("tool.tar.gz\n");
    assert_eq!(out.file("tool.tar.gz"), tree("o-tool-main", "tool main"));
    let out = Case::new(&gh)
        .args(["o/tool", "--source", "--all", "--to", "src/"])
        .run();
    out.success().stdout_is("src/tool\n");
    assert!(
        !gh.requests().iter().any(|r| r.path.contains("/releases")),
        "no release is looked up"
    );
}

#[test]
fn file_globs_and_all_extract_more_than_the_binary() {
    let gh = FakeGitHub::start();
    let bin = elf("pkg");
    let archive = tar_gz(&[
        ("pkg-1/bin/pkg", 0o755, &bin),
        ("pkg-1/share/pkg.conf", 0o644, b"x=1"),
        ("pkg-1/README.md", 0o644, b"hi"),
    ]);
    gh.release(
        "o/pkg",
        Release::new("v1").asset("pkg-linux-amd64.tar.gz", archive),
    );
    let out = Case::new(&gh).args(["o/pkg", "--file", "*.conf"]).run();
    out.success().stdout_is("pkg.conf\n");
    assert_eq!(out.mode("pkg.conf"), 0o644);
    // eget's --all: every candidate (here the one executable), flattened.
    let out = Case::new(&gh).args(["o/pkg", "--all", "--to", "all"]).run();
    out.success().stdout_is("all/pkg\n");
    // --all --file: every match.
    let out = Case::new(&gh)
        .args(["o/pkg", "--all", "--file", "*.*", "--to", "some/"])
        .run();
    out.success().stdout_is("some/pkg.conf\nsome/README.md\n");
    // --tree: the whole archive with its layout.
    let out = Case::new(&gh)
        .args(["o/pkg", "--tree", "--to", "opt"])
        .run();
    out.success()
        .stdout_is("opt/bin/pkg\nopt/share/pkg.conf\nopt/README.md\n");
    assert_eq!(
        out.files(),
        ["opt/README.md", "opt/bin/pkg", "opt/share/pkg.conf"]
    );
    assert_eq!(out.mode("opt/bin/pkg"), 0o755);
    assert_eq!(out.file("opt/bin/pkg"), bin);
}

#[test]
fn remove_deletes_the_installed_binary() {
    let case = Case::offline().args(["owner/tool", "-r"]);
    fs::write(case.path("tool"), b"x").unwrap();
    let out = case.run();
    out.success().stdout_is("tool\n");
    assert!(out.files().is_empty());
    let out = Case::offline().args(["owner/tool", "--remove"]).run();
    out.code(3).stderr_has("cannot read `tool`");
    // `--to DIR` (no trailing slash) names the directory, not the file.
    let case = Case::offline().args(["owner/tool", "-r", "--to", "bin"]);
    fs::create_dir(case.path("bin")).unwrap();
    fs::write(case.path("bin/tool"), b"x").unwrap();
    fs::write(case.path("bin/other"), b"y").unwrap();
    let out = case.run();
    out.success().stdout_is(
        "bin/tool
",
    );
    assert_eq!(out.files(), ["bin/other"]);
}

#[test]
fn rate_prints_the_limits() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["--rate"]).run();
    out.success()
        .stdout_is("Limit: 60, Remaining: 59, Reset: 2025-11-28 17:02:03 +0000 UTC\n");
}

#[test]
fn upgrade_only_skips_a_current_binary_and_fetches_an_old_one() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1")
            .published("2020-01-01T00:00:00Z")
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let case = Case::new(&gh).args(["o/tool", "--upgrade-only"]);
    fs::write(case.path("tool"), b"current").unwrap();
    let out = case.run();
    out.success().stdout_is("").stderr_has("is up to date");
    assert_eq!(out.file("tool"), b"current");
    assert_eq!(gh.count(Host::Assets), 0);

    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v2")
            .published("2099-01-01T00:00:00Z")
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v2")),
    );
    let case = Case::new(&gh).args(["o/tool", "--upgrade-only"]);
    fs::write(case.path("tool"), b"old").unwrap();
    assert_eq!(
        case.run().success().stdout_is("tool\n").file("tool"),
        tool_bytes("v2")
    );
}

#[test]
fn upgrade_only_skips_after_jingyu_installed_the_release() {
    // Installed files carry the install time, as eget's do: the next
    // --upgrade-only run sees them as newer than the release and skips.
    // (The archive's entries say 2023: a file stamped with that would look
    // older than this 2024 release for ever.)
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1")
            .published("2024-06-01T00:00:00Z")
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let first = Case::new(&gh).args(["o/tool", "--upgrade-only"]).run();
    first.success().stdout_is("tool\n");
    let dir = first.dir.clone();
    let again = std::process::Command::new(crate::harness::jingyu_bin())
        .args(["o/tool", "--upgrade-only"])
        .env_clear()
        .env("GITHUB_API_URL", gh.api_url())
        .env("JINGYU_SYSTEM", "linux/amd64")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(again.status.success(), "{again:?}");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("is up to date"),
        "{again:?}"
    );
    assert_eq!(
        gh.count(Host::Assets),
        1,
        "the second run downloads nothing"
    );
}

#[test]
fn conflicting_flags_are_usage_errors() {
    for (args, message) in [
        (
            &["o/r", "--tree", "--file", "x"][..],
            "--tree takes the whole archive, so --all and --file do not apply",
        ),
        (
            &["o/r", "-d", "--all"][..],
            "--download-only keeps the archive whole, so --all, --tree and --file do not apply",
        ),
        (
            &["o/r", "--all", "--to", "-"][..],
            "--all and --tree write several files, so --to cannot be - (stdout)",
        ),
        (
            &["o/r@v1", "--tag", "v2"][..],
            "the target says tag `v1` but --tag says `v2`: give one",
        ),
        (
            &["o/r", "--max-size", "lots"][..],
            "--max-size `lots` is not a size: use bytes or a number with K, M, G or T",
        ),
    ] {
        let out = Case::offline().args(args).run();
        out.code(2);
        assert_eq!(
            out.error_line(),
            format!("jingyu: error: {message}"),
            "{args:?}"
        );
    }
}

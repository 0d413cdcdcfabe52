//! Targets other than owner/repo: github.com URLs, direct URLs, local files,
//! and what is none of these.

use std::fs;

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::{elf, tool_tar_gz};
use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn a_github_url_is_a_repo() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["https://github.com/owner/tool"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.1")
    );
    let out = Case::new(&gh)
        .args(["https://github.com/owner/tool/releases/tag/v1.0"])
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.0")
    );
}

#[test]
fn a_direct_url_is_downloaded_and_unpacked() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let url = gh.asset_url("o/tool", "v1", "tool-linux-amd64.tar.gz");
    let out = Case::new(&gh).args([url.as_str(), "--to", "bin/"]).run();
    assert_eq!(
        out.success().stdout_is("bin/tool\n").file("bin/tool"),
        tool_bytes("v1")
    );
    let out = Case::new(&gh)
        .args([format!("{url}?x=1").as_str(), "--dry-run"])
        .run();
    out.success()
        .stdout_is(&format!("tool-linux-amd64.tar.gz\t{url}?x=1\n"));
}

#[test]
fn a_missing_direct_url_is_an_http_error() {
    let gh = FakeGitHub::start();
    let url = format!("{}/nothing.tar.gz", gh.assets_url());
    let out = Case::new(&gh).args([url.as_str()]).run();
    out.code(6);
    assert_eq!(
        out.error_line(),
        format!("jingyu: error: {url} answered HTTP 404")
    );
}

#[test]
fn a_local_archive_is_unpacked_and_hashed() {
    let case = Case::offline().args(["tool-linux-amd64.tar.gz", "--to", "out/", "--sha256"]);
    let archive = tool_tar_gz("tool", "local");
    fs::write(case.path("tool-linux-amd64.tar.gz"), &archive).unwrap();
    let out = case.run();
    out.success().stdout_is(&format!(
        "{}\nout/tool\n",
        jingyu_fake::sha256_hex(&archive)
    ));
    assert_eq!(out.file("out/tool"), tool_bytes("local"));
}

#[test]
fn a_local_bare_file_is_installed_executable() {
    let case = Case::offline().args(["prog.bin", "--to", "out/"]);
    fs::write(case.path("prog.bin"), elf("prog")).unwrap();
    let out = case.run();
    out.success().stdout_is("out/prog.bin\n");
    assert_eq!(out.mode("out/prog.bin"), 0o755);
}

#[test]
fn a_target_that_is_nothing_known_is_a_usage_error() {
    let out = Case::offline().args(["just-a-word"]).run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: `just-a-word` is not owner/repo (group/project on GitLab), a URL or an existing file"
    );
    let out = Case::offline()
        .args(["o/r", "--tag", "a", "--tag", "b"])
        .run();
    out.code(2);
}

#[test]
fn repo_only_flags_are_refused_for_urls() {
    let out = Case::offline()
        .args(["https://example.com/x.tar.gz", "--tag", "v1"])
        .run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: --tag applies only to a repository target (owner/repo)"
    );
}

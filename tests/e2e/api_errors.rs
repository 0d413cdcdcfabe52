//! Each API failure gets a specific, actionable message and its exit code.

use jingyu_fake::{FakeGitHub, Release, Reply};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn unknown_repo() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/nothing"]).run();
    out.code(3);
    assert_eq!(out.error_line(), "jingyu: error: no repository `owner/nothing` on GitHub; check the spelling, or set GITHUB_TOKEN if it is private");
}

#[test]
fn unknown_tag_lists_tags_that_exist() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "--tag", "v9"]).run();
    out.code(3);
    assert_eq!(
        out.error_line(),
        "jingyu: error: no release with tag `v9` in `owner/tool`; recent tags: `v1.1`, `v1.0`"
    );
}

#[test]
fn only_prereleases_suggests_the_flag() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/beta",
        Release::new("v0.1-beta")
            .prerelease()
            .asset("beta-linux-amd64.tar.gz", tool_tar_gz("beta", "b")),
    );
    let out = Case::new(&gh).args(["o/beta"]).run();
    out.code(3);
    assert_eq!(out.error_line(), "jingyu: error: `o/beta` has no stable release; recent tags: `v0.1-beta`; they are pre-releases: add --pre-release");
}

#[test]
fn rate_limited_without_and_with_a_token() {
    let gh = two_releases();
    gh.rate_limited(1_764_349_323);
    let out = Case::new(&gh).args(["owner/tool"]).run();
    out.code(6);
    assert_eq!(out.error_line(), "jingyu: error: GitHub API rate limit exceeded; it resets at 2025-11-28 17:02:03 UTC; set GITHUB_TOKEN to raise the limit from 60 to 5000 requests an hour");
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("GITHUB_TOKEN", "t0k3n")
        .run();
    out.code(6);
    assert_eq!(out.error_line(), "jingyu: error: GitHub API rate limit exceeded; it resets at 2025-11-28 17:02:03 UTC; the token's hourly quota is spent");
    assert_eq!(
        gh.requests().len(),
        2,
        "a rate limit is not retried blindly"
    );
}

#[test]
fn a_rejected_token_names_its_variable_but_not_its_value() {
    let gh = two_releases();
    gh.require_token("the-right-one");
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("GH_TOKEN", "the-wrong-one")
        .run();
    out.code(6).stderr_lacks("the-wrong-one");
    assert_eq!(out.error_line(), "jingyu: error: GitHub rejected the token (from GH_TOKEN) as bad credentials; renew it or unset it");
}

#[test]
fn server_errors_are_retried_then_succeed() {
    let gh = two_releases();
    gh.script(
        "/repos/owner/tool/releases/latest",
        vec![Reply::status(500), Reply::status(502)],
    );
    let out = Case::new(&gh).args(["owner/tool"]).run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("HTTP 500; retrying")
            .stderr_has("HTTP 502; retrying")
            .file("tool"),
        tool_bytes("v1.1")
    );
}

#[test]
fn a_json_answer_that_is_not_github_is_an_http_error() {
    let gh = two_releases();
    gh.script(
        "/repos/owner/tool/releases/latest",
        vec![Reply::bytes(200, b"<html>proxy login</html>".to_vec())],
    );
    let out = Case::new(&gh).args(["owner/tool"]).run();
    out.code(6)
        .stderr_has("/repos/owner/tool/releases/latest did not answer with the JSON expected");
}

#[test]
fn an_unreachable_api_is_a_network_error() {
    let out = Case::offline()
        .args(["owner/tool"])
        .env("JINGYU_SYSTEM", "linux/amd64")
        .run();
    out.code(6)
        .stderr_has("cannot fetch http://127.0.0.1:9/repos/owner/tool/releases/latest");
}

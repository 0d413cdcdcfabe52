//! The token: sent to the API host only, never to the asset host, never printed.

use std::fs;

use jingyu_fake::{FakeGitHub, Host, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::tool_bytes;

const SECRET: &str = "ghp_secret_value_123";

fn private_repo() -> FakeGitHub {
    let gh = FakeGitHub::start();
    gh.release(
        "o/private",
        Release::new("v1").asset("private-linux-amd64.tar.gz", tool_tar_gz("private", "v1")),
    );
    gh.private("o/private", SECRET);
    gh
}

#[track_caller]
fn assert_token_only_on_the_api(gh: &FakeGitHub) {
    let requests = gh.requests();
    let api: Vec<_> = requests.iter().filter(|r| r.host == Host::Api).collect();
    let assets: Vec<_> = requests.iter().filter(|r| r.host == Host::Assets).collect();
    assert!(!api.is_empty() && !assets.is_empty(), "{requests:?}");
    for r in api {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {SECRET}").as_str()),
            "API request {} lacks the token",
            r.path
        );
    }
    for r in assets {
        assert_eq!(
            r.header("authorization"),
            None,
            "asset host got a token on {}",
            r.path
        );
        assert!(
            r.headers.iter().all(|(_, v)| !v.contains(SECRET)),
            "asset host saw the secret: {:?}",
            r.headers
        );
    }
}

#[test]
fn a_private_repo_downloads_through_the_api_and_the_redirect_drops_the_token() {
    for var in [
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "EGET_GITHUB_TOKEN",
        "JINGYU_GITHUB_TOKEN",
    ] {
        let gh = private_repo();
        let out = Case::new(&gh)
            .args(["o/private", "--verbose"])
            .env(var, SECRET)
            .run();
        assert_eq!(
            out.success().file("private"),
            crate::archives::elf("private v1"),
            "{var}"
        );
        assert_token_only_on_the_api(&gh);
        assert!(
            !out.stderr().contains(SECRET) && !out.stdout_text().contains(SECRET),
            "{var}: the token leaked into output"
        );
        let asset_request = gh
            .requests()
            .into_iter()
            .find(|r| r.path.contains("/releases/assets/"))
            .expect("the asset API URL was used");
        assert_eq!(
            asset_request.header("accept"),
            Some("application/octet-stream")
        );
    }
}

#[test]
fn a_token_can_come_from_a_file() {
    let gh = private_repo();
    let case = Case::new(&gh)
        .args(["o/private"])
        .env("GITHUB_TOKEN", "@{dir}/token.txt");
    fs::write(case.path("token.txt"), format!("{SECRET}\n")).unwrap();
    case.run().success().stdout_is("private\n");
    assert_token_only_on_the_api(&gh);
}

#[test]
fn without_a_token_a_private_repo_is_not_found_with_a_hint() {
    let gh = private_repo();
    let out = Case::new(&gh).args(["o/private"]).run();
    out.code(3);
    assert_eq!(out.error_line(), "jingyu: error: no repository `o/private` on GitHub; check the spelling, or set GITHUB_TOKEN if it is private");
}

#[test]
fn public_downloads_never_carry_the_token() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let out = Case::new(&gh)
        .args(["o/tool"])
        .env("GITHUB_TOKEN", SECRET)
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1")
    );
    assert_token_only_on_the_api(&gh);
}

#[test]
fn disable_ssl_refuses_to_send_the_token() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let out = Case::new(&gh)
        .args(["o/tool", "-k"])
        .env("GITHUB_TOKEN", SECRET)
        .run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("the GitHub token is not sent over unverified connections");
    assert!(gh
        .requests()
        .iter()
        .all(|r| r.header("authorization").is_none()));
}

#[test]
fn a_direct_url_never_gets_the_token() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    let url = gh.asset_url("o/tool", "v1", "tool-linux-amd64.tar.gz");
    let out = Case::new(&gh)
        .args([url.as_str()])
        .env("GITHUB_TOKEN", SECRET)
        .run();
    out.success().stdout_is("tool\n");
    assert!(gh
        .requests()
        .iter()
        .all(|r| r.header("authorization").is_none()));
}

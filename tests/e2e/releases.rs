//! Which release is fetched: latest, pinned, eget's "contains" fallback, pre-releases.

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn latest_release_is_installed_in_the_current_directory() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool"]).run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("picked `tool-v1.1-linux-amd64.tar.gz` from owner/tool v1.1 for linux/amd64");
    assert_eq!(out.file("tool"), tool_bytes("v1.1"));
    assert_eq!(out.mode("tool"), 0o755);
    assert_eq!(out.files(), ["tool"], "nothing else is left behind");
}

#[test]
fn a_pinned_tag_is_installed() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "--tag", "v1.0"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.0")
    );
    let out = Case::new(&gh).args(["owner/tool@v1.0"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.0")
    );
}

#[test]
fn a_tag_that_is_not_exact_takes_the_newest_release_containing_it() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "-t", "1.0"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.0")
    );
    let tags: Vec<String> = gh.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        tags.iter()
            .any(|p| p == "/repos/owner/tool/releases/tags/1.0"),
        "{tags:?}"
    );
    assert!(
        tags.iter()
            .any(|p| p.starts_with("/repos/owner/tool/releases?per_page=100")),
        "{tags:?}"
    );
}

#[test]
fn pre_releases_only_with_the_flag_and_drafts_never() {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1.0").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1.0")),
    );
    gh.release(
        "o/tool",
        Release::new("v2.0-rc1")
            .prerelease()
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v2.0-rc1")),
    );
    gh.release(
        "o/tool",
        Release::new("v3.0")
            .draft()
            .asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v3.0")),
    );
    let stable = Case::new(&gh).args(["o/tool"]).run();
    assert_eq!(
        stable.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.0")
    );
    let pre = Case::new(&gh).args(["o/tool", "--pre-release"]).run();
    assert_eq!(
        pre.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v2.0-rc1")
    );
}

#[test]
fn another_platform_gets_its_own_asset() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "--system", "linux/arm64"])
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.1 arm64")
    );
}

#[test]
fn a_zip_asset_and_a_bare_executable_install_too() {
    let gh = FakeGitHub::start();
    let bin = crate::archives::elf("zipped");
    gh.release(
        "o/zipped",
        Release::new("v1").asset(
            "zipped_1_linux_x86_64.zip",
            crate::archives::zip(&[("zipped", 0o755, &bin), ("LICENSE", 0o644, b"MIT")]),
        ),
    );
    let out = Case::new(&gh).args(["o/zipped"]).run();
    assert_eq!(out.success().stdout_is("zipped\n").file("zipped"), bin);
    assert_eq!(out.files(), ["zipped"], "the spooled zip is gone");

    let raw = crate::archives::elf("jq");
    gh.release(
        "jqlang/jq",
        Release::new("jq-1.8")
            .asset("jq-linux-amd64", raw.clone())
            .asset("jq-linux-arm64", b"\x7fELFarm".to_vec())
            .asset("jq-macos-arm64", b"mach".to_vec()),
    );
    let out = Case::new(&gh).args(["jqlang/jq"]).run();
    assert_eq!(out.success().stdout_is("jq\n").file("jq"), raw);
    assert_eq!(out.mode("jq"), 0o755);
}

#[test]
fn several_executables_pick_the_one_named_like_the_repo() {
    let gh = FakeGitHub::start();
    let main = crate::archives::elf("main");
    let helper = crate::archives::elf("helper");
    let archive = crate::archives::tar_gz(&[
        ("dist/helper", 0o755, &helper),
        ("dist/multi", 0o755, &main),
    ]);
    gh.release(
        "o/multi",
        Release::new("v1").asset("multi-linux-amd64.tar.gz", archive),
    );
    let out = Case::new(&gh).args(["o/multi"]).run();
    assert_eq!(out.success().stdout_is("multi\n").file("multi"), main);
    assert_eq!(out.files(), ["multi"]);
}

#[test]
fn the_tag_fallback_prefers_a_stable_match_as_eget_does() {
    // eget's FindMatch skips pre-releases unless --pre-release is given.
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1.2.0").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1.2.0")),
    );
    gh.release(
        "o/tool",
        Release::new("v1.2.1-rc.1").prerelease().asset(
            "tool-linux-amd64.tar.gz",
            tool_tar_gz("tool", "v1.2.1-rc.1"),
        ),
    );
    let out = Case::new(&gh).args(["o/tool", "--tag", "1.2"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.2.0")
    );
    let out = Case::new(&gh)
        .args(["o/tool", "--tag", "1.2", "--pre-release"])
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.2.1-rc.1")
    );
}

//! GitLab (nested groups), Gitea/Forgejo and GitHub Enterprise: the same
//! install, pick, verification and errors as on GitHub, against fakes shaped
//! like each forge's API; every token reaches its own forge's origin and
//! nothing else.

use jingyu_fake::{sha256_hex, FakeForge, FakeGitHub, Host, Release};

use crate::archives::{elf, tool_tar_gz};
use crate::harness::{Case, Outcome};

const GL_PATH: &str = "group/sub/tool";
const SECRET: &str = "glpat-secret-123";

/// `group/sub/tool`: v1.0, v1.1 (latest, with a checksums file) and v2.0-rc
/// (an upcoming release); each has a linux/amd64 and a linux/arm64 tar.gz.
fn releases() -> Vec<Release> {
    ["v1.0", "v1.1", "v2.0-rc"]
        .into_iter()
        .map(|tag| {
            let amd64 = tool_tar_gz("tool", tag);
            let sums = format!("{}  tool-linux-amd64.tar.gz\n", sha256_hex(&amd64));
            let r = Release::new(tag)
                .asset("tool-linux-amd64.tar.gz", amd64)
                .asset(
                    "tool-linux-arm64.tar.gz",
                    tool_tar_gz("tool", &format!("{tag} arm64")),
                )
                .asset("checksums.txt", sums);
            if tag.contains("rc") {
                r.prerelease()
            } else {
                r
            }
        })
        .collect()
}

fn gitlab() -> FakeForge {
    let gl = FakeForge::gitlab();
    for r in releases() {
        gl.release(GL_PATH, r);
    }
    gl
}

fn gitea() -> FakeForge {
    let tea = FakeForge::gitea();
    for r in releases() {
        tea.release("owner/tool", r);
    }
    tea
}

fn on_gitlab(gl: &FakeForge) -> Case {
    Case::offline()
        .env("GITLAB_API_URL", &gl.api_url())
        .env("JINGYU_SYSTEM", "linux/amd64")
        .eget_stdout()
}

fn on_gitea(tea: &FakeForge) -> Case {
    Case::offline()
        .env("GITEA_API_URL", &tea.api_url())
        .env("JINGYU_SYSTEM", "linux/amd64")
        .eget_stdout()
}

fn host(f: &FakeForge) -> String {
    f.url().trim_start_matches("http://").to_owned()
}

#[track_caller]
fn installed(out: &Outcome, tag: &str) {
    assert_eq!(
        out.success().file("tool"),
        elf(&format!("tool {tag}")),
        "{tag}"
    );
}

#[test]
fn gitlab_latest_in_a_nested_group_installs_and_verifies() {
    let gl = gitlab();
    let out = on_gitlab(&gl).args(["gitlab.com/group/sub/tool"]).run();
    installed(&out, "v1.1");
    out.stderr_has("verified against `checksums.txt`");
    let paths: Vec<String> = gl.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths
            .iter()
            .any(|p| p == "/api/v4/projects/group%2Fsub%2Ftool/releases/permalink/latest"),
        "{paths:?}"
    );
    // The permanent direct_asset_url, then the package, then the object store.
    assert!(
        paths
            .iter()
            .any(|p| p == "/group/sub/tool/-/releases/v1.1/downloads/tool-linux-amd64.tar.gz"),
        "{paths:?}"
    );
    assert!(
        gl.requests().iter().any(|r| r.host == Host::Assets),
        "{paths:?}"
    );
}

#[test]
fn gitlab_tags_upcoming_releases_and_the_web_url_forms() {
    let gl = gitlab();
    installed(
        &on_gitlab(&gl)
            .args(["gitlab.com/group/sub/tool", "--tag", "v1.0"])
            .run(),
        "v1.0",
    );
    installed(
        &on_gitlab(&gl)
            .args(["gitlab.com/group/sub/tool@v1.0"])
            .run(),
        "v1.0",
    );
    let url = format!("{}/group/sub/tool/-/releases/v1.0", gl.url());
    installed(&on_gitlab(&gl).args([url.as_str()]).run(), "v1.0");
    // eget's "contains" fallback: `1.0` is no tag, v1.0 contains it.
    installed(
        &on_gitlab(&gl)
            .args(["gitlab.com/group/sub/tool", "--tag", "1.0"])
            .run(),
        "v1.0",
    );
    installed(
        &on_gitlab(&gl)
            .args(["gitlab.com/group/sub/tool", "--pre-release"])
            .run(),
        "v2.0-rc",
    );
    // A bare path with --forge (or JINGYU_FORGE) is on GitLab's API too.
    installed(
        &on_gitlab(&gl)
            .args(["group/sub/tool", "--forge", "gitlab"])
            .run(),
        "v1.1",
    );
    installed(
        &on_gitlab(&gl)
            .env("JINGYU_FORGE", "gitlab")
            .args(["group/sub/tool"])
            .run(),
        "v1.1",
    );
}

#[test]
fn gitlab_follows_pages_to_an_old_tag() {
    let gl = FakeForge::gitlab();
    for i in 0..7 {
        gl.release(
            "g/tool",
            Release::new(&format!("v0.{i}")).asset(
                "tool-linux-amd64.tar.gz",
                tool_tar_gz("tool", &format!("v0.{i}")),
            ),
        );
    }
    gl.page_size(2);
    // `0.0` is on the fourth page of two.
    installed(
        &on_gitlab(&gl)
            .args(["gitlab.com/g/tool", "--tag", "0.0"])
            .run(),
        "v0.0",
    );
    let pages = gl
        .requests()
        .iter()
        .filter(|r| r.path.contains("/releases?"))
        .count();
    assert_eq!(
        pages,
        4,
        "{:?}",
        gl.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}

#[test]
fn gitlab_private_projects_take_the_token_to_the_instance_only() {
    for (var, header) in [
        ("GITLAB_TOKEN", "private-token"),
        ("CI_JOB_TOKEN", "job-token"),
    ] {
        let gl = gitlab();
        gl.private(GL_PATH, SECRET);
        let out = on_gitlab(&gl)
            .env(var, SECRET)
            .env("GITHUB_TOKEN", "ghp-not-for-gitlab")
            .args(["gitlab.com/group/sub/tool"])
            .run();
        installed(&out, "v1.1");
        assert!(!out.stderr().contains(SECRET), "{var}: the token leaked");
        for r in gl.requests() {
            match r.host {
                Host::Api => {
                    assert_eq!(r.header(header), Some(SECRET), "{var}: {} lacks it", r.path);
                }
                _ => assert!(
                    r.headers.iter().all(|(_, v)| !v.contains(SECRET)),
                    "{var}: the object store saw it"
                ),
            }
            assert!(
                r.headers.iter().all(|(_, v)| !v.contains("ghp-not")),
                "the GitHub token went to GitLab"
            );
        }
        // With a token the package URL (the API's) is fetched, not the web page.
        assert!(
            gl.requests()
                .iter()
                .any(|r| r.path.contains("/packages/generic/")),
            "{var}"
        );
    }
}

#[test]
fn gitlab_misses_and_limits_name_the_forge_and_what_to_set() {
    let gl = gitlab();
    gl.private(GL_PATH, SECRET);
    let out = on_gitlab(&gl).args(["gitlab.com/group/sub/tool"]).run();
    out.code(3);
    assert_eq!(
        out.error_line(),
        format!("jingyu: error: no project `group/sub/tool` on {}; check the spelling, or set GITLAB_TOKEN if it is private", host(&gl))
    );
    assert!(out.files().is_empty(), "{:?}", out.files());
    let gl = gitlab();
    let out = on_gitlab(&gl)
        .args(["gitlab.com/group/sub/tool", "--tag", "v9"])
        .run();
    out.code(3);
    assert_eq!(
        out.error_line(),
        "jingyu: error: no release with tag `v9` in `group/sub/tool`; recent tags: `v2.0-rc`, `v1.1`, `v1.0`"
    );
    gl.rate_limited(1_764_349_323);
    let out = on_gitlab(&gl).args(["gitlab.com/group/sub/tool"]).run();
    out.code(6);
    assert_eq!(
        out.error_line(),
        format!("jingyu: error: {} API rate limit exceeded; it resets at 2025-11-28 17:02:03 UTC; set GITLAB_TOKEN to raise the limit", host(&gl))
    );
    let gl = gitlab();
    gl.require_token("right");
    let out = on_gitlab(&gl)
        .env("GITLAB_TOKEN", "wrong")
        .args(["gitlab.com/group/sub/tool"])
        .run();
    out.code(6);
    assert_eq!(
        out.error_line(),
        format!("jingyu: error: {} rejected the token (from GITLAB_TOKEN) as bad credentials; renew it or unset it", host(&gl))
    );
}

#[test]
fn gitlab_dry_run_all_file_and_source() {
    let gl = gitlab();
    let out = on_gitlab(&gl)
        .args(["gitlab.com/group/sub/tool", "--dry-run"])
        .run();
    out.success().stdout_is(&format!(
        "tool-linux-amd64.tar.gz\t{}/group/sub/tool/-/releases/v1.1/downloads/tool-linux-amd64.tar.gz\n",
        gl.url()
    ));
    let out = on_gitlab(&gl)
        .args([
            "gitlab.com/group/sub/tool",
            "--system",
            "linux/arm64",
            "--file",
            "README.md",
        ])
        .run();
    assert_eq!(out.success().file("README.md"), b"# readme");
    gl.release("g/src", Release::new("v3").source(tool_tar_gz("src", "v3")));
    let out = on_gitlab(&gl)
        .args(["gitlab.com/g/src", "--source", "--tag", "v3", "-d"])
        .run();
    assert_eq!(out.success().file("src.tar.gz"), tool_tar_gz("src", "v3"));
}

#[test]
fn gitea_latest_tag_prerelease_and_pages() {
    let tea = gitea();
    installed(
        &on_gitea(&tea).args(["codeberg.org/owner/tool"]).run(),
        "v1.1",
    );
    installed(
        &on_gitea(&tea)
            .args(["codeberg.org/owner/tool", "--tag", "v1.0"])
            .run(),
        "v1.0",
    );
    installed(
        &on_gitea(&tea)
            .args(["codeberg.org/owner/tool/releases/tag/v1.0"])
            .run(),
        "v1.0",
    );
    installed(
        &on_gitea(&tea)
            .args(["codeberg.org/owner/tool", "--pre-release"])
            .run(),
        "v2.0-rc",
    );
    // Any host with --forge: its own /api/v1.
    let url = format!("{}/owner/tool", tea.url());
    let out = Case::offline()
        .env("JINGYU_SYSTEM", "linux/amd64")
        .eget_stdout()
        .args([url.as_str(), "--forge", "forgejo"])
        .run();
    installed(&out, "v1.1");
    out.stderr_has("verified against `checksums.txt`");
    tea.page_size(1);
    installed(
        &on_gitea(&tea)
            .args(["codeberg.org/owner/tool", "--tag", "1.0"])
            .run(),
        "v1.0",
    );
    assert!(
        tea.requests()
            .iter()
            .any(|r| r.path.contains("/releases?limit=50&page=3")),
        "{:?}",
        tea.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}

#[test]
fn gitea_private_repositories_and_errors() {
    for var in ["GITEA_TOKEN", "FORGEJO_TOKEN"] {
        let tea = gitea();
        tea.private("owner/tool", SECRET);
        let out = on_gitea(&tea)
            .env(var, SECRET)
            .args(["codeberg.org/owner/tool"])
            .run();
        installed(&out, "v1.1");
        let want = format!("token {SECRET}");
        for r in tea.requests() {
            match r.host {
                Host::Api => assert_eq!(
                    r.header("authorization"),
                    Some(want.as_str()),
                    "{var}: {}",
                    r.path
                ),
                _ => assert_eq!(
                    r.header("authorization"),
                    None,
                    "{var}: the object store got the token"
                ),
            }
        }
    }
    let tea = gitea();
    let out = on_gitea(&tea).args(["codeberg.org/owner/nothing"]).run();
    out.code(3);
    assert_eq!(
        out.error_line(),
        format!("jingyu: error: no repository `owner/nothing` on {}; check the spelling, or set GITEA_TOKEN if it is private", host(&tea))
    );
    tea.rate_limited(1_764_349_323);
    on_gitea(&tea)
        .args(["codeberg.org/owner/tool"])
        .run()
        .code(6)
        .stderr_has("API rate limit exceeded");
}

#[test]
fn github_enterprise_is_reached_through_api_v3() {
    let gh = FakeGitHub::start();
    gh.release(
        "team/tool",
        Release::new("v1.1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1.1")),
    );
    let url = format!("{}/team/tool", gh.api_url());
    let out = Case::offline()
        .env("JINGYU_SYSTEM", "linux/amd64")
        .eget_stdout()
        .env("GITHUB_TOKEN", "ghe-token")
        .args([url.as_str(), "--forge", "github"])
        .run();
    installed(&out, "v1.1");
    let api: Vec<_> = gh
        .requests()
        .into_iter()
        .filter(|r| r.host == Host::Api)
        .collect();
    assert!(
        api.iter()
            .any(|r| r.path == "/api/v3/repos/team/tool/releases/latest"),
        "{api:?}"
    );
    assert!(api
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer ghe-token")));
    assert!(gh
        .requests()
        .iter()
        .filter(|r| r.host == Host::Assets)
        .all(|r| r.header("authorization").is_none()));
}

#[test]
fn a_manifest_locks_gitlab_and_gitea_tools_and_installs_them_without_the_api() {
    let (gl, tea) = (gitlab(), FakeForge::gitea());
    tea.release(
        "owner/other",
        Release::new("v1.1").asset("other-linux-amd64.tar.gz", tool_tar_gz("other", "v1.1")),
    );
    let text = "[defaults]\nplatforms = [\"linux/amd64\"]\nto = \"out/\"\n[tools.\"gitlab.com/group/sub/tool\"]\ntag = \"v1.0\"\n[tools.\"codeberg.org/owner/other\"]\ntag = \"v1.1\"\n";
    let case = || {
        let c = Case::offline()
            .env("GITLAB_API_URL", &gl.api_url())
            .env("GITEA_API_URL", &tea.api_url())
            .unset("JINGYU_PRINT_PATHS");
        std::fs::write(c.path("jingyu.toml"), text).unwrap();
        c
    };
    let out = case().args(["lock"]).run();
    out.success();
    let lock = std::fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    assert!(
        lock.contains("forge = \"gitlab\"\ntag = \"v1.0\""),
        "{lock}"
    );
    assert!(lock.contains("forge = \"gitea\"\ntag = \"v1.1\""), "{lock}");
    let (gl_before, tea_before) = (gl.requests().len(), tea.requests().len());
    let c = case();
    std::fs::write(c.path("jingyu.lock"), &lock).unwrap();
    let out = c
        .args(["install", "--locked", "--system", "linux/amd64"])
        .run();
    let table = out.success().stdout_text();
    assert!(table.contains("gitlab.com/group/sub/tool  v1.0"), "{table}");
    assert!(table.contains("codeberg.org/owner/other   v1.1"), "{table}");
    assert_eq!(out.file("out/tool"), elf("tool v1.0"));
    assert_eq!(out.file("out/other"), elf("other v1.1"));
    for (f, before) in [(&gl, gl_before), (&tea, tea_before)] {
        let api: Vec<String> = f.requests()[before..]
            .iter()
            .filter(|r| r.path.contains("/api/") && !r.path.contains("/packages/"))
            .map(|r| r.path.clone())
            .collect();
        assert!(api.is_empty(), "a locked install asked the API: {api:?}");
    }
}

//! Many tools from a manifest: `jingyu install` (parallel, a table, failures
//! counted), `jingyu lock` (every platform, one release lookup per tool) and
//! `jingyu install --locked` (no API request at all).

use std::fs;

use jingyu_fake::archive::{bzip2, elf_for, gzip, tar, xz, zip};
use jingyu_fake::{sha256_hex, FakeGitHub, Host, Release, Reply};

use crate::harness::Case;

const AMD64: u16 = 62;
const AARCH64: u16 = 183;

fn prog(name: &str, machine: u16) -> Vec<u8> {
    elf_for(machine, &format!("program {name}"))
}

/// Eight tools, one per format, each for linux/amd64 and linux/arm64
/// (`t-bare` for amd64 only).
/// Packs a program named like the tool into an asset.
type Pack = fn(&str, &[u8]) -> Vec<u8>;

fn serve() -> FakeGitHub {
    let gh = FakeGitHub::start();
    let formats: [(&str, &str, Pack); 8] = [
        ("t-gz", "tar.gz", |n, b| gzip(&tar(&[(n, 0o755, b)]))),
        ("t-xz", "tar.xz", |n, b| xz(&tar(&[(n, 0o755, b)]))),
        ("t-bz", "tar.bz2", |n, b| bzip2(&tar(&[(n, 0o755, b)]))),
        ("t-tar", "tar", |n, b| tar(&[(n, 0o755, b)])),
        ("t-zip", "zip", |n, b| zip(&[(n, 0o755, b)])),
        ("t-gzone", "gz", |_, b| gzip(b)),
        ("t-dir", "tgz", |n, b| {
            gzip(&tar(&[
                (&format!("{n}-1.0/bin/{n}"), 0o755, b),
                (&format!("{n}-1.0/README.md"), 0o644, b"# r"),
            ]))
        }),
        ("t-bare", "", |_, b| b.to_vec()),
    ];
    for (name, ext, pack) in formats {
        let mut release = Release::new("v1");
        for (arch, machine) in [("amd64", AMD64), ("arm64", AARCH64)] {
            if name == "t-bare" && arch == "arm64" {
                continue;
            }
            let dot = if ext.is_empty() {
                String::new()
            } else {
                format!(".{ext}")
            };
            release = release.asset(
                &format!("{name}-linux-{arch}{dot}"),
                pack(name, &prog(&format!("{name} {arch}"), machine)),
            );
        }
        gh.release(&format!("o/{name}"), release);
    }
    gh
}

const NAMES: [&str; 8] = [
    "t-gz", "t-xz", "t-bz", "t-tar", "t-zip", "t-gzone", "t-dir", "t-bare",
];

fn manifest() -> String {
    use std::fmt::Write as _;
    let mut m =
        String::from("[defaults]\nto = \"out/\"\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\n");
    for n in NAMES {
        let _ = write!(m, "\n[tools.\"o/{n}\"]\ntag = \"v1\"\n");
    }
    m
}

fn with_manifest(gh: &FakeGitHub, text: &str) -> Case {
    let case = Case::new(gh).unset("JINGYU_SYSTEM").eget_stdout();
    fs::write(case.path("jingyu.toml"), text).unwrap();
    case
}

#[test]
fn a_manifest_installs_every_tool_in_parallel_with_a_table() {
    let gh = serve();
    let out = with_manifest(&gh, &manifest())
        .args(["install", "--jobs", "4", "--system", "linux/amd64"])
        .run();
    out.success();
    for n in NAMES {
        assert_eq!(
            out.file(&format!("out/{n}")),
            prog(&format!("{n} amd64"), AMD64),
            "{n}"
        );
    }
    let table = out.stdout_text();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 9, "a header and a row per tool:\n{table}");
    assert!(
        lines[0].starts_with("tool") && lines[0].contains("verified by"),
        "{table}"
    );
    assert!(
        table.contains("o/t-zip")
            && table.contains("t-zip-linux-amd64.zip")
            && table.contains("out/t-zip"),
        "{table}"
    );
    // Only the named ones, by repository name.
    let out = with_manifest(&gh, &manifest())
        .args(["install", "--system", "linux/amd64", "t-xz"])
        .run();
    out.success();
    assert_eq!(out.stdout_text().lines().count(), 2);
    assert!(out.dir.join("out/t-xz").exists() && !out.dir.join("out/t-gz").exists());
}

#[test]
fn a_failing_tool_does_not_stop_the_others() {
    let gh = serve();
    let text = format!("{}\n[tools.\"o/missing\"]\ntag = \"v1\"\n", manifest());
    let out = with_manifest(&gh, &text)
        .args(["install", "--system", "linux/amd64"])
        .run();
    out.code(3)
        .stderr_has("jingyu: warning: o/missing failed: ");
    assert!(out.stdout_text().contains("FAILED"));
    assert_eq!(out.error_line(), "jingyu: error: 1 of the 9 tools of the manifest failed: o/missing; the others are done (see the warnings above)");
    assert!(out.dir.join("out/t-bare").exists());
}

#[test]
fn lock_writes_every_platform_with_one_release_lookup_per_tool() {
    let gh = serve();
    let out = with_manifest(&gh, &manifest()).args(["lock"]).run();
    out.success().stderr_has("wrote jingyu.lock (16 entries)");
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    let api: Vec<String> = gh
        .requests()
        .iter()
        .filter(|r| r.host == Host::Api)
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        api.len(),
        NAMES.len(),
        "one API request per tool, not per platform: {api:?}"
    );
    assert_eq!(
        gh.count(Host::Assets),
        0,
        "digests from the API: no download"
    );
    let arm = gzip(&tar(&[("t-gz", 0o755, &prog("t-gz arm64", AARCH64))]));
    assert!(
        lock.contains(&format!("sha256 = \"{}\"", sha256_hex(&arm))),
        "{lock}"
    );
    assert!(
        lock.contains("asset = \"t-gz-linux-arm64.tar.gz\""),
        "{lock}"
    );
    assert!(
        lock.contains(
            "tool = \"o/t-bare\"\nplatform = \"linux/arm64\"\ninputs = \"tag=v1\"\nnone = "
        ),
        "{lock}"
    );
    // Three platforms (the manifest's are overridden): still one lookup per tool.
    let out = with_manifest(&gh, &manifest())
        .args([
            "lock",
            "--platform",
            "linux/amd64",
            "--platform",
            "linux/arm64",
            "--platform",
            "darwin/arm64",
        ])
        .run();
    out.success().stderr_has("wrote jingyu.lock (24 entries)");
    let three = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    assert_eq!(
        three
            .matches("platform = \"darwin/arm64\"\ninputs = \"tag=v1\"\nnone = ")
            .count(),
        8,
        "{three}"
    );
    assert_eq!(
        gh.requests().iter().filter(|r| r.host == Host::Api).count(),
        2 * NAMES.len()
    );
    // Stable, and --check agrees.
    let again = with_manifest(&gh, &manifest());
    fs::write(again.path("jingyu.lock"), &lock).unwrap();
    let out = again.args(["lock", "--check"]).run();
    out.success();
}

/// A directory holding the manifest and its lock for both platforms.
fn locked(gh: &FakeGitHub, text: &str) -> Case {
    let out = with_manifest(gh, text).args(["lock"]).run();
    out.success();
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    let case = with_manifest(gh, text);
    fs::write(case.path("jingyu.lock"), lock).unwrap();
    case
}

#[test]
fn a_locked_install_asks_no_api_and_checks_every_byte() {
    let gh = serve();
    let case = locked(&gh, &manifest());
    let before = gh.count(Host::Api);
    let out = case
        .args(["install", "--locked"])
        .env("TARGETPLATFORM", "linux/arm64")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .run();
    out.code(2)
        .stderr_has("o/t-bare on linux/arm64: the lock says there is nothing to install: ");
    assert_eq!(gh.count(Host::Api), before, "no API request");
    assert_eq!(out.file("out/t-zip"), prog("t-zip arm64", AARCH64));
    assert!(
        out.stdout_text()
            .contains("jingyu.lock (the release's digest)"),
        "{}",
        out.stdout_text()
    );
    // A tampered asset is refused, and nothing of it installed.
    let case = locked(&gh, &manifest());
    gh.script(
        &FakeGitHub::download_path("o/t-xz", "v1", "t-xz-linux-amd64.tar.xz"),
        vec![Reply::bytes(200, xz(&tar(&[("t-xz", 0o755, b"evil")])))],
    );
    let out = case
        .args(["install", "--locked", "--system", "linux/amd64"])
        .run();
    out.code(5).stderr_has("o/t-xz failed: sha256 mismatch");
    assert!(
        out.stdout_text().contains("o/t-xz     -"),
        "{}",
        out.stdout_text()
    );
    assert!(!out.dir.join("out/t-xz").exists());
    assert!(out.dir.join("out/t-gz").exists());
}

#[test]
fn a_locked_rebuild_with_a_cache_downloads_nothing() {
    let gh = serve();
    let case = locked(&gh, &manifest());
    let cache = case.path("cache");
    let args = [
        "install",
        "--locked",
        "--system",
        "linux/amd64",
        "--cache-dir",
        cache.to_str().unwrap(),
    ];
    let dir = case.dir.0.clone();
    let out = case.args(args).run();
    out.success();
    assert!(!out.stdout_text().is_empty());
    let downloads = gh.count(Host::Assets);
    let again = Case::new(&gh).unset("JINGYU_SYSTEM").eget_stdout().cwd("");
    for f in ["jingyu.toml", "jingyu.lock"] {
        fs::copy(dir.join(f), again.path(f)).unwrap();
    }
    let out = again.args(args).run();
    out.success().stderr_lacks("failed");
    assert!(out.stdout_text().contains("out/t-zip"));
    assert_eq!(
        gh.count(Host::Assets),
        downloads,
        "every asset came from the cache"
    );
}

#[test]
fn a_stale_lock_is_named_and_caught_by_check() {
    let gh = serve();
    let case = locked(&gh, &manifest());
    let moved = manifest().replacen("tag = \"v1\"", "tag = \"v1\"\nasset = [\"linux\"]", 1);
    fs::write(case.path("jingyu.toml"), &moved).unwrap();
    let lock = fs::read_to_string(case.path("jingyu.lock")).unwrap();
    let out = case
        .args(["install", "--locked", "--system", "linux/amd64", "t-gz"])
        .run();
    out.code(2);
    assert!(out.stdout_text().contains("FAILED"));
    assert_eq!(out.error_line(), "jingyu: error: 1 of the 1 tools of the manifest failed: o/t-gz; the others are done (see the warnings above)");
    out.stderr_has("jingyu.lock is stale for o/t-gz: the manifest says `asset=linux tag=v1`, the lock was made from `tag=v1`; run `jingyu lock`");
    let case = with_manifest(&gh, &moved);
    fs::write(case.path("jingyu.lock"), lock).unwrap();
    let out = case.args(["lock", "--check"]).run();
    out.code(2);
    assert!(
        out.error_line()
            .contains("jingyu.lock is not what `jingyu lock` would write now"),
        "{}",
        out.error_line()
    );
}

#[test]
fn manifest_mistakes_are_usage_errors_with_file_and_line() {
    let gh = serve();
    let out = with_manifest(&gh, "[tools.\"o/t-gz\"]\ntagg = \"v1\"\n")
        .args(["install"])
        .run();
    out.code(2);
    assert!(
        out.error_line()
            .starts_with("jingyu: error: jingyu.toml:2: unknown key `tagg`"),
        "{}",
        out.error_line()
    );
    let out = Case::new(&gh).args(["install"]).run();
    out.code(2);
    assert!(
        out.error_line()
            .starts_with("jingyu: error: cannot read the manifest `jingyu.toml`"),
        "{}",
        out.error_line()
    );
    let out = with_manifest(&gh, &manifest())
        .args(["install", "nope"])
        .run();
    out.code(2);
    assert!(
        out.error_line()
            .contains("`nope` is not a tool of jingyu.toml"),
        "{}",
        out.error_line()
    );
    assert_eq!(gh.requests().len(), 0);
}

#[test]
fn on_a_terminal_each_tool_has_a_live_line() {
    let gh = serve();
    let case = with_manifest(&gh, &manifest());
    let shown = crate::progress::on_a_terminal(&gh.api_url(), &case.path(""), "install --jobs 2");
    for n in NAMES {
        assert!(shown.contains(&format!("o/{n}  waiting")), "{n}: {shown:?}");
        assert!(
            shown.contains(&format!(
                "o/{n} v1: out/{n} (verified by the release's digest)"
            )),
            "{n}: {shown:?}"
        );
    }
    assert!(
        shown.contains("\u{1b}[8A\r\u{1b}[K"),
        "lines are redrawn in place: {shown:?}"
    );
    assert!(
        shown.contains("tool  ") && shown.contains("installed"),
        "the table follows: {shown:?}"
    );
}

#[test]
fn lock_takes_a_checksums_file_else_hashes_the_bytes_and_says_so() {
    let gh = FakeGitHub::start();
    let summed = gzip(&tar(&[("summed", 0o755, &prog("summed", AMD64))]));
    let sums = format!("{}  summed-linux-amd64.tar.gz\n", sha256_hex(&summed));
    gh.release(
        "o/summed",
        Release::new("v1")
            .asset_with_digest("summed-linux-amd64.tar.gz", summed.clone(), None)
            .asset("SHA256SUMS", sums),
    );
    let bare = gzip(&tar(&[("bare", 0o755, &prog("bare", AMD64))]));
    gh.release(
        "o/bare",
        Release::new("v1").asset_with_digest("bare-linux-amd64.tar.gz", bare.clone(), None),
    );
    let text = "[defaults]\nplatforms = [\"linux/amd64\"]\n[tools.\"o/summed\"]\ntag = \"v1\"\n[tools.\"o/bare\"]\ntag = \"v1\"\n";
    let out = with_manifest(&gh, text).args(["lock"]).run();
    out.success().stderr_has(
        "`bare-linux-amd64.tar.gz` has no digest or checksums file: downloading it to hash it",
    );
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    assert!(
        lock.contains(&format!(
            "sha256 = \"{}\"\nsha256_from = \"`SHA256SUMS`\"",
            sha256_hex(&summed)
        )),
        "{lock}"
    );
    assert!(
        lock.contains(&format!(
            "sha256 = \"{}\"\nsha256_from = \"hashed by jingyu lock\"",
            sha256_hex(&bare)
        )),
        "{lock}"
    );
    let fetched: Vec<String> = gh
        .requests()
        .iter()
        .filter(|r| r.host == Host::Assets)
        .map(|r| r.path.clone())
        .collect();
    assert!(
        !fetched
            .iter()
            .any(|p| p.ends_with("summed-linux-amd64.tar.gz")),
        "the summed asset is not downloaded: {fetched:?}"
    );
}

#[test]
fn a_private_repository_locks_and_installs_with_its_token_only_at_the_api() {
    let gh = serve();
    gh.private("o/t-gz", "tok");
    let text = "[defaults]\nplatforms = [\"linux/amd64\"]\nto = \"out/\"\n[tools.\"o/t-gz\"]\ntag = \"v1\"\n";
    let out = with_manifest(&gh, text)
        .env("GITHUB_TOKEN", "tok")
        .args(["lock"])
        .run();
    out.success();
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    assert!(
        lock.contains("credential_origin = \"http://127.0.0.1:"),
        "{lock}"
    );
    assert!(!lock.contains("tok\""), "no token in the lock: {lock}");
    let case = with_manifest(&gh, text).env("GITHUB_TOKEN", "tok");
    fs::write(case.path("jingyu.lock"), &lock).unwrap();
    let before = gh.requests().len();
    let out = case
        .args(["install", "--locked", "--system", "linux/amd64"])
        .run();
    out.success();
    assert!(out.stdout_text().contains("out/t-gz"));
    let after = gh.requests();
    let new = &after[before..];
    assert!(
        new.iter()
            .all(|r| !r.path.contains("/releases/tags") && !r.path.ends_with("/latest")),
        "no release lookup: {new:?}"
    );
    for r in new.iter().filter(|r| r.host == Host::Assets) {
        assert_eq!(
            r.header("authorization"),
            None,
            "the token never reaches the asset host"
        );
    }
}

#[test]
fn lock_exports_json_bake_variables_and_add_checksum_lines() {
    let gh = serve();
    let out = with_manifest(&gh, &manifest())
        .args(["lock", "--format", "json"])
        .run();
    out.success();
    let json: serde_json::Value = serde_json::from_str(&out.stdout_text()).expect("valid JSON");
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 16);
    let arm = gzip(&tar(&[("t-gz", 0o755, &prog("t-gz arm64", AARCH64))]));
    let gz_arm = entries
        .iter()
        .find(|e| e["tool"] == "o/t-gz" && e["platform"] == "linux/arm64")
        .unwrap();
    assert_eq!(gz_arm["sha256"], sha256_hex(&arm).as_str());
    assert!(
        !out.dir.join("jingyu.lock").exists(),
        "an export writes no lock"
    );
    let out = with_manifest(&gh, &manifest())
        .args(["lock", "--format", "bake"])
        .run();
    out.success();
    let body: hcl::Body = hcl::from_str(&out.stdout_text()).expect("valid HCL");
    let var = |name: &str| {
        body.blocks()
            .find(|b| {
                b.identifier() == "variable"
                    && b.labels().first().is_some_and(|l| l.as_str() == name)
            })
            .and_then(|b| b.body().attributes().find(|a| a.key() == "default"))
            .map(|a| a.expr().to_string())
    };
    assert_eq!(
        var("T_GZ_SHA256_LINUX_ARM64"),
        Some(format!("\"{}\"", sha256_hex(&arm)))
    );
    assert_eq!(var("T_GZ_VERSION"), Some("\"v1\"".to_owned()));
    let out = with_manifest(&gh, &manifest())
        .args(["lock", "--format", "dockerfile"])
        .run();
    out.success();
    let d = out.stdout_text();
    assert!(
        d.contains(&format!(
            "ADD --checksum=sha256:{} {}",
            sha256_hex(&arm),
            gh.asset_url("o/t-gz", "v1", "t-gz-linux-arm64.tar.gz")
        )),
        "{d}"
    );
    assert!(
        d.contains("--chmod=0755") && d.contains("/usr/local/bin/t-bare"),
        "{d}"
    );
    let out = with_manifest(&gh, &manifest())
        .args(["lock", "--format", "yaml"])
        .run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: --format `yaml` is not one of toml, json, bake, dockerfile"
    );
}

#[test]
fn every_platform_of_a_locked_manifest_in_one_run() {
    let gh = serve();
    let text = manifest().replace("to = \"out/\"", "to = \"out/{platform}/\"");
    let case = locked(&gh, &text);
    let before = gh.count(Host::Api);
    let out = case
        .args([
            "install",
            "--locked",
            "--system",
            "linux/amd64,linux/arm64",
            "t-gz",
            "t-zip",
        ])
        .run();
    out.success();
    for (n, arch, machine) in [
        ("t-gz", "amd64", AMD64),
        ("t-gz", "arm64", AARCH64),
        ("t-zip", "amd64", AMD64),
        ("t-zip", "arm64", AARCH64),
    ] {
        assert_eq!(
            out.file(&format!("out/linux/{arch}/{n}")),
            prog(&format!("{n} {arch}"), machine)
        );
    }
    assert!(
        out.stdout_text().contains("o/t-zip (linux/arm64)"),
        "{}",
        out.stdout_text()
    );
    assert_eq!(gh.count(Host::Api), before);
}

#[test]
fn an_sbom_names_every_tool_and_file_and_validates() {
    let gh = serve();
    let case = with_manifest(&gh, &manifest()).env("SOURCE_DATE_EPOCH", "1700000000");
    let out = case
        .args([
            "install",
            "--system",
            "linux/amd64",
            "--sbom",
            "sbom.spdx.json",
            "t-gz",
            "t-dir",
        ])
        .run();
    out.success();
    assert!(!out.stdout_text().is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&out.file("sbom.spdx.json")).expect("JSON");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2);
    let gz = packages.iter().find(|p| p["name"] == "o/t-gz").unwrap();
    let asset = gzip(&tar(&[("t-gz", 0o755, &prog("t-gz amd64", AMD64))]));
    assert_eq!(
        gz["checksums"][0]["checksumValue"],
        sha256_hex(&asset).as_str()
    );
    assert_eq!(gz["versionInfo"], "v1");
    let comment = gz["comment"].as_str().unwrap();
    assert!(
        comment.starts_with(
            "sha256 verified by the release's digest, downloaded from http://127.0.0.1:"
        ),
        "{comment}"
    );
    let files = doc["files"].as_array().unwrap();
    let tool = files
        .iter()
        .find(|f| f["fileName"] == "./out/t-gz")
        .unwrap();
    assert_eq!(
        tool["checksums"][1]["checksumValue"],
        sha256_hex(&prog("t-gz amd64", AMD64)).as_str()
    );
    crate::spdx::valid(&out.dir.join("sbom.spdx.json"));
    // The CLI writes one too.
    let out = Case::new(&gh).args(["o/t-zip", "--sbom", "one.json"]).run();
    out.success().stdout_is("t-zip\n");
    crate::spdx::valid(&out.dir.join("one.json"));
}

#[test]
fn one_tool_failing_fast_never_takes_the_shared_destination_from_the_others() {
    use jingyu_fake::Fault;
    use std::time::Duration;
    let gh = serve();
    // t-gz fails at once (a corrupt download); the others arrive slowly, so
    // they are still writing below `out/` when it fails.
    gh.script(
        &FakeGitHub::download_path("o/t-gz", "v1", "t-gz-linux-amd64.tar.gz"),
        vec![Reply::bytes(200, b"not the asset".to_vec())],
    );
    for n in ["t-xz", "t-bz", "t-tar"] {
        let ext = match n {
            "t-xz" => "tar.xz",
            "t-bz" => "tar.bz2",
            _ => "tar",
        };
        let path =
            FakeGitHub::download_path(&format!("o/{n}"), "v1", &format!("{n}-linux-amd64.{ext}"));
        let pack: Pack = match n {
            "t-xz" => |n, b| xz(&tar(&[(n, 0o755, b)])),
            "t-bz" => |n, b| bzip2(&tar(&[(n, 0o755, b)])),
            _ => |n, b| tar(&[(n, 0o755, b)]),
        };
        let body = pack(n, &prog(&format!("{n} amd64"), AMD64));
        gh.script(
            &path,
            vec![Reply::bytes(200, body).fault(Fault::Trickle(64, Duration::from_millis(5)))],
        );
    }
    let text = "[defaults]\nto = \"out/\"\n[tools.\"o/t-gz\"]\ntag = \"v1\"\n[tools.\"o/t-xz\"]\ntag = \"v1\"\n[tools.\"o/t-bz\"]\ntag = \"v1\"\n[tools.\"o/t-tar\"]\ntag = \"v1\"\n";
    let out = with_manifest(&gh, text)
        .args(["install", "--system", "linux/amd64"])
        .run();
    out.code(7).stderr_has("o/t-gz failed: ");
    for n in ["t-xz", "t-bz", "t-tar"] {
        assert_eq!(
            out.file(&format!("out/{n}")),
            prog(&format!("{n} amd64"), AMD64),
            "{n}"
        );
    }
    assert!(out.stdout_text().contains("o/t-gz"), "the table");
    // When every tool fails, the directory made for the run goes too.
    let gh = serve();
    gh.script(
        &FakeGitHub::download_path("o/t-gz", "v1", "t-gz-linux-amd64.tar.gz"),
        vec![Reply::bytes(200, b"not the asset".to_vec())],
    );
    let out = with_manifest(
        &gh,
        "[defaults]\nto = \"out/\"\n[tools.\"o/t-gz\"]\ntag = \"v1\"\n",
    )
    .args(["install", "--system", "linux/amd64"])
    .run();
    out.code(7).stderr_has("o/t-gz failed: ");
    assert!(out.stdout_text().contains("FAILED"));
    assert!(
        !out.dir.join("out").exists(),
        "out/ was made for the run and removed"
    );
}

//! Where the expected sha256 comes from (flag, API digest, sidecar, checksums
//! file), that every source must agree, `--require-verified`, and the fixed
//! metadata installed files get.

use std::fs;
use std::os::unix::fs::MetadataExt;

use std::time::Duration;

use jingyu_fake::{sha256_hex, Event, FakeGitHub, Fault, Host, Release, Reply};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::tool_bytes;

const ASSET: &str = "tool-linux-amd64.tar.gz";

/// A release whose asset has no API digest, plus the given extra files.
fn release_with(extra: &[(&str, String)]) -> (FakeGitHub, String) {
    let gh = FakeGitHub::start();
    let archive = tool_tar_gz("tool", "v1");
    let hash = sha256_hex(&archive);
    let mut release = Release::new("v1").asset_with_digest(ASSET, archive, None);
    for (name, content) in extra {
        release = release.asset(name, content.replace("{hash}", &hash).into_bytes());
    }
    gh.release("o/tool", release);
    (gh, hash)
}

#[test]
fn each_checksum_file_form_verifies() {
    let sha512 = "f".repeat(128);
    let cases = [
        ("tool-linux-amd64.tar.gz.sha256", "{hash}\n".to_owned()),
        ("tool-linux-amd64.tar.gz.sha256sum", "{hash}  tool-linux-amd64.tar.gz\n".to_owned()),
        ("tool-linux-amd64.tar.gz.sha256.txt", "{hash} *tool-linux-amd64.tar.gz\n".to_owned()),
        ("checksums.txt", "0000000000000000000000000000000000000000000000000000000000000000  other.zip\n{hash}  tool-linux-amd64.tar.gz\n".to_owned()),
        ("SHA256SUMS", "{hash} *tool-linux-amd64.tar.gz\n".to_owned()),
        ("tool_1.0_checksums.txt", format!("{sha512}  tool-linux-amd64.tar.gz\n{{hash}}  tool-linux-amd64.tar.gz\n")),
        ("tool-1.0.sha256sums", "{hash}  ./dist/tool-linux-amd64.tar.gz\n".to_owned()),
    ];
    for (name, content) in cases {
        let (gh, _) = release_with(&[(name, content)]);
        let out = Case::new(&gh).args(["o/tool"]).run();
        assert_eq!(
            out.success()
                .stdout_is("tool\n")
                .stderr_has(&format!("verified against `{name}`"))
                .file("tool"),
            tool_bytes("v1"),
            "{name}"
        );
    }
}

#[test]
fn all_sources_are_checked_together() {
    let (gh, hash) = release_with(&[
        ("tool-linux-amd64.tar.gz.sha256", "{hash}\n".into()),
        ("checksums.txt", "{hash}  tool-linux-amd64.tar.gz\n".into()),
    ]);
    let out = Case::new(&gh)
        .args(["o/tool", "--verify-sha256", &hash])
        .run();
    out.success().stdout_is("tool\n").stderr_has(
        "verified against --verify-sha256 and `tool-linux-amd64.tar.gz.sha256` and `checksums.txt`",
    );
}

#[test]
fn a_source_that_disagrees_fails_even_when_another_agrees() {
    let wrong = "ee".repeat(32);
    for (name, content) in [
        ("tool-linux-amd64.tar.gz.sha256", format!("{wrong}\n")),
        (
            "checksums.txt",
            format!("{wrong}  tool-linux-amd64.tar.gz\n"),
        ),
    ] {
        let gh = FakeGitHub::start();
        let archive = tool_tar_gz("tool", "v1");
        // the API digest is right; the file is wrong
        gh.release(
            "o/tool",
            Release::new("v1")
                .asset(ASSET, archive.clone())
                .asset(name, content.into_bytes()),
        );
        let case = Case::new(&gh).args(["o/tool"]);
        fs::write(case.path("tool"), b"old").unwrap();
        let out = case.run();
        out.code(5);
        assert_eq!(out.error_line(), format!("jingyu: error: sha256 mismatch for `{ASSET}`: expected {wrong} (`{name}`), got {}; nothing was installed", sha256_hex(&archive)));
        assert_eq!(out.files(), ["tool"]);
        assert_eq!(out.file("tool"), b"old");
    }
}

#[test]
fn a_sidecar_without_a_hash_is_an_error() {
    let (gh, _) = release_with(&[("tool-linux-amd64.tar.gz.sha256", "not a hash\n".into())]);
    let out = Case::new(&gh).args(["o/tool"]).run();
    out.code(5);
    assert_eq!(out.error_line(), "jingyu: error: `tool-linux-amd64.tar.gz.sha256` holds no sha256 for `tool-linux-amd64.tar.gz`; nothing was installed");
}

#[test]
fn a_sums_file_that_does_not_list_the_asset_is_not_a_source() {
    let (gh, _) = release_with(&[(
        "checksums.txt",
        "0000000000000000000000000000000000000000000000000000000000000000  other.zip\n".into(),
    )]);
    let out = Case::new(&gh).args(["o/tool", "--verbose"]).run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("`checksums.txt` lists no sha256 for `tool-linux-amd64.tar.gz`")
        .stderr_has("is not verified");
}

#[test]
fn require_verified_refuses_an_unverifiable_download_before_fetching_it() {
    let (gh, _) = release_with(&[]);
    let out = Case::new(&gh).args(["o/tool", "--require-verified"]).run();
    out.code(5);
    assert_eq!(out.error_line(), "jingyu: error: `tool-linux-amd64.tar.gz` cannot be verified: the release has no digest, sidecar or checksums file for it, and --require-verified is set; pass --verify-sha256 HEX");
    assert_eq!(
        gh.count(jingyu_fake::Host::Assets),
        0,
        "nothing was downloaded"
    );
    let (gh, _) = release_with(&[("SHA256SUMS", "{hash}  tool-linux-amd64.tar.gz\n".into())]);
    Case::new(&gh)
        .args(["o/tool"])
        .env("JINGYU_REQUIRE_VERIFIED", "1")
        .run()
        .success()
        .stdout_is("tool\n");
}

/// The release of `release_with`, its checksums file (whose content is
/// given) sent so slowly (~0.5 s) that a client fetching it first would ask
/// for the asset only after its last byte.
fn slow_checksums(content: &str) -> (FakeGitHub, String) {
    let (gh, hash) = release_with(&[("checksums.txt", String::new())]);
    let path = FakeGitHub::download_path("o/tool", "v1", "checksums.txt");
    let body = content.replace("{hash}", &hash).into_bytes();
    let reply = Reply::bytes(200, body).fault(Fault::Trickle(8, Duration::from_millis(40)));
    gh.script(&path, vec![reply]);
    (gh, path)
}

#[test]
fn checksum_files_are_fetched_beside_the_asset_not_before_it() {
    let (gh, sums) = slow_checksums("{hash}  tool-linux-amd64.tar.gz\n");
    let out = Case::new(&gh).args(["o/tool"]).run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("verified against `checksums.txt`");
    let events = gh.events();
    let asset = FakeGitHub::download_path("o/tool", "v1", ASSET);
    let at = |e: &Event| {
        events
            .iter()
            .position(|x| x == e)
            .unwrap_or_else(|| panic!("no {e:?} in {events:?}"))
    };
    assert!(
        at(&Event::Arrived(Host::Assets, asset)) < at(&Event::Answered(Host::Assets, sums)),
        "the asset was asked for only after the checksums file: {events:?}"
    );
}

#[test]
fn a_checksums_file_that_disagrees_after_the_download_leaves_nothing() {
    let wrong = "ee".repeat(32);
    let (gh, _) = slow_checksums(&format!("{wrong}  tool-linux-amd64.tar.gz\n"));
    let case = Case::new(&gh).args(["o/tool"]);
    fs::write(case.path("tool"), b"old").unwrap();
    let out = case.run();
    out.code(5)
        .stderr_has(&format!("expected {wrong} (`checksums.txt`)"));
    assert_eq!(out.files(), ["tool"], "no staging file is left");
    assert_eq!(out.file("tool"), b"old");
    // A checksums file that cannot be fetched fails the install the same way.
    let (gh, _) = release_with(&[("checksums.txt", "{hash}  tool-linux-amd64.tar.gz\n".into())]);
    let path = FakeGitHub::download_path("o/tool", "v1", "checksums.txt");
    gh.script(&path, vec![Reply::status(404)]);
    let out = Case::new(&gh).args(["o/tool", "--retries", "0"]).run();
    out.code(6).stderr_has("checksums.txt");
    assert!(out.files().is_empty(), "{:?}", out.files());
}

#[test]
fn installed_files_get_fixed_modes_and_times() {
    let gh = FakeGitHub::start();
    let bin = crate::archives::elf("tool");
    let archive = crate::archives::tar_gz(&[("t/tool", 0o700, &bin), ("t/tool.conf", 0o666, b"x")]);
    gh.release("o/tool", Release::new("v1").asset(ASSET, archive));
    let out = Case::new(&gh).args(["o/tool", "--tree"]).run();
    out.success().stdout_is("tool\ntool.conf\n");
    let meta = |p: &str| fs::metadata(out.dir.join(p)).unwrap();
    // The archive's bits as eget writes them under a 022 umask, whatever the
    // umask: never writable by others.
    assert_eq!(
        (
            meta("tool").mode() & 0o7777,
            meta("tool.conf").mode() & 0o7777
        ),
        (0o700, 0o644)
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mtime = u64::try_from(meta("tool").mtime()).unwrap();
    assert!(
        mtime + 600 > now,
        "the install time, as eget leaves it, not the archive's 1700000000: {mtime}"
    );
    let out = Case::new(&gh)
        .args(["o/tool"])
        .env("SOURCE_DATE_EPOCH", "315532800")
        .run();
    out.success().stdout_is("tool\n");
    assert_eq!(
        fs::metadata(out.dir.join("tool")).unwrap().mtime(),
        315_532_800
    );
}

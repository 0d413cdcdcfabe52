//! Hostile values from every side, each once a crash or a wrong answer: an
//! archive's times, a server's headers and pace, flags and variables out of
//! range or not UTF-8, a checksums file that contradicts itself, a FIFO in the
//! cache, names with control characters. Each is a clear error with its exit
//! code (or, for values from a server or an archive, a clamp) and leaves
//! nothing on disk.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;
use std::time::{Duration, Instant};

use jingyu_fake::archive::{tar_items, Item};
use jingyu_fake::{sha256_hex, FakeGitHub, Fault, Host, Release, Reply};

use crate::archives::{elf, gzip, tar};
use crate::harness::{jingyu_bin, Case, Scratch};

const ASSET: &str = "tool-linux-amd64.tar.gz";

fn serve(bytes: Vec<u8>) -> FakeGitHub {
    let gh = FakeGitHub::start();
    gh.release("o/tool", Release::new("v1").asset(ASSET, bytes));
    gh
}

/// A tar holding `tool` with the raw mtime field `mtime` (octal or base-256).
fn tar_with_mtime(mtime: u64) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let bin = elf("tool");
    let mut h = tar::Header::new_gnu();
    h.set_size(bin.len() as u64);
    h.set_mode(0o755);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_path("tool").unwrap();
    // Base-256 (GNU) encoding: the tar crate would refuse values this large.
    let field = &mut h.as_gnu_mut().unwrap().mtime;
    field.fill(0);
    field[0] = 0x80;
    field[4..].copy_from_slice(&mtime.to_be_bytes());
    h.set_cksum();
    b.append(&h, &bin[..]).unwrap();
    b.into_inner().unwrap()
}

#[test]
fn an_archive_time_past_year_9999_is_ignored_not_fatal() {
    for mtime in [1 << 63, u64::MAX] {
        let gh = serve(gzip(&tar_with_mtime(mtime)));
        let out = Case::new(&gh).args(["o/tool"]).run();
        out.success().stdout_is("tool\n");
        assert_eq!(out.files(), ["tool"], "{mtime}");
        let age = fs::metadata(out.dir.join("tool"))
            .unwrap()
            .modified()
            .unwrap()
            .elapsed();
        assert!(
            age.is_ok_and(|a| a < Duration::from_secs(600)),
            "{mtime}: the install time, not the archive's"
        );
    }
}

#[test]
fn numbers_out_of_range_are_usage_errors() {
    let gh = serve(gzip(&tar(&[("tool", 0o755, &elf("tool"))])));
    let huge = u64::MAX.to_string();
    for (flag, want) in [
        (
            "--connect-timeout",
            "--connect-timeout `18446744073709551615` is too long: at most 86400 seconds",
        ),
        (
            "--read-timeout",
            "--read-timeout `18446744073709551615` is too long",
        ),
        (
            "--retry-max-time",
            "--retry-max-time `18446744073709551615` is too long",
        ),
        (
            "--max-time",
            "--max-time `18446744073709551615` is too long",
        ),
    ] {
        let out = Case::new(&gh).args(["o/tool", flag, &huge]).run();
        out.code(2).stderr_has(want).stdout_is("");
        assert_eq!(out.files(), Vec::<String>::new());
    }
    let out = Case::new(&gh)
        .args(["o/tool"])
        .env("SOURCE_DATE_EPOCH", &huge)
        .run();
    out.code(2).stderr_has(
        "SOURCE_DATE_EPOCH=`18446744073709551615` is not Unix seconds from 0 to 253402300799",
    );
    assert_eq!(out.files(), Vec::<String>::new());
    assert_eq!(gh.requests().len(), 0, "refused before any request");
}

#[test]
fn an_absurd_retry_after_is_clamped_not_a_crash() {
    let gh = serve(gzip(&tar(&[("tool", 0o755, &elf("tool"))])));
    let retry_after = Reply::status(500).header("retry-after", "18446744073709551615");
    gh.script(
        "/repos/o/tool/releases/latest",
        vec![Reply::status(500), Reply::status(500), retry_after],
    );
    let started = Instant::now();
    let out = Case::new(&gh)
        .args(["o/tool", "--retry-max-time", "30"])
        .run();
    // The clamped wait (a day) is beyond --retry-max-time: no retry, a clear error.
    out.code(6).stderr_has("answered HTTP 500");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.files(), Vec::<String>::new());
}

#[test]
fn arguments_and_variables_that_are_not_utf8_are_refused() {
    let dir = Scratch::new();
    let run = |arg: &[u8], env: Option<&[u8]>| {
        let mut cmd = Command::new(jingyu_bin());
        cmd.current_dir(&dir.0)
            .env_clear()
            .env("GITHUB_API_URL", "http://127.0.0.1:9");
        cmd.arg(OsStr::from_bytes(arg));
        if let Some(value) = env {
            cmd.env("JINGYU_TAG", OsStr::from_bytes(value));
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(b"o/\xff", None);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("argument 1 (`o/\u{fffd}`) is not valid UTF-8"),
        "{stderr}"
    );
    // Not silently unset: that would install the latest release.
    let (code, stderr) = run(b"o/tool", Some(b"v1\xff"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("JINGYU_TAG is not valid UTF-8"), "{stderr}");
    assert_eq!(fs::read_dir(&dir.0).unwrap().count(), 0);
}

#[test]
fn every_switch_variable_is_validated_alike() {
    for var in [
        "JINGYU_QUIET",
        "JINGYU_VERBOSE",
        "JINGYU_ALL",
        "JINGYU_DRY_RUN",
    ] {
        let out = Case::offline().args(["o/tool"]).env(var, "maybe").run();
        out.code(2)
            .stderr_has(&format!("{var}=`maybe` is not a yes/no value: use 1 or 0"));
    }
}

#[test]
fn values_that_can_never_make_a_url_fail_at_once() {
    let gh = serve(Vec::new());
    let long = "a".repeat(100_000);
    for (args, env, want) in [
        (
            vec!["o/tool", "--tag", "a b"],
            None,
            "--tag `a b` is not a git tag name: it holds white space",
        ),
        (
            vec!["o/tool", "--tag", &long],
            None,
            "is not a git tag name: longer than 255 bytes",
        ),
        (
            vec!["o/tool", "--tag", "v1..2"],
            None,
            "is not a git tag name",
        ),
        (
            vec!["o/tool"],
            Some("htp:/api"),
            "GITHUB_API_URL=`htp:/api` is not an http(s) URL with a host",
        ),
        (
            vec!["o/tool"],
            Some("https://"),
            "is not an http(s) URL with a host",
        ),
    ] {
        let mut case = Case::new(&gh).args(args);
        if let Some(url) = env {
            case = case.env("GITHUB_API_URL", url);
        }
        let started = Instant::now();
        let out = case.run();
        out.code(2).stderr_has(want);
        assert!(
            out.stderr().len() < 400 && out.stderr().lines().count() == 1,
            "one short line: {}",
            out.stderr()
        );
        assert!(started.elapsed() < Duration::from_secs(2), "no retries");
    }
    assert_eq!(gh.requests().len(), 0);
}

#[test]
fn a_checksums_file_that_contradicts_itself_is_a_mismatch() {
    let archive = gzip(&tar(&[("tool", 0o755, &elf("tool"))]));
    let good = sha256_hex(&archive);
    let other = "0".repeat(64);
    let sums = format!("{good}  {ASSET}\n{other}  {ASSET}\n");
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1")
            .asset_with_digest(ASSET, archive, None)
            .asset("checksums.txt", sums),
    );
    let out = Case::new(&gh).args(["o/tool", "--to", "new/"]).run();
    out.code(5).stderr_has(&format!(
        "sha256 mismatch for `{ASSET}`: expected {other} (`checksums.txt`), got {good}"
    ));
    assert_eq!(out.files(), Vec::<String>::new());
    assert!(
        !out.dir.join("new").exists(),
        "the directory made for --to is removed again"
    );
}

#[test]
fn the_cache_never_hangs_on_a_fifo_and_drops_abandoned_copies() {
    let archive = gzip(&tar(&[("tool", 0o755, &elf("tool"))]));
    let sha = sha256_hex(&archive);
    let gh = serve(archive);
    let case = Case::new(&gh).args(["o/tool", "--cache-dir", "cache"]);
    fs::create_dir(case.path("cache")).unwrap();
    let fifo = case.path(&format!("cache/sha256-{sha}"));
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    fs::write(
        case.path("cache/.jingyu-1-dead.tmp"),
        "partial copy of a killed run",
    )
    .unwrap();
    let started = Instant::now();
    let out = case.run();
    out.success().stdout_is("tool\n");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        out.files(),
        ["cache/sha256-".to_owned() + &sha, "tool".to_owned()]
    );
    assert!(
        fs::symlink_metadata(out.dir.join(format!("cache/sha256-{sha}")))
            .unwrap()
            .is_file()
    );
}

#[test]
fn a_trickle_cannot_outlive_max_time_or_the_speed_limit() {
    // Incompressible, so the archive stays about 64 KiB: half a minute at the
    // trickle's 2,000 bytes a second.
    let mut bin = elf("tool");
    bin.extend((0..64u32 << 10).map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0]));
    let archive = gzip(&tar(&[("tool", 0o755, &bin)]));
    let path = FakeGitHub::download_path("o/tool", "v1", ASSET);
    for (args, want) in [
        (
            ["--max-time", "2", "--speed-limit", "0"],
            "--max-time 2s ran out before the download finished",
        ),
        (
            ["--speed-limit", "4096", "--speed-time", "1"],
            "below --speed-limit 4096 bytes/s",
        ),
    ] {
        let gh = serve(archive.clone());
        gh.script(
            &path,
            vec![Reply::bytes(200, archive.clone())
                .fault(Fault::Trickle(200, Duration::from_millis(100)))],
        );
        let started = Instant::now();
        let out = Case::new(&gh)
            .args(["o/tool", "--read-timeout", "2", "--retries", "0"])
            .args(args)
            .run();
        out.code(6).stderr_has(want);
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(out.files(), Vec::<String>::new());
    }
}

#[test]
fn control_characters_in_names_never_reach_the_terminal_raw() {
    let name = "tool-linux-amd64\u{1b}[2J\n.tar.gz";
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset(name, gzip(&tar(&[("tool", 0o755, &elf("tool"))]))),
    );
    let out = Case::new(&gh).args(["o/tool", "--dry-run"]).run();
    out.success()
        .stderr_has("tool-linux-amd64\\u{1b}[2J\\n.tar.gz");
    assert!(!out.stderr().contains('\u{1b}'), "{}", out.stderr());
    assert_eq!(out.stdout_text().lines().count(), 1, "one record on stdout");
    assert!(!out.stdout_text().contains('\u{1b}'));
}

#[test]
fn stdout_spools_elsewhere_when_the_working_directory_is_read_only() {
    let gh = serve(gzip(&tar(&[("tool", 0o755, &elf("tool"))])));
    let case = Case::new(&gh).args(["o/tool", "--to", "-"]).unprivileged();
    fs::create_dir(case.path("ro")).unwrap();
    let case = case.cwd("ro");
    fs::set_permissions(
        case.path("ro"),
        std::os::unix::fs::PermissionsExt::from_mode(0o555),
    )
    .unwrap();
    let out = case.run();
    assert_eq!(out.success().stdout(), elf("tool"));
    assert_eq!(gh.count(Host::Assets), 1);
}

#[test]
fn a_tar_link_name_with_a_newline_is_not_installed() {
    let gh = serve(tar_items(&[
        Item::File("pkg/tool", 0o755, &elf("tool")),
        Item::Symlink("pkg/a\nb", "tool"),
    ]));
    let out = Case::new(&gh)
        .args(["o/tool", "--tree", "--to", "out/"])
        .run();
    out.code(7)
        .stderr_has("`a\\nb`: the name holds a control character");
    assert_eq!(out.files(), Vec::<String>::new());
}

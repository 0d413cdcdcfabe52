//! A flaky network: dropped connections resume (or restart) with the hash
//! intact, 429 waits for Retry-After, stalls time out, truncated bodies and
//! killed runs leave nothing half-written behind.

use std::fs;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use jingyu_fake::{FakeGitHub, Fault, Host, Release, Reply};

use crate::archives::{elf, gzip, tar};
use crate::harness::Case;

const ASSET: &str = "tool-linux-amd64.tar.gz";

/// A release with a ~1 MiB asset, and its path on the asset host.
fn big_release() -> (FakeGitHub, Vec<u8>, Vec<u8>, String) {
    let mut bin = elf("big");
    bin.extend((0..1_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0]));
    let archive = gzip(&tar(&[("tool", 0o755, &bin)]));
    let gh = FakeGitHub::start();
    gh.release("o/tool", Release::new("v1").asset(ASSET, archive.clone()));
    (
        gh,
        bin,
        archive,
        FakeGitHub::download_path("o/tool", "v1", ASSET),
    )
}

#[test]
fn a_dropped_download_resumes_with_range_and_verifies() {
    let (gh, bin, archive, path) = big_release();
    let half = archive.len() / 2;
    gh.script(
        &path,
        vec![Reply::bytes(200, archive.clone())
            .ranges()
            .fault(Fault::DropAfter(half))],
    );
    let out = Case::new(&gh).args(["o/tool"]).run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("connection broke after")
            .stderr_has("verified against the release's digest")
            .file("tool"),
        bin
    );
    let asset_requests: Vec<_> = gh
        .requests()
        .into_iter()
        .filter(|r| r.host == Host::Assets)
        .collect();
    assert_eq!(asset_requests.len(), 2);
    let resumed = &asset_requests[1];
    assert_eq!(
        resumed.header("range"),
        Some(format!("bytes={half}-").as_str())
    );
    assert_eq!(resumed.header("if-range"), Some("\"fake-etag\""));
}

#[test]
fn a_server_without_ranges_restarts_and_the_hash_stays_right() {
    let (gh, bin, archive, path) = big_release();
    let cut = archive.len() / 3;
    gh.script(
        &path,
        vec![
            Reply::bytes(200, archive.clone()).fault(Fault::DropAfter(cut)),
            Reply::bytes(200, archive.clone()),
        ],
    );
    let out = Case::new(&gh).args(["o/tool"]).run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("verified against the release's digest")
            .stderr_lacks("is not verified")
            .file("tool"),
        bin
    );
}

#[test]
fn a_truncated_body_with_no_retries_left_is_an_error_and_installs_nothing() {
    let (gh, _, archive, path) = big_release();
    gh.script(
        &path,
        vec![Reply::bytes(200, archive.clone()).fault(Fault::DropAfter(1000))],
    );
    let out = Case::new(&gh).args(["o/tool", "--retries", "0"]).run();
    out.code(6);
    let url = format!("{}{path}", gh.assets_url());
    assert_eq!(
        out.error_line(),
        format!(
            "jingyu: error: download of {url} was cut short: expected {} bytes, got 1000",
            archive.len()
        )
    );
    assert!(out.files().is_empty(), "{:?}", out.files());
}

#[test]
fn too_many_requests_waits_for_retry_after() {
    let (gh, bin, _, path) = big_release();
    gh.script(&path, vec![Reply::status(429).header("retry-after", "1")]);
    let started = Instant::now();
    let out = Case::new(&gh).args(["o/tool"]).run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("HTTP 429; retrying in 1.0s")
            .file("tool"),
        bin
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[test]
fn a_stalled_read_times_out_and_the_retry_succeeds() {
    let (gh, bin, archive, path) = big_release();
    gh.script(
        &path,
        vec![Reply::bytes(200, archive.clone())
            .ranges()
            .fault(Fault::StallAfter(
                archive.len() / 2,
                Duration::from_secs(30),
            ))],
    );
    let started = Instant::now();
    let out = Case::new(&gh).args(["o/tool", "--read-timeout", "1"]).run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("connection broke after")
            .file("tool"),
        bin
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_server_that_stalls_forever_fails_in_bounded_time() {
    let gh = FakeGitHub::start();
    gh.release("o/tool", Release::new("v1").asset(ASSET, b"x".to_vec()));
    let stalls = (0..10)
        .map(|_| Reply::status(200).fault(Fault::Stall(Duration::from_secs(30))))
        .collect();
    gh.script("/repos/o/tool/releases/latest", stalls);
    let started = Instant::now();
    let out = Case::new(&gh)
        .args(["o/tool"])
        .env("JINGYU_READ_TIMEOUT", "1")
        .env("JINGYU_RETRIES", "1")
        .run();
    let error = out.code(6).error_line();
    assert!(
        error.starts_with("jingyu: error: cannot fetch http://127.0.0.1:")
            && error.contains("timeout"),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn bad_retry_settings_are_usage_errors() {
    let out = Case::offline().args(["o/r", "--retries", "many"]).run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: --retries `many` is not a whole number"
    );
}

#[test]
fn a_killed_run_leaves_the_old_file_and_the_next_run_cleans_up() {
    let (gh, bin, archive, path) = big_release();
    // Stall half-way through the body: jingyu has started writing, not finished.
    let half = archive.len() / 2;
    gh.script(
        &path,
        vec![Reply::bytes(200, archive).fault(Fault::StallAfter(half, Duration::from_secs(30)))],
    );
    let case = Case::new(&gh).args(["o/tool"]);
    fs::write(case.path("tool"), b"old").unwrap();
    let mut child = Command::new(crate::harness::jingyu_bin())
        .args(["o/tool"])
        .env_clear()
        .env("GITHUB_API_URL", gh.api_url())
        .env("JINGYU_SYSTEM", "linux/amd64")
        .current_dir(case.path(""))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !temp_files(&case.path(""))
        .iter()
        .any(|n| n.starts_with(".jingyu-"))
    {
        assert!(Instant::now() < deadline, "jingyu never started writing");
        thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        fs::read(case.path("tool")).unwrap(),
        b"old",
        "the old binary is untouched"
    );
    assert!(
        temp_files(&case.path(""))
            .iter()
            .any(|n| n.starts_with(".jingyu-")),
        "a SIGKILL leaves its temporary file"
    );
    let out = case.run();
    assert_eq!(out.success().stdout_is("tool\n").file("tool"), bin);
    assert_eq!(
        out.files(),
        ["tool"],
        "the stale temporary file was removed"
    );
}

fn temp_files(dir: &std::path::Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_live_run_in_another_pid_namespace_keeps_its_temporary_file() {
    // Another container sharing the directory: its pid means nothing here.
    // Liveness is the lock on the file, so the cleaning run leaves it.
    let (gh, bin, archive, path) = big_release();
    gh.script(
        &path,
        vec![Reply::bytes(200, archive.clone()).fault(Fault::StallAfter(
            archive.len() / 2,
            Duration::from_secs(20),
        ))],
    );
    let case = Case::new(&gh).args(["o/tool"]);
    let script = format!(
        "for i in $(seq 200); do true & done; wait; {} o/tool",
        crate::harness::jingyu_bin().display()
    );
    let mut child = Command::new("unshare")
        .args(["--pid", "--fork", "--kill-child", "sh", "-c", &script])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("GITHUB_API_URL", gh.api_url())
        .env("JINGYU_SYSTEM", "linux/amd64")
        .current_dir(case.path(""))
        .stderr(Stdio::null())
        .spawn()
        .expect("unshare (util-linux) runs as root here");
    let deadline = Instant::now() + Duration::from_secs(10);
    let live = loop {
        if let Some(name) = temp_files(&case.path(""))
            .into_iter()
            .find(|n| n.starts_with(".jingyu-"))
        {
            break name;
        }
        assert!(
            Instant::now() < deadline,
            "the namespaced jingyu never started writing"
        );
        thread::sleep(Duration::from_millis(20));
    };
    let out = case.run();
    assert_eq!(out.success().stdout_is("tool\n").file("tool"), bin);
    assert!(
        temp_files(&out.dir).contains(&live),
        "the live run's {live} was removed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

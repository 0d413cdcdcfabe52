//! Memory stays flat however large the asset: streamed formats are decoded as
//! they arrive and zip is spooled to disk, so peak RSS (GNU time's `%M`) stays
//! far below the asset's size.

use std::process::Command;

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::{gzip, tar, xz, zip};
use crate::harness::Case;

const SIZE: usize = 48 << 20;

/// Poorly compressible bytes (xorshift), so the archive is as large as the file.
fn noise() -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = b"\x7fELF\x02\x01\x01\0".to_vec();
    out.resize(SIZE, 0);
    for chunk in out[8..].chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let bytes = x.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    out
}

/// Peak RSS in KiB of jingyu installing `name` from `gh`.
fn peak_rss_kib(gh: &FakeGitHub, name: &str) -> u64 {
    let case = Case::new(gh);
    let bin = crate::harness::jingyu_bin();
    let out = Command::new("/usr/bin/time")
        .args([
            "-f",
            "rss=%M",
            bin.to_str().expect("a UTF-8 path"),
            "o/tool",
            "-a",
            name,
            "-q",
            "--to",
            "out/",
        ])
        .env_clear()
        .env("GITHUB_API_URL", gh.api_url())
        .env("JINGYU_SYSTEM", "linux/amd64")
        .current_dir(case.path(""))
        .output()
        .expect("GNU time (tests/run.sh installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name}: {stderr}");
    assert_eq!(
        std::fs::metadata(case.path("out/tool")).unwrap().len(),
        SIZE as u64,
        "{name}"
    );
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("rss="))
        .and_then(|v| v.trim().parse().ok())
        .expect("rss")
}

/// Whether `/usr/bin/time` is GNU time (busybox's has no `-f %M`).
fn gnu_time() -> bool {
    Command::new("/usr/bin/time")
        .args(["-f", "rss=%M", "true"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains("rss="))
}

#[test]
#[allow(clippy::print_stderr)]
fn peak_memory_stays_far_below_the_asset_size() {
    if !gnu_time() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs GNU time (tests/run.sh installs it)"
        );
        eprintln!("skipped: no GNU time at /usr/bin/time");
        return;
    }
    let data = noise();
    let tarball = tar(&[("tool", 0o755, &data)]);
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1")
            .asset("tool-linux-amd64.tar.xz", xz(&tarball))
            .asset("tool-linux-amd64.tar.gz", gzip(&tarball))
            .asset("tool-linux-amd64.zip", zip(&[("tool", 0o755, &data)])),
    );
    for name in [
        "tool-linux-amd64.tar.xz",
        "tool-linux-amd64.tar.gz",
        "tool-linux-amd64.zip",
    ] {
        let rss = peak_rss_kib(&gh, name);
        assert!(
            rss < 24 * 1024,
            "{name}: peak RSS {rss} KiB for a {} MiB asset",
            SIZE >> 20
        );
    }
}

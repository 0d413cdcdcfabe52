//! `--dry-run --system P` answers right for every platform Docker and eget
//! name, in every spelling (`os/arch`, `os/arch/variant`, Rust triples, the
//! BuildKit variables), and `--dry-run -v` explains the decision.

use jingyu_fake::{FakeGitHub, Release};

use crate::harness::Case;

/// A release in cargo-dist's style with a build for every platform, plus the
/// usual noise around it.
const ASSETS: &[&str] = &[
    "tool-1.0-aarch64-apple-darwin.tar.gz",
    "tool-1.0-aarch64-pc-windows-msvc.zip",
    "tool-1.0-aarch64-unknown-linux-gnu.tar.gz",
    "tool-1.0-aarch64-unknown-linux-musl.tar.gz",
    "tool-1.0-arm-unknown-linux-musleabihf.tar.gz",
    "tool-1.0-armv5te-unknown-linux-musleabi.tar.gz",
    "tool-1.0-armv7-unknown-linux-musleabihf.tar.gz",
    "tool-1.0-i686-pc-windows-msvc.zip",
    "tool-1.0-i686-unknown-linux-musl.tar.gz",
    "tool-1.0-loongarch64-unknown-linux-gnu.tar.gz",
    "tool-1.0-mips64el-unknown-linux-gnuabi64.tar.gz",
    "tool-1.0-powerpc64le-unknown-linux-gnu.tar.gz",
    "tool-1.0-riscv64gc-unknown-linux-gnu.tar.gz",
    "tool-1.0-s390x-unknown-linux-gnu.tar.gz",
    "tool-1.0-x86_64-apple-darwin.tar.gz",
    "tool-1.0-x86_64-pc-windows-gnu.zip",
    "tool-1.0-x86_64-pc-windows-msvc.zip",
    "tool-1.0-x86_64-unknown-freebsd.tar.gz",
    "tool-1.0-x86_64-unknown-linux-gnu.tar.gz",
    "tool-1.0-x86_64-unknown-linux-musl.tar.gz",
    "tool-1.0-x86_64-unknown-netbsd.tar.gz",
    "tool-1.0-x86_64-unknown-linux-musl.tar.gz.sha256",
    "tool-installer.sh",
    "tool_1.0_amd64.deb",
    "sha256.sum",
    "source.tar.gz",
];

/// Each `--system` spelling and the asset it must get (`None`: no asset).
const EXPECTED: &[(&str, Option<&str>)] = &[
    ("linux/amd64", Some("x86_64-unknown-linux-musl.tar.gz")),
    ("linux/amd64/v3", Some("x86_64-unknown-linux-musl.tar.gz")),
    (
        "x86_64-unknown-linux-musl",
        Some("x86_64-unknown-linux-musl.tar.gz"),
    ),
    (
        "x86_64-unknown-linux-gnu",
        Some("x86_64-unknown-linux-gnu.tar.gz"),
    ),
    ("linux/arm64", Some("aarch64-unknown-linux-musl.tar.gz")),
    ("linux/arm64/v8", Some("aarch64-unknown-linux-musl.tar.gz")),
    (
        "aarch64-unknown-linux-gnu",
        Some("aarch64-unknown-linux-gnu.tar.gz"),
    ),
    (
        "linux/arm/v7",
        Some("armv7-unknown-linux-musleabihf.tar.gz"),
    ),
    ("linux/arm", Some("armv7-unknown-linux-musleabihf.tar.gz")),
    (
        "armv7-unknown-linux-gnueabihf",
        Some("armv7-unknown-linux-musleabihf.tar.gz"),
    ),
    ("linux/arm/v6", Some("arm-unknown-linux-musleabihf.tar.gz")),
    (
        "arm-unknown-linux-gnueabihf",
        Some("arm-unknown-linux-musleabihf.tar.gz"),
    ),
    (
        "linux/arm/v5",
        Some("armv5te-unknown-linux-musleabi.tar.gz"),
    ),
    ("linux/386", Some("i686-unknown-linux-musl.tar.gz")),
    (
        "i686-unknown-linux-musl",
        Some("i686-unknown-linux-musl.tar.gz"),
    ),
    ("linux/riscv64", Some("riscv64gc-unknown-linux-gnu.tar.gz")),
    (
        "linux/ppc64le",
        Some("powerpc64le-unknown-linux-gnu.tar.gz"),
    ),
    ("linux/s390x", Some("s390x-unknown-linux-gnu.tar.gz")),
    (
        "linux/loong64",
        Some("loongarch64-unknown-linux-gnu.tar.gz"),
    ),
    (
        "linux/mips64le",
        Some("mips64el-unknown-linux-gnuabi64.tar.gz"),
    ),
    ("darwin/amd64", Some("x86_64-apple-darwin.tar.gz")),
    ("darwin/arm64", Some("aarch64-apple-darwin.tar.gz")),
    ("macos/arm64", Some("aarch64-apple-darwin.tar.gz")),
    ("aarch64-apple-darwin", Some("aarch64-apple-darwin.tar.gz")),
    ("windows/amd64", Some("x86_64-pc-windows-msvc.zip")),
    ("x86_64-pc-windows-gnu", Some("x86_64-pc-windows-msvc.zip")),
    ("windows/arm64", Some("aarch64-pc-windows-msvc.zip")),
    ("windows/386", Some("i686-pc-windows-msvc.zip")),
    ("freebsd/amd64", Some("x86_64-unknown-freebsd.tar.gz")),
    ("netbsd/amd64", Some("x86_64-unknown-netbsd.tar.gz")),
    ("linux/mips", None),
    ("linux/ppc64", None),
    ("openbsd/amd64", None),
    // The only FreeBSD build, whatever its architecture, as eget takes it
    // (with a warning; the binary's header is still checked on install).
    ("freebsd/arm64", Some("x86_64-unknown-freebsd.tar.gz")),
    ("darwin/386", None),
];

fn release() -> FakeGitHub {
    let gh = FakeGitHub::start();
    let mut release = Release::new("v1.0");
    for name in ASSETS {
        release = release.asset(name, "not downloaded by a dry run");
    }
    gh.release("owner/tool", release);
    gh
}

#[test]
fn every_platform_spelling_gets_its_build_or_a_clear_no() {
    let gh = release();
    for (system, want) in EXPECTED {
        let out = Case::new(&gh)
            .args(["owner/tool", "--dry-run", "--system", system])
            .run();
        if let Some(suffix) = want {
            let name = format!("tool-1.0-{suffix}");
            let url = gh.asset_url("owner/tool", "v1.0", &name);
            out.success().stdout_is(&format!("{name}\t{url}\n"));
        } else {
            out.code(4).stdout_is("");
            let shown = system.replace("macos", "darwin");
            let line = out.error_line();
            assert!(
                line.contains(&format!("no asset for {shown};")),
                "--system {system}: {line}"
            );
        }
    }
}

#[test]
fn buildkit_variables_choose_the_platform_and_say_so() {
    let gh = release();
    let out = Case::new(&gh)
        .args(["owner/tool", "--dry-run"])
        .unset("JINGYU_SYSTEM")
        .env("TARGETPLATFORM", "linux/arm/v7")
        .run();
    let name = "tool-1.0-armv7-unknown-linux-musleabihf.tar.gz";
    out.success()
        .stdout_is(&format!(
            "{name}\t{}\n",
            gh.asset_url("owner/tool", "v1.0", name)
        ))
        .stderr_has("for linux/arm/v7 (platform from TARGETPLATFORM");
    let out = Case::new(&gh)
        .args(["owner/tool", "--dry-run"])
        .unset("JINGYU_SYSTEM")
        .env("TARGETOS", "windows")
        .env("TARGETARCH", "arm64")
        .run();
    let asset = "tool-1.0-aarch64-pc-windows-msvc.zip";
    out.success()
        .stdout_is(&format!(
            "{asset}\t{}\n",
            gh.asset_url("owner/tool", "v1.0", asset)
        ))
        .stderr_has("picked `tool-1.0-aarch64-pc-windows-msvc.zip`")
        .stderr_has("platform from TARGETOS/TARGETARCH");
}

#[test]
fn dry_run_verbose_explains_each_step_and_v_is_always_the_version() {
    let gh = release();
    let out = Case::new(&gh)
        .args([
            "--dry-run",
            "--verbose",
            "--system",
            "linux/arm64",
            "owner/tool",
        ])
        .run();
    let asset = "tool-1.0-aarch64-unknown-linux-musl.tar.gz";
    out.success()
        .stdout_is(&format!(
            "{asset}\t{}\n",
            gh.asset_url("owner/tool", "v1.0", asset)
        ))
        .stderr_has("installable: kept")
        .stderr_has("dropped tool_1.0_amd64.deb: an OS package or installer")
        .stderr_has("dropped tool-1.0-x86_64-apple-darwin.tar.gz: for darwin")
        .stderr_has("dropped tool-1.0-x86_64-unknown-linux-musl.tar.gz: for amd64")
        .stderr_has("dropped tool-1.0-aarch64-unknown-linux-gnu.tar.gz: a better C library exists")
        .stderr_has("picked `tool-1.0-aarch64-unknown-linux-musl.tar.gz`");
    // eget's -v is the version even beside a target: nothing is fetched.
    let version = format!("jingyu {}\n", env!("CARGO_PKG_VERSION"));
    Case::offline()
        .args(["-v"])
        .run()
        .success()
        .stdout_is(&version);
    let before = gh.requests().len();
    let out = Case::new(&gh).args(["--dry-run", "-v", "owner/tool"]).run();
    out.success().stdout_is(&version).stderr_lacks("picked");
    assert_eq!(gh.requests().len(), before, "-v asks nothing");
}

#[test]
fn an_equal_choice_is_an_error_that_names_the_filter() {
    let gh = FakeGitHub::start();
    gh.release(
        "owner/tool",
        Release::new("v1")
            .asset("tool-linux-amd64-gpl.tar.xz", "x")
            .asset("tool-linux-amd64-lgpl.tar.xz", "x"),
    );
    let out = Case::new(&gh)
        .args(["owner/tool", "--system", "linux/amd64"])
        .run();
    out.code(4);
    let line = out.error_line();
    assert!(line.contains("2 assets fit equally well"), "{line}");
    assert!(
        line.contains("--asset lgpl picks `tool-linux-amd64-lgpl.tar.xz`"),
        "{line}"
    );
    // `gpl` is inside `lgpl`: its hint is the full name, which works.
    assert!(
        line.contains("--asset tool-linux-amd64-gpl.tar.xz picks `tool-linux-amd64-gpl.tar.xz`"),
        "{line}"
    );
    assert!(out.files().is_empty(), "{:?}", out.files());
    // Every hint is a command that works.
    for hint in line.split("--asset ").skip(1) {
        let (word, rest) = hint.split_once(" picks `").expect("a hint");
        let name = rest.split('`').next().unwrap();
        Case::new(&gh)
            .args([
                "owner/tool",
                "--dry-run",
                "--system",
                "linux/amd64",
                "--asset",
                word,
            ])
            .run()
            .success()
            .stdout_is(&format!(
                "{name}\t{}\n",
                gh.asset_url("owner/tool", "v1", name)
            ));
    }
    let out = Case::new(&gh)
        .args([
            "owner/tool",
            "--dry-run",
            "--system",
            "linux/amd64",
            "--asset",
            "^lgpl",
        ])
        .run();
    let asset = "tool-linux-amd64-gpl.tar.xz";
    out.success()
        .stdout_is(&format!(
            "{asset}\t{}\n",
            gh.asset_url("owner/tool", "v1", asset)
        ))
        .stderr_has("picked `tool-linux-amd64-gpl.tar.xz`");
}

//! Several platforms in one run: `--system a,b` with `{platform}` and the
//! other placeholders in `--to`, each platform reported on its own, and
//! `--skip-missing`.

use jingyu_fake::archive::elf_for;
use jingyu_fake::{FakeGitHub, Release};

use crate::archives::{gzip, tar};
use crate::harness::Case;

fn serve() -> FakeGitHub {
    let gh = FakeGitHub::start();
    let mut release = Release::new("v1");
    for (slug, machine) in [("linux-amd64", 62), ("linux-arm64", 183)] {
        let bin = elf_for(machine, slug);
        release = release.asset(
            &format!("tool-{slug}.tar.gz"),
            gzip(&tar(&[("tool", 0o755, &bin)])),
        );
    }
    gh.release("o/tool", release);
    gh
}

#[test]
fn every_platform_lands_in_its_own_branch() {
    let gh = serve();
    let out = Case::new(&gh)
        .unset("JINGYU_SYSTEM")
        .args([
            "o/tool",
            "--system",
            "linux/amd64,linux/arm64",
            "--to",
            "out/{platform}/",
        ])
        .run();
    out.success();
    let mut lines: Vec<String> = out.stdout_text().lines().map(str::to_owned).collect();
    lines.sort();
    assert_eq!(lines, ["out/linux/amd64/tool", "out/linux/arm64/tool"]);
    assert_eq!(
        out.file("out/linux/arm64/tool"),
        elf_for(183, "linux-arm64")
    );
    assert_eq!(out.file("out/linux/amd64/tool"), elf_for(62, "linux-amd64"));
    // The other placeholders, with one platform too.
    let out = Case::new(&gh)
        .args([
            "o/tool",
            "--system",
            "linux/arm64",
            "--to",
            "x/{os}-{arch}{variant}/{triple}/",
        ])
        .run();
    out.success()
        .stdout_is("x/linux-arm64/aarch64-unknown-linux-musl/tool\n");
}

#[test]
fn a_platform_without_an_asset_fails_unless_skipped() {
    let gh = serve();
    let args = [
        "o/tool",
        "--system",
        "linux/amd64,darwin/arm64",
        "--to",
        "out/{os}/{arch}/",
    ];
    let out = Case::new(&gh).unset("JINGYU_SYSTEM").args(args).run();
    out.code(4)
        .stderr_has("jingyu: warning: darwin/arm64 failed: ");
    assert_eq!(
        out.stdout_text(),
        "out/linux/amd64/tool\n",
        "the others install"
    );
    assert_eq!(out.error_line(), "jingyu: error: 1 of the 2 platforms failed: darwin/arm64; the others are done (see the warnings above)");
    let out = Case::new(&gh)
        .unset("JINGYU_SYSTEM")
        .args(args)
        .args(["--skip-missing"])
        .run();
    out.success()
        .stdout_is("out/linux/amd64/tool\n")
        .stderr_has("jingyu: warning: darwin/arm64: skipped (--skip-missing): ");
}

#[test]
fn a_platform_placeholder_needs_a_platform() {
    let gh = serve();
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "all", "--to", "out/{platform}/"])
        .run();
    out.code(2);
    assert!(
        out.error_line()
            .contains("names the platform, but --system all has none"),
        "{}",
        out.error_line()
    );
}

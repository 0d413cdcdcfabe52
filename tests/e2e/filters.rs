//! `--asset` filters, negation, exact names, and the errors that list candidates.

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::tool_bytes;

fn variants() -> FakeGitHub {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1")
            .asset(
                "tool-x86_64-unknown-linux-musl.tar.gz",
                tool_tar_gz("tool", "musl"),
            )
            .asset(
                "tool-x86_64-unknown-linux-gnu.tar.gz",
                tool_tar_gz("tool", "gnu"),
            )
            .asset("tool-x86_64-pc-windows-msvc.zip", b"zip".to_vec())
            .asset("tool-x86_64-pc-windows-gnu.zip", b"zip".to_vec())
            .asset("tool_1_amd64.deb", b"deb".to_vec()),
    );
    gh
}

#[test]
fn musl_is_preferred_and_a_filter_can_ask_for_gnu() {
    let gh = variants();
    assert_eq!(
        Case::new(&gh)
            .args(["o/tool"])
            .run()
            .success()
            .stdout_is("tool\n")
            .file("tool"),
        tool_bytes("musl")
    );
    assert_eq!(
        Case::new(&gh)
            .args(["o/tool", "-a", "gnu"])
            .run()
            .success()
            .stdout_is("tool\n")
            .file("tool"),
        tool_bytes("gnu")
    );
    assert_eq!(
        Case::new(&gh)
            .args(["o/tool", "--asset", "^musl"])
            .run()
            .success()
            .stdout_is("tool\n")
            .file("tool"),
        tool_bytes("gnu")
    );
}

#[test]
fn an_exact_name_wins_even_for_an_ignored_kind() {
    let gh = variants();
    let out = Case::new(&gh)
        .args(["o/tool", "-a", "tool_1_amd64.deb", "-d"])
        .run();
    assert_eq!(
        out.success()
            .stdout_is("tool_1_amd64.deb\n")
            .file("tool_1_amd64.deb"),
        b"deb"
    );
}

#[test]
fn windows_prefers_the_msvc_build_and_gnu_is_a_filter_away() {
    let gh = variants();
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "windows/amd64", "--dry-run"])
        .run();
    out.success()
        .stdout_is(&dry_run_line(&gh, "tool-x86_64-pc-windows-msvc.zip"))
        .stderr_has("picked `tool-x86_64-pc-windows-msvc.zip`");
    let out = Case::new(&gh)
        .args([
            "o/tool",
            "--system",
            "windows/amd64",
            "--dry-run",
            "-a",
            "gnu",
        ])
        .run();
    out.success()
        .stdout_is(&dry_run_line(&gh, "tool-x86_64-pc-windows-gnu.zip"))
        .stderr_has("picked `tool-x86_64-pc-windows-gnu.zip`");
}

#[test]
fn no_asset_for_the_platform_lists_why_each_was_dropped() {
    let gh = variants();
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "linux/riscv64"])
        .run();
    out.code(4)
        .stderr_has("no asset for linux/riscv64; assets: ")
        .stderr_has("`tool_1_amd64.deb` (an OS package or installer)")
        .stderr_has("`tool-x86_64-pc-windows-gnu.zip` (for windows)")
        .stderr_has("(for amd64)");
}

#[test]
fn a_filter_nothing_matches_says_so() {
    let gh = variants();
    let out = Case::new(&gh).args(["o/tool", "-a", "arm64"]).run();
    out.code(4)
        .stderr_has("no asset for linux/amd64 matching --asset arm64");
}

/// What `--dry-run` prints for asset `name` of `o/tool` v1.
fn dry_run_line(gh: &FakeGitHub, name: &str) -> String {
    format!("{name}\t{}\n", gh.asset_url("o/tool", "v1", name))
}

//! `--help` and `--version`, with the help text kept as a golden file.
//! Regenerate with `JINGYU_BLESS=1 cargo test --test e2e help`.

use std::fs;
use std::path::Path;

use crate::harness::Case;

#[test]
fn help_matches_the_snapshot() {
    let out = Case::offline().args(["--help"]).run();
    out.success();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help.txt");
    if std::env::var_os("JINGYU_BLESS").is_some() {
        fs::write(&golden, out.stdout()).unwrap();
    }
    let want =
        fs::read_to_string(&golden).expect("tests/snapshots/help.txt (JINGYU_BLESS=1 writes it)");
    assert_eq!(
        out.stdout_text(),
        want,
        "--help changed; if intended, rerun with JINGYU_BLESS=1"
    );
    for needed in [
        "--tag",
        "--to",
        "--system",
        "--asset",
        "--dry-run",
        "TARGETPLATFORM",
        "RUN --mount=type=bind,from=jingyu",
        "Error codes:",
    ] {
        assert!(want.contains(needed), "help lacks {needed}");
    }
}

#[test]
fn short_help_and_version() {
    let golden =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help.txt"))
            .unwrap();
    Case::offline()
        .args(["-h"])
        .run()
        .success()
        .stdout_is(&golden);
    Case::offline()
        .args(["-v"])
        .run()
        .success()
        .stdout_is(&format!("jingyu {}\n", env!("CARGO_PKG_VERSION")));
    Case::offline()
        .args(["--version"])
        .run()
        .success()
        .stdout_is(&format!("jingyu {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn an_unknown_flag_is_one_clear_line() {
    let out = Case::offline().args(["--frobnicate"]).run();
    out.code(2);
    assert_eq!(
        out.stderr(),
        "jingyu: error: unrecognized argument: --frobnicate; see jingyu --help\n"
    );
}

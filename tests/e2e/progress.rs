//! The progress bar: drawn on a terminal (here a pseudo-terminal from
//! util-linux's `script`), never on a pipe, never with --quiet.

use std::process::Command;

use crate::harness::Case;
use crate::two_releases;

/// Runs jingyu with `args` under a pseudo-terminal; returns what the terminal showed.
pub(crate) fn on_a_terminal(api: &str, dir: &std::path::Path, args: &str) -> String {
    let cmd = format!(
        "env -i GITHUB_API_URL={api} JINGYU_SYSTEM=linux/amd64 {} {args}",
        crate::harness::jingyu_bin().display()
    );
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .current_dir(dir)
        .output()
        .expect("util-linux script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_terminal_gets_a_progress_bar_and_a_pipe_does_not() {
    let gh = two_releases();
    let case = Case::new(&gh);
    let shown = on_a_terminal(&gh.api_url(), &case.path(""), "owner/tool --to a/");
    assert!(
        shown.contains("tool-v1.1-linux-amd64.tar.gz [") && shown.contains("100%"),
        "{shown:?}"
    );
    assert!(
        shown.contains("\r\x1b[K"),
        "the bar redraws in place and is cleared: {shown:?}"
    );
    let quiet = on_a_terminal(&gh.api_url(), &case.path(""), "owner/tool --to b/ --quiet");
    assert!(!quiet.contains("100%"), "{quiet:?}");
    let piped = case.args(["owner/tool", "--to", "c/"]).run();
    piped
        .success()
        .stdout_is("c/tool\n")
        .stderr_lacks("\r")
        .stderr_lacks("100%");
}

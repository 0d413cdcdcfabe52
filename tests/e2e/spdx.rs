//! The SPDX validator the suites share: `PyPI`'s spdx-tools, which
//! `tests/run.sh` installs and names in `JINGYU_SPDX`.

/// Validates an SPDX document with `PyPI`'s spdx-tools (`JINGYU_SPDX`, set by
/// tests/run.sh); says so and skips outside it, fails in CI without it.
pub(crate) fn valid(path: &std::path::Path) {
    let Some(tool) = std::env::var_os("JINGYU_SPDX") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "JINGYU_SPDX is not set: tests/run.sh installs spdx-tools"
        );
        return;
    };
    let out = std::process::Command::new(tool)
        .arg("-i")
        .arg(path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !text.contains("invalid"),
        "{}: {text}",
        path.display()
    );
}

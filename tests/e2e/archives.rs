//! Archives for the tests: the builders live in `jingyu_fake::archive`; this
//! adds the release layout most tests use.

pub(crate) use jingyu_fake::archive::{
    bzip2 as bz2, elf, elf_for, gzip, tar, xz, zip, zstd as zst,
};

pub(crate) fn tar_gz(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    gzip(&tar(files))
}

/// The usual release archive: `tool-<tag>/tool` plus a README, as tar.gz.
pub(crate) fn tool_tar_gz(tool: &str, tag: &str) -> Vec<u8> {
    let bin = elf(&format!("{tool} {tag}"));
    tar_gz(&[
        (&format!("{tool}-{tag}/README.md"), 0o644, b"# readme"),
        (&format!("{tool}-{tag}/{tool}"), 0o755, &bin),
    ])
}

/// What the static binary's `--version` prints: with the revision tests/run.sh
/// built it with (`JINGYU_STATIC_REVISION`), as a release build carries its own.
pub(crate) fn static_version_line() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match std::env::var("JINGYU_STATIC_REVISION") {
        Ok(r) if !r.is_empty() && r != "unknown" => {
            format!("jingyu {version} ({})\n", r.get(..12).unwrap_or(&r))
        }
        _ => format!("jingyu {version}\n"),
    }
}

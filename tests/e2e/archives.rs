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

//! Real archives built by the tests with the same writers users' releases use.

use std::io::{Cursor, Write};

/// A fake program: an ELF identification with machine 0 (no CPU, so the
/// platform check has nothing to refuse), then a body that names it.
pub(crate) fn elf(name: &str) -> Vec<u8> {
    let mut b = b"\x7fELF\x02\x01\x01\0".to_vec();
    b.extend([0u8; 12]);
    b.extend_from_slice(format!("program {name}\n").as_bytes());
    b.extend((0..4096u32).map(|i| (i * 31 % 251) as u8));
    b
}

/// (path, mode, bytes) files into a tar.
pub(crate) fn tar(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, mode, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(*mode);
        h.set_mtime(1_700_000_000);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, path, *data).unwrap();
    }
    b.into_inner().unwrap()
}

pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub(crate) fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut Cursor::new(data), &mut out).unwrap();
    out
}

pub(crate) fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// zstd with a content checksum, made by the real `zstd` tool.
pub(crate) fn zst(data: &[u8]) -> Vec<u8> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("zstd")
        .args(["-q", "-c", "--check"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the zstd tool (tests/run.sh installs it)");
    let mut stdin = child.stdin.take().unwrap();
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out.stdout
}

pub(crate) fn tar_gz(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    gzip(&tar(files))
}

pub(crate) fn zip(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, mode, data) in files {
        w.start_file(
            *path,
            zip::write::SimpleFileOptions::default().unix_permissions(*mode),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The usual release archive: `tool-<tag>/tool` plus a README, as tar.gz.
pub(crate) fn tool_tar_gz(tool: &str, tag: &str) -> Vec<u8> {
    let bin = elf(&format!("{tool} {tag}"));
    tar_gz(&[
        (&format!("{tool}-{tag}/README.md"), 0o644, b"# readme"),
        (&format!("{tool}-{tag}/{tool}"), 0o755, &bin),
    ])
}

/// A 64-bit ELF header for a real CPU (`62` x86-64, `183` aarch64), static,
/// followed by `name`.
pub(crate) fn elf_for(machine: u16, name: &str) -> Vec<u8> {
    let mut b = vec![0u8; 64];
    b[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\0");
    b[18..20].copy_from_slice(&machine.to_le_bytes());
    b.extend_from_slice(name.as_bytes());
    b
}

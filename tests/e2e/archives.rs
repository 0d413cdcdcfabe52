//! Real archives built by the tests with the same writers users' releases use.

use std::io::{Cursor, Write};

/// A fake program: an ELF header then a body that names it.
pub(crate) fn elf(name: &str) -> Vec<u8> {
    let mut b = b"\x7fELF\x02\x01\x01\0".to_vec();
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

//! Real archives for tests, made with the same writers (or tools) releases use:
//! tar, gzip, bzip2 and zip in-process; xz and zstd by the system's `xz` and
//! `zstd` (fast, and zstd with a content checksum), which `tests/run.sh`
//! installs when missing.

use std::io::{Cursor, Write};
use std::process::{Command, Stdio};

/// A file to archive: path, mode, content.
pub type File<'a> = (&'a str, u32, &'a [u8]);

/// A tar of `files`, each with mtime 1 700 000 000.
pub fn tar(files: &[File<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, mode, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(*mode);
        h.set_mtime(1_700_000_000);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, path, *data).expect("append to a tar");
    }
    b.into_inner().expect("finish a tar")
}

/// One entry of a tar made by [`tar_items`].
#[derive(Clone, Copy, Debug)]
pub enum Item<'a> {
    File(&'a str, u32, &'a [u8]),
    Symlink(&'a str, &'a str),
    HardLink(&'a str, &'a str),
    /// A directory entry (name as given, usually ending in `/`), mode 0755.
    Dir(&'a str),
}

/// A tar of files and links in this order, names stored as given (`..` and
/// absolute names included: hostile archives are what these tests need).
pub fn tar_items(items: &[Item<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for item in items {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(1_700_000_000);
        let (path, data, kind, target): (&str, &[u8], _, _) = match *item {
            Item::File(p, mode, data) => {
                h.set_mode(mode);
                (p, data, tar::EntryType::Regular, None)
            }
            Item::Symlink(p, t) => (p, &[], tar::EntryType::Symlink, Some(t)),
            Item::HardLink(p, t) => (p, &[], tar::EntryType::Link, Some(t)),
            Item::Dir(p) => {
                h.set_mode(0o755);
                (p, &[], tar::EntryType::Directory, None)
            }
        };
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        raw_name(&mut h.as_gnu_mut().expect("a GNU header").name, path);
        if let Some(t) = target {
            raw_name(&mut h.as_gnu_mut().expect("a GNU header").linkname, t);
        }
        h.set_cksum();
        b.append(&h, data).expect("append to a tar");
    }
    b.into_inner().expect("finish a tar")
}

/// Stores `name` in a header field as is (the tar crate refuses `..`).
fn raw_name(field: &mut [u8; 100], name: &str) {
    assert!(name.len() < field.len(), "test names fit a plain header");
    field.fill(0);
    field[..name.len()].copy_from_slice(name.as_bytes());
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

pub fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).expect("bzip2");
    e.finish().expect("bzip2")
}

/// bzip2 at `-9` (900 kB blocks), by the `bzip2` tool.
pub fn bzip2_tool(data: &[u8]) -> Vec<u8> {
    pipe_through(&["bzip2", "-9", "-c"], data)
}

/// A program of `len` bytes that compresses about as well as real code does.
pub fn big_elf(len: usize) -> Vec<u8> {
    let mut b = elf("big");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    while b.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let word = state.to_le_bytes();
        b.extend_from_slice(&word[..usize::from(word[7] % 8)]);
        b.extend_from_slice(b"\0\0\x48\x89\xe5");
    }
    b.truncate(len);
    b
}

/// xz, by the `xz` tool.
pub fn xz(data: &[u8]) -> Vec<u8> {
    pipe_through(&["xz", "-0", "-c"], data)
}

/// zstd with a content checksum, by the `zstd` tool.
pub fn zstd(data: &[u8]) -> Vec<u8> {
    pipe_through(&["zstd", "-q", "-c", "--check"], data)
}

pub fn zip(files: &[File<'_>]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, mode, data) in files {
        w.start_file(
            *path,
            zip::write::SimpleFileOptions::default().unix_permissions(*mode),
        )
        .expect("zip entry");
        w.write_all(data).expect("zip data");
    }
    w.finish().expect("finish a zip").into_inner()
}

/// A fake program: an ELF identification with machine 0 (no CPU, so the
/// platform check has nothing to refuse), then a body that names it.
pub fn elf(name: &str) -> Vec<u8> {
    let mut b = b"\x7fELF\x02\x01\x01\0".to_vec();
    b.extend([0u8; 12]);
    b.extend_from_slice(format!("program {name}\n").as_bytes());
    b.extend((0..4096u32).map(|i| (i * 31 % 251).to_le_bytes()[0]));
    b
}

/// A 64-bit ELF header for a real CPU (`62` x86-64, `183` aarch64), static,
/// followed by `name`.
pub fn elf_for(machine: u16, name: &str) -> Vec<u8> {
    let mut b = vec![0u8; 64];
    b[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\0");
    b[18..20].copy_from_slice(&machine.to_le_bytes());
    b.extend_from_slice(name.as_bytes());
    b
}

fn pipe_through(cmd: &[&str], data: &[u8]) -> Vec<u8> {
    let mut child = Command::new(cmd[0])
        .args(&cmd[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "the `{}` tool is needed by the tests (tests/run.sh installs it): {e}",
                cmd[0]
            )
        });
    let mut stdin = child.stdin.take().expect("stdin");
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "{} failed", cmd[0]);
    out.stdout
}

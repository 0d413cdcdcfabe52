//! Every supported format, built here with the real writers, unpacked into an
//! in-memory sink; plus the hostile and damaged archives that must be refused.

use std::io::{Cursor, Write};

use jingyu_unpack::{extract_stream, extract_zip, Format, Member, Rules, Sink, UnpackError};

const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0fake program body";

#[derive(Default)]
struct Memory {
    created: Vec<String>,
}

impl Sink for Memory {
    type Out = Vec<u8>;
    fn create(&mut self, member: &Member) -> std::io::Result<Vec<u8>> {
        self.created.push(member.path.clone());
        Ok(Vec::new())
    }
}

fn rules(name: &str) -> Rules {
    Rules {
        name: name.into(),
        max_size: 1 << 30,
        ..Rules::default()
    }
}

/// (path, mode, data) files into a tar.
fn tar_of(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
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

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut Cursor::new(data), &mut out).unwrap();
    out
}

fn zip_of(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, mode, data) in files {
        let opts = zip::write::SimpleFileOptions::default().unix_permissions(*mode);
        w.start_file(*path, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn stream(
    format: Format,
    bytes: &[u8],
    rules: &Rules,
) -> Result<Vec<(Member, Vec<u8>)>, UnpackError> {
    extract_stream(
        format,
        &mut Cursor::new(bytes.to_vec()),
        rules,
        &mut Memory::default(),
    )
}

const PROJECT: &[(&str, u32, &[u8])] = &[
    ("tool-1.0/README.md", 0o644, b"# tool"),
    ("tool-1.0/LICENSE", 0o755, b"MIT"),
    ("tool-1.0/tool", 0o755, ELF),
    ("tool-1.0/complete/_tool", 0o755, b"#compdef tool"),
];

#[test]
fn every_format_yields_the_binary() {
    let tar = tar_of(PROJECT);
    for (format, bytes) in [
        (Format::Tar, tar.clone()),
        (Format::TarGz, gz(&tar)),
        (Format::TarXz, xz(&tar)),
    ] {
        let got =
            stream(format, &bytes, &rules("tool")).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(got.len(), 1, "{format}");
        assert_eq!(
            (got[0].0.path.as_str(), got[0].1.as_slice()),
            ("tool-1.0/tool", ELF),
            "{format}"
        );
        assert_eq!(got[0].0.mtime, Some(1_700_000_000));
    }
    let got = extract_zip(
        Cursor::new(zip_of(PROJECT)),
        &rules("tool"),
        &mut Memory::default(),
    )
    .unwrap();
    assert_eq!(
        (got[0].0.path.as_str(), got[0].1.as_slice()),
        ("tool-1.0/tool", ELF)
    );
}

#[test]
fn single_files_take_the_gzip_name_or_the_repo_name() {
    let mut e = flate2::GzBuilder::new()
        .filename("just")
        .write(Vec::new(), flate2::Compression::fast());
    e.write_all(ELF).unwrap();
    let named = e.finish().unwrap();
    let got = stream(Format::Gz, &named, &rules("repo")).unwrap();
    assert_eq!((got[0].0.path.as_str(), got[0].1.as_slice()), ("just", ELF));
    let got = stream(Format::Gz, &gz(ELF), &rules("repo")).unwrap();
    assert_eq!(got[0].0.path, "repo");
    let got = stream(Format::Xz, &xz(ELF), &rules("repo")).unwrap();
    assert_eq!((got[0].0.path.as_str(), got[0].1.as_slice()), ("repo", ELF));
    let got = stream(Format::Raw, ELF, &rules("repo")).unwrap();
    assert_eq!((got[0].0.path.as_str(), got[0].0.mode), ("repo", 0o755));
}

#[test]
fn executables_without_exec_bits_are_found_by_content() {
    let zip = zip_of(&[
        ("tool.exe", 0o644, b"MZ\x90\0pe body"),
        ("README.txt", 0o644, b"hi"),
    ]);
    let got = extract_zip(Cursor::new(zip), &rules("tool"), &mut Memory::default()).unwrap();
    assert_eq!(got[0].0.path, "tool.exe");
}

#[test]
fn file_globs_and_all() {
    let tar = tar_of(PROJECT);
    let r = Rules {
        files: vec!["README*".into()],
        ..rules("tool")
    };
    let got = stream(Format::Tar, &tar, &r).unwrap();
    assert_eq!(
        got.iter().map(|m| m.0.path.as_str()).collect::<Vec<_>>(),
        ["tool-1.0/README.md"]
    );
    let r = Rules {
        all: true,
        ..rules("tool")
    };
    assert_eq!(stream(Format::Tar, &tar, &r).unwrap().len(), 4);
    let r = Rules {
        files: vec!["nothing".into()],
        ..rules("tool")
    };
    let err = stream(Format::Tar, &tar, &r).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "no file matching --file nothing in the archive; it holds `tool-1.0/README.md`"
        ),
        "{err}"
    );
}

#[test]
fn several_executables_need_a_choice() {
    let tar = tar_of(&[("a", 0o755, ELF), ("b", 0o755, ELF)]);
    let err = stream(Format::Tar, &tar, &rules("tool")).unwrap_err();
    assert!(
        matches!(err, UnpackError::Ambiguous { ref members } if members == &["a", "b"]),
        "{err}"
    );
}

#[test]
fn hostile_entries_are_refused() {
    let mut raw = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(3);
    h.set_mode(0o755);
    h.set_entry_type(tar::EntryType::Regular);
    // write the path bytes directly: the builder refuses `..` itself
    h.as_gnu_mut().unwrap().name[..9].copy_from_slice(b"../escape");
    h.set_cksum();
    raw.append(&h, &b"bad"[..]).unwrap();
    let err = stream(Format::Tar, &raw.into_inner().unwrap(), &rules("t")).unwrap_err();
    assert!(
        matches!(err, UnpackError::Unsafe { ref entry, .. } if entry == "../escape"),
        "{err}"
    );

    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    b.append_link(&mut h, "link", "../../etc/passwd").unwrap();
    let err = stream(Format::Tar, &b.into_inner().unwrap(), &rules("t")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "refusing archive entry `link`: link points outside the destination"
    );

    let zip = zip_of(&[("/abs/tool", 0o755, ELF)]);
    let err = extract_zip(Cursor::new(zip), &rules("t"), &mut Memory::default()).unwrap_err();
    assert!(
        matches!(
            err,
            UnpackError::Unsafe {
                why: "absolute path",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn damaged_archives_are_errors() {
    let good = gz(&tar_of(PROJECT));
    let truncated = &good[..good.len() / 2];
    let err = stream(Format::TarGz, truncated, &rules("tool")).unwrap_err();
    assert!(matches!(err, UnpackError::Corrupt { .. }), "{err}");
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 0xff;
    let err = stream(Format::TarGz, &bad_crc, &rules("tool")).unwrap_err();
    assert!(matches!(err, UnpackError::Corrupt { .. }), "{err}");
    let err = stream(Format::TarXz, b"not xz at all", &rules("tool")).unwrap_err();
    assert!(matches!(err, UnpackError::Corrupt { .. }), "{err}");
    let err = extract_zip(
        Cursor::new(b"PK\x03\x04 nope".to_vec()),
        &rules("t"),
        &mut Memory::default(),
    )
    .unwrap_err();
    assert!(matches!(err, UnpackError::Corrupt { .. }), "{err}");
}

#[test]
fn the_size_limit_stops_a_bomb() {
    let big = vec![0u8; 4 << 20];
    let bomb = gz(&tar_of(&[("tool", 0o755, &big)]));
    assert!(
        bomb.len() < 64 << 10,
        "a compressed bomb stays small: {}",
        bomb.len()
    );
    let r = Rules {
        max_size: 1 << 20,
        ..rules("tool")
    };
    let err = stream(Format::TarGz, &bomb, &r).unwrap_err();
    assert!(
        matches!(err, UnpackError::TooLarge { limit } if limit == 1 << 20),
        "{err}"
    );
}

#[test]
fn unsupported_formats_say_so() {
    let err = stream(Format::TarZst, b"", &rules("t")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "jingyu cannot unpack tar.zst yet; use --download-only to keep the file as it is"
    );
}

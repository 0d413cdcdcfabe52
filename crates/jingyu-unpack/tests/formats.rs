//! Every supported format, built here with the real writers, unpacked into an
//! in-memory sink; plus the hostile and damaged archives that must be refused.

use std::io::{Cursor, Write};

use jingyu_fake::archive::{
    bzip2 as bz2, gzip as gz, tar as tar_of, xz, zip as zip_of, zstd as zst,
};
use jingyu_unpack::{extract_stream, extract_zip, Format, Member, Rules, Sink, UnpackError};

/// A file to archive: path, mode, content.
type File<'a> = (&'a str, u32, &'a [u8]);
/// What unpacking gave: the chosen members and their bytes.
type Unpacked = Result<Vec<(Member, Vec<u8>)>, UnpackError>;

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

/// Every streamed tar format, built from the same files.
fn tar_formats(files: &[(&str, u32, &[u8])]) -> Vec<(Format, Vec<u8>)> {
    let tar = tar_of(files);
    vec![
        (Format::Tar, tar.clone()),
        (Format::TarGz, gz(&tar)),
        (Format::TarXz, xz(&tar)),
        (Format::TarBz2, bz2(&tar)),
        (Format::TarZst, zst(&tar)),
    ]
}

/// Unpacks `files` archived in every format (zip included) with `rules`.
fn in_every_format(files: &[File<'_>], rules: &Rules) -> Vec<(String, Unpacked)> {
    let mut out: Vec<_> = tar_formats(files)
        .into_iter()
        .map(|(f, bytes)| (f.to_string(), stream(f, &bytes, rules)))
        .collect();
    out.push((
        "zip".into(),
        extract_zip(Cursor::new(zip_of(files)), rules, &mut Memory::default()),
    ));
    out
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
fn format_matrix_one_several_nested_no_root_no_exec_bit() {
    let scenarios: &[(&str, &[File<'_>], &[&str])] = &[
        (
            "one executable",
            &[("tool", 0o755, ELF), ("README", 0o644, b"r")],
            &["tool"],
        ),
        (
            "repo name among several",
            &[("bin/helper", 0o755, ELF), ("bin/tool", 0o755, ELF)],
            &["bin/tool"],
        ),
        (
            "repo name with a platform suffix",
            &[("x/helper", 0o755, ELF), ("x/tool-linux-arm64", 0o755, ELF)],
            &["x/tool-linux-arm64"],
        ),
        (
            "nested directory",
            &[("a/b/c/tool", 0o755, ELF), ("a/b/doc.md", 0o644, b"d")],
            &["a/b/c/tool"],
        ),
        (
            "no shared root",
            &[
                ("tool", 0o755, ELF),
                ("share/tool.1", 0o644, b"man"),
                ("LICENSE", 0o644, b"MIT"),
            ],
            &["tool"],
        ),
        (
            "no exec bit, ELF content",
            &[("dist/tool", 0o644, ELF), ("dist/notes", 0o644, b"n")],
            &["dist/tool"],
        ),
        (
            "no exec bit, shebang",
            &[("tool.sh", 0o644, b"#!/bin/sh\necho hi\n")],
            &["tool.sh"],
        ),
    ];
    for (scenario, files, want) in scenarios {
        for (format, got) in in_every_format(files, &rules("tool")) {
            let got = got.unwrap_or_else(|e| panic!("{scenario} in {format}: {e}"));
            let paths: Vec<&str> = got.iter().map(|(m, _)| m.path.as_str()).collect();
            assert_eq!(paths, *want, "{scenario} in {format}");
            assert!(
                got.iter().all(|(m, _)| m.executable),
                "{scenario} in {format}"
            );
        }
    }
}

#[test]
fn format_matrix_several_executables_without_a_winner() {
    let files: &[(&str, u32, &[u8])] = &[("a", 0o755, ELF), ("b", 0o755, ELF)];
    for (format, got) in in_every_format(files, &rules("tool")) {
        assert!(
            matches!(got, Err(UnpackError::Ambiguous { .. })),
            "{format}"
        );
    }
}

#[test]
fn a_compressed_tar_with_a_single_file_name_is_still_a_tar() {
    let tar = tar_of(PROJECT);
    for (format, bytes) in [
        (Format::Gz, gz(&tar)),
        (Format::Xz, xz(&tar)),
        (Format::Bz2, bz2(&tar)),
        (Format::Zst, zst(&tar)),
    ] {
        let got =
            stream(format, &bytes, &rules("tool")).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(got[0].0.path, "tool-1.0/tool", "{format}");
    }
}

#[test]
fn concatenated_streams_are_read_whole() {
    let mut gzs = gz(b"first half, ");
    gzs.extend(gz(b"second half"));
    let got = stream(Format::Gz, &gzs, &rules("t")).unwrap();
    assert_eq!(got[0].1, b"first half, second half");
    let mut bzs = bz2(b"one ");
    bzs.extend(bz2(b"two"));
    assert_eq!(
        stream(Format::Bz2, &bzs, &rules("t")).unwrap()[0].1,
        b"one two"
    );
    let mut zsts = zst(b"alpha ");
    zsts.extend([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]); // a skippable frame
    zsts.extend(zst(b"beta"));
    assert_eq!(
        stream(Format::Zst, &zsts, &rules("t")).unwrap()[0].1,
        b"alpha beta"
    );
}

#[test]
fn single_files_are_named_from_the_asset_as_eget_names_them() {
    // The name in a gzip header is not used (eget does not use it).
    let mut e = flate2::GzBuilder::new()
        .filename("just")
        .write(Vec::new(), flate2::Compression::fast());
    e.write_all(ELF).unwrap();
    let named = e.finish().unwrap();
    let asset = |rules: Rules, asset: &str| Rules {
        asset: asset.into(),
        ..rules
    };
    let r = asset(rules("repo"), "repo-linux-amd64.gz");
    let got = stream(Format::Gz, &named, &r).unwrap();
    assert_eq!((got[0].0.path.as_str(), got[0].1.as_slice()), ("repo", ELF));
    for (format, bytes) in [
        (Format::Xz, xz(ELF)),
        (Format::Bz2, bz2(ELF)),
        (Format::Zst, zst(ELF)),
    ] {
        let got = stream(format, &bytes, &asset(rules("repo"), "repo-linux-amd64.x")).unwrap();
        assert_eq!(
            (got[0].0.path.as_str(), got[0].1.as_slice()),
            ("repo", ELF),
            "{format}"
        );
    }
    let got = stream(Format::Raw, ELF, &asset(rules("repo"), "repo-linux-amd64")).unwrap();
    assert_eq!((got[0].0.path.as_str(), got[0].0.mode), ("repo", 0o755));
    let got = stream(
        Format::Raw,
        ELF,
        &asset(rules("repo"), "repo-windows-amd64.exe"),
    )
    .unwrap();
    assert_eq!(got[0].0.path, "repo-windows-amd64.exe");
    // A package keeps its name and is not made executable.
    let got = stream(
        Format::Raw,
        b"!<arch>\n",
        &asset(rules("repo"), "repo_1_amd64.deb"),
    )
    .unwrap();
    assert_eq!(
        (got[0].0.path.as_str(), got[0].0.mode, got[0].0.executable),
        ("repo_1_amd64.deb", 0o644, false)
    );
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
        tree: true,
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
        matches!(err, UnpackError::Ambiguous { ref members, .. } if members == &["a", "b"]),
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

    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Link);
    h.set_size(0);
    b.append_link(&mut h, "hard", "../../etc/shadow").unwrap();
    let err = stream(Format::Tar, &b.into_inner().unwrap(), &rules("t")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "refusing archive entry `hard`: link points outside the destination"
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
    let err = stream(Format::Unsupported, b"7z\xbc\xaf\x27\x1c", &rules("t")).unwrap_err();
    assert_eq!(err.to_string(), "jingyu cannot unpack this archive format (7z, rar); use --download-only to keep the file as downloaded");
}

/// Found by `cargo fuzz run tar_xz`: a legacy .lzma header asking for a 4 GiB
/// dictionary made the decoder allocate it. Only .xz is accepted now, with a
/// memory cap.
#[test]
fn regression_fuzz_tar_xz_huge_dictionary_is_refused_without_allocating_it() {
    let input = include_bytes!("data/fuzz/tar_xz-oom-huge-dictionary.xz");
    let err = stream(Format::TarXz, input, &rules("t")).unwrap_err();
    assert!(matches!(err, UnpackError::Corrupt { .. }), "{err}");
}

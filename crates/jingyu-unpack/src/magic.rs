//! Recognising content by its first bytes: executables (ELF, Mach-O, PE,
//! shebang scripts) and compressed or archived streams.

use jingyu_pick::Format;

/// How many leading bytes the executable checks look at.
pub const SNIFF_LEN: usize = 8;

/// How many leading bytes [`sniff`] needs to see a tar header.
pub const TAR_SNIFF_LEN: usize = 512;

/// The container or compression `head` starts, if it is one jingyu knows:
/// `Gz`/`Xz`/`Bz2`/`Zst` for compressed streams (a tar inside is found after
/// decoding), `Zip`, `Tar`, or `Raw` for an executable.
pub fn sniff(head: &[u8]) -> Option<Format> {
    const MAGICS: &[(&[u8], Format)] = &[
        (&[0x1f, 0x8b], Format::Gz),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0], Format::Xz),
        (b"BZh", Format::Bz2),
        (&[0x28, 0xb5, 0x2f, 0xfd], Format::Zst),
        (b"PK\x03\x04", Format::Zip),
        (b"PK\x05\x06", Format::Zip),
        (b"7z\xbc\xaf\x27\x1c", Format::Unsupported),
        (b"Rar!", Format::Unsupported),
    ];
    if let Some((_, f)) = MAGICS.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(*f);
    }
    if is_tar(head) {
        return Some(Format::Tar);
    }
    is_executable(head).then_some(Format::Raw)
}

/// Whether `head` is a tar header (POSIX `ustar` or GNU `ustar  `).
pub fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// The format to unpack with: what the content says when it is recognisable
/// (keeping the name's `tar.` when the content is its compression), else what
/// the name says.
pub fn detect(by_name: Format, head: &[u8]) -> Format {
    let Some(by_content) = sniff(head) else {
        return by_name;
    };
    let tar_of = |single: Format| match (single, by_name) {
        (Format::Gz, Format::TarGz)
        | (Format::Xz, Format::TarXz)
        | (Format::Bz2, Format::TarBz2)
        | (Format::Zst, Format::TarZst) => by_name,
        _ => single,
    };
    tar_of(by_content)
}

/// Whether `head` starts an executable: ELF, Mach-O (thin or fat), PE, or a
/// `#!` script.
pub fn is_executable(head: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x7fELF",
        &[0xfe, 0xed, 0xfa, 0xce],
        &[0xfe, 0xed, 0xfa, 0xcf],
        &[0xce, 0xfa, 0xed, 0xfe],
        &[0xcf, 0xfa, 0xed, 0xfe],
        &[0xca, 0xfe, 0xba, 0xbe],
        b"MZ",
        b"#!",
    ];
    MAGICS.iter().any(|m| head.starts_with(m))
}

/// Names that are never the program even with an exec bit: documentation,
/// licences, shell completions, type declarations, man pages.
pub fn is_documentation(path: &str) -> bool {
    const NAMES: &[&str] = &[
        "readme",
        "license",
        "licence",
        "copying",
        "changelog",
        "notice",
        "authors",
        "contributing",
    ];
    const SUFFIXES: &[&str] = &[
        ".md", ".txt", ".rst", ".html", ".1", ".5", ".8", ".man", ".bash", ".zsh", ".fish", ".ps1",
        ".elv", ".d.ts", ".json", ".yaml", ".yml", ".toml", ".pdf", ".png", ".svg",
    ];
    let base = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    NAMES.iter().any(|n| {
        base == *n || base.starts_with(&format!("{n}.")) || base.starts_with(&format!("{n}-"))
    }) || SUFFIXES.iter().any(|s| base.ends_with(s))
        || base.starts_with('_') && path.contains("complet")
        || path.to_ascii_lowercase().split('/').any(|c| {
            c == "completions" || c == "complete" || c == "man" || c == "doc" || c == "docs"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_beats_a_wrong_or_missing_name() {
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        let cases: &[(Format, &[u8], Format)] = &[
            (Format::Raw, &[0x1f, 0x8b, 8, 0], Format::Gz),
            (Format::TarGz, &[0x1f, 0x8b, 8, 0], Format::TarGz),
            (Format::Zip, &[0x1f, 0x8b, 8, 0], Format::Gz),
            (Format::Raw, b"\xfd7zXZ\x00rest", Format::Xz),
            (Format::TarXz, b"\xfd7zXZ\x00rest", Format::TarXz),
            (Format::Raw, b"BZh91AY", Format::Bz2),
            (Format::Raw, &[0x28, 0xb5, 0x2f, 0xfd, 0], Format::Zst),
            (Format::TarGz, b"PK\x03\x04....", Format::Zip),
            (Format::Raw, &tar, Format::Tar),
            (Format::TarGz, b"\x7fELF\x02\x01", Format::Raw),
            (Format::Raw, b"7z\xbc\xaf\x27\x1c", Format::Unsupported),
            (Format::TarGz, b"something else", Format::TarGz),
        ];
        for (name, head, want) in cases {
            assert_eq!(detect(*name, head), *want, "{name} {head:?}");
        }
    }

    #[test]
    fn recognises_executables() {
        assert!(is_executable(b"\x7fELF\x02\x01"));
        assert!(is_executable(&[0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]));
        assert!(is_executable(b"MZ\x90\x00"));
        assert!(is_executable(b"#!/bin/sh\n"));
        assert!(!is_executable(b"hello"));
        assert!(!is_executable(b""));
    }

    #[test]
    fn recognises_documentation() {
        for doc in [
            "README",
            "README.md",
            "LICENSE-MIT",
            "doc/rg.1",
            "complete/_rg",
            "completions/rg.bash",
            "types/index.d.ts",
            "CHANGELOG.md",
        ] {
            assert!(is_documentation(doc), "{doc}");
        }
        for prog in ["rg", "bin/just", "tool.exe", "x86_64/tool"] {
            assert!(!is_documentation(prog), "{prog}");
        }
    }
}

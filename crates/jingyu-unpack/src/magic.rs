//! Recognising content by its first bytes: executables (ELF, Mach-O, PE,
//! shebang scripts) and compressed or archived streams.

/// How many leading bytes the checks here look at.
pub const SNIFF_LEN: usize = 8;

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

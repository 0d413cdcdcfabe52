//! Asset file names to formats: which archive or compression a name says it
//! is, and which names are never an installable build (checksums, signatures,
//! SBOMs, OS packages, source archives, debug symbols, documents).

use std::fmt;

/// How an asset is packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    TarGz,
    TarXz,
    TarBz2,
    TarZst,
    Tar,
    Zip,
    Gz,
    Xz,
    Bz2,
    Zst,
    /// A bare file: an executable, an `AppImage`, a script.
    Raw,
    /// A container jingyu cannot open (`.7z`, `.rar`).
    Unsupported,
}

/// Why a name is never picked unless `--asset` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignored {
    Checksum,
    Signature,
    Sbom,
    Package,
    Source,
    DebugSymbols,
    Document,
}

const SUFFIXES: &[(&str, Format)] = &[
    (".tar.gz", Format::TarGz),
    (".tgz", Format::TarGz),
    (".tar.xz", Format::TarXz),
    (".txz", Format::TarXz),
    (".tar.bz2", Format::TarBz2),
    (".tbz", Format::TarBz2),
    (".tbz2", Format::TarBz2),
    (".tar.zst", Format::TarZst),
    (".tzst", Format::TarZst),
    (".tar", Format::Tar),
    (".zip", Format::Zip),
    (".gz", Format::Gz),
    (".xz", Format::Xz),
    (".bz2", Format::Bz2),
    (".zst", Format::Zst),
    (".7z", Format::Unsupported),
    (".rar", Format::Unsupported),
];

const IGNORED_SUFFIXES: &[(&str, Ignored)] = &[
    (".sha256", Ignored::Checksum),
    (".sha256sum", Ignored::Checksum),
    (".sha256sums", Ignored::Checksum),
    (".sha256.txt", Ignored::Checksum),
    (".sha512", Ignored::Checksum),
    (".sha512sum", Ignored::Checksum),
    (".sha1", Ignored::Checksum),
    (".md5", Ignored::Checksum),
    (".b3", Ignored::Checksum),
    (".sum", Ignored::Checksum),
    (".sums", Ignored::Checksum),
    (".sig", Ignored::Signature),
    (".asc", Ignored::Signature),
    (".gpg", Ignored::Signature),
    (".minisig", Ignored::Signature),
    (".pem", Ignored::Signature),
    (".crt", Ignored::Signature),
    (".cert", Ignored::Signature),
    (".pub", Ignored::Signature),
    (".p7s", Ignored::Signature),
    (".sigstore", Ignored::Signature),
    (".sigstore.json", Ignored::Signature),
    (".bundle", Ignored::Signature),
    (".sbom", Ignored::Sbom),
    (".sbom.json", Ignored::Sbom),
    (".spdx", Ignored::Sbom),
    (".spdx.json", Ignored::Sbom),
    (".cdx.json", Ignored::Sbom),
    (".cdx.xml", Ignored::Sbom),
    (".bom.json", Ignored::Sbom),
    (".intoto.jsonl", Ignored::Sbom),
    (".provenance.json", Ignored::Sbom),
    (".deb", Ignored::Package),
    (".rpm", Ignored::Package),
    (".apk", Ignored::Package),
    (".msi", Ignored::Package),
    (".pkg", Ignored::Package),
    (".dmg", Ignored::Package),
    (".snap", Ignored::Package),
    (".flatpak", Ignored::Package),
    (".appx", Ignored::Package),
    (".msix", Ignored::Package),
    (".nupkg", Ignored::Package),
    (".whl", Ignored::Package),
    (".vsix", Ignored::Package),
    (".pkg.tar.zst", Ignored::Package),
    (".pdb", Ignored::DebugSymbols),
    (".dsym.zip", Ignored::DebugSymbols),
    (".dsym.tar.gz", Ignored::DebugSymbols),
    (".debug", Ignored::DebugSymbols),
    (".txt", Ignored::Document),
    (".md", Ignored::Document),
    (".json", Ignored::Document),
    (".yaml", Ignored::Document),
    (".yml", Ignored::Document),
    (".toml", Ignored::Document),
    (".html", Ignored::Document),
    (".pdf", Ignored::Document),
    (".png", Ignored::Document),
    (".svg", Ignored::Document),
    (".zsync", Ignored::Document),
    (".sh", Ignored::Package),
    (".ps1", Ignored::Package),
];

/// Words that, as a whole word of the name, mark a whole-release file
/// (`checksums.txt`, `SHA256SUMS`) or a source archive.
const IGNORED_WORDS: &[(&str, Ignored)] = &[
    ("checksums", Ignored::Checksum),
    ("checksum", Ignored::Checksum),
    ("sha256sums", Ignored::Checksum),
    ("sha512sums", Ignored::Checksum),
    ("b3sums", Ignored::Checksum),
    ("md5sums", Ignored::Checksum),
    ("installer", Ignored::Package),
    ("setup", Ignored::Package),
    ("sbom", Ignored::Sbom),
    ("attestation", Ignored::Sbom),
    ("provenance", Ignored::Sbom),
    ("src", Ignored::Source),
    ("source", Ignored::Source),
    ("sources", Ignored::Source),
    ("vendor", Ignored::Source),
    ("dsym", Ignored::DebugSymbols),
    ("symbols", Ignored::DebugSymbols),
];

impl Format {
    /// The format a file name says it has; a name with no known suffix is `Raw`.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        SUFFIXES
            .iter()
            .find(|(suffix, _)| lower.ends_with(suffix))
            .map_or(Format::Raw, |(_, f)| *f)
    }

    /// The name without the format's suffix (`rg-14.tar.gz` gives `rg-14`).
    pub fn strip_suffix(self, name: &str) -> &str {
        let lower = name.to_ascii_lowercase();
        SUFFIXES
            .iter()
            .filter(|(_, f)| *f == self)
            .find(|(suffix, _)| lower.ends_with(suffix))
            .map_or(name, |(suffix, _)| &name[..name.len() - suffix.len()])
    }

    /// Whether the format is a tar stream (possibly compressed).
    pub fn is_tar(self) -> bool {
        matches!(
            self,
            Format::TarGz | Format::TarXz | Format::TarBz2 | Format::TarZst | Format::Tar
        )
    }

    /// How much jingyu prefers this format over others of the same build
    /// (higher is better): a bare executable first (it is the program, with
    /// nothing to choose inside: `yt-dlp_linux.zip` is a different, one-folder
    /// build), then tar streams, the fastest to decode first, then single
    /// compressed files, then zip (which must be spooled to disk before it can
    /// be read); `None` when jingyu cannot unpack it. An `AppImage` is ranked
    /// apart, last: see [`preference_of`].
    pub fn preference(self) -> Option<u8> {
        Some(match self {
            Format::Raw => 10,
            Format::TarZst => 9,
            Format::TarXz => 8,
            Format::TarGz => 7,
            Format::TarBz2 => 6,
            Format::Tar => 5,
            Format::Zst | Format::Xz | Format::Gz | Format::Bz2 => 4,
            Format::Zip => 3,
            Format::Unsupported => return None,
        })
    }

    /// Whether jingyu can unpack it.
    pub fn is_supported(self) -> bool {
        self != Format::Unsupported
    }
}

/// [`Format::preference`] for a name, with an `AppImage` last of all: it needs
/// FUSE, which a container rarely has, so an archive of the same build is better.
pub fn preference_of(name: &str) -> Option<u8> {
    if name.to_ascii_lowercase().ends_with(".appimage") {
        return Some(1);
    }
    Format::from_name(name).preference()
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::TarGz => "tar.gz",
            Format::TarXz => "tar.xz",
            Format::TarBz2 => "tar.bz2",
            Format::TarZst => "tar.zst",
            Format::Tar => "tar",
            Format::Zip => "zip",
            Format::Gz => "gz",
            Format::Xz => "xz",
            Format::Bz2 => "bz2",
            Format::Zst => "zst",
            Format::Raw => "raw file",
            Format::Unsupported => "unsupported archive",
        })
    }
}

impl Ignored {
    /// Why a name is not an installable build, or `None` when it may be one.
    pub fn classify(name: &str) -> Option<Ignored> {
        let lower = name.to_ascii_lowercase();
        let by_word = crate::tokens::words(&lower)
            .iter()
            .find_map(|w| IGNORED_WORDS.iter().find(|(iw, _)| iw == w))
            .map(|(_, why)| *why);
        by_word.or_else(|| {
            IGNORED_SUFFIXES
                .iter()
                .find(|(s, _)| lower.ends_with(s))
                .map(|(_, why)| *why)
        })
    }

    /// A few words for the "dropped because" lists.
    pub fn reason(self) -> &'static str {
        match self {
            Ignored::Checksum => "a checksum file",
            Ignored::Signature => "a signature or certificate",
            Ignored::Sbom => "an SBOM or attestation",
            Ignored::Package => "an OS package or installer",
            Ignored::Source => "a source archive",
            Ignored::DebugSymbols => "debug symbols",
            Ignored::Document => "a document, not a build",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names() {
        let cases = [
            ("rg-14.1.0-x86_64-unknown-linux-musl.tar.gz", Format::TarGz),
            ("tool.TGZ", Format::TarGz),
            ("tool.tar.xz", Format::TarXz),
            ("tool.txz", Format::TarXz),
            ("tool.tar.bz2", Format::TarBz2),
            ("tool.tbz", Format::TarBz2),
            ("tool.tar.zst", Format::TarZst),
            ("tool.tar", Format::Tar),
            ("tool_windows_amd64.zip", Format::Zip),
            ("just.gz", Format::Gz),
            ("tool.xz", Format::Xz),
            ("tool.bz2", Format::Bz2),
            ("tool.zst", Format::Zst),
            ("jq-linux-amd64", Format::Raw),
            ("tool.exe", Format::Raw),
            ("tool.AppImage", Format::Raw),
            ("tool.7z", Format::Unsupported),
        ];
        for (name, want) in cases {
            assert_eq!(Format::from_name(name), want, "{name}");
        }
    }

    #[test]
    fn preference_orders_bare_then_tar_streams_then_compressed_then_zip_then_appimage() {
        let order = [
            "t",
            "t.tar.zst",
            "t.tar.xz",
            "t.tar.gz",
            "t.tar.bz2",
            "t.tar",
            "t.gz",
            "t.zip",
            "t.AppImage",
        ];
        let prefs: Vec<u8> = order.iter().map(|n| preference_of(n).unwrap()).collect();
        assert!(prefs.windows(2).all(|w| w[0] > w[1]), "{prefs:?}");
        assert_eq!(preference_of("t.7z"), None);
    }

    #[test]
    fn strips_only_its_own_suffix() {
        assert_eq!(Format::TarGz.strip_suffix("rg-1.tar.gz"), "rg-1");
        assert_eq!(Format::TarGz.strip_suffix("rg-1.tgz"), "rg-1");
        assert_eq!(Format::Gz.strip_suffix("just.gz"), "just");
        assert_eq!(Format::Raw.strip_suffix("jq-linux"), "jq-linux");
    }

    #[test]
    fn ignores_what_is_not_a_build() {
        let cases = [
            ("checksums.txt", Some(Ignored::Checksum)),
            ("SHA256SUMS", Some(Ignored::Checksum)),
            ("tool_1.0_checksums.txt", Some(Ignored::Checksum)),
            ("tool.tar.gz.sha256", Some(Ignored::Checksum)),
            ("tool.tar.gz.sig", Some(Ignored::Signature)),
            ("tool.tar.gz.asc", Some(Ignored::Signature)),
            ("tool.tar.gz.pem", Some(Ignored::Signature)),
            ("tool.sbom.json", Some(Ignored::Sbom)),
            ("tool.intoto.jsonl", Some(Ignored::Sbom)),
            ("tool_1.0_amd64.deb", Some(Ignored::Package)),
            ("tool-1.0.x86_64.rpm", Some(Ignored::Package)),
            ("tool.msi", Some(Ignored::Package)),
            ("tool.dmg", Some(Ignored::Package)),
            ("tool-1.0-src.tar.gz", Some(Ignored::Source)),
            ("tool-vendor.tar.gz", Some(Ignored::Source)),
            ("tool.pdb", Some(Ignored::DebugSymbols)),
            ("tool.tar.xz.b3", Some(Ignored::Checksum)),
            ("B3SUMS", Some(Ignored::Checksum)),
            ("uv-installer.sh", Some(Ignored::Package)),
            ("cmake-3.31.3-linux-x86_64.sh", Some(Ignored::Package)),
            ("helix-x86_64.AppImage.zsync", Some(Ignored::Document)),
            (
                "tool-x86_64-apple-darwin.dSYM.zip",
                Some(Ignored::DebugSymbols),
            ),
            ("tool-linux-amd64.tar.gz", None),
            ("tool.exe", None),
            ("jq-linux-amd64", None),
            ("resource-linux-amd64", None),
        ];
        for (name, want) in cases {
            assert_eq!(Ignored::classify(name), want, "{name}");
        }
    }
}

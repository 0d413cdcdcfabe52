//! Expected digests from checksum files: which of a release's files can vouch
//! for an asset (a sidecar such as `tool.tar.gz.sha256`, or a sums file such as
//! `checksums.txt` or `SHA256SUMS`), and the sha256 they list for it, in both
//! `<hex>  name` and `<hex> *name` forms, with sha512 lines skipped.

/// What kind of checksum file a release file is, for one asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumKind {
    /// `NAME.sha256`, `NAME.sha256sum`, `NAME.sha256.txt`: for that asset only.
    Sidecar,
    /// A file listing many assets.
    Sums,
}

const SIDECAR_SUFFIXES: [&str; 3] = [".sha256", ".sha256sum", ".sha256.txt"];
const SUMS_NAMES: [&str; 7] = [
    "checksums.txt",
    "checksum.txt",
    "sha256sums",
    "sha256sums.txt",
    "sha256sum.txt",
    "checksums.sha256",
    "sha256.txt",
];
const SUMS_SUFFIXES: [&str; 8] = [
    "_checksums.txt",
    "-checksums.txt",
    ".checksums.txt",
    "_sha256sums.txt",
    "-sha256sums.txt",
    ".sha256sums",
    "_sha256sums",
    "_checksums.sha256",
];

/// The files among `names` that may hold `asset`'s sha256, sidecars first.
///
/// ```
/// use jingyu_pick::{checksum_files, ChecksumKind};
/// let names = ["t.tar.gz", "t.tar.gz.sha256", "other.zip.sha256", "t_1.0_checksums.txt"];
/// assert_eq!(checksum_files("t.tar.gz", &names), [("t.tar.gz.sha256", ChecksumKind::Sidecar), ("t_1.0_checksums.txt", ChecksumKind::Sums)]);
/// ```
pub fn checksum_files<'n>(asset: &str, names: &[&'n str]) -> Vec<(&'n str, ChecksumKind)> {
    let asset_lower = asset.to_ascii_lowercase();
    let sidecars = names.iter().filter(|n| {
        let lower = n.to_ascii_lowercase();
        SIDECAR_SUFFIXES
            .iter()
            .any(|s| lower == format!("{asset_lower}{s}"))
    });
    let sums = names.iter().filter(|n| {
        let lower = n.to_ascii_lowercase();
        SUMS_NAMES.contains(&lower.as_str()) || SUMS_SUFFIXES.iter().any(|s| lower.ends_with(s))
    });
    let sidecars = sidecars.map(|n| (*n, ChecksumKind::Sidecar));
    sidecars
        .chain(sums.map(|n| (*n, ChecksumKind::Sums)))
        .collect()
}

/// Every distinct sha256 (lowercase hex) listed for `asset` in a checksum
/// file: none, one, or (a file that contradicts itself) several, every one of
/// which the download must match, so contradictory entries always fail, as
/// `sha256sum -c` fails them.
///
/// A file whose only content is one 64-digit hash (a sidecar) applies to
/// whatever asset it was fetched for.
///
/// ```
/// use jingyu_pick::sha256_for;
/// let sums = "abc  other\n".to_owned() + &"a".repeat(64) + " *tool.tar.gz\n";
/// assert_eq!(sha256_for(&sums, "tool.tar.gz"), ["a".repeat(64)]);
/// ```
pub fn sha256_for(file: &str, asset: &str) -> Vec<String> {
    let mut lines = file.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return Vec::new();
    };
    let mut fields = first.split_whitespace();
    if let (Some(hash), None) = (fields.next(), fields.next()) {
        return if is_sha256(hash) {
            vec![hash.to_ascii_lowercase()]
        } else {
            Vec::new()
        };
    }
    let mut found: Vec<String> = Vec::new();
    for line in std::iter::once(first).chain(lines) {
        let Some((hash, name)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        let name = name.trim_start().trim_start_matches('*');
        let base = name.rsplit('/').next().unwrap_or(name);
        let hash = hash.to_ascii_lowercase();
        if is_sha256(&hash) && (name == asset || base == asset) && !found.contains(&hash) {
            found.push(hash);
        }
    }
    found
}

/// Whether `s` is 64 hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_line_forms_and_skips_sha512() {
        let a = "a".repeat(64);
        let b = "B".repeat(64);
        let sha512 = "c".repeat(128);
        let file = format!("{sha512}  tool.tar.gz\n{a}  other.zip\n{b} *tool.tar.gz\n");
        assert_eq!(sha256_for(&file, "tool.tar.gz"), ["b".repeat(64)]);
        assert_eq!(sha256_for(&file, "other.zip"), std::slice::from_ref(&a));
        assert_eq!(sha256_for(&file, "missing.zip"), Vec::<String>::new());
    }

    #[test]
    fn finds_sidecars_and_sums_files_by_their_usual_names() {
        let names = [
            "t.tar.gz",
            "t.tar.gz.sha256sum",
            "T.TAR.GZ.SHA256.TXT",
            "u.tar.gz.sha256",
            "checksums.txt",
            "SHA256SUMS",
            "t_1.2.3_checksums.txt",
            "t-1.2.3.sha256sums",
            "t.tar.gz.sig",
            "notes.txt",
        ];
        let found = checksum_files("t.tar.gz", &names);
        assert_eq!(
            found,
            [
                ("t.tar.gz.sha256sum", ChecksumKind::Sidecar),
                ("T.TAR.GZ.SHA256.TXT", ChecksumKind::Sidecar),
                ("checksums.txt", ChecksumKind::Sums),
                ("SHA256SUMS", ChecksumKind::Sums),
                ("t_1.2.3_checksums.txt", ChecksumKind::Sums),
                ("t-1.2.3.sha256sums", ChecksumKind::Sums),
            ]
        );
        assert!(checksum_files("x", &["x.sig", "readme"]).is_empty());
    }

    #[test]
    fn contradictory_entries_are_all_returned() {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        let file = format!("{a}  tool.tar.gz\n{b}  tool.tar.gz\n{a} *tool.tar.gz\n");
        assert_eq!(sha256_for(&file, "tool.tar.gz"), [a, b]);
    }

    #[test]
    fn a_sidecar_holds_one_hash() {
        let h = "d".repeat(64);
        assert_eq!(
            sha256_for(&format!("{h}\n"), "anything"),
            std::slice::from_ref(&h)
        );
        assert_eq!(
            sha256_for(&format!("{h}  ./dist/tool.tgz\n"), "tool.tgz"),
            [h]
        );
        assert_eq!(sha256_for("not-a-hash\n", "x"), Vec::<String>::new());
        assert_eq!(sha256_for("", "x"), Vec::<String>::new());
    }
}

//! Expected digests from checksum files: a sidecar (`tool.tar.gz.sha256`) that
//! holds one hash, or a sums file (`checksums.txt`, `SHA256SUMS`) that lists
//! `<hex>  name` or `<hex> *name` lines, possibly with sha512 lines mixed in.

/// The sha256 (lowercase hex) listed for `asset` in a checksum file, if any.
///
/// A file whose only content is one 64-digit hash (a sidecar) applies to
/// whatever asset it was fetched for.
///
/// ```
/// use jingyu_pick::sha256_for;
/// let sums = "abc  other\n".to_owned() + &"a".repeat(64) + " *tool.tar.gz\n";
/// assert_eq!(sha256_for(&sums, "tool.tar.gz"), Some("a".repeat(64)));
/// ```
pub fn sha256_for(file: &str, asset: &str) -> Option<String> {
    let mut lines = file.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let mut fields = first.split_whitespace();
    if let (Some(hash), None) = (fields.next(), fields.next()) {
        return is_sha256(hash).then(|| hash.to_ascii_lowercase());
    }
    std::iter::once(first).chain(lines).find_map(|line| {
        let (hash, name) = line.split_once(char::is_whitespace)?;
        let name = name.trim_start().trim_start_matches('*');
        let base = name.rsplit('/').next().unwrap_or(name);
        (is_sha256(hash) && (name == asset || base == asset)).then(|| hash.to_ascii_lowercase())
    })
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
        assert_eq!(sha256_for(&file, "tool.tar.gz"), Some("b".repeat(64)));
        assert_eq!(sha256_for(&file, "other.zip"), Some(a));
        assert_eq!(sha256_for(&file, "missing.zip"), None);
    }

    #[test]
    fn a_sidecar_holds_one_hash() {
        let h = "d".repeat(64);
        assert_eq!(sha256_for(&format!("{h}\n"), "anything"), Some(h.clone()));
        assert_eq!(
            sha256_for(&format!("{h}  ./dist/tool.tgz\n"), "tool.tgz"),
            Some(h)
        );
        assert_eq!(sha256_for("not-a-hash\n", "x"), None);
        assert_eq!(sha256_for("", "x"), None);
    }
}

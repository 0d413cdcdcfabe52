//! `Sha256`: a parsed, printable sha256 digest, and the hasher that computes
//! one over everything read through it.

use std::fmt;
use std::io::{self, Read};

use ring::digest::{Context, SHA256, SHA512};

/// A sha256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256([u8; 32]);

impl Sha256 {
    /// Parses 64 hex digits, with an optional `sha256:` prefix (the API's form).
    pub fn parse(s: &str) -> Option<Sha256> {
        let hex = s.trim();
        let hex = hex.strip_prefix("sha256:").unwrap_or(hex);
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Sha256(out))
    }

    /// The 32 bytes (what a signature over the digest signs).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256 {
        let mut h = Hasher::new();
        h.update(bytes);
        h.finish()
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({self})")
    }
}

/// An incremental sha256 (and sha512, when asked: what some attestations
/// name the artifact by).
#[derive(Clone)]
pub struct Hasher {
    sha256: Context,
    sha512: Option<Context>,
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher {
            sha256: Context::new(&SHA256),
            sha512: None,
        }
    }

    /// One that also computes the sha512.
    pub fn with_sha512() -> Hasher {
        Hasher {
            sha512: Some(Context::new(&SHA512)),
            ..Hasher::new()
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.sha256.update(bytes);
        if let Some(sha512) = &mut self.sha512 {
            sha512.update(bytes);
        }
    }

    pub fn finish(self) -> Sha256 {
        self.finish_both().0
    }

    /// The sha256, and the sha512 if it was asked for.
    pub fn finish_both(self) -> (Sha256, Option<[u8; 64]>) {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.sha256.finish().as_ref());
        let sha512 = self.sha512.map(|c| {
            let mut long = [0u8; 64];
            long.copy_from_slice(c.finish().as_ref());
            long
        });
        (Sha256(out), sha512)
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}

/// Hashes everything read through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Hasher,
    count: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Hasher::new(),
            count: 0,
        }
    }

    /// Computes the sha512 too (before anything is read).
    #[must_use]
    pub fn with_sha512(mut self) -> Self {
        debug_assert_eq!(self.count, 0, "asked before reading");
        self.hasher = Hasher::with_sha512();
        self
    }

    /// Reads whatever is left (so the digest covers the whole stream), then
    /// returns the digest and the number of bytes.
    pub fn finish(self) -> io::Result<(Sha256, u64)> {
        self.finish_fetched().map(|f| (f.sha256, f.len))
    }

    /// The same, as a download's record (with the sha512 if asked).
    pub fn finish_fetched(mut self) -> io::Result<crate::Fetched> {
        io::copy(&mut self, &mut io::sink())?;
        let (sha256, sha512) = self.hasher.finish_both();
        Ok(crate::Fetched {
            sha256,
            len: self.count,
            sha512,
        })
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector_and_hex_round_trip() {
        let d = Sha256::of(b"abc");
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(d.to_string(), hex);
        assert_eq!(Sha256::parse(hex), Some(d));
        assert_eq!(
            Sha256::parse(&format!("sha256:{}", hex.to_uppercase())),
            Some(d)
        );
        assert_eq!(Sha256::parse("abc"), None);
        assert_eq!(Sha256::parse(&"g".repeat(64)), None);
    }

    #[test]
    fn hashing_reader_covers_unread_rest() {
        let data = vec![7u8; 100_000];
        let mut r = HashingReader::new(&data[..]);
        let mut first = [0u8; 10];
        r.read_exact(&mut first).unwrap();
        let (digest, n) = r.finish().unwrap();
        assert_eq!((digest, n), (Sha256::of(&data), 100_000));
    }
}

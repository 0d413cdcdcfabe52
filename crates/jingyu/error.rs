//! The top-level error: every stage's error, the one exit-code table, and the
//! rendering of an error chain (`jingyu: error: …` then `caused by: …` lines).

use std::fmt::{self, Write as _};
use std::io;
use std::path::PathBuf;

use jingyu_fetch::{FetchError, Sha256};
use jingyu_forge::ForgeError;
use jingyu_pick::PickError;
use jingyu_place::PlaceError;
use jingyu_unpack::UnpackError;

#[derive(Debug)]
pub(crate) enum Error {
    /// Exit 2: a bad flag, value, target or combination.
    Usage(String),
    /// Exit 3 (not found) or 6 (rate limit, token, HTTP).
    Forge(ForgeError),
    /// Exit 3: a local file target that cannot be read.
    LocalFile { path: PathBuf, source: io::Error },
    /// Exit 4: no asset fits, or several do. `context` names repo and tag.
    Pick { context: String, source: PickError },
    /// Exit 5: the download's sha256 is not the expected one.
    Mismatch {
        asset: String,
        expected: Sha256,
        actual: Sha256,
        from: String,
    },
    /// Exit 5: a sidecar checksum file that holds no sha256 for its asset.
    BadChecksumFile { file: String, asset: String },
    /// Exit 5: `--require-verified` and nothing to verify against.
    Unverified { asset: String },
    /// Exit 6: network or HTTP.
    Fetch(FetchError),
    /// Exit 7: an extracted binary is for another platform.
    WrongPlatform {
        file: String,
        found: String,
        wanted: String,
    },
    /// Exit 7: the archive is damaged, unsafe, too large, or lacks the file.
    Unpack { asset: String, source: UnpackError },
    /// Exit 7 (an unsafe tree: a link leading outside, a file written
    /// through a link) or 8 (something in the destination in the way, or
    /// the file system refused).
    Place { asset: String, source: PlaceError },
    /// Exit 8: the destination cannot be written.
    Install { path: PathBuf, source: io::Error },
    /// Exit 8: the destination is unusable for what was asked.
    Destination(String),
}

impl Error {
    /// The process exit code: one table, documented in the README and `--help`.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Forge(ForgeError::NotFound { .. } | ForgeError::RepoNotFound { .. })
            | Error::LocalFile { .. } => 3,
            Error::Pick { .. } => 4,
            Error::Mismatch { .. } | Error::BadChecksumFile { .. } | Error::Unverified { .. } => 5,
            Error::Forge(_) | Error::Fetch(_) => 6,
            Error::Unpack { .. }
            | Error::WrongPlatform { .. }
            | Error::Place {
                source: PlaceError::Unsafe { .. },
                ..
            } => 7,
            Error::Install { .. } | Error::Destination(_) | Error::Place { .. } => 8,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::Destination(m) => f.write_str(m),
            Error::Forge(e) => write!(f, "{e}"),
            Error::LocalFile { path, source } => {
                write!(f, "cannot read `{}`: {source}", path.display())
            }
            Error::Pick { context, source } => write!(f, "{context}: {source}"),
            Error::Mismatch {
                asset,
                expected,
                actual,
                from,
            } => {
                write!(f, "sha256 mismatch for `{asset}`: expected {expected} ({from}), got {actual}; nothing was installed")
            }
            Error::BadChecksumFile { file, asset } => write!(f, "`{file}` holds no sha256 for `{asset}`; nothing was installed"),
            Error::Unverified { asset } => write!(
                f,
                "`{asset}` cannot be verified: the release has no digest, sidecar or checksums file for it, and --require-verified is set; pass --verify-sha256 HEX"
            ),
            Error::Fetch(e) => write!(f, "{e}"),
            Error::WrongPlatform { file, found, wanted } => write!(
                f,
                "`{file}` is {found}, not a binary for {wanted}; the release is mispackaged or another asset fits (see --dry-run --verbose); --skip-binary-check installs it anyway"
            ),
            Error::Unpack { asset, source } => write!(f, "`{asset}`: {source}"),
            Error::Place {
                asset,
                source: source @ PlaceError::Unsafe { .. },
            } => write!(f, "`{asset}`: {source}"),
            Error::Place {
                source: source @ PlaceError::InTheWay { .. },
                ..
            } => write!(f, "{source}"),
            Error::Install { path, source }
            | Error::Place {
                source: PlaceError::Io { path, source },
                ..
            } => write!(
                f,
                "cannot install to `{}`: {}",
                path.display(),
                io_reason(source)
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Forge(e) => e.source(),
            Error::Fetch(e) => e.source(),
            Error::Unpack { source, .. } => source.source(),
            _ => None,
        }
    }
}

/// An I/O error in plain words, with the fix where there is an obvious one.
fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "permission denied; choose a writable --to or run with the rights to write there"
                .to_owned()
        }
        io::ErrorKind::NotFound => {
            "the directory does not exist; create it or end --to with / to have it created"
                .to_owned()
        }
        io::ErrorKind::ReadOnlyFilesystem => {
            "the file system is read-only; choose another --to".to_owned()
        }
        _ => e.to_string(),
    }
}

impl From<ForgeError> for Error {
    fn from(e: ForgeError) -> Self {
        match e {
            ForgeError::Fetch(f) => Error::Fetch(f),
            other => Error::Forge(other),
        }
    }
}

impl From<FetchError> for Error {
    fn from(e: FetchError) -> Self {
        Error::Fetch(e)
    }
}

/// The whole chain, one line each: the message, then `caused by:` lines for
/// sources that add something.
pub(crate) fn render(e: &Error) -> String {
    let mut out = format!("jingyu: error: {e}");
    let mut seen = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let line = s.to_string();
        if !seen.contains(&line) {
            let _ = write!(out, "\n  caused by: {line}");
            seen.push_str(&line);
        }
        source = s.source();
    }
    out
}

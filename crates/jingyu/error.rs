//! The top-level error: every stage's error, the one exit-code table, and the
//! rendering of an error chain (`jingyu: error: …` then `caused by: …` lines).

use std::fmt::{self, Write as _};
use std::io;
use std::path::{Path, PathBuf};

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
    /// Exit 5: a signature that does not verify, or `--require-signed` and
    /// none that can.
    Signature { asset: String, why: String },
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
    /// `--download-all`, `jingyu install`, `jingyu lock`: some of `total`
    /// `what` failed (each reported already); the first failure's code.
    Several {
        failed: Vec<String>,
        total: usize,
        what: &'static str,
        code: u8,
    },
}

/// The exit codes: the one table. `--help` prints it ([`exit_codes_help`]);
/// tests hold the README's table and every error's code to it.
pub(crate) const EXIT_CODES: [(u8, &str); 9] = [
    (0, "success (also: `--upgrade-only` found the file up to date)"),
    (1, "internal error: a bug in jingyu (please report it)"),
    (2, "usage: a bad flag, value, target or combination"),
    (3, "repository, release or local file not found, or no release old enough for --min-age"),
    (4, "no asset fits, or several do"),
    (5, "checksum mismatch, a broken sidecar, or nothing to verify with `--require-verified`; a signature (minisign, cosign, Sigstore bundle or attestation) that does not verify, or none with `--require-signed`"),
    (6, "network, HTTP, TLS, proxy, rate limit, token or time limit problem"),
    (7, "archive problem: no such file, corrupt, unsafe entry, too large, unsupported, or a binary for another platform"),
    (8, "install failed: destination missing, not writable, or in the way (a link or directory where jingyu would write)"),
];

/// The "Error codes:" section of `--help`, from [`EXIT_CODES`].
pub(crate) fn exit_codes_help() -> String {
    let mut out = String::from("Error codes:");
    for (code, meaning) in EXIT_CODES {
        let _ = write!(out, "\n  {code} {}", meaning.replace('`', ""));
    }
    out
}

impl Error {
    /// The process exit code, from [`EXIT_CODES`].
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Forge(
                ForgeError::NotFound { .. }
                | ForgeError::RepoNotFound { .. }
                | ForgeError::TooYoung { .. }
                | ForgeError::NoneOldEnough { .. },
            )
            | Error::LocalFile { .. } => 3,
            Error::Pick { .. } => 4,
            Error::Mismatch { .. }
            | Error::BadChecksumFile { .. }
            | Error::Unverified { .. }
            | Error::Signature { .. } => 5,
            Error::Forge(_) | Error::Fetch(_) => 6,
            Error::Unpack { .. }
            | Error::WrongPlatform { .. }
            | Error::Place {
                source: PlaceError::Unsafe { .. },
                ..
            } => 7,
            Error::Install { .. } | Error::Destination(_) | Error::Place { .. } => 8,
            Error::Several { code, .. } => *code,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::Destination(m) => f.write_str(m),
            Error::Forge(e) => write!(f, "{e}"),
            Error::Several {
                failed,
                total,
                what,
                ..
            } => write!(
                f,
                "{} of the {total} {what} failed: {}; the others are done (see the warnings above)",
                failed.len(),
                failed.join(", ")
            ),
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
            Error::Signature { asset, why } => write!(f, "`{asset}`: {why}; nothing was installed"),
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

/// A failure to write below `path` (exit 8).
pub(crate) fn install_error(path: &Path, source: io::Error) -> Error {
    Error::Install {
        path: path.to_path_buf(),
        source,
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The README's exit-code table, row by row.
    fn readme_rows() -> Vec<(u8, String)> {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("## Exit codes")
            .nth(1)
            .expect("an exit-code section");
        table
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l
                    .trim()
                    .trim_matches('|')
                    .split('|')
                    .map(str::trim)
                    .collect();
                Some((cells.first()?.parse().ok()?, (*cells.get(1)?).to_owned()))
            })
            .collect()
    }

    #[test]
    fn the_readme_table_is_the_table() {
        let want: Vec<(u8, String)> = EXIT_CODES
            .iter()
            .map(|(c, m)| (*c, (*m).to_owned()))
            .collect();
        assert_eq!(readme_rows(), want);
    }

    #[test]
    fn help_prints_the_table() {
        let help = exit_codes_help();
        assert_eq!(help.lines().count(), EXIT_CODES.len() + 1);
        assert!(
            help.contains("\n  7 archive problem: no such file"),
            "{help}"
        );
        assert!(!help.contains('`'), "{help}");
    }

    #[test]
    fn every_error_exits_with_a_code_of_the_table() {
        let io = || io::Error::other("x");
        let errors = [
            Error::Usage("x".into()),
            Error::LocalFile {
                path: PathBuf::new(),
                source: io(),
            },
            Error::Unverified { asset: "a".into() },
            Error::BadChecksumFile {
                file: "f".into(),
                asset: "a".into(),
            },
            Error::Fetch(FetchError::Config("x".into())),
            Error::WrongPlatform {
                file: "f".into(),
                found: "x".into(),
                wanted: "y".into(),
            },
            Error::Place {
                asset: "a".into(),
                source: PlaceError::Unsafe {
                    entry: "e".into(),
                    why: "w".into(),
                },
            },
            Error::Place {
                asset: "a".into(),
                source: PlaceError::InTheWay {
                    path: PathBuf::new(),
                    why: "w",
                },
            },
            Error::Install {
                path: PathBuf::new(),
                source: io(),
            },
            Error::Destination("x".into()),
        ];
        let codes: Vec<u8> = errors.iter().map(Error::exit_code).collect();
        assert_eq!(codes, [2, 3, 5, 5, 6, 7, 7, 8, 8, 8]);
        for code in codes {
            assert!(EXIT_CODES.iter().any(|(c, _)| *c == code), "{code}");
        }
    }
}

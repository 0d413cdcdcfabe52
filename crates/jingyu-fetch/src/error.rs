//! `FetchError`: what went wrong talking HTTP, always naming the URL.

use std::fmt;
use std::io;

/// An HTTP failure. URLs in messages never carry credentials (jingyu never puts
/// tokens in URLs).
#[derive(Debug)]
pub enum FetchError {
    /// The server answered with a status jingyu cannot use.
    Status { url: String, code: u16 },
    /// The connection failed, timed out or broke.
    Transport { url: String, message: String },
    /// The body ended before the length the server announced.
    Truncated {
        url: String,
        expected: u64,
        got: u64,
    },
    /// `--max-time` ran out.
    Deadline {
        url: String,
        limit: std::time::Duration,
    },
    /// A download stayed below `--speed-limit` for `--speed-time`.
    TooSlow {
        url: String,
        bytes_per_sec: u64,
        over: std::time::Duration,
        got: u64,
    },
    /// `SSL_CERT_FILE`, `SSL_CERT_DIR` or a proxy variable is unusable.
    Config(String),
    /// Reading or writing a local file.
    Io(io::Error),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Status { url, code } => write!(f, "{url} answered HTTP {code}"),
            FetchError::Transport { url, message } => write!(f, "cannot fetch {url}: {message}"),
            FetchError::Truncated { url, expected, got } => write!(
                f,
                "download of {url} was cut short: expected {expected} bytes, got {got}"
            ),
            FetchError::Deadline { url, limit } => write!(
                f,
                "{url}: --max-time {}s ran out before the download finished; raise --max-time (JINGYU_MAX_TIME)",
                limit.as_secs()
            ),
            FetchError::TooSlow {
                url,
                bytes_per_sec,
                over,
                got,
            } => write!(
                f,
                "{url}: only {got} bytes in {}s, below --speed-limit {bytes_per_sec} bytes/s; the server is too slow (lower --speed-limit, or 0 turns the check off)",
                over.as_secs()
            ),
            FetchError::Config(message) => f.write_str(message),
            FetchError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FetchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FetchError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for FetchError {
    /// Recovers a `FetchError` that travelled through an `io::Error` (a download
    /// read by a decoder), or wraps a plain I/O error.
    fn from(e: io::Error) -> Self {
        if !e
            .get_ref()
            .is_some_and(<dyn std::error::Error + Send + Sync>::is::<FetchError>)
        {
            return FetchError::Io(e);
        }
        match e
            .into_inner()
            .map(<dyn std::error::Error + Send + Sync>::downcast::<FetchError>)
        {
            Some(Ok(inner)) => *inner,
            _ => unreachable!("checked by is::<FetchError>()"),
        }
    }
}

impl From<FetchError> for io::Error {
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::Io(e) => e,
            other => io::Error::other(other),
        }
    }
}

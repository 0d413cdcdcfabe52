//! `ForgeError`: what the release API said, with the repository and tag it was
//! asked about. `NotFound`, `RateLimited` and `Unauthorized` are plain variants
//! so the binary can match on them.

use std::fmt;

use jingyu_fetch::FetchError;

use crate::site::Kind;

#[derive(Debug)]
pub enum ForgeError {
    /// No such repository (or it is private and no token was sent).
    RepoNotFound {
        repo: String,
        /// The forge, as messages name it ([`crate::Site::label`]).
        on: String,
        kind: Kind,
        authenticated: bool,
    },
    /// The repository has no release matching the request.
    NotFound {
        repo: String,
        /// The tag asked for; `None` for "the latest".
        tag: Option<String>,
        /// Tags of recent releases, newest first (may be empty).
        known: Vec<String>,
        /// Whether the newest releases are pre-releases (`--pre-release` helps).
        only_prereleases: bool,
    },
    /// `--min-age`: the release asked for is newer than the cutoff.
    TooYoung {
        repo: String,
        tag: String,
        /// When it was published, and how long ago; `None` if undated.
        published: Option<String>,
        min_age: String,
    },
    /// `--min-age`: no release is old enough.
    NoneOldEnough {
        repo: String,
        min_age: String,
        /// The newest release and its date, if any.
        newest: Option<String>,
    },
    /// The API rate limit is used up; `reset` is a Unix time.
    RateLimited {
        on: String,
        kind: Kind,
        reset: Option<u64>,
        authenticated: bool,
    },
    /// The token was rejected.
    Unauthorized {
        on: String,
        source_var: Option<String>,
    },
    /// Any other unusable answer.
    Status {
        url: String,
        code: u16,
    },
    /// The answer was not the JSON expected.
    Json {
        url: String,
        message: String,
    },
    Fetch(FetchError),
}

impl fmt::Display for ForgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForgeError::RepoNotFound {
                repo,
                on,
                kind,
                authenticated,
            } => {
                let noun = if *kind == Kind::GitLab {
                    "project"
                } else {
                    "repository"
                };
                if *authenticated {
                    write!(f, "no {noun} `{repo}` on {on} that this token can see; check the spelling and the token's access")
                } else {
                    write!(f, "no {noun} `{repo}` on {on}; check the spelling, or set {} if it is private", kind.token_var())
                }
            }
            ForgeError::NotFound {
                repo,
                tag,
                known,
                only_prereleases,
            } => {
                match tag {
                    Some(tag) => write!(f, "no release with tag `{tag}` in `{repo}`")?,
                    None => write!(f, "`{repo}` has no stable release")?,
                }
                if known.is_empty() {
                    f.write_str("; it has no releases at all")
                } else {
                    let shown: Vec<String> =
                        known.iter().take(5).map(|t| format!("`{t}`")).collect();
                    write!(f, "; recent tags: {}", shown.join(", "))?;
                    if *only_prereleases && tag.is_none() {
                        f.write_str("; they are pre-releases: add --pre-release")?;
                    }
                    Ok(())
                }
            }
            ForgeError::TooYoung {
                repo,
                tag,
                published,
                min_age,
            } => {
                let when = published
                    .as_deref()
                    .map_or("carries no date".to_owned(), |w| {
                        format!("was published {w}")
                    });
                write!(f, "release `{tag}` of `{repo}` {when}: newer than --min-age {min_age} allows; pin an older tag or lower --min-age")
            }
            ForgeError::NoneOldEnough {
                repo,
                min_age,
                newest,
            } => {
                write!(f, "`{repo}` has no release older than --min-age {min_age}")?;
                match newest {
                    Some(n) => write!(f, "; the newest is {n}"),
                    None => f.write_str("; it has no releases at all"),
                }
            }
            ForgeError::RateLimited {
                on,
                kind,
                reset,
                authenticated,
            } => {
                write!(f, "{on} API rate limit exceeded")?;
                if let Some(reset) = reset {
                    write!(f, "; it resets at {}", utc(*reset))?;
                }
                match (authenticated, kind) {
                    (true, Kind::GitHub) => f.write_str("; the token's hourly quota is spent"),
                    (true, _) => f.write_str("; the token's quota is spent"),
                    (false, Kind::GitHub) => f.write_str(
                        "; set GITHUB_TOKEN to raise the limit from 60 to 5000 requests an hour",
                    ),
                    (false, kind) => write!(f, "; set {} to raise the limit", kind.token_var()),
                }
            }
            ForgeError::Unauthorized { on, source_var } => {
                let from = source_var
                    .as_deref()
                    .map_or(String::new(), |v| format!(" (from {v})"));
                write!(
                    f,
                    "{on} rejected the token{from} as bad credentials; renew it or unset it"
                )
            }
            ForgeError::Status { url, code } => write!(f, "{url} answered HTTP {code}"),
            ForgeError::Json { url, message } => {
                write!(f, "{url} did not answer with the JSON expected: {message}")
            }
            ForgeError::Fetch(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ForgeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ForgeError::Fetch(e) => e.source(),
            _ => None,
        }
    }
}

impl From<FetchError> for ForgeError {
    fn from(e: FetchError) -> Self {
        ForgeError::Fetch(e)
    }
}

/// A Unix time as `YYYY-MM-DD HH:MM:SS UTC` (no date crate needed).
pub fn utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_unix_times() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_764_345_600 + 3_723), "2025-11-28 17:02:03 UTC");
    }

    #[test]
    fn rate_limit_message_says_what_to_do() {
        let anon = ForgeError::RateLimited {
            on: "GitHub".into(),
            kind: Kind::GitHub,
            reset: Some(0),
            authenticated: false,
        }
        .to_string();
        assert!(
            anon.contains("resets at 1970-01-01 00:00:00 UTC") && anon.contains("GITHUB_TOKEN"),
            "{anon}"
        );
        let authed = ForgeError::RateLimited {
            on: "GitHub".into(),
            kind: Kind::GitHub,
            reset: None,
            authenticated: true,
        }
        .to_string();
        assert!(!authed.contains("GITHUB_TOKEN"), "{authed}");
    }
}

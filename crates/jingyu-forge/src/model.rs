//! The release API's JSON, reduced to the fields jingyu reads.

use serde::Deserialize;
use std::fmt::Write as _;

/// A release, in GitHub's shape (which Gitea's shares; GitLab's is
/// converted into it).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Release {
    pub tag_name: String,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub prerelease: bool,
    /// RFC 3339, e.g. `2025-01-31T12:00:00Z`.
    #[serde(default)]
    pub published_at: Option<String>,
    /// RFC 3339: when the release was created (eget's `--upgrade-only` clock).
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub tarball_url: Option<String>,
    #[serde(default)]
    pub assets: Vec<Asset>,
}

impl Release {
    /// `published_at` as Unix seconds, if present and well formed.
    pub fn published_unix(&self) -> Option<u64> {
        parse_rfc3339(self.published_at.as_deref()?)
    }

    /// `created_at` as Unix seconds (what eget's `--upgrade-only` compares
    /// the installed file's mtime with), else `published_at`.
    pub fn created_unix(&self) -> Option<u64> {
        self.created_at
            .as_deref()
            .and_then(parse_rfc3339)
            .or_else(|| self.published_unix())
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` (the API's form) to Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

/// One file attached to a release.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Asset {
    pub name: String,
    #[serde(default)]
    pub size: u64,
    /// The URL a token opens (GitHub's API URL, which with `Accept:
    /// application/octet-stream` serves the file; GitLab's link URL); empty
    /// when the forge has none (Gitea).
    #[serde(default)]
    pub url: String,
    pub browser_download_url: String,
    /// `sha256:<hex>` on recent API responses.
    #[serde(default)]
    pub digest: Option<String>,
}

/// `GET /rate_limit`'s `rate` object.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct Rate {
    pub limit: u64,
    pub used: u64,
    pub remaining: u64,
    pub reset: u64,
}

impl Rate {
    /// The line eget 1.3.4's `--rate` prints (`Limit: 60, Remaining: 59,
    /// Reset: 2025-11-28 17:02:03 +0000 UTC (42m7s)`), with the time in UTC
    /// and, while the reset is still ahead of `now`, Go's rounded duration.
    pub fn eget_line(&self, now: u64) -> String {
        let reset = crate::utc(self.reset).replace(" UTC", " +0000 UTC");
        let mut line = format!(
            "Limit: {}, Remaining: {}, Reset: {reset}",
            self.limit, self.remaining
        );
        if self.reset > now {
            let _ = write!(line, " ({})", go_duration(self.reset - now));
        }
        line
    }
}

/// A whole number of seconds as Go's `time.Duration` prints it: `45s`,
/// `2m5s`, `1h0m0s`.
fn go_duration(secs: u64) -> String {
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

#[derive(Deserialize)]
pub(crate) struct RateLimitBody {
    pub(crate) rate: Rate,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rate_line_is_egets() {
        let r = super::Rate {
            limit: 60,
            used: 1,
            remaining: 59,
            reset: 1_764_349_323,
        };
        assert_eq!(
            r.eget_line(1_764_349_323 + 5),
            "Limit: 60, Remaining: 59, Reset: 2025-11-28 17:02:03 +0000 UTC"
        );
        assert_eq!(
            r.eget_line(1_764_349_323 - 2527),
            "Limit: 60, Remaining: 59, Reset: 2025-11-28 17:02:03 +0000 UTC (42m7s)"
        );
        assert_eq!(super::go_duration(45), "45s");
        assert_eq!(super::go_duration(3600), "1h0m0s");
    }

    use super::parse_rfc3339;

    #[test]
    fn parses_api_timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2025-11-28T17:02:03Z"), Some(1_764_349_323));
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2025-13-01T00:00:00Z"), None);
    }
}

//! `--min-age`: a release is taken only once it has been public for a while
//! (a compromised release is usually found and pulled within days). The
//! [`Cutoff`] says which releases are old enough and, when none is, the
//! error that says so.

use crate::error::{utc, ForgeError};
use crate::model::Release;

/// Releases published at or before `not_after` (Unix seconds) are old enough.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cutoff {
    pub not_after: u64,
    pub now: u64,
    /// The age asked for, as the user wrote it (`7d`), for messages.
    pub min_age: String,
}

impl Cutoff {
    /// The cutoff `min_age_secs` before `now`.
    pub fn new(now: u64, min_age_secs: u64, min_age: &str) -> Cutoff {
        Cutoff {
            not_after: now.saturating_sub(min_age_secs),
            now,
            min_age: min_age.to_owned(),
        }
    }

    /// Whether `r` is old enough. A release without a date cannot show its
    /// age, so it is not.
    pub fn admits(&self, r: &Release) -> bool {
        r.published_unix().is_some_and(|t| t <= self.not_after)
    }

    /// The newest release of `list` (newest first) that is old enough,
    /// pre-releases only with `pre`.
    pub fn newest<'r>(&self, list: &'r [Release], pre: bool) -> Option<&'r Release> {
        list.iter()
            .find(|r| !r.draft && (pre || !r.prerelease) && self.admits(r))
    }

    pub(crate) fn too_young(&self, repo: &str, r: &Release) -> ForgeError {
        ForgeError::TooYoung {
            repo: repo.to_owned(),
            tag: r.tag_name.clone(),
            published: r.published_unix().map(|t| self.when(t)),
            min_age: self.min_age.clone(),
        }
    }

    pub(crate) fn none_old_enough(&self, repo: &str, list: &[Release]) -> ForgeError {
        let newest = list.iter().find(|r| !r.draft);
        ForgeError::NoneOldEnough {
            repo: repo.to_owned(),
            min_age: self.min_age.clone(),
            newest: newest.map(|r| {
                let when = r
                    .published_unix()
                    .map_or("an unknown date".to_owned(), |t| self.when(t));
                format!("`{}` of {when}", r.tag_name)
            }),
        }
    }

    /// `2026-11-30 10:00:00 UTC (2d 3h ago)`.
    fn when(&self, t: u64) -> String {
        let ago = self.now.saturating_sub(t);
        format!("{} ({} ago)", utc(t), span(ago))
    }
}

/// A number of seconds as days and hours (`2d 3h`), or minutes under an hour.
fn span(secs: u64) -> String {
    match (secs / 86_400, secs % 86_400 / 3600) {
        (0, 0) => format!("{}m", secs / 60),
        (0, h) => format!("{h}h"),
        (d, 0) => format!("{d}d"),
        (d, h) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(tag: &str, at: Option<&str>, pre: bool) -> Release {
        Release {
            tag_name: tag.into(),
            draft: false,
            prerelease: pre,
            published_at: at.map(Into::into),
            created_at: None,
            tarball_url: None,
            assets: vec![],
        }
    }

    #[test]
    fn only_releases_old_enough_are_taken() {
        let now = 1_764_633_600; // 2025-12-02 00:00:00 UTC
        let cut = Cutoff::new(now, 7 * 86_400, "7d");
        let list = [
            rel("v3", Some("2025-12-01T00:00:00Z"), false),
            rel("v3-rc", Some("2025-11-20T00:00:00Z"), true),
            rel("v2", Some("2025-11-25T00:00:00Z"), false),
            rel("v1", None, false),
        ];
        assert_eq!(cut.newest(&list, false).unwrap().tag_name, "v2");
        assert_eq!(cut.newest(&list, true).unwrap().tag_name, "v3-rc");
        assert!(!cut.admits(&list[3]), "no date, no age");
        let young = cut.too_young("o/r", &list[0]).to_string();
        assert!(
            young.contains("2025-12-01 00:00:00 UTC (1d ago)") && young.contains("--min-age 7d"),
            "{young}"
        );
        let none = cut.none_old_enough("o/r", &list[..1]).to_string();
        assert!(none.contains("`v3` of 2025-12-01"), "{none}");
        assert_eq!(span(90 * 60), "1h");
        assert_eq!(span(2 * 86_400 + 3 * 3600 + 5), "2d 3h");
    }
}

//! Choosing a release from a list: the newest (with or without pre-releases)
//! or, as eget does when a tag is not found exactly, the newest whose tag
//! contains the given text. Drafts are never chosen.

use crate::model::Release;

/// The newest non-draft release, skipping pre-releases unless `pre` is set.
/// The API lists newest first.
pub fn newest(releases: &[Release], pre: bool) -> Option<&Release> {
    releases.iter().find(|r| !r.draft && (pre || !r.prerelease))
}

/// The newest non-draft release whose tag contains `tag`, skipping
/// pre-releases unless `pre` is set (eget's `FindMatch`: a stable `v1.2.0`
/// wins over a newer `v1.2.1-rc.1` for `--tag 1.2`).
pub fn containing<'r>(releases: &'r [Release], tag: &str, pre: bool) -> Option<&'r Release> {
    releases
        .iter()
        .find(|r| !r.draft && (pre || !r.prerelease) && r.tag_name.contains(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(tag: &str, draft: bool, pre: bool) -> Release {
        Release {
            tag_name: tag.into(),
            draft,
            prerelease: pre,
            published_at: None,
            created_at: None,
            tarball_url: None,
            assets: vec![],
        }
    }

    #[test]
    fn newest_skips_drafts_and_optionally_prereleases() {
        let list = [
            rel("v3-draft", true, false),
            rel("v2.0-rc1", false, true),
            rel("v1.9", false, false),
        ];
        assert_eq!(newest(&list, false).unwrap().tag_name, "v1.9");
        assert_eq!(newest(&list, true).unwrap().tag_name, "v2.0-rc1");
        assert!(newest(&list[..1], true).is_none());
    }

    #[test]
    fn containing_takes_the_newest_match() {
        let list = [
            rel("tool-v1.10.0", false, false),
            rel("tool-v1.1.0", false, false),
            rel("v1.1", true, false),
        ];
        assert_eq!(
            containing(&list, "1.1", false).unwrap().tag_name,
            "tool-v1.10.0"
        );
        assert_eq!(
            containing(&list, "v1.1.0", false).unwrap().tag_name,
            "tool-v1.1.0"
        );
        assert!(containing(&list, "2.0", false).is_none());
    }

    #[test]
    fn containing_skips_newer_prereleases_unless_asked() {
        let list = [rel("v1.2.1-rc.1", false, true), rel("v1.2.0", false, false)];
        assert_eq!(containing(&list, "1.2", false).unwrap().tag_name, "v1.2.0");
        assert_eq!(
            containing(&list, "1.2", true).unwrap().tag_name,
            "v1.2.1-rc.1"
        );
        assert!(containing(&list[..1], "1.2", false).is_none());
    }
}

//! What differs between the forges' release APIs, and nothing else: each
//! one's URLs, request headers and JSON shape, turned into the shared
//! [`Release`] model. The client ([`crate::Forge`]) holds the logic they share.

use std::fmt::Write as _;

use serde::Deserialize;

use crate::model::{Asset, Release};
use crate::repo::RepoRef;
use crate::site::Kind;

/// One forge's API shape.
pub(crate) struct Dialect {
    kind: Kind,
}

impl Dialect {
    pub(crate) fn new(kind: Kind) -> Dialect {
        Dialect { kind }
    }

    /// The repository's own resource (GitLab calls it a project).
    pub(crate) fn repo_url(&self, api: &str, repo: &RepoRef) -> String {
        match self.kind {
            Kind::GitHub | Kind::Gitea => format!("{api}/repos/{}/{}", repo.owner, repo.name),
            Kind::GitLab => format!("{api}/projects/{}", encode(&repo.path())),
        }
    }

    fn releases_url(&self, api: &str, repo: &RepoRef) -> String {
        format!("{}/releases", self.repo_url(api, repo))
    }

    /// The newest stable release.
    pub(crate) fn latest_url(&self, api: &str, repo: &RepoRef) -> String {
        let base = self.releases_url(api, repo);
        match self.kind {
            Kind::GitHub | Kind::Gitea => format!("{base}/latest"),
            // A redirect to the release, on the same origin.
            Kind::GitLab => format!("{base}/permalink/latest"),
        }
    }

    pub(crate) fn tag_url(&self, api: &str, repo: &RepoRef, tag: &str) -> String {
        let base = self.releases_url(api, repo);
        match self.kind {
            Kind::GitHub | Kind::Gitea => format!("{base}/tags/{tag}"),
            Kind::GitLab => format!("{base}/{}", encode(tag)),
        }
    }

    /// The first page of the release list, newest first, as large as the
    /// forge allows (Gitea's default cap is 50).
    pub(crate) fn list_url(&self, api: &str, repo: &RepoRef) -> String {
        let base = self.releases_url(api, repo);
        match self.kind {
            Kind::GitHub | Kind::GitLab => format!("{base}?per_page=100"),
            Kind::Gitea => format!("{base}?limit=50"),
        }
    }

    /// The source archive of `git_ref`; `None` when the forge needs the
    /// default branch's name for it (Gitea).
    pub(crate) fn source_url(
        &self,
        api: &str,
        repo: &RepoRef,
        git_ref: Option<&str>,
    ) -> Option<String> {
        let base = self.repo_url(api, repo);
        match (self.kind, git_ref) {
            (Kind::GitHub, Some(r)) => Some(format!("{base}/tarball/{r}")),
            (Kind::GitHub, None) => Some(format!("{base}/tarball")),
            (Kind::GitLab, Some(r)) => Some(format!(
                "{base}/repository/archive.tar.gz?sha={}",
                encode(r)
            )),
            (Kind::GitLab, None) => Some(format!("{base}/repository/archive.tar.gz")),
            (Kind::Gitea, Some(r)) => Some(format!("{base}/archive/{r}.tar.gz")),
            (Kind::Gitea, None) => None,
        }
    }

    /// The headers every API request carries.
    pub(crate) fn headers(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            Kind::GitHub => &[
                ("accept", "application/vnd.github+json"),
                ("x-github-api-version", "2022-11-28"),
            ],
            Kind::GitLab | Kind::Gitea => &[("accept", "application/json")],
        }
    }

    pub(crate) fn release(&self, text: &str) -> serde_json::Result<Release> {
        match self.kind {
            Kind::GitHub | Kind::Gitea => serde_json::from_str(text),
            Kind::GitLab => serde_json::from_str::<GitLabRelease>(text).map(Release::from),
        }
    }

    pub(crate) fn releases(&self, text: &str) -> serde_json::Result<Vec<Release>> {
        match self.kind {
            Kind::GitHub | Kind::Gitea => serde_json::from_str(text),
            Kind::GitLab => serde_json::from_str::<Vec<GitLabRelease>>(text)
                .map(|list| list.into_iter().map(Release::from).collect()),
        }
    }
}

/// A GitLab release: its assets are links (uploads, package-registry files,
/// anything), each with a permanent `direct_asset_url`; a release whose
/// date is still ahead is an upcoming one, GitLab's pre-release.
#[derive(Deserialize)]
struct GitLabRelease {
    tag_name: String,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    released_at: Option<String>,
    #[serde(default)]
    upcoming_release: bool,
    #[serde(default)]
    assets: GitLabAssets,
}

#[derive(Default, Deserialize)]
struct GitLabAssets {
    #[serde(default)]
    links: Vec<GitLabLink>,
}

#[derive(Deserialize)]
struct GitLabLink {
    name: String,
    url: String,
    #[serde(default)]
    direct_asset_url: Option<String>,
}

impl From<GitLabRelease> for Release {
    fn from(r: GitLabRelease) -> Release {
        Release {
            tag_name: r.tag_name,
            draft: false,
            prerelease: r.upcoming_release,
            published_at: r.released_at,
            created_at: r.created_at,
            tarball_url: None,
            assets: r
                .assets
                .links
                .into_iter()
                .map(|l| Asset {
                    name: l.name,
                    size: 0,
                    browser_download_url: l.direct_asset_url.unwrap_or_else(|| l.url.clone()),
                    url: l.url,
                    digest: None,
                })
                .collect(),
        }
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters (GitLab's
/// project paths and tags in a path segment).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::Hosts;

    fn repo(s: &str) -> RepoRef {
        RepoRef::parse(s, &Hosts::default()).unwrap()
    }

    #[test]
    fn gitlab_urls_encode_the_project_path_and_tag() {
        let d = Dialect::new(Kind::GitLab);
        let r = repo("gitlab.com/group/sub/proj");
        let api = "https://gitlab.com/api/v4";
        assert_eq!(
            d.tag_url(api, &r, "v1.0/rc"),
            "https://gitlab.com/api/v4/projects/group%2Fsub%2Fproj/releases/v1.0%2Frc"
        );
        assert_eq!(
            d.latest_url(api, &r),
            "https://gitlab.com/api/v4/projects/group%2Fsub%2Fproj/releases/permalink/latest"
        );
        assert_eq!(
            d.source_url(api, &r, Some("v1")).unwrap(),
            "https://gitlab.com/api/v4/projects/group%2Fsub%2Fproj/repository/archive.tar.gz?sha=v1"
        );
    }

    #[test]
    fn gitlab_links_become_assets() {
        let text = r#"{"tag_name":"v2","released_at":"2026-01-02T03:04:05.000Z","upcoming_release":true,
            "assets":{"count":3,"sources":[{"format":"zip","url":"https://x/s.zip"}],
            "links":[{"id":1,"name":"t-linux-amd64.tar.gz","url":"https://gitlab.com/api/v4/projects/1/packages/generic/t/2/t-linux-amd64.tar.gz",
                      "direct_asset_url":"https://gitlab.com/g/t/-/releases/v2/downloads/t-linux-amd64.tar.gz","link_type":"package"},
                     {"id":2,"name":"notes","url":"https://example.com/notes"}]}}"#;
        let r = Dialect::new(Kind::GitLab).release(text).unwrap();
        assert!(r.prerelease && !r.draft);
        assert_eq!(r.published_unix(), Some(1_767_323_045));
        assert_eq!(r.assets[0].name, "t-linux-amd64.tar.gz");
        assert!(r.assets[0]
            .browser_download_url
            .ends_with("/-/releases/v2/downloads/t-linux-amd64.tar.gz"));
        assert!(r.assets[0].url.contains("/packages/generic/"));
        assert_eq!(
            r.assets[1].browser_download_url,
            "https://example.com/notes"
        );
    }

    #[test]
    fn gitea_attachments_are_assets() {
        let text = r#"[{"id":7,"tag_name":"v1","draft":false,"prerelease":true,"created_at":"2026-01-01T00:00:00Z",
            "published_at":"2026-01-01T00:00:00Z","assets":[{"id":3,"name":"t.zip","size":12,"download_count":0,
            "uuid":"u","browser_download_url":"https://codeberg.org/o/t/releases/download/v1/t.zip"}]}]"#;
        let list = Dialect::new(Kind::Gitea).releases(text).unwrap();
        assert!(list[0].prerelease);
        assert_eq!(list[0].assets[0].size, 12);
        assert_eq!(list[0].assets[0].url, "");
    }
}

//! The GitHub REST client: API URLs from a configurable base (`GITHUB_API_URL`,
//! GitHub Enterprise, the tests' fake), the headers GitHub asks for, the token
//! (sent to the API origin only), pagination, and turning statuses into
//! [`ForgeError`]s.

use serde::de::DeserializeOwned;

use jingyu_fetch::{Agent, Response};

use jingyu_pick::checksum_files;

use crate::error::ForgeError;
use crate::model::{Asset, Rate, RateLimitBody, Release};
use crate::repo::RepoRef;
use crate::resolution::{Digest, Location, Resolution};
use crate::select;

/// Which release to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Which {
    /// `releases/latest`: the newest stable release.
    Latest,
    /// The newest release, pre-releases included (`--pre-release`).
    Newest,
    /// An exact tag, else (as eget does) the newest release whose tag
    /// contains it, pre-releases only with `pre` (`--pre-release`).
    Tag { tag: String, pre: bool },
}

/// An API token and the variable it came from (named in errors, never shown).
#[derive(Clone)]
pub struct Token {
    pub value: String,
    pub source: String,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token(from {}, redacted)", self.source)
    }
}

/// A GitHub API client.
pub struct GitHub<'a> {
    agent: &'a Agent,
    api: String,
    token: Option<Token>,
}

const JSON_LIMIT: u64 = 32 << 20;
const LIST_PAGES: usize = 5;

impl<'a> GitHub<'a> {
    /// A client for the API at `api` (e.g. `https://api.github.com`).
    pub fn new(agent: &'a Agent, api: &str, token: Option<Token>) -> Self {
        GitHub {
            agent,
            api: api.trim_end_matches('/').to_owned(),
            token,
        }
    }

    /// Fetches the release `which` of `repo`.
    pub fn release(&self, repo: &RepoRef, which: &Which) -> Result<Release, ForgeError> {
        let base = format!("{}/repos/{}/{}/releases", self.api, repo.owner, repo.name);
        match which {
            Which::Latest => match self.get_json(&format!("{base}/latest")) {
                Err(ForgeError::Status { code: 404, .. }) => Err(self.explain_missing(repo, None)?),
                other => other,
            },
            Which::Tag { tag, pre } => match self.get_json(&format!("{base}/tags/{tag}")) {
                Err(ForgeError::Status { code: 404, .. }) => {
                    // No repository answers 404 to the list too: say which.
                    let list = match self.list(repo, LIST_PAGES) {
                        Err(ForgeError::Status { code: 404, .. }) => {
                            return Err(self.explain_missing(repo, Some(tag))?)
                        }
                        list => list?,
                    };
                    match select::containing(&list, tag, *pre) {
                        Some(r) => Ok(r.clone()),
                        None => Err(self.explain_missing(repo, Some(tag))?),
                    }
                }
                other => other,
            },
            Which::Newest => {
                let list = match self.list(repo, 1) {
                    Err(ForgeError::Status { code: 404, .. }) => {
                        return Err(self.explain_missing(repo, None)?)
                    }
                    list => list?,
                };
                match select::newest(&list, true) {
                    Some(r) => Ok(r.clone()),
                    None => Err(self.explain_missing(repo, None)?),
                }
            }
        }
    }

    /// The releases of `repo`, newest first, following up to `pages` pages.
    pub fn list(&self, repo: &RepoRef, pages: usize) -> Result<Vec<Release>, ForgeError> {
        let mut url = format!(
            "{}/repos/{}/{}/releases?per_page=100",
            self.api, repo.owner, repo.name
        );
        let mut all = Vec::new();
        for _ in 0..pages {
            let resp = self.get(&url)?;
            let next = resp.header("link").and_then(next_link);
            let mut page: Vec<Release> = parse_json(resp)?;
            all.append(&mut page);
            match next {
                Some(n) if self.same_origin(&n) => url = n,
                _ => break,
            }
        }
        Ok(all)
    }

    /// `GET /rate_limit` (for `--rate`).
    pub fn rate_limit(&self) -> Result<Rate, ForgeError> {
        let body: RateLimitBody = self.get_json(&format!("{}/rate_limit", self.api))?;
        Ok(body.rate)
    }

    /// The record for `release`'s asset `index`: its URL ([`Self::asset_request`]),
    /// the API digest, the release files that may vouch for it, and the API's
    /// origin as the one that may receive the token.
    pub fn resolution(&self, repo: &RepoRef, release: &Release, index: usize) -> Resolution {
        let asset = &release.assets[index];
        let names: Vec<&str> = release.assets.iter().map(|a| a.name.as_str()).collect();
        let files = checksum_files(&asset.name, &names)
            .into_iter()
            .filter_map(|(name, kind)| {
                let file = release.assets.iter().find(|a| a.name == name)?;
                Some(Digest::File {
                    name: file.name.clone(),
                    kind,
                    url: self.asset_url(file),
                })
            });
        let api = asset.digest.clone().map(Digest::Api);
        Resolution {
            repo: Some(repo.to_string()),
            tag: Some(release.tag_name.clone()),
            size: Some(asset.size),
            created: release.created_unix(),
            digests: api.into_iter().chain(files).collect(),
            credential_origin: origin(&self.api),
            ..Resolution::plain(
                "github",
                asset.name.clone(),
                Location::Url(self.asset_url(asset)),
            )
        }
    }

    /// `--source`, as eget fetches it: no release is looked up; the tarball
    /// of the tag (any git ref), else of the default branch, named
    /// `REPO.tar.gz`.
    pub fn source_resolution(&self, repo: &RepoRef, which: &Which) -> Resolution {
        let (url, tag) = match which {
            Which::Tag { tag, .. } => (
                format!("{}/repos/{repo}/tarball/{tag}", self.api),
                Some(tag.clone()),
            ),
            Which::Latest | Which::Newest => (format!("{}/repos/{repo}/tarball", self.api), None),
        };
        Resolution {
            repo: Some(repo.to_string()),
            tag,
            credential_origin: origin(&self.api),
            ..Resolution::plain(
                "github",
                format!("{}.tar.gz", repo.name),
                Location::Url(url),
            )
        }
    }

    /// Where to download `asset`: with a token, the API URL (the only way for
    /// private repositories; the token goes there alone, and the redirect to
    /// the file host drops it); without one, the public download URL.
    fn asset_url(&self, asset: &Asset) -> String {
        if self.token.is_some() && self.same_origin(&asset.url) {
            asset.url.clone()
        } else {
            asset.browser_download_url.clone()
        }
    }

    /// Works out why a release was not found: no repository, or no release.
    fn explain_missing(&self, repo: &RepoRef, tag: Option<&str>) -> Result<ForgeError, ForgeError> {
        let repo_url = format!("{}/repos/{}/{}", self.api, repo.owner, repo.name);
        match self.get_json::<serde_json::Value>(&repo_url) {
            Err(ForgeError::Status { code: 404, .. }) => {
                return Ok(ForgeError::RepoNotFound {
                    repo: repo.to_string(),
                    authenticated: self.token.is_some(),
                })
            }
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        let list = self.list(repo, 1)?;
        let stable = list.iter().any(|r| !r.draft && !r.prerelease);
        Ok(ForgeError::NotFound {
            repo: repo.to_string(),
            tag: tag.map(str::to_owned),
            known: list
                .iter()
                .filter(|r| !r.draft)
                .map(|r| r.tag_name.clone())
                .collect(),
            only_prereleases: !stable,
        })
    }

    fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, ForgeError> {
        parse_json(self.get(url)?)
    }

    /// GETs an API URL; anything but 200 becomes a `ForgeError`.
    fn get(&self, url: &str) -> Result<Response, ForgeError> {
        let auth = self
            .token
            .as_ref()
            .filter(|_| self.same_origin(url))
            .map(|t| format!("Bearer {}", t.value));
        let mut headers = vec![
            ("accept", "application/vnd.github+json"),
            ("x-github-api-version", "2022-11-28"),
        ];
        if let Some(auth) = &auth {
            headers.push(("authorization", auth));
        }
        let resp = self.agent.get(url, &headers)?;
        match resp.status {
            200 => Ok(resp),
            401 => Err(ForgeError::Unauthorized {
                source_var: self.token.as_ref().map(|t| t.source.clone()),
            }),
            403 | 429 if resp.rate_limit_exhausted() || resp.status == 429 => {
                Err(ForgeError::RateLimited {
                    reset: resp
                        .header("x-ratelimit-reset")
                        .and_then(|v| v.parse().ok()),
                    authenticated: self.token.is_some(),
                })
            }
            code => Err(ForgeError::Status {
                url: url.to_owned(),
                code,
            }),
        }
    }

    /// Whether `url` is on the API's scheme, host and port (where the token may go).
    fn same_origin(&self, url: &str) -> bool {
        origin(url).is_some_and(|o| Some(o) == origin(&self.api))
    }
}

fn parse_json<T: DeserializeOwned>(resp: Response) -> Result<T, ForgeError> {
    let url = resp.url.clone();
    let text = resp.text(JSON_LIMIT)?;
    serde_json::from_str(&text).map_err(|e| ForgeError::Json {
        url,
        message: e.to_string(),
    })
}

/// `scheme://host[:port]` of a URL, lowercased, with the default port made explicit.
pub(crate) fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?.to_ascii_lowercase();
    let scheme = scheme.to_ascii_lowercase();
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()));
    let port = match (has_port, scheme.as_str()) {
        (true, _) => "",
        (false, "https") => ":443",
        (false, _) => ":80",
    };
    Some(format!("{scheme}://{authority}{port}"))
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin("https://api.github.com/repos/x"),
            Some("https://api.github.com:443".into())
        );
        assert_eq!(
            origin("https://API.github.com:443"),
            origin("https://api.github.com/")
        );
        assert_ne!(
            origin("http://127.0.0.1:8080/a"),
            origin("http://127.0.0.1:8081/a")
        );
        assert_ne!(
            origin("https://github.com/x"),
            origin("https://api.github.com/x")
        );
        assert_eq!(origin("not a url"), None);
    }

    #[test]
    fn finds_the_next_page() {
        let link = r#"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last""#;
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.github.com/x?page=2")
        );
        assert_eq!(next_link(r#"<https://a/x?page=1>; rel="prev""#), None);
    }
}

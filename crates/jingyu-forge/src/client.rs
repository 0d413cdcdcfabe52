//! The release API client every forge shares: a [`Forge`] for one [`Site`]
//! fetches a release (latest, by tag with eget's "contains" fallback, or
//! newest with pre-releases), follows pagination, explains a miss, turns
//! statuses into [`ForgeError`]s, and fills in the [`Resolution`] record. The
//! token goes to the API's origin only. Each forge's URLs and JSON are its
//! [`Dialect`].

use serde::de::DeserializeOwned;

use jingyu_fetch::{origin, Agent, Response};

use jingyu_pick::checksum_files;

use crate::cooldown::Cutoff;
use crate::dialect::Dialect;
use crate::error::ForgeError;
use crate::model::{Asset, Rate, RateLimitBody, Release};
use crate::repo::RepoRef;
use crate::resolution::{
    BundleFile, Digest, Location, Resolution, SignatureFile, SignatureKind, BUNDLE_SUFFIXES,
};
use crate::select;
use crate::site::Site;
use crate::token::Token;

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

/// A client for one forge's release API.
pub struct Forge<'a> {
    agent: &'a Agent,
    site: Site,
    dialect: Dialect,
    token: Option<Token>,
    /// `--min-age`: only releases published before this are taken.
    cutoff: Option<Cutoff>,
}

const JSON_LIMIT: u64 = 32 << 20;
const LIST_PAGES: usize = 5;

impl<'a> Forge<'a> {
    /// A client for `site`'s API, sending `token` there alone.
    pub fn new(agent: &'a Agent, site: Site, token: Option<Token>) -> Self {
        Forge {
            agent,
            dialect: Dialect::new(site.kind),
            site,
            token,
            cutoff: None,
        }
    }

    /// Takes only releases `cutoff` admits (`--min-age`).
    #[must_use]
    pub fn with_cutoff(mut self, cutoff: Option<Cutoff>) -> Self {
        self.cutoff = cutoff;
        self
    }

    /// The forge this client speaks to.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Fetches the release `which` of `repo`: with a cutoff, "latest" is the
    /// newest old enough, and a tag too young is an error.
    pub fn release(&self, repo: &RepoRef, which: &Which) -> Result<Release, ForgeError> {
        let found = self.lookup(repo, which);
        let (Some(cut), Ok(r)) = (&self.cutoff, &found) else {
            return found;
        };
        if cut.admits(r) {
            return found;
        }
        match which {
            Which::Tag { .. } => Err(cut.too_young(&repo.to_string(), r)),
            Which::Latest | Which::Newest => {
                let list = self.list(repo, LIST_PAGES)?;
                cut.newest(&list, *which == Which::Newest)
                    .cloned()
                    .ok_or_else(|| cut.none_old_enough(&repo.to_string(), &list))
            }
        }
    }

    /// The release `which` names, whatever its age.
    fn lookup(&self, repo: &RepoRef, which: &Which) -> Result<Release, ForgeError> {
        let api = &self.site.api;
        match which {
            Which::Latest => match self.get_release(&self.dialect.latest_url(api, repo)) {
                Err(ForgeError::Status { code: 404, .. }) => Err(self.explain_missing(repo, None)?),
                // GitLab's permalink may name an upcoming release.
                Ok(r) if r.prerelease => self.newest(repo, false),
                other => other,
            },
            Which::Tag { tag, pre } => {
                match self.get_release(&self.dialect.tag_url(api, repo, tag)) {
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
                }
            }
            Which::Newest => self.newest(repo, true),
        }
    }

    /// The newest release on the list's first page, pre-releases with `pre`.
    fn newest(&self, repo: &RepoRef, pre: bool) -> Result<Release, ForgeError> {
        let list = match self.list(repo, 1) {
            Err(ForgeError::Status { code: 404, .. }) => {
                return Err(self.explain_missing(repo, None)?)
            }
            list => list?,
        };
        match select::newest(&list, pre) {
            Some(r) => Ok(r.clone()),
            None => Err(self.explain_missing(repo, None)?),
        }
    }

    /// The releases of `repo`, newest first, following up to `pages` pages
    /// (`Link: rel="next"`, on the API's origin only).
    pub fn list(&self, repo: &RepoRef, pages: usize) -> Result<Vec<Release>, ForgeError> {
        let mut url = self.dialect.list_url(&self.site.api, repo);
        let mut all = Vec::new();
        for _ in 0..pages {
            let resp = self.get(&url)?;
            let next = resp.header("link").and_then(next_link);
            let (at, text) = (resp.url.clone(), resp.text(JSON_LIMIT)?);
            let mut page = self
                .dialect
                .releases(&text)
                .map_err(|e| json_error(at, &e))?;
            let empty = page.is_empty();
            all.append(&mut page);
            match next {
                Some(n) if !empty && self.same_origin(&n) => url = n,
                _ => break,
            }
        }
        Ok(all)
    }

    /// `GET /rate_limit` (for `--rate`; GitHub's alone has it).
    pub fn rate_limit(&self) -> Result<Rate, ForgeError> {
        let body: RateLimitBody = self.get_json(&format!("{}/rate_limit", self.site.api))?;
        Ok(body.rate)
    }

    /// The release's Sigstore bundles of `asset` and of its checksum `files`.
    fn bundle_files(&self, release: &Release, asset: &str, files: &[Digest]) -> Vec<BundleFile> {
        let signed = std::iter::once(asset).chain(files.iter().filter_map(|d| match d {
            Digest::File { name, .. } => Some(name.as_str()),
            _ => None,
        }));
        let find = |name: &str| release.assets.iter().find(|a| a.name == name);
        signed
            .flat_map(|signs| {
                BUNDLE_SUFFIXES
                    .iter()
                    .chain([".sig"].iter())
                    .map(move |suffix| (signs, format!("{signs}{suffix}")))
            })
            .filter_map(|(signs, name)| {
                let file = find(&name)?;
                let certificate = name
                    .strip_suffix(".sig")
                    .map(|base| find(&format!("{base}.pem")));
                match certificate {
                    // A `.sig` with no certificate is cosign's with a key.
                    Some(None) => None,
                    pem => Some(BundleFile {
                        url: self.asset_url(file),
                        signs: signs.to_owned(),
                        certificate: pem.flatten().map(|p| self.asset_url(p)),
                        name,
                    }),
                }
            })
            .collect()
    }

    /// The record for `release`'s asset `index`: its URL ([`Self::asset_url`]),
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
        let signatures = SignatureKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let name = format!("{}{}", asset.name, kind.suffix());
                let file = release.assets.iter().find(|a| a.name == name)?;
                Some(SignatureFile {
                    kind,
                    name,
                    url: self.asset_url(file),
                })
            })
            .collect();
        let files: Vec<Digest> = files.collect();
        let bundles = self.bundle_files(release, &asset.name, &files);
        Resolution {
            repo: Some(repo.to_string()),
            bundles,
            repository_url: Some(format!("{}/{repo}", self.site.web())),
            tag: Some(release.tag_name.clone()),
            size: (asset.size > 0).then_some(asset.size),
            created: release.created_unix(),
            digests: api.into_iter().chain(files).collect(),
            signatures,
            credential_origin: origin(&self.site.api),
            ..Resolution::plain(
                self.site.kind.id(),
                asset.name.clone(),
                Location::Url(self.asset_url(asset)),
            )
        }
    }

    /// `--source`, as eget fetches it: no release is looked up; the source
    /// archive of the tag (any git ref), else of the default branch, named
    /// `REPO.tar.gz`.
    pub fn source_resolution(
        &self,
        repo: &RepoRef,
        which: &Which,
    ) -> Result<Resolution, ForgeError> {
        let tag = match which {
            Which::Tag { tag, .. } => Some(tag.clone()),
            Which::Latest | Which::Newest => None,
        };
        let api = &self.site.api;
        let url = if let Some(url) = self.dialect.source_url(api, repo, tag.as_deref()) {
            url
        } else {
            let info: RepoInfo = self.get_json(&self.dialect.repo_url(api, repo))?;
            let branch = info.default_branch.unwrap_or_else(|| "main".to_owned());
            self.dialect
                .source_url(api, repo, Some(&branch))
                .unwrap_or_default()
        };
        Ok(Resolution {
            repo: Some(repo.to_string()),
            tag,
            credential_origin: origin(api),
            ..Resolution::plain(
                self.site.kind.id(),
                format!("{}.tar.gz", repo.name),
                Location::Url(url),
            )
        })
    }

    /// Where to download `asset`: with a token, the API's URL when it is on
    /// the API's origin (the only way for private repositories; the token
    /// goes there alone, and a redirect elsewhere drops it); else the public
    /// download URL.
    fn asset_url(&self, asset: &Asset) -> String {
        if self.token.is_some() && self.same_origin(&asset.url) {
            asset.url.clone()
        } else {
            asset.browser_download_url.clone()
        }
    }

    /// Works out why a release was not found: no repository, or no release.
    fn explain_missing(&self, repo: &RepoRef, tag: Option<&str>) -> Result<ForgeError, ForgeError> {
        let repo_url = self.dialect.repo_url(&self.site.api, repo);
        match self.get_json::<serde_json::Value>(&repo_url) {
            Err(ForgeError::Status { code: 404, .. }) => {
                return Ok(ForgeError::RepoNotFound {
                    repo: repo.to_string(),
                    on: self.site.label(),
                    kind: self.site.kind,
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

    fn get_release(&self, url: &str) -> Result<Release, ForgeError> {
        let resp = self.get(url)?;
        let (at, text) = (resp.url.clone(), resp.text(JSON_LIMIT)?);
        self.dialect.release(&text).map_err(|e| json_error(at, &e))
    }

    pub(crate) fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, ForgeError> {
        parse_json(self.get(url)?)
    }

    /// GETs an API URL; anything but 200 becomes a `ForgeError`.
    fn get(&self, url: &str) -> Result<Response, ForgeError> {
        let credential = self
            .token
            .as_ref()
            .filter(|_| self.same_origin(url))
            .map(Token::header);
        let mut headers: Vec<(&str, &str)> = self.dialect.headers().to_vec();
        if let Some((name, value)) = &credential {
            headers.push((name, value));
        }
        let resp = self.agent.get(url, &headers)?;
        match resp.status {
            200 => Ok(resp),
            401 => Err(ForgeError::Unauthorized {
                on: self.site.label(),
                source_var: self.token.as_ref().map(|t| t.source.clone()),
            }),
            403 | 429 if resp.rate_limit_exhausted() || resp.status == 429 => {
                Err(ForgeError::RateLimited {
                    on: self.site.label(),
                    kind: self.site.kind,
                    reset: ["x-ratelimit-reset", "ratelimit-reset"]
                        .iter()
                        .find_map(|h| resp.header(h)?.trim().parse().ok()),
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
        origin(url).is_some_and(|o| Some(o) == origin(&self.site.api))
    }
}

/// The fields of a repository jingyu reads (Gitea's source archive needs the
/// default branch's name).
#[derive(serde::Deserialize)]
struct RepoInfo {
    #[serde(default)]
    default_branch: Option<String>,
}

fn json_error(url: String, e: &serde_json::Error) -> ForgeError {
    ForgeError::Json {
        url,
        message: e.to_string(),
    }
}

fn parse_json<T: DeserializeOwned>(resp: Response) -> Result<T, ForgeError> {
    let url = resp.url.clone();
    let text = resp.text(JSON_LIMIT)?;
    serde_json::from_str(&text).map_err(|e| json_error(url, &e))
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
    fn finds_the_next_page() {
        let link = r#"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last""#;
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.github.com/x?page=2")
        );
        assert_eq!(next_link(r#"<https://a/x?page=1>; rel="prev""#), None);
    }
}

//! How to reach each forge, read once from the environment: `--forge`
//! (`JINGYU_FORGE`), the API overrides (`GITHUB_API_URL`, `GITLAB_API_URL`,
//! `GITEA_API_URL`), the hosts they and `GITHUB_SERVER_URL`/`CI_SERVER_URL`
//! name, and every token variable in the order it is tried. No I/O: `@path`
//! tokens and BuildKit secret files are read when a request needs them.

use jingyu_fetch::origin;
use jingyu_forge::site::host_key;
use jingyu_forge::{Hosts, Kind, RepoRef, Site, TokenHeader};

use super::values::http_url;
use super::{usage, Overlay};
use crate::config::Value;
use crate::error::Error;
use crate::options as opt;

/// A token variable that is set, and where its token may go.
#[derive(Clone, Debug)]
pub(crate) struct TokenVar {
    pub(crate) kind: Kind,
    /// The variable (or config key) it came from.
    pub(crate) var: String,
    /// Its raw value (`@path` not yet read).
    pub(crate) value: String,
    pub(crate) header: TokenHeader,
    /// `CI_JOB_TOKEN` inside GitLab CI: only to `CI_SERVER_URL`'s origin.
    pub(crate) only_to: Option<String>,
}

/// Every forge's API and tokens.
#[derive(Clone, Debug)]
pub(crate) struct Forges {
    hosts: Hosts,
    apis: Vec<(Kind, String)>,
    tokens: Vec<TokenVar>,
}

/// Token variables per forge, in the order they are tried, and the header each
/// is sent in. eget's config token comes after `EGET_GITHUB_TOKEN`.
const TOKEN_VARS: [(Kind, &str, TokenHeader); 9] = [
    (Kind::GitHub, "JINGYU_GITHUB_TOKEN", TokenHeader::Bearer),
    (Kind::GitHub, "EGET_GITHUB_TOKEN", TokenHeader::Bearer),
    (Kind::GitHub, "GITHUB_TOKEN", TokenHeader::Bearer),
    (Kind::GitHub, "GH_TOKEN", TokenHeader::Bearer),
    (
        Kind::GitLab,
        "JINGYU_GITLAB_TOKEN",
        TokenHeader::GitLabPrivate,
    ),
    (Kind::GitLab, "GITLAB_TOKEN", TokenHeader::GitLabPrivate),
    (Kind::GitLab, "CI_JOB_TOKEN", TokenHeader::GitLabJob),
    (Kind::Gitea, "GITEA_TOKEN", TokenHeader::Gitea),
    (Kind::Gitea, "FORGEJO_TOKEN", TokenHeader::Gitea),
];

impl Forges {
    /// Reads `--forge` (`forge_flag`), the overrides and the token variables.
    pub(super) fn read(o: &Overlay<'_>, forge_flag: Option<String>) -> Result<Forges, Error> {
        let forced = o
            .opt(forge_flag, &opt::FORGE)
            .map(|f| {
                Kind::parse(&f).ok_or_else(|| {
                    usage(&format!(
                        "--forge `{f}` is not a forge jingyu speaks: use github, gitlab or gitea (also Forgejo)"
                    ))
                })
            })
            .transpose()?;
        let mut apis = Vec::new();
        let mut extra = Vec::new();
        for kind in [Kind::GitHub, Kind::GitLab, Kind::Gitea] {
            if let Some(url) = o.var(kind.api_var()) {
                let url = http_url(kind.api_var(), &url, kind.default_api())?;
                extra.extend(host_key(&url).map(|h| (h, kind)));
                apis.push((kind, url));
            }
        }
        let ci_server = o.var("CI_SERVER_URL");
        for (var, kind) in [
            ("GITHUB_SERVER_URL", Kind::GitHub),
            ("CI_SERVER_URL", Kind::GitLab),
        ] {
            extra.extend(o.var(var).as_deref().and_then(host_key).map(|h| (h, kind)));
        }
        Ok(Forges {
            hosts: Hosts { forced, extra },
            apis,
            tokens: token_vars(o, ci_server.as_deref().and_then(origin).as_deref()),
        })
    }

    /// What decides a reference's forge.
    pub(crate) fn hosts(&self) -> &Hosts {
        &self.hosts
    }

    /// Where `repo`'s requests go.
    pub(crate) fn site(&self, repo: &RepoRef) -> Site {
        Site::of(repo, self.api(repo.forge))
    }

    /// GitHub's API (what `--rate` asks).
    pub(crate) fn github(&self) -> Site {
        Site {
            kind: Kind::GitHub,
            api: self
                .api(Kind::GitHub)
                .unwrap_or(Kind::GitHub.default_api())
                .to_owned(),
        }
    }

    fn api(&self, kind: Kind) -> Option<&str> {
        self.apis
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, u)| u.as_str())
    }

    /// The first token variable of `site`'s forge that may go to its API.
    pub(crate) fn token_for(&self, site: &Site) -> Option<&TokenVar> {
        let api = origin(&site.api);
        self.tokens
            .iter()
            .filter(|t| t.kind == site.kind)
            .find(|t| t.only_to.is_none() || t.only_to == api)
    }
}

fn token_vars(o: &Overlay<'_>, ci_server: Option<&str>) -> Vec<TokenVar> {
    let mut found: Vec<TokenVar> = TOKEN_VARS
        .iter()
        .filter_map(|&(kind, var, header)| {
            Some(TokenVar {
                kind,
                var: var.to_owned(),
                value: o.var(var)?.trim().to_owned(),
                header,
                only_to: ci_server
                    .filter(|_| var == "CI_JOB_TOKEN")
                    .map(str::to_owned),
            })
        })
        .collect();
    let config = o.config.token().and_then(|s| match &s.value {
        Value::Text(t) => Some((s.from.clone(), t.trim().to_owned())),
        _ => None,
    });
    if let Some((from, value)) = config {
        let at = found
            .iter()
            .position(|t| !matches!(t.var.as_str(), "JINGYU_GITHUB_TOKEN" | "EGET_GITHUB_TOKEN"))
            .unwrap_or(found.len());
        found.insert(
            at,
            TokenVar {
                kind: Kind::GitHub,
                var: from,
                value,
                header: TokenHeader::Bearer,
                only_to: None,
            },
        );
    }
    found
}

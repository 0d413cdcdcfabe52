//! What the user typed for a repository (`owner/repo`, `owner/repo@tag`,
//! `https://github.com/owner/repo`, `gitlab.com/group/subgroup/project`,
//! `codeberg.org/owner/repo/releases/tag/v1`) as a checked [`RepoRef`]: its
//! forge, the host if one was named, and its path.

use std::fmt;

use crate::site::Kind;

/// A repository on a forge, and a tag if the reference carried one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoRef {
    pub forge: Kind,
    /// The host named in the reference; `None` for a bare `owner/repo`.
    pub host: Option<RepoHost>,
    /// The owner; for GitLab, the whole namespace (`group/subgroup`).
    pub owner: String,
    pub name: String,
    pub tag: Option<String>,
}

/// A host named in a reference, with the scheme its API is reached by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoHost {
    pub scheme: String,
    /// Lower-cased, with any port (`gitlab.corp:8443`).
    pub host: String,
}

impl RepoHost {
    pub fn name(&self) -> &str {
        &self.host
    }

    /// Whether this is `kind`'s public instance (what a bare name means).
    pub fn is_default_for(&self, kind: Kind) -> bool {
        let host = self.host.strip_prefix("www.").unwrap_or(&self.host);
        host == kind.default_host()
    }
}

/// What decides a reference's forge beyond the well-known hosts.
#[derive(Clone, Debug, Default)]
pub struct Hosts {
    /// `--forge`: the kind of a bare `owner/repo` and of unknown hosts.
    pub forced: Option<Kind>,
    /// Hosts configured by variables (`GITHUB_SERVER_URL`, `GITLAB_API_URL`,
    /// `CI_SERVER_URL`, `GITEA_API_URL`), lower-cased, with their kinds.
    pub extra: Vec<(String, Kind)>,
}

impl Hosts {
    fn kind_of(&self, host: &str) -> Option<Kind> {
        Kind::of_known_host(host)
            .or_else(|| {
                self.extra
                    .iter()
                    .find(|(h, _)| h.eq_ignore_ascii_case(host))
                    .map(|(_, k)| *k)
            })
            .or(self.forced)
    }
}

impl RepoRef {
    /// Parses a reference. `None` when `s` is no repository: an unknown host
    /// with a scheme is then a plain download URL, as in eget.
    pub fn parse(s: &str, hosts: &Hosts) -> Option<RepoRef> {
        let s = s.trim();
        let (scheme, rest) = match (s.strip_prefix("https://"), s.strip_prefix("http://")) {
            (Some(r), _) => (Some("https"), r),
            (_, Some(r)) => (Some("http"), r),
            _ => (None, s),
        };
        let (first, after) = rest.split_once('/').unwrap_or((rest, ""));
        let first = first.to_ascii_lowercase();
        // Unknown hosts count only with a scheme, or with --forge and a
        // dotted first segment before at least two more.
        let looks_like_host = first.contains(['.', ':']) && after.contains('/');
        let named_host = scheme.is_some()
            || Kind::of_known_host(&first).is_some()
            || hosts.extra.iter().any(|(h, _)| *h == first)
            || hosts.forced.is_some() && looks_like_host;
        if !named_host {
            let forge = hosts.forced.unwrap_or(Kind::GitHub);
            return parse_path(forge, None, rest);
        }
        let forge = hosts.kind_of(&first)?;
        let host = RepoHost {
            scheme: scheme.unwrap_or("https").to_owned(),
            host: first,
        };
        parse_path(forge, Some(host), after)
    }

    /// The repository's path on its forge (`owner/repo`, `group/sub/project`).
    pub fn path(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

/// The path after any host: `owner/name` (GitHub, Gitea) or a GitLab
/// namespace, then what a web URL may add, then `@tag`.
fn parse_path(forge: Kind, host: Option<RepoHost>, path: &str) -> Option<RepoRef> {
    let (path, tag) = match path.split_once('@') {
        Some((p, t)) if !t.is_empty() => (p, Some(t.to_owned())),
        Some(_) => return None,
        None => (path, None),
    };
    let segs: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (project, web_tail) = match forge {
        Kind::GitLab => match segs.iter().position(|s| *s == "-") {
            Some(i) => (&segs[..i], Some(&segs[i + 1..])),
            None => (&segs[..], None),
        },
        Kind::GitHub | Kind::Gitea => {
            (&segs[..segs.len().min(2)], Some(&segs[segs.len().min(2)..]))
        }
    };
    let web_tail = web_tail.unwrap_or(&[]);
    let from_url = match (web_tail, forge) {
        ([], _) => None,
        _ if host.is_none() => return None,
        (["releases"] | ["releases", "latest"], Kind::GitHub | Kind::Gitea)
        | (["releases"] | ["releases", "permalink", "latest"], Kind::GitLab) => None,
        (["releases", "tag", t], Kind::GitHub | Kind::Gitea) | (["releases", t], Kind::GitLab) => {
            Some((*t).to_owned())
        }
        _ => return None,
    };
    let (name, owner) = project.split_last()?;
    let name = name.strip_suffix(".git").unwrap_or(name);
    let valid = !owner.is_empty()
        && valid_name(name)
        && match forge {
            Kind::GitHub => owner.len() == 1 && valid_github_owner(owner[0]),
            Kind::Gitea => owner.len() == 1 && valid_name(owner[0]),
            Kind::GitLab => owner.iter().all(|s| valid_name(s)),
        };
    valid.then(|| RepoRef {
        forge,
        host,
        owner: owner.join("/"),
        name: name.to_owned(),
        tag: tag.or(from_url),
    })
}

fn valid_github_owner(s: &str) -> bool {
    !s.is_empty() && s.len() <= 39 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A repository (or GitLab group) name: letters, digits, `-`, `_`, `.`.
fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

impl fmt::Display for RepoRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

#[cfg(test)]
mod tests;

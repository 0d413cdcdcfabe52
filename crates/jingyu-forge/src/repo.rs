//! What the user typed for a repository (`owner/repo`, `owner/repo@tag`,
//! `https://github.com/owner/repo`) as a checked [`RepoRef`].

use std::fmt;

/// A GitHub repository, and a tag if the reference carried one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoRef {
    pub owner: String,
    pub name: String,
    pub tag: Option<String>,
}

impl RepoRef {
    /// Parses `owner/repo`, `owner/repo@tag`, or a github.com URL (also one of
    /// `extra_hosts`, for GitHub Enterprise). `None` when `s` is none of these.
    pub fn parse(s: &str, extra_hosts: &[&str]) -> Option<RepoRef> {
        let s = s.trim();
        let path = strip_host(s, extra_hosts).unwrap_or(s);
        let (path, tag) = match path.split_once('@') {
            Some((p, t)) if !t.is_empty() => (p, Some(t.to_owned())),
            Some(_) => return None,
            None => (path, None),
        };
        let mut parts = path.trim_matches('/').split('/');
        let owner = parts.next()?;
        let name = parts.next()?.trim_end_matches(".git");
        let rest: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
        let from_url = url_tag(&rest);
        let is_url = !std::ptr::eq(path, s);
        let rest_ok = rest.is_empty()
            || is_url
                && (from_url.is_some() || rest == ["releases"] || rest == ["releases", "latest"]);
        if !rest_ok {
            return None;
        }
        let tag = tag.or(from_url);
        (valid_owner(owner) && valid_name(name)).then(|| RepoRef {
            owner: owner.to_owned(),
            name: name.to_owned(),
            tag,
        })
    }
}

fn strip_host<'a>(s: &'a str, extra_hosts: &[&str]) -> Option<&'a str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    (host == "github.com"
        || host == "www.github.com"
        || extra_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)))
    .then_some(path)
}

/// `releases/tag/v1.2.3` at the end of a URL names a tag.
fn url_tag(rest: &[&str]) -> Option<String> {
    match rest {
        ["releases", "tag", tag] if !tag.is_empty() => Some((*tag).to_owned()),
        _ => None,
    }
}

fn valid_owner(s: &str) -> bool {
    !s.is_empty() && s.len() <= 39 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

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
mod tests {
    use super::*;

    #[allow(clippy::unnecessary_wraps)] // the table compares with parse()'s Option
    fn r(owner: &str, name: &str, tag: Option<&str>) -> Option<RepoRef> {
        Some(RepoRef {
            owner: owner.into(),
            name: name.into(),
            tag: tag.map(Into::into),
        })
    }

    #[test]
    fn parses_the_forms_users_type() {
        let cases = [
            ("casey/just", r("casey", "just", None)),
            ("casey/just@1.42.4", r("casey", "just", Some("1.42.4"))),
            ("https://github.com/casey/just", r("casey", "just", None)),
            ("https://github.com/casey/just/", r("casey", "just", None)),
            (
                "https://github.com/casey/just.git",
                r("casey", "just", None),
            ),
            ("github.com/casey/just", r("casey", "just", None)),
            (
                "https://github.com/casey/just/releases/tag/1.42.4",
                r("casey", "just", Some("1.42.4")),
            ),
            ("https://ghe.corp/team/tool", r("team", "tool", None)),
            ("BurntSushi/ripgrep", r("BurntSushi", "ripgrep", None)),
            ("owner/repo.name_x", r("owner", "repo.name_x", None)),
        ];
        for (input, want) in cases {
            assert_eq!(RepoRef::parse(input, &["ghe.corp"]), want, "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_repo() {
        for bad in [
            "just",
            "casey/",
            "/just",
            "a/b/c",
            "casey/just@",
            "ca sey/just",
            "casey/..",
            "https://example.com/a/b",
            "https://github.com/casey/just/blob/main/x",
        ] {
            assert_eq!(RepoRef::parse(bad, &[]), None, "{bad}");
        }
    }
}

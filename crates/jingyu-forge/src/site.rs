//! Which forge a repository lives on: the three kinds jingyu speaks
//! ([`Kind`]), the hosts it knows them by, and the [`Site`] (kind and API
//! base) a repository's requests go to, from the host the user named and the
//! API override a variable gave.

use crate::repo::RepoRef;

/// A kind of forge: the shape of its release API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// github.com and GitHub Enterprise (`/api/v3`).
    GitHub,
    /// gitlab.com and self-managed GitLab (`/api/v4`).
    GitLab,
    /// Gitea and Forgejo (Codeberg), `/api/v1`.
    Gitea,
}

impl Kind {
    /// What `--forge` accepts (`forgejo` is Gitea's API too).
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "github" => Some(Kind::GitHub),
            "gitlab" => Some(Kind::GitLab),
            "gitea" | "forgejo" => Some(Kind::Gitea),
            _ => None,
        }
    }

    /// The lower-case name a lock file and `--forge` use.
    pub fn id(self) -> &'static str {
        match self {
            Kind::GitHub => "github",
            Kind::GitLab => "gitlab",
            Kind::Gitea => "gitea",
        }
    }

    /// The name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::GitHub => "GitHub",
            Kind::GitLab => "GitLab",
            Kind::Gitea => "Gitea",
        }
    }

    /// The public instance a bare `owner/repo` means.
    pub fn default_host(self) -> &'static str {
        match self {
            Kind::GitHub => "github.com",
            Kind::GitLab => "gitlab.com",
            Kind::Gitea => "codeberg.org",
        }
    }

    /// The default host's API base.
    pub fn default_api(self) -> &'static str {
        match self {
            Kind::GitHub => "https://api.github.com",
            Kind::GitLab => "https://gitlab.com/api/v4",
            Kind::Gitea => "https://codeberg.org/api/v1",
        }
    }

    /// The variable that overrides [`Kind::default_api`].
    pub fn api_var(self) -> &'static str {
        match self {
            Kind::GitHub => "GITHUB_API_URL",
            Kind::GitLab => "GITLAB_API_URL",
            Kind::Gitea => "GITEA_API_URL",
        }
    }

    /// The token variable errors suggest.
    pub fn token_var(self) -> &'static str {
        match self {
            Kind::GitHub => "GITHUB_TOKEN",
            Kind::GitLab => "GITLAB_TOKEN",
            Kind::Gitea => "GITEA_TOKEN",
        }
    }

    /// The API base of a self-hosted instance at `scheme://host`.
    /// The API path below a host (`api/v3` for GitHub Enterprise).
    fn api_path(self) -> &'static str {
        match self {
            Kind::GitHub => "api/v3",
            Kind::GitLab => "api/v4",
            Kind::Gitea => "api/v1",
        }
    }

    fn api_at(self, scheme: &str, host: &str) -> String {
        format!("{scheme}://{host}/{}", self.api_path())
    }

    /// The kind of a well-known public host.
    pub fn of_known_host(host: &str) -> Option<Kind> {
        match host.to_ascii_lowercase().as_str() {
            "github.com" | "www.github.com" => Some(Kind::GitHub),
            "gitlab.com" | "www.gitlab.com" => Some(Kind::GitLab),
            "codeberg.org" | "gitea.com" => Some(Kind::Gitea),
            _ => None,
        }
    }
}

/// Where a repository's API requests go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub kind: Kind,
    /// The API base, no trailing slash (`https://gitlab.com/api/v4`).
    pub api: String,
}

impl Site {
    /// The web base the API serves (`https://api.github.com` →
    /// `https://github.com`; `https://ghe.example/api/v3` →
    /// `https://ghe.example`); an API at a host's root is its own.
    pub fn web(&self) -> String {
        let api = self.api.trim_end_matches('/');
        if let Some(base) = api.strip_suffix(&format!("/{}", self.kind.api_path())) {
            return base.to_owned();
        }
        api.replacen("://api.", "://", 1)
    }

    /// The site of `repo`: the override (`GITLAB_API_URL` …) for a bare
    /// `owner/repo`, the kind's public host, or the override's own host;
    /// any other host's API at its usual path.
    pub fn of(repo: &RepoRef, override_api: Option<&str>) -> Site {
        let kind = repo.forge;
        let api = match &repo.host {
            Some(h)
                if !h.is_default_for(kind)
                    && override_host(override_api).as_deref() != Some(h.name()) =>
            {
                kind.api_at(&h.scheme, &h.host)
            }
            _ => override_api.unwrap_or(kind.default_api()).to_owned(),
        };
        Site {
            kind,
            api: api.trim_end_matches('/').to_owned(),
        }
    }

    /// How messages name it: "GitHub" for GitHub (as eget), else the API's
    /// host ("gitlab.com", "codeberg.org").
    pub fn label(&self) -> String {
        match self.kind {
            Kind::GitHub => "GitHub".to_owned(),
            Kind::GitLab | Kind::Gitea => host_of(&self.api).unwrap_or(&self.api).to_owned(),
        }
    }
}

/// The host (and port) of an http(s) URL.
pub fn host_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())
}

/// The host of an http(s) URL, lower-cased (how hosts are compared).
pub fn host_key(url: &str) -> Option<String> {
    host_of(url).map(str::to_ascii_lowercase)
}

fn override_host(api: Option<&str>) -> Option<String> {
    api.and_then(host_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::Hosts;

    fn site(target: &str, forced: Option<Kind>, api: Option<&str>) -> String {
        let hosts = Hosts {
            forced,
            ..Hosts::default()
        };
        let repo = RepoRef::parse(target, &hosts).expect(target);
        Site::of(&repo, api).api
    }

    #[test]
    fn the_web_base_is_the_api_without_its_api_host_or_path() {
        let web = |kind, api: &str| {
            Site {
                kind,
                api: api.to_owned(),
            }
            .web()
        };
        assert_eq!(
            web(Kind::GitHub, "https://api.github.com"),
            "https://github.com"
        );
        assert_eq!(
            web(Kind::GitHub, "https://ghe.example/api/v3/"),
            "https://ghe.example"
        );
        assert_eq!(
            web(Kind::GitLab, "https://gitlab.com/api/v4"),
            "https://gitlab.com"
        );
        assert_eq!(
            web(Kind::Gitea, "https://codeberg.org/api/v1"),
            "https://codeberg.org"
        );
        assert_eq!(
            web(Kind::GitHub, "http://127.0.0.1:9"),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn the_api_follows_the_host_named() {
        let fake = Some("http://127.0.0.1:9/api/v4");
        let cases = [
            ("casey/just", None, None, "https://api.github.com"),
            ("gitlab.com/g/s/p", None, None, "https://gitlab.com/api/v4"),
            ("g/p", Some(Kind::GitLab), None, "https://gitlab.com/api/v4"),
            ("g/p", Some(Kind::GitLab), fake, "http://127.0.0.1:9/api/v4"),
            ("gitlab.com/g/p", None, fake, "http://127.0.0.1:9/api/v4"),
            (
                "http://127.0.0.1:9/g/p",
                Some(Kind::GitLab),
                fake,
                "http://127.0.0.1:9/api/v4",
            ),
            (
                "https://gitlab.corp/g/p",
                Some(Kind::GitLab),
                fake,
                "https://gitlab.corp/api/v4",
            ),
            (
                "codeberg.org/o/r",
                None,
                None,
                "https://codeberg.org/api/v1",
            ),
            (
                "https://git.corp:3000/o/r",
                Some(Kind::Gitea),
                None,
                "https://git.corp:3000/api/v1",
            ),
            (
                "https://ghe.corp/o/r",
                Some(Kind::GitHub),
                None,
                "https://ghe.corp/api/v3",
            ),
        ];
        for (target, forced, api, want) in cases {
            assert_eq!(site(target, forced, api), want, "{target}");
        }
    }

    #[test]
    fn labels_name_the_forge_or_its_host() {
        let s = |kind, api: &str| {
            Site {
                kind,
                api: api.into(),
            }
            .label()
        };
        assert_eq!(s(Kind::GitHub, "https://api.github.com"), "GitHub");
        assert_eq!(s(Kind::GitLab, "https://gitlab.com/api/v4"), "gitlab.com");
        assert_eq!(s(Kind::Gitea, "http://127.0.0.1:8/api/v1"), "127.0.0.1:8");
        assert_eq!(Kind::parse("Forgejo"), Some(Kind::Gitea));
        assert_eq!(Kind::parse("svn"), None);
    }
}

use super::*;

fn r(forge: Kind, host: Option<&str>, owner: &str, name: &str, tag: Option<&str>) -> RepoRef {
    RepoRef {
        forge,
        host: host.map(|h| {
            let (scheme, host) = h.split_once("://").unwrap_or(("https", h));
            RepoHost {
                scheme: scheme.into(),
                host: host.into(),
            }
        }),
        owner: owner.into(),
        name: name.into(),
        tag: tag.map(Into::into),
    }
}

fn gh(owner: &str, name: &str, tag: Option<&str>) -> RepoRef {
    r(Kind::GitHub, None, owner, name, tag)
}

fn hosts(forced: Option<Kind>) -> Hosts {
    Hosts {
        forced,
        extra: vec![
            ("ghe.corp".into(), Kind::GitHub),
            ("127.0.0.1:9".into(), Kind::GitLab),
        ],
    }
}

#[test]
fn parses_the_github_forms_users_type() {
    let web = |owner, name, tag| r(Kind::GitHub, Some("github.com"), owner, name, tag);
    let cases = [
        ("casey/just", gh("casey", "just", None)),
        ("casey/just@1.42.4", gh("casey", "just", Some("1.42.4"))),
        ("https://github.com/casey/just", web("casey", "just", None)),
        ("https://github.com/casey/just/", web("casey", "just", None)),
        (
            "https://github.com/casey/just.git",
            web("casey", "just", None),
        ),
        ("github.com/casey/just", web("casey", "just", None)),
        (
            "https://github.com/casey/just/releases/tag/1.42.4",
            web("casey", "just", Some("1.42.4")),
        ),
        (
            "https://ghe.corp/team/tool",
            r(Kind::GitHub, Some("ghe.corp"), "team", "tool", None),
        ),
        ("BurntSushi/ripgrep", gh("BurntSushi", "ripgrep", None)),
        ("owner/repo.name_x", gh("owner", "repo.name_x", None)),
    ];
    for (input, want) in cases {
        assert_eq!(RepoRef::parse(input, &hosts(None)), Some(want), "{input}");
    }
}

#[test]
fn parses_gitlab_namespaces_and_gitea_hosts() {
    let lab = |host, owner, name, tag| r(Kind::GitLab, host, owner, name, tag);
    let tea = |host, owner, name, tag| r(Kind::Gitea, host, owner, name, tag);
    let cases = [
        (
            "gitlab.com/group/sub/project",
            None,
            lab(Some("gitlab.com"), "group/sub", "project", None),
        ),
        (
            "https://gitlab.com/a/b/c/d/-/releases/v2.0",
            None,
            lab(Some("gitlab.com"), "a/b/c", "d", Some("v2.0")),
        ),
        (
            "https://gitlab.com/g/p/-/releases/permalink/latest",
            None,
            lab(Some("gitlab.com"), "g", "p", None),
        ),
        (
            "http://127.0.0.1:9/g/s/p.git@v1",
            None,
            lab(Some("http://127.0.0.1:9"), "g/s", "p", Some("v1")),
        ),
        ("g/s/p", Some(Kind::GitLab), lab(None, "g/s", "p", None)),
        (
            "gitlab.corp/g/p",
            Some(Kind::GitLab),
            lab(Some("gitlab.corp"), "g", "p", None),
        ),
        (
            "codeberg.org/forgejo/forgejo/releases/tag/v9.0.0",
            None,
            tea(Some("codeberg.org"), "forgejo", "forgejo", Some("v9.0.0")),
        ),
        (
            "https://git.corp:3000/o/r",
            Some(Kind::Gitea),
            tea(Some("git.corp:3000"), "o", "r", None),
        ),
        // A well-known host keeps its kind whatever --forge says.
        (
            "github.com/o/r",
            Some(Kind::GitLab),
            r(Kind::GitHub, Some("github.com"), "o", "r", None),
        ),
        (
            "my.group/p",
            Some(Kind::GitLab),
            lab(None, "my.group", "p", None),
        ),
    ];
    for (input, forced, want) in cases {
        assert_eq!(RepoRef::parse(input, &hosts(forced)), Some(want), "{input}");
    }
}

#[test]
fn rejects_what_is_not_a_repo() {
    for (bad, forced) in [
        ("just", None),
        ("casey/", None),
        ("/just", None),
        ("a/b/c", None),
        ("casey/just@", None),
        ("ca sey/just", None),
        ("casey/..", None),
        ("https://example.com/a/b", None),
        ("https://github.com/casey/just/blob/main/x", None),
        ("gitlab.com/project", None),
        ("gitlab.com/g/p/-/merge_requests/1", None),
        ("g/p/-/releases/v1", Some(Kind::GitLab)),
        ("codeberg.org/a/b/c", None),
    ] {
        assert_eq!(RepoRef::parse(bad, &hosts(forced)), None, "{bad}");
    }
}

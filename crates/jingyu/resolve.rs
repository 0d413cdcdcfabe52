//! Target → [`Resolution`]: the one plain record install consumes. A forge
//! target asks the release API and picks the asset (the forge fills in the
//! record); a URL or a local file is its own record. Also where each forge's
//! token comes from.

use std::fs;

use jingyu_fetch::Agent;
use jingyu_forge::{
    Forge, Kind, Location, Release, RepoRef, Resolution, SignatureFile, SignatureKind, Site, Token,
    TokenHeader,
};
use jingyu_pick::{choose, Choice, PickError, Request};

use crate::error::Error;
use crate::plan::{url_file_name, Connection, Plan, Target, TokenVar};
use crate::report::Reporter;

/// Resolves one tool for several platforms (its plans differ only in the
/// system) with one release lookup: a pick per plan, or the reason none fits.
pub(crate) fn for_platforms(
    plans: &[&Plan],
    agent: &Agent,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Vec<Result<Resolution, Error>>, Error> {
    let Some(first) = plans.first() else {
        return Ok(Vec::new());
    };
    let Target::Repo(repo, site) = &first.target else {
        return plans
            .iter()
            .map(|p| resolve(p, Some(agent), token, rep).map(Ok))
            .collect();
    };
    let gh = Forge::new(agent, site.clone(), token.cloned()).with_cutoff(first.cutoff());
    if first.source {
        let res = gh.source_resolution(repo, &first.which)?;
        return Ok(plans.iter().map(|_| Ok(res.clone())).collect());
    }
    let release = gh.release(repo, &first.which)?;
    // A lock pins only what fits: eget's lone-asset fallback (which only the
    // binary's header, unknown before download, could vouch for) is none.
    let lone = |c: Choice, p: &Plan| match c.fallback() {
        None => Ok(gh.resolution(repo, &release, c.index)),
        Some(why) => Err(Error::Pick {
            context: format!("`{repo}` {}", release.tag_name),
            source: PickError::NoMatch {
                wanted: crate::locking::platform_key(p.system),
                dropped: vec![(c.name, why.to_owned())],
            },
        }),
    };
    Ok(plans
        .iter()
        .map(|p| pick(p, repo, &release, rep).and_then(|c| lone(c, p)))
        .collect())
}

/// Where BuildKit mounts a secret (`--mount=type=secret,id=github_token`):
/// `github_token`, `gitlab_token`, `gitea_token` below it.
const SECRETS_DIR: &str = "/run/secrets";

/// Resolves the plan's target.
pub(crate) fn resolve(
    plan: &Plan,
    agent: Option<&Agent>,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Resolution, Error> {
    match (&plan.target, agent) {
        (Target::Repo(repo, site), Some(agent)) => {
            let gh = Forge::new(agent, site.clone(), token.cloned()).with_cutoff(plan.cutoff());
            if plan.source {
                return Ok(gh.source_resolution(repo, &plan.which)?);
            }
            let release = gh.release(repo, &plan.which)?;
            rep.detail(&format!("release `{}` of {repo}", release.tag_name));
            let choice = pick(plan, repo, &release, rep)?;
            Ok(gh.resolution(repo, &release, choice.index))
        }
        (Target::Url(url), _) => Ok(Resolution {
            // Where a direct download's signatures sit, by convention (each
            // fetched only with its key).
            signatures: SignatureKind::ALL
                .into_iter()
                .map(|kind| SignatureFile {
                    kind,
                    name: format!("{}{}", url_file_name(url), kind.suffix()),
                    url: format!("{url}{}", kind.suffix()),
                })
                .collect(),
            ..Resolution::plain("url", url_file_name(url), Location::Url(url.clone()))
        }),
        (Target::File(path), _) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(Resolution::plain(
                "file",
                name,
                Location::File(path.clone()),
            ))
        }
        (Target::Repo(..), None) => unreachable!("fetch builds an agent for every network target"),
    }
}

/// The token for the plan's forge; none for a URL or a file.
pub(crate) fn plan_token(plan: &Plan, rep: &Reporter) -> Result<Option<Token>, Error> {
    match &plan.target {
        Target::Repo(_, site) => token(&plan.conn, site, rep),
        Target::Url(_) | Target::File(_) => Ok(None),
    }
}

/// `site`'s token from the environment (`@path` reads a file), else its
/// BuildKit secret. None with `--disable-ssl`: a token never crosses an
/// unverified connection.
pub(crate) fn token(
    conn: &Connection,
    site: &Site,
    rep: &Reporter,
) -> Result<Option<Token>, Error> {
    let found = if let Some(var) = conn.forges.token_for(site) {
        Some(from_var(var)?)
    } else {
        secret(site.kind)
    };
    let found = found.filter(|t| !t.value.is_empty());
    if conn.insecure && found.is_some() {
        rep.warn(&format!(
            "--disable-ssl: the {} token is not sent over unverified connections",
            site.kind.name()
        ));
        return Ok(None);
    }
    Ok(found)
}

/// The forge's BuildKit secret (`/run/secrets/gitlab_token` …; Gitea's may
/// also be `forgejo_token`), if mounted.
fn secret(kind: Kind) -> Option<Token> {
    let (ids, header): (&[&str], _) = match kind {
        Kind::GitHub => (&["github"], TokenHeader::Bearer),
        Kind::GitLab => (&["gitlab"], TokenHeader::GitLabPrivate),
        Kind::Gitea => (&["gitea", "forgejo"], TokenHeader::Gitea),
    };
    ids.iter().find_map(|id| {
        let path = format!("{SECRETS_DIR}/{id}_token");
        fs::read_to_string(&path).ok().map(|t| Token {
            value: t.trim().to_owned(),
            source: path,
            header,
        })
    })
}

/// A token variable's token; `@path` reads it from a file.
fn from_var(var: &TokenVar) -> Result<Token, Error> {
    let Some(path) = var.value.strip_prefix('@') else {
        return Ok(Token {
            value: var.value.clone(),
            source: var.var.clone(),
            header: var.header,
        });
    };
    let read = fs::read_to_string(path).map_err(|e| {
        Error::Usage(format!(
            "{} names the file `{path}`, which cannot be read: {e}",
            var.var
        ))
    })?;
    Ok(Token {
        value: read.trim().to_owned(),
        source: format!("{}=@{path}", var.var),
        header: var.header,
    })
}

fn pick(plan: &Plan, repo: &RepoRef, release: &Release, rep: &Reporter) -> Result<Choice, Error> {
    let names: Vec<&str> = release.assets.iter().map(|a| a.name.as_str()).collect();
    let req = Request {
        system: plan.system,
        filters: &plan.filters,
        project: Some(&repo.name),
    };
    let wanted = plan
        .system
        .map_or_else(|| "any system".to_owned(), |s| s.to_string());
    rep.detail(&format!("platform {wanted}, from {}", plan.system_from));
    let choice = choose(&names, &req).map_err(|source| Error::Pick {
        context: format!("`{repo}` {}", release.tag_name),
        source,
    })?;
    for step in &choice.steps {
        rep.detail(&format!("{}: kept {}", step.name, step.kept.join(", ")));
        for (name, why) in &step.dropped {
            rep.detail(&format!("    dropped {name}: {why}"));
        }
    }
    let others = names.len() - 1;
    rep.info(&format!(
        "picked `{}` from {repo} {} for {wanted} (platform from {}; {others} other assets skipped)",
        choice.name, release.tag_name, plan.system_from
    ));
    if let Some(fallback) = choice.fallback() {
        rep.warn(&format!(
            "no asset is for {wanted}: took `{}`, {fallback}; its executable's header must still fit",
            choice.name
        ));
    }
    Ok(choice)
}

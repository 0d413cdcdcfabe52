//! Target → [`Resolution`]: the one plain record install consumes. A forge
//! target asks the release API and picks the asset (the forge fills in the
//! record); a URL or a local file is its own record. Also where the token
//! comes from.

use std::fs;

use jingyu_fetch::Agent;
use jingyu_forge::{GitHub, Location, Release, RepoRef, Resolution, Token};
use jingyu_pick::{choose, Choice, PickError, Request};

use crate::error::Error;
use crate::plan::{url_file_name, Connection, Plan, Target};
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
    let Target::Repo(repo) = &first.target else {
        return plans
            .iter()
            .map(|p| resolve(p, Some(agent), token, rep).map(Ok))
            .collect();
    };
    let gh = GitHub::new(agent, &first.conn.api_url, token.cloned());
    if first.source {
        return Ok(plans
            .iter()
            .map(|_| Ok(gh.source_resolution(repo, &first.which)))
            .collect());
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

/// Where a secret mounted by BuildKit (`--mount=type=secret,id=github_token`) appears.
const SECRET_TOKEN_FILE: &str = "/run/secrets/github_token";

/// Resolves the plan's target.
pub(crate) fn resolve(
    plan: &Plan,
    agent: Option<&Agent>,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Resolution, Error> {
    match (&plan.target, agent) {
        (Target::Repo(repo), Some(agent)) => {
            let gh = GitHub::new(agent, &plan.conn.api_url, token.cloned());
            if plan.source {
                return Ok(gh.source_resolution(repo, &plan.which));
            }
            let release = gh.release(repo, &plan.which)?;
            rep.detail(&format!("release `{}` of {repo}", release.tag_name));
            let choice = pick(plan, repo, &release, rep)?;
            Ok(gh.resolution(repo, &release, choice.index))
        }
        (Target::Url(url), _) => Ok(Resolution::plain(
            "url",
            url_file_name(url),
            Location::Url(url.clone()),
        )),
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
        (Target::Repo(_), None) => unreachable!("fetch builds an agent for every network target"),
    }
}

/// The token from the environment (`@path` reads a file) or a BuildKit secret.
/// None with `--disable-ssl`: a token never crosses an unverified connection.
pub(crate) fn token(conn: &Connection, rep: &Reporter) -> Result<Option<Token>, Error> {
    let found = match &conn.token {
        Some((var, value)) => match value.strip_prefix('@') {
            Some(path) => {
                let read = fs::read_to_string(path).map_err(|e| {
                    Error::Usage(format!(
                        "{var} names the file `{path}`, which cannot be read: {e}"
                    ))
                })?;
                Some(Token {
                    value: read.trim().to_owned(),
                    source: format!("{var}=@{path}"),
                })
            }
            None => Some(Token {
                value: value.clone(),
                source: var.clone(),
            }),
        },
        None => fs::read_to_string(SECRET_TOKEN_FILE).ok().map(|t| Token {
            value: t.trim().to_owned(),
            source: SECRET_TOKEN_FILE.to_owned(),
        }),
    };
    let found = found.filter(|t| !t.value.is_empty());
    if conn.insecure && found.is_some() {
        rep.warn("--disable-ssl: the GitHub token is not sent over unverified connections");
        return Ok(None);
    }
    Ok(found)
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

//! `jingyu install` and `jingyu lock`: many tools from one manifest. Each
//! tool is planned as its own command line; `install` runs them at most
//! `--jobs` at a time, none stopped by another's failure, and ends with a
//! table; `--locked` installs what the lock names with no API request;
//! `lock` resolves every tool for every platform (one release lookup per
//! tool) and writes the lock.

use std::path::PathBuf;

use argh::FromArgs;
use jingyu_pick::System;

use crate::board::Board;
use crate::config::Config;
use crate::error::{self, Error};
use crate::lockfile::{self, Entry, Pin};
use crate::manifest::{self, Manifest, Tool};
use crate::plan::{self, Action, Env, Plan};
use crate::report::{Level, Reporter};
use crate::run::{self, Installed};
use crate::{args, export, locking, sbom};

/// Install every tool of a manifest (or the named ones), in parallel.
#[derive(FromArgs, Debug)]
#[argh(help_triggers("-h", "--help"))]
pub(crate) struct InstallArgs {
    /// the manifest (default jingyu.toml; an eget config works too)
    #[argh(option, short = 'f')]
    file: Option<String>,
    /// the directory every tool goes to, over the manifest's
    #[argh(option)]
    to: Option<String>,
    /// downloads at once (default 4)
    #[argh(option)]
    jobs: Option<String>,
    /// install exactly what jingyu.lock names, asking no API
    #[argh(switch)]
    locked: bool,
    /// the platform to install for (default: TARGETPLATFORM, else the host)
    #[argh(option, short = 's')]
    system: Option<String>,
    /// directory of verified downloads keyed by sha256 (a BuildKit cache mount)
    #[argh(option)]
    cache_dir: Option<String>,
    /// write an SPDX 2.3 JSON SBOM of every installed tool to this file
    #[argh(option)]
    sbom: Option<String>,
    /// explain each tool's decisions on stderr
    #[argh(switch)]
    verbose: bool,
    /// the tools to install (default: all)
    #[argh(positional)]
    names: Vec<String>,
}

/// Resolve every tool of a manifest for every platform and write the lock.
#[derive(FromArgs, Debug)]
#[argh(help_triggers("-h", "--help"))]
pub(crate) struct LockArgs {
    /// the manifest (default jingyu.toml)
    #[argh(option, short = 'f')]
    file: Option<String>,
    /// a platform to lock for (repeatable; default: the manifest's platforms, else the host)
    #[argh(option)]
    platform: Vec<String>,
    /// write nothing; fail if the lock is not what `jingyu lock` would write
    #[argh(switch)]
    check: bool,
    /// toml (write jingyu.lock, the default), or print json, bake (HCL variables) or dockerfile (ADD --checksum lines)
    #[argh(option)]
    format: Option<String>,
    /// explain each decision on stderr
    #[argh(switch)]
    verbose: bool,
}

/// A tool ready to install (with its pin, for `--locked`), or why not.
type Planned = Result<(Plan, Option<Pin>), Error>;

/// What the environment and the host give every tool's plan.
pub(crate) struct World<'a> {
    pub(crate) env: Env<'a>,
    pub(crate) host: System,
    pub(crate) is_file: &'a dyn Fn(&str) -> bool,
}

/// `jingyu install …`.
pub(crate) fn install(a: &InstallArgs, world: &World<'_>) -> Result<(), Error> {
    let m = load(a.file.as_deref(), a.to.as_deref())?;
    let tools = chosen(&m, &a.names)?;
    let jobs = match a.jobs.as_deref() {
        None => 4,
        Some(j) => j
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&n| (1..=64).contains(&n))
            .ok_or_else(|| Error::Usage(format!("--jobs `{j}` is not a number from 1 to 64")))?,
    };
    let level = if a.verbose {
        Level::Verbose
    } else {
        Level::Quiet
    };
    let work = work_items(a, &m, &tools, world)?;
    let lock_path = lockfile::beside(&m.path);
    let board = Board::new(&work.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>());
    let shared = crate::install::Made::shared(
        work.iter()
            .filter_map(|(_, p)| p.as_ref().ok()?.0.to.as_deref()),
    )?;
    let indexed: Vec<(usize, &(String, Planned))> = work.iter().enumerate().collect();
    let runs = crate::parallel::each(indexed, jobs, |(i, (name, planned))| {
        let (plan, pin) = planned.as_ref().ok()?;
        if let Some(b) = &board {
            b.set(i, &format!("{name}  resolving"));
        }
        let rep = Reporter::new(level)
            .without_stdout()
            .on_board(board.as_ref(), i, name);
        let pinned = pin.as_ref().map(|p| p.resolution(&lock_path, plan.site()));
        let outcome = run::install_one(plan, pinned, &rep);
        show(board.as_deref(), i, name, outcome.as_ref());
        Some(outcome)
    });
    // SOURCE_DATE_EPOCH as the plans read it, for the SBOM.
    let created = work
        .iter()
        .find_map(|(_, p)| p.as_ref().ok())
        .map(|(p, _)| p.created());
    let mut names = Vec::new();
    let mut results = Vec::new();
    for ((name, planned), run) in work.into_iter().zip(runs) {
        let outcome = match (planned, run) {
            (_, Some(outcome)) => outcome,
            (Err(e), None) => {
                show(board.as_deref(), names.len(), &name, Err(&e));
                Err(e)
            }
            (Ok(_), None) => unreachable!("every planned tool runs"),
        };
        names.push(name);
        results.push(outcome);
    }
    if let Some(b) = &board {
        b.finish();
    }
    // The shared directories stay once anything went there.
    if results.iter().any(Result::is_ok) {
        shared.keep(false);
    }
    if let Some(path) = &a.sbom {
        let created = created.unwrap_or_else(plan::now_unix);
        write_sbom(path, created, &names, &results)?;
    }
    summary(&Reporter::new(Level::Normal), &names, &results);
    failures(&names, &results, "tools of the manifest")
}

/// Every tool for every `--system` platform, planned (and pinned with
/// `--locked`), or why not.
fn work_items(
    a: &InstallArgs,
    m: &Manifest,
    tools: &[&Tool],
    world: &World<'_>,
) -> Result<Vec<(String, Planned)>, Error> {
    let cache: Vec<String> = a
        .cache_dir
        .iter()
        .flat_map(|d| ["--cache-dir".to_owned(), d.clone()])
        .collect();
    // `--system a,b`: every tool for every platform (`--to` may name it).
    let platforms: Vec<Option<String>> = match a.system.as_deref() {
        None => vec![None],
        Some(list) => plan::platforms(list).into_iter().map(Some).collect(),
    };
    let lock = if a.locked { Some(read_lock(m)?) } else { None };
    let mut work: Vec<(String, Planned)> = Vec::new();
    for t in tools {
        for platform in &platforms {
            let mut extra = cache.clone();
            extra.extend(
                platform
                    .iter()
                    .flat_map(|p| ["--system".to_owned(), p.clone()]),
            );
            let planned = plan_tool(t, &extra, m, world).and_then(|p| {
                let pin = lock
                    .as_ref()
                    .map(|l| locking::pin_for(l, &m.path, t, &p))
                    .transpose()?;
                Ok((p, pin))
            });
            let name = match (platforms.len(), platform) {
                (2.., Some(p)) => format!("{} ({p})", t.target),
                _ => t.target.clone(),
            };
            work.push((name, planned));
        }
    }
    Ok(work)
}

/// The SBOM of every tool installed (`--sbom`), stamped `created`.
fn write_sbom(
    path: &str,
    created: u64,
    names: &[String],
    results: &[Result<Installed, Error>],
) -> Result<(), Error> {
    let tools: Vec<sbom::Tool<'_>> = names
        .iter()
        .zip(results)
        .filter_map(|(name, r)| {
            r.as_ref()
                .ok()
                .map(|installed| sbom::Tool { name, installed })
        })
        .collect();
    sbom::write(std::path::Path::new(path), &tools, created)
}

/// `jingyu lock …`.
pub(crate) fn lock(a: &LockArgs, world: &World<'_>) -> Result<(), Error> {
    if let Some(f) = a.format.as_deref().filter(|f| !export::FORMATS.contains(f)) {
        return Err(Error::Usage(format!(
            "--format `{f}` is not one of {}",
            export::FORMATS.join(", ")
        )));
    }
    let m = load(a.file.as_deref(), None)?;
    let platforms = if a.platform.is_empty() {
        if m.platforms.is_empty() {
            vec![world.host.to_string()]
        } else {
            m.platforms.clone()
        }
    } else {
        a.platform.clone()
    };
    let rep = Reporter::new(if a.verbose {
        Level::Verbose
    } else {
        Level::Normal
    });
    let mut entries = Vec::new();
    let mut failed = Vec::new();
    let mut code = 0;
    for tool in &m.tools {
        match locking::lock_tool(tool, &platforms, &m, world, &rep) {
            Ok(mut e) => entries.append(&mut e),
            Err(e) => {
                rep.warn(&format!(
                    "{} failed: {}",
                    tool.target,
                    error::render(&e).trim_start_matches("jingyu: error: ")
                ));
                code = if code == 0 { e.exit_code() } else { code };
                failed.push(tool.target.clone());
            }
        }
    }
    if !failed.is_empty() {
        return Err(Error::Several {
            failed,
            total: m.tools.len(),
            what: "tools of the manifest",
            code,
        });
    }
    let format = a.format.as_deref().unwrap_or("toml");
    let export = match format {
        "json" => Some(export::json(&entries)),
        "bake" => Some(export::bake(&entries)),
        "dockerfile" => {
            let names = m
                .tools
                .iter()
                .filter_map(|t| Some((t.target.as_str(), t.name.as_deref()?)));
            Some(export::dockerfile(&entries, &names.collect()))
        }
        _ => None,
    };
    if let Some(text) = export {
        rep.text(text.trim_end());
        return Ok(());
    }
    let text = lockfile::render(&entries);
    let path = lockfile::beside(&m.path);
    if a.check {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != text {
            return Err(Error::Usage(format!("{} is not what `jingyu lock` would write now (a release moved, or the manifest changed); run `jingyu lock` and commit it", path.display())));
        }
        rep.info(&format!("{} is up to date", path.display()));
        return Ok(());
    }
    crate::install::write_file(&path, text.as_bytes())?;
    rep.info(&format!(
        "wrote {} ({} entries)",
        path.display(),
        entries.len()
    ));
    Ok(())
}

/// The manifest at `file` (default `jingyu.toml`).
fn load(file: Option<&str>, to: Option<&str>) -> Result<Manifest, Error> {
    let path = PathBuf::from(file.unwrap_or("jingyu.toml"));
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Usage(format!("cannot read the manifest `{}`: {e}; write one (see the README's \"Many tools\") or name it with -f", path.display())))?;
    manifest::parse(&path, &text, to)
}

/// The tools `names` ask for (a name is the table's key or the repository's
/// name), or all of them.
fn chosen<'m>(m: &'m Manifest, names: &[String]) -> Result<Vec<&'m Tool>, Error> {
    if names.is_empty() {
        return Ok(m.tools.iter().collect());
    }
    names
        .iter()
        .map(|n| {
            m.tools
                .iter()
                .find(|t| {
                    t.target.eq_ignore_ascii_case(n)
                        || manifest::short_name(&t.target).eq_ignore_ascii_case(n)
                })
                .ok_or_else(|| {
                    let all: Vec<&str> = m.tools.iter().map(|t| t.target.as_str()).collect();
                    Error::Usage(format!(
                        "`{n}` is not a tool of {}: it has {}",
                        m.path.display(),
                        all.join(", ")
                    ))
                })
        })
        .collect()
}

/// A tool's plan, as its command line (plus `extra`) would be planned.
pub(crate) fn plan_tool(
    t: &Tool,
    extra: &[String],
    m: &Manifest,
    world: &World<'_>,
) -> Result<Plan, Error> {
    let mut argv = t.argv.clone();
    argv.extend(extra.iter().cloned());
    let parsed = args::parse(&argv).map_err(|e| {
        Error::Usage(format!(
            "{}: {}",
            t.target,
            e.output.lines().next().unwrap_or("bad settings").trim()
        ))
    })?;
    let none = Config::default();
    let config = m.eget.as_ref().unwrap_or(&none);
    match plan::build(parsed, world.env, config, world.host, world.is_file)? {
        Action::Fetch(p) => Ok(*p),
        other => Err(Error::Usage(format!(
            "{}: not an install ({other:?})",
            t.target
        ))),
    }
}

/// A finished tool: its line on the board, or (off a terminal) a line of
/// its own.
fn show(board: Option<&Board>, i: usize, name: &str, outcome: Result<&Installed, &Error>) {
    let line = finished_line(name, outcome);
    match (board, outcome) {
        (Some(b), _) => b.set(i, &line),
        (None, Ok(_)) => Reporter::new(Level::Normal).info(&line),
        (None, Err(_)) => Reporter::new(Level::Normal).warn(&line),
    }
}

/// What a finished tool's line says.
fn finished_line(name: &str, outcome: Result<&Installed, &Error>) -> String {
    match outcome {
        Ok(done) => {
            let tag = done.res.tag.as_deref().unwrap_or("-");
            let paths: Vec<String> = done.paths.iter().map(|p| p.display().to_string()).collect();
            let by = done
                .verified_by
                .as_deref()
                .unwrap_or("nothing (unverified)");
            let what = if paths.is_empty() {
                "up to date".to_owned()
            } else {
                paths.join(", ")
            };
            format!("{name} {tag}: {what} (verified by {by})")
        }
        Err(e) => format!(
            "{name} failed: {}",
            error::render(e).trim_start_matches("jingyu: error: ")
        ),
    }
}

/// The table on stdout: tool, version, asset, verified by, installed.
fn summary(rep: &Reporter, names: &[String], results: &[Result<Installed, Error>]) {
    let mut rows =
        vec![["tool", "version", "asset", "verified by", "installed"].map(str::to_owned)];
    for (name, r) in names.iter().zip(results) {
        rows.push(match r {
            Ok(d) => [
                name.clone(),
                d.res.tag.clone().unwrap_or_else(|| "-".into()),
                d.res.asset.clone(),
                d.verified_by.clone().unwrap_or_else(|| "-".into()),
                d.paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
            Err(_) => [
                name.clone(),
                "-".into(),
                "-".into(),
                "-".into(),
                "FAILED".into(),
            ],
        });
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        rep.result(cells.join("  ").trim_end());
    }
}

/// `Several` naming the failed, or `Ok`.
fn failures(
    names: &[String],
    results: &[Result<Installed, Error>],
    what: &'static str,
) -> Result<(), Error> {
    let mut failed = Vec::new();
    let mut code = 0;
    for (name, r) in names.iter().zip(results) {
        if let Err(e) = r {
            code = if code == 0 { e.exit_code() } else { code };
            failed.push(name.clone());
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::Several {
        failed,
        total: results.len(),
        what,
        code,
    })
}

/// The lock beside the manifest.
fn read_lock(m: &Manifest) -> Result<Vec<Entry>, Error> {
    let path = lockfile::beside(&m.path);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::Usage(format!(
            "cannot read `{}`: {e}; run `jingyu lock` first",
            path.display()
        ))
    })?;
    lockfile::parse(&path, &text)
}

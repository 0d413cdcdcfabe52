//! Turns `Args` plus the environment (`JINGYU_*`, `EGET_*`, BuildKit's
//! `TARGET*`, forges and their tokens) into a validated [`Action`]. No I/O: the
//! environment and "is this a file?" come in as functions.

use std::path::PathBuf;
use std::time::Duration;

use jingyu_fetch::{AgentOptions, MinSpeed, RetryPolicy, Sha256};
use jingyu_forge::{RepoRef, Site, Which};
use jingyu_pick::{Filter, System};
use jingyu_unpack::Rules;

use crate::args::Args;
use crate::config::Config;
use crate::error::Error;
use crate::options as opt;
use crate::report::Level;
use crate::sign::Signing;

/// What jingyu was asked to do.
#[derive(Debug)]
pub(crate) enum Action {
    Version,
    Rate(Connection),
    /// Remove `path`, or `path/name` when `path` is a directory.
    Remove {
        path: PathBuf,
        name: String,
        print_paths: bool,
    },
    Fetch(Box<Plan>),
    /// `--download-all` (every repository section of eget's config, each
    /// planned as `jingyu NAME` alone would be) or `--system a,b` (every
    /// platform).
    Each {
        /// What the children are, for the error that counts the failed:
        /// `platforms`, `repositories in eget's config`.
        what: &'static str,
        children: Vec<Child>,
    },
}

/// One repository of `--download-all`, or one platform of `--system a,b`.
#[derive(Debug)]
pub(crate) struct Child {
    pub(crate) name: String,
    pub(crate) level: Level,
    pub(crate) action: Result<Action, Error>,
    /// Its stdout is kept (eget discards its `-D` children's).
    pub(crate) stdout: bool,
    /// `--skip-missing`: no asset for its platform is a warning.
    pub(crate) skip_missing: bool,
}

/// What to download from, as classified from the target argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A repository and the site its requests go to.
    Repo(RepoRef, Site),
    Url(String),
    File(PathBuf),
}

/// How to talk to the forges and the asset hosts.
#[derive(Clone, Debug)]
pub(crate) struct Connection {
    pub(crate) forges: Forges,
    pub(crate) insecure: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    /// `--max-time`: the whole run's limit.
    pub(crate) max_time: Option<Duration>,
    /// `--speed-limit` over `--speed-time`; `None` when the limit is 0.
    pub(crate) min_speed: Option<MinSpeed>,
}

/// What to do with the asset once chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Install,
    DownloadOnly,
    DryRun,
}

/// A validated request to fetch and install.
#[derive(Debug)]
#[allow(clippy::struct_excessive_bools)] // independent user switches
pub(crate) struct Plan {
    pub(crate) target: Target,
    pub(crate) which: Which,
    /// `None` for `--system all`.
    pub(crate) system: Option<System>,
    /// Which setting decided the system (for the report).
    pub(crate) system_from: String,
    pub(crate) filters: Vec<Filter>,
    pub(crate) rules: Rules,
    pub(crate) to: Option<String>,
    /// `JINGYU_BIN`/`EGET_BIN`: the default destination directory.
    pub(crate) bin_dir: Option<String>,
    pub(crate) mode: Mode,
    pub(crate) source: bool,
    pub(crate) expect_sha256: Option<Sha256>,
    /// Fail when nothing can verify the download.
    pub(crate) require_verified: bool,
    /// Which signatures must verify, with which keys and signers.
    pub(crate) signing: Signing,
    /// Refuse executables whose header names another platform.
    pub(crate) check_binary: bool,
    pub(crate) print_sha256: bool,
    /// `--print-paths`: installed paths on stdout.
    pub(crate) print_paths: bool,
    /// `--sbom`: where the SPDX document goes.
    pub(crate) sbom: Option<PathBuf>,
    pub(crate) upgrade_only: bool,
    /// `--min-age`: seconds, and as written.
    pub(crate) min_age: Option<(u64, String)>,
    /// Verified downloads, keyed by sha256.
    pub(crate) cache_dir: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH`: the mtime given to installed files.
    pub(crate) source_date_epoch: Option<u64>,
    pub(crate) conn: Connection,
}

impl Plan {
    /// The target as the user named it (for reports and the SBOM).
    pub(crate) fn target_name(&self) -> String {
        match &self.target {
            Target::Repo(r, _) => match &r.host {
                Some(h) if !h.is_default_for(jingyu_forge::Kind::GitHub) => {
                    format!("{}/{r}", h.name())
                }
                _ => r.to_string(),
            },
            Target::Url(u) => u.clone(),
            Target::File(p) => p.display().to_string(),
        }
    }

    /// `--min-age`'s cutoff, from now.
    pub(crate) fn cutoff(&self) -> Option<jingyu_forge::Cutoff> {
        self.min_age
            .as_ref()
            .map(|(secs, shown)| jingyu_forge::Cutoff::new(now_unix(), *secs, shown))
    }

    /// The site of a repository target.
    pub(crate) fn site(&self) -> Option<&Site> {
        match &self.target {
            Target::Repo(_, site) => Some(site),
            Target::Url(_) | Target::File(_) => None,
        }
    }

    /// The time documents are stamped with: `SOURCE_DATE_EPOCH`, else now.
    pub(crate) fn created(&self) -> u64 {
        self.source_date_epoch.unwrap_or_else(now_unix)
    }
}

/// Now, in Unix seconds.
pub(crate) fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// How much to report, from `--quiet`/`--verbose`, their variables or the
/// config.
pub(crate) fn level(args: &Args, env: Env<'_>, config: &Config) -> Level {
    let o = Overlay::new(args.target.as_ref(), env, config);
    if o.switch(args.quiet, &opt::QUIET).unwrap_or(false) {
        Level::Quiet
    } else if o.switch(args.verbose, &opt::VERBOSE).unwrap_or(false) {
        Level::Verbose
    } else {
        Level::Normal
    }
}

/// Reads one environment variable.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Builds the action for `args` in environment `env` with eget's `config`,
/// on `host`.
pub(crate) fn build(
    args: Args,
    env: Env<'_>,
    config: &Config,
    host: System,
    is_file: &dyn Fn(&str) -> bool,
) -> Result<Action, Error> {
    let o = Overlay::new(args.target.as_ref(), env, config);
    // eget's -v: the version, whatever else is on the command line.
    if args.version {
        return Ok(Action::Version);
    }
    // Read for the reporter already; checked here like every other switch.
    o.switch(args.quiet, &opt::QUIET)?;
    o.switch(args.verbose, &opt::VERBOSE)?;
    let conn = connection(&args, &o)?;
    if args.rate {
        return Ok(Action::Rate(conn));
    }
    if args.download_all {
        return Ok(Action::Each {
            what: "repositories in eget's config",
            children: each_repository(env, config, host, is_file),
        });
    }
    if let Some(list) = system_list(&args, &o) {
        let skip_missing = o.switch(args.skip_missing, &opt::SKIP_MISSING)?;
        if o.opt(args.sbom.clone(), &opt::SBOM)
            .is_some_and(|s| !s.contains('{'))
        {
            return Err(usage(
                "--sbom with several platforms needs a placeholder such as sbom-{os}-{arch}.json (or use jingyu install --sbom)",
            ));
        }
        let children = list
            .into_iter()
            .map(|p| {
                let one = Args {
                    system: Some(p.clone()),
                    ..args.clone()
                };
                Child {
                    name: p,
                    level: level(&one, env, config),
                    action: build(one, env, config, host, is_file),
                    stdout: true,
                    skip_missing,
                }
            })
            .collect();
        return Ok(Action::Each {
            what: "platforms",
            children,
        });
    }
    let raw = args
        .target
        .clone()
        .or_else(|| o.var("JINGYU_TARGET"))
        .ok_or_else(|| {
            usage(
            "no target: give owner/repo, a URL or a local file (or set JINGYU_TARGET); see --help",
        )
        })?;
    let target = classify(&raw, &conn.forges, is_file)?;
    let to = o
        .opt(args.to.clone(), &opt::TO)
        .map(|t| expand_home(&t, o.var("HOME").as_deref()))
        .transpose()?;
    let bin_dir = o.var("JINGYU_BIN").or_else(|| o.var("EGET_BIN"));
    if args.remove {
        return Ok(Action::Remove {
            path: removal_path(&target, to.as_deref(), bin_dir.as_deref()),
            name: binary_name(&target),
            print_paths: o.switch(args.print_paths, &opt::PRINT_PATHS)?,
        });
    }
    fetch_plan(args, &o, host, target, to, bin_dir, conn).map(|p| Action::Fetch(Box::new(p)))
}

/// `--system a,b,c` (or its variable or config): the platforms, when there
/// are several.
fn system_list(args: &Args, o: &Overlay<'_>) -> Option<Vec<String>> {
    let value = args
        .system
        .clone()
        .or_else(|| o.var(opt::SYSTEM.env))
        .or_else(|| o.config_text(&opt::SYSTEM))?;
    value.contains(',').then(|| platforms(&value))
}

/// The platforms of a `--system` list (`linux/amd64, linux/arm64`).
pub(crate) fn platforms(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// eget's `-D`: each section as if run alone (eget runs `eget NAME` with no
/// other flag), with the same environment and config.
fn each_repository(
    env: Env<'_>,
    config: &Config,
    host: System,
    is_file: &dyn Fn(&str) -> bool,
) -> Vec<Child> {
    config
        .repositories()
        .map(|name| {
            let args = Args {
                target: Some(name.to_owned()),
                ..Args::default()
            };
            Child {
                name: name.to_owned(),
                level: level(&args, env, config),
                action: build(args, env, config, host, is_file),
                stdout: false,
                skip_missing: false,
            }
        })
        .collect()
}

fn connection(args: &Args, o: &Overlay<'_>) -> Result<Connection, Error> {
    let defaults = AgentOptions::default();
    let retries = o
        .number(args.retries.as_deref(), &opt::RETRIES)?
        .unwrap_or(0);
    let retry = RetryPolicy {
        attempts: u32::try_from(retries).unwrap_or(u32::MAX).saturating_add(1),
        max_total: o
            .seconds(args.retry_max_time.as_deref(), &opt::RETRY_MAX_TIME)?
            .unwrap_or(defaults.retry.max_total),
        ..defaults.retry
    };
    let speed_limit = o
        .number(args.speed_limit.as_deref(), &opt::SPEED_LIMIT)?
        .unwrap_or(0);
    let speed_time = o.seconds(args.speed_time.as_deref(), &opt::SPEED_TIME)?;
    Ok(Connection {
        forges: Forges::read(o, args.forge.clone())?,
        insecure: o.switch(args.disable_ssl, &opt::DISABLE_SSL)?,
        retry,
        connect_timeout: o
            .seconds(args.connect_timeout.as_deref(), &opt::CONNECT_TIMEOUT)?
            .unwrap_or(defaults.connect_timeout),
        read_timeout: o
            .seconds(args.read_timeout.as_deref(), &opt::READ_TIMEOUT)?
            .unwrap_or(defaults.read_timeout),
        max_time: o.seconds(args.max_time.as_deref(), &opt::MAX_TIME)?,
        min_speed: (speed_limit > 0).then(|| MinSpeed {
            bytes_per_sec: speed_limit,
            over: speed_time
                .unwrap_or(Duration::from_secs(1))
                .max(Duration::from_secs(1)),
        }),
    })
}

/// `--verify-sha256`'s digest.
fn sha256_of(hex: Option<String>) -> Result<Option<Sha256>, Error> {
    hex.map(|h| {
        Sha256::parse(&h).ok_or_else(|| {
            usage(&format!(
                "--verify-sha256 `{h}` is not a sha256: expected 64 hex digits"
            ))
        })
    })
    .transpose()
}

fn fetch_plan(
    args: Args,
    o: &Overlay<'_>,
    host: System,
    target: Target,
    to: Option<String>,
    bin_dir: Option<String>,
    conn: Connection,
) -> Result<Plan, Error> {
    let tag = o.opt(args.tag, &opt::TAG);
    let pre = o.switch(args.pre_release, &opt::PRE_RELEASE)?;
    let source = o.switch(args.source, &opt::SOURCE)?;
    let all = o.switch(args.all, &opt::ALL)?;
    let tree = o.switch(args.tree, &opt::TREE)?;
    let files = o.list(args.file, &opt::FILE);
    let filters = o.list(args.asset, &opt::ASSET);
    let upgrade_only = o.switch(args.upgrade_only, &opt::UPGRADE_ONLY)?;
    let which = which_release(&target, tag, pre)?;
    let min_age = o
        .opt(args.min_age, &opt::MIN_AGE)
        .map(|v| values::parse_age(&v, "--min-age").map(|secs| (secs, v.trim().to_owned())))
        .transpose()?;
    if source && min_age.is_some() {
        return Err(usage(
            "--min-age picks among releases; --source fetches a git ref with no release: give one",
        ));
    }
    let repo_only = [
        (source, "--source"),
        (upgrade_only, "--upgrade-only"),
        (!filters.is_empty(), "--asset"),
        (min_age.is_some(), "--min-age"),
    ];
    if let (false, Some((_, flag))) = (
        matches!(target, Target::Repo(..)),
        repo_only.iter().find(|(on, _)| *on),
    ) {
        return Err(usage(&format!(
            "{flag} applies only to a repository target (owner/repo)"
        )));
    }
    let dry_run = o.switch(args.dry_run, &opt::DRY_RUN)?;
    let download_only = o.switch(args.download_only, &opt::DOWNLOAD_ONLY)?;
    check_conflicts(all, tree, &files, download_only, to.as_deref())?;
    let (system, system_from) = system(args.system, o, host)?;
    let to = to.map(|t| values::fill_platform(&t, system)).transpose()?;
    let expect_sha256 = sha256_of(o.opt(args.verify_sha256, &opt::VERIFY_SHA256))?;
    let max_size = o
        .value(args.max_size, &opt::MAX_SIZE)
        .map(|s| parse_size(&s))
        .transpose()?
        .unwrap_or(u64::MAX);
    Ok(Plan {
        rules: Rules {
            asset: String::new(),
            name: binary_name(&target),
            files,
            all,
            tree,
            max_size,
        },
        target,
        which,
        system,
        system_from,
        filters: filters.iter().map(|f| Filter::parse(f)).collect(),
        to,
        bin_dir,
        mode: if dry_run {
            Mode::DryRun
        } else if download_only {
            Mode::DownloadOnly
        } else {
            Mode::Install
        },
        source,
        expect_sha256,
        require_verified: o.switch(args.require_verified, &opt::REQUIRE_VERIFIED)?,
        signing: Signing {
            require_signed: o.switch(args.require_signed, &opt::REQUIRE_SIGNED)?,
            minisign_key: o.opt(args.minisign_key, &opt::MINISIGN_KEY),
            cosign_key: o.opt(args.cosign_key, &opt::COSIGN_KEY),
            signers: o.list(args.signer, &opt::SIGNER),
            signer_issuer: o
                .value(args.signer_issuer, &opt::SIGNER_ISSUER)
                .unwrap_or_default(),
            trusted_root: o.opt(args.trusted_root, &opt::TRUSTED_ROOT),
        },
        check_binary: !o.switch(args.skip_binary_check, &opt::SKIP_BINARY_CHECK)?,
        print_sha256: o.switch(args.sha256, &opt::SHA256)?,
        print_paths: o.switch(args.print_paths, &opt::PRINT_PATHS)?,
        sbom: o
            .opt(args.sbom, &opt::SBOM)
            .map(|s| values::fill_platform(&s, system).map(PathBuf::from))
            .transpose()?,
        upgrade_only,
        min_age,
        cache_dir: o.opt(args.cache_dir, &opt::CACHE_DIR).map(PathBuf::from),
        source_date_epoch: o
            .var("SOURCE_DATE_EPOCH")
            .map(|v| parse_epoch(&v))
            .transpose()?,
        conn,
    })
}

/// Classifies what the user typed: a repository on a forge (or its web URL),
/// another URL, a local file, or nothing jingyu understands.
fn classify(raw: &str, forges: &Forges, is_file: &dyn Fn(&str) -> bool) -> Result<Target, Error> {
    let repo = |raw: &str| {
        RepoRef::parse(raw, forges.hosts()).map(|r| {
            let site = forges.site(&r);
            Target::Repo(r, site)
        })
    };
    if raw.starts_with("http://") || raw.starts_with("https://") {
        return Ok(repo(raw).unwrap_or_else(|| Target::Url(raw.to_owned())));
    }
    if is_file(raw) {
        return Ok(Target::File(PathBuf::from(raw)));
    }
    repo(raw).ok_or_else(|| {
        usage(&format!(
            "`{raw}` is not owner/repo (group/project on GitLab), a URL or an existing file"
        ))
    })
}

fn which_release(target: &Target, tag: Option<String>, pre: bool) -> Result<Which, Error> {
    let Target::Repo(repo, _) = target else {
        return match (tag, pre) {
            (Some(_), _) => Err(usage(
                "--tag applies only to a repository target (owner/repo)",
            )),
            (None, true) => Err(usage(
                "--pre-release applies only to a repository target (owner/repo)",
            )),
            (None, false) => Ok(Which::Latest),
        };
    };
    match (tag.as_ref(), repo.tag.as_ref()) {
        (Some(a), Some(b)) if a != b => Err(usage(&format!(
            "the target says tag `{b}` but --tag says `{a}`: give one"
        ))),
        (Some(t), _) | (None, Some(t)) => check_tag(t).map(|()| Which::Tag {
            tag: t.clone(),
            pre,
        }),
        (None, None) if pre => Ok(Which::Newest),
        (None, None) => Ok(Which::Latest),
    }
}

fn check_conflicts(
    all: bool,
    tree: bool,
    files: &[String],
    download_only: bool,
    to: Option<&str>,
) -> Result<(), Error> {
    if tree && (all || !files.is_empty()) {
        return Err(usage(
            "--tree takes the whole archive, so --all and --file do not apply",
        ));
    }
    if download_only && (all || tree || !files.is_empty()) {
        return Err(usage(
            "--download-only keeps the archive whole, so --all, --tree and --file do not apply",
        ));
    }
    if (all || tree) && to == Some("-") {
        return Err(usage(
            "--all and --tree write several files, so --to cannot be - (stdout)",
        ));
    }
    Ok(())
}

/// `--system`, else `JINGYU_SYSTEM`, else BuildKit's variables, else the host.
fn system(
    flag: Option<String>,
    o: &Overlay<'_>,
    host: System,
) -> Result<(Option<System>, String), Error> {
    let explicit = flag
        .map(|s| (s, "--system".to_owned()))
        .or_else(|| {
            o.var(opt::SYSTEM.env)
                .map(|s| (s, opt::SYSTEM.env.to_owned()))
        })
        .or_else(|| {
            let from = o.config.get(&opt::SYSTEM)?.from.clone();
            o.config_text(&opt::SYSTEM).map(|s| (s, from))
        });
    let parse = |s: &str, from: &str| System::parse(s).map_err(|e| usage(&format!("{from}: {e}")));
    if let Some((s, from)) = explicit {
        if s.eq_ignore_ascii_case("all") {
            return Ok((None, from));
        }
        return Ok((Some(parse(&s, &from)?), from));
    }
    if let Some(p) = o.var("TARGETPLATFORM") {
        return Ok((
            Some(parse(&p, "TARGETPLATFORM")?),
            format!("TARGETPLATFORM={p}"),
        ));
    }
    if let (Some(os), Some(arch)) = (o.var("TARGETOS"), o.var("TARGETARCH")) {
        let variant = o.var("TARGETVARIANT");
        let s = System::from_parts(&os, &arch, variant.as_deref())
            .map_err(|e| usage(&format!("TARGETOS/TARGETARCH: {e}")))?;
        return Ok((Some(s), "TARGETOS/TARGETARCH".to_owned()));
    }
    Ok((Some(host), "the host".to_owned()))
}

/// The name the binary is expected to have: the repository's, or the file's
/// own name for URLs and local files.
fn binary_name(target: &Target) -> String {
    match target {
        Target::Repo(r, _) => r.name.clone(),
        Target::Url(u) => url_file_name(u),
        Target::File(p) => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// The last path segment of a URL, without query or fragment.
pub(crate) fn url_file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, p)| p)
    });
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_owned()
}

fn removal_path(target: &Target, to: Option<&str>, bin_dir: Option<&str>) -> PathBuf {
    let name = binary_name(target);
    match to {
        Some(t) if t.ends_with('/') => PathBuf::from(t).join(name),
        Some(t) => PathBuf::from(t),
        None => bin_dir.map_or_else(|| PathBuf::from(&name), |d| PathBuf::from(d).join(&name)),
    }
}

fn usage(msg: &str) -> Error {
    Error::Usage(msg.to_owned())
}

mod forges;
mod overlay;

pub(crate) use forges::{Forges, TokenVar};
use overlay::Overlay;

mod values;

pub(crate) use values::{check_env, utf8_args};
use values::{check_tag, expand_home, parse_epoch, parse_size};

#[cfg(test)]
mod tests;

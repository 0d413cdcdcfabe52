//! Carries out an [`Action`]: the only place that knows the whole pipeline.
//!
//! plan → resolve (release, asset: a [`Resolution`]) → destination → expected
//! digests (checksum files fetched beside the download) → download and
//! unpack → verify → check the binaries → install → report. Each stage is one
//! call, taking plain values and returning plain values; the stages live in `resolve.rs`, `input.rs`, `verify.rs`,
//! `fit.rs` and `install.rs`.

use std::fs;
use std::io::{self, Seek};
use std::path::{Path, PathBuf};
use std::thread::{self, Scope, ScopedJoinHandle};

use jingyu_fetch::{Agent, AgentOptions, FetchError, Fetched};
use jingyu_forge::{utc, Forge, Location, Resolution, Token};
use jingyu_pick::Format;
use jingyu_unpack::{
    detect, extract_stream, extract_zip, single_file, Member, Rules, Sink, UnpackError,
    TAR_SNIFF_LEN,
};

use crate::cache::Cache;
use crate::error::{self, install_error, Error};
use crate::fit;
use crate::input::{self, Input};
use crate::sign::{self, Minisig};
use crate::sigstore;
use crate::{resolve, sbom};
use jingyu_place::{Staging, TempFile};

use crate::install::{self, Dest};
use crate::plan::{Action, Child, Connection, Mode, Plan, Target};
use crate::report::{size, Reporter};
use crate::verify;

/// Carries out `action`, reporting through `rep`.
pub(crate) fn run(action: Action, rep: &Reporter) -> Result<(), Error> {
    match action {
        Action::Version => {
            rep.result(&crate::version_line());
            Ok(())
        }
        Action::Rate(conn) => rate(&conn, rep),
        Action::Remove {
            path,
            name,
            print_paths,
        } => {
            // `--to DIR` names the directory the binary is in, not the file.
            let path = if path.is_dir() { path.join(name) } else { path };
            remove(&path, print_paths, rep)
        }
        Action::Fetch(plan) => fetch(&plan, rep),
        Action::Each { what, children } => each(what, children),
    }
}

/// `--download-all` (every repository) or `--system a,b` (every platform):
/// four at a time, each reported at its own level, none stopped by another's
/// failure. As with eget, whose `-D` children write to a discarded stdout,
/// a repository's stdout is dropped; a platform's is kept.
fn each(what: &'static str, children: Vec<Child>) -> Result<(), Error> {
    let total = children.len();
    let outcomes = crate::parallel::each(children, 4, |child| {
        let mut rep = Reporter::new(child.level);
        if !child.stdout {
            rep = rep.without_stdout();
        }
        let result = child.action.and_then(|action| run(action, &rep));
        (child.name, child.skip_missing, rep, result)
    });
    let mut failed = Vec::new();
    let mut code = 0;
    for (name, skip_missing, rep, result) in outcomes {
        let Err(e) = result else { continue };
        let why = error::render(&e);
        let why = why.trim_start_matches("jingyu: error: ");
        if skip_missing && matches!(e, Error::Pick { .. }) {
            rep.warn(&format!("{name}: skipped (--skip-missing): {why}"));
            continue;
        }
        rep.warn(&format!("{name} failed: {why}"));
        code = if code == 0 { e.exit_code() } else { code };
        failed.push(name);
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::Several {
        failed,
        total,
        what,
        code,
    })
}

/// The pipeline: resolve → (dry run) → destination → expected digests →
/// download and unpack → verify → check the binaries → install → report.
fn fetch(plan: &Plan, rep: &Reporter) -> Result<(), Error> {
    let done = install_one(plan, None, rep)?;
    if let Some(path) = &plan.sbom {
        let name = plan.target_name();
        let tool = sbom::Tool {
            name: &name,
            installed: &done,
        };
        sbom::write(path, &[tool], plan.created())?;
        rep.info(&format!("wrote the SBOM {}", path.display()));
    }
    for path in &done.paths {
        if plan.print_paths {
            rep.result(&path.display().to_string());
        } else {
            rep.info(&format!("installed {}", path.display()));
        }
    }
    Ok(())
}

/// What one install did, for its report and a summary.
#[derive(Debug)]
pub(crate) struct Installed {
    pub(crate) res: Resolution,
    /// What vouched for the bytes (`None`: nothing could).
    pub(crate) verified_by: Option<String>,
    /// The download's sha256 (hex); `None` when nothing was downloaded.
    pub(crate) sha256: Option<String>,
    pub(crate) paths: Vec<PathBuf>,
}

/// Installs the plan's target, or the `pinned` resolution (from a lock file:
/// no API request is made then).
pub(crate) fn install_one(
    plan: &Plan,
    pinned: Option<Resolution>,
    rep: &Reporter,
) -> Result<Installed, Error> {
    let agent = match (&plan.target, &pinned) {
        (Target::File(_), None) => None,
        _ => Some(agent(&plan.conn, rep)?),
    };
    let token = resolve::plan_token(plan, rep)?;
    let res = match pinned {
        Some(res) => res,
        None => resolve::resolve(plan, agent.as_ref(), token.as_ref(), rep)?,
    };
    let done = |res: Resolution| Installed {
        res,
        verified_by: None,
        sha256: None,
        paths: Vec::new(),
    };
    if plan.mode == Mode::DryRun {
        rep.result(&format!("{}\t{}", res.asset, location_text(&res.location)));
        return Ok(done(res));
    }
    let (dest, made) = Dest::resolve(
        plan.to.as_deref(),
        plan.bin_dir.as_deref(),
        plan.rules.all,
        plan.rules.tree,
    )?;
    if plan.upgrade_only && up_to_date(plan, &dest, &res, rep) {
        return Ok(done(res));
    }
    let (res, obtained, verified_by) = thread::scope(|scope| {
        fetch_verified(scope, plan, res, agent.as_ref(), token.as_ref(), &dest, rep)
    })?;
    let Obtained {
        members,
        staging,
        fetched,
        ..
    } = obtained;
    // eget installs what an explicit --asset names, whatever its platform.
    let enforce = plan.check_binary && plan.filters.is_empty();
    fit::check(&members, plan.system, enforce, rep)?;
    let installed = install::place(&dest, &staging, members, plan.source_date_epoch, &res.asset)?;
    made.keep(dest.used_bin(&installed));
    Ok(Installed {
        res,
        verified_by,
        sha256: Some(fetched.sha256.to_string()),
        paths: installed,
    })
}

/// Checksum files being fetched, each on its own thread.
type Pending<'scope> = Vec<ScopedJoinHandle<'scope, Result<Vec<verify::Expected>, Error>>>;

/// Downloads and unpacks the asset into staging while the release's checksum
/// files are fetched beside it (nothing waits for them but the check, which
/// comes before anything is installed), then checks the download against
/// every source. Returns what was read from (the cache, perhaps), the
/// unpacked files and what verified them.
fn fetch_verified<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    plan: &'env Plan,
    res: Resolution,
    agent: Option<&'env Agent>,
    token: Option<&Token>,
    dest: &Dest,
    rep: &'env Reporter,
) -> Result<(Resolution, Obtained, Option<String>), Error> {
    let mut expected = verify::known(&res, plan.expect_sha256);
    let files = agent
        .map(|_| verify::checksum_files(&res, token))
        .unwrap_or_default();
    if expected.is_empty() && files.is_empty() && plan.require_verified {
        return Err(Error::Unverified { asset: res.asset });
    }
    let mut pending: Pending<'scope> = Vec::new();
    if let Some(agent) = agent {
        for file in files {
            let asset = res.asset.clone();
            pending.push(scope.spawn(move || verify::from_file(agent, &asset, &file, rep)));
        }
    }
    let staging = dest.staging()?;
    jingyu_place::clean_stale(staging.root.path());
    let cache = plan.cache_dir.as_deref().map(Cache::open).transpose()?;
    // The cache is looked up by digest: with none known yet, the files must say.
    if cache.is_some() && expected.is_empty() {
        expected.extend(joined(std::mem::take(&mut pending))?);
    }
    let res = from_cache(res, cache.as_ref(), &expected, rep);
    let copy = match (&cache, &res.location) {
        (Some(cache), Location::Url(_)) => cache.writer(),
        _ => None,
    };
    let signers = sign::prepare(plan, &res, agent, token, rep)?;
    let bundles = sigstore::start(scope, plan, &res, agent, token);
    let minisig = signers.minisig.as_ref();
    let sha512 = sigstore::wants_sha512(plan, &res);
    let obtained = input::open(agent, &res, token, rep)
        .map(|input| if sha512 { input.with_sha512() } else { input })
        .and_then(|input| obtain(plan, input, &res, staging, copy, minisig, rep));
    // A checksum file that could not be read says more than what it broke.
    expected.extend(joined(pending)?);
    let mut obtained = obtained?;
    if expected.is_empty() && plan.require_verified {
        return Err(Error::Unverified { asset: res.asset });
    }
    let copy = obtained.copy.take();
    let sha256 = obtained.fetched.sha256;
    let minisigned = obtained.signed_by.take().transpose()?;
    let cosigned = signers
        .cosign
        .as_ref()
        .map(|c| c.check(&sha256))
        .transpose()?;
    let bundles = bundles.finish(plan, &res, agent, token, &sha256, &expected)?;
    let downloaded = (&sha256, obtained.fetched.sha512.as_ref());
    let mut attested = sigstore::check(plan, &res, &bundles, downloaded, &expected, rep)?;
    // A locked install's bytes are the ones `jingyu lock` saw signed.
    attested.extend(
        res.locked_signer
            .as_ref()
            .map(|s| format!("{s} (at `jingyu lock`)")),
    );
    let signed: Vec<String> = minisigned
        .into_iter()
        .chain(cosigned)
        .chain(attested)
        .collect();
    sign::required(plan, &res.asset, &signed, &sha256)?;
    let mut verified_by = check_and_keep(
        plan,
        &res,
        &obtained.fetched,
        copy,
        &expected,
        cache.as_ref(),
        rep,
    )?;
    for signer in signed {
        rep.info(&format!("signature verified: {signer}"));
        verified_by = Some(verified_by.map_or(signer.clone(), |c| format!("{c} and {signer}")));
    }
    Ok((res, obtained, verified_by))
}

/// What the checksum files said, in the release's order, once all are in.
fn joined(pending: Pending<'_>) -> Result<Vec<verify::Expected>, Error> {
    let mut out = Vec::new();
    for handle in pending {
        let said = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        out.extend(said?);
    }
    Ok(out)
}

/// The same resolution, read from the cache when a verified copy is there.
fn from_cache(
    res: Resolution,
    cache: Option<&Cache>,
    expected: &[verify::Expected],
    rep: &Reporter,
) -> Resolution {
    let Some(path) = cache.and_then(|c| c.lookup(expected)) else {
        return res;
    };
    rep.info(&format!(
        "using `{}` from the cache ({})",
        res.asset,
        path.display()
    ));
    Resolution {
        location: Location::File(path),
        ..res
    }
}

/// Checks the digest against every expectation, prints it for `--sha256`,
/// and keeps a verified download in the cache.
fn check_and_keep(
    plan: &Plan,
    res: &Resolution,
    fetched: &Fetched,
    copy: Option<TempFile>,
    expected: &[verify::Expected],
    cache: Option<&Cache>,
    rep: &Reporter,
) -> Result<Option<String>, Error> {
    let sha256 = fetched.sha256;
    let verified_by = verify::check(&res.asset, sha256, expected)?;
    match &verified_by {
        Some(by) => rep.info(&format!("sha256 {sha256} verified against {by}")),
        None => rep.warn(&format!("sha256 {sha256} of `{}` is not verified: nothing in the release vouches for it (--require-verified makes this an error)", res.asset)),
    }
    if plan.print_sha256 {
        // eget prints the hex digest alone on stdout (before `--to -`'s bytes).
        rep.result(&sha256.to_string());
    }
    if let (Some(cache), Some(copy), false) = (cache, copy, expected.is_empty()) {
        match cache.keep(copy, sha256) {
            Ok(path) => rep.detail(&format!("cached as {}", path.display())),
            Err(e) => rep.warn(&format!("could not keep the download in the cache: {e}")),
        }
    }
    Ok(verified_by)
}

/// Builds the HTTP agent, telling the reporter about retries.
pub(crate) fn agent(conn: &Connection, rep: &Reporter) -> Result<Agent, Error> {
    let opts = AgentOptions {
        insecure: conn.insecure,
        connect_timeout: conn.connect_timeout,
        read_timeout: conn.read_timeout,
        retry: conn.retry,
        max_time: conn.max_time,
        min_speed: conn.min_speed,
        ..AgentOptions::default()
    };
    let mut agent = Agent::new(&opts)?;
    agent.on_retry(rep.retry_notice());
    Ok(agent)
}

fn location_text(location: &Location) -> String {
    match location {
        Location::Url(url) => url.clone(),
        Location::File(p) => p.display().to_string(),
    }
}

fn up_to_date(plan: &Plan, dest: &Dest, res: &Resolution, rep: &Reporter) -> bool {
    let (Some(path), Some(created)) = (dest.path_for(&plan.rules.name), res.created) else {
        return false;
    };
    let current = install::is_up_to_date(&path, created);
    if current {
        rep.info(&format!(
            "{} is up to date (release created {})",
            path.display(),
            utc(created)
        ));
    }
    current
}

/// The unpacked files (still temporary), the sink that holds the links to
/// make, and the digest.
struct Obtained {
    members: Vec<(Member, TempFile)>,
    staging: Staging,
    fetched: Fetched,
    /// The copy of the download for the cache, if one was being made.
    copy: Option<TempFile>,
    /// What a signature check found: the signer, or why it failed.
    signed_by: Option<Result<String, Error>>,
}

/// Downloads (or reads) the asset and unpacks what is wanted into temporary
/// files at the destination. Returns those files, not yet installed, and the
/// asset's digest.
fn obtain<'a>(
    plan: &Plan,
    mut input: Input<'a>,
    res: &Resolution,
    mut sink: Staging,
    copy: Option<TempFile>,
    minisig: Option<&'a Minisig>,
    rep: &Reporter,
) -> Result<Obtained, Error> {
    let staging = sink.root.path().to_path_buf();
    input.copy = copy;
    input.signed = minisig.map(Minisig::verifier).transpose()?;
    let format = sniff_format(&mut input, res, rep)?;
    let rules = Rules {
        asset: res.asset.clone(),
        ..plan.rules.clone()
    };
    let result = match (plan.mode, format) {
        (Mode::DownloadOnly, _) => keep_whole(&mut input, res, format, &mut sink),
        (_, Format::Zip) => unpack_zip(&mut input, res, &rules, &mut sink),
        _ => extract_stream(format, &mut input, &rules, &mut sink)
            .map_err(|e| unpack_error(res, &staging, e)),
    };
    rep.progress_done();
    // A broken download shows up downstream as a damaged archive: report the cause.
    let members = match (result, input.failure.take()) {
        (Err(_), Some(cause)) => return Err(Error::Fetch(cause)),
        (result, _) => result?,
    };
    let copy = input.copy.take();
    let (fetched, verifier) = input.finish()?;
    rep.detail(&format!("read {} ({})", res.asset, size(fetched.len)));
    let signed_by = minisig.zip(verifier).map(|(m, v)| m.conclude(v));
    Ok(Obtained {
        members,
        staging: sink,
        fetched,
        copy,
        signed_by,
    })
}

/// The format by content when it is recognisable, else by name.
fn sniff_format(input: &mut Input<'_>, res: &Resolution, rep: &Reporter) -> Result<Format, Error> {
    let head = input.peek(TAR_SNIFF_LEN).map_err(|e| {
        input
            .failure
            .take()
            .map_or_else(|| Error::Fetch(FetchError::Io(e)), Error::Fetch)
    })?;
    let named = Format::from_name(&res.asset);
    let format = detect(named, &head);
    if format != named {
        rep.detail(&format!(
            "`{}` is {format} by its content ({named} by its name)",
            res.asset
        ));
    }
    Ok(format)
}

fn keep_whole(
    input: &mut Input<'_>,
    res: &Resolution,
    format: Format,
    sink: &mut Staging,
) -> Result<Vec<(Member, TempFile)>, Error> {
    // eget's -d: the asset under its own name (less `.appimage`), executable
    // by eget's name rule or when it is a bare program (and then, like any
    // executable on its own, bound for EGET_BIN).
    let (path, executable) = single_file(&res.asset, &res.asset, format == Format::Raw);
    let member = Member {
        path,
        mode: 0o644,
        executable,
        ..Member::default()
    };
    let staging = sink.root.path().to_path_buf();
    let mut temp = sink
        .create(&member)
        .map_err(|e| install_error(&staging, e))?;
    input.copy_to(&mut temp, &staging)?;
    Ok(vec![(member, temp)])
}

/// zip needs `Seek`: spool to an unlinked file beside the destination, then unpack.
fn unpack_zip(
    input: &mut Input<'_>,
    res: &Resolution,
    rules: &Rules,
    sink: &mut Staging,
) -> Result<Vec<(Member, TempFile)>, Error> {
    let staging = sink.root.path().to_path_buf();
    let mut spool = TempFile::anonymous_in(&staging).map_err(|e| install_error(&staging, e))?;
    input.copy_to(&mut spool, &staging)?;
    spool.rewind().map_err(|e| install_error(&staging, e))?;
    extract_zip(spool, rules, sink).map_err(|e| unpack_error(res, &staging, e))
}

/// A failure to write a member is the destination's fault, not the archive's.
fn unpack_error(res: &Resolution, staging: &Path, e: UnpackError) -> Error {
    match e {
        UnpackError::Write(io) => Error::Install {
            path: staging.to_path_buf(),
            source: io,
        },
        other => Error::Unpack {
            asset: res.asset.clone(),
            source: other,
        },
    }
}

fn rate(conn: &Connection, rep: &Reporter) -> Result<(), Error> {
    let agent = agent(conn, rep)?;
    let site = conn.forges.github();
    let token = resolve::token(conn, &site, rep)?;
    let gh = Forge::new(&agent, site, token);
    let r = gh.rate_limit()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rep.result(&r.eget_line(now));
    Ok(())
}

fn remove(path: &Path, print_paths: bool, rep: &Reporter) -> Result<(), Error> {
    fs::remove_file(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => Error::LocalFile {
            path: path.to_path_buf(),
            source,
        },
        _ => Error::Install {
            path: path.to_path_buf(),
            source,
        },
    })?;
    if print_paths {
        rep.result(&path.display().to_string());
    } else {
        // eget's line, on stdout.
        rep.result(&format!("Removed `{}`", path.display()));
    }
    Ok(())
}

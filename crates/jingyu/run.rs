//! Carries out an [`Action`]: the only place that knows the whole pipeline.
//!
//! plan → release → asset → download → (unpack) → verify → install → report.
//! Each stage is one call here, taking plain values and returning plain values.

use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use jingyu_fetch::{Agent, AgentOptions, Download, FetchError, Fetched, HashingReader};
use jingyu_forge::{utc, GitHub, Release, RepoRef, Token, Which};
use jingyu_pick::{checksum_files, choose, Choice, Format, Request};
use jingyu_unpack::{
    detect, extract_stream, extract_zip, single_file, Member, Rules, Sink, UnpackError,
    TAR_SNIFF_LEN,
};

use crate::cache::Cache;
use crate::error::{self, Error};
use crate::fit;
use jingyu_place::{Staging, TempFile};

use crate::install::{self, Dest};
use crate::plan::{url_file_name, Action, Child, Connection, Mode, Plan, Target};
use crate::report::{size, Reporter};
use crate::verify::{self, ChecksumFile};

/// Where a secret mounted by BuildKit (`--mount=type=secret,id=github_token`) appears.
const SECRET_TOKEN_FILE: &str = "/run/secrets/github_token";

/// Carries out `action`, reporting through `rep`.
pub(crate) fn run(action: Action, rep: &Reporter) -> Result<(), Error> {
    match action {
        Action::Version => {
            rep.result(&format!("jingyu {}", env!("CARGO_PKG_VERSION")));
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
        Action::Each(children) => each(children),
    }
}

/// `--download-all`: every repository in turn, each reported at its own
/// level and none stopped by another's failure. As with eget, whose children
/// write to a discarded stdout, nothing goes to stdout.
fn each(children: Vec<Child>) -> Result<(), Error> {
    let total = children.len();
    let mut failed = Vec::new();
    let mut code = 0;
    for child in children {
        let rep = Reporter::new(child.level).without_stdout();
        if let Err(e) = child.action.and_then(|action| run(action, &rep)) {
            rep.warn(&format!(
                "{} failed: {}",
                child.name,
                error::render(&e).trim_start_matches("jingyu: error: ")
            ));
            code = if code == 0 { e.exit_code() } else { code };
            failed.push(child.name);
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::Several {
        failed,
        total,
        code,
    })
}

/// What to download, resolved from the target.
struct Source {
    /// The asset's file name.
    name: String,
    location: Location,
    /// The API's `sha256:…` digest, if any.
    digest: Option<String>,
    /// When the release was created, for `--upgrade-only` (eget's clock).
    created: Option<u64>,
    /// Release files that may hold the asset's sha256.
    checksum_files: Vec<ChecksumFile>,
}

enum Location {
    Http {
        url: String,
        headers: Vec<(&'static str, String)>,
    },
    Local(PathBuf),
}

fn fetch(plan: &Plan, rep: &Reporter) -> Result<(), Error> {
    let agent = match plan.target {
        Target::File(_) => None,
        _ => Some(agent(&plan.conn, rep)?),
    };
    let source = resolve(plan, agent.as_ref(), rep)?;
    if plan.mode == Mode::DryRun {
        rep.result(&format!(
            "{}\t{}",
            source.name,
            location_text(&source.location)
        ));
        return Ok(());
    }
    let (dest, made) = Dest::resolve(
        plan.to.as_deref(),
        plan.bin_dir.as_deref(),
        plan.rules.all,
        plan.rules.tree,
    )?;
    if plan.upgrade_only && up_to_date(plan, &dest, &source, rep) {
        return Ok(());
    }
    let expected = verify::gather(
        agent.as_ref(),
        &source.name,
        plan.expect_sha256,
        source.digest.as_deref(),
        &source.checksum_files,
        rep,
    )?;
    if expected.is_empty() && plan.require_verified {
        return Err(Error::Unverified {
            asset: source.name.clone(),
        });
    }
    let staging = dest.staging()?;
    jingyu_place::clean_stale(staging.root.path());
    let cache = plan.cache_dir.as_deref().map(Cache::open).transpose()?;
    let cached = cache.as_ref().and_then(|c| c.lookup(&expected));
    let source = match cached {
        Some(path) => {
            rep.info(&format!(
                "using `{}` from the cache ({})",
                source.name,
                path.display()
            ));
            Source {
                location: Location::Local(path),
                ..source
            }
        }
        None => source,
    };
    let copy = match (&cache, &source.location) {
        (Some(cache), Location::Http { .. }) => cache.writer(),
        _ => None,
    };
    let Obtained {
        members,
        staging,
        fetched,
        copy,
    } = obtain(plan, agent.as_ref(), &source, staging, copy, rep)?;
    match verify::check(&source.name, fetched.sha256, &expected)? {
        Some(by) => rep.info(&format!("sha256 {} verified against {by}", fetched.sha256)),
        None => rep.warn(&format!("sha256 {} of `{}` is not verified: nothing in the release vouches for it (--require-verified makes this an error)", fetched.sha256, source.name)),
    }
    if plan.print_sha256 {
        // eget prints the hex digest alone on stdout (before `--to -`'s bytes).
        rep.result(&fetched.sha256.to_string());
    }
    if let (Some(cache), Some(copy), false) = (&cache, copy, expected.is_empty()) {
        match cache.keep(copy, fetched.sha256) {
            Ok(path) => rep.detail(&format!("cached as {}", path.display())),
            Err(e) => rep.warn(&format!("could not keep the download in the cache: {e}")),
        }
    }
    // eget installs what an explicit --asset names, whatever its platform.
    let enforce = plan.check_binary && plan.filters.is_empty();
    fit::check(&members, plan.system, enforce, rep)?;
    let installed = install::place(
        &dest,
        &staging,
        members,
        plan.source_date_epoch,
        &source.name,
    )?;
    let bin_used = match &dest {
        Dest::Below { bin: Some(bin), .. } => installed.iter().any(|p| p.starts_with(bin)),
        _ => false,
    };
    made.keep(bin_used);
    for path in installed {
        if plan.print_paths {
            rep.result(&path.display().to_string());
        } else {
            rep.info(&format!("installed {}", path.display()));
        }
    }
    Ok(())
}

/// Builds the HTTP agent, telling the reporter about retries.
fn agent(conn: &Connection, rep: &Reporter) -> Result<Agent, Error> {
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

/// The token from the environment (`@path` reads a file) or a BuildKit secret.
/// None with `--disable-ssl`: a token never crosses an unverified connection.
fn token(conn: &Connection, rep: &Reporter) -> Result<Option<Token>, Error> {
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

/// Target → the one file to download.
fn resolve(plan: &Plan, agent: Option<&Agent>, rep: &Reporter) -> Result<Source, Error> {
    match (&plan.target, agent) {
        (Target::Repo(repo), Some(agent)) => from_release(plan, repo, agent, rep),
        (Target::Url(url), _) => Ok(Source::plain(
            url_file_name(url),
            Location::Http {
                url: url.clone(),
                headers: Vec::new(),
            },
        )),
        (Target::File(path), _) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(Source::plain(name, Location::Local(path.clone())))
        }
        (Target::Repo(_), None) => unreachable!("fetch builds an agent for every network target"),
    }
}

impl Source {
    /// A file with nothing known about it but where it is.
    fn plain(name: String, location: Location) -> Source {
        Source {
            name,
            location,
            digest: None,
            created: None,
            checksum_files: Vec::new(),
        }
    }
}

fn from_release(
    plan: &Plan,
    repo: &RepoRef,
    agent: &Agent,
    rep: &Reporter,
) -> Result<Source, Error> {
    let gh = GitHub::new(agent, &plan.conn.api_url, token(&plan.conn, rep)?);
    if plan.source {
        return Ok(source_tarball(plan, repo, &gh));
    }
    let release = gh.release(repo, &plan.which)?;
    rep.detail(&format!("release `{}` of {repo}", release.tag_name));
    let created = release.created_unix();
    let choice = pick(plan, repo, &release, rep)?;
    let asset = &release.assets[choice.index];
    let req = gh.asset_request(asset);
    Ok(Source {
        name: asset.name.clone(),
        location: Location::Http {
            url: req.url,
            headers: req.headers,
        },
        digest: asset.digest.clone(),
        created,
        checksum_files: checksum_files_for(&gh, &release, &asset.name),
    })
}

/// `--source`, as eget fetches it: no release is looked up; the tarball of
/// `--tag` (any git ref), else of the default branch, named `REPO.tar.gz`.
fn source_tarball(plan: &Plan, repo: &RepoRef, gh: &GitHub<'_>) -> Source {
    let api = plan.conn.api_url.trim_end_matches('/');
    let url = match &plan.which {
        Which::Tag { tag, .. } => format!("{api}/repos/{repo}/tarball/{tag}"),
        Which::Latest | Which::Newest => format!("{api}/repos/{repo}/tarball"),
    };
    let req = gh.download_request(&url);
    Source::plain(
        format!("{}.tar.gz", repo.name),
        Location::Http {
            url: req.url,
            headers: req.headers,
        },
    )
}

/// The release's sidecars and checksums files that may vouch for `asset`.
fn checksum_files_for(gh: &GitHub<'_>, release: &Release, asset: &str) -> Vec<ChecksumFile> {
    let names: Vec<&str> = release.assets.iter().map(|a| a.name.as_str()).collect();
    checksum_files(asset, &names)
        .into_iter()
        .filter_map(|(name, kind)| {
            release
                .assets
                .iter()
                .find(|a| a.name == name)
                .map(|a| (a, kind))
        })
        .map(|(a, kind)| {
            let req = gh.asset_request(a);
            ChecksumFile {
                name: a.name.clone(),
                kind,
                url: req.url,
                headers: req.headers,
            }
        })
        .collect()
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

fn location_text(location: &Location) -> String {
    match location {
        Location::Http { url, .. } => url.clone(),
        Location::Local(p) => p.display().to_string(),
    }
}

fn up_to_date(plan: &Plan, dest: &Dest, source: &Source, rep: &Reporter) -> bool {
    let (Some(path), Some(created)) = (dest.path_for(&plan.rules.name), source.created) else {
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
}

/// Downloads (or reads) the asset and unpacks what is wanted into temporary
/// files at the destination. Returns those files, not yet installed, and the
/// asset's digest.
fn obtain(
    plan: &Plan,
    agent: Option<&Agent>,
    source: &Source,
    mut sink: Staging,
    copy: Option<TempFile>,
    rep: &Reporter,
) -> Result<Obtained, Error> {
    let staging = sink.root.path().to_path_buf();
    let mut input = open(agent, source, rep)?;
    input.copy = copy;
    let format = sniff_format(&mut input, source, rep)?;
    let rules = Rules {
        asset: source.name.clone(),
        ..plan.rules.clone()
    };
    let result = match (plan.mode, format) {
        (Mode::DownloadOnly, _) => keep_whole(&mut input, source, format, &mut sink),
        (_, Format::Zip) => unpack_zip(&mut input, source, &rules, &mut sink),
        _ => extract_stream(format, &mut input, &rules, &mut sink)
            .map_err(|e| unpack_error(source, &staging, e)),
    };
    rep.progress_done();
    // A broken download shows up downstream as a damaged archive: report the cause.
    let members = match (result, input.failure.take()) {
        (Err(_), Some(cause)) => return Err(Error::Fetch(cause)),
        (result, _) => result?,
    };
    let copy = input.copy.take();
    let fetched = input.finish()?;
    rep.detail(&format!("read {} ({})", source.name, size(fetched.len)));
    Ok(Obtained {
        members,
        staging: sink,
        fetched,
        copy,
    })
}

/// The format by content when it is recognisable, else by name.
fn sniff_format(input: &mut Input<'_>, source: &Source, rep: &Reporter) -> Result<Format, Error> {
    let head = input.peek(TAR_SNIFF_LEN).map_err(|e| {
        input
            .failure
            .take()
            .map_or_else(|| Error::Fetch(FetchError::Io(e)), Error::Fetch)
    })?;
    let named = Format::from_name(&source.name);
    let format = detect(named, &head);
    if format != named {
        rep.detail(&format!(
            "`{}` is {format} by its content ({named} by its name)",
            source.name
        ));
    }
    Ok(format)
}

fn keep_whole(
    input: &mut Input<'_>,
    source: &Source,
    format: Format,
    sink: &mut Staging,
) -> Result<Vec<(Member, TempFile)>, Error> {
    // eget's -d: the asset under its own name (less `.appimage`), executable
    // by eget's name rule or when it is a bare program (and then, like any
    // executable on its own, bound for EGET_BIN).
    let (path, executable) = single_file(&source.name, &source.name, format == Format::Raw);
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
    source: &Source,
    rules: &Rules,
    sink: &mut Staging,
) -> Result<Vec<(Member, TempFile)>, Error> {
    let staging = sink.root.path().to_path_buf();
    let mut spool = TempFile::anonymous_in(&staging).map_err(|e| install_error(&staging, e))?;
    input.copy_to(&mut spool, &staging)?;
    spool.rewind().map_err(|e| install_error(&staging, e))?;
    extract_zip(spool, rules, sink).map_err(|e| unpack_error(source, &staging, e))
}

fn install_error(path: &Path, source: io::Error) -> Error {
    Error::Install {
        path: path.to_path_buf(),
        source,
    }
}

/// A failure to write a member is the destination's fault, not the archive's.
fn unpack_error(source: &Source, staging: &Path, e: UnpackError) -> Error {
    match e {
        UnpackError::Write(io) => Error::Install {
            path: staging.to_path_buf(),
            source: io,
        },
        other => Error::Unpack {
            asset: source.name.clone(),
            source: other,
        },
    }
}

/// The asset as a byte stream that hashes as it is read, from HTTP or a file,
/// with a look at its first bytes before anything consumes them.
struct Input<'a> {
    reader: Reader<'a>,
    /// The download error behind a failed read, kept for the report.
    failure: Option<FetchError>,
    /// Bytes already read by `peek`, served again by `read`.
    peeked: Vec<u8>,
    served: usize,
    /// Where every byte read is also copied (for the cache); dropped on a
    /// write error, since the cache is an optimisation.
    copy: Option<TempFile>,
}

enum Reader<'a> {
    Http(Download<'a>),
    Local(HashingReader<File>),
}

fn open<'a>(agent: Option<&'a Agent>, source: &Source, rep: &Reporter) -> Result<Input<'a>, Error> {
    let reader = match (&source.location, agent) {
        (Location::Http { url, headers }, Some(agent)) => {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut download = Download::start(agent, url, &headers)?;
            if let Some(progress) = rep.progress(&source.name) {
                download.on_progress(progress);
            }
            rep.detail(&format!(
                "downloading {url}{}",
                download
                    .total()
                    .map_or(String::new(), |t| format!(" ({})", size(t)))
            ));
            Reader::Http(download)
        }
        (Location::Local(path), _) => {
            let file = File::open(path).map_err(|source| Error::LocalFile {
                path: path.clone(),
                source,
            })?;
            Reader::Local(HashingReader::new(file))
        }
        (Location::Http { .. }, None) => unreachable!("HTTP sources come with an agent"),
    };
    Ok(Input {
        reader,
        failure: None,
        peeked: Vec::new(),
        served: 0,
        copy: None,
    })
}

impl Input<'_> {
    /// Reads the rest and returns the digest of the whole asset.
    fn finish(self) -> Result<Fetched, Error> {
        match self.reader {
            Reader::Http(d) => Ok(d.finish()?),
            Reader::Local(h) => {
                let (sha256, len) = h.finish().map_err(|e| Error::Fetch(FetchError::Io(e)))?;
                Ok(Fetched { sha256, len })
            }
        }
    }
}

impl Input<'_> {
    /// Copies the rest of the asset into `out`, a file under `staging`: a read
    /// failure is the download's, a write failure the destination's.
    fn copy_to(&mut self, out: &mut impl Write, staging: &Path) -> Result<(), Error> {
        io::copy(self, out).map(drop).map_err(|e| {
            self.failure
                .take()
                .map_or_else(|| install_error(staging, e), Error::Fetch)
        })
    }

    /// Up to `n` leading bytes (fewer at the end of the stream), unconsumed.
    fn peek(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; n];
        while self.peeked.len() < n {
            let got = self.read_source(&mut buf[..n - self.peeked.len()])?;
            if got == 0 {
                break;
            }
            self.peeked.extend_from_slice(&buf[..got]);
        }
        Ok(self.peeked.clone())
    }

    /// Reads from the download or file, keeping a download error for the
    /// report and copying what was read for the cache.
    fn read_source(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let result = match &mut self.reader {
            Reader::Http(d) => d.read(buf),
            Reader::Local(h) => h.read(buf),
        };
        let n = result.map_err(|e| {
            let message = e.to_string();
            self.failure.get_or_insert(FetchError::from(e));
            io::Error::other(message)
        })?;
        if self
            .copy
            .as_mut()
            .is_some_and(|c| c.write_all(&buf[..n]).is_err())
        {
            self.copy = None;
        }
        Ok(n)
    }
}

impl Read for Input<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.served < self.peeked.len() {
            let n = buf.len().min(self.peeked.len() - self.served);
            buf[..n].copy_from_slice(&self.peeked[self.served..self.served + n]);
            self.served += n;
            return Ok(n);
        }
        self.read_source(buf)
    }
}

fn rate(conn: &Connection, rep: &Reporter) -> Result<(), Error> {
    let agent = agent(conn, rep)?;
    let gh = GitHub::new(&agent, &conn.api_url, token(conn, rep)?);
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

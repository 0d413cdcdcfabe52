//! A fake GitHub for jingyu's tests: real HTTP/1.1 servers on 127.0.0.1 (with
//! keep-alive and `TCP_NODELAY`, as GitHub's), one for the REST API, one
//! standing in for the separate asset host that GitHub redirects downloads to,
//! and one for github.com's web paths. For benchmarks, every request can cost
//! an added round trip and downloads can go through github.com's redirect.
//! Releases are registered with real bytes; the API answers with JSON shaped
//! like GitHub's (each asset with its `digest`), and every request is recorded
//! so tests can check headers (tokens).
//!
//! Faults are scripted per path: a queue of replies served before the normal
//! answer (500 then 200, a dropped connection, a stall), plus switches for rate
//! limiting and private repositories.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

pub mod archive;
mod attest;
mod forge;
mod http;
mod proxy;
mod release;
pub mod sigstore;
mod tls;

pub use attest::Stored;
pub use forge::{FakeForge, Flavor};
pub use http::{Fault, Reply};
pub use proxy::FakeProxy;
pub use release::{sha256_hex, Asset, Release};

/// Which of the two servers saw a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Api,
    Assets,
    /// github.com: `/OWNER/REPO/releases/download/…` redirects to the assets.
    Web,
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub host: Host,
    /// `GET`, or `POST` (a Rekor search).
    pub method: String,
    pub path: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A request arriving, or its answer about to be complete (logged just
/// before the last bytes go out, so no client has all of it yet), in the
/// order they happened: for tests of what a client does at the same time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Arrived(Host, String),
    Answered(Host, String),
}

#[derive(Default)]
struct State {
    repos: HashMap<String, Vec<Release>>,
    /// The source tarball of each repository's default branch.
    heads: HashMap<String, Vec<u8>>,
    private: HashMap<String, String>,
    scripted: HashMap<String, Vec<Reply>>,
    log: Vec<Request>,
    events: Vec<Event>,
    rate_limited: Option<u64>,
    token: Option<String>,
    /// Added before every answer.
    latency: Duration,
    /// `browser_download_url` on the web host, which redirects (as GitHub's).
    web_downloads: bool,
    /// Each repository's attestations: the artifact's sha256 and the entry.
    attestations: HashMap<String, Vec<(String, Value)>>,
    /// Files on the asset host outside any release (attestation bundles).
    blobs: HashMap<String, Vec<u8>>,
    /// A test Sigstore's log entries, served as Rekor's API on the API host.
    rekor: Vec<(String, String, Value)>,
}

/// The fake GitHub. Servers run until the process ends.
#[derive(Clone)]
pub struct FakeGitHub {
    api: SocketAddr,
    assets: SocketAddr,
    web: SocketAddr,
    state: Arc<Mutex<State>>,
    /// When set, the API speaks HTTPS with a certificate made for 127.0.0.1.
    tls: Option<Arc<tls::Tls>>,
    /// The API's public base when it stands in for `https://api.github.com`
    /// behind a routing proxy ([`FakeGitHub::start_as_github`]).
    public_api: Option<String>,
}

impl FakeGitHub {
    /// Starts both servers on ephemeral loopback ports.
    pub fn start() -> FakeGitHub {
        Self::start_with(None)
    }

    /// Like [`FakeGitHub::start`], but the API answers over HTTPS with a fresh
    /// self-signed certificate (see [`FakeGitHub::ca_pem`]).
    pub fn start_tls() -> FakeGitHub {
        Self::start_with(Some(Arc::new(tls::Tls::new())))
    }

    /// Like [`FakeGitHub::start_tls`], with a certificate also for
    /// `api.github.com` and `github.com` and URLs in its answers under
    /// `https://api.github.com`: the fake a program with GitHub's address
    /// built in (eget) reaches through [`FakeProxy::routing`] to
    /// [`FakeGitHub::api_addr`].
    pub fn start_as_github() -> FakeGitHub {
        let mut gh = Self::start_with(Some(Arc::new(tls::Tls::new())));
        gh.public_api = Some("https://api.github.com".to_owned());
        gh
    }

    /// The API server's own address.
    pub fn api_addr(&self) -> SocketAddr {
        self.api
    }

    /// The API's certificate, PEM-encoded (for `SSL_CERT_FILE`).
    pub fn ca_pem(&self) -> Option<String> {
        self.tls.as_ref().map(|t| t.pem.clone())
    }

    fn start_with(tls: Option<Arc<tls::Tls>>) -> FakeGitHub {
        let bind = || TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let (api_listener, assets_listener, web_listener) = (bind(), bind(), bind());
        let gh = FakeGitHub {
            api: api_listener.local_addr().unwrap(),
            assets: assets_listener.local_addr().unwrap(),
            web: web_listener.local_addr().unwrap(),
            state: Arc::default(),
            tls,
            public_api: None,
        };
        let listeners = [
            (api_listener, Host::Api),
            (assets_listener, Host::Assets),
            (web_listener, Host::Web),
        ];
        for (listener, host) in listeners {
            let gh = gh.clone();
            thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let gh = gh.clone();
                    thread::spawn(move || gh.serve(stream, host));
                }
            });
        }
        gh
    }

    /// The API base URL, for `GITHUB_API_URL`.
    pub fn api_url(&self) -> String {
        if let Some(public) = &self.public_api {
            return public.clone();
        }
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.api)
    }

    /// The asset host's base URL.
    pub fn assets_url(&self) -> String {
        format!("http://{}", self.assets)
    }

    /// The web host's base URL (github.com's stand-in).
    pub fn web_url(&self) -> String {
        format!("http://{}", self.web)
    }

    /// Adds `rtt` before every answer: a request costs that round trip, as
    /// over a network (connections are not charged: they are reused).
    pub fn latency(&self, rtt: Duration) -> &Self {
        self.lock().latency = rtt;
        self
    }

    /// Gives assets GitHub's `browser_download_url` on the web host, which
    /// answers with a redirect to the asset host.
    pub fn web_downloads(&self) -> &Self {
        self.lock().web_downloads = true;
        self
    }

    /// Adds a release to `repo` (`owner/name`); later calls are newer releases.
    pub fn release(&self, repo: &str, release: Release) -> &Self {
        self.lock()
            .repos
            .entry(repo.to_owned())
            .or_default()
            .push(release);
        self
    }

    /// What `GET /repos/REPO/tarball` (the default branch's source) serves.
    pub fn default_branch(&self, repo: &str, tarball: impl Into<Vec<u8>>) -> &Self {
        self.lock().heads.insert(repo.to_owned(), tarball.into());
        self
    }

    /// Makes `repo` visible only with `token`.
    pub fn private(&self, repo: &str, token: &str) -> &Self {
        self.lock()
            .private
            .insert(repo.to_owned(), token.to_owned());
        self
    }

    /// Accepts only `token` on the API (others get 401 Bad credentials).
    pub fn require_token(&self, token: &str) -> &Self {
        self.lock().token = Some(token.to_owned());
        self
    }

    /// Every API request answers 403 with an exhausted rate limit resetting at `reset`.
    pub fn rate_limited(&self, reset: u64) -> &Self {
        self.lock().rate_limited = Some(reset);
        self
    }

    /// Replies served, in order, to requests for `path` before the normal answer.
    pub fn script(&self, path: &str, replies: Vec<Reply>) -> &Self {
        self.lock().scripted.insert(path.to_owned(), replies);
        self
    }

    /// Every arrival and answer so far, in order.
    pub fn events(&self) -> Vec<Event> {
        self.lock().events.clone()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.lock().log.clone()
    }

    /// How many requests went to `host`.
    pub fn count(&self, host: Host) -> usize {
        self.lock().log.iter().filter(|r| r.host == host).count()
    }

    /// The asset's full URL on the asset host (its `browser_download_url`).
    pub fn asset_url(&self, repo: &str, tag: &str, name: &str) -> String {
        format!(
            "{}{}",
            self.assets_url(),
            Self::download_path(repo, tag, name)
        )
    }

    /// The asset's path on the asset host (what the API redirects to).
    pub fn download_path(repo: &str, tag: &str, name: &str) -> String {
        format!("/dl/{repo}/{tag}/{name}")
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn serve(&self, stream: TcpStream, host: Host) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_nodelay(true);
        match (&self.tls, host) {
            (Some(tls), Host::Api) => {
                let Some(mut stream) = tls.accept(stream) else {
                    return;
                };
                self.handle(&mut stream, host);
            }
            _ => self.handle(&mut { stream }, host),
        }
    }

    /// Answers requests on one connection until the client closes it or a
    /// reply (a fault) ends it.
    fn handle<S: Read + Write>(&self, stream: &mut S, host: Host) {
        let latency = self.lock().latency;
        while let Some(request) = read_request(stream, host) {
            {
                let mut state = self.lock();
                state.log.push(request.clone());
                state
                    .events
                    .push(Event::Arrived(host, request.path.clone()));
            }
            let reply = self.answer(&request);
            thread::sleep(latency);
            let answered = || {
                self.lock()
                    .events
                    .push(Event::Answered(host, request.path.clone()));
            };
            if !http::write_reply(stream, &request, &reply, answered) {
                return;
            }
        }
    }

    fn answer(&self, req: &Request) -> Reply {
        let path_only = req.path.split('?').next().unwrap_or(&req.path).to_owned();
        let mut state = self.lock();
        for key in [&req.path, &path_only] {
            if let Some(queue) = state.scripted.get_mut(key).filter(|q| !q.is_empty()) {
                return queue.remove(0);
            }
        }
        match req.host {
            Host::Assets => Self::asset_file(&state, &path_only),
            Host::Api => self.api(&state, req, &path_only),
            Host::Web => self.web_download(&state, &path_only),
        }
    }

    fn api(&self, state: &State, req: &Request, path: &str) -> Reply {
        if let Some(reset) = state.rate_limited {
            let body = json!({"message": "API rate limit exceeded"});
            return Reply::json(403, &body)
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", &reset.to_string());
        }
        // GitHub takes `Bearer X` and (eget's) `token X` alike.
        let bearer = req
            .header("authorization")
            .and_then(|a| {
                a.strip_prefix("Bearer ")
                    .or_else(|| a.strip_prefix("token "))
            })
            .map(str::to_owned);
        if let (Some(want), Some(got)) = (&state.token, &bearer) {
            if want != got {
                return Reply::json(401, &json!({"message": "Bad credentials"}));
            }
        }
        // GitHub Enterprise serves the same API below /api/v3.
        let path = path.strip_prefix("/api/v3").unwrap_or(path);
        if let Some(reply) = Self::rekor_api(state, req, path) {
            return reply;
        }
        if path == "/rate_limit" {
            let rate = json!({"limit": 60, "used": 1, "remaining": 59, "reset": 1_764_349_323});
            return Reply::json(200, &json!({"resources": {"core": rate}, "rate": rate}));
        }
        let Some(rest) = path.strip_prefix("/repos/") else {
            return self.web_tarball(state, path);
        };
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.len() < 2 {
            return Reply::not_found();
        }
        let repo = format!("{}/{}", parts[0], parts[1]);
        if let Some(secret) = state.private.get(&repo) {
            if bearer.as_deref() != Some(secret.as_str()) {
                return Reply::not_found();
            }
        }
        if let ["attestations", digest] = parts[2..] {
            return Self::attestations(state, &repo, digest);
        }
        if parts[2..] == ["tarball"] && state.heads.contains_key(&repo) {
            let head = Self::download_path(&repo, "HEAD", "source.tar.gz");
            return Reply::redirect(&format!("{}{head}", self.assets_url()));
        }
        let Some(releases) = state.repos.get(&repo) else {
            return Reply::not_found();
        };
        let json_of = |r: &Release| self.release_json(state.web_downloads, &repo, r, releases);
        match &parts[2..] {
            [] => Reply::json(200, &json!({"full_name": repo})),
            ["releases"] => Reply::json(
                200,
                &Value::Array(releases.iter().rev().map(json_of).collect()),
            ),
            ["releases", "latest"] => releases
                .iter()
                .rev()
                .find(|r| !r.draft && !r.prerelease)
                .map_or_else(Reply::not_found, |r| Reply::json(200, &json_of(r))),
            ["releases", "tags", tag] => releases
                .iter()
                .find(|r| r.tag == *tag)
                .map_or_else(Reply::not_found, |r| Reply::json(200, &json_of(r))),
            ["releases", "assets", id] => self.redirect_asset(&repo, releases, id),
            ["tarball", tag] => Reply::redirect(&format!(
                "{}{}",
                self.assets_url(),
                Self::download_path(&repo, tag, "source.tar.gz")
            )),
            _ => Reply::not_found(),
        }
    }

    /// github.com's `/OWNER/REPO/tarball/REF/NAME.tar.gz` (what eget's
    /// `--source` asks for): the release's source tarball, else a 404.
    fn web_tarball(&self, state: &State, path: &str) -> Reply {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let [owner, name, "tarball", tag, _file] = parts[..] else {
            return Reply::not_found();
        };
        let repo = format!("{owner}/{name}");
        let known = state
            .repos
            .get(&repo)
            .is_some_and(|rs| rs.iter().any(|r| r.tag == tag && r.source.is_some()));
        if !known {
            return Reply::not_found();
        }
        Reply::redirect(&format!(
            "{}{}",
            self.assets_url(),
            Self::download_path(&repo, tag, "source.tar.gz")
        ))
    }

    /// github.com's `/OWNER/REPO/releases/download/TAG/NAME`: a redirect to
    /// the asset host, as GitHub's to its CDN; its tarballs as on the API host.
    fn web_download(&self, state: &State, path: &str) -> Reply {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let [owner, name, "releases", "download", tag, file] = parts[..] else {
            return self.web_tarball(state, path);
        };
        let repo = format!("{owner}/{name}");
        let known = state.repos.get(&repo).is_some_and(|rs| {
            rs.iter()
                .any(|r| r.tag == tag && r.assets.iter().any(|a| a.name == file))
        });
        if !known {
            return Reply::not_found();
        }
        let location = format!(
            "{}{}?sig=fake",
            self.assets_url(),
            Self::download_path(&repo, tag, file)
        );
        Reply::redirect(&location)
    }

    fn redirect_asset(&self, repo: &str, releases: &[Release], id: &str) -> Reply {
        for r in releases {
            for (i, a) in r.assets.iter().enumerate() {
                if asset_id(r, i) == id {
                    let location = format!(
                        "{}{}?signed=1",
                        self.assets_url(),
                        Self::download_path(repo, &r.tag, &a.name)
                    );
                    return Reply::redirect(&location);
                }
            }
        }
        Reply::not_found()
    }

    fn asset_file(state: &State, path: &str) -> Reply {
        if let Some(blob) = state.blobs.get(path) {
            return Reply::bytes(200, blob.clone());
        }
        for (repo, tarball) in &state.heads {
            if Self::download_path(repo, "HEAD", "source.tar.gz") == path {
                return Reply::bytes(200, tarball.clone()).ranges();
            }
        }
        for (repo, releases) in &state.repos {
            for r in releases {
                if Self::download_path(repo, &r.tag, "source.tar.gz") == path {
                    if let Some(src) = &r.source {
                        return Reply::bytes(200, src.clone()).ranges();
                    }
                }
                if let Some(a) = r
                    .assets
                    .iter()
                    .find(|a| Self::download_path(repo, &r.tag, &a.name) == path)
                {
                    return Reply::bytes(200, Arc::clone(&a.bytes)).ranges();
                }
            }
        }
        Reply::not_found()
    }

    fn browser_download_url(&self, web: bool, repo: &str, tag: &str, name: &str) -> String {
        if web {
            format!("{}/{repo}/releases/download/{tag}/{name}", self.web_url())
        } else {
            self.asset_url(repo, tag, name)
        }
    }

    fn release_json(&self, web: bool, repo: &str, r: &Release, all: &[Release]) -> Value {
        let index = all.iter().position(|x| x.tag == r.tag).unwrap_or(0);
        let published = r
            .published_at
            .clone()
            .unwrap_or_else(|| format!("2025-01-{:02}T00:00:00Z", (index % 28) + 1));
        let assets: Vec<Value> = r
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                json!({
                    "name": a.name,
                    "size": a.bytes.len(),
                    "url": format!("{}/repos/{repo}/releases/assets/{}", self.api_url(), asset_id(r, i)),
                    "browser_download_url": self.browser_download_url(web, repo, &r.tag, &a.name),
                    "digest": a.digest(),
                    "content_type": "application/octet-stream",
                    "state": "uploaded",
                })
            })
            .collect();
        json!({
            "tag_name": r.tag,
            "name": r.tag,
            "draft": r.draft,
            "prerelease": r.prerelease,
            "published_at": published,
            "created_at": published,
            "tarball_url": format!("{}/repos/{repo}/tarball/{}", self.api_url(), r.tag),
            "assets": assets,
        })
    }
}

fn asset_id(r: &Release, i: usize) -> String {
    let mut s = String::new();
    for b in r.tag.bytes() {
        let _ = write!(s, "{b:02x}");
    }
    format!("{s}{i}")
}

/// Reads a request head byte by byte (so nothing past it is consumed).
fn read_request(stream: &mut impl Read, host: Host) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut start = lines.next()?.split_whitespace();
    let method = start.next()?.to_owned();
    let path = start.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(1 << 20)];
    stream.read_exact(&mut body).ok()?;
    Some(Request {
        host,
        method,
        path,
        headers,
        body,
    })
}

/// Writes and flushes, ignoring errors: the client may have gone.
fn send(stream: &mut impl Write, bytes: &[u8]) -> bool {
    stream
        .write_all(bytes)
        .and_then(|()| stream.flush())
        .is_ok()
}

//! A fake GitLab or Gitea/Forgejo instance: one server for the API and the
//! web paths (one origin, as gitlab.com and codeberg.org are) and one object
//! store downloads redirect to (another origin, where no token may follow).
//! JSON is shaped as the forges document it: GitLab's releases with asset
//! links (package-registry `url`, permanent `direct_asset_url`),
//! `upcoming_release`, URL-encoded project paths of nested groups, `Link` and
//! `X-Next-Page` pagination, `RateLimit-*` headers; Gitea's releases with
//! attachments, `limit`/`page` and `X-Total-Count`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

use crate::http::{self, Reply};
use crate::{read_request, Host, Release, Request};

mod gitea;
mod gitlab;

/// Which API the fake speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    GitLab,
    Gitea,
}

#[derive(Default)]
struct State {
    repos: HashMap<String, Vec<Release>>,
    heads: HashMap<String, Vec<u8>>,
    private: HashMap<String, String>,
    log: Vec<Request>,
    rate_limited: Option<u64>,
    token: Option<String>,
    page_size: Option<usize>,
}

/// The fake instance. Servers run until the process ends.
#[derive(Clone)]
pub struct FakeForge {
    flavor: Flavor,
    instance: SocketAddr,
    objects: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl FakeForge {
    pub fn gitlab() -> FakeForge {
        Self::start(Flavor::GitLab)
    }

    pub fn gitea() -> FakeForge {
        Self::start(Flavor::Gitea)
    }

    fn start(flavor: Flavor) -> FakeForge {
        let bind = || TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let (instance, objects) = (bind(), bind());
        let forge = FakeForge {
            flavor,
            instance: instance.local_addr().unwrap(),
            objects: objects.local_addr().unwrap(),
            state: Arc::default(),
        };
        for (listener, host) in [(instance, Host::Api), (objects, Host::Assets)] {
            let forge = forge.clone();
            thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let forge = forge.clone();
                    thread::spawn(move || forge.serve(stream, host));
                }
            });
        }
        forge
    }

    /// The instance's base URL (`http://127.0.0.1:PORT`), as a web host.
    pub fn url(&self) -> String {
        format!("http://{}", self.instance)
    }

    /// The API base, for `GITLAB_API_URL` / `GITEA_API_URL`.
    pub fn api_url(&self) -> String {
        match self.flavor {
            Flavor::GitLab => format!("{}/api/v4", self.url()),
            Flavor::Gitea => format!("{}/api/v1", self.url()),
        }
    }

    /// Adds a release to `path` (`group/sub/project`, `owner/repo`); later
    /// calls are newer. A pre-release is GitLab's upcoming release.
    pub fn release(&self, path: &str, release: Release) -> &Self {
        self.lock()
            .repos
            .entry(path.to_owned())
            .or_default()
            .push(release);
        self
    }

    /// What the default branch's source archive serves.
    pub fn default_branch(&self, path: &str, tarball: impl Into<Vec<u8>>) -> &Self {
        self.lock().heads.insert(path.to_owned(), tarball.into());
        self
    }

    /// Makes `path` visible (API and downloads) only with `token`.
    pub fn private(&self, path: &str, token: &str) -> &Self {
        self.lock()
            .private
            .insert(path.to_owned(), token.to_owned());
        self
    }

    /// Rejects any token but `token` with 401.
    pub fn require_token(&self, token: &str) -> &Self {
        self.lock().token = Some(token.to_owned());
        self
    }

    /// Every API request answers 429, the limit resetting at `reset`.
    pub fn rate_limited(&self, reset: u64) -> &Self {
        self.lock().rate_limited = Some(reset);
        self
    }

    /// Lists at most `n` releases a page, whatever the client asks.
    pub fn page_size(&self, n: usize) -> &Self {
        self.lock().page_size = Some(n);
        self
    }

    pub fn requests(&self) -> Vec<Request> {
        self.lock().log.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn serve(&self, mut stream: TcpStream, host: Host) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_nodelay(true);
        self.handle(&mut stream, host);
    }

    fn handle<S: Read + Write>(&self, stream: &mut S, host: Host) {
        while let Some(request) = read_request(stream, host) {
            self.lock().log.push(request.clone());
            let reply = self.answer(&request);
            if !http::write_reply(stream, &request, &reply, || {}) {
                return;
            }
        }
    }

    fn answer(&self, req: &Request) -> Reply {
        let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
        let state = self.lock();
        if req.host == Host::Assets {
            return Self::object(&state, path);
        }
        let token = self.token_in(req);
        if let (Some(want), Some(got)) = (&state.token, &token) {
            if want != got {
                let message = match self.flavor {
                    Flavor::GitLab => "401 Unauthorized",
                    Flavor::Gitea => "user does not exist [uid: 0, name: ]",
                };
                return Reply::json(401, &json!({ "message": message }));
            }
        }
        let call = Call {
            state: &state,
            path,
            query,
            token: token.as_deref(),
        };
        match self.flavor {
            Flavor::GitLab => self.gitlab_route(&call, path),
            Flavor::Gitea => self.gitea_route(&call, path),
        }
    }

    /// The token a request carries, in any header its forge reads.
    fn token_in(&self, req: &Request) -> Option<String> {
        let auth = req.header("authorization");
        let found = match self.flavor {
            Flavor::GitLab => req
                .header("private-token")
                .or_else(|| req.header("job-token"))
                .or_else(|| auth.and_then(|a| a.strip_prefix("Bearer "))),
            Flavor::Gitea => auth.and_then(|a| {
                a.strip_prefix("token ")
                    .or_else(|| a.strip_prefix("Bearer "))
            }),
        };
        found.map(str::to_owned)
    }

    /// One page of `releases` (newest first), with `Link: rel="next"`,
    /// GitLab's `X-Next-Page` and Gitea's `X-Total-Count`.
    fn page(
        &self,
        call: &Call<'_>,
        releases: &[Release],
        json_of: impl Fn(&Release) -> Value,
    ) -> Reply {
        let size_param = match self.flavor {
            Flavor::GitLab => "per_page",
            Flavor::Gitea => "limit",
        };
        let asked = call
            .param(size_param)
            .and_then(|n| n.parse().ok())
            .unwrap_or(20);
        let size = call.state.page_size.unwrap_or(asked).clamp(1, 100);
        let page: usize = call
            .param("page")
            .and_then(|n| n.parse().ok())
            .unwrap_or(1)
            .max(1);
        let newest_first: Vec<&Release> = releases.iter().rev().collect();
        let items: Vec<Value> = newest_first
            .iter()
            .skip((page - 1) * size)
            .take(size)
            .map(|r| json_of(r))
            .collect();
        let mut reply = Reply::json(200, &Value::Array(items))
            .header("x-total-count", &releases.len().to_string());
        if page * size < releases.len() {
            let base = call.query_without("page");
            let next = format!("{}{}?{base}&page={}", self.url(), call.path, page + 1);
            reply = reply
                .header("link", &format!("<{next}>; rel=\"next\""))
                .header("x-next-page", &(page + 1).to_string());
        }
        reply
    }

    fn object_url(&self, repo: &str, tag: &str, file: &str) -> String {
        format!(
            "http://{}/objects/{repo}/{tag}/{file}?X-Amz-Signature=fake",
            self.objects
        )
    }

    fn object(state: &State, path: &str) -> Reply {
        for (repo, releases) in &state.repos {
            for r in releases {
                for a in &r.assets {
                    if path == format!("/objects/{repo}/{}/{}", r.tag, a.name) {
                        return Reply::bytes(200, Arc::clone(&a.bytes)).ranges();
                    }
                }
            }
        }
        Reply::not_found()
    }
}

/// One API request's context.
struct Call<'a> {
    state: &'a State,
    /// The path asked for, without the query.
    path: &'a str,
    query: &'a str,
    token: Option<&'a str>,
}

impl Call<'_> {
    /// The releases of `repo`, unless it is private and the token is not its.
    fn visible(&self, repo: &str) -> Option<&[Release]> {
        if let Some(secret) = self.state.private.get(repo) {
            if self.token != Some(secret.as_str()) {
                return None;
            }
        }
        self.state.repos.get(repo).map(Vec::as_slice)
    }

    fn param(&self, name: &str) -> Option<String> {
        self.query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .map(decode)
    }

    fn query_without(&self, name: &str) -> String {
        self.query
            .split('&')
            .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(name))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn find_asset(releases: &[Release], tag: &str, file: &str) -> bool {
    releases
        .iter()
        .any(|r| r.tag == tag && r.assets.iter().any(|a| a.name == file))
}

/// The source archive of `git_ref` (a release's), else of the default branch.
fn archive(state: &State, repo: &str, releases: &[Release], git_ref: Option<&str>) -> Reply {
    let bytes = match git_ref {
        Some(t) => releases
            .iter()
            .find(|r| r.tag == t)
            .and_then(|r| r.source.clone()),
        None => state.heads.get(repo).cloned(),
    };
    bytes.map_or_else(Reply::not_found, |b| Reply::bytes(200, b))
}

/// Percent-decoding (`group%2Fsub` → `group/sub`).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(s: &str) -> String {
    s.replace('/', "%2F")
}

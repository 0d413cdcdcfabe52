//! The one HTTP agent: rustls (ring) with Mozilla's roots compiled in plus any
//! `SSL_CERT_FILE`/`SSL_CERT_DIR`, read only when the first `https` request
//! is made; the proxy chosen per URL (each redirect hop too) from
//! `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY`; redirects followed
//! here, dropping credential headers at the first hop to another origin; a
//! `jingyu/<version>` user
//! agent, connect and stalled-read timeouts, and retries.

use std::fs;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use ureq::http::Uri;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::Proxy;

use crate::error::FetchError;
use crate::retry::{transient_status, RetryPolicy};

/// Settings for [`Agent::new`].
#[derive(Clone, Debug)]
pub struct AgentOptions {
    /// Skip TLS certificate verification (`--disable-ssl`).
    pub insecure: bool,
    pub connect_timeout: Duration,
    /// A read that delivers nothing for this long fails (a stalled server).
    pub read_timeout: Duration,
    pub retry: RetryPolicy,
    pub user_agent: String,
    /// No request (retries included) runs past this long after the agent is
    /// made (`--max-time`).
    pub max_time: Option<Duration>,
    /// A download averaging less than this fails (`--speed-limit`).
    pub min_speed: Option<MinSpeed>,
}

/// curl's `--speed-limit`/`--speed-time`: at least `bytes_per_sec` on average
/// over every `over`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinSpeed {
    pub bytes_per_sec: u64,
    pub over: Duration,
}

impl Default for AgentOptions {
    fn default() -> Self {
        AgentOptions {
            insecure: false,
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            user_agent: format!("jingyu/{}", env!("CARGO_PKG_VERSION")),
            max_time: None,
            min_speed: None,
        }
    }
}

/// Called before each retry with a one-line description (for `report.rs`).
pub type RetryNotice = Arc<dyn Fn(&str) + Send + Sync>;

/// Redirects followed for one request.
const MAX_REDIRECTS: usize = 10;

/// An HTTP client. Cheap to share by reference.
pub struct Agent {
    /// For `http` URLs: no trust roots needed.
    plain: ureq::Agent,
    /// For `https` URLs, made at the first one (reading the roots costs time).
    secure: OnceLock<Result<ureq::Agent, String>>,
    opts: AgentOptions,
    proxies: Proxies,
    retry: RetryPolicy,
    notice: Option<RetryNotice>,
    /// When `--max-time` runs out, and what it was.
    deadline: Option<(Instant, Duration)>,
    pub(crate) min_speed: Option<MinSpeed>,
}

/// A response whose status the caller interprets (4xx included).
pub struct Response {
    pub url: String,
    pub status: u16,
    inner: ureq::http::Response<ureq::Body>,
}

impl Agent {
    /// Builds the agent, reading the proxy settings from the environment (the
    /// TLS roots wait for the first `https` request).
    pub fn new(opts: &AgentOptions) -> Result<Agent, FetchError> {
        let plain = ureq_agent(
            opts,
            TlsConfig::builder()
                .root_certs(RootCerts::from(Vec::new()))
                .build(),
        );
        Ok(Agent {
            plain,
            secure: OnceLock::new(),
            opts: opts.clone(),
            proxies: Proxies::from_env()?,
            retry: opts.retry,
            notice: None,
            deadline: opts
                .max_time
                .and_then(|t| Instant::now().checked_add(t).map(|at| (at, t))),
            min_speed: opts.min_speed,
        })
    }

    /// The agent for `uri`'s scheme; the TLS one is made the first time.
    fn for_scheme(&self, uri: &Uri) -> Result<&ureq::Agent, FetchError> {
        if uri.scheme_str() != Some("https") {
            return Ok(&self.plain);
        }
        let secure = self.secure.get_or_init(|| {
            let tls = TlsConfig::builder()
                .root_certs(root_certs()?)
                .disable_verification(self.opts.insecure)
                .build();
            Ok(ureq_agent(&self.opts, tls))
        });
        secure.as_ref().map_err(|e| FetchError::Config(e.clone()))
    }

    /// Sets the callback told about each retry.
    pub fn on_retry(&mut self, notice: RetryNotice) {
        self.notice = Some(notice);
    }

    /// GETs `url` with `headers`, retrying transient failures. Any final status
    /// is returned for the caller to judge.
    pub fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Response, FetchError> {
        self.with_retries(url, || self.get_once(url, headers))
    }

    /// POSTs the JSON `body` to `url` (a transparency log's search),
    /// retrying transient failures; no redirect is followed and nothing but
    /// the content type is sent with it.
    pub fn post_json(&self, url: &str, body: &str) -> Result<Response, FetchError> {
        self.with_retries(url, || {
            let uri: Uri = url.parse().map_err(|_| FetchError::Transport {
                url: url.to_owned(),
                message: "not a valid URL".to_owned(),
            })?;
            let left = self.time_left(url)?;
            let inner = self
                .for_scheme(&uri)?
                .post(url)
                .header("content-type", "application/json")
                .config()
                .proxy(self.proxies.for_uri(&uri))
                .timeout_global(left)
                .build()
                .send(body)
                .map_err(|e| FetchError::Transport {
                    url: url.to_owned(),
                    message: with_hint(e.to_string()),
                })?;
            Ok(Response {
                url: url.to_owned(),
                status: inner.status().as_u16(),
                inner,
            })
        })
    }

    /// `attempt`, again while it fails transiently and the retry policy
    /// (and `--max-time`) allow.
    fn with_retries(
        &self,
        url: &str,
        attempt: impl Fn() -> Result<Response, FetchError>,
    ) -> Result<Response, FetchError> {
        let started = Instant::now();
        let mut retry = 0;
        loop {
            let outcome = attempt();
            let (why, retry_after) = match &outcome {
                Ok(r) if transient_status(r.status) && !r.rate_limit_exhausted() => {
                    (format!("HTTP {}", r.status), r.retry_after())
                }
                Err(FetchError::Transport { message, .. }) => (message.clone(), None),
                _ => return outcome,
            };
            let Some(wait) = self
                .retry
                .delay(retry, started, retry_after)
                .filter(|w| self.leaves_time(*w))
            else {
                return outcome;
            };
            if let Some(notice) = &self.notice {
                notice(&format!(
                    "{url}: {why}; retrying in {:.1}s",
                    wait.as_secs_f64()
                ));
            }
            thread::sleep(wait);
            retry += 1;
        }
    }

    /// One attempt: the request and the redirects it leads to. The caller's
    /// headers go to every hop, but credentials ([`CREDENTIAL_HEADERS`]) only
    /// while the hops stay on `url`'s origin: the first hop elsewhere drops them
    /// for good (a redirect back does not bring them back).
    fn get_once(&self, url: &str, headers: &[(&str, &str)]) -> Result<Response, FetchError> {
        let mut hop = url.to_owned();
        let mut headers = headers.to_vec();
        for _ in 0..=MAX_REDIRECTS {
            let inner = self.request(&hop, &headers)?;
            let Some(next) = redirect_target(&hop, &inner) else {
                return Ok(Response {
                    url: url.to_owned(),
                    status: inner.status().as_u16(),
                    inner,
                });
            };
            // The redirect's own body is small; reading it frees the connection.
            let _ = inner
                .into_body()
                .with_config()
                .limit(64 << 10)
                .read_to_vec();
            if origin(&next) != origin(url) {
                headers.retain(|(name, _)| {
                    !CREDENTIAL_HEADERS
                        .iter()
                        .any(|c| name.eq_ignore_ascii_case(c))
                });
            }
            hop = next;
        }
        Err(FetchError::Transport {
            url: url.to_owned(),
            message: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    fn request(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let uri: Uri = url.parse().map_err(|_| FetchError::Transport {
            url: url.to_owned(),
            message: "not a valid URL".to_owned(),
        })?;
        let mut req = self.for_scheme(&uri)?.get(url);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let left = self.time_left(url)?;
        let req = req
            .config()
            .proxy(self.proxies.for_uri(&uri))
            .timeout_global(left)
            .build();
        req.call().map_err(|e| FetchError::Transport {
            url: url.to_owned(),
            message: with_hint(e.to_string()),
        })
    }

    /// What is left of `--max-time` (the whole of a request, body included,
    /// must fit in it); an error once nothing is.
    fn time_left(&self, url: &str) -> Result<Option<Duration>, FetchError> {
        let Some((at, limit)) = self.deadline else {
            return Ok(None);
        };
        match at.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(Some(left)),
            _ => Err(FetchError::Deadline {
                url: url.to_owned(),
                limit,
            }),
        }
    }

    /// The `--max-time` error for `url`, once the time is up.
    pub(crate) fn out_of_time(&self, url: &str) -> Option<FetchError> {
        self.time_left(url).err()
    }

    /// Whether waiting `wait` still leaves time before `--max-time` runs out.
    pub(crate) fn leaves_time(&self, wait: Duration) -> bool {
        self.deadline
            .is_none_or(|(at, _)| Instant::now().checked_add(wait).is_some_and(|t| t < at))
    }

    /// The retry policy this agent applies (downloads resume under it too).
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    pub(crate) fn notify(&self, message: &str) {
        if let Some(notice) = &self.notice {
            notice(message);
        }
    }
}

/// `Retry-After` as delta-seconds (the HTTP-date form is not used by GitHub),
/// capped at a day: any larger value only means "not soon".
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: u64 = value.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(86_400)))
}

impl Response {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.inner.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// The body length the server announced.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length")
            .and_then(|v| v.trim().parse().ok())
    }

    /// Whether GitHub says the rate limit is used up (not worth a blind retry).
    pub fn rate_limit_exhausted(&self) -> bool {
        matches!(self.status, 403 | 429)
            && ["x-ratelimit-remaining", "ratelimit-remaining"]
                .iter()
                .any(|h| self.header(h).map(str::trim) == Some("0"))
    }

    /// `Retry-After` in seconds, if given.
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(self.header("retry-after")?)
    }

    /// Reads the body as text, up to `limit` bytes.
    pub fn text(self, limit: u64) -> Result<String, FetchError> {
        let url = self.url;
        self.inner
            .into_body()
            .with_config()
            .limit(limit)
            .read_to_string()
            .map_err(|e| FetchError::Transport {
                url,
                message: e.to_string(),
            })
    }

    /// Reads the body as bytes, up to `limit` of them.
    pub fn bytes(self, limit: u64) -> Result<Vec<u8>, FetchError> {
        let url = self.url;
        self.inner
            .into_body()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| FetchError::Transport {
                url,
                message: e.to_string(),
            })
    }

    /// The body as a stream.
    pub fn into_reader(self) -> ureq::BodyReader<'static> {
        self.inner.into_body().into_reader()
    }
}

/// A ureq agent with the options; redirects are left to [`Agent::get_once`].
fn ureq_agent(opts: &AgentOptions, tls: TlsConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .tls_config(tls)
        .proxy(None)
        .http_status_as_error(false)
        .user_agent(opts.user_agent.as_str())
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_per_read(Some(opts.read_timeout))
        .max_redirects(0)
        .build()
        .into()
}

/// Headers that carry a credential: GitHub's and Gitea's `authorization`,
/// GitLab's `private-token` and `job-token`.
pub const CREDENTIAL_HEADERS: [&str; 3] = ["authorization", "private-token", "job-token"];

/// `scheme://host[:port]` of a URL, lowercased, with the default port made
/// explicit: what decides where a credential may go.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?.to_ascii_lowercase();
    let scheme = scheme.to_ascii_lowercase();
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()));
    let port = match (has_port, scheme.as_str()) {
        (true, _) => "",
        (false, "https") => ":443",
        (false, _) => ":80",
    };
    Some(format!("{scheme}://{authority}{port}"))
}

/// Where a redirect answer points, resolved against `from`.
fn redirect_target(from: &str, resp: &ureq::http::Response<ureq::Body>) -> Option<String> {
    if !matches!(resp.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = resp.headers().get("location")?.to_str().ok()?.trim();
    Some(resolve_location(from, location))
}

/// `location` as an absolute URL: as it is, scheme-relative, host-relative or
/// path-relative to `from`.
fn resolve_location(from: &str, location: &str) -> String {
    // A scheme is letters, digits, `+`, `-`, `.` before `://`, the first thing.
    let has_scheme = location.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme {
        return location.to_owned();
    }
    let (scheme, rest) = from.split_once("://").unwrap_or(("http", from));
    if let Some(authority_and_path) = location.strip_prefix("//") {
        return format!("{scheme}://{authority_and_path}");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = rest[authority.len()..]
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{scheme}://{authority}{dir}{location}")
}

/// Adds what to do to failures whose cause alone does not say it.
fn with_hint(message: String) -> String {
    if message.contains("certificate") {
        format!("{message}; if a proxy intercepts TLS, add its CA with SSL_CERT_FILE or SSL_CERT_DIR (--disable-ssl skips the check)")
    } else {
        message
    }
}

/// Compiled-in Mozilla roots plus the certificates in `SSL_CERT_FILE` and the
/// files of `SSL_CERT_DIR` (corporate proxies add their CA there).
fn root_certs() -> Result<RootCerts, String> {
    let mut certs: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()))
        .collect();
    if let Some(file) = std::env::var_os("SSL_CERT_FILE").filter(|f| !f.is_empty()) {
        let pem = fs::read(&file).map_err(|e| {
            format!(
                "cannot read SSL_CERT_FILE {}: {e}",
                Path::new(&file).display()
            )
        })?;
        certs.extend(pem_certs(&pem));
    }
    if let Some(dir) = std::env::var_os("SSL_CERT_DIR").filter(|d| !d.is_empty()) {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let is_cert = path.extension().is_some_and(|e| e == "pem" || e == "crt");
            if is_cert {
                if let Ok(pem) = fs::read(&path) {
                    certs.extend(pem_certs(&pem));
                }
            }
        }
    }
    Ok(RootCerts::from(certs))
}

fn pem_certs(pem: &[u8]) -> impl Iterator<Item = Certificate<'static>> + '_ {
    ureq::tls::parse_pem(pem).filter_map(|item| match item {
        Ok(PemItem::Certificate(c)) => Some(c),
        _ => None,
    })
}

/// Proxies by URL scheme, and the hosts that bypass them.
struct Proxies {
    https: Option<Proxy>,
    http: Option<Proxy>,
    no_proxy: Vec<String>,
}

impl Proxies {
    fn from_env() -> Result<Proxies, FetchError> {
        let var = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        };
        let parse = |v: Option<String>| -> Result<Option<Proxy>, FetchError> {
            v.map(|v| {
                Proxy::new(v.trim()).map_err(|e| {
                    FetchError::Config(format!("proxy setting `{v}` is not usable: {e}"))
                })
            })
            .transpose()
        };
        let all = var(&["ALL_PROXY", "all_proxy"]);
        Ok(Proxies {
            https: parse(var(&["HTTPS_PROXY", "https_proxy"]).or_else(|| all.clone()))?,
            http: parse(var(&["HTTP_PROXY", "http_proxy"]).or(all))?,
            no_proxy: var(&["NO_PROXY", "no_proxy"])
                .unwrap_or_default()
                .split(',')
                .map(|s| {
                    s.trim()
                        .trim_start_matches("*.")
                        .trim_start_matches('.')
                        .to_ascii_lowercase()
                })
                .filter(|s| !s.is_empty())
                .collect(),
        })
    }

    fn for_uri(&self, uri: &Uri) -> Option<Proxy> {
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if no_proxy_matches(&self.no_proxy, &host) {
            return None;
        }
        match uri.scheme_str() {
            Some("https") => self.https.clone(),
            _ => self.http.clone(),
        }
    }
}

/// `NO_PROXY` semantics as curl has them: `*` matches all; `example.com`
/// matches it and its subdomains; an address matches itself.
fn no_proxy_matches(list: &[String], host: &str) -> bool {
    list.iter().any(|entry| {
        let entry = entry.split(':').next().unwrap_or(entry);
        entry == "*" || host == entry || host.ends_with(&format!(".{entry}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_matching() {
        let list: Vec<String> = ["example.com", "10.0.0.1", "internal:8080"]
            .map(String::from)
            .to_vec();
        assert!(no_proxy_matches(&list, "example.com"));
        assert!(no_proxy_matches(&list, "api.example.com"));
        assert!(!no_proxy_matches(&list, "notexample.com"));
        assert!(no_proxy_matches(&list, "10.0.0.1"));
        assert!(no_proxy_matches(&list, "internal"));
        assert!(no_proxy_matches(&["*".to_owned()], "anything"));
        assert!(!no_proxy_matches(&[], "anything"));
    }

    #[test]
    fn bundled_roots_are_present() {
        assert!(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() > 100);
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin("https://api.github.com/repos/x"),
            Some("https://api.github.com:443".into())
        );
        assert_eq!(
            origin("https://API.github.com:443"),
            origin("https://api.github.com/")
        );
        assert_ne!(
            origin("http://127.0.0.1:8080/a"),
            origin("http://127.0.0.1:8081/a")
        );
        assert_ne!(
            origin("https://github.com/x"),
            origin("https://api.github.com/x")
        );
        assert_eq!(origin("not a url"), None);
    }

    #[test]
    fn redirect_locations_resolve_like_a_browser() {
        let from = "https://github.com/o/r/releases/download/v1/a.tar.gz?x=1";
        for (location, want) in [
            ("https://cdn.test/x?sig=1", "https://cdn.test/x?sig=1"),
            ("//cdn.test/x", "https://cdn.test/x"),
            ("/o/r/other", "https://github.com/o/r/other"),
            (
                "b.tar.gz",
                "https://github.com/o/r/releases/download/v1/b.tar.gz",
            ),
        ] {
            assert_eq!(resolve_location(from, location), want, "{location}");
        }
        assert_eq!(resolve_location("http://h:1", "x"), "http://h:1/x");
    }

    #[test]
    fn a_plain_agent_reads_no_trust_roots() {
        // http requests never build the TLS agent (nor read SSL_CERT_DIR).
        let agent = Agent::new(&AgentOptions::default()).unwrap();
        assert!(agent.secure.get().is_none());
        let uri: Uri = "http://127.0.0.1:1/".parse().unwrap();
        agent.for_scheme(&uri).unwrap();
        assert!(agent.secure.get().is_none(), "http made the TLS agent");
        let uri: Uri = "https://127.0.0.1:1/".parse().unwrap();
        agent.for_scheme(&uri).unwrap();
        assert!(agent.secure.get().is_some());
    }
}

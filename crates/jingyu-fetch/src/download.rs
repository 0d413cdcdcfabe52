//! A streaming download: a `Read` over the response body that hashes every byte
//! as it passes, reports progress, notices a body cut short, and after a dropped
//! connection resumes with an HTTP `Range` request (or restarts and skips what it
//! already has) under the agent's retry policy. Nothing is buffered whole.

use std::io::{self, Read};
use std::thread;
use std::time::Instant;

use crate::agent::{Agent, Response};
use crate::digest::{Hasher, Sha256};
use crate::error::FetchError;

/// Told the bytes read so far and the total, when known.
pub type ProgressFn = Box<dyn FnMut(u64, Option<u64>) + Send>;

/// A download in progress. Read it to the end (or call [`Download::finish`]).
pub struct Download<'a> {
    agent: &'a Agent,
    url: String,
    headers: Vec<(String, String)>,
    body: Box<dyn Read + Send>,
    etag: Option<String>,
    total: Option<u64>,
    read: u64,
    hasher: Hasher,
    progress: Option<ProgressFn>,
    resumes: u32,
    /// When the current `--speed-time` window began, and `read` then.
    window: (Instant, u64),
}

/// What a finished download was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fetched {
    pub sha256: Sha256,
    pub len: u64,
    /// Only when asked for ([`Download::also_sha512`]).
    pub sha512: Option<[u8; 64]>,
}

impl<'a> Download<'a> {
    /// Starts a GET of `url`; any status but 200 is an error.
    pub fn start(
        agent: &'a Agent,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Download<'a>, FetchError> {
        let resp = agent.get(url, headers)?;
        if resp.status != 200 {
            return Err(FetchError::Status {
                url: url.to_owned(),
                code: resp.status,
            });
        }
        Ok(Download {
            agent,
            url: url.to_owned(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            etag: resp.header("etag").map(str::to_owned),
            total: resp.content_length(),
            body: Box::new(resp.into_reader()),
            read: 0,
            hasher: Hasher::new(),
            progress: None,
            resumes: 0,
            window: (Instant::now(), 0),
        })
    }

    /// Computes the sha512 too (before anything is read).
    pub fn also_sha512(&mut self) {
        debug_assert_eq!(self.read, 0, "asked before reading");
        self.hasher = Hasher::with_sha512();
    }

    /// Sets the progress callback.
    pub fn on_progress(&mut self, f: ProgressFn) {
        self.progress = Some(f);
    }

    /// The size the server announced.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Reads what is left, then returns the digest and length of the whole body.
    pub fn finish(mut self) -> Result<Fetched, FetchError> {
        io::copy(&mut self, &mut io::sink())?;
        let (sha256, sha512) = self.hasher.finish_both();
        Ok(Fetched {
            sha256,
            len: self.read,
            sha512,
        })
    }

    /// After a broken read, asks again from where we are. Returns the error to
    /// give up with when the retry policy is spent.
    fn resume(&mut self, cause: &io::Error) -> Result<(), FetchError> {
        // A read cut off by `--max-time` is that, not a broken connection.
        if let Some(late) = self.agent.out_of_time(&self.url) {
            return Err(late);
        }
        let policy = self.agent.retry_policy();
        let started = Instant::now();
        loop {
            let wait = policy.delay(self.resumes, started, None);
            let Some(wait) = wait.filter(|w| self.agent.leaves_time(*w)) else {
                return Err(self.broken(cause));
            };
            self.resumes += 1;
            self.agent.notify(&format!(
                "{}: connection broke after {} bytes ({cause}); resuming in {:.1}s",
                self.url,
                self.read,
                wait.as_secs_f64()
            ));
            thread::sleep(wait);
            match self.reopen() {
                Ok(()) => return Ok(()),
                Err(FetchError::Transport { .. }) => {}
                Err(other) => return Err(other),
            }
        }
    }

    fn reopen(&mut self) -> Result<(), FetchError> {
        let range = format!("bytes={}-", self.read);
        let mut headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        headers.push(("range", &range));
        if let Some(etag) = &self.etag {
            headers.push(("if-range", etag));
        }
        let resp = self.agent.get(&self.url, &headers)?;
        match resp.status {
            206 if self.range_starts_here(&resp) => self.body = Box::new(resp.into_reader()),
            200 => {
                // The server ignored the range: restart and skip what we have.
                let mut body = resp.into_reader();
                let skipped = io::copy(&mut (&mut body).take(self.read), &mut io::sink())?;
                if skipped != self.read {
                    return Err(self.broken(&io::Error::other("the restarted body is shorter")));
                }
                self.body = Box::new(body);
            }
            code => {
                return Err(FetchError::Status {
                    url: self.url.clone(),
                    code,
                })
            }
        }
        Ok(())
    }

    /// Whether a 206 continues this very file: `Content-Range: bytes START-END/TOTAL`
    /// with START where we stopped and TOTAL the size first announced.
    fn range_starts_here(&self, resp: &Response) -> bool {
        resp.header("content-range")
            .and_then(parse_content_range)
            .is_some_and(|(start, total)| {
                start == self.read
                    && (self.total.is_none() || total.is_none() || total == self.total)
            })
    }

    /// Fails once a whole `--speed-time` window brought less than
    /// `--speed-limit` bytes a second; a window that did starts the next.
    fn check_speed(&mut self) -> Result<(), FetchError> {
        let Some(min) = self.agent.min_speed else {
            return Ok(());
        };
        let (since, at) = self.window;
        if since.elapsed() < min.over {
            return Ok(());
        }
        let got = self.read - at;
        if got < min.bytes_per_sec.saturating_mul(min.over.as_secs().max(1)) {
            return Err(FetchError::TooSlow {
                url: self.url.clone(),
                bytes_per_sec: min.bytes_per_sec,
                over: min.over,
                got,
            });
        }
        self.window = (Instant::now(), self.read);
        Ok(())
    }

    fn broken(&self, cause: &io::Error) -> FetchError {
        match self.total {
            Some(expected) if expected > self.read => FetchError::Truncated {
                url: self.url.clone(),
                expected,
                got: self.read,
            },
            _ => FetchError::Transport {
                url: self.url.clone(),
                message: cause.to_string(),
            },
        }
    }
}

/// `bytes START-END/TOTAL` → (START, TOTAL); TOTAL may be `*`.
pub fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let (range, total) = v.trim().strip_prefix("bytes ")?.split_once('/')?;
    let start = range.split_once('-')?.0.trim().parse().ok()?;
    Some((start, total.trim().parse().ok()))
}

impl Read for Download<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.body.read(buf) {
                Ok(0) => {
                    if self.total.is_some_and(|t| t > self.read) {
                        let eof = io::Error::from(io::ErrorKind::UnexpectedEof);
                        self.resume(&eof)?;
                        continue;
                    }
                    return Ok(0);
                }
                Ok(n) => {
                    self.hasher.update(&buf[..n]);
                    self.read += n as u64;
                    if let Some(progress) = &mut self.progress {
                        progress(self.read, self.total);
                    }
                    self.check_speed()?;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.resume(&e)?;
                    self.window = (Instant::now(), self.read);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_content_range;

    #[test]
    fn content_ranges() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(parse_content_range("items 5-9/10"), None);
        assert_eq!(parse_content_range("bytes x-9/10"), None);
    }
}

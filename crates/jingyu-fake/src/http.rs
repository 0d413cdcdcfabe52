//! Replies and how they are written, including the faults tests inject.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::{send, Request};

/// Something to go wrong while answering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Announce the full length, send this many body bytes, then close.
    DropAfter(usize),
    /// Send the headers, then nothing for this long.
    Stall(Duration),
    /// Send this many body bytes, then nothing for this long.
    StallAfter(usize, Duration),
    /// Send the body this many bytes at a time, pausing this long between.
    Trickle(usize, Duration),
}

/// An HTTP reply.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Shared, so serving a large asset copies nothing.
    pub body: Arc<Vec<u8>>,
    pub fault: Fault,
    /// Honour `Range: bytes=N-` with a 206.
    pub ranges: bool,
}

impl Reply {
    pub fn bytes(status: u16, body: impl Into<Arc<Vec<u8>>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            fault: Fault::None,
            ranges: false,
        }
    }

    pub fn json(status: u16, body: &Value) -> Reply {
        Reply::bytes(status, body.to_string().into_bytes())
            .header("content-type", "application/json")
    }

    pub fn status(status: u16) -> Reply {
        Reply::json(
            status,
            &serde_json::json!({"message": format!("status {status}")}),
        )
    }

    pub fn not_found() -> Reply {
        Reply::json(404, &serde_json::json!({"message": "Not Found"}))
    }

    pub fn redirect(location: &str) -> Reply {
        Reply::bytes(302, Vec::new()).header("location", location)
    }

    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    #[must_use]
    pub fn fault(mut self, fault: Fault) -> Reply {
        self.fault = fault;
        self
    }

    #[must_use]
    pub fn ranges(mut self) -> Reply {
        self.ranges = true;
        self
    }
}

/// Writes `reply`; says whether the connection stays open for another request
/// (keep-alive, unless the client asked to close or the reply is a fault).
/// `finishing` runs just before the last bytes go out.
pub(crate) fn write_reply(
    stream: &mut impl Write,
    req: &Request,
    reply: &Reply,
    finishing: impl FnOnce(),
) -> bool {
    let (status, body, range) = match (reply.ranges, requested_start(req)) {
        (true, Some(start)) if start <= reply.body.len() => {
            let total = reply.body.len();
            (
                206,
                &reply.body[start..],
                Some(format!("bytes {start}-{}/{total}", total.saturating_sub(1))),
            )
        }
        _ => (reply.status, &reply.body[..], None),
    };
    let keep_alive = matches!(reply.fault, Fault::None)
        && !req
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\nconnection: {}\r\n",
        reason(status),
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (k, v) in &reply.headers {
        let _ = write!(head, "{k}: {v}\r\n");
    }
    if reply.ranges {
        head.push_str("accept-ranges: bytes\r\netag: \"fake-etag\"\r\n");
    }
    if let Some(r) = range {
        let _ = write!(head, "content-range: {r}\r\n");
    }
    head.push_str("\r\n");
    if !send(stream, head.as_bytes()) {
        finishing();
        return false;
    }
    match reply.fault {
        Fault::None => {
            finishing();
            return send(stream, body) && keep_alive;
        }
        Fault::DropAfter(n) => {
            // The caller drops the connection right after.
            finishing();
            send(stream, &body[..n.min(body.len())]);
        }
        Fault::Stall(d) => {
            finishing();
            thread::sleep(d);
        }
        Fault::StallAfter(n, d) => {
            finishing();
            send(stream, &body[..n.min(body.len())]);
            thread::sleep(d);
        }
        Fault::Trickle(n, d) => {
            let chunks: Vec<&[u8]> = body.chunks(n.max(1)).collect();
            let (last, rest) = chunks
                .split_last()
                .map_or((None, &[][..]), |(l, r)| (Some(l), r));
            for chunk in rest {
                if !send(stream, chunk) {
                    return false;
                }
                thread::sleep(d);
            }
            finishing();
            if let Some(last) = last {
                send(stream, last);
            }
        }
    }
    false
}

fn requested_start(req: &Request) -> Option<usize> {
    let range = req.header("range")?.strip_prefix("bytes=")?;
    let (start, end) = range.split_once('-')?;
    end.is_empty().then_some(())?;
    start.parse().ok()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Status",
    }
}

#![no_main]
//! HTTP answers as a hostile server sends them: the fuzzer's bytes are the
//! whole response (status line, headers, body) to every connection of a
//! server on 127.0.0.1, and the real agent, forge client (GitHub, GitLab or
//! Gitea by the first byte) and download read
//! them: status lines, `Retry-After`, `Content-Range`, `Content-Length`,
//! rate-limit headers and the release JSON. Errors are fine; panics and hangs
//! are not. The pure header parsers get the bytes directly too.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use jingyu_fetch::{Agent, AgentOptions, Download, RetryPolicy};
use jingyu_forge::{Forge, Hosts, Kind, RepoRef, Site, Which};

/// One listener for the whole run; each input replaces what it answers.
fn server() -> (&'static Mutex<Vec<u8>>, u16) {
    static SERVER: OnceLock<(Arc<Mutex<Vec<u8>>>, u16)> = OnceLock::new();
    let (reply, port) = SERVER.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("address").port();
        let reply = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::clone(&reply);
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let mut conn = conn;
                let _ = conn.set_read_timeout(Some(Duration::from_millis(200)));
                let mut request = [0u8; 4096];
                let _ = conn.read(&mut request);
                let bytes = answer.lock().expect("reply").clone();
                let _ = conn.write_all(&bytes);
            }
        });
        (reply, port)
    });
    (reply, *port)
}

fn agent() -> &'static Agent {
    static AGENT: OnceLock<Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        let opts = AgentOptions {
            connect_timeout: Duration::from_secs(1),
            read_timeout: Duration::from_millis(200),
            retry: RetryPolicy {
                attempts: 2,
                base_delay: Duration::ZERO,
                max_delay: Duration::ZERO,
                max_total: Duration::from_millis(1),
            },
            ..AgentOptions::default()
        };
        Agent::new(&opts).expect("an agent")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = jingyu_fetch::parse_retry_after(&text);
    let _ = jingyu_fetch::parse_content_range(&text);
    let (reply, port) = server();
    *reply.lock().expect("reply") = data.to_vec();
    let api = format!("http://127.0.0.1:{port}");
    let kinds = [Kind::GitHub, Kind::GitLab, Kind::Gitea];
    let kind = kinds[usize::from(data.first().copied().unwrap_or(0)) % kinds.len()];
    let site = Site {
        kind,
        api: api.clone(),
    };
    let gh = Forge::new(agent(), site, None);
    let hosts = Hosts {
        forced: Some(kind),
        ..Hosts::default()
    };
    let repo = RepoRef::parse("o/tool", &hosts).expect("a repo");
    let _ = gh.release(&repo, &Which::Latest);
    let _ = gh.rate_limit();
    if let Ok(download) = Download::start(agent(), &format!("{api}/asset"), &[]) {
        let _ = download.finish();
    }
});

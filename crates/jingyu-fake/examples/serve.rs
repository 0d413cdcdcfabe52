//! Runs the fake GitHub standalone, for manual checks and Docker builds
//! (`docker build --network=host` reaches it on 127.0.0.1):
//!
//!   cargo run -p jingyu-fake --example serve -- [--gitlab | --gitea] [--latency MS] \
//!       [--web-downloads] owner/tool v1.0 linux/amd64=FILE ... | FILE ... [-- owner/other v2 FILE ...]
//!
//! `platform=FILE` becomes an asset named `tool-v1.0-<os>-<arch>.tar.gz`; a bare
//! FILE keeps its own name. `--latency MS` adds a round trip to every answer; `--web-downloads` gives assets GitHub's
//! download URLs, which redirect to the asset host. `--gitlab` and `--gitea`
//! serve that forge's API instead (repositories may be nested groups there).
//! Prints `GITHUB_API_URL=...` (or `GITLAB_API_URL`, `GITEA_API_URL`) and
//! serves until killed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use jingyu_fake::{FakeForge, FakeGitHub, Release};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let forge = match args.first().map(String::as_str) {
        Some("--gitlab") => Some(("GITLAB_API_URL", FakeForge::gitlab())),
        Some("--gitea") => Some(("GITEA_API_URL", FakeForge::gitea())),
        _ => None,
    };
    if let Some((var, forge)) = forge {
        args.remove(0);
        for group in args.split(|a| a == "--") {
            let [repo, tag, assets @ ..] = group else {
                eprintln!("usage: serve --gitlab|--gitea path/to/repo tag [platform=]FILE...");
                std::process::exit(2);
            };
            forge.release(repo, release(repo, tag, assets));
        }
        println!("{var}={}", forge.api_url());
        std::io::stdout().flush().unwrap();
        loop {
            std::thread::park();
        }
    }
    let gh = FakeGitHub::start();
    loop {
        match args.first().map(String::as_str) {
            Some("--latency") if args.len() > 1 => {
                let ms: u64 = args[1].parse().expect("--latency takes milliseconds");
                gh.latency(std::time::Duration::from_millis(ms));
                args.drain(..2);
            }
            Some("--web-downloads") => {
                gh.web_downloads();
                args.remove(0);
            }
            _ => break,
        }
    }
    // Several repositories: `REPO TAG FILE... -- REPO TAG FILE...`.
    for group in args.split(|a| a == "--") {
        let [repo, tag, assets @ ..] = group else {
            eprintln!("usage: serve owner/repo tag [platform=]FILE... [-- owner/repo tag FILE...]");
            std::process::exit(2);
        };
        gh.release(repo, release(repo, tag, assets));
    }
    println!("GITHUB_API_URL={}", gh.api_url());
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::park();
    }
}

fn release(repo: &str, tag: &str, assets: &[String]) -> Release {
    let tool = repo.rsplit('/').next().unwrap_or(repo);
    let mut release = Release::new(tag);
    for spec in assets {
        // `linux/amd64=FILE` names the asset after the platform; a bare FILE keeps its own name.
        let (name, file) = match spec.split_once('=') {
            Some((platform, file)) => (
                format!("{tool}-{tag}-{}.tar.gz", platform.replace('/', "-")),
                file,
            ),
            None => (
                std::path::Path::new(spec)
                    .file_name()
                    .expect("a file")
                    .to_string_lossy()
                    .into_owned(),
                spec.as_str(),
            ),
        };
        let bytes = std::fs::read(file).expect("read asset");
        release = release.asset(&name, bytes);
    }
    release
}

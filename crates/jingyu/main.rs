//! jingyu: fetch a release binary into a Docker build. `main` parses the
//! command line, runs the plan and turns any error into its exit code.

mod args;
mod cache;
mod error;
mod fit;
mod install;
mod plan;
mod report;
mod run;
mod verify;

use std::path::Path;
use std::process::ExitCode;

use jingyu_pick::{Libc, System};

use crate::report::{Level, Reporter};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args::parse(&argv) {
        Ok(parsed) => parsed,
        Err(early) => return early_exit(&early),
    };
    let env = |name: &str| std::env::var(name).ok();
    let rep = Reporter::new(plan::level(&parsed, &env));
    let is_file = |p: &str| Path::new(p).is_file();
    let outcome =
        plan::build(parsed, &env, host(), &is_file).and_then(|action| run::run(action, &rep));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            rep.error(&error::render(&e));
            ExitCode::from(e.exit_code())
        }
    }
}

/// `--help` goes to stdout with exit 0; a parse error to stderr with exit 2.
fn early_exit(early: &argh::EarlyExit) -> ExitCode {
    let rep = Reporter::new(Level::Normal);
    if early.status.is_ok() {
        rep.result(early.output.trim_end());
        return ExitCode::SUCCESS;
    }
    let first = early
        .output
        .lines()
        .next()
        .unwrap_or("bad arguments")
        .trim();
    let mut chars = first.chars();
    let message = chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    rep.error(&format!(
        "jingyu: error: {}; see jingyu --help",
        message.trim_end_matches('.')
    ));
    ExitCode::from(2)
}

/// The host, and whether it is musl-based (Alpine and friends).
fn host() -> System {
    let mut host = System::host();
    let musl_loader = std::fs::read_dir("/lib")
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("ld-musl-"));
    if musl_loader {
        host.libc = Libc::Musl;
    }
    host
}

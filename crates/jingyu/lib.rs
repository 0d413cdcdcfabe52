//! jingyu: fetch a release binary into a Docker build. [`main`] parses the
//! command line, runs the plan and turns any error into its exit code. The
//! binary (`main.rs`) only calls it; the library exists so that the fuzz
//! targets can reach the argument and environment parsing ([`fuzzing`]).

mod args;
mod board;
mod cache;
mod config;
mod error;
mod export;
mod fit;
mod input;
mod install;
mod keyless;
mod lockfile;
mod locking;
mod manifest;
mod many;
mod options;
mod parallel;
mod plan;
mod report;
mod resolve;
mod run;
mod sbom;
mod sign;
mod sigstore;
mod verify;

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use jingyu_pick::{Arch, Libc, System};

use crate::report::{Level, Reporter};

/// The version a release build was given (`JINGYU_BUILD_VERSION`, which the
/// Dockerfile's build stage sets from the tag), else the crate's.
pub(crate) fn version() -> &'static str {
    option_env!("JINGYU_BUILD_VERSION")
        .filter(|v| !v.is_empty() && *v != "dev")
        .unwrap_or(env!("CARGO_PKG_VERSION"))
}

/// What `--version` prints: `jingyu 0.2.0`, with the revision when the build
/// knew it (`jingyu 0.2.0 (4a23077c1e2f)`).
pub(crate) fn version_line() -> String {
    describe(version(), option_env!("JINGYU_BUILD_REVISION"))
}

fn describe(version: &str, revision: Option<&str>) -> String {
    match revision.filter(|r| !r.is_empty() && *r != "unknown") {
        Some(r) => format!("jingyu {version} ({})", r.get(..12).unwrap_or(r)),
        None => format!("jingyu {version}"),
    }
}

/// The whole program: arguments and environment in, an exit code out.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // The release build aborts: no destructor runs, so remove the
        // temporary files here, leaving nothing half-written behind.
        jingyu_place::remove_temp_files();
        let _ = writeln!(
            std::io::stderr(),
            "jingyu: internal error: {info}; this is a bug, please report it"
        );
        std::process::exit(1);
    }));
    let argv = match plan::utf8_args(std::env::args_os().skip(1)) {
        Ok(argv) => argv,
        Err(e) => return fail(&Reporter::new(Level::Normal), &e),
    };
    if let Some(name) = argv
        .first()
        .filter(|a| ["install", "lock"].contains(&a.as_str()))
    {
        return subcommand(name, &argv[1..]);
    }
    let parsed = match args::parse(&argv) {
        Ok(parsed) => parsed,
        Err(early) => return early_exit(&early),
    };
    let env = |name: &str| std::env::var(name).ok();
    // eget answers -v before it reads its config; so does jingyu.
    let config = plan::check_env(std::env::vars_os()).and_then(|()| {
        if parsed.version {
            return Ok(config::Config::default());
        }
        config::load(&env, &|p| std::fs::read_to_string(p)).map(|(_, c)| c)
    });
    let config = match config {
        Ok(config) => config,
        Err(e) => {
            return fail(
                &Reporter::new(plan::level(&parsed, &env, &config::Config::default())),
                &e,
            )
        }
    };
    let rep = Reporter::new(plan::level(&parsed, &env, &config));
    for warning in &config.warnings {
        rep.warn(warning);
    }
    let is_file = |p: &str| Path::new(p).is_file();
    let outcome = plan::build(parsed, &env, &config, host(), &is_file)
        .and_then(|action| run::run(action, &rep));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&rep, &e),
    }
}

/// `jingyu install …` and `jingyu lock …`: many tools from a manifest.
fn subcommand(name: &str, rest: &[String]) -> ExitCode {
    use argh::FromArgs as _;
    let refs: Vec<&str> = rest.iter().map(String::as_str).collect();
    let command = format!("jingyu {name}");
    let env = |name: &str| std::env::var(name).ok();
    let is_file = |p: &str| Path::new(p).is_file();
    let world = many::World {
        env: &env,
        host: host(),
        is_file: &is_file,
    };
    let outcome = match name {
        "install" => many::InstallArgs::from_args(&[&command], &refs)
            .map(|a| plan::check_env(std::env::vars_os()).and_then(|()| many::install(&a, &world))),
        _ => many::LockArgs::from_args(&[&command], &refs)
            .map(|a| plan::check_env(std::env::vars_os()).and_then(|()| many::lock(&a, &world))),
    };
    match outcome {
        Err(early) => early_exit(&early),
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => fail(&Reporter::new(Level::Normal), &e),
    }
}

fn fail(rep: &Reporter, e: &error::Error) -> ExitCode {
    rep.error(&error::render(e));
    ExitCode::from(e.exit_code())
}

/// `--help` goes to stdout with exit 0; a parse error to stderr with exit 2.
fn early_exit(early: &argh::EarlyExit) -> ExitCode {
    let rep = Reporter::new(Level::Normal);
    if early.status.is_ok() {
        rep.text(&format!(
            "{}\n\n{}",
            early.output.trim_end(),
            error::exit_codes_help()
        ));
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

/// The host, with the ARM version of the running CPU (a v6 build of jingyu
/// may run on a v7 core), and whether it is musl-based (Alpine and friends): it
/// has musl's loader and no glibc loader (a glibc system with musl-tools has
/// both).
fn host() -> System {
    let mut host = System::host();
    if matches!(host.arch, Arch::Arm(_)) {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        if let Some(v) = System::arm_version_from_cpuinfo(&cpuinfo) {
            host.arch = Arch::Arm(v);
        }
    }
    let loaders: Vec<String> = ["/lib", "/lib64"]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let has = |prefix: &str| loaders.iter().any(|n| n.starts_with(prefix));
    if has("ld-musl-") && !has("ld-linux") {
        host.libc = Libc::Musl;
    }
    host
}

/// For the fuzz targets only: not an API.
#[doc(hidden)]
pub mod fuzzing {
    use jingyu_pick::System;

    /// Parses `text` as a manifest and as a lock file, and renders and
    /// re-reads the lock. Any error is fine; a panic, or a lock that does not
    /// read back as written, is not.
    pub fn manifest_and_lock(text: &str) {
        let path = std::path::Path::new("jingyu.toml");
        let _ = crate::manifest::parse(path, text, Some("/out/"));
        if let Ok(entries) = crate::lockfile::parse(path, text) {
            let again = crate::lockfile::render(&entries);
            let back = crate::lockfile::parse(path, &again).expect("a rendered lock reads back");
            assert_eq!(crate::lockfile::render(&back), again, "rendering is stable");
        }
    }

    /// Parses `argv` and plans with `env` as the whole environment and
    /// `config` as eget's config file, as `main` does, without running
    /// anything. Any outcome but a panic is fine.
    pub fn plan(argv: &[String], env: &[(String, String)], config: Option<&str>) {
        let Ok(parsed) = crate::args::parse(argv) else {
            return;
        };
        let lookup = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let path = std::path::Path::new("eget.toml");
        let Ok(config) = crate::config::parse(path, config.unwrap_or("")) else {
            return;
        };
        let _ = crate::plan::level(&parsed, &lookup, &config);
        let host = System::parse("linux/amd64").expect("a known platform");
        let _ = crate::plan::build(parsed, &lookup, &config, host, &|_| false);
    }
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn the_version_line_carries_the_revision_when_known() {
        assert_eq!(super::describe("0.2.0", None), "jingyu 0.2.0");
        assert_eq!(super::describe("0.2.0", Some("unknown")), "jingyu 0.2.0");
        assert_eq!(
            super::describe("0.2.0", Some("4a23077c1e2f3b4a5d6e7f8091a2b3c4d5e6f708")),
            "jingyu 0.2.0 (4a23077c1e2f)"
        );
    }
}

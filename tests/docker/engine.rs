//! Talking to the private Docker engine that `tests/run.sh` starts: builds
//! with BuildKit, the jingyu image built once from the static binary, and
//! reading a saved image back (files, entrypoint, labels).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// Debian's 20.10 client: the one that speaks to BuildKit without buildx.
const DOCKER: &str = "/usr/bin/docker";

/// Debian's Docker 20.10 engine (the oldest frontend the Dockerfiles promise),
/// or `None` (with a note) when the tests run without one locally. Under CI
/// the engine is required.
pub(crate) fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let env = std::env::var("DOCKER_HOST")
                .ok()
                .map(|host| vec![("DOCKER_HOST", host)]);
            Engine::new(DOCKER.into(), env, "DOCKER_HOST")
        })
        .as_ref()
}

/// Debian trixie's Docker 26.1 with buildx 0.13 (multi-platform builds, `ADD
/// --checksum`, the containerd image store), or `None` as for [`engine`].
pub(crate) fn current() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let var = |name: &str| std::env::var(name).ok();
            let env = var("DOCKER26_HOST").zip(var("DOCKER26_CONFIG"));
            let env =
                env.map(|(host, config)| vec![("DOCKER_HOST", host), ("DOCKER_CONFIG", config)]);
            let client = var("DOCKER26_CLIENT").unwrap_or_default();
            Engine::new(
                client.into(),
                env,
                "DOCKER26_HOST, DOCKER26_CLIENT, DOCKER26_CONFIG",
            )
        })
        .as_ref()
}

pub(crate) struct Engine {
    client: PathBuf,
    /// What the client needs to reach this engine.
    env: Vec<(&'static str, String)>,
    /// The repository root: the build context of the jingyu Dockerfile.
    pub(crate) root: PathBuf,
    /// The static binary, relative to `root`.
    pub(crate) binary: String,
    image: OnceLock<String>,
}

/// What a saved image holds.
pub(crate) struct Saved {
    /// Regular files in all layers, by path.
    pub(crate) files: BTreeMap<String, Vec<u8>>,
    pub(crate) config: Value,
    /// The whole `docker save` archive, for scanning.
    pub(crate) raw: Vec<u8>,
}

impl Engine {
    /// The engine `tests/run.sh` started, when `JINGYU_DOCKER` says it did;
    /// `None` with a note otherwise (never under CI).
    #[allow(clippy::print_stderr)]
    fn new(
        client: PathBuf,
        env: Option<Vec<(&'static str, String)>>,
        vars: &str,
    ) -> Option<Engine> {
        let bin = std::env::var_os("JINGYU_STATIC_BIN").map(PathBuf::from);
        let (Some(bin), Some(env), Some(_)) = (bin, env, std::env::var_os("JINGYU_DOCKER")) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs the image tests: use tests/run.sh, which starts the engines"
            );
            eprintln!("skipped: no engine (tests/run.sh sets JINGYU_DOCKER, {vars} and JINGYU_STATIC_BIN)");
            return None;
        };
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let binary = bin
            .strip_prefix(&root)
            .expect("JINGYU_STATIC_BIN lies inside the repository (the build context)")
            .display()
            .to_string();
        Some(Engine {
            client,
            env,
            root,
            binary,
            image: OnceLock::new(),
        })
    }

    /// Runs the docker client.
    pub(crate) fn docker(&self, args: &[&str]) -> Output {
        Command::new(&self.client)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("DOCKER_BUILDKIT", "1")
            .output()
            .expect("run docker")
    }

    /// Runs the docker client in `dir` with `vars` set (bake reads its
    /// variables from the environment).
    pub(crate) fn docker_in(&self, dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> Output {
        Command::new(&self.client)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .envs(vars.iter().copied())
            .current_dir(dir)
            .output()
            .expect("run docker")
    }

    /// `docker build` that must succeed; returns its output (BuildKit logs on stderr).
    #[track_caller]
    pub(crate) fn build(&self, args: &[&str]) -> String {
        let out = self.docker(&[&["build", "--progress=plain"], args].concat());
        let log = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "docker build {} failed:\n{log}",
            args.join(" ")
        );
        log
    }

    /// The jingyu image, built once from the static binary (`prebuilt`) and
    /// also tagged `jingyu`, the name the recipes use.
    pub(crate) fn jingyu(&self) -> &str {
        self.image.get_or_init(|| {
            let tag = "jingyu:test";
            let root = self.root.display().to_string();
            let binary = format!("BINARY={}", self.binary);
            self.build(&[
                "--target",
                "prebuilt",
                "--build-arg",
                &binary,
                "--build-arg",
                "VERSION=test",
                "--build-arg",
                "REVISION=abc123",
                "-t",
                tag,
                "-t",
                "jingyu:latest",
                &root,
            ]);
            tag.to_owned()
        })
    }

    /// `docker save` of `image`, unpacked.
    pub(crate) fn save(&self, image: &str, scratch: &Path) -> Saved {
        let file = scratch.join("saved.tar");
        let out = self.docker(&["save", image, "-o", &file.display().to_string()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let raw = fs::read(&file).unwrap();
        let outer = entries(&raw);
        let manifest: Value = serde_json::from_slice(&outer["manifest.json"]).unwrap();
        let config: Value =
            serde_json::from_slice(&outer[manifest[0]["Config"].as_str().unwrap()]).unwrap();
        let mut files = BTreeMap::new();
        for layer in manifest[0]["Layers"].as_array().unwrap() {
            files.extend(entries(&outer[layer.as_str().unwrap()]));
        }
        Saved { files, config, raw }
    }
}

/// Regular files of a tar, by path.
pub(crate) fn entries(tar_bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(tar_bytes);
    let mut out = BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.header().entry_type().is_file() {
            let path = entry.path().unwrap().display().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            out.insert(path, data);
        }
    }
    out
}

/// A build context holding one Dockerfile.
pub(crate) fn context(scratch: &Path, dockerfile: &str) -> String {
    fs::create_dir_all(scratch).unwrap();
    fs::write(scratch.join("Dockerfile"), dockerfile).unwrap();
    scratch.display().to_string()
}

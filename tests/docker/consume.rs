//! The three ways a Dockerfile uses jingyu, against the fake GitHub: as a
//! stage (`FROM jingyu AS fetch` + exec-form RUN), by `COPY --from`, and by
//! `RUN --mount=type=bind,from=jingyu`; the target platform's asset without
//! emulation; a cache mount; a token from a secret that no layer keeps.

use std::fs;

use jingyu_fake::{FakeGitHub, Host, Release};

use crate::archives::{gzip, tar};
use crate::engine::{context, engine, entries};
use crate::scratch;

/// `o/tool` v1 with an amd64 and an arm64 build of `tool`.
fn fake() -> FakeGitHub {
    let gh = FakeGitHub::start();
    let release = Release::new("v1")
        .asset(
            "tool-v1-linux-amd64.tar.gz",
            gzip(&tar(&[("tool", 0o755, b"#!/bin/sh\necho amd64\n")])),
        )
        .asset(
            "tool-v1-linux-arm64.tar.gz",
            gzip(&tar(&[("tool", 0o755, b"#!/bin/sh\necho arm64\n")])),
        );
    gh.release("o/tool", release);
    gh
}

/// Builds `dockerfile` and returns the files of the resulting image.
fn build_files(
    name: &str,
    dockerfile: &str,
    extra: &[&str],
) -> (std::collections::BTreeMap<String, Vec<u8>>, String) {
    let engine = engine().expect("checked by the caller");
    let dir = scratch(name);
    let ctx = context(&dir.join("ctx"), dockerfile);
    let out = dir.join("out.tar");
    let dest = format!("type=tar,dest={}", out.display());
    let log = engine.build(&[&["--network=host", "-o", &dest], extra, &[&ctx]].concat());
    (entries(&fs::read(out).unwrap()), log)
}

#[test]
fn as_a_stage_with_exec_form_run() {
    let Some(engine) = engine() else { return };
    let gh = fake();
    let dockerfile = format!(
        "FROM {img} AS fetch\nARG JINGYU_TAG=v1\nENV GITHUB_API_URL={api}\nRUN [\"jingyu\", \"o/tool\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/tool /usr/local/bin/tool\n",
        img = engine.jingyu(),
        api = gh.api_url()
    );
    let (files, _) = build_files("stage", &dockerfile, &[]);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["usr/local/bin/tool"]);
    assert_eq!(files["usr/local/bin/tool"], b"#!/bin/sh\necho amd64\n");
}

#[test]
fn by_copy_from() {
    let Some(engine) = engine() else { return };
    let gh = fake();
    let dockerfile = format!(
        "FROM scratch AS fetch\nCOPY --from={img} /usr/local/bin/jingyu /jingyu\nENV GITHUB_API_URL={api}\nRUN [\"/jingyu\", \"o/tool\", \"--tag\", \"v1\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/tool /tool\n",
        img = engine.jingyu(),
        api = gh.api_url()
    );
    let (files, _) = build_files("copy", &dockerfile, &[]);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["tool"]);
}

#[test]
fn by_bind_mount_into_another_stage() {
    let Some(engine) = engine() else { return };
    let gh = fake();
    let dockerfile = format!(
        "FROM scratch\nENV GITHUB_API_URL={api}\nRUN --mount=type=bind,from={img},source=/usr/local/bin/jingyu,target=/usr/local/bin/jingyu [\"jingyu\", \"o/tool\", \"--to\", \"/usr/local/bin/\"]\n",
        img = engine.jingyu(),
        api = gh.api_url()
    );
    let (files, _) = build_files("bind", &dockerfile, &[]);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["usr/local/bin/tool"],
        "the mounted jingyu is not left in the image"
    );
}

#[test]
fn another_platform_gets_its_asset_without_emulation() {
    let Some(engine) = engine() else { return };
    let gh = fake();
    let dockerfile = format!(
        "FROM --platform=$BUILDPLATFORM {img} AS fetch\nARG TARGETPLATFORM\nENV GITHUB_API_URL={api}\nRUN [\"jingyu\", \"o/tool\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/tool /tool\n",
        img = engine.jingyu(),
        api = gh.api_url()
    );
    let (files, log) = build_files("arm64", &dockerfile, &["--platform", "linux/arm64"]);
    assert_eq!(files["tool"], b"#!/bin/sh\necho arm64\n");
    assert!(
        log.contains("for linux/arm64 (platform from TARGETPLATFORM=linux/arm64"),
        "{log}"
    );
}

#[test]
fn a_cache_mount_makes_the_rebuild_download_nothing() {
    let Some(engine) = engine() else { return };
    let gh = fake();
    let dockerfile = format!(
        "FROM {img} AS fetch\nENV GITHUB_API_URL={api}\nENV JINGYU_CACHE_DIR=/cache\nARG REBUILD\nRUN --mount=type=cache,target=/cache,id=jingyu-test-{pid} [\"jingyu\", \"o/tool\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/tool /tool\n",
        img = engine.jingyu(),
        api = gh.api_url(),
        pid = std::process::id()
    );
    // A changed build arg re-runs the step, as a real rebuild does; the cache
    // mount persists across builds (`--no-cache` would give a fresh one).
    build_files("cache1", &dockerfile, &["--build-arg", "REBUILD=1"]);
    assert_eq!(gh.count(Host::Assets), 1);
    let (files, log) = build_files("cache2", &dockerfile, &["--build-arg", "REBUILD=2"]);
    assert_eq!(
        gh.count(Host::Assets),
        1,
        "the second build downloaded nothing"
    );
    assert!(log.contains("from the cache"), "{log}");
    assert_eq!(files["tool"], b"#!/bin/sh\necho amd64\n");
}

#[test]
fn a_secret_token_reaches_the_api_and_no_layer() {
    let Some(engine) = engine() else { return };
    let secret = "ghp_docker_secret_0123456789";
    let gh = fake();
    gh.private("o/tool", secret);
    let dir = scratch("secret");
    fs::write(dir.join("token"), secret).unwrap();
    let dockerfile = format!(
        "FROM {img} AS fetch\nENV GITHUB_API_URL={api}\nRUN --mount=type=secret,id=github_token [\"jingyu\", \"o/tool\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/tool /tool\n",
        img = engine.jingyu(),
        api = gh.api_url()
    );
    let ctx = context(&dir.join("ctx"), &dockerfile);
    let src = format!("id=github_token,src={}", dir.join("token").display());
    let tag = format!("jingyu-secret-test:{}", std::process::id());
    let log = engine.build(&[
        "--network=host",
        "--secret",
        &src,
        "--target",
        "fetch",
        "-t",
        &tag,
        &ctx,
    ]);
    assert!(!log.contains(secret), "the build log shows the token");
    let api_auth: Vec<_> = gh
        .requests()
        .into_iter()
        .filter(|r| r.host == Host::Api)
        .map(|r| r.header("authorization").map(str::to_owned))
        .collect();
    assert!(
        !api_auth.is_empty()
            && api_auth
                .iter()
                .all(|a| a.as_deref() == Some(&format!("Bearer {secret}"))),
        "{api_auth:?}"
    );
    assert!(gh
        .requests()
        .iter()
        .filter(|r| r.host == Host::Assets)
        .all(|r| r.header("authorization").is_none()));
    let saved = engine.save(&tag, &dir);
    assert!(
        !saved
            .raw
            .windows(secret.len())
            .any(|w| w == secret.as_bytes()),
        "a layer or the config holds the token"
    );
    assert!(saved.files.contains_key("out/tool"));
}

#[test]
fn a_locked_manifest_installs_for_another_platform_with_no_api_request() {
    let Some(engine) = engine() else { return };
    let gh = fake();
    let dockerfile = format!(
        "FROM --platform=$BUILDPLATFORM {img} AS fetch\nARG TARGETPLATFORM\nCOPY jingyu.toml jingyu.lock /src/\nRUN [\"jingyu\", \"install\", \"--locked\", \"-f\", \"/src/jingyu.toml\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/ /usr/local/bin/\n",
        img = engine.jingyu()
    );
    let dir = scratch("locked");
    let ctx = context(&dir.join("ctx"), &dockerfile);
    let manifest = "[defaults]\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\n\n[tools.\"o/tool\"]\ntag = \"v1\"\n";
    fs::write(dir.join("ctx/jingyu.toml"), manifest).unwrap();
    let lock = std::process::Command::new(env!("CARGO_BIN_EXE_jingyu"))
        .arg("lock")
        .current_dir(dir.join("ctx"))
        .env("GITHUB_API_URL", gh.api_url())
        .output()
        .unwrap();
    assert!(
        lock.status.success(),
        "{}",
        String::from_utf8_lossy(&lock.stderr)
    );
    let before = gh.count(Host::Api);
    let out = dir.join("out.tar");
    let dest = format!("type=tar,dest={}", out.display());
    engine.build(&[
        "--network=host",
        "--platform",
        "linux/arm64",
        "-o",
        &dest,
        &ctx,
    ]);
    let files = entries(&fs::read(out).unwrap());
    assert_eq!(files["usr/local/bin/tool"], b"#!/bin/sh\necho arm64\n");
    assert_eq!(gh.count(Host::Api), before, "a locked install asks no API");
}

//! Cross builds in Docker 26.1 with buildx (trixie's engine): one stage on the
//! build platform fetches every platform in one run, final stages built for
//! two platforms copy their own branch; the `ADD --checksum` lines `jingyu
//! lock --format dockerfile` writes build, and fail on a wrong hash; and which
//! `RUN --mount=type=bind,from=…` pattern runs the build platform's jingyu
//! from a multi-platform jingyu image.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use jingyu_fake::{FakeGitHub, Host, Release};

use crate::archives::{elf_for, gzip, tar, zip};
use crate::engine::{context, current, Engine};
use crate::scratch;

const AMD64: u16 = 62;
pub(crate) const AARCH64: u16 = 183;

/// The program `name` for `arch`: an ELF header for that CPU, then its name.
fn program(name: &str, arch: &str) -> Vec<u8> {
    let machine = if arch == "amd64" { AMD64 } else { AARCH64 };
    elf_for(machine, &format!("{name} {arch}\n"))
}

/// Three tools released as a tar.gz, a zip and bare executables, each for
/// linux/amd64 and linux/arm64; also returns every asset's bytes by name.
fn fake() -> (FakeGitHub, BTreeMap<String, Vec<u8>>) {
    let gh = FakeGitHub::start();
    let mut assets = BTreeMap::new();
    for (repo, name) in [("o/tgz", "tgz"), ("o/zipped", "zipped"), ("o/raw", "raw")] {
        let mut release = Release::new("v1");
        for arch in ["amd64", "arm64"] {
            let bin = program(name, arch);
            let (asset, bytes) = match name {
                "tgz" => (
                    format!("tgz-v1-linux-{arch}.tar.gz"),
                    gzip(&tar(&[("tgz", 0o755, &bin)])),
                ),
                "zipped" => (
                    format!("zipped-v1-linux-{arch}.zip"),
                    zip(&[("zipped", 0o755, &bin)]),
                ),
                _ => (format!("raw-linux-{arch}"), bin),
            };
            release = release.asset(&asset, bytes.clone());
            assets.insert(asset, bytes);
        }
        gh.release(repo, release);
    }
    (gh, assets)
}

const MANIFEST: &str = "[defaults]\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\n\n[tools.\"o/tgz\"]\ntag = \"v1\"\n\n[tools.\"o/zipped\"]\ntag = \"v1\"\n\n[tools.\"o/raw\"]\ntag = \"v1\"\n";

/// Runs the host's jingyu in `dir` against the fake; returns its stdout.
#[track_caller]
fn jingyu(gh: &FakeGitHub, dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jingyu"))
        .args(args)
        .current_dir(dir)
        .env("GITHUB_API_URL", gh.api_url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Builds `ctx` with `args` into a local directory; returns the build's
/// success, its log and every regular file under the output, by path.
fn build_local(
    engine: &Engine,
    dir: &Path,
    ctx: &str,
    args: &[&str],
) -> (bool, String, BTreeMap<String, Vec<u8>>) {
    let out = dir.join("out");
    let dest = format!("type=local,dest={}", out.display());
    let result =
        engine.docker(&[&["build", "--progress=plain", "-o", &dest], args, &[ctx]].concat());
    let log = String::from_utf8_lossy(&result.stderr).into_owned();
    let mut files = BTreeMap::new();
    collect(&out, &out, &mut files);
    (result.status.success(), log, files)
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.map(Result::unwrap) {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            files.insert(rel, fs::read(&path).unwrap());
        }
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn one_build_platform_stage_fetches_three_tools_for_two_platforms() {
    let Some(engine) = current() else { return };
    let (gh, _) = fake();
    let dockerfile = format!(
        "FROM --platform=$BUILDPLATFORM {img} AS fetch\nENV GITHUB_API_URL={api}\nCOPY jingyu.toml /src/\nRUN [\"jingyu\", \"install\", \"-f\", \"/src/jingyu.toml\", \"--system\", \"linux/amd64,linux/arm64\", \"--to\", \"/out/{{platform}}/\", \"--sbom\", \"/out/sbom.spdx.json\"]\n\nFROM scratch\nARG TARGETPLATFORM\nCOPY --from=fetch /out/${{TARGETPLATFORM}}/ /usr/local/bin/\n",
        img = engine.jingyu(),
        api = gh.api_url()
    );
    let dir = scratch("three-tools");
    let ctx = context(&dir.join("ctx"), &dockerfile);
    fs::write(dir.join("ctx/jingyu.toml"), MANIFEST).unwrap();
    let both = ["--network=host", "--platform", "linux/amd64,linux/arm64"];
    let (ok, log, files) = build_local(engine, &dir, &ctx, &both);
    assert!(ok, "{log}");
    let mut want = BTreeMap::new();
    for arch in ["amd64", "arm64"] {
        for name in ["tgz", "zipped", "raw"] {
            want.insert(
                format!("linux_{arch}/usr/local/bin/{name}"),
                program(name, arch),
            );
        }
    }
    assert_eq!(
        files, want,
        "each platform's image holds its own three programs, nothing else"
    );
    let downloads: Vec<String> = gh
        .requests()
        .into_iter()
        .filter(|r| r.host == Host::Assets)
        .map(|r| r.path)
        .collect();
    assert_eq!(
        downloads.len(),
        6,
        "the fetch stage ran once for both platforms, one download per asset: {downloads:?}"
    );

    // The fetch stage alone (from the build cache: nothing downloaded again)
    // holds both branches and the SBOM, which a real SPDX validator accepts.
    let fetch_dir = scratch("three-tools-fetch");
    let (ok, log, files) = build_local(
        engine,
        &fetch_dir,
        &ctx,
        &["--network=host", "--target", "fetch"],
    );
    assert!(ok, "{log}");
    assert!(
        files.contains_key("out/linux/arm64/zipped") && files.contains_key("out/linux/amd64/raw"),
        "{:?}",
        files.keys()
    );
    assert_eq!(mode(&fetch_dir.join("out/out/linux/arm64/raw")), 0o755);
    let sbom = String::from_utf8(files["out/sbom.spdx.json"].clone()).unwrap();
    for name in ["o/tgz", "o/zipped", "o/raw"] {
        assert!(
            sbom.contains(&format!("\"{name}")),
            "{name} is not in the SBOM: {sbom}"
        );
    }
    crate::spdx::valid(&fetch_dir.join("out/out/sbom.spdx.json"));
    assert_eq!(
        gh.count(Host::Assets),
        6,
        "the fetch stage came from the build cache"
    );
}

/// The lines of one platform's group in `jingyu lock --format dockerfile`.
fn group<'a>(pins: &'a str, platform: &str) -> &'a str {
    let start = pins
        .find(&format!("\n# {platform}\n"))
        .unwrap_or_else(|| panic!("no {platform} group: {pins}"));
    let rest = &pins[start + 1..];
    rest.find("\n\n").map_or(rest, |end| &rest[..end])
}

#[test]
fn the_add_checksum_lines_build_and_a_wrong_hash_fails() {
    let Some(engine) = current() else { return };
    let (gh, assets) = fake();
    let dir = scratch("add-checksum");
    let manifest = MANIFEST.replace(
        "[tools.\"o/raw\"]\ntag = \"v1\"\n",
        "[tools.\"o/raw\"]\ntag = \"v1\"\nname = \"r\"\n",
    );
    fs::write(dir.join("jingyu.toml"), manifest).unwrap();
    let pins = jingyu(&gh, &dir, &["lock", "--format", "dockerfile"]);
    let dockerfile = format!(
        "FROM scratch AS amd64\n{}\n\nFROM scratch AS arm64\n{}\n",
        group(&pins, "linux/amd64"),
        group(&pins, "linux/arm64")
    );
    // ADD fetches from the engine itself, which reaches the host's loopback.
    let ctx = context(&dir.join("ctx"), &dockerfile);
    let (ok, log, files) = build_local(engine, &dir, &ctx, &["--target", "arm64"]);
    assert!(ok, "{dockerfile}\n{log}");
    let want = BTreeMap::from([
        (
            "tmp/tgz-v1-linux-arm64.tar.gz".to_owned(),
            assets["tgz-v1-linux-arm64.tar.gz"].clone(),
        ),
        (
            "tmp/zipped-v1-linux-arm64.zip".to_owned(),
            assets["zipped-v1-linux-arm64.zip"].clone(),
        ),
        (
            "usr/local/bin/r".to_owned(),
            assets["raw-linux-arm64"].clone(),
        ),
    ]);
    assert_eq!(files, want, "{dockerfile}");
    assert_eq!(
        mode(&dir.join("out/usr/local/bin/r")),
        0o755,
        "a bare executable is added executable"
    );

    // The arm64 executable's line with the amd64 one's hash: BuildKit refuses it.
    let hash = |asset: &str| jingyu_fake::sha256_hex(&assets[asset]);
    let wrong = dockerfile.replace(&hash("raw-linux-arm64"), &hash("raw-linux-amd64"));
    assert_ne!(wrong, dockerfile);
    let bad = scratch("add-checksum-wrong");
    let ctx = context(&bad.join("ctx"), &wrong);
    let (ok, log, files) = build_local(engine, &bad, &ctx, &["--target", "arm64"]);
    assert!(!ok, "a wrong checksum built: {log}");
    assert!(
        log.contains("digest mismatch") || log.contains("checksum"),
        "{log}"
    );
    assert!(files.is_empty(), "a failed build exports nothing");
}

/// A two-platform jingyu image as a release publishes it: the repository's
/// `prebuilt-cross` around the real static binary for linux/amd64 and, for
/// linux/arm64, an aarch64 executable header.
fn multi_platform_jingyu(engine: &Engine) -> &'static str {
    static IMAGE: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    IMAGE.get_or_init(|| {
        let arm64 = elf_for(AARCH64, "jingyu for arm64");
        let tag = "jingyu-mp:test";
        crate::release::build_prebuilt_cross(engine, "jingyu-mp", &arm64, |_| {
            vec!["-t".to_owned(), tag.to_owned()]
        });
        tag
    })
}

/// Builds `fetch` (a Dockerfile that leaves `/out/tgz` in a stage `fetch`)
/// for linux/arm64 on this amd64 builder; returns success, log and `tgz`.
fn cross_build(engine: &Engine, name: &str, fetch: &str) -> (bool, String, Option<Vec<u8>>) {
    let dir = scratch(name);
    let ctx = context(
        &dir.join("ctx"),
        &format!("{fetch}\nFROM scratch\nCOPY --from=fetch /out/tgz /tgz\n"),
    );
    let (ok, log, mut files) = build_local(
        engine,
        &dir,
        &ctx,
        &["--network=host", "--platform", "linux/arm64"],
    );
    (ok, log, files.remove("tgz"))
}

#[test]
fn a_bind_mount_runs_the_build_platforms_jingyu_only_from_a_build_platform_stage() {
    let Some(engine) = current() else { return };
    let (gh, _) = fake();
    let img = multi_platform_jingyu(engine);
    let api = gh.api_url();
    let run = |from: &str| {
        format!("ENV GITHUB_API_URL={api}\nRUN --mount=type=bind,from={from},source=/usr/local/bin/jingyu,target=/usr/local/bin/jingyu [\"jingyu\", \"o/tgz\", \"--to\", \"/out/\"]\n")
    };

    // What fails: the image named in the mount, or as the stage's base, is
    // resolved for the target platform, so the arm64 binary is what runs.
    let direct = format!(
        "FROM --platform=$BUILDPLATFORM scratch AS fetch\nARG TARGETPLATFORM\n{}",
        run(img)
    );
    let based = format!("FROM {img} AS fetch\nARG TARGETPLATFORM\nENV GITHUB_API_URL={api}\nRUN [\"jingyu\", \"o/tgz\", \"--to\", \"/out/\"]\n");
    for (name, fetch) in [("mount-direct", &direct), ("mount-based", &based)] {
        let (ok, log, _) = cross_build(engine, name, fetch);
        assert!(
            !ok && log.contains("exec format error"),
            "{name}: {fetch}\n{log}"
        );
    }

    // What works: a stage pinned to the build platform, mounted by its name.
    let named = format!("FROM --platform=$BUILDPLATFORM {img} AS jingyu\n\nFROM --platform=$BUILDPLATFORM scratch AS fetch\nARG TARGETPLATFORM\n{}", run("jingyu"));
    let (ok, log, tgz) = cross_build(engine, "mount-named", &named);
    assert!(ok, "{named}\n{log}");
    assert_eq!(
        tgz.unwrap(),
        program("tgz", "arm64"),
        "the target platform's build"
    );
    assert!(
        log.contains("for linux/arm64 (platform from TARGETPLATFORM=linux/arm64"),
        "{log}"
    );

    // And why the stage must declare `ARG TARGETPLATFORM`: without it the
    // variable never reaches jingyu, which fetches for the builder instead.
    let undeclared = named.replace("ARG TARGETPLATFORM\n", "");
    let (ok, log, tgz) = cross_build(engine, "mount-undeclared", &undeclared);
    assert!(ok, "{log}");
    assert_eq!(
        tgz.unwrap(),
        program("tgz", "amd64"),
        "the builder's platform, not the target's"
    );
}

#[test]
fn real_bake_reads_the_pins_file() {
    let Some(engine) = current() else { return };
    let (gh, assets) = fake();
    let dir = scratch("bake-pins");
    fs::write(dir.join("jingyu.toml"), MANIFEST).unwrap();
    fs::write(
        dir.join("pins.hcl"),
        jingyu(&gh, &dir, &["lock", "--format", "bake"]),
    )
    .unwrap();
    // A bake file that pins by the variables, with a default the pins override.
    let bake = "variable \"TGZ_VERSION\" {\n  default = \"unpinned\"\n}\n\ntarget \"default\" {\n  args = {\n    TGZ_VERSION = TGZ_VERSION\n    TGZ_SHA256  = TGZ_SHA256_LINUX_ARM64\n    RAW_URL     = RAW_URL_LINUX_AMD64\n  }\n}\n";
    fs::write(dir.join("docker-bake.hcl"), bake).unwrap();
    let (bake_file, pins) = (dir.join("docker-bake.hcl"), dir.join("pins.hcl"));
    let out = engine.docker(&[
        "buildx",
        "bake",
        "-f",
        &bake_file.display().to_string(),
        "-f",
        &pins.display().to_string(),
        "--print",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let args = &printed["target"]["default"]["args"];
    assert_eq!(args["TGZ_VERSION"], "v1", "{printed}");
    assert_eq!(
        args["TGZ_SHA256"],
        jingyu_fake::sha256_hex(&assets["tgz-v1-linux-arm64.tar.gz"]).as_str(),
        "{printed}"
    );
    assert_eq!(
        args["RAW_URL"],
        gh.asset_url("o/raw", "v1", "raw-linux-amd64").as_str(),
        "{printed}"
    );
}

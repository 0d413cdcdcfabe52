//! What the release workflow relies on, on Docker 26 with buildx 0.13: the
//! real `docker buildx bake --print release` resolves every target with the
//! variables the workflow sets, docker/metadata-action's bake file replaces
//! the image's tags, and `--set image-*.output=type=registry` leaves the
//! binaries a local export; the `prebuilt-cross` image, built for two
//! platforms from binary-cross's layout, is one manifest list whose images
//! carry the OCI labels and exactly one file each. Pushing, attestations and
//! the xx stages need a registry and the network, so they do not run here.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::archives::elf_for;
use crate::cross::AARCH64;
use crate::engine::{current, entries, Engine};
use crate::scratch;

/// `docker buildx bake --print` of the repository's bake file (and `extra`
/// files), with the variables the release sets.
fn print(engine: &Engine, extra: &[&Path], args: &[&str]) -> Value {
    let root = engine.root.display().to_string();
    let mut command = vec!["buildx", "bake", "--print"];
    let files: Vec<String> = std::iter::once(format!("{root}/docker-bake.hcl"))
        .chain(extra.iter().map(|p| p.display().to_string()))
        .collect();
    for f in &files {
        command.extend(["-f", f.as_str()]);
    }
    command.extend(args);
    let vars = [
        ("TAG", "0.2.0"),
        ("REVISION", "4a23077c1e2f"),
        ("IMAGE", "ghcr.io/o/jingyu"),
    ];
    let out = engine.docker_in(&engine.root, &vars, &command);
    assert!(
        out.status.success(),
        "bake --print {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn real_bake_resolves_the_release_as_the_workflow_runs_it() {
    let Some(engine) = current() else { return };
    let printed = print(engine, &[], &["release"]);
    let targets = printed["target"].as_object().expect("targets");
    let tools: Vec<&String> = targets
        .keys()
        .filter(|k| k.starts_with("image-") && *k != "image-cross")
        .collect();
    assert!(
        tools.len() >= 10,
        "{:?}",
        targets.keys().collect::<Vec<_>>()
    );
    let cross = &targets["image-cross"];
    assert_eq!(strings(&cross["tags"]), ["ghcr.io/o/jingyu:0.2.0"]);
    assert!(strings(&cross["platforms"]).len() >= 8, "{cross}");
    let attest = strings(&cross["attest"]).join(" ");
    assert!(
        attest.contains("type=provenance")
            && attest.contains("mode=max")
            && attest.contains("type=sbom"),
        "{attest}"
    );
    for name in ["image-cross", "binary-cross"] {
        let args = &targets[name]["args"];
        assert_eq!(
            (args["VERSION"].as_str(), args["REVISION"].as_str()),
            (Some("0.2.0"), Some("4a23077c1e2f")),
            "{name}"
        );
    }
    assert_eq!(
        strings(&targets["binary-cross"]["output"]),
        ["type=local,dest=./bin/cross"]
    );
    assert_eq!(
        strings(&targets["image-just"]["tags"]),
        ["ghcr.io/o/jingyu-just:1.42.4"]
    );

    // docker/metadata-action's file (bake-target: meta-helper) and the workflow's --set.
    let dir = scratch("release-bake");
    let meta = dir.join("meta.json");
    let labels = r#"{"org.opencontainers.image.created": "2026-12-02T00:00:00Z"}"#;
    fs::write(
        &meta,
        format!(r#"{{"target": {{"meta-helper": {{"tags": ["ghcr.io/o/jingyu:0.2.0", "ghcr.io/o/jingyu:0.2"], "labels": {labels}}}}}}}"#),
    )
    .unwrap();
    let printed = print(
        engine,
        &[&meta],
        &["release", "--set", "image-*.output=type=registry"],
    );
    let targets = &printed["target"];
    assert_eq!(
        strings(&targets["image-cross"]["tags"]),
        ["ghcr.io/o/jingyu:0.2.0", "ghcr.io/o/jingyu:0.2"]
    );
    assert_eq!(
        targets["image-cross"]["labels"]["org.opencontainers.image.created"],
        "2026-12-02T00:00:00Z"
    );
    assert_eq!(
        strings(&targets["image-cross"]["output"]),
        ["type=registry"]
    );
    assert_eq!(strings(&targets["image-just"]["output"]), ["type=registry"]);
    assert_eq!(
        strings(&targets["binary-cross"]["output"]),
        ["type=local,dest=./bin/cross"],
        "the binaries stay local"
    );
}

/// The files of an OCI layout tar, by path.
fn blob<'a>(oci: &'a BTreeMap<String, Vec<u8>>, digest: &str) -> &'a [u8] {
    &oci[&format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"))]
}

/// A layer as a tar (BuildKit may gzip it whatever `compression=` says).
fn unzipped(layer: &[u8]) -> Vec<u8> {
    if !layer.starts_with(&[0x1f, 0x8b]) {
        return layer.to_vec();
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(layer), &mut out).unwrap();
    out
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// A build context for the repository's `prebuilt-cross`: its Dockerfile and
/// binary-cross's layout, the real static binary for linux/amd64 and `arm64`
/// (an executable header: an amd64 builder without emulation runs neither)
/// for linux/arm64.
pub(crate) fn prebuilt_cross_context(
    name: &str,
    engine: &Engine,
    arm64: &[u8],
) -> std::path::PathBuf {
    let dir = scratch(name);
    fs::copy(engine.root.join("Dockerfile"), dir.join("Dockerfile")).unwrap();
    let amd64 = fs::read(engine.root.join(&engine.binary)).unwrap();
    for (platform, bytes) in [("linux_amd64", &amd64[..]), ("linux_arm64", arm64)] {
        fs::create_dir_all(dir.join("bin/cross").join(platform)).unwrap();
        fs::write(dir.join("bin/cross").join(platform).join("jingyu"), bytes).unwrap();
    }
    dir
}

/// Builds the repository's `prebuilt-cross` for linux/amd64 and linux/arm64
/// in a context made by [`prebuilt_cross_context`], with `extra` arguments
/// (given the context directory); returns that directory.
pub(crate) fn build_prebuilt_cross(
    engine: &Engine,
    name: &str,
    arm64: &[u8],
    extra: impl Fn(&Path) -> Vec<String>,
) -> std::path::PathBuf {
    let dir = prebuilt_cross_context(name, engine, arm64);
    let ctx = dir.display().to_string();
    let extra = extra(&dir);
    let mut args = vec![
        "--target",
        "prebuilt-cross",
        "--platform",
        "linux/amd64,linux/arm64",
    ];
    args.extend(extra.iter().map(String::as_str));
    args.push(&ctx);
    engine.build(&args);
    dir
}

#[test]
fn prebuilt_cross_is_one_manifest_list_of_one_file_images() {
    let Some(engine) = current() else { return };
    let amd64 = fs::read(engine.root.join(&engine.binary)).unwrap();
    let arm64 = elf_for(AARCH64, "jingyu for arm64");
    let dir = build_prebuilt_cross(engine, "prebuilt-cross", &arm64, |dir| {
        [
            "--build-arg",
            "VERSION=0.2.0",
            "--build-arg",
            "REVISION=4a23077c1e2f",
            "-o",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain([format!("type=oci,dest={}", dir.join("image.tar").display())])
        .collect()
    });
    let out = dir.join("image.tar");
    let oci = entries(&fs::read(out).unwrap());
    let index = json(&oci["index.json"]);
    let list = &index["manifests"][0];
    assert_eq!(
        list["mediaType"], "application/vnd.oci.image.index.v1+json",
        "{index}"
    );
    let list = json(blob(&oci, list["digest"].as_str().unwrap()));
    let mut seen = Vec::new();
    for m in list["manifests"].as_array().unwrap() {
        let arch = m["platform"]["architecture"].as_str().unwrap().to_owned();
        if arch == "unknown" {
            // BuildKit's provenance attestation, beside the images.
            continue;
        }
        let manifest = json(blob(&oci, m["digest"].as_str().unwrap()));
        let config = json(blob(&oci, manifest["config"]["digest"].as_str().unwrap()));
        let labels = &config["config"]["Labels"];
        assert_eq!(
            labels["org.opencontainers.image.version"], "0.2.0",
            "{arch}"
        );
        assert_eq!(
            labels["org.opencontainers.image.revision"], "4a23077c1e2f",
            "{arch}"
        );
        assert_eq!(labels["org.opencontainers.image.title"], "jingyu", "{arch}");
        assert_eq!(
            config["config"]["Entrypoint"][0], "/usr/local/bin/jingyu",
            "{arch}"
        );
        let mut files = BTreeMap::new();
        for layer in manifest["layers"].as_array().unwrap() {
            files.extend(entries(&unzipped(blob(
                &oci,
                layer["digest"].as_str().unwrap(),
            ))));
        }
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["usr/local/bin/jingyu"],
            "{arch}"
        );
        let want = if arch == "amd64" { &amd64 } else { &arm64 };
        assert!(
            files["usr/local/bin/jingyu"] == *want,
            "{arch}: another platform's binary"
        );
        seen.push(arch);
    }
    seen.sort();
    assert_eq!(seen, ["amd64", "arm64"]);
}

//! The files the release workflow attaches (`.github/scripts/release-assets.py`
//! over binary-cross's layout): one binary per platform under its release
//! name, a `SHA256SUMS` that `sha256sum -c` accepts, and an SPDX document that
//! spdx-tools accepts, naming every linked crate and no build-only one.

use std::fs;
use std::process::Command;

use jingyu_fake::sha256_hex;

use crate::harness::Scratch;

#[test]
fn release_assets_are_named_summed_and_described() {
    let dir = Scratch::new();
    let cross = dir.0.join("bin/cross");
    for (platform, bytes) in [
        ("linux_amd64", "amd64 bytes"),
        ("linux_arm_v7", "armv7 bytes"),
    ] {
        fs::create_dir_all(cross.join(platform)).unwrap();
        fs::write(cross.join(platform).join("jingyu"), bytes).unwrap();
    }
    let dist = dir.0.join("dist");
    let out = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/.github/scripts/release-assets.py"
        ))
        .args(["0.2.0".as_ref(), cross.as_os_str(), dist.as_os_str()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1764633600")
        .env("GITHUB_REPOSITORY", "o/jingyu")
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = fs::read_dir(&dist)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            "jingyu-0.2.0-linux-amd64",
            "jingyu-0.2.0-linux-arm-v7",
            "jingyu-0.2.0.spdx.json"
        ]
    );
    let sums = fs::read_to_string(dist.join("SHA256SUMS")).unwrap();
    assert_eq!(
        sums,
        format!(
            "{}  jingyu-0.2.0-linux-amd64\n{}  jingyu-0.2.0-linux-arm-v7\n",
            sha256_hex(b"amd64 bytes"),
            sha256_hex(b"armv7 bytes")
        )
    );
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let sbom_path = dist.join("jingyu-0.2.0.spdx.json");
    crate::spdx::valid(&sbom_path);
    let sbom: serde_json::Value = serde_json::from_slice(&fs::read(&sbom_path).unwrap()).unwrap();
    assert_eq!(sbom["creationInfo"]["created"], "2025-12-02T00:00:00Z");
    let purls: Vec<&str> = sbom["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["externalRefs"][0]["referenceLocator"].as_str())
        .collect();
    for linked in ["ureq", "rustls", "flate2", "zip", "argh", "serde_json"] {
        assert!(
            purls
                .iter()
                .any(|p| p.starts_with(&format!("pkg:cargo/{linked}@"))),
            "{linked}: {purls:?}"
        );
    }
    for build_only in ["syn", "quote", "hcl-rs", "jingyu-fake"] {
        assert!(
            !purls
                .iter()
                .any(|p| p.starts_with(&format!("pkg:cargo/{build_only}@"))),
            "{build_only} is not in the binary"
        );
    }
    assert_eq!(
        sbom["packages"][0]["downloadLocation"],
        "https://github.com/o/jingyu/releases/tag/v0.2.0"
    );
}

//! One test per rule that needs more than a word to explain: project names,
//! format order, OS-less assets and spellings that depend on context.

use super::*;

#[test]
fn project_name_then_fewest_unexplained_words() {
    let pick_for = |names: &[&str], project: &str| {
        choose(
            names,
            &Request {
                system: Some(System::parse("linux/amd64").unwrap()),
                filters: &[],
                project: Some(project),
            },
        )
        .map(|c| c.name)
    };
    // the tool named like the repository, over its siblings
    let kubectx = [
        "kubens_v0.9.5_linux_x86_64.tar.gz",
        "kubectx_v0.9.5_linux_x86_64.tar.gz",
    ];
    assert_eq!(
        pick_for(&kubectx, "kubectx").unwrap(),
        "kubectx_v0.9.5_linux_x86_64.tar.gz"
    );
    assert!(matches!(
        pick_for(&kubectx, "other"),
        Err(PickError::Ambiguous { .. })
    ));
    // holding the name beats lacking it: `cri-containerd` is still containerd's
    assert_eq!(
        pick_for(
            &[
                "runc-linux-amd64.tar.gz",
                "cri-containerd-linux-amd64.tar.gz"
            ],
            "containerd"
        )
        .unwrap(),
        "cri-containerd-linux-amd64.tar.gz"
    );
    // an edition word nobody knows (`fips`, `pivkey`) loses to the plain build
    assert_eq!(
        pick_for(
            &["cosign-linux-pivkey-pkcs11key-amd64", "cosign-linux-amd64"],
            "cosign"
        )
        .unwrap(),
        "cosign-linux-amd64"
    );
    // versions, triple filler and format words say nothing
    assert_eq!(
        pick_for(
            &[
                "t-v1.2.3-x86_64-unknown-linux-musl.tar.gz",
                "t-fips-linux-amd64"
            ],
            "t"
        )
        .unwrap(),
        "t-v1.2.3-x86_64-unknown-linux-musl.tar.gz"
    );
}

#[test]
fn format_preference() {
    // a bare executable over any archive of the same build
    expect(
        &["yq_linux_amd64.tar.gz", "yq_linux_amd64"],
        "linux/amd64",
        &[],
        "yq_linux_amd64",
    );
    // tar streams, the fastest to decode first
    expect(
        &[
            "t-linux-amd64.tar.gz",
            "t-linux-amd64.tar.zst",
            "t-linux-amd64.tar.xz",
        ],
        "linux/amd64",
        &[],
        "t-linux-amd64.tar.zst",
    );
    // a tar before a zip, which must be spooled to disk
    expect(
        &[
            "eza_x86_64-unknown-linux-gnu.zip",
            "eza_x86_64-unknown-linux-gnu.tar.gz",
        ],
        "linux/amd64",
        &[],
        "eza_x86_64-unknown-linux-gnu.tar.gz",
    );
    // an AppImage last: it needs FUSE
    expect(
        &["nvim-linux-x86_64.appimage", "nvim-linux-x86_64.tar.gz"],
        "linux/amd64",
        &[],
        "nvim-linux-x86_64.tar.gz",
    );
}

#[test]
fn assets_that_name_no_os() {
    // one naming its architecture is a Linux build (runc, k0s) ...
    let runc = ["runc.amd64", "runc.arm64", "runc.tar.xz"];
    expect(&runc, "linux/arm64", &[], "runc.arm64");
    assert!(!fits(&runc, "darwin/arm64", &[]));
    // ... and is found even beside an OS-named build for another arch (fnm)
    let fnm = ["fnm-linux.zip", "fnm-arm64.zip", "fnm-macos.zip"];
    expect(&fnm, "linux/arm64", &[], "fnm-arm64.zip");
    expect(&fnm, "linux/amd64", &[], "fnm-linux.zip");
    // a bare zip is the Windows build when no asset names Windows (ShellCheck)
    let shellcheck = [
        "sc-v1.linux.x86_64.tar.xz",
        "sc-v1.darwin.x86_64.tar.xz",
        "sc-v1.zip",
    ];
    expect(&shellcheck, "windows/amd64", &[], "sc-v1.zip");
    assert!(!fits(&shellcheck, "freebsd/amd64", &[]));
    // completions and man pages are not builds for anybody
    assert!(!fits(
        &["t-linux-amd64.tgz", "completions.tar.gz"],
        "darwin/arm64",
        &[]
    ));
}

#[test]
fn spellings_that_need_context() {
    // the current spelling over an old one kept beside it (jq 1.7)
    expect(
        &["jq-linux64", "jq-linux-amd64"],
        "linux/amd64",
        &[],
        "jq-linux-amd64",
    );
    expect(
        &["jq-osx-amd64", "jq-macos-amd64"],
        "darwin/amd64",
        &[],
        "jq-macos-amd64",
    );
    // a fused OS word's arch yields to an explicit one
    assert!(!fits(&["biome-win32-x64.exe"], "windows/386", &[]));
    expect(
        &["protoc-win32.zip", "protoc-win64.zip"],
        "windows/386",
        &[],
        "protoc-win32.zip",
    );
    // `x86` on a Mac is x86_64; `i686` is not
    expect(
        &["gitui-mac-x86.tar.gz", "gitui-mac.tar.gz"],
        "darwin/amd64",
        &[],
        "gitui-mac-x86.tar.gz",
    );
    expect(
        &[
            "xsv-i686-apple-darwin.tar.gz",
            "xsv-x86_64-apple-darwin.tar.gz",
        ],
        "darwin/amd64",
        &[],
        "xsv-x86_64-apple-darwin.tar.gz",
    );
    // a plain `arm` is v6-ish: over an explicit v5, under an explicit v6
    expect(
        &["croc-Linux-ARMv5.tgz", "croc-Linux-ARM.tgz"],
        "linux/arm/v7",
        &[],
        "croc-Linux-ARM.tgz",
    );
    expect(
        &["t-linux-arm.tgz", "t-linux-armv6.tgz"],
        "linux/arm/v7",
        &[],
        "t-linux-armv6.tgz",
    );
    // Android is not Linux
    assert!(!fits(
        &["z-aarch64-linux-android.tar.gz"],
        "linux/arm64",
        &[]
    ));
}

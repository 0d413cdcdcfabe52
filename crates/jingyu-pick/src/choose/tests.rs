//! Table tests for the filter chain: one case per tie-break rule.

use super::*;

const RIPGREP: &[&str] = &[
    "ripgrep-14.1.1-aarch64-apple-darwin.tar.gz",
    "ripgrep-14.1.1-aarch64-apple-darwin.tar.gz.sha256",
    "ripgrep-14.1.1-aarch64-unknown-linux-gnu.tar.gz",
    "ripgrep-14.1.1-aarch64-unknown-linux-gnu.tar.gz.sha256",
    "ripgrep-14.1.1-arm-unknown-linux-gnueabihf.tar.gz",
    "ripgrep-14.1.1-armv7-unknown-linux-gnueabihf.tar.gz",
    "ripgrep-14.1.1-armv7-unknown-linux-musleabi.tar.gz",
    "ripgrep-14.1.1-armv7-unknown-linux-musleabihf.tar.gz",
    "ripgrep-14.1.1-i686-pc-windows-msvc.zip",
    "ripgrep-14.1.1-i686-unknown-linux-gnu.tar.gz",
    "ripgrep-14.1.1-powerpc64-unknown-linux-gnu.tar.gz",
    "ripgrep-14.1.1-s390x-unknown-linux-gnu.tar.gz",
    "ripgrep-14.1.1-x86_64-apple-darwin.tar.gz",
    "ripgrep-14.1.1-x86_64-pc-windows-gnu.zip",
    "ripgrep-14.1.1-x86_64-pc-windows-msvc.zip",
    "ripgrep-14.1.1-x86_64-unknown-linux-musl.tar.gz",
    "ripgrep_14.1.1-1_amd64.deb",
    "ripgrep_14.1.1-1_amd64.deb.sha256",
];

fn pick(names: &[&str], system: &str, filters: &[&str]) -> Result<String, PickError> {
    let filters: Vec<Filter> = filters.iter().map(|f| Filter::parse(f)).collect();
    let system = (system != "all").then(|| System::parse(system).unwrap());
    choose(
        names,
        &Request {
            system,
            filters: &filters,
            project: Some("ripgrep"),
        },
    )
    .map(|c| c.name)
}

#[track_caller]
fn expect(names: &[&str], system: &str, filters: &[&str], want: &str) {
    match pick(names, system, filters) {
        Ok(got) => assert_eq!(got, want, "{system} {filters:?}"),
        Err(e) => panic!("{system} {filters:?}: expected `{want}`, got error: {e}"),
    }
}

#[test]
fn ripgrep_for_each_platform() {
    let cases = [
        (
            "linux/amd64",
            "ripgrep-14.1.1-x86_64-unknown-linux-musl.tar.gz",
        ),
        (
            "linux/arm64",
            "ripgrep-14.1.1-aarch64-unknown-linux-gnu.tar.gz",
        ),
        (
            "linux/arm/v7",
            "ripgrep-14.1.1-armv7-unknown-linux-musleabihf.tar.gz",
        ),
        (
            "linux/arm/v6",
            "ripgrep-14.1.1-arm-unknown-linux-gnueabihf.tar.gz",
        ),
        ("linux/386", "ripgrep-14.1.1-i686-unknown-linux-gnu.tar.gz"),
        (
            "linux/s390x",
            "ripgrep-14.1.1-s390x-unknown-linux-gnu.tar.gz",
        ),
        ("darwin/arm64", "ripgrep-14.1.1-aarch64-apple-darwin.tar.gz"),
        ("darwin/amd64", "ripgrep-14.1.1-x86_64-apple-darwin.tar.gz"),
        ("windows/386", "ripgrep-14.1.1-i686-pc-windows-msvc.zip"),
        (
            "x86_64-unknown-linux-gnu",
            "ripgrep-14.1.1-x86_64-unknown-linux-musl.tar.gz",
        ),
    ];
    for (system, want) in cases {
        expect(RIPGREP, system, &[], want);
    }
}

#[test]
fn never_picks_the_wrong_architecture() {
    let err = pick(RIPGREP, "linux/riscv64", &[]).unwrap_err();
    let PickError::NoMatch { wanted, dropped } = &err else {
        panic!("{err}")
    };
    assert_eq!(wanted, "linux/riscv64");
    assert!(
        dropped
            .iter()
            .any(|(n, why)| n.contains("aarch64-unknown-linux") && why == "for arm64"),
        "{dropped:?}"
    );
    assert!(
        err.to_string()
            .starts_with("no asset for linux/riscv64; assets: "),
        "{err}"
    );
}

#[test]
fn windows_prefers_msvc_over_mingw() {
    expect(
        RIPGREP,
        "windows/amd64",
        &[],
        "ripgrep-14.1.1-x86_64-pc-windows-msvc.zip",
    );
    expect(
        RIPGREP,
        "windows/amd64",
        &["gnu"],
        "ripgrep-14.1.1-x86_64-pc-windows-gnu.zip",
    );
}

#[test]
fn equal_candidates_are_a_question_with_the_filter_that_answers_it() {
    let names = [
        "bottom_x86_64-unknown-freebsd-13-x86_64.tar.gz",
        "bottom_x86_64-unknown-freebsd-14-x86_64.tar.gz",
        "bottom_x86_64-unknown-linux-musl.tar.gz",
    ];
    let err = pick(&names, "freebsd/amd64", &[]).unwrap_err();
    let PickError::Ambiguous { candidates } = &err else {
        panic!("{err}")
    };
    let hints: Vec<&str> = candidates.iter().map(|(_, w)| w.as_str()).collect();
    assert_eq!(hints, ["13", "14"]);
    assert!(
        err.to_string()
            .contains("--asset 14 picks `bottom_x86_64-unknown-freebsd-14-x86_64.tar.gz`"),
        "{err}"
    );
    expect(
        &names,
        "freebsd/amd64",
        &["^13"],
        "bottom_x86_64-unknown-freebsd-14-x86_64.tar.gz",
    );
}

#[test]
fn tie_breaks() {
    // musl over gnu over nothing said, on Linux
    expect(
        &["t-linux-amd64-gnu.tar.gz", "t-linux-amd64-musl.tar.gz"],
        "linux/amd64",
        &[],
        "t-linux-amd64-musl.tar.gz",
    );
    expect(
        &["t-linux-amd64-gnu.tar.gz", "t-linux-amd64.tar.gz"],
        "linux/amd64",
        &[],
        "t-linux-amd64.tar.gz",
    );
    // ... unless the triple asks for gnu
    expect(
        &[
            "t-x86_64-unknown-linux-gnu.tgz",
            "t-x86_64-unknown-linux-musl.tgz",
        ],
        "x86_64-unknown-linux-gnu",
        &[],
        "t-x86_64-unknown-linux-gnu.tgz",
    );
    // macOS: the arch build over universal, universal over nothing
    expect(
        &["t-darwin-arm64.zip", "t-darwin-universal.zip"],
        "darwin/arm64",
        &[],
        "t-darwin-arm64.zip",
    );
    expect(
        &["t-darwin-universal.zip", "t-linux-arm64.zip"],
        "darwin/arm64",
        &[],
        "t-darwin-universal.zip",
    );
    // ARM: the closest older version
    expect(
        &["t-linux-armv6.tgz", "t-linux-armv5.tgz"],
        "linux/arm/v7",
        &[],
        "t-linux-armv6.tgz",
    );
    assert!(pick(&["t-linux-armv7.tgz"], "linux/arm/v6", &[]).is_err());
    // extractable formats over ones jingyu cannot open
    expect(
        &["t-linux-amd64.7z", "t-linux-amd64.tar.xz"],
        "linux/amd64",
        &[],
        "t-linux-amd64.tar.xz",
    );
    // the plain build over a variant
    expect(
        &["t-linux-amd64-debug.tgz", "t-linux-amd64.tgz"],
        "linux/amd64",
        &[],
        "t-linux-amd64.tgz",
    );
    // arm never matches arm64
    expect(
        &["t-linux-arm.tgz", "t-linux-arm64.tgz"],
        "linux/arm64",
        &[],
        "t-linux-arm64.tgz",
    );
}

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
    assert!(pick(&runc, "darwin/arm64", &[]).is_err());
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
    assert!(pick(&shellcheck, "freebsd/amd64", &[]).is_err());
    // completions and man pages are not builds for anybody
    assert!(pick(
        &["t-linux-amd64.tgz", "completions.tar.gz"],
        "darwin/arm64",
        &[]
    )
    .is_err());
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
    assert!(pick(&["biome-win32-x64.exe"], "windows/386", &[]).is_err());
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
    assert!(pick(&["z-aarch64-linux-android.tar.gz"], "linux/arm64", &[]).is_err());
}

#[test]
fn no_architecture_named_means_amd64_only_when_others_are_named() {
    let names = ["t-linux.tgz", "t-linux-arm64.tgz"];
    expect(&names, "linux/amd64", &[], "t-linux.tgz");
    assert!(pick(&names, "linux/riscv64", &[]).is_err());
    // ... even when no asset names one: per-OS builds are amd64 builds
    assert!(pick(&["t-linux.tgz", "t-darwin.tgz"], "linux/riscv64", &[]).is_err());
    // a release that names neither OS nor architecture is portable
    expect(&["t-1.0.zip"], "linux/riscv64", &[], "t-1.0.zip");
    expect(&["t-1.0.zip"], "darwin/arm64", &[], "t-1.0.zip");
}

#[test]
fn filters_exact_names_and_explicit_requests() {
    expect(
        RIPGREP,
        "linux/amd64",
        &["ripgrep_14.1.1-1_amd64.deb"],
        "ripgrep_14.1.1-1_amd64.deb",
    );
    // a filter that only an ignored asset passes is an explicit request for it
    expect(
        RIPGREP,
        "linux/amd64",
        &[".deb", "^sha256"],
        "ripgrep_14.1.1-1_amd64.deb",
    );
    let err = pick(RIPGREP, "linux/amd64", &["nothing-like-this"]).unwrap_err();
    assert!(
        err.to_string()
            .contains("matching --asset nothing-like-this"),
        "{err}"
    );
}

#[test]
fn system_all_uses_only_filters_and_tie_breaks() {
    expect(
        RIPGREP,
        "all",
        &["x86_64-apple"],
        "ripgrep-14.1.1-x86_64-apple-darwin.tar.gz",
    );
    assert!(matches!(
        pick(RIPGREP, "all", &[]),
        Err(PickError::Ambiguous { .. })
    ));
}

#[test]
fn steps_explain_the_decision() {
    let choice = choose(
        RIPGREP,
        &Request {
            system: Some(System::parse("linux/amd64").unwrap()),
            filters: &[],
            project: Some("ripgrep"),
        },
    )
    .unwrap();
    let names: Vec<&str> = choice.steps.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "installable",
            "operating system",
            "architecture",
            "C library",
            "project name",
            "format",
            "plain build"
        ]
    );
    let installable = &choice.steps[0];
    assert!(installable.dropped.contains(&(
        "ripgrep_14.1.1-1_amd64.deb".into(),
        "an OS package or installer".into()
    )));
}

#[test]
fn an_empty_release_is_its_own_error() {
    assert_eq!(pick(&[], "linux/amd64", &[]), Err(PickError::Empty));
}

#[test]
fn long_lists_are_capped() {
    let items: Vec<String> = (0..13).map(|i| i.to_string()).collect();
    assert_eq!(cap_list(&items), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 3 more");
}

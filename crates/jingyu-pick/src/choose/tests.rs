//! Table tests for the filter chain: one case per tie-break rule.

use super::*;

mod rules;

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

/// Whether an asset fits outright (not only by eget's lone-asset fallback).
fn fits(names: &[&str], system: &str, filters: &[&str]) -> bool {
    let filters: Vec<Filter> = filters.iter().map(|f| Filter::parse(f)).collect();
    let system = (system != "all").then(|| System::parse(system).unwrap());
    let req = Request {
        system,
        filters: &filters,
        project: Some("ripgrep"),
    };
    choose(names, &req).is_ok_and(|c| c.fallback().is_none())
}

#[test]
fn a_lone_asset_is_taken_as_eget_takes_it_and_flagged() {
    let req = |s: &str| Request {
        system: Some(System::parse(s).unwrap()),
        filters: &[],
        project: Some("t"),
    };
    let one_linux = choose(
        &["t-linux-amd64.tgz", "t-linux-amd64.tgz.sha256"],
        &req("linux/arm64"),
    )
    .unwrap();
    assert_eq!(
        (one_linux.name.as_str(), one_linux.fallback()),
        ("t-linux-amd64.tgz", Some(ONLY_FOR_OS))
    );
    let only = choose(&["t-darwin-arm64.tgz"], &req("linux/amd64")).unwrap();
    assert_eq!(only.fallback(), Some(ONLY_ASSET));
    // Two for the OS, neither for the architecture: eget prompts, jingyu fails.
    assert!(choose(
        &["t-linux-amd64.tgz", "t-linux-386.tgz"],
        &req("linux/arm64")
    )
    .is_err());
    let fits = choose(&["t-linux-amd64.tgz"], &req("linux/amd64")).unwrap();
    assert_eq!(fits.fallback(), None);
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
    assert!(!fits(&["t-linux-armv7.tgz"], "linux/arm/v6", &[]));
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
fn no_architecture_named_means_amd64_only_when_others_are_named() {
    let names = ["t-linux.tgz", "t-linux-arm64.tgz"];
    expect(&names, "linux/amd64", &[], "t-linux.tgz");
    assert!(!fits(&names, "linux/riscv64", &[]));
    // ... even when no asset names one: per-OS builds are amd64 builds
    assert!(!fits(
        &["t-linux.tgz", "t-darwin.tgz"],
        "linux/riscv64",
        &[]
    ));
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

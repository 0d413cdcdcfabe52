//! Every option as an environment variable (how exec-form Dockerfile RUNs pass
//! build args), BuildKit's platform variables, and flags winning over both.

use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn jingyu_variables_set_target_tag_destination_and_filters() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .env("JINGYU_TARGET", "owner/tool")
        .env("JINGYU_TAG", "v1.0")
        .env("JINGYU_TO", "{dir}/out/")
        .env("JINGYU_ASSET", "arm64")
        .unset("JINGYU_SYSTEM")
        .run();
    out.success().stdout_is("{dir}/out/tool\n");
    assert_eq!(out.file("out/tool"), tool_bytes("v1.0 arm64"));
}

#[test]
fn flags_win_over_variables() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "--tag", "v1.1", "--to", "a"])
        .env("JINGYU_TAG", "v1.0")
        .env("JINGYU_TO", "b")
        .env("JINGYU_TARGET", "nobody/nothing")
        .run();
    out.success().stdout_is("a\n");
    assert_eq!(out.file("a"), tool_bytes("v1.1"));
}

#[test]
fn buildkit_targetplatform_chooses_the_asset() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "--verbose"])
        .unset("JINGYU_SYSTEM")
        .env("TARGETPLATFORM", "linux/arm64")
        .env("BUILDPLATFORM", "linux/amd64")
        .run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("from TARGETPLATFORM=linux/arm64")
            .file("tool"),
        tool_bytes("v1.1 arm64")
    );
}

#[test]
fn buildkit_split_variables_choose_the_asset() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .unset("JINGYU_SYSTEM")
        .env("TARGETOS", "linux")
        .env("TARGETARCH", "arm64")
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.1 arm64")
    );
}

#[test]
fn system_flag_beats_targetplatform() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "-s", "linux/amd64"])
        .unset("JINGYU_SYSTEM")
        .env("TARGETPLATFORM", "linux/arm64")
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.1")
    );
}

#[test]
fn boolean_variables_accept_yes_no_and_reject_nonsense() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("JINGYU_QUIET", "1")
        .run();
    out.success().stdout_is("tool\n");
    assert_eq!(out.stderr(), "", "quiet means nothing on stderr");
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("JINGYU_DRY_RUN", "maybe")
        .run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: JINGYU_DRY_RUN=`maybe` is not a yes/no value: use 1 or 0"
    );
}

#[test]
fn a_bad_platform_is_a_usage_error_naming_its_source() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .unset("JINGYU_SYSTEM")
        .env("TARGETPLATFORM", "linux/sparc")
        .run();
    out.code(2);
    assert_eq!(out.error_line(), "jingyu: error: TARGETPLATFORM: `linux/sparc` is not a platform: use os/arch[/variant] (linux/arm64, linux/arm/v7) or a Rust target triple");
}

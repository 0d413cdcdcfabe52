//! eget's config file: each location eget reads, the keys that pin a tag, a
//! platform, a destination, a digest or a file, flags over the file, and
//! `--download-all`.

use std::fs;

use jingyu_fake::archive::elf_for;
use jingyu_fake::{sha256_hex, FakeGitHub, Release};

use crate::archives::tar_gz;
use crate::harness::Case;

const AMD64: u16 = 62;
const AARCH64: u16 = 183;

/// `o/tool` v1 and v2 (latest), each for linux/amd64 and linux/arm64, and
/// `o/other` v5 for linux/amd64.
fn serve() -> FakeGitHub {
    let gh = FakeGitHub::start();
    for tag in ["v1", "v2"] {
        let mut release = Release::new(tag);
        for (arch, machine) in [("amd64", AMD64), ("arm64", AARCH64)] {
            release = release.asset(
                &format!("tool-{tag}-linux-{arch}.tar.gz"),
                archive(tag, arch, machine),
            );
        }
        gh.release("o/tool", release);
    }
    gh.release(
        "o/other",
        Release::new("v5").asset(
            "other-linux-amd64.tar.gz",
            tar_gz(&[("other", 0o755, &elf_for(AMD64, "other v5"))]),
        ),
    );
    gh
}

fn archive(tag: &str, arch: &str, machine: u16) -> Vec<u8> {
    tar_gz(&[
        ("tool/README.md", 0o644, b"# tool"),
        (
            "tool/tool",
            0o755,
            &elf_for(machine, &format!("tool {tag} {arch}")),
        ),
    ])
}

fn bytes(tag: &str, arch: &str, machine: u16) -> Vec<u8> {
    elf_for(machine, &format!("tool {tag} {arch}"))
}

/// A case whose platform comes only from the config or the host.
fn case(gh: &FakeGitHub, files: &[(&str, &str)]) -> Case {
    let case = Case::new(gh).unset("JINGYU_SYSTEM").eget_stdout();
    for (rel, text) in files {
        let path = case.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    case
}

/// `jingyu o/tool` for linux/amd64 with `config` as ./eget.toml.
fn on_amd64(gh: &FakeGitHub, config: &str) -> crate::harness::Outcome {
    case(gh, &[("eget.toml", config)])
        .env("JINGYU_SYSTEM", "linux/amd64")
        .args(["o/tool"])
        .run()
}

#[test]
fn a_repository_section_pins_tag_system_and_target() {
    let gh = serve();
    let config = "[\"o/tool\"]\ntag = \"v1\"\nsystem = \"linux/arm64\"\ntarget = \"bin/\"\n";
    let out = case(&gh, &[("eget.toml", config)]).args(["o/tool"]).run();
    out.success();
    assert_eq!(out.file("bin/tool"), bytes("v1", "arm64", AARCH64));
    assert_eq!(out.files(), ["bin/tool", "eget.toml"]);
}

#[test]
fn flags_and_variables_override_the_config() {
    let gh = serve();
    let config = "[\"o/tool\"]\ntag = \"v1\"\nsystem = \"linux/arm64\"\ntarget = \"bin/\"\n";
    let out = case(&gh, &[("eget.toml", config)])
        .args(["o/tool", "--tag", "v2", "--to", "elsewhere/"])
        .env("JINGYU_SYSTEM", "linux/amd64")
        .run();
    out.success();
    assert_eq!(out.file("elsewhere/tool"), bytes("v2", "amd64", AMD64));
    assert_eq!(out.files(), ["eget.toml", "elsewhere/tool"]);
}

#[test]
fn global_settings_apply_and_a_section_inherits_target_and_quiet() {
    let gh = serve();
    let config =
        "[global]\ntarget = \"out/\"\nquiet = true\nsystem = \"linux/arm64\"\n[\"o/other\"]\n";
    // No section for o/tool: [global] applies whole, system included.
    let out = case(&gh, &[("conf/jingyu.toml", config)])
        .env("EGET_CONFIG", "{dir}/conf/jingyu.toml")
        .args(["o/tool"])
        .run();
    out.success().stderr_lacks("picked");
    assert_eq!(out.file("out/tool"), bytes("v2", "arm64", AARCH64));
    // o/other's section inherits target and quiet, but not system (eget's rule).
    let out = case(&gh, &[("conf/jingyu.toml", config)])
        .env("EGET_CONFIG", "{dir}/conf/jingyu.toml")
        .args(["o/other", "--verbose"])
        .run();
    out.success();
    assert_eq!(out.file("out/other"), elf_for(AMD64, "other v5"));
}

#[test]
fn download_only_and_file_come_from_the_section() {
    let gh = serve();
    let out = on_amd64(&gh, "[\"o/tool\"]\ndownload_only = true\n");
    out.success();
    assert_eq!(
        out.file("tool-v2-linux-amd64.tar.gz"),
        archive("v2", "amd64", AMD64)
    );
    let out = on_amd64(&gh, "[\"o/tool\"]\nfile = \"README.md\"\n");
    out.success();
    assert_eq!(out.file("README.md"), b"# tool");
}

#[test]
fn verify_sha256_from_the_config_is_enforced() {
    let gh = serve();
    let wrong = "0".repeat(64);
    let out = on_amd64(&gh, &format!("[\"o/tool\"]\nverify_sha256 = \"{wrong}\"\n"));
    out.code(5);
    assert!(
        out.error_line().contains("sha256 mismatch"),
        "{}",
        out.error_line()
    );
    assert_eq!(out.files(), ["eget.toml"]);
    let right = sha256_hex(&archive("v2", "amd64", AMD64));
    let out = on_amd64(&gh, &format!("[\"o/tool\"]\nverify_sha256 = \"{right}\"\n"));
    out.success();
    assert_eq!(out.file("tool"), bytes("v2", "amd64", AMD64));
}

#[test]
fn home_then_working_directory_then_xdg() {
    let gh = serve();
    let tag = |t: &str| format!("[\"o/tool\"]\ntag = \"{t}\"\n");
    let (home, cwd, xdg) = (
        tag("v1"),
        tag("v2"),
        "[\"o/tool\"]\ntarget = \"from-xdg/\"\n".to_owned(),
    );
    let all = [
        ("home/.eget.toml", home.as_str()),
        ("w/eget.toml", cwd.as_str()),
        ("xdg/eget/eget.toml", xdg.as_str()),
    ];
    let run = |files: &[(&str, &str)]| {
        case(&gh, files)
            .env("HOME", "{dir}/home")
            .env("XDG_CONFIG_HOME", "{dir}/xdg")
            .env("JINGYU_SYSTEM", "linux/amd64")
            .cwd("w")
            .args(["o/tool", "--to", "{dir}/w/"])
            .run()
    };
    let out = run(&all);
    out.success();
    assert_eq!(
        out.file("w/tool"),
        bytes("v1", "amd64", AMD64),
        "~/.eget.toml first"
    );
    let out = run(&all[1..]);
    out.success();
    assert_eq!(
        out.file("w/tool"),
        bytes("v2", "amd64", AMD64),
        "then ./eget.toml"
    );
    let out = case(&gh, &[("w/.keep", ""), all[2]])
        .env("HOME", "{dir}/home")
        .env("XDG_CONFIG_HOME", "{dir}/xdg")
        .env("JINGYU_SYSTEM", "linux/amd64")
        .cwd("w")
        .args(["o/tool"])
        .run();
    out.success();
    assert_eq!(
        out.file("w/from-xdg/tool"),
        bytes("v2", "amd64", AMD64),
        "then XDG"
    );
}

#[test]
fn the_config_token_is_sent_to_the_api() {
    let gh = serve();
    gh.private("o/tool", "tok-from-config");
    let out = on_amd64(&gh, "[global]\ngithub_token = \"tok-from-config\"\n");
    out.success();
    assert_eq!(out.file("tool"), bytes("v2", "amd64", AMD64));
}

#[test]
fn a_malformed_config_fails_with_file_and_line_but_version_still_answers() {
    let gh = serve();
    let bad = "[\"o/tool\"]\ntag = \"v1\"\nall = yes\n";
    let out = case(&gh, &[("eget.toml", bad)]).args(["o/tool"]).run();
    out.code(2);
    assert!(
        out.error_line().starts_with("jingyu: error: eget.toml:3: "),
        "{}",
        out.error_line()
    );
    assert_eq!(out.files(), ["eget.toml"]);
    assert_eq!(gh.requests().len(), 0, "nothing was asked of the API");
    let out = case(&gh, &[("eget.toml", "[\"o/tool\"]\nquiet = 1\n")])
        .args(["o/tool"])
        .run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        "jingyu: error: eget.toml:2: `quiet` must be true or false"
    );
    let out = case(&gh, &[("eget.toml", bad)]).args(["-v"]).run();
    out.success()
        .stdout_is(&format!("jingyu {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn an_unknown_key_is_a_warning_and_the_rest_applies() {
    let gh = serve();
    let out = on_amd64(&gh, "[\"o/tool\"]\ntag = \"v1\"\ncolor = \"auto\"\n");
    out.success()
        .stderr_has("jingyu: warning: eget.toml:3: unknown key `color` in [\"o/tool\"]");
    assert_eq!(out.file("tool"), bytes("v1", "amd64", AMD64));
}

const TWO: &str = "[global]\ntarget = \"bin/\"\n[\"o/tool\"]\ntag = \"v1\"\n[\"o/other\"]\n";

#[test]
fn download_all_installs_every_section_with_its_own_settings() {
    let gh = serve();
    // As eget's -D: the target and other flags on the command line do not
    // reach the sections, and nothing goes to stdout.
    let out = case(&gh, &[("eget.toml", TWO)])
        .env("JINGYU_SYSTEM", "linux/amd64")
        .args(["-D", "--tag", "v2"])
        .run();
    out.success().stdout_is("");
    assert_eq!(out.file("bin/tool"), bytes("v1", "amd64", AMD64));
    assert_eq!(out.file("bin/other"), elf_for(AMD64, "other v5"));
    assert_eq!(out.files(), ["bin/other", "bin/tool", "eget.toml"]);
}

#[test]
fn download_all_goes_on_past_a_failure_and_names_it() {
    let gh = serve();
    let config = format!("{TWO}[\"o/missing\"]\n");
    let out = case(&gh, &[("eget.toml", &config)])
        .env("JINGYU_SYSTEM", "linux/amd64")
        .args(["--download-all"])
        .run();
    out.code(3)
        .stderr_has("jingyu: warning: o/missing failed: ");
    assert_eq!(
        out.error_line(),
        "jingyu: error: 1 of the 3 repositories in eget's config failed: o/missing; the others are done (see the warnings above)"
    );
    assert_eq!(out.files(), ["bin/other", "bin/tool", "eget.toml"]);
}

#[test]
fn download_all_without_a_config_does_nothing_and_succeeds() {
    let gh = serve();
    let out = case(&gh, &[]).args(["-D"]).run();
    out.success().stdout_is("");
    assert!(out.files().is_empty());
    assert_eq!(gh.requests().len(), 0);
}

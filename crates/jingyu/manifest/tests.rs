//! Manifests: defaults under tools, each tool's command line, and the errors
//! a user meets (with file and line).

use super::*;

fn manifest(text: &str) -> Manifest {
    parse(Path::new("jingyu.toml"), text, None).expect("a valid manifest")
}

fn error(text: &str) -> String {
    match parse(Path::new("jingyu.toml"), text, None) {
        Err(Error::Usage(m)) => m,
        other => panic!("expected an error, got {other:?}"),
    }
}

const TWO: &str = r#"
[defaults]
to = "/out/"
platforms = ["linux/amd64", "linux/arm64"]
require_verified = true

[tools."casey/just"]
tag = "1.42.4"

[tools."BurntSushi/ripgrep"]
tag = "14.1.1"
file = ["rg"]
asset = ["musl", "^debug"]
name = "rg14"
require_verified = false
"#;

#[test]
fn each_tool_is_its_command_line_over_the_defaults() {
    let m = manifest(TWO);
    assert_eq!(m.platforms, ["linux/amd64", "linux/arm64"]);
    let argv = |i: usize| m.tools[i].argv.join(" ");
    assert_eq!(
        m.tools[1].target, "BurntSushi/ripgrep",
        "in the file's order"
    );
    assert_eq!(
        argv(1),
        "BurntSushi/ripgrep --asset musl --asset ^debug --file rg --tag 14.1.1 --to /out/rg14"
    );
    assert_eq!(
        argv(0),
        "casey/just --require-verified --tag 1.42.4 --to /out/"
    );
    assert_eq!(m.tools[1].inputs, "asset=musl,^debug tag=14.1.1");
}

#[test]
fn the_command_s_to_replaces_every_destination() {
    let m = parse(Path::new("m"), TWO, Some("/elsewhere/")).unwrap();
    assert!(m.tools[1].argv.join(" ").ends_with("--to /elsewhere/rg14"));
    assert!(m.tools[0].argv.join(" ").ends_with("--to /elsewhere/"));
}

#[test]
fn mistakes_name_file_line_and_key() {
    let m = error("[tools.\"o/r\"]\ntag = \"v1\"\ncolour = true\n");
    assert!(
        m.starts_with("jingyu.toml:3: unknown key `colour` in [tools.\"o/r\"]"),
        "{m}"
    );
    let m = error("[tools.\"o/r\"]\nall = \"yes\"\n");
    assert_eq!(m, "jingyu.toml:2: `all` must be true or false");
    let m = error("[tools.\"o/r\"]\ntag = 1.5\n");
    assert_eq!(m, "jingyu.toml:2: `tag` must be a string");
    let m = error("[tools.\"o/r\"]\n[tools.\"O/R\"]\n");
    assert!(
        m.starts_with("jingyu.toml:2: `O/R` is listed twice (first at jingyu.toml:1)"),
        "{m}"
    );
    let m = error("[defaults]\nto = \"/out/\"\n");
    assert_eq!(
        m,
        "jingyu.toml: no tools: add a [tools.\"owner/repo\"] table with its tag"
    );
    let m = error("[tools.\"o/r\"]\ndry_run = true\n");
    assert!(m.contains("unknown key `dry_run`"), "{m}");
    let m = error("[tools.\"o/r\"\n");
    assert!(m.starts_with("jingyu.toml:1: "), "{m}");
}

#[test]
fn an_eget_config_is_a_manifest_of_its_sections() {
    let m = manifest("[global]\ntarget = \"/g/\"\n[\"o/a\"]\ntag = \"v1\"\n[\"o/b\"]\n");
    let targets: Vec<&str> = m.tools.iter().map(|t| t.target.as_str()).collect();
    assert_eq!(targets, ["o/a", "o/b"]);
    assert!(m.eget.is_some());
    let m = error("[global]\nquiet = true\n");
    assert!(m.contains("no tools"), "{m}");
}

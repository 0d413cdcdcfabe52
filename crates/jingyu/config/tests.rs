//! The config file as eget 1.3.4 reads it: its search order, its keys and
//! types, and the merge of `[global]` into a repository section.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use super::*;

fn config(text: &str) -> Config {
    parse(Path::new("/c/eget.toml"), text).expect("a valid config")
}

fn error(text: &str) -> String {
    match parse(Path::new("/c/eget.toml"), text) {
        Err(Error::Usage(m)) => m,
        other => panic!("expected a usage error, got {other:?}"),
    }
}

/// The applied settings for `target`, as `key=value` in key order.
fn applied(c: &Config, target: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = c
        .settings(target)
        .values
        .iter()
        .map(|s| format!("{}={:?}", s.key, s.value))
        .collect();
    out.sort();
    out
}

const EXAMPLE: &str = r#"
[global]
github_token = "ghp_x"
all = true
download_only = true
download_source = true
file = "ignored-in-global"
quiet = true
show_hash = true
system = "linux/arm64"
target = "/g"
upgrade_only = true

["o/bare"]

["o/own"]
all = false
asset_filters = ["musl", "^debug"]
file = "bin/*"
system = "darwin/amd64"
tag = "v1"
target = "/own"
verify_sha256 = "ab"
disable_ssl = true
"#;

#[test]
fn without_a_section_the_global_settings_apply_but_not_global_file() {
    let c = config(EXAMPLE);
    assert_eq!(
        applied(&c, Some("o/other")),
        [
            "all=Bool(true)",
            "download_only=Bool(true)",
            "download_source=Bool(true)",
            "github_token=Text(\"ghp_x\")",
            "quiet=Bool(true)",
            "show_hash=Bool(true)",
            "system=Text(\"linux/arm64\")",
            "target=Text(\"/g\")",
            "upgrade_only=Bool(true)",
        ]
    );
    assert_eq!(
        c.settings(None).token().unwrap().from,
        "`github_token` (/c/eget.toml:3)"
    );
}

#[test]
fn a_section_inherits_what_eget_inherits_and_not_system_or_the_token() {
    let c = config(EXAMPLE);
    assert_eq!(
        applied(&c, Some("o/bare")),
        [
            "all=Bool(true)",
            "download_only=Bool(true)",
            "download_source=Bool(true)",
            "quiet=Bool(true)",
            "show_hash=Bool(true)",
            "target=Text(\"/g\")",
            "upgrade_only=Bool(true)",
        ]
    );
}

#[test]
fn a_section_s_own_keys_win_over_global() {
    let c = config(EXAMPLE);
    let own = applied(&c, Some("o/own"));
    for expected in [
        "all=Bool(false)",
        "asset_filters=List([\"musl\", \"^debug\"])",
        "file=Text(\"bin/*\")",
        "system=Text(\"darwin/amd64\")",
        "tag=Text(\"v1\")",
        "target=Text(\"/own\")",
        "verify_sha256=Text(\"ab\")",
        "disable_ssl=Bool(true)",
        "quiet=Bool(true)",
    ] {
        assert!(own.contains(&expected.to_owned()), "{expected} in {own:?}");
    }
    assert!(!own.iter().any(|s| s.starts_with("github_token")));
}

#[test]
fn sections_match_the_target_exactly_as_typed() {
    let c = config("[\"o/r\"]\ntag = \"v1\"\n");
    assert_eq!(applied(&c, Some("o/r")), ["tag=Text(\"v1\")"]);
    assert!(applied(&c, Some("O/R")).is_empty());
    assert!(applied(&c, Some("https://github.com/o/r")).is_empty());
    assert_eq!(c.repositories().collect::<Vec<_>>(), ["o/r"]);
}

#[test]
fn an_empty_string_is_no_setting() {
    let c = config("[global]\ntarget = \"\"\n");
    assert!(c.settings(None).get(&opt::TO).is_none());
    assert!(c.settings(None).get(&opt::ALL).is_none());
}

#[test]
fn keys_eget_reads_but_does_not_apply_warn_with_their_line() {
    let c = config(
        "[global]\ntag = \"v1\"\nfile = \"x\"\ncolour = true\n[\"o/r\"]\nname = \"tool\"\ngithub_token = \"t\"\n",
    );
    assert_eq!(c.warnings.len(), 5, "{:?}", c.warnings);
    for (warning, (line, key)) in c.warnings.iter().zip([
        (2, "`tag` is not read in [global]"),
        (3, "`file` in [global] is not applied by eget 1.3.4"),
        (4, "unknown key `colour` in [global]"),
        (6, "`name` in [\"o/r\"] is not applied"),
        (7, "`github_token` is read only in [global]"),
    ]) {
        assert!(
            warning.starts_with(&format!("/c/eget.toml:{line}: ")),
            "{warning}"
        );
        assert!(warning.contains(key), "{warning}");
    }
    assert!(applied(&c, Some("o/r")).is_empty());
    assert!(applied(&c, None).is_empty());
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_naming_file_line_and_key() {
    let m = error("[global]\n\nquiet = \"yes\"\n");
    assert_eq!(m, "/c/eget.toml:3: `quiet` must be true or false");
    let m = error("[\"o/r\"]\nasset_filters = \"musl\"\n");
    assert!(
        m.starts_with("/c/eget.toml:2: `asset_filters` must be a list of strings"),
        "{m}"
    );
    let m = error("[\"o/r\"]\nasset_filters = [1]\n");
    assert!(m.starts_with("/c/eget.toml:2: "), "{m}");
    // eget type-checks [global] against the repository keys as well.
    let m = error("[global]\ntag = 1\n");
    assert_eq!(m, "/c/eget.toml:2: `tag` must be a string");
}

#[test]
fn malformed_toml_and_keys_outside_a_section_are_errors_with_the_line() {
    let m = error("[global]\nquiet = true\n\n[broken\n");
    assert!(m.starts_with("/c/eget.toml:4: "), "{m}");
    assert!(m.contains("[global] and [\"owner/repo\"] sections"), "{m}");
    let m = error("target = \"/x\"\n");
    assert_eq!(
        m,
        "/c/eget.toml:1: `target` is not a section: put keys under [global] or [\"owner/repo\"]"
    );
    let m = error("[global]\nquiet = true\nquiet = false\n");
    assert!(m.starts_with("/c/eget.toml:3: "), "{m}");
}

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn the_search_order_is_eget_s() {
    let paths = search_path(&env(&[("HOME", "/h")]));
    assert_eq!(
        paths,
        [
            PathBuf::from("/h/.eget.toml"),
            PathBuf::from("eget.toml"),
            PathBuf::from("/h/.config/eget/eget.toml"),
        ]
    );
    let paths = search_path(&env(&[
        ("HOME", "/h"),
        ("EGET_CONFIG", "/e.toml"),
        ("XDG_CONFIG_HOME", "/x"),
    ]));
    assert_eq!(paths[0], PathBuf::from("/e.toml"));
    assert_eq!(paths[2], PathBuf::from("/x/eget/eget.toml"));
    // No HOME: eget's home is "", so it looks at /.eget.toml.
    assert_eq!(search_path(&env(&[]))[0], PathBuf::from("/.eget.toml"));
}

#[test]
fn the_first_file_that_exists_is_read_and_other_read_errors_fail() {
    let files: HashMap<PathBuf, &str> = [
        (PathBuf::from("eget.toml"), "[\"o/cwd\"]\n"),
        (PathBuf::from("/h/.config/eget/eget.toml"), "[\"o/xdg\"]\n"),
    ]
    .into();
    let read = |p: &Path| {
        files
            .get(p)
            .map(|t| (*t).to_owned())
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    };
    let (path, c) = load(&env(&[("HOME", "/h")]), &read).unwrap();
    assert_eq!(
        (path.unwrap(), c.repositories().next()),
        (PathBuf::from("eget.toml"), Some("o/cwd"))
    );
    let (path, c) = load(&env(&[("HOME", "/nowhere")]), &|p| {
        if p == Path::new("eget.toml") {
            Err(io::ErrorKind::NotFound.into())
        } else {
            read(p)
        }
    })
    .unwrap();
    assert_eq!(path, None);
    assert_eq!(c.repositories().count(), 0);
    let denied = load(&env(&[("HOME", "/h")]), &|_| {
        Err(io::ErrorKind::PermissionDenied.into())
    });
    match denied {
        Err(Error::Usage(m)) => assert!(
            m.starts_with("cannot read the eget config `/h/.eget.toml`"),
            "{m}"
        ),
        other => panic!("expected an error, got {other:?}"),
    }
}

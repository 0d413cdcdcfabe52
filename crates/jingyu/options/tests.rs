//! `--help`, the README and the planner against the one definition of each
//! option.

use std::collections::{BTreeSet, HashMap};

use argh::FromArgs;
use jingyu_pick::System;

use super::*;
use crate::args::Args;
use crate::plan;

/// Each flag of `--help`'s Options section with its help text (wrapped lines
/// joined).
fn help_lines() -> HashMap<String, String> {
    let help = Args::from_args(&["jingyu"], &["--help"])
        .unwrap_err()
        .output;
    let options = help
        .split("Options:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let mut out: HashMap<String, String> = HashMap::new();
    let mut current = String::new();
    for line in options.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent <= 2 && trimmed.starts_with('-') {
            let flag = trimmed
                .split([',', ' '])
                .find(|t| t.starts_with("--"))
                .unwrap_or(trimmed);
            current = flag.to_owned();
            let text = trimmed
                .split_once(char::is_whitespace)
                .map_or("", |(_, t)| t);
            let text = if trimmed.starts_with('-') && !trimmed.starts_with("--") {
                text.split_once(char::is_whitespace).map_or("", |(_, t)| t)
            } else {
                text
            };
            out.insert(current.clone(), text.trim().to_owned());
        } else if let Some(text) = out.get_mut(&current) {
            text.push(' ');
            text.push_str(trimmed);
        }
    }
    out
}

#[test]
fn help_lists_exactly_the_defined_options_with_their_defaults() {
    let help = help_lines();
    let shown: BTreeSet<&str> = help.keys().map(String::as_str).collect();
    let defined: BTreeSet<&str> = EVERY
        .iter()
        .map(|o| o.flag)
        .chain(WITHOUT_VARIABLE)
        .collect();
    assert_eq!(shown, defined);
    for opt in EVERY {
        let text = &help[opt.flag];
        match opt.default {
            Some(d) => assert!(
                text.ends_with(&format!("(default {d})")),
                "{}: `{text}` should end with (default {d})",
                opt.flag
            ),
            None => assert!(
                !text.contains("(default "),
                "{}: `{text}` names a default the definition lacks",
                opt.flag
            ),
        }
    }
}

#[test]
fn the_readme_names_every_option_its_variable_and_default() {
    let readme = include_str!("../../../README.md");
    for opt in EVERY {
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && mentions(l, opt.flag))
            .unwrap_or_else(|| panic!("the README's flag table lacks {}", opt.flag));
        if let Some(d) = opt.default {
            assert!(
                row.contains(d),
                "README row for {} lacks its default {d}: {row}",
                opt.flag
            );
        }
        assert!(
            readme.contains(&format!("`{}`", opt.env)),
            "the README lacks `{}`",
            opt.env
        );
    }
}

/// Whether `text` holds `flag` as a whole word (`--to`, not `--tone`).
fn mentions(text: &str, flag: &str) -> bool {
    text.match_indices(flag).any(|(i, _)| {
        let next = text[i + flag.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// A value for each option that changes what jingyu does.
fn sample(opt: &Opt) -> &'static str {
    match opt.flag {
        "--tag" => "v9",
        "--to" => "/x/",
        "--system" => "linux/arm64",
        "--file" | "--asset" => "x",
        "--verify-sha256" => "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "--forge" => "gitlab",
        "--min-age" => "7d",
        "--max-size" => "1M",
        "--cache-dir" => "/c",
        "--retries" | "--retry-max-time" | "--connect-timeout" | "--read-timeout"
        | "--max-time" | "--speed-limit" | "--speed-time" => "9",
        _ => "1",
    }
}

/// What jingyu would do (and how loudly) for `o/tool` in `env`.
fn outcome(env: &[(&str, &str)]) -> String {
    let argv = vec!["o/tool".to_owned()];
    let parsed = crate::args::parse(&argv).unwrap();
    let lookup = |k: &str| {
        env.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| (*v).to_owned())
    };
    let config = crate::config::Config::default();
    let level = plan::level(&parsed, &lookup, &config);
    let host = System::parse("linux/amd64").unwrap();
    let action = plan::build(parsed, &lookup, &config, host, &|_| false);
    format!("{level:?} {action:?}")
}

#[test]
fn every_variable_is_read() {
    for opt in EVERY {
        // --skip-missing means something only with several platforms.
        let context: &[(&str, &str)] = if opt.flag == "--skip-missing" {
            &[("JINGYU_SYSTEM", "linux/amd64,linux/arm64")]
        } else {
            &[]
        };
        let baseline = outcome(context);
        let changed = outcome(&[context, &[(opt.env, sample(opt))]].concat());
        assert_ne!(
            changed, baseline,
            "{} is defined but setting it changes nothing",
            opt.env
        );
        assert!(
            !changed.contains("Err("),
            "{}={}: {changed}",
            opt.env,
            sample(opt)
        );
    }
}

#[test]
fn a_default_given_explicitly_changes_nothing() {
    let baseline = outcome(&[]);
    for opt in EVERY {
        if let Some(d) = opt.default {
            assert_eq!(
                outcome(&[(opt.env, d)]),
                baseline,
                "{}: the definition's default is not the one in force",
                opt.flag
            );
        }
    }
}

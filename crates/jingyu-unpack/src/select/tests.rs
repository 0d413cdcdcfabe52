//! eget's choosers, entry by entry, with the answers the real eget 1.3.4
//! gave for the same archives (see `tests/differential` for the side-by-side
//! runs).

use super::*;

/// An entry: a directory when it ends in `/`, else a file with `mode`.
type Entry<'a> = (&'a str, u32);

/// The kept entries' (path, place) for `rules` over `entries`, or the error.
fn run(rules: &Rules, entries: &[Entry<'_>]) -> Result<Vec<(String, Place)>, String> {
    let mut sel = Selection::default();
    let mut members = Vec::new();
    for (path, mode) in entries {
        if let Some(dir) = path.strip_suffix('/') {
            sel.directory(rules, dir);
        } else if let Some(w) = sel.file(rules, path, *mode, b"") {
            members.push(Member {
                path: (*path).to_owned(),
                mode: *mode,
                executable: w.executable,
                place: w.place,
                item: w.item,
                ..Member::default()
            });
        }
    }
    let seen: Vec<String> = entries.iter().map(|(p, _)| (*p).to_owned()).collect();
    let items = sel.choose(rules, &seen).map_err(|e| e.to_string())?;
    Ok(kept(&members, &items)
        .into_iter()
        .map(|i| (members[i].path.clone(), members[i].place.clone()))
        .collect())
}

fn rules(files: &[&str], all: bool) -> Rules {
    Rules {
        name: "go".into(),
        files: files.iter().map(|f| (*f).to_owned()).collect(),
        all,
        ..Rules::default()
    }
}

const GO: &[Entry<'static>] = &[
    ("go/", 0o755),
    ("go/bin/", 0o755),
    ("go/bin/go", 0o755),
    ("go/bin/gofmt", 0o755),
    ("go/VERSION", 0o644),
    ("go/share/", 0o755),
    ("go/share/doc.txt", 0o644),
];

fn in_dir(dir: &str, rel: &str) -> Place {
    Place::InDir {
        dir: dir.into(),
        rel: rel.into(),
    }
}

#[test]
fn a_directory_named_by_file_brings_its_tree() {
    let got = run(&rules(&["go"], false), GO).unwrap();
    let rels: Vec<Place> = got.into_iter().map(|(_, p)| p).collect();
    assert_eq!(
        rels,
        [
            in_dir("go", "bin/go"),
            in_dir("go", "bin/gofmt"),
            in_dir("go", "VERSION"),
            in_dir("go", "share/doc.txt"),
        ]
    );
    let got = run(&rules(&["go/share"], false), GO).unwrap();
    assert_eq!(
        got,
        [("go/share/doc.txt".into(), in_dir("share", "doc.txt"))]
    );
}

#[test]
fn star_takes_the_first_entry_whatever_it_is() {
    let got = run(&rules(&["*"], false), GO).unwrap();
    assert_eq!(got.len(), 4, "the top directory's tree: {got:?}");
    let files = [("t/README", 0o644), ("t/t", 0o755)];
    assert_eq!(
        run(&rules(&["*"], false), &files).unwrap(),
        [("t/README".into(), Place::Flat)]
    );
}

#[test]
fn without_file_the_executable_named_like_the_tool_wins_at_once() {
    let got = run(&rules(&[], false), GO).unwrap();
    assert_eq!(got, [("go/bin/go".into(), Place::Flat)]);
    let r = Rules {
        name: "other".into(),
        ..rules(&[], false)
    };
    let err = run(&r, GO).unwrap_err();
    // eget's rule: no `.` in the path is executable, so VERSION is a candidate.
    assert!(
        err.starts_with(
            "the archive holds 3 executables: `go/bin/go`, `go/bin/gofmt`, `go/VERSION`"
        ),
        "{err}"
    );
}

#[test]
fn all_takes_every_candidate_flat() {
    let got = run(&rules(&[], true), GO).unwrap();
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["go/bin/go", "go/bin/gofmt", "go/VERSION"]);
    assert!(got.iter().all(|(_, p)| *p == Place::Flat));
    // --all --file: every match, a directory with its tree.
    let got = run(&rules(&["go*"], true), GO).unwrap();
    assert_eq!(got.len(), 4);
}

#[test]
fn several_glob_matches_need_all() {
    let files = [("t/a.1", 0o644), ("t/b.1", 0o644), ("t/t", 0o755)];
    let err = run(&rules(&["*.1"], false), &files).unwrap_err();
    assert_eq!(
        err,
        "2 entries match --file *.1: `t/a.1`, `t/b.1`; narrow the glob or take them all with --all"
    );
    assert_eq!(run(&rules(&["*.1"], true), &files).unwrap().len(), 2);
}

#[test]
fn a_trailing_slash_names_a_directory_even_without_its_entry() {
    let files = [("t/share/a", 0o644), ("t/share/b", 0o644), ("t/t", 0o755)];
    let got = run(&rules(&["t/share/"], false), &files).unwrap();
    assert_eq!(
        got,
        [
            ("t/share/a".into(), in_dir("share", "a")),
            ("t/share/b".into(), in_dir("share", "b")),
        ]
    );
    // Without the slash, eget's glob meets only the files.
    assert!(run(&rules(&["t/share"], false), &files).is_err());
}

#[test]
fn eget_s_executable_rule() {
    assert!(eget_executable("tool", 0o644));
    assert!(eget_executable("a/tool.exe", 0o644));
    assert!(eget_executable("a.b/tool", 0o755));
    assert!(!eget_executable("a.b/tool", 0o644));
    assert!(!eget_executable("tool.1", 0o755));
    assert!(!eget_executable("notes.txt", 0o755));
}

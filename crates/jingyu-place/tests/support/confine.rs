//! Shared by the property test (`tests/confine.rs`) and the fuzz target
//! (`fuzz/fuzz_targets/place.rs`): builds a tar from a stream of choices
//! (files, symbolic links and hard links with hostile names and targets),
//! extracts it with `--all` into `dest/` inside a sandbox, as jingyu does,
//! and checks, against the real file system and independently of the tree
//! check:
//!
//! - nothing outside `dest/` exists, vanished or changed (a snapshot of the
//!   whole sandbox, taken without following links, before and after);
//! - a refused archive left `dest/` exactly as it was;
//! - every link an accepted archive made resolves inside `dest/`, and no file
//!   in `dest/` shares its inode with a file outside (no hard link to it).

use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

use jingyu_place::{install, staged_tree, Naming, Root, Staging};
use jingyu_unpack::{extract_stream, Format, Rules};

/// Names that make trouble: climbing, self, a shared top, and `old`, a link
/// already in the destination.
const NAMES: [&str; 9] = ["a", "b", "up", "esc", "x", "..", ".", "top", "old"];

#[derive(Debug)]
pub(crate) enum Item {
    File(String),
    Symlink(String, String),
    HardLink(String, String),
}

/// An archive's entries from `next`, a source of choices. `outside` is an
/// absolute path in the sandbox but outside the destination.
pub(crate) fn items(next: &mut dyn FnMut() -> u8, outside: &str) -> Vec<Item> {
    let count = 1 + next() % 8;
    let top = next().is_multiple_of(2);
    (0..count)
        .map(|i| {
            let path = path(next, top);
            match if i == 0 { 0 } else { next() % 5 } {
                0 | 1 => Item::File(path),
                2 | 3 => Item::Symlink(path, target(next, outside)),
                _ => Item::HardLink(path, self::path(next, top)),
            }
        })
        .collect()
}

/// A member's path: plain names, and one time in sixteen a hostile one
/// (refused by the unpacker before anything is staged).
fn path(next: &mut dyn FnMut() -> u8, top: bool) -> String {
    let mut parts: Vec<&str> = if top { vec!["top"] } else { Vec::new() };
    let plain: Vec<&str> = NAMES
        .iter()
        .copied()
        .filter(|n| !n.starts_with('.'))
        .collect();
    for _ in 0..=next() % 3 {
        let pick = usize::from(next());
        parts.push(if next().is_multiple_of(16) {
            NAMES[pick % NAMES.len()]
        } else {
            plain[pick % plain.len()]
        });
    }
    parts.join("/")
}

fn target(next: &mut dyn FnMut() -> u8, outside: &str) -> String {
    match next() % 10 {
        0 => outside.to_owned(),
        1 => format!("{outside}/../x"),
        // Names, with `..` one time in four: chains of links that each stay
        // inside but climb together.
        _ => {
            let n = 1 + next() % 4;
            let parts: Vec<&str> = (0..n)
                .map(|_| {
                    if next().is_multiple_of(4) {
                        ".."
                    } else {
                        NAMES[usize::from(next()) % NAMES.len()]
                    }
                })
                .collect();
            parts.join("/")
        }
    }
}

/// A tar of `items`, names stored exactly as given.
pub(crate) fn tar(items: &[Item]) -> Vec<u8> {
    let mut b = ::tar::Builder::new(Vec::new());
    for item in items {
        let mut h = ::tar::Header::new_gnu();
        let (path, kind, target) = match item {
            Item::File(p) => (p, ::tar::EntryType::Regular, None),
            Item::Symlink(p, t) => (p, ::tar::EntryType::Symlink, Some(t)),
            Item::HardLink(p, t) => (p, ::tar::EntryType::Link, Some(t)),
        };
        let data: &[u8] = if target.is_none() {
            path.as_bytes()
        } else {
            &[]
        };
        h.set_entry_type(kind);
        h.set_mode(0o755);
        h.set_size(data.len() as u64);
        let gnu = h.as_gnu_mut().expect("a GNU header");
        gnu.name[..path.len().min(99)].copy_from_slice(&path.as_bytes()[..path.len().min(99)]);
        if let Some(t) = target {
            gnu.linkname[..t.len().min(99)].copy_from_slice(&t.as_bytes()[..t.len().min(99)]);
        }
        h.set_cksum();
        b.append(&h, data).expect("append");
    }
    b.into_inner().expect("finish")
}

/// What jingyu does with `--tree`: unpack, stage, install.
pub(crate) fn extract_all(archive: &[u8], root: Root) -> Result<Vec<String>, String> {
    let mut sink = Staging::new(root);
    let rules = Rules {
        name: "tool".into(),
        tree: true,
        max_size: 1 << 20,
        asset: "tool.tar".into(),
        ..Rules::default()
    };
    let members = extract_stream(Format::Tar, &mut &archive[..], &rules, &mut sink)
        .map_err(|e| e.to_string())?;
    let entries = staged_tree(members, &sink.links, &Naming::default(), None);
    install(&sink.root, entries).map_err(|e| e.to_string())
}

/// A sandbox `top/l1/l2/case/` holding `canary`, `outside/secret` and
/// `dest/` with a file and `dest/old -> ../outside`, removed on drop.
pub(crate) struct Sandbox {
    pub(crate) top: PathBuf,
    pub(crate) case: PathBuf,
}

impl Sandbox {
    pub(crate) fn new(top: PathBuf) -> Sandbox {
        let _ = fs::remove_dir_all(&top);
        let case = top.join("l1/l2/case");
        fs::create_dir_all(case.join("outside")).unwrap();
        fs::create_dir_all(case.join("dest")).unwrap();
        fs::write(case.join("canary"), "canary").unwrap();
        fs::write(case.join("outside/secret"), "secret").unwrap();
        fs::write(case.join("dest/keep"), "keep").unwrap();
        std::os::unix::fs::symlink("../outside", case.join("dest/old")).unwrap();
        Sandbox { top, case }
    }

    pub(crate) fn dest(&self) -> PathBuf {
        self.case.join("dest")
    }

    pub(crate) fn outside(&self) -> String {
        self.case.join("outside").display().to_string()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.top);
    }
}

/// What stands at each path below `dir`: kind, mode, content or target, and
/// the inode of files. Links are never followed.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (String, u64)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let what = if meta.is_symlink() {
                format!("link {}", fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                todo.push(path.clone());
                "dir".to_owned()
            } else {
                let body = fs::read(&path).unwrap();
                format!("file {:o} {body:?}", meta.permissions().mode())
            };
            out.insert(path, (what, meta.ino()));
        }
    }
    out
}

/// Runs `extract` in `sandbox` and checks the three promises; panics with
/// `case` (the archive's entries) when one is broken.
pub(crate) fn check(
    sandbox: &Sandbox,
    case: &dyn std::fmt::Debug,
    extract: impl FnOnce() -> Result<Vec<String>, String>,
) {
    let dest = sandbox.dest();
    let before = snapshot(&sandbox.top);
    let result = extract();
    let after = snapshot(&sandbox.top);
    let outside = |m: &BTreeMap<PathBuf, (String, u64)>| -> Vec<(PathBuf, String)> {
        m.iter()
            .filter(|(p, _)| !p.starts_with(&dest))
            .map(|(p, (w, _))| (p.clone(), w.clone()))
            .collect()
    };
    assert_eq!(
        outside(&before),
        outside(&after),
        "something outside dest/ changed: {case:?} gave {result:?}"
    );
    if result.is_err() {
        assert_eq!(
            before, after,
            "a refused archive changed dest/: {case:?} gave {result:?}"
        );
        return;
    }
    let outside_inodes: Vec<u64> = before
        .iter()
        .filter(|(p, (w, _))| !p.starts_with(&dest) && w.starts_with("file"))
        .map(|(_, (_, ino))| *ino)
        .collect();
    for (path, (what, ino)) in &after {
        if !path.starts_with(&dest) || before.get(path).is_some_and(|(w, _)| w == what) {
            continue;
        }
        if what.starts_with("link") {
            assert!(
                resolves_inside(&dest, path),
                "`{}` ({what}) leads outside dest/: {case:?}",
                path.display()
            );
        } else if what.starts_with("file") {
            assert!(
                !outside_inodes.contains(ino),
                "`{}` is a hard link to a file outside: {case:?}",
                path.display()
            );
        }
    }
}

/// Follows the link at `link` on the real file system, one component at a
/// time; whether it ends inside `dest`.
fn resolves_inside(dest: &Path, link: &Path) -> bool {
    let dest = dest.canonicalize().unwrap();
    let mut at = link.parent().unwrap().canonicalize().unwrap();
    let mut pending: VecDeque<OsString> = VecDeque::new();
    let push = |pending: &mut VecDeque<OsString>, target: &Path, at: &mut PathBuf| {
        for c in target.components().rev() {
            match c {
                Component::RootDir => {}
                other => pending.push_front(other.as_os_str().to_owned()),
            }
        }
        if target.is_absolute() {
            *at = PathBuf::from("/");
        }
    };
    push(&mut pending, &fs::read_link(link).unwrap(), &mut at);
    let mut hops = 0;
    while let Some(part) = pending.pop_front() {
        match part.to_str() {
            Some(".") => {}
            Some("..") => {
                at.pop();
            }
            _ => {
                at.push(&part);
                if fs::symlink_metadata(&at).is_ok_and(|m| m.is_symlink()) {
                    hops += 1;
                    if hops > 40 {
                        return true; // a loop goes nowhere
                    }
                    let target = fs::read_link(&at).unwrap();
                    at.pop();
                    push(&mut pending, &target, &mut at);
                }
            }
        }
    }
    at.starts_with(&dest)
}

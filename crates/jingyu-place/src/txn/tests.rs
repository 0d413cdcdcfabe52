use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::*;

/// A fresh directory with `dest/` inside it, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("jingyu-txn-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("dest")).unwrap();
        Scratch(dir)
    }
    fn dest(&self) -> PathBuf {
        self.0.join("dest")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn file(root: &Root, path: &str, body: &str) -> Entry {
    let mut temp = root.temp_file().unwrap();
    temp.write_all(body.as_bytes()).unwrap();
    Entry {
        path: path.into(),
        content: Content::File {
            temp,
            mode: 0o755,
            mtime: Some(1_700_000_000),
        },
    }
}

fn link(path: &str, target: &str) -> Entry {
    Entry {
        path: path.into(),
        content: Content::Symlink(target.into()),
    }
}

fn hard(path: &str, target: &str) -> Entry {
    Entry {
        path: path.into(),
        content: Content::HardLink(target.into()),
    }
}

/// Every path below `dir`, with what it is, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_symlink() {
                out.push(format!("{rel} -> {}", fs::read_link(&p).unwrap().display()));
            } else if meta.is_dir() {
                out.push(format!("{rel}/"));
                todo.push(p);
            } else {
                let body = fs::read_to_string(&p).unwrap_or_default();
                out.push(format!(
                    "{rel} {:o} {body}",
                    meta.permissions().mode() & 0o7777
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn installs_files_then_links_with_modes_and_reports_paths() {
    let s = Scratch::new("basic");
    let root = Root::open(&s.dest()).unwrap();
    let entries = vec![
        file(&root, "bin/tool", "T"),
        link("bin/alias", "tool"),
        hard("bin/again", "bin/tool"),
    ];
    let paths = install(&root, entries).unwrap();
    assert_eq!(paths, ["bin/tool", "bin/alias", "bin/again"]);
    assert_eq!(
        listing(&s.dest()),
        [
            "bin/",
            "bin/again 755 T",
            "bin/alias -> tool",
            "bin/tool 755 T"
        ]
    );
}

#[test]
fn the_last_entry_for_a_path_wins_and_the_earlier_temp_is_gone() {
    let s = Scratch::new("dup");
    let root = Root::open(&s.dest()).unwrap();
    let entries = vec![file(&root, "t", "old"), file(&root, "t", "new")];
    assert_eq!(install(&root, entries).unwrap(), ["t"]);
    assert_eq!(listing(&s.dest()), ["t 755 new"]);
}

#[test]
fn a_failure_half_way_puts_everything_back() {
    for root in [Root::open, |p: &Path| {
        Root::open(p).map(Root::without_openat2)
    }] {
        let s = Scratch::new("rollback");
        fs::write(s.dest().join("a"), "old a").unwrap();
        std::os::unix::fs::symlink("a", s.dest().join("l")).unwrap();
        let before = listing(&s.dest());
        let root = root(&s.dest()).unwrap();
        let entries = vec![
            file(&root, "a", "new a"),
            file(&root, "sub/deeper/b", "b"),
            link("l", "sub/deeper/b"),
            link("m", "a"),
        ];
        let mut seen = 0;
        let err = install_with(&root, entries, &mut |path| {
            seen += 1;
            if path == "m" {
                Err(io::Error::other("disk on fire"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert_eq!(seen, 4);
        assert!(err.to_string().contains("disk on fire"), "{err}");
        assert_eq!(listing(&s.dest()), before);
    }
}

#[test]
fn an_existing_link_is_never_written_through() {
    let s = Scratch::new("planted");
    let outside = s.0.join("outside");
    fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink("../outside", s.dest().join("d")).unwrap();
    for root in [
        Root::open(&s.dest()).unwrap(),
        Root::open(&s.dest()).unwrap().without_openat2(),
    ] {
        let entries = vec![file(&root, "d/x", "x")];
        let err = install(&root, entries).unwrap_err().to_string();
        assert!(
            err.contains("dest/d` is a link already in the destination"),
            "{err}"
        );
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
        // Nor below a directory reached through it.
        let entries = vec![file(&root, "d/deeper/x", "x")];
        assert!(install(&root, entries).is_err());
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
    }
    assert_eq!(listing(&s.dest()), ["d -> ../outside"]);
}

#[test]
fn what_stands_in_the_way_stops_the_install_before_any_change() {
    let s = Scratch::new("inway");
    fs::create_dir(s.dest().join("tool")).unwrap();
    fs::write(s.dest().join("f"), "f").unwrap();
    let root = Root::open(&s.dest()).unwrap();
    let err = install(&root, vec![file(&root, "a", "a"), file(&root, "tool", "t")]).unwrap_err();
    assert!(
        err.to_string().contains("is a directory where a file goes"),
        "{err}"
    );
    let err = install(&root, vec![file(&root, "f/x", "x")]).unwrap_err();
    assert!(
        err.to_string()
            .contains("is a file where a directory is needed"),
        "{err}"
    );
    assert_eq!(listing(&s.dest()), ["f 644 f", "tool/"]);
}

#[test]
fn a_link_planted_by_an_earlier_run_is_judged_with_the_tree() {
    let s = Scratch::new("earlier");
    std::os::unix::fs::symlink("/etc", s.dest().join("old")).unwrap();
    let root = Root::open(&s.dest()).unwrap();
    let err = install(&root, vec![link("a", "old/..")]).unwrap_err();
    assert!(err.to_string().contains("leads outside"), "{err}");
    // Replacing the link itself is fine: rename replaces the name, not its target.
    install(&root, vec![file(&root, "old", "now a file")]).unwrap();
    assert_eq!(listing(&s.dest()), ["old 755 now a file"]);
}

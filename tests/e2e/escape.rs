//! No archive writes outside `--to`: the attacks of the hardening issue, each
//! through the real binary. Every case runs `--all --to {dir}/w/dest/` with a
//! canary file beside `dest/` and checks that the canary is untouched and
//! nothing else appeared anywhere in the case directory.

use std::fs;
use std::os::unix::fs::symlink;

use jingyu_fake::archive::{tar_items, Item};
use jingyu_fake::{FakeGitHub, Release};

use crate::archives::elf;
use crate::harness::{Case, Outcome};

const CANARY: &[u8] = b"original\n";

fn serve(items: &[Item<'_>]) -> FakeGitHub {
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar", tar_items(items)),
    );
    gh
}

/// A case with `w/canary.txt` beside the destination `w/dest/`, and `prepare`
/// run on the case directory first.
fn attack(gh: &FakeGitHub, prepare: impl FnOnce(&std::path::Path)) -> (Outcome, Vec<String>) {
    let case = Case::new(gh).args(["o/tool", "--tree", "--to", "{dir}/w/dest/"]);
    fs::create_dir_all(case.path("w")).unwrap();
    fs::write(case.path("w/canary.txt"), CANARY).unwrap();
    prepare(&case.path(""));
    let before = listing(&case.path(""));
    let out = case.run();
    assert_eq!(
        out.file("w/canary.txt"),
        CANARY,
        "the canary beside --to is untouched"
    );
    (out, before)
}

/// Files, links and their targets under `dir`.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            match fs::read_link(&p) {
                Ok(t) => out.push(format!("{rel} -> {}", t.display())),
                Err(_) if p.is_dir() => {
                    out.push(format!("{rel}/"));
                    todo.push(p);
                }
                Err(_) => out.push(rel),
            }
        }
    }
    out.sort();
    out
}

#[track_caller]
fn refused(out: &Outcome, before: &[String], code: i32, why: &str) {
    out.code(code).stderr_has(why).stdout_is("");
    assert_eq!(listing(&out.dir), before, "nothing changed anywhere");
}

#[test]
fn links_that_climb_together_refuse_the_archive() {
    // The archive: each link passes a lexical check alone, and the
    // hard link then landed `canary.txt` beside `dest/`.
    let gh = serve(&[
        Item::File("d/payload", 0o755, b"PWNED\n"),
        Item::Symlink("d/up", ".."),
        Item::Symlink("d/esc", "up/.."),
        Item::HardLink("d/esc/canary.txt", "d/payload"),
    ]);
    let (out, before) = attack(&gh, |_| {});
    refused(
        &out,
        &before,
        7,
        "unsafe archive entry `up`: the link to `..` leads outside the destination",
    );
    // One level per link, every one inside on its own.
    let gh = serve(&[
        Item::File("pkg/tool", 0o755, &elf("tool")),
        Item::Symlink("pkg/a/b/up", ".."),
        Item::Symlink("pkg/a/b/esc", "up/.."),
        Item::Symlink("pkg/a/x", "b/esc/.."),
    ]);
    let (out, before) = attack(&gh, |_| {});
    refused(
        &out,
        &before,
        7,
        "`a/x`: the link to `b/esc/..` leads outside",
    );
}

#[test]
fn a_link_is_judged_after_the_top_directory_is_stripped() {
    // Inside `top/` it would stay within the archive; installed, `top/` is gone.
    let gh = serve(&[
        Item::File("top/tool", 0o755, &elf("tool")),
        Item::Symlink("top/esc", "../x"),
    ]);
    let (out, before) = attack(&gh, |_| {});
    refused(&out, &before, 7, "`esc`: the link to `../x` leads outside");
}

#[test]
fn nothing_is_written_through_a_link_of_the_archive() {
    let gh = serve(&[
        Item::File("pkg/tool", 0o755, &elf("tool")),
        Item::Symlink("pkg/lib", "bin"),
        Item::File("pkg/lib/evil", 0o644, b"evil"),
    ]);
    let (out, before) = attack(&gh, |_| {});
    refused(
        &out,
        &before,
        7,
        "`lib/evil`: it would be written through the link `lib`",
    );
}

#[test]
fn a_link_already_in_the_destination_is_never_written_through() {
    // As left by an earlier run or planted by someone else.
    let gh = serve(&[
        Item::File("pkg/tool", 0o755, &elf("tool")),
        Item::File("pkg/d/x", 0o644, b"x"),
    ]);
    let (out, before) = attack(&gh, |dir| {
        fs::create_dir_all(dir.join("w/dest")).unwrap();
        fs::create_dir(dir.join("w/outside")).unwrap();
        symlink("../outside", dir.join("w/dest/d")).unwrap();
    });
    refused(
        &out,
        &before,
        8,
        "w/dest/d` is a link already in the destination; jingyu never writes through it",
    );
}

#[test]
fn a_hard_link_names_only_a_file_the_archive_wrote() {
    // A planted link to a secret outside: a hard link to it would give the
    // secret a name inside the destination.
    let gh = serve(&[
        Item::File("pkg/tool", 0o755, &elf("tool")),
        Item::HardLink("pkg/copy", "pkg/p"),
    ]);
    let (out, before) = attack(&gh, |dir| {
        fs::write(dir.join("w/secret"), "secret").unwrap();
        fs::create_dir_all(dir.join("w/dest")).unwrap();
        symlink("../secret", dir.join("w/dest/p")).unwrap();
    });
    refused(
        &out,
        &before,
        7,
        "`copy`: the hard link names `p`, which this archive does not write",
    );
    // Nor a path outside the shared top directory.
    let gh = serve(&[
        Item::File("pkg/tool", 0o755, &elf("tool")),
        Item::HardLink("pkg/copy", "w/canary.txt"),
    ]);
    let (out, before) = attack(&gh, |_| {});
    refused(&out, &before, 7, "which this archive does not write");
}

#[test]
fn a_failed_install_leaves_the_destination_as_it_was() {
    // `dest/share` is a directory where the archive has a file: found before
    // the first rename, so the old `tool` stays and nothing new appears.
    let gh = serve(&[
        Item::File("pkg/tool", 0o755, &elf("new")),
        Item::File("pkg/bin/helper", 0o755, &elf("helper")),
        Item::File("pkg/share", 0o644, b"doc"),
    ]);
    let (out, before) = attack(&gh, |dir| {
        fs::create_dir_all(dir.join("w/dest/share")).unwrap();
        fs::write(dir.join("w/dest/tool"), "old").unwrap();
    });
    refused(
        &out,
        &before,
        8,
        "w/dest/share` is a directory where a file goes",
    );
    assert_eq!(out.file("w/dest/tool"), b"old");
}

#[test]
fn names_with_control_characters_are_not_installed() {
    let gh = serve(&[Item::File("pkg/to\nol", 0o755, &elf("tool"))]);
    let (out, before) = attack(&gh, |_| {});
    refused(
        &out,
        &before,
        7,
        "`to\\nol`: the name holds a control character",
    );
}

//! `--to` as eget has it, `EGET_BIN`/`JINGYU_BIN`, and destinations that fail.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn to_an_existing_directory_keeps_the_name() {
    let gh = two_releases();
    let case = Case::new(&gh).args(["owner/tool", "--to", "{dir}/bin"]);
    fs::create_dir(case.path("bin")).unwrap();
    let out = case.run();
    out.success().stdout_is("{dir}/bin/tool\n");
    assert_eq!(out.file("bin/tool"), tool_bytes("v1.1"));
}

#[test]
fn to_a_path_ending_in_a_slash_creates_the_directory() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "--to", "out/deep/"])
        .run();
    out.success().stdout_is("out/deep/tool\n");
    assert_eq!(out.file("out/deep/tool"), tool_bytes("v1.1"));
}

#[test]
fn to_a_file_name_renames() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "--to", "renamed"]).run();
    out.success().stdout_is("renamed\n");
    assert_eq!(out.file("renamed"), tool_bytes("v1.1"));
    assert_eq!(out.files(), ["renamed"]);
}

#[test]
fn to_dash_writes_the_binary_to_stdout() {
    let gh = two_releases();
    let out = Case::new(&gh).args(["owner/tool", "--to", "-"]).run();
    out.success();
    assert_eq!(out.stdout(), tool_bytes("v1.1"));
    assert!(
        out.files().is_empty(),
        "nothing stays on disk: {:?}",
        out.files()
    );
}

#[test]
fn an_existing_file_is_replaced_atomically() {
    let gh = two_releases();
    let case = Case::new(&gh).args(["owner/tool"]);
    fs::write(case.path("tool"), b"old").unwrap();
    let out = case.run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.1")
    );
}

#[test]
fn eget_bin_and_jingyu_bin_set_the_default_directory_and_to_wins() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("EGET_BIN", "{dir}/ebin")
        .run();
    out.success().stdout_is("{dir}/ebin/tool\n");
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("EGET_BIN", "{dir}/ebin")
        .env("JINGYU_BIN", "{dir}/jbin")
        .run();
    out.success().stdout_is("{dir}/jbin/tool\n");
    // eget: a --to that is no path is a name inside EGET_BIN; a path is not.
    let out = Case::new(&gh)
        .args(["owner/tool", "--to", "x"])
        .env("JINGYU_BIN", "{dir}/jbin")
        .run();
    out.success().stdout_is("{dir}/jbin/x\n");
    let out = Case::new(&gh)
        .args(["owner/tool", "--to", "./x"])
        .env("EGET_BIN", "{dir}/ebin")
        .run();
    out.success().stdout_is("x\n");
}

#[test]
fn eget_bin_receives_executables_only() {
    let gh = two_releases();
    // The asset as downloaded and a README are not executables: they stay in
    // the working directory, as with eget.
    let out = Case::new(&gh)
        .args(["owner/tool", "-d"])
        .env("EGET_BIN", "{dir}/ebin")
        .run();
    out.success().stdout_is("tool-v1.1-linux-amd64.tar.gz\n");
    let out = Case::new(&gh)
        .args(["owner/tool", "--file", "README.md"])
        .env("EGET_BIN", "{dir}/ebin")
        .run();
    out.success().stdout_is("README.md\n");
    assert!(!out.dir.join("ebin").exists(), "{:?}", out.files());
}

#[test]
fn missing_parents_of_a_file_destination_are_made_as_eget_makes_them() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "--to", "no/such/dir/name"])
        .run();
    out.success().stdout_is("no/such/dir/name\n");
    assert_eq!(out.file("no/such/dir/name"), tool_bytes("v1.1"));
    // A failed install takes them away again.
    let out = Case::new(&gh)
        .args([
            "owner/tool",
            "--to",
            "no/such/dir/name",
            "--verify-sha256",
            &"0".repeat(64),
        ])
        .run();
    out.code(5);
    assert!(!out.dir.join("no").exists(), "{:?}", out.files());
}

#[test]
fn a_read_only_destination_fails_cleanly_and_keeps_the_old_file() {
    let gh = two_releases();
    let case = Case::new(&gh)
        .args(["owner/tool", "--to", "{dir}/ro/"])
        .unprivileged();
    let ro = case.path("ro");
    fs::create_dir(&ro).unwrap();
    fs::write(ro.join("tool"), b"old").unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    let out = case.run();
    out.code(8).stderr_has("permission denied");
    assert_eq!(fs::read(ro.join("tool")).unwrap(), b"old");
    assert_eq!(out.files(), ["ro/tool"], "no temporary file is left");
}

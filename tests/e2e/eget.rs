//! eget 1.3.4's results, case by case, where jingyu used to differ: the name
//! and mode of a single file, and what an explicit `--asset` installs.

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::{elf, gzip};
use crate::harness::Case;

fn serve(assets: &[(&str, Vec<u8>)]) -> FakeGitHub {
    let gh = FakeGitHub::start();
    let mut release = Release::new("v1");
    for (name, bytes) in assets {
        release = release.asset(name, bytes.clone());
    }
    gh.release("o/tool", release);
    gh
}

#[test]
fn an_explicit_package_asset_is_saved_as_downloaded_not_made_executable() {
    let deb = b"!<arch>\ndebian-binary   0  0  0  100644  4  `\n2.0\n".to_vec();
    let gh = serve(&[
        ("tool_1_amd64.deb", deb.clone()),
        ("tool-linux-amd64", elf("tool")),
    ]);
    let out = Case::new(&gh).args(["o/tool", "-a", ".deb"]).run();
    out.success().stdout_is("tool_1_amd64.deb\n");
    assert_eq!(out.file("tool_1_amd64.deb"), deb);
    assert_eq!(
        out.mode("tool_1_amd64.deb"),
        0o644,
        "eget: 0666 less the umask"
    );
    assert_eq!(out.files(), ["tool_1_amd64.deb"]);
}

#[test]
fn a_gz_single_file_takes_the_tool_name_not_the_gzip_header() {
    let mut e = flate2::GzBuilder::new()
        .filename("tool-v1-linux-amd64")
        .write(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, &elf("tool")).unwrap();
    let gh = serve(&[("tool-linux-amd64.gz", e.finish().unwrap())]);
    let out = Case::new(&gh).args(["o/tool"]).run();
    out.success().stdout_is("tool\n");
    assert_eq!((out.file("tool"), out.mode("tool")), (elf("tool"), 0o755));
    // Without a stored name, the same.
    let gh = serve(&[("tool-linux-amd64.gz", gzip(&elf("tool")))]);
    Case::new(&gh)
        .args(["o/tool"])
        .run()
        .success()
        .stdout_is("tool\n");
}

#[test]
fn a_bare_windows_exe_keeps_its_name() {
    let exe = b"MZ\x90\0this is a PE".to_vec();
    let gh = serve(&[
        ("tool-windows-amd64.exe", exe.clone()),
        ("tool-linux-amd64", elf("tool")),
    ]);
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "windows/amd64", "--skip-binary-check"])
        .run();
    out.success().stdout_is("tool-windows-amd64.exe\n");
    assert_eq!(out.file("tool-windows-amd64.exe"), exe);
}

#[test]
fn short_options_cluster_and_attach_values_as_in_eget() {
    let gh = crate::two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool", "-qt", "v1.0", "--to", "bin/"])
        .run();
    out.success().stdout_is("bin/tool\n").stderr_lacks("picked");
    assert_eq!(out.file("bin/tool"), crate::tool_bytes("v1.0"));
    // go-flags attaches a value only to the first letter of a cluster.
    let out = Case::new(&gh).args(["owner/tool", "-qtv1.0"]).run();
    out.code(2);
    assert!(out.error_line().contains("-qtv1.0"), "{}", out.error_line());
    let out = Case::new(&gh).args(["owner/tool", "-qd", "-tv1.0"]).run();
    out.success().stdout_is("tool-v1.0-linux-amd64.tar.gz\n");
}

#[test]
fn stdout_is_eget_s_silence_unless_print_paths_asks_for_the_paths() {
    let gh = crate::two_releases();
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--to", "bin/"])
        .run();
    out.success().stdout_is("").stderr_has("installed bin/tool");
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--to", "bin/", "--print-paths"])
        .run();
    out.success().stdout_is("bin/tool\n");
    let case = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--remove"]);
    std::fs::write(case.path("tool"), "old").unwrap();
    let out = case.run();
    out.success().stdout_is("Removed `tool`\n");
    assert!(out.files().is_empty());
}

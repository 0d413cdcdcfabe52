//! The shipped shape: a fully static jingyu, alone in an empty directory used
//! as `/` (no /tmp, no /etc, no CA bundle, no HOME, no /proc), installs from
//! the fake server. `tests/run.sh` builds the binary and sets
//! `JINGYU_STATIC_BIN`; under CI its absence is a failure, not a skip.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use jingyu_fake::{FakeForge, Host, Release};

use crate::archives::{elf as elf_of, tool_tar_gz};
use crate::harness::{is_root, Scratch};
use crate::{tool_bytes, two_releases};

/// The static binary and `chroot`, or `None` (a skip, said on stderr) where
/// the suite cannot use them; under CI their absence fails.
#[allow(clippy::print_stderr)]
fn static_and_chroot() -> Option<(std::ffi::OsString, &'static str)> {
    let in_ci = std::env::var_os("CI").is_some();
    let Some(bin) = std::env::var_os("JINGYU_STATIC_BIN") else {
        assert!(
            !in_ci,
            "CI must run tests/run.sh, which sets JINGYU_STATIC_BIN"
        );
        eprintln!("skipped: JINGYU_STATIC_BIN is not set (tests/run.sh sets it)");
        return None;
    };
    if !is_root() {
        assert!(!in_ci, "CI runs as root so that chroot works");
        eprintln!("skipped: chroot needs root");
        return None;
    }
    let chroot = ["/usr/sbin/chroot", "/usr/bin/chroot"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("coreutils' chroot");
    Some((bin, chroot))
}

/// An empty directory holding only `/jingyu`.
fn empty_root(bin: &std::ffi::OsStr) -> Scratch {
    let root = Scratch::new();
    fs::copy(bin, root.0.join("jingyu")).unwrap();
    fs::set_permissions(root.0.join("jingyu"), fs::Permissions::from_mode(0o755)).unwrap();
    root
}

#[test]
fn a_static_binary_installs_inside_an_empty_chroot() {
    let Some((bin, chroot)) = static_and_chroot() else {
        return;
    };
    let elf = fs::read(&bin).unwrap();
    assert!(
        !has_interpreter(&elf),
        "the binary asks for a dynamic loader (PT_INTERP)"
    );
    let root = empty_root(&bin);
    let gh = two_releases();
    let out = Command::new(chroot)
        .arg(&root.0)
        .args(["/jingyu", "owner/tool", "--to", "/out/", "--print-paths"])
        .env_clear()
        .env("GITHUB_API_URL", gh.api_url())
        .env("TARGETPLATFORM", "linux/arm64")
        .output()
        .expect("run chroot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\n{stderr}",
        out.status.code()
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "/out/tool\n");
    assert_eq!(
        fs::read(root.0.join("out/tool")).unwrap(),
        tool_bytes("v1.1 arm64")
    );
    let mut left: Vec<String> = fs::read_dir(&root.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["jingyu", "out"], "nothing else was written");
    assert!(
        stderr.contains("verified against the release's digest"),
        "{stderr}"
    );
    let version = Command::new(chroot)
        .arg(&root.0)
        .args(["/jingyu", "--version"])
        .env_clear()
        .output()
        .expect("run chroot");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        crate::archives::static_version_line(),
        "the revision it was built with"
    );
}

#[test]
fn each_forge_reads_its_own_buildkit_secret_file() {
    let Some((bin, chroot)) = static_and_chroot() else {
        return;
    };
    let (gl, tea) = (FakeForge::gitlab(), FakeForge::gitea());
    let release = || Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1"));
    gl.release("g/sub/tool", release())
        .private("g/sub/tool", "gl-secret");
    tea.release("o/tool", release())
        .private("o/tool", "fj-secret");
    let root = empty_root(&bin);
    fs::create_dir_all(root.0.join("run/secrets")).unwrap();
    // A GitHub secret too, which neither of the others may receive.
    fs::write(root.0.join("run/secrets/github_token"), "gh-secret\n").unwrap();
    fs::write(root.0.join("run/secrets/gitlab_token"), "gl-secret\n").unwrap();
    fs::write(root.0.join("run/secrets/forgejo_token"), "fj-secret\n").unwrap();
    for (target, var, api) in [
        ("gitlab.com/g/sub/tool", "GITLAB_API_URL", gl.api_url()),
        ("codeberg.org/o/tool", "GITEA_API_URL", tea.api_url()),
    ] {
        let out = Command::new(chroot)
            .arg(&root.0)
            .args([
                "/jingyu",
                target,
                "--to",
                "/out/",
                "--system",
                "linux/amd64",
            ])
            .env_clear()
            .env(var, api)
            .output()
            .expect("run chroot");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{target}: exit {:?}\n{stderr}",
            out.status.code()
        );
        assert_eq!(
            fs::read(root.0.join("out/tool")).unwrap(),
            elf_of("tool v1")
        );
        fs::remove_file(root.0.join("out/tool")).unwrap();
    }
    let api = |f: &FakeForge| {
        f.requests()
            .into_iter()
            .filter(|r| r.host == Host::Api)
            .collect::<Vec<_>>()
    };
    assert!(api(&gl)
        .iter()
        .all(|r| r.header("private-token") == Some("gl-secret")));
    assert!(api(&tea)
        .iter()
        .all(|r| r.header("authorization") == Some("token fj-secret")));
    for r in gl.requests().iter().chain(tea.requests().iter()) {
        assert!(
            r.headers.iter().all(|(_, v)| !v.contains("gh-secret")),
            "the GitHub secret left for {}",
            r.path
        );
    }
}

/// Whether a 64-bit little-endian ELF has a `PT_INTERP` program header.
fn has_interpreter(elf: &[u8]) -> bool {
    assert_eq!(&elf[..6], b"\x7fELF\x02\x01", "a 64-bit little-endian ELF");
    let u16_at = |o: usize| usize::from(u16::from_le_bytes([elf[o], elf[o + 1]]));
    let phoff = usize::try_from(u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap())).unwrap();
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| elf[phoff + i * size..][..4] == 3u32.to_le_bytes())
}

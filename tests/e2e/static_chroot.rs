//! The shipped shape: a fully static jingyu, alone in an empty directory used
//! as `/` (no /tmp, no /etc, no CA bundle, no HOME, no /proc), installs from
//! the fake server. `tests/run.sh` builds the binary and sets
//! `JINGYU_STATIC_BIN`; under CI its absence is a failure, not a skip.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::harness::{is_root, Scratch};
use crate::{tool_bytes, two_releases};

#[test]
#[allow(clippy::print_stderr)]
fn a_static_binary_installs_inside_an_empty_chroot() {
    let in_ci = std::env::var_os("CI").is_some();
    let Some(bin) = std::env::var_os("JINGYU_STATIC_BIN") else {
        assert!(
            !in_ci,
            "CI must run tests/run.sh, which sets JINGYU_STATIC_BIN"
        );
        eprintln!("skipped: JINGYU_STATIC_BIN is not set (tests/run.sh sets it)");
        return;
    };
    if !is_root() {
        assert!(!in_ci, "CI runs as root so that chroot works");
        eprintln!("skipped: chroot needs root");
        return;
    }
    let elf = fs::read(&bin).unwrap();
    assert!(
        !has_interpreter(&elf),
        "the binary asks for a dynamic loader (PT_INTERP)"
    );

    let root = Scratch::new();
    fs::copy(&bin, root.0.join("jingyu")).unwrap();
    fs::set_permissions(root.0.join("jingyu"), fs::Permissions::from_mode(0o755)).unwrap();
    let gh = two_releases();
    let chroot = ["/usr/sbin/chroot", "/usr/bin/chroot"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("coreutils' chroot");
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
}

/// Whether a 64-bit little-endian ELF has a `PT_INTERP` program header.
fn has_interpreter(elf: &[u8]) -> bool {
    assert_eq!(&elf[..6], b"\x7fELF\x02\x01", "a 64-bit little-endian ELF");
    let u16_at = |o: usize| usize::from(u16::from_le_bytes([elf[o], elf[o + 1]]));
    let phoff = usize::try_from(u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap())).unwrap();
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| elf[phoff + i * size..][..4] == 3u32.to_le_bytes())
}

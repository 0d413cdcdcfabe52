//! Every archive format through the whole pipeline, the format read from the
//! content when the name lies, the binary's platform checked, and hostile
//! archives leaving nothing behind.

use std::fs;

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::{bz2, elf, elf_for, gzip, tar, xz, zip, zst};
use crate::harness::Case;

/// One release per asset name, each holding `bytes`.
fn serve(name: &str, bytes: Vec<u8>) -> FakeGitHub {
    let gh = FakeGitHub::start();
    gh.release("o/tool", Release::new("v1").asset(name, bytes));
    gh
}

#[test]
fn every_format_installs_the_binary() {
    let bin = elf("tool");
    let tarball = tar(&[
        ("tool-v1/tool", 0o755, &bin),
        ("tool-v1/LICENSE", 0o644, b"MIT"),
    ]);
    let cases = [
        ("tool-linux-amd64.tar", tarball.clone()),
        ("tool-linux-amd64.tar.gz", gzip(&tarball)),
        ("tool-linux-amd64.tgz", gzip(&tarball)),
        ("tool-linux-amd64.tar.xz", xz(&tarball)),
        ("tool-linux-amd64.tar.bz2", bz2(&tarball)),
        ("tool-linux-amd64.tar.zst", zst(&tarball)),
        (
            "tool-linux-amd64.zip",
            zip(&[
                ("tool-v1/tool", 0o755, &bin),
                ("tool-v1/LICENSE", 0o644, b"MIT"),
            ]),
        ),
        ("tool-linux-amd64.gz", gzip(&bin)),
        ("tool-linux-amd64.xz", xz(&bin)),
        ("tool-linux-amd64.bz2", bz2(&bin)),
        ("tool-linux-amd64.zst", zst(&bin)),
        ("tool-linux-amd64", bin.clone()),
    ];
    for (name, bytes) in cases {
        let gh = serve(name, bytes);
        let out = Case::new(&gh).args(["o/tool"]).run();
        assert_eq!(
            out.success().stdout_is("tool\n").file("tool"),
            bin,
            "{name}"
        );
        assert_eq!(out.files(), ["tool"], "{name}: nothing else is left");
    }
}

/// bzip2 is decoded block by block on several cores: a stream of many blocks
/// from the real `bzip2` tool, and streams one after another as pbzip2 writes
/// them, come out byte for byte.
#[test]
fn bzip2_of_many_blocks_and_many_streams_installs_byte_for_byte() {
    let bin = jingyu_fake::archive::big_elf(5 << 20);
    let tarball = tar(&[("tool", 0o755, &bin)]);
    let one_stream = jingyu_fake::archive::bzip2_tool(&tarball);
    let mut streams = Vec::new();
    for part in tarball.chunks(700_000) {
        streams.extend(bz2(part));
    }
    for (name, bytes) in [("one stream", one_stream), ("streams", streams)] {
        let gh = serve("tool-linux-amd64.tar.bz2", bytes);
        let out = Case::new(&gh).args(["o/tool"]).run();
        let installed = out.success().stdout_is("tool\n").file("tool");
        assert!(installed == bin, "{name}: the installed file differs");
    }
}

#[test]
fn the_content_decides_when_the_name_is_wrong_or_says_nothing() {
    let bin = elf("tool");
    let tarball = tar(&[("tool", 0o755, &bin)]);
    for (name, bytes) in [
        ("tool-linux-amd64.bin", gzip(&tarball)),
        ("tool-linux-amd64.tar.gz", zst(&tarball)),
        ("tool-linux-amd64.zip", bin.clone()),
    ] {
        let gh = serve(name, bytes);
        let out = Case::new(&gh)
            .args(["o/tool", "--verbose", "--to", "out/"])
            .run();
        assert_eq!(
            out.success()
                .stdout_is("out/tool\n")
                .stderr_has("by its content")
                .file("out/tool"),
            bin,
            "{name}"
        );
    }
    // a direct URL whose last segment has no extension
    let gh = serve("download", gzip(&tarball));
    let url = gh.asset_url("o/tool", "v1", "download");
    let out = Case::new(&gh).args([url.as_str(), "--to", "out/"]).run();
    assert_eq!(out.success().stdout_is("out/tool\n").file("out/tool"), bin);
}

#[test]
fn a_binary_for_another_platform_is_refused_unless_asked() {
    let x86 = elf_for(62, "x86-64 inside");
    let gh = serve(
        "tool-linux-arm64.tar.gz",
        gzip(&tar(&[("tool", 0o755, &x86)])),
    );
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "linux/arm64"])
        .run();
    out.code(7);
    assert_eq!(out.error_line(), "jingyu: error: `tool` is ELF 64-bit amd64, static, not a binary for linux/arm64; the release is mispackaged or another asset fits (see --dry-run --verbose); --skip-binary-check installs it anyway");
    assert!(out.files().is_empty());
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "linux/arm64", "--skip-binary-check"])
        .run();
    assert_eq!(
        out.success()
            .stdout_is("tool\n")
            .stderr_has("installing it anyway")
            .file("tool"),
        x86
    );
    // An explicit --asset is obeyed as eget obeys it, with a warning.
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "linux/arm64", "--asset", "arm64"])
        .run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("not for linux/arm64; installing it anyway, as --asset");
}

#[test]
fn the_binary_is_described_and_glibc_on_musl_is_warned() {
    let arm = elf_for(183, "arm64");
    let gh = serve(
        "tool-linux-arm64.tar.gz",
        gzip(&tar(&[("tool", 0o755, &arm)])),
    );
    Case::new(&gh)
        .args(["o/tool", "--system", "linux/arm64"])
        .run()
        .success()
        .stdout_is("tool\n")
        .stderr_has("`tool`: ELF 64-bit arm64, static")
        .stderr_lacks("warning");

    let mut glibc = vec![0u8; 300];
    glibc[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\0");
    glibc[18..20].copy_from_slice(&183u16.to_le_bytes());
    glibc[32..40].copy_from_slice(&64u64.to_le_bytes());
    glibc[54..56].copy_from_slice(&56u16.to_le_bytes());
    glibc[56..58].copy_from_slice(&1u16.to_le_bytes());
    glibc[64..68].copy_from_slice(&3u32.to_le_bytes());
    glibc[72..80].copy_from_slice(&200u64.to_le_bytes());
    glibc[96..104].copy_from_slice(&27u64.to_le_bytes());
    glibc[200..226].copy_from_slice(b"/lib/ld-linux-aarch64.so.1");
    let gh = serve(
        "tool-aarch64-unknown-linux-gnu.tar.gz",
        gzip(&tar(&[("tool", 0o755, &glibc)])),
    );
    let out = Case::new(&gh)
        .args(["o/tool", "--system", "aarch64-unknown-linux-musl"])
        .run();
    out.success()
        .stdout_is("tool\n")
        .stderr_has("dynamic (/lib/ld-linux-aarch64.so.1)")
        .stderr_has("needs glibc (/lib/ld-linux-aarch64.so.1) but the target is musl");
}

#[test]
fn hostile_archives_write_nothing_anywhere() {
    let evil_tar = {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(4);
        h.set_mode(0o755);
        h.set_entry_type(tar::EntryType::Regular);
        h.as_gnu_mut().unwrap().name[..11].copy_from_slice(b"../../evil1");
        h.set_cksum();
        b.append(&h, &b"evil"[..]).unwrap();
        b.into_inner().unwrap()
    };
    let link_tar = {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "tool", "/etc/passwd").unwrap();
        b.into_inner().unwrap()
    };
    let cases = [
        (
            "tool-linux-amd64.tar.gz",
            gzip(&evil_tar),
            "`../../evil1`: `..` leads outside the destination",
        ),
        (
            "tool-linux-amd64.tar",
            link_tar,
            "`tool`: link points outside the destination",
        ),
        (
            "tool-linux-amd64.zip",
            zip(&[("/tmp/evil2", 0o755, b"evil")]),
            "`/tmp/evil2`: absolute path",
        ),
    ];
    for (name, bytes, why) in cases {
        let gh = serve(name, bytes);
        let case = Case::new(&gh).args(["o/tool", "--tree", "--to", "{dir}/a/b/dest/"]);
        let root = case.path("");
        let out = case.run();
        out.code(7).stderr_has(why);
        assert_eq!(
            out.files(),
            Vec::<String>::new(),
            "{name}: nothing inside or beside --to"
        );
        assert!(
            !root.join("a").exists(),
            "{name}: the directories made for --to are removed again"
        );
        assert!(!std::path::Path::new("/tmp/evil2").exists());
    }
}

#[test]
fn a_decompression_bomb_stops_at_max_size() {
    let bomb = gzip(&tar(&[("tool", 0o755, &vec![0u8; 8 << 20])]));
    let gh = serve("tool-linux-amd64.tar.gz", bomb);
    let out = Case::new(&gh).args(["o/tool", "--max-size", "1M"]).run();
    out.code(7).stderr_has(
        "unpacking would write more than 1048576 bytes; raise --max-size if the archive is genuine",
    );
    assert!(out.files().is_empty());
}

#[test]
fn a_damaged_archive_installs_nothing() {
    let mut archive = gzip(&tar(&[("tool", 0o755, &elf("tool"))]));
    let n = archive.len();
    archive[n - 6] ^= 0xff; // the gzip CRC
    let gh = FakeGitHub::start();
    gh.release(
        "o/tool",
        Release::new("v1").asset_with_digest("tool-linux-amd64.tar.gz", archive, None),
    );
    let case = Case::new(&gh).args(["o/tool"]);
    fs::write(case.path("tool"), b"old").unwrap();
    let out = case.run();
    out.code(7).stderr_has("the tar.gz archive is damaged");
    assert_eq!(out.file("tool"), b"old");
    assert_eq!(out.files(), ["tool"]);
}

#[test]
fn all_recreates_links_that_stay_inside() {
    let bin = elf("real");
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, kind: tar::EntryType, target: Option<&str>, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(0o755);
        h.set_size(data.len() as u64);
        match target {
            Some(t) => b.append_link(&mut h, path, t).unwrap(),
            None => b.append_data(&mut h, path, data).unwrap(),
        }
    };
    add("pkg/bin/real", tar::EntryType::Regular, None, &bin);
    add("pkg/bin/alias", tar::EntryType::Symlink, Some("real"), b"");
    add(
        "pkg/lib/hard",
        tar::EntryType::Link,
        Some("pkg/bin/real"),
        b"",
    );
    let gh = serve("pkg-linux-amd64.tar.gz", gzip(&b.into_inner().unwrap()));
    let out = Case::new(&gh)
        .args(["o/tool", "--tree", "--to", "opt"])
        .run();
    out.success()
        .stdout_is("opt/bin/real\nopt/bin/alias\nopt/lib/hard\n");
    assert_eq!(
        fs::read_link(out.dir.join("opt/bin/alias")).unwrap(),
        std::path::Path::new("real")
    );
    assert_eq!(out.file("opt/bin/alias"), bin);
    assert_eq!(out.file("opt/lib/hard"), bin);
    // without --all, links are not installed
    let out = Case::new(&gh).args(["o/tool"]).run();
    assert_eq!(out.success().stdout_is("real\n").files(), ["real"]);
}

//! The one fake GitHub every case runs against: repositories shaped like
//! real releases (several platforms, archives of every format eget reads,
//! bare binaries, sidecars, pre-releases, a private repository), served at
//! `https://api.github.com` through a routing proxy, with the fake's
//! certificate in a CA file for `SSL_CERT_FILE`.

use std::path::PathBuf;
use std::sync::LazyLock;

use jingyu_fake::archive::{bzip2, elf_for, gzip, tar, tar_items, xz, zip, Item};
use jingyu_fake::{sha256_hex, FakeGitHub, FakeProxy, Release};

pub(crate) struct World {
    /// The asset host, for direct-URL cases (`{assets}`).
    pub(crate) assets: String,
    pub(crate) proxy: FakeProxy,
    pub(crate) ca_file: PathBuf,
}

/// The private repository's token.
pub(crate) const TOKEN: &str = "ghp_differential";

pub(crate) static WORLD: LazyLock<World> = LazyLock::new(|| {
    let gh = FakeGitHub::start_as_github();
    populate(&gh);
    let proxy = FakeProxy::routing(vec![
        ("api.github.com:443".to_owned(), gh.api_addr()),
        ("github.com:443".to_owned(), gh.api_addr()),
    ]);
    let ca_file = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("differential-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, gh.ca_pem().expect("a TLS fake")).unwrap();
    World {
        assets: gh.assets_url(),
        proxy,
        ca_file,
    }
});

/// A program for a platform, with a real header so that both tools' checks
/// see what a release would hold.
pub(crate) fn program(platform: &str, name: &str) -> Vec<u8> {
    let body = format!("program {name} for {platform}\n");
    let mut b = match platform {
        "linux/amd64" => elf_for(62, ""),
        "linux/arm64" => elf_for(183, ""),
        "darwin/amd64" | "darwin/arm64" => {
            let cpu: u32 = if platform.ends_with("arm64") {
                0x0100_000c
            } else {
                0x0100_0007
            };
            let mut m = vec![0xcf, 0xfa, 0xed, 0xfe];
            m.extend(cpu.to_le_bytes());
            m.resize(64, 0);
            m
        }
        "windows/amd64" => {
            let mut pe = vec![0u8; 256];
            pe[..2].copy_from_slice(b"MZ");
            pe[0x3c..0x40].copy_from_slice(&128u32.to_le_bytes());
            pe[128..132].copy_from_slice(b"PE\0\0");
            pe[132..134].copy_from_slice(&0x8664u16.to_le_bytes());
            pe
        }
        other => panic!("no program for {other}"),
    };
    b.extend_from_slice(body.as_bytes());
    b
}

const PLATFORMS: [(&str, &str); 4] = [
    ("linux/amd64", "linux-amd64"),
    ("linux/arm64", "linux-arm64"),
    ("darwin/amd64", "darwin-amd64"),
    ("windows/amd64", "windows-amd64"),
];

/// `tool-TAG/tool` (`tool.exe` on Windows) with a README and a licence.
fn tool_archive(tag: &str, platform: &str) -> Vec<u8> {
    let exe = if platform.starts_with("windows") {
        "tool.exe"
    } else {
        "tool"
    };
    let bin = program(platform, &format!("tool {tag}"));
    let files = [
        (format!("tool-{tag}/README.md"), 0o644, b"# tool\n".to_vec()),
        (format!("tool-{tag}/LICENSE"), 0o644, b"MIT\n".to_vec()),
        (format!("tool-{tag}/{exe}"), 0o755, bin),
    ];
    let refs: Vec<(&str, u32, &[u8])> = files
        .iter()
        .map(|(p, m, b)| (p.as_str(), *m, b.as_slice()))
        .collect();
    if platform.starts_with("windows") {
        zip(&refs)
    } else {
        gzip(&tar(&refs))
    }
}

fn tool_release(tag: &str) -> Release {
    let mut release = Release::new(tag);
    for (platform, slug) in PLATFORMS {
        let ext = if platform.starts_with("windows") {
            "zip"
        } else {
            "tar.gz"
        };
        release = release.asset(
            &format!("tool-{tag}-{slug}.{ext}"),
            tool_archive(tag, platform),
        );
    }
    release
}

fn populate(gh: &FakeGitHub) {
    for tag in ["v1.0", "v1.1", "v1.2.0"] {
        gh.release(
            "o/tool",
            tool_release(tag).published(&format!("2025-0{}-01T00:00:00Z", tag.len() - 2)),
        );
    }
    gh.release(
        "o/tool",
        tool_release("v1.2.1-rc.1")
            .prerelease()
            .published("2025-09-01T00:00:00Z"),
    );
    multi(gh);
    trees(gh);
    singles(gh);
    formats(gh);
    checksums(gh);
    let private = Release::new("v9").asset(
        "secret-linux-amd64.tar.gz",
        gzip(&tar(&[(
            "secret",
            0o755,
            &program("linux/amd64", "secret"),
        )])),
    );
    gh.release("o/secret", private);
    gh.private("o/secret", TOKEN);
    let src = gzip(&tar(&[
        ("o-src-abc123/README.md", 0o644, b"# src\n"),
        (
            "o-src-abc123/src",
            0o755,
            &program("linux/amd64", "src from source"),
        ),
    ]));
    gh.release(
        "o/src",
        Release::new("v1")
            .asset(
                "src-linux-amd64.tar.gz",
                gzip(&tar(&[("src", 0o755, &program("linux/amd64", "src v1"))])),
            )
            .source(src.clone()),
    );
    // The default branch is `main`: eget asks for `master`.
    gh.default_branch("o/src", src);
    gh.release(
        "o/onlymac",
        Release::new("v1").asset(
            "onlymac-darwin-arm64.tar.gz",
            gzip(&tar(&[(
                "onlymac",
                0o755,
                &program("darwin/arm64", "onlymac"),
            )])),
        ),
    );
}

/// Two programs and their documents in one archive.
fn multi(gh: &FakeGitHub) {
    let (alpha, beta) = (
        program("linux/amd64", "alpha"),
        program("linux/amd64", "beta"),
    );
    let files: [(&str, u32, &[u8]); 5] = [
        ("multi-v2/bin/alpha", 0o755, &alpha),
        ("multi-v2/bin/beta", 0o755, &beta),
        ("multi-v2/share/man/alpha.1", 0o644, b".TH alpha 1\n"),
        ("multi-v2/share/doc.txt", 0o644, b"docs\n"),
        ("multi-v2/README.md", 0o644, b"# multi\n"),
    ];
    gh.release(
        "o/multi",
        Release::new("v2").asset("multi-v2-linux-amd64.tar.gz", gzip(&tar(&files))),
    );
}

/// Archives with directory entries, as Go's and most real tarballs have them:
/// `o/go` like Go's own, `o/golink` with a symbolic link inside.
fn trees(gh: &FakeGitHub) {
    let (go, gofmt) = (
        program("linux/amd64", "go"),
        program("linux/amd64", "gofmt"),
    );
    let mut items = vec![
        Item::Dir("go/"),
        Item::Dir("go/bin/"),
        Item::File("go/bin/go", 0o755, &go),
        Item::File("go/bin/gofmt", 0o755, &gofmt),
        Item::File("go/VERSION", 0o644, b"go1.25.4\n"),
        Item::Dir("go/src/"),
        Item::File("go/src/a.go", 0o644, b"package a\n"),
        Item::Dir("go/share/"),
        Item::File("go/share/doc.txt", 0o644, b"doc\n"),
        Item::File("go/share/go.1", 0o644, b".TH go 1\n"),
    ];
    gh.release(
        "o/go",
        Release::new("v1").asset("go-v1-linux-amd64.tar.gz", gzip(&tar_items(&items))),
    );
    items.push(Item::Symlink("go/bin/golink", "go"));
    gh.release(
        "o/golink",
        Release::new("v1").asset("golink-v1-linux-amd64.tar.gz", gzip(&tar_items(&items))),
    );
}

/// Bare programs, a gzipped one, a Windows `.exe` and a Debian package.
fn singles(gh: &FakeGitHub) {
    gh.release(
        "o/bare",
        Release::new("v3")
            .asset("bare-linux-amd64", program("linux/amd64", "bare"))
            .asset("bare-linux-arm64", program("linux/arm64", "bare"))
            .asset("bare-darwin-amd64", program("darwin/amd64", "bare")),
    );
    gh.release(
        "o/gz",
        Release::new("v1").asset("gz-linux-amd64.gz", gzip(&program("linux/amd64", "gz"))),
    );
    gh.release(
        "o/exe",
        Release::new("v1").asset("exe-windows-amd64.exe", program("windows/amd64", "exe")),
    );
    let deb = b"!<arch>\ndebian-binary   0  0  0  100644  4  `\n2.0\n".to_vec();
    gh.release(
        "o/deb",
        Release::new("v1")
            .asset("deb_1_amd64.deb", deb)
            .asset("deb-linux-amd64", program("linux/amd64", "deb")),
    );
}

/// The same program as tar.xz, tar.bz2 and zip.
fn formats(gh: &FakeGitHub) {
    for (repo, compress) in [("o/xz", xz as fn(&[u8]) -> Vec<u8>), ("o/bz", bzip2)] {
        let name = repo.trim_start_matches("o/");
        let ext = if name == "xz" { "tar.xz" } else { "tar.bz2" };
        let bin = program("linux/amd64", name);
        let archive = compress(&tar(&[(&format!("{name}-v1/{name}"), 0o755, &bin)]));
        gh.release(
            repo,
            Release::new("v1").asset(&format!("{name}-v1-linux-amd64.{ext}"), archive),
        );
    }
    let bin = program("linux/amd64", "zip");
    gh.release(
        "o/zip",
        Release::new("v1").asset(
            "zip-v1-linux-amd64.zip",
            zip(&[("zip-v1/zip", 0o755, &bin)]),
        ),
    );
}

/// Sidecars: a right one, and a wrong one.
fn checksums(gh: &FakeGitHub) {
    for (repo, right) in [("o/sums", true), ("o/badsum", false)] {
        let name = repo.trim_start_matches("o/");
        let asset = format!("{name}-linux-amd64.tar.gz");
        let bytes = gzip(&tar(&[(name, 0o755, &program("linux/amd64", name))]));
        let hex = if right {
            sha256_hex(&bytes)
        } else {
            "0".repeat(64)
        };
        let sidecar = format!("{hex}  {asset}\n");
        gh.release(
            repo,
            Release::new("v1")
                .asset(&asset, bytes)
                .asset(&format!("{asset}.sha256"), sidecar),
        );
    }
}

/// `o/sums`' archive (its sidecar is right).
pub(crate) fn sums_archive() -> Vec<u8> {
    gzip(&tar(&[("sums", 0o755, &program("linux/amd64", "sums"))]))
}

/// The local archive cases install from.
pub(crate) fn local_archive() -> Vec<u8> {
    gzip(&tar(&[
        ("local/README.md", 0o644, b"# local\n"),
        ("local/local", 0o755, &program("linux/amd64", "local")),
    ]))
}

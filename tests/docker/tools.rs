//! Fake releases for the tools in docker-bake.hcl, with asset names shaped
//! like each project's real releases (several platforms, checksums, packages,
//! nested layouts, raw binaries). The "tool" inside is the static jingyu binary,
//! so the recipe's test stage can really run `tool --version`.

use jingyu_fake::{sha256_hex, FakeGitHub, Release};

use crate::archives::{gzip, tar, xz, zip};

/// Registers the release of `repo` at `tag` for the tool `name`, whose
/// executable (and file to extract) is `file`.
#[allow(clippy::too_many_lines)] // one table entry per tool, kept side by side
pub(crate) fn register(gh: &FakeGitHub, name: &str, repo: &str, tag: &str, file: &str, bin: &[u8]) {
    let v = tag.trim_start_matches("jq-").trim_start_matches('v');
    let other = b"not for this platform".to_vec();
    let tgz = |dir: &str| {
        gzip(&tar(&[
            (&format!("{dir}/{file}"), 0o755, bin),
            (&format!("{dir}/README.md"), 0o644, b"readme"),
            (&format!("{dir}/LICENSE"), 0o644, b"license"),
        ]))
    };
    let release = match name {
        "just" => Release::new(tag)
            .asset(
                &format!("just-{v}-x86_64-unknown-linux-musl.tar.gz"),
                gzip(&tar(&[
                    ("just", 0o755, bin),
                    ("just.1", 0o644, b"man"),
                    ("README.md", 0o644, b"r"),
                ])),
            )
            .asset(
                &format!("just-{v}-aarch64-unknown-linux-musl.tar.gz"),
                other.clone(),
            )
            .asset(
                &format!("just-{v}-arm-unknown-linux-musleabihf.tar.gz"),
                other.clone(),
            )
            .asset(
                &format!("just-{v}-x86_64-apple-darwin.tar.gz"),
                other.clone(),
            )
            .asset(
                &format!("just-{v}-x86_64-pc-windows-msvc.zip"),
                other.clone(),
            )
            .asset(
                "SHA256SUMS",
                format!(
                    "{}  just-{v}-aarch64-unknown-linux-musl.tar.gz\n",
                    sha256_hex(&other)
                ),
            ),
        "ripgrep" | "fd" | "bat" | "delta" => {
            let stem = if name == "ripgrep" || name == "delta" {
                format!("{name}-{v}")
            } else {
                format!("{name}-v{v}")
            };
            let musl = format!("{stem}-x86_64-unknown-linux-musl");
            let archive = tgz(&musl);
            Release::new(tag)
                .asset(
                    &format!("{musl}.tar.gz.sha256"),
                    format!("{}\n", sha256_hex(&archive)),
                )
                .asset(&format!("{musl}.tar.gz"), archive)
                .asset(
                    &format!("{stem}-x86_64-unknown-linux-gnu.tar.gz"),
                    other.clone(),
                )
                .asset(
                    &format!("{stem}-aarch64-unknown-linux-gnu.tar.gz"),
                    other.clone(),
                )
                .asset(
                    &format!("{stem}-arm-unknown-linux-gnueabihf.tar.gz"),
                    other.clone(),
                )
                .asset(&format!("{stem}-x86_64-apple-darwin.tar.gz"), other.clone())
                .asset(&format!("{stem}-x86_64-pc-windows-msvc.zip"), other.clone())
                .asset(&format!("{name}_{v}_amd64.deb"), other.clone())
        }
        "jq" => Release::new(tag)
            .asset("jq-linux-amd64", bin.to_vec())
            .asset("jq-linux-arm64", other.clone())
            .asset("jq-linux-armhf", other.clone())
            .asset("jq-macos-arm64", other.clone())
            .asset("jq-windows-amd64.exe", other.clone())
            .asset(&format!("jq-{v}.tar.gz"), other.clone())
            .asset(
                "sha256sum.txt",
                format!("{}  jq-linux-amd64\n", sha256_hex(bin)),
            ),
        "yq" => Release::new(tag)
            .asset("yq_linux_amd64", bin.to_vec())
            .asset(
                "yq_linux_amd64.tar.gz",
                gzip(&tar(&[
                    ("./yq_linux_amd64", 0o755, bin),
                    ("yq.1", 0o644, b"man"),
                ])),
            )
            .asset("yq_linux_arm64", other.clone())
            .asset("yq_darwin_arm64", other.clone())
            .asset("yq_windows_amd64.exe", other.clone())
            .asset("checksums", "not parsed by jingyu".to_owned()),
        "gh" => {
            let dir = format!("gh_{v}_linux_amd64");
            Release::new(tag)
                .asset(
                    &format!("{dir}.tar.gz"),
                    gzip(&tar(&[
                        (&format!("{dir}/bin/gh"), 0o755, bin),
                        (&format!("{dir}/share/man/man1/gh.1"), 0o644, b"man"),
                        (&format!("{dir}/LICENSE"), 0o644, b"MIT"),
                    ])),
                )
                .asset(&format!("gh_{v}_linux_arm64.tar.gz"), other.clone())
                .asset(&format!("gh_{v}_linux_amd64.deb"), other.clone())
                .asset(&format!("gh_{v}_linux_amd64.rpm"), other.clone())
                .asset(&format!("gh_{v}_macOS_universal.zip"), other.clone())
                .asset(&format!("gh_{v}_windows_amd64.msi"), other.clone())
        }
        "shellcheck" => Release::new(tag)
            .asset(
                &format!("shellcheck-v{v}.linux.x86_64.tar.xz"),
                xz(&tar(&[
                    (&format!("shellcheck-v{v}/shellcheck"), 0o755, bin),
                    (&format!("shellcheck-v{v}/README.txt"), 0o644, b"r"),
                ])),
            )
            .asset(
                &format!("shellcheck-v{v}.linux.aarch64.tar.xz"),
                other.clone(),
            )
            .asset(
                &format!("shellcheck-v{v}.linux.armv6hf.tar.xz"),
                other.clone(),
            )
            .asset(
                &format!("shellcheck-v{v}.darwin.aarch64.tar.xz"),
                other.clone(),
            )
            .asset(
                &format!("shellcheck-v{v}.zip"),
                zip(&[("shellcheck.exe", 0o644, &other)]),
            ),
        "hadolint" => Release::new(tag)
            .asset("hadolint-Linux-x86_64", bin.to_vec())
            .asset(
                "hadolint-Linux-x86_64.sha256",
                format!("{}  hadolint-Linux-x86_64\n", sha256_hex(bin)),
            )
            .asset("hadolint-Linux-arm64", other.clone())
            .asset("hadolint-Darwin-x86_64", other.clone())
            .asset("hadolint-Windows-x86_64.exe", other.clone()),
        "uv" => {
            let dir = "uv-x86_64-unknown-linux-musl";
            let archive = gzip(&tar(&[
                (&format!("{dir}/uv"), 0o755, bin),
                (&format!("{dir}/uvx"), 0o755, bin),
            ]));
            Release::new(tag)
                .asset(
                    &format!("{dir}.tar.gz.sha256"),
                    format!("{}  {dir}.tar.gz\n", sha256_hex(&archive)),
                )
                .asset(&format!("{dir}.tar.gz"), archive)
                .asset("uv-x86_64-unknown-linux-gnu.tar.gz", other.clone())
                .asset("uv-aarch64-unknown-linux-musl.tar.gz", other.clone())
                .asset("uv-x86_64-apple-darwin.tar.gz", other.clone())
                .asset("uv-installer.sh", "#!/bin/sh\n".to_owned())
                .asset("sha256.sum", "ignored".to_owned())
        }
        "fzf" => Release::new(tag)
            .asset(
                &format!("fzf-{v}-linux_amd64.tar.gz"),
                gzip(&tar(&[("fzf", 0o755, bin)])),
            )
            .asset(&format!("fzf-{v}-linux_arm64.tar.gz"), other.clone())
            .asset(&format!("fzf-{v}-linux_armv7.tar.gz"), other.clone())
            .asset(&format!("fzf-{v}-darwin_arm64.tar.gz"), other.clone())
            .asset(&format!("fzf-{v}-windows_amd64.zip"), other.clone())
            .asset(
                &format!("fzf_{v}_checksums.txt"),
                format!("{}  fzf-{v}-linux_arm64.tar.gz\n", sha256_hex(&other)),
            ),
        other_tool => {
            panic!("no fake release for {other_tool} ({repo}): add one in tests/docker/tools.rs")
        }
    };
    gh.release(repo, release);
}

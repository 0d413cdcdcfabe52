//! End-to-end tests: the real `jingyu` binary against a fake GitHub on
//! 127.0.0.1 (see `jingyu-fake`), one module per behaviour.

mod archives;
mod harness;
mod spdx;

mod api_errors;
mod cache;
mod config;
mod cooldown;
mod destination;
mod eget;
mod env;
mod escape;
mod filters;
mod forges;
mod formats;
mod hardening;
mod help;
mod many;
mod memory;
mod modes;
mod network;
mod platforms;
mod platforms_many;
mod progress;
mod release_files;
mod releases;
mod resilience;
mod signatures;
mod sigstore;
mod static_chroot;
mod targets;
mod token;
mod trust;
mod verify;

use jingyu_fake::{FakeGitHub, Release};

/// `owner/tool` with releases v1.0 and v1.1 (latest), each a tar.gz for
/// linux/amd64 and linux/arm64 holding `tool`.
pub(crate) fn two_releases() -> FakeGitHub {
    let gh = FakeGitHub::start();
    for tag in ["v1.0", "v1.1"] {
        gh.release(
            "owner/tool",
            Release::new(tag)
                .asset(
                    &format!("tool-{tag}-linux-amd64.tar.gz"),
                    archives::tool_tar_gz("tool", tag),
                )
                .asset(
                    &format!("tool-{tag}-linux-arm64.tar.gz"),
                    archives::tool_tar_gz("tool", &format!("{tag} arm64")),
                )
                .asset("checksums.txt", "not used"),
        );
    }
    gh
}

/// The binary bytes inside `two_releases`' archive for `tag`.
pub(crate) fn tool_bytes(tag: &str) -> Vec<u8> {
    archives::elf(&format!("tool {tag}"))
}

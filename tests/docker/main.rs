//! Image tests in a real Docker engine (Debian's docker.io, started by
//! `tests/run.sh` with `tests/docker-engine.sh`), with nothing pulled from any
//! registry: the jingyu image is built from the static binary (`prebuilt`),
//! and every build that downloads talks to the in-process fake GitHub on
//! 127.0.0.1 through `--network=host`.

#[path = "../e2e/archives.rs"]
#[allow(dead_code, unused_imports)]
mod archives;
mod engine;
#[path = "../e2e/spdx.rs"]
mod spdx;

mod bake;
mod consume;
mod cross;
mod forges;
mod image;
mod release;
mod tools;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A scratch directory under Cargo's test tmpdir.
pub(crate) fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "docker-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

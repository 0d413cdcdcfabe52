#!/usr/bin/env bash
# The whole test suite, as the README gives it and as CI runs it (.ci/run).
#
#   1. builds a fully static jingyu (glibc static-pie via +crt-static: the
#      rustup toolchain here has no musl target) for the empty-chroot test;
#   2. runs every crate's unit tests and the end-to-end suite (`cargo test
#      --workspace`), which talks only to servers it starts on 127.0.0.1;
#   3. checks formatting and clippy (pedantic, warnings are errors).
#
# Needs: cargo (rustup), coreutils' chroot, and root for the chroot and
# read-only-destination tests (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
    echo "tests/run.sh: cargo is missing; install Rust with rustup (https://rustup.rs)" >&2
    exit 1
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "static build (for the empty-chroot test)"
host=$(rustc -vV | sed -n 's/^host: //p')
RUSTFLAGS='-C target-feature=+crt-static' \
    cargo build --release --locked --target "$host" --target-dir target/static --bin jingyu
export JINGYU_STATIC_BIN="$PWD/target/static/$host/release/jingyu"
ls -l "$JINGYU_STATIC_BIN"

step "tests"
cargo test --workspace --locked

step "format and lint"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

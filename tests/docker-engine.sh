#!/usr/bin/env bash
# Starts or stops a private Docker engine for the image tests.
#
#   tests/docker-engine.sh start DIR   installs Debian's docker.io if needed, starts
#                                      dockerd with its socket and state under DIR,
#                                      and prints DOCKER_HOST=unix://DIR/docker.sock
#   tests/docker-engine.sh start-current DIR
#                                      the same with Debian trixie's Docker 26.1
#                                      and buildx 0.13 (multi-platform builds,
#                                      ADD --checksum, the containerd image
#                                      store), unpacked under target/ from
#                                      packages verified against the archive's
#                                      signed InRelease; prints DOCKER26_HOST,
#                                      DOCKER26_CLIENT and DOCKER26_CONFIG
#   tests/docker-engine.sh stop DIR    stops either (by its pid file) and cleans up
#
# An engine has no network of its own (no bridge, no iptables): builds that
# reach the tests' fake GitHub on 127.0.0.1 use `--network=host`.
set -euo pipefail

cmd=${1:?start|start-current|stop}
dir=${2:?state directory}
# Where trixie's engine is unpacked (kept between local runs).
current_root=${JINGYU_DOCKER26_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/target/docker26}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Starts dockerd from $1 (a directory with usr/sbin/dockerd) with its state
# under $dir and the extra dockerd arguments that follow; waits for its API.
launch() {
    local root=$1 client=$2
    shift 2
    mkdir -p "$dir"
    PATH="$root/usr/bin:$root/usr/sbin:$PATH" setsid "$root/usr/sbin/dockerd" \
        --host "unix://$dir/docker.sock" --data-root "$dir/data" --exec-root "$dir/exec" \
        --pidfile "$dir/dockerd.pid" "$@" \
        --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
        >"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
        DOCKER_HOST="unix://$dir/docker.sock" "$client" version >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "dockerd did not start; log:" >&2
    tail -20 "$dir/dockerd.log" >&2
    return 1
}

# Debian's docker.io (20.10), and with it runc, which both engines use.
install_docker_io() {
    if [ ! -x /usr/sbin/dockerd ] || [ ! -x /usr/bin/docker ] || ! command -v runc >/dev/null; then
        echo "installing docker.io" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    fi
}

start() {
    install_docker_io
    for driver in overlay2 vfs; do
        if launch / /usr/bin/docker --storage-driver "$driver"; then
            echo "DOCKER_HOST=unix://$dir/docker.sock"
            return 0
        fi
        echo "(with the $driver storage driver)" >&2
        stop || true
    done
    return 1
}

# The packages of trixie's engine, each checked against the sha256 in the
# Packages index, whose own sha256 the InRelease signed by Debian's archive
# key (in bookworm's debian-archive-keyring) vouches for.
fetch_current() {
    local work="$current_root.download"
    command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null; }
    rm -rf "$work" && mkdir -p "$work"
    (
        cd "$work"
        curl -fsS --retry 3 -o InRelease "$mirror/dists/trixie/InRelease"
        gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output Release InRelease 2>gpgv.log ||
            { cat gpgv.log >&2; echo "trixie's InRelease does not verify with Debian's archive keys" >&2; exit 1; }
        curl -fsS --retry 3 -o Packages.xz "$mirror/dists/trixie/main/binary-amd64/Packages.xz"
        local want
        want=$(awk '/^SHA256:/ {s = 1; next} /^[^ ]/ {s = 0} s && $3 == "main/binary-amd64/Packages.xz" {print $1}' Release)
        echo "$want  Packages.xz" | sha256sum --quiet -c
        xz -dc Packages.xz | awk '
            /^Package: / {p = $2} /^Filename: / {f = $2} /^SHA256: / {h = $2}
            /^$/ { if (p == "docker.io" || p == "docker-cli" || p == "docker-buildx" || p == "containerd") print h, f; p = f = h = "" }' >wanted
        [ "$(wc -l <wanted)" = 4 ] || { echo "trixie's Packages lacks one of docker.io, docker-cli, docker-buildx, containerd" >&2; exit 1; }
        while read -r hash file; do
            curl -fsS --retry 3 -o "$(basename "$file")" "$mirror/$file"
            echo "$hash  $(basename "$file")" | sha256sum --quiet -c
        done <wanted
        mkdir root
        for deb in *.deb; do dpkg -x "$deb" root; done
        # trixie's runc needs a newer glibc: bookworm's (a docker.io dependency) serves
        rm -f root/usr/sbin/runc root/usr/bin/runc
    )
    rm -rf "$current_root"
    mv "$work/root" "$current_root"
    rm -rf "$work"
}

start_current() {
    install_docker_io
    [ -x "$current_root/usr/sbin/dockerd" ] || fetch_current >&2
    mkdir -p "$dir/config/cli-plugins"
    cp "$current_root/usr/libexec/docker/cli-plugins/docker-buildx" "$dir/config/cli-plugins/"
    echo '{"features": {"containerd-snapshotter": true}}' >"$dir/daemon.json"
    launch "$current_root" "$current_root/usr/bin/docker" --config-file "$dir/daemon.json" || return 1
    echo "DOCKER26_HOST=unix://$dir/docker.sock"
    echo "DOCKER26_CLIENT=$current_root/usr/bin/docker"
    echo "DOCKER26_CONFIG=$dir/config"
}

stop() {
    if [ -f "$dir/dockerd.pid" ]; then
        local pid
        pid=$(cat "$dir/dockerd.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    umount "$dir/exec/netns/default" 2>/dev/null || true
    # Overlay mounts left by a killed engine would keep the data root busy.
    # (grep finds nothing once all is unmounted: that is success, not failure)
    { grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
    rm -rf "$dir" 2>/dev/null || true
}

case "$cmd" in
    start) start ;;
    start-current) start_current ;;
    stop) stop ;;
    *) echo "usage: $0 start|start-current|stop DIR" >&2; exit 2 ;;
esac

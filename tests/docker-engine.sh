#!/usr/bin/env bash
# Starts or stops a private Docker engine for the image tests.
#
#   tests/docker-engine.sh start DIR   installs Debian's docker.io if needed, starts
#                                      dockerd with its socket and state under DIR,
#                                      and prints DOCKER_HOST=unix://DIR/docker.sock
#   tests/docker-engine.sh stop DIR    stops it (by its pid file) and cleans up
#
# The engine has no network of its own (no bridge, no iptables): builds that
# reach the tests' fake GitHub on 127.0.0.1 use `--network=host`.
set -euo pipefail

cmd=${1:?start|stop}
dir=${2:?state directory}

start() {
    if [ ! -x /usr/sbin/dockerd ] || [ ! -x /usr/bin/docker ]; then
        echo "installing docker.io" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    fi
    mkdir -p "$dir"
    local driver=overlay2
    for attempt in 1 2; do
        setsid /usr/sbin/dockerd \
            --host "unix://$dir/docker.sock" --data-root "$dir/data" --exec-root "$dir/exec" \
            --pidfile "$dir/dockerd.pid" --storage-driver "$driver" \
            --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
            >"$dir/dockerd.log" 2>&1 </dev/null &
        for _ in $(seq 1 60); do
            if DOCKER_HOST="unix://$dir/docker.sock" /usr/bin/docker version >/dev/null 2>&1; then
                echo "DOCKER_HOST=unix://$dir/docker.sock"
                return 0
            fi
            sleep 0.5
        done
        echo "dockerd did not start with $driver; log:" >&2
        tail -20 "$dir/dockerd.log" >&2
        stop || true
        driver=vfs
        [ "$attempt" = 1 ] || break
    done
    return 1
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
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

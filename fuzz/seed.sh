#!/usr/bin/env bash
# Seeds each fuzz target's corpus with a small valid archive of its format, so
# a short run starts from real structure instead of random bytes.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tool-1.0/bin"
printf '\177ELF\002\001\001\000fake program\n' > "$work/tool-1.0/bin/tool"
printf '# tool\n' > "$work/tool-1.0/README.md"
chmod 755 "$work/tool-1.0/bin/tool"
ln -sf bin/tool "$work/tool-1.0/link"
tar -C "$work" -cf "$work/seed.tar" tool-1.0
for t in tar tar_gz tar_xz tar_bz2 tar_zst zip headers place cli http sigstore; do mkdir -p "corpus/$t"; done
# Real bundles and roots (crates/jingyu-sigstore/tests/data/SOURCE.md).
for f in ../crates/jingyu-sigstore/tests/data/*.json ../crates/jingyu-sigstore/tests/data/*.sigstore; do
    cp "$f" "corpus/sigstore/$(basename "$f")"
done
cp "$work/seed.tar" corpus/tar/seed
gzip -c "$work/seed.tar" > corpus/tar_gz/seed
xz -c "$work/seed.tar" > corpus/tar_xz/seed
bzip2 -c "$work/seed.tar" > corpus/tar_bz2/seed
zstd -q -c "$work/seed.tar" > corpus/tar_zst/seed
python3 - "$work" <<'PY'
import sys, zipfile, os
work = sys.argv[1]
with zipfile.ZipFile("corpus/zip/seed", "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(os.path.join(work, "tool-1.0")):
        for f in files:
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, work))
PY
head -c 4096 /proc/self/exe > corpus/headers/elf
cp corpus/tar_gz/seed corpus/headers/gzip
# HTTP answers: a release, a retried 500 with Retry-After, a resumable 206.
printf 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 120\r\n\r\n{"tag_name":"v1","published_at":"2024-01-01T00:00:00Z","assets":[{"name":"t.tar.gz","url":"http://x/a","browser_download_url":"http://x/b"}]}' > corpus/http/release
printf 'HTTP/1.1 500 Oops\r\nretry-after: 18446744073709551615\r\ncontent-length: 0\r\n\r\n' > corpus/http/retry
printf 'HTTP/1.1 206 Partial\r\ncontent-range: bytes 5-9/10\r\ncontent-length: 5\r\netag: "e"\r\n\r\nhello' > corpus/http/range
printf 'HTTP/1.1 403 Forbidden\r\nx-ratelimit-remaining: 0\r\nx-ratelimit-reset: 99999999999999999999\r\ncontent-length: 2\r\n\r\n{}' > corpus/http/rate
# Command lines: arguments split at 0xff, variables as =NAME=value.
printf 'o/tool\377--tag\377v1\377--connect-timeout\377999999999999\377=JINGYU_QUIET=1' > corpus/cli/flags
printf 'o/tool@v1\377--system\377linux/arm/v7\377=SOURCE_DATE_EPOCH=1\377=TARGETPLATFORM=linux/arm64' > corpus/cli/env
printf 'o/tool\377#[global]\ntarget = "~/bin"\n["o/tool"]\ntag = "v1"\nasset_filters = ["x", "^y"]\n' > corpus/cli/config
printf -- '-D\377#["o/a"]\nall = true\n["o/b"]\nsystem = "linux/arm64"\n' > corpus/cli/download-all
printf '!version = 1\n[[entry]]\ntool = "o/t"\nplatform = "linux/amd64"\ninputs = "tag=v1"\ntag = "v1"\nasset = "t.tgz"\nurl = "http://x/t.tgz"\nsize = 3\nsha256 = "ab"\nsha256_from = "x"\n' > corpus/cli/lock
printf '![defaults]\nto = "/o/"\n[tools."o/t"]\ntag = "v1"\nasset = ["a", "^b"]\nname = "t"\n' > corpus/cli/manifest

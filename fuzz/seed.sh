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
for t in tar tar_gz tar_xz tar_bz2 tar_zst zip headers; do mkdir -p "corpus/$t"; done
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

# Sourced by the benchmarks: make_assets DIR MIB... builds, for each size, one
# executable of real ELF bytes (the machine's own binaries and libraries, so
# compression ratios are realistic) at DIR/src-MIB/tool-MIB/tool, and from it
# DIR/tool-MIB-linux-amd64.{tar.gz,tar.xz,tar.zst,tar.bz2,zip} and the bare
# file. Sets the array $assets to their paths.
make_assets() {
    local work=$1 mib dir base
    shift
    assets=()
    for mib in "$@"; do
        dir="$work/src-$mib/tool-$mib"
        mkdir -p "$dir"
        find /usr/bin /usr/lib -type f -size +100k 2>/dev/null | sort | xargs cat 2>/dev/null | head -c $((mib << 20)) >"$dir/tool" || true
        chmod 755 "$dir/tool"
        tar -cf "$work/t.tar" -C "$work/src-$mib" "tool-$mib"
        base="$work/tool-$mib-linux-amd64"
        gzip -6 -c "$work/t.tar" >"$base.tar.gz"
        xz -6 -T1 -c "$work/t.tar" >"$base.tar.xz"
        zstd -q -3 -c "$work/t.tar" >"$base.tar.zst"
        bzip2 -9 -c "$work/t.tar" >"$base.tar.bz2"
        (cd "$work/src-$mib" && python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED); z.write('tool-$mib/tool'); z.close()" "$base.zip")
        cp "$dir/tool" "$base"
        assets+=("$base.tar.gz" "$base.tar.xz" "$base.tar.zst" "$base.tar.bz2" "$base.zip" "$base")
    done
    rm -f "$work/t.tar"
}

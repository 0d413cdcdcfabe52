# Sourced by the benchmarks: builds the fake server, and a static jingyu
# unless JINGYU names a binary; sets $jingyu to an absolute path.
echo "building the fake server, and jingyu unless JINGYU names a binary" >&2
cargo build -q --release -p jingyu-fake --example serve
jingyu=${JINGYU:-}
if [ -z "$jingyu" ]; then
    RUSTFLAGS='-C target-feature=+crt-static' cargo build -q --release --locked \
        --target x86_64-unknown-linux-gnu --target-dir target/static --bin jingyu
    jingyu=$PWD/target/static/x86_64-unknown-linux-gnu/release/jingyu
fi

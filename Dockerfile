# jingyu as a FROM scratch image: the static binary at /usr/local/bin/jingyu,
# nothing else (TLS roots are compiled in, so no CA bundle is needed).
#
# Today this file packages a static binary built on the host (the `prebuilt`
# stage). The stages that cross-compile a musl binary inside Docker for every
# platform are tracked in their own issue and are not here yet.
#
#   RUSTFLAGS='-C target-feature=+crt-static' cargo build --release \
#       --target x86_64-unknown-linux-gnu --target-dir target/static
#   DOCKER_BUILDKIT=1 docker build --target prebuilt \
#       --build-arg BINARY=target/static/x86_64-unknown-linux-gnu/release/jingyu -t jingyu .

ARG BINARY=target/static/x86_64-unknown-linux-gnu/release/jingyu

# prebuilt: the published layout around a static binary from the build context
FROM scratch AS prebuilt
ARG BINARY
ARG VERSION=dev
ARG REVISION=unknown
COPY --chmod=0755 ${BINARY} /usr/local/bin/jingyu
LABEL org.opencontainers.image.title="jingyu" \
      org.opencontainers.image.description="Static downloader for GitHub release binaries in Docker builds" \
      org.opencontainers.image.source="https://github.com/jingyu-dev/jingyu" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENTRYPOINT ["/usr/local/bin/jingyu"]

# jingyu: a fully static downloader published as a FROM scratch image.
#
#   docker buildx bake                          # the image for this platform
#   docker buildx bake image-cross              # every platform
#   docker build -t jingyu .                    # the same with plain docker (last stage)
#   docker build --target prebuilt --build-arg BINARY=path/in/context -t jingyu .
#   docker buildx bake binary-cross prebuilt-cross  # the image around those binaries
#
# No `# syntax=` line: this builds with the Dockerfile frontend built into
# Docker 20.10 and later (no heredocs, no COPY --link).

ARG RUST_VERSION=1.89
ARG ALPINE_VERSION=3.22
ARG XX_VERSION=1.6.1
ARG BINARY=target/static/x86_64-unknown-linux-gnu/release/jingyu

# xx: cross-compilation helpers (xx-cargo, xx-apk, xx-verify)
FROM --platform=$BUILDPLATFORM tonistiigi/xx:${XX_VERSION} AS xx

# rust-base: the build platform's Rust with xx, clang and lld; never emulated
FROM --platform=$BUILDPLATFORM rust:${RUST_VERSION}-alpine${ALPINE_VERSION} AS rust-base
# xx is meant to be copied whole (its scripts and their helpers)
# hadolint ignore=DL3067
COPY --from=xx / /
RUN apk add --no-cache clang lld musl-dev file
ENV CARGO_HOME=/cargo
WORKDIR /src

# deps: crates fetched once, before TARGETPLATFORM, so every platform shares it
FROM rust-base AS deps
RUN --mount=type=bind,target=/src \
    --mount=type=cache,target=/cargo/registry,sharing=locked \
    cargo fetch --locked

# build: a static musl binary for TARGETPLATFORM, cross-compiled and verified;
# VERSION and REVISION (from the release tag) are what `jingyu --version` says
FROM deps AS build
ARG TARGETPLATFORM
RUN xx-apk add --no-cache musl-dev gcc
ARG VERSION=dev
ARG REVISION=unknown
RUN --mount=type=bind,target=/src \
    --mount=type=cache,target=/cargo/registry,sharing=locked \
    --mount=type=cache,target=/build,sharing=locked \
    JINGYU_BUILD_VERSION="$VERSION" JINGYU_BUILD_REVISION="$REVISION" \
    xx-cargo build --release --locked --target-dir /build --bin jingyu && \
    mkdir -p /out && \
    cp "/build/$(xx-cargo --print-target-triple)/release/jingyu" /out/jingyu && \
    xx-verify --static /out/jingyu

# test: every crate's tests on the build platform (bake: cache-only)
FROM deps AS test
# util-linux-misc: `script` for the progress-bar test (Alpine has no GNU time:
# the memory test skips there); python3 for the release files' script
RUN apk add --no-cache zstd bzip2 xz util-linux-misc python3
RUN --mount=type=bind,target=/src,rw \
    --mount=type=cache,target=/cargo/registry,sharing=locked \
    --mount=type=cache,target=/build-test \
    cargo test --workspace --locked --target-dir /build-test

# lint: formatting and clippy (bake: cache-only)
FROM deps AS lint
RUN rustup component add rustfmt clippy
RUN --mount=type=bind,target=/src \
    --mount=type=cache,target=/cargo/registry,sharing=locked \
    --mount=type=cache,target=/build-lint \
    cargo fmt --all -- --check && \
    cargo clippy --workspace --all-targets --locked --target-dir /build-lint -- -D warnings

# binary: only the binary, for `--target binary -o type=local,dest=./bin`
FROM scratch AS binary
COPY --from=build /out/jingyu /jingyu

# image-base: what every jingyu image carries besides the binary
FROM scratch AS image-base
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="jingyu" \
      org.opencontainers.image.description="Static downloader for GitHub, GitLab and Gitea release binaries in Docker builds" \
      org.opencontainers.image.source="https://github.com/jingyu-dev/jingyu" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENTRYPOINT ["/usr/local/bin/jingyu"]

# prebuilt: the image around a static binary from the build context (for
# machines that cannot pull rust:alpine, and for the engine tests)
FROM image-base AS prebuilt
ARG BINARY
COPY --chmod=0755 ${BINARY} /usr/local/bin/jingyu

# prebuilt-cross: the image around binary-cross's binaries in the context
# (bin/cross/linux_amd64/jingyu, bin/cross/linux_arm_v7/jingyu …), each
# platform's own; a multi-platform build of it makes the manifest list
FROM image-base AS prebuilt-cross
ARG BINARIES=bin/cross
ARG TARGETOS
ARG TARGETARCH
ARG TARGETVARIANT
COPY --chmod=0755 ${BINARIES}/${TARGETOS}_${TARGETARCH}${TARGETVARIANT:+_${TARGETVARIANT}}/jingyu /usr/local/bin/jingyu

# image: the published image (last, so a plain `docker build .` makes it); TLS
# roots are compiled in, so no CA bundle is needed
FROM image-base AS image
COPY --from=build /out/jingyu /usr/local/bin/jingyu

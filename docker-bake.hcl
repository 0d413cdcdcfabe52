# docker buildx bake: the jingyu image, its binary, its checks, and one small
# image per tool built on the freshly built jingyu.
#
#   docker buildx bake                 # jingyu for this platform (group default)
#   docker buildx bake image-cross     # jingyu for every platform
#   docker buildx bake images          # jingyu and every tool image, all platforms
#   docker buildx bake image-just      # one tool image
#   docker buildx bake validate        # tests and lint (cache-only)
#   docker buildx bake release         # what a version tag publishes (see .github/workflows/release.yml)
#   docker buildx bake binary-cross prebuilt-cross   # the image around the binaries built first

variable "IMAGE" {
  default = "jingyu"
}

# The version: a release sets it from the tag (v0.2.0 → 0.2.0); the binary's
# --version and the images' labels say it.
variable "TAG" {
  default = "dev"
}

variable "REVISION" {
  default = "unknown"
}

# The platforms jingyu is built for: every Linux platform Rust has a musl target for.
variable "PLATFORMS" {
  default = "linux/amd64,linux/arm64,linux/arm/v7,linux/arm/v6,linux/386,linux/riscv64,linux/ppc64le,linux/s390x"
}

variable "DESTDIR" {
  default = "./bin"
}

# The Dockerfile's ARG lines are the single source of truth for versions.
variable "RUST_VERSION" {
  default = null
}

variable "ALPINE_VERSION" {
  default = null
}

variable "XX_VERSION" {
  default = null
}

# A static binary in the build context, for the prebuilt target.
variable "BINARY" {
  default = "target/static/x86_64-unknown-linux-gnu/release/jingyu"
}

# The jingyu image's tags; the release replaces them with docker/metadata-action's
# bake file (its `bake-target: meta-helper`), which defines this target again.
target "meta-helper" {
  tags = ["${IMAGE}:${TAG}"]
}

target "_common" {
  args = {
    RUST_VERSION   = RUST_VERSION
    ALPINE_VERSION = ALPINE_VERSION
    XX_VERSION     = XX_VERSION
    VERSION        = TAG
    REVISION       = REVISION
  }
  labels = {
    "org.opencontainers.image.title"    = "jingyu"
    "org.opencontainers.image.source"   = "https://github.com/jingyu-dev/jingyu"
    "org.opencontainers.image.licenses" = "MIT OR Apache-2.0"
    "org.opencontainers.image.version"  = TAG
  }
}

target "_platforms" {
  platforms = split(",", PLATFORMS)
}

group "default" {
  targets = ["image"]
}

# the image for the local platform
target "image" {
  inherits = ["_common", "meta-helper"]
  target   = "image"
}

# the image for every platform, with provenance and an SBOM
target "image-cross" {
  inherits    = ["image", "_platforms"]
  attest      = ["type=provenance,mode=max", "type=sbom"]
}

# the image from a static binary built on the host (no rust:alpine needed)
target "prebuilt" {
  inherits = ["_common"]
  target   = "prebuilt"
  args = {
    BINARY = BINARY
  }
  tags = ["${IMAGE}:${TAG}"]
}

# the image around binary-cross's binaries (built first, in DESTDIR/cross): the
# same bytes as the release's files, one manifest list for every platform
target "prebuilt-cross" {
  inherits = ["_common", "_platforms", "meta-helper"]
  target   = "prebuilt-cross"
  args = {
    BINARIES = "${DESTDIR}/cross"
  }
}

# the binary, exported to DESTDIR
target "binary" {
  inherits = ["_common"]
  target   = "binary"
  output   = ["type=local,dest=${DESTDIR}"]
}

target "binary-cross" {
  inherits = ["binary", "_platforms"]
  output   = ["type=local,dest=${DESTDIR}/cross"]
}

target "test" {
  inherits = ["_common"]
  target   = "test"
  output   = ["type=cacheonly"]
}

target "lint" {
  inherits = ["_common"]
  target   = "lint"
  output   = ["type=cacheonly"]
}

group "validate" {
  targets = ["test", "lint"]
}

# One image per tool: jingyu fetches the pinned release for each platform the
# tool publishes; the image holds the tool alone at /usr/local/bin.
target "image-tool" {
  name       = "image-${t.name}"
  dockerfile = "images/Dockerfile"
  target     = "image"
  contexts = {
    jingyu = "target:image"
  }
  matrix = {
    t = [
      { name = "just", repo = "casey/just", tag = "1.42.4", file = "just", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/arm/v6" },
      { name = "ripgrep", repo = "BurntSushi/ripgrep", tag = "14.1.1", file = "rg", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/386,linux/ppc64le,linux/s390x" },
      { name = "fd", repo = "sharkdp/fd", tag = "v10.2.0", file = "fd", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/arm/v6,linux/386" },
      { name = "bat", repo = "sharkdp/bat", tag = "v0.25.0", file = "bat", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/arm/v6,linux/386" },
      { name = "jq", repo = "jqlang/jq", tag = "jq-1.8.1", file = "jq", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/386,linux/ppc64le,linux/riscv64,linux/s390x" },
      { name = "yq", repo = "mikefarah/yq", tag = "v4.47.1", file = "yq", asset = "^.tar.gz", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/386,linux/ppc64le,linux/riscv64,linux/s390x" },
      { name = "gh", repo = "cli/cli", tag = "v2.76.2", file = "gh", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v6,linux/386" },
      { name = "shellcheck", repo = "koalaman/shellcheck", tag = "v0.11.0", file = "shellcheck", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v6,linux/riscv64" },
      { name = "hadolint", repo = "hadolint/hadolint", tag = "v2.12.0", file = "hadolint", asset = "", platforms = "linux/amd64,linux/arm64" },
      { name = "uv", repo = "astral-sh/uv", tag = "0.8.17", file = "uv", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/386,linux/ppc64le,linux/riscv64,linux/s390x" },
      { name = "fzf", repo = "junegunn/fzf", tag = "v0.65.1", file = "fzf", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/arm/v6,linux/ppc64le,linux/s390x" },
      { name = "delta", repo = "dandavison/delta", tag = "0.18.2", file = "delta", asset = "", platforms = "linux/amd64,linux/arm64,linux/arm/v7,linux/386" },
    ]
  }
  args = {
    JINGYU_TARGET = t.repo
    JINGYU_TAG    = t.tag
    JINGYU_FILE   = t.file
    JINGYU_ASSET  = t.asset
  }
  platforms = split(",", t.platforms)
  tags      = ["${IMAGE}-${t.name}:${t.tag}"]
  labels = {
    "org.opencontainers.image.title"   = t.name
    "org.opencontainers.image.source"  = "https://github.com/${t.repo}"
    "org.opencontainers.image.version" = t.tag
  }
}

group "images" {
  targets = ["image-cross", "image-tool"]
}

group "release" {
  targets = ["image-cross", "binary-cross", "image-tool"]
}

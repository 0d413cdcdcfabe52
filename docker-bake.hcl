# docker buildx bake: builds the jingyu image from a static binary built on the
# host (see the Dockerfile). Cross-platform musl builds, tool images and test
# targets are tracked in their own issue.

variable "IMAGE" {
  default = "jingyu"
}

variable "TAG" {
  default = "dev"
}

variable "BINARY" {
  default = "target/static/x86_64-unknown-linux-gnu/release/jingyu"
}

group "default" {
  targets = ["prebuilt"]
}

target "prebuilt" {
  dockerfile = "Dockerfile"
  target     = "prebuilt"
  args = {
    BINARY  = BINARY
    VERSION = TAG
  }
  platforms = ["linux/amd64"]
  tags      = ["${IMAGE}:${TAG}"]
}

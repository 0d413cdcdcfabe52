//! Pure asset selection for jingyu: no I/O, no network.
//!
//! # How an asset is picked
//!
//! Given the names of a release's assets, a target [`System`] (or none, for
//! `--system all`), the user's `--asset` filters and the project's name,
//! [`choose()`] runs a chain of steps. Each step keeps only the best-ranked
//! survivors and records why it dropped the others (`--verbose`, or `-v` with
//! a target, prints them):
//!
//! 1. **Exact name.** An `--asset` filter equal to an asset's full name picks it.
//! 2. **Installable.** Checksums (`.sha256`, `.b3`, `SHA256SUMS` …), signatures
//!    and certificates, SBOMs and attestations, OS packages and installers
//!    (`.deb .rpm .apk .msi .pkg .dmg`, `*-installer.sh`, `*setup*.exe`, any
//!    `.sh`/`.ps1`), source archives, debug symbols and documents are dropped.
//! 3. **Operating system.** Names are split into words at every character that
//!    is not a letter or digit and compared with the vocabulary in [`tokens`]
//!    (`darwin`, `macos`, `mac`, `apple`, `osx` … all mean macOS; a `.exe`
//!    means Windows, an `.AppImage` Linux; `linux-android` is Android, not
//!    Linux). Assets for another OS are dropped. An asset naming no OS is kept
//!    when the release names no OS or architecture at all (a portable jar or
//!    one zip of every build), when it names an architecture and the target is
//!    Linux (`runc.amd64`), or when it is a `.zip` and no asset names Windows,
//!    for Windows (ShellCheck's Windows build). Anything else nameless
//!    (completions, man pages) is dropped.
//! 4. **Architecture.** An exact match ranks highest. On ARM an older version
//!    runs on a newer core (v7 takes v7, then v6, then a plain `arm`, then v5),
//!    never the reverse; `arm` never matches `arm64`; Docker's arm/v6 and v7 are
//!    hard-float, so `eabihf` beats `eabi`. On macOS a `universal` (or
//!    GoReleaser's `all`) build is taken when there is no build for the CPU,
//!    and a bare `x86` means `x86_64`. A fused OS word's architecture (`win32`,
//!    `linux64`) yields to an explicit one (`biome-win32-x64.exe` is amd64).
//!    An asset naming no architecture is amd64 (the common convention), unless
//!    the release names neither OS nor architecture. Among equal fits, a name
//!    with the OS's current spelling beats an old one kept beside it (jq's
//!    `jq-linux-amd64` over `jq-linux64`), which beats a name without the OS.
//! 5. **`--asset` filters.** Each filter is a substring the name must contain,
//!    or with `^` must not. They narrow the survivors; when no survivor passes,
//!    they are applied to every asset, as an explicit request.
//! 6. **C library.** On Linux, static and musl builds run in scratch and
//!    Alpine images, so they beat builds that name no libc, which beat glibc
//!    builds; a `*-gnu` target triple reverses the first preference. On
//!    Windows, MSVC builds beat unsaid ones, which beat MinGW (`gnu`) ones.
//! 7. **Project name.** An asset whose name starts with the repository's name
//!    beats one that merely holds it, which beats one that lacks it: ahmetb/
//!    kubectx ships `kubens` too, grafana/loki ships `promtail` and `logcli`.
//! 8. **Format.** A bare executable (it is the program: nothing to choose
//!    inside), then tar archives (zst, xz, gz, bz2: the fastest to decode
//!    first), then single compressed files, then zip (spooled to disk before it
//!    can be read), then an `AppImage` (it needs FUSE). Formats jingyu cannot
//!    open (`.7z`) are dropped.
//! 9. **Plain build.** Fewer variant words (`debug`, `full`, `baseline`, `slim`
//!    …) win, then fewer words jingyu cannot explain: a plain build's name holds
//!    only the tool, version, platform and format, so `cosign-linux-amd64`
//!    beats `cosign-linux-pivkey-pkcs11key-amd64` and `kubeconform-linux-amd64`
//!    beats `kubeconform-fips-linux-amd64`.
//!
//! One survivor is the pick. None is [`PickError::NoMatch`], listing every
//! asset with the reason it was dropped: "no asset for linux/riscv64" is a
//! correct answer, never an asset for the wrong OS or architecture. Several is
//! [`PickError::Ambiguous`] (FFmpeg's `gpl` and `lgpl` builds, bottom's two
//! FreeBSD builds), with the `--asset` word that would pick each. jingyu never
//! prompts.
//!
//! `tests/corpus/` holds real asset lists of over 200 projects with the pick
//! expected for each of 14 platforms; one table-driven test checks them all.

pub mod checksum;
pub mod choose;
pub mod format;
pub mod system;
pub mod tokens;

pub use checksum::{checksum_files, is_sha256, sha256_for, ChecksumKind};
pub use choose::{cap_list, choose, Choice, Filter, PickError, Request, Step};
pub use format::{Format, Ignored};
pub use system::{Arch, Libc, Os, System};

//! Pure asset selection for jingyu: no I/O, no network.
//!
//! # How an asset is picked
//!
//! Given the names of a release's assets, a target [`System`] (or none, for
//! `--system all`) and the user's `--asset` filters, [`choose`] runs a chain of
//! steps. Each step keeps only the best-ranked survivors and records why it
//! dropped the others:
//!
//! 1. **Exact name.** An `--asset` filter equal to an asset's full name picks it.
//! 2. **Installable.** Checksums, signatures, certificates, SBOMs and
//!    attestations, OS packages and installers (`.deb .rpm .apk .msi .pkg .dmg`
//!    …), source archives, debug symbols and documents are dropped.
//! 3. **Operating system.** Names are split into words at every character that
//!    is not a letter or digit and compared with the vocabulary in [`tokens`]
//!    (`darwin`, `macos`, `apple`, `osx` … all mean macOS; a `.exe` means
//!    Windows). Assets for another OS are dropped; an asset naming no OS is kept
//!    only when no asset names the target's.
//! 4. **Architecture.** An exact match ranks highest. On ARM an older version
//!    runs on a newer core (v7 takes v7, then v6, then v5, then plain `arm`),
//!    never the reverse; `arm` never matches `arm64`. On macOS a `universal`
//!    build is taken when there is no build for the CPU. An asset naming no
//!    architecture counts as amd64 (the common convention) unless the release
//!    names no architecture at all, when it is taken as portable.
//! 5. **`--asset` filters.** Each filter is a substring the name must contain,
//!    or with `^` must not. They narrow the survivors; when no survivor passes,
//!    they are applied to every asset, as an explicit request.
//! 6. **C library** (Linux only). Static and musl builds run in scratch and
//!    Alpine images, so they beat builds that name no libc, which beat glibc
//!    builds; a `*-gnu` target triple reverses the first preference.
//! 7. **Format.** Archives jingyu can unpack beat ones it cannot (`.7z`).
//! 8. **Plain build.** Fewer variant words (`debug`, `gui`, `desktop`, `full` …)
//!    win.
//!
//! One survivor is the pick. None is [`PickError::NoMatch`], listing every
//! asset with the reason it was dropped. Several is [`PickError::Ambiguous`],
//! with the `--asset` word that would pick each. jingyu never prompts.

pub mod checksum;
pub mod choose;
pub mod format;
pub mod system;
pub mod tokens;

pub use checksum::{checksum_files, is_sha256, sha256_for, ChecksumKind};
pub use choose::{cap_list, choose, Choice, Filter, PickError, Request, Step};
pub use format::{Format, Ignored};
pub use system::{Arch, Libc, Os, System};

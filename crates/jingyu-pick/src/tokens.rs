//! The vocabulary of asset names: every spelling of an operating system,
//! architecture and C library seen in real release assets, and the scanner that
//! finds them on word boundaries.
//!
//! A name is lowercased and split into words at every character that is not a
//! letter or digit (`ripgrep-14.1.0-x86_64-unknown-linux-musl` becomes `ripgrep`,
//! `14`, `1`, `0`, `x86`, `64`, `unknown`, `linux`, `musl`). Aliases are
//! sequences of one or two words, matched longest first, so `x86_64` is one
//! match and `arm` can never match inside `arm64` or `armv7`.

use crate::system::{Arch, Libc, Os};

/// What one alias says about an asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Os(Os),
    Arch(Arch),
    Libc(Libc),
    /// A macOS build that runs on every Mac CPU (`universal`, `universal2`).
    Universal,
    /// `eabihf`-style suffix: a plain `arm` with it is `ARMv6` (Rust's naming).
    ArmHardFloat,
    /// Built with Microsoft's C runtime (`msvc`), not `MinGW`'s.
    Msvc,
    /// An old spelling kept beside a current one (`osx`, `linux64`, `win64`):
    /// jq publishes `jq-linux64` next to `jq-linux-amd64`, the same file.
    Legacy,
    /// The architecture a fused OS word implies (`win32`, `linux64`), which an
    /// explicit one overrides: `biome-win32-x64.exe` is amd64.
    Implied(Arch),
    /// The bare word `x86`, which on a Mac can only mean `x86_64`.
    X86,
}

use Hit::{Arch as A, Libc as L, Os as O};

/// Every alias, as (words, hits). Two-word aliases come first so they win.
pub const ALIASES: &[(&[&str], &[Hit])] = &[
    // two words: the separator was a `_`, `-` or `.`
    (&["x86", "64"], &[A(Arch::Amd64)]),
    (&["amd", "64"], &[A(Arch::Amd64)]),
    (&["arm", "v7"], &[A(Arch::Arm(7))]),
    (&["arm", "v6"], &[A(Arch::Arm(6))]),
    (&["arm", "v5"], &[A(Arch::Arm(5))]),
    (&["arm", "7"], &[A(Arch::Arm(7))]),
    (&["arm", "6"], &[A(Arch::Arm(6))]),
    (&["arm", "5"], &[A(Arch::Arm(5))]),
    (&["arm", "64"], &[A(Arch::Arm64)]),
    (&["arm", "hf"], &[A(Arch::Arm(7))]),
    (&["64", "bit"], &[A(Arch::Amd64)]),
    // protoc's spellings: `linux-aarch_64`, `ppcle_64`, `s390_64`, `x86_32`
    (&["aarch", "64"], &[A(Arch::Arm64)]),
    (&["ppcle", "64"], &[A(Arch::Ppc64le)]),
    (&["s390", "64"], &[A(Arch::S390x)]),
    (&["x86", "32"], &[A(Arch::I386)]),
    (&["32", "bit"], &[A(Arch::I386)]),
    (&["mac", "os"], &[O(Os::Darwin)]),
    (&["mac", "osx"], &[O(Os::Darwin)]),
    (&["os", "x"], &[O(Os::Darwin), Hit::Legacy]),
    // conda's platform names: `linux-64`, `osx-64`, `win-64`, `linux-32`
    (&["linux", "64"], &[O(Os::Linux), Hit::Implied(Arch::Amd64)]),
    (&["linux", "32"], &[O(Os::Linux), Hit::Implied(Arch::I386)]),
    (
        &["osx", "64"],
        &[O(Os::Darwin), Hit::Implied(Arch::Amd64), Hit::Legacy],
    ),
    (&["win", "64"], &[O(Os::Windows), Hit::Implied(Arch::Amd64)]),
    (&["win", "32"], &[O(Os::Windows), Hit::Implied(Arch::I386)]),
    // operating systems
    (&["linux"], &[O(Os::Linux)]),
    (
        &["linux64"],
        &[O(Os::Linux), Hit::Implied(Arch::Amd64), Hit::Legacy],
    ),
    (
        &["linux32"],
        &[O(Os::Linux), Hit::Implied(Arch::I386), Hit::Legacy],
    ),
    // pnpm's static Linux build
    (&["linuxstatic"], &[O(Os::Linux), L(Libc::Musl)]),
    (&["darwin"], &[O(Os::Darwin)]),
    (&["macos"], &[O(Os::Darwin)]),
    (&["macosx"], &[O(Os::Darwin), Hit::Legacy]),
    (&["mac"], &[O(Os::Darwin)]),
    (&["osx"], &[O(Os::Darwin), Hit::Legacy]),
    (
        &["osx64"],
        &[O(Os::Darwin), Hit::Implied(Arch::Amd64), Hit::Legacy],
    ),
    (&["apple"], &[O(Os::Darwin)]),
    (&["windows"], &[O(Os::Windows)]),
    (&["win"], &[O(Os::Windows)]),
    (
        &["win64"],
        &[O(Os::Windows), Hit::Implied(Arch::Amd64), Hit::Legacy],
    ),
    (
        &["win32"],
        &[O(Os::Windows), Hit::Implied(Arch::I386), Hit::Legacy],
    ),
    // ninja's Windows-on-ARM build
    (&["winarm64"], &[O(Os::Windows), A(Arch::Arm64)]),
    (&["mingw"], &[O(Os::Windows), L(Libc::Gnu)]),
    (
        &["mingw64"],
        &[O(Os::Windows), L(Libc::Gnu), Hit::Implied(Arch::Amd64)],
    ),
    (&["mingw32"], &[O(Os::Windows), L(Libc::Gnu)]),
    (&["msvc"], &[O(Os::Windows), Hit::Msvc]),
    (&["freebsd"], &[O(Os::FreeBsd)]),
    (&["openbsd"], &[O(Os::OpenBsd)]),
    (&["netbsd"], &[O(Os::NetBsd)]),
    (&["android"], &[O(Os::Android)]),
    (&["illumos"], &[O(Os::Illumos)]),
    (&["solaris"], &[O(Os::Solaris)]),
    (&["sunos"], &[O(Os::Solaris)]),
    (&["plan9"], &[O(Os::Plan9)]),
    // architectures
    (&["amd64"], &[A(Arch::Amd64)]),
    (&["x64"], &[A(Arch::Amd64)]),
    (&["64bit"], &[A(Arch::Amd64)]),
    (&["x86"], &[A(Arch::I386), Hit::X86]),
    (&["386"], &[A(Arch::I386)]),
    (&["i386"], &[A(Arch::I386)]),
    (&["i586"], &[A(Arch::I386)]),
    (&["i686"], &[A(Arch::I386)]),
    (&["ia32"], &[A(Arch::I386)]),
    (&["32bit"], &[A(Arch::I386)]),
    // GoReleaser replacements some projects use for 386 (gitleaks)
    (&["x32"], &[A(Arch::I386)]),
    (&["aarch64"], &[A(Arch::Arm64)]),
    (&["arm64"], &[A(Arch::Arm64)]),
    (&["armv8"], &[A(Arch::Arm64)]),
    (&["arm64v8"], &[A(Arch::Arm64)]),
    (&["armv7"], &[A(Arch::Arm(7))]),
    (&["armv7l"], &[A(Arch::Arm(7))]),
    (&["armv7a"], &[A(Arch::Arm(7))]),
    (&["armv7hf"], &[A(Arch::Arm(7))]),
    (&["armhf"], &[A(Arch::Arm(7))]),
    (&["thumbv7neon"], &[A(Arch::Arm(7))]),
    (&["armv6"], &[A(Arch::Arm(6))]),
    (&["armv6l"], &[A(Arch::Arm(6))]),
    (&["armv6hf"], &[A(Arch::Arm(6))]),
    (&["armv5"], &[A(Arch::Arm(5))]),
    (&["armv5te"], &[A(Arch::Arm(5))]),
    (&["armel"], &[A(Arch::Arm(5))]),
    (&["arm32"], &[A(Arch::Arm(0))]),
    (&["arm7"], &[A(Arch::Arm(7))]),
    (&["arm6"], &[A(Arch::Arm(6))]),
    (&["arm5"], &[A(Arch::Arm(5))]),
    (&["arm"], &[A(Arch::Arm(0))]),
    (&["riscv64"], &[A(Arch::Riscv64)]),
    (&["riscv64gc"], &[A(Arch::Riscv64)]),
    (&["ppc64le"], &[A(Arch::Ppc64le)]),
    (&["powerpc64le"], &[A(Arch::Ppc64le)]),
    (&["ppc64el"], &[A(Arch::Ppc64le)]),
    (&["ppc64"], &[A(Arch::Ppc64)]),
    (&["powerpc64"], &[A(Arch::Ppc64)]),
    (&["s390x"], &[A(Arch::S390x)]),
    (&["loong64"], &[A(Arch::Loong64)]),
    (&["loongarch64"], &[A(Arch::Loong64)]),
    (&["mips"], &[A(Arch::Mips)]),
    (&["mipsle"], &[A(Arch::Mipsle)]),
    (&["mipsel"], &[A(Arch::Mipsle)]),
    (&["mips64"], &[A(Arch::Mips64)]),
    (&["mips64le"], &[A(Arch::Mips64le)]),
    (&["mips64el"], &[A(Arch::Mips64le)]),
    (&["universal"], &[Hit::Universal]),
    (&["universal2"], &[Hit::Universal]),
    // GoReleaser's name for a universal macOS binary (`tool_Darwin_all.tar.gz`)
    (&["all"], &[Hit::Universal]),
    // C libraries (and the ARM float ABI that rides along in triples)
    (&["musl"], &[L(Libc::Musl)]),
    (&["static"], &[L(Libc::Musl)]),
    (&["musleabi"], &[L(Libc::Musl)]),
    (&["musleabihf"], &[L(Libc::Musl), Hit::ArmHardFloat]),
    (&["gnu"], &[L(Libc::Gnu)]),
    (&["glibc"], &[L(Libc::Gnu)]),
    (&["gnueabi"], &[L(Libc::Gnu)]),
    (&["gnueabihf"], &[L(Libc::Gnu), Hit::ArmHardFloat]),
    (&["eabihf"], &[Hit::ArmHardFloat]),
];

/// Words that mark a variant of the plain build (debug builds, GUI editions).
/// An asset with fewer of them is preferred when all else is equal.
pub const VARIANT_WORDS: &[&str] = &[
    "debug",
    "dbg",
    "symbols",
    "unstripped",
    "gui",
    "desktop",
    "qt",
    "gtk",
    "full",
    "extended",
    "legacy",
    "profiling",
    "nightly",
    "compat",
    "noasm",
    "baseline",
    "light",
    "lite",
    "slim",
];

/// Everything the vocabulary finds in one name.
#[allow(clippy::struct_excessive_bools)] // independent facts read off a name, not states
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traits {
    pub os: Vec<Os>,
    pub arch: Vec<Arch>,
    pub libc: Option<Libc>,
    pub universal: bool,
    /// An ARM hard-float ABI (`gnueabihf`, `armhf`), which Docker's arm/v6 and
    /// arm/v7 images use.
    pub hard_float: bool,
    /// How many variant words (see [`VARIANT_WORDS`]) the name holds.
    pub variant_words: usize,
    /// Built against Microsoft's C runtime (`msvc`).
    pub msvc: bool,
    /// The OS or architecture is spelled the old way (see [`Hit::Legacy`]).
    pub legacy: bool,
    /// Words the vocabulary does not know (tool names, versions, editions).
    pub other_words: Vec<String>,
    /// The architecture was spelled `x86` (see [`Hit::X86`]).
    pub x86_word: bool,
}

/// Splits a lowercased name into words of letters and digits (keeping `_` out).
pub fn words(name: &str) -> Vec<String> {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Finds every alias in `name` on word boundaries.
pub fn scan(name: &str) -> Traits {
    let words = words(name);
    let mut traits = Traits::default();
    let mut hard_float = false;
    let mut implied = None;
    let mut i = 0;
    while i < words.len() {
        let matched = ALIASES.iter().find(|(seq, _)| {
            seq.len() <= words.len() - i && seq.iter().zip(&words[i..]).all(|(a, w)| a == w)
        });
        let Some((seq, hits)) = matched else {
            if VARIANT_WORDS.contains(&words[i].as_str()) {
                traits.variant_words += 1;
            } else {
                traits.other_words.push(words[i].clone());
            }
            i += 1;
            continue;
        };
        for hit in *hits {
            match *hit {
                Hit::Os(os) => push_unique(&mut traits.os, os),
                Hit::Arch(arch) => push_unique(&mut traits.arch, arch),
                Hit::Libc(libc) => traits.libc = Some(libc),
                Hit::Universal => traits.universal = true,
                Hit::ArmHardFloat => hard_float = true,
                Hit::Msvc => traits.msvc = true,
                Hit::Legacy => traits.legacy = true,
                Hit::Implied(arch) => implied = Some(arch),
                Hit::X86 => traits.x86_word = true,
            }
        }
        i += seq.len();
    }
    if traits.arch.is_empty() {
        traits.arch.extend(implied);
    }
    // `arm-unknown-linux-gnueabihf` is ARMv6 with hardware floats (Rust's naming).
    traits.hard_float = hard_float
        || words
            .iter()
            .any(|w| w == "armhf" || w == "armv7hf" || w == "armv6hf");
    if hard_float {
        for arch in &mut traits.arch {
            if *arch == Arch::Arm(0) {
                *arch = Arch::Arm(6);
            }
        }
    }
    let extension = std::path::Path::new(name).extension();
    let is = |ext: &str| extension.is_some_and(|e| e.eq_ignore_ascii_case(ext));
    if is("exe") {
        push_unique(&mut traits.os, Os::Windows);
    }
    if is("appimage") {
        push_unique(&mut traits.os, Os::Linux);
    }
    // `aarch64-linux-android` names Linux too, but Android is its own platform.
    if traits.os.contains(&Os::Android) {
        traits.os.retain(|os| *os != Os::Linux);
    }
    traits
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_is_found_alone_and_inside_a_name() {
        for (seq, hits) in ALIASES {
            let alias = seq.join("_");
            for name in [alias.clone(), format!("tool-1.2.3-{alias}.tar.gz")] {
                let t = scan(&name);
                for hit in *hits {
                    let found = match *hit {
                        Hit::Os(os) => t.os.contains(&os),
                        Hit::Arch(Arch::Arm(0)) => t.arch.iter().any(|a| matches!(a, Arch::Arm(_))),
                        Hit::Arch(arch) | Hit::Implied(arch) => t.arch.contains(&arch),
                        Hit::Libc(libc) => t.libc == Some(libc),
                        Hit::Universal => t.universal,
                        Hit::ArmHardFloat => true,
                        Hit::Msvc => t.msvc,
                        Hit::Legacy => t.legacy,
                        Hit::X86 => t.x86_word,
                    };
                    assert!(
                        found,
                        "alias {alias:?} in {name:?}: expected {hit:?}, got {t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn matches_only_on_word_boundaries() {
        let cases: &[(&str, &[Arch], &[Os])] = &[
            ("tool-arm64.tar.gz", &[Arch::Arm64], &[]),
            ("tool-armv7.tar.gz", &[Arch::Arm(7)], &[]),
            ("armada-linux-amd64", &[Arch::Amd64], &[Os::Linux]),
            ("darwinia-x86_64", &[Arch::Amd64], &[]),
            ("macchiato_linux_x86-64", &[Arch::Amd64], &[Os::Linux]),
            ("winget-linux-386", &[Arch::I386], &[Os::Linux]),
            ("tool-x86_64-apple-darwin", &[Arch::Amd64], &[Os::Darwin]),
            ("tool-mac-os-arm64", &[Arch::Arm64], &[Os::Darwin]),
        ];
        for (name, arch, os) in cases {
            let t = scan(name);
            assert_eq!(t.arch, *arch, "{name}");
            assert_eq!(t.os, *os, "{name}");
        }
    }

    #[test]
    fn hard_float_arm_is_v6_and_exe_is_windows() {
        let t = scan("rg-arm-unknown-linux-gnueabihf.tar.gz");
        assert_eq!(
            (t.arch.as_slice(), t.libc),
            (&[Arch::Arm(6)][..], Some(Libc::Gnu))
        );
        let t = scan("tool-armv7-unknown-linux-musleabihf.tar.gz");
        assert_eq!(t.arch, [Arch::Arm(7)]);
        assert_eq!(scan("tool.exe").os, [Os::Windows]);
    }

    #[test]
    fn android_is_not_linux_and_an_appimage_is() {
        assert_eq!(scan("z-0.9-aarch64-linux-android.tar.gz").os, [Os::Android]);
        assert_eq!(scan("helix-25.07-x86_64.AppImage").os, [Os::Linux]);
        assert_eq!(scan("lazygit_linux_32-bit.tar.gz").arch, [Arch::I386]);
        assert!(scan("jq-linux64").legacy && !scan("jq-linux-amd64").legacy);
        assert!(scan("t-x86_64-pc-windows-msvc.zip").msvc);
        assert_eq!(scan("biome-win32-x64.exe").arch, [Arch::Amd64]);
        assert_eq!(scan("protoc-25.1-win32.zip").arch, [Arch::I386]);
    }

    #[test]
    fn counts_variant_words() {
        assert_eq!(scan("tool-linux-amd64-debug.tar.gz").variant_words, 1);
        assert_eq!(scan("tool-gui-linux-amd64-dbg").variant_words, 2);
        assert_eq!(scan("tool-linux-amd64.tar.gz").variant_words, 0);
    }
}

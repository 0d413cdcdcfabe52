//! The target system: operating system, architecture (with the ARM variant) and,
//! on Linux, the C library. Parses Docker platform strings, eget's `os/arch` and
//! Rust target triples, and describes the host.

use std::fmt;

/// An operating system, named as Go and Docker name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Os {
    Linux,
    Darwin,
    Windows,
    FreeBsd,
    OpenBsd,
    NetBsd,
    Android,
    Illumos,
    Solaris,
    Plan9,
}

/// A CPU architecture, named as Go and Docker name it. ARM carries its
/// version (5, 6 or 7); 0 means "arm, version unknown".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    Amd64,
    I386,
    Arm64,
    Arm(u8),
    Riscv64,
    Ppc64le,
    Ppc64,
    S390x,
    Loong64,
    Mips,
    Mipsle,
    Mips64,
    Mips64le,
}

/// The C library a Linux binary links against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Libc {
    /// Not said: prefer static and musl builds, accept glibc ones.
    Any,
    Musl,
    Gnu,
}

/// A platform to pick assets for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct System {
    pub os: Os,
    pub arch: Arch,
    pub libc: Libc,
}

impl Os {
    pub const ALL: [Os; 10] = [
        Os::Linux,
        Os::Darwin,
        Os::Windows,
        Os::FreeBsd,
        Os::OpenBsd,
        Os::NetBsd,
        Os::Android,
        Os::Illumos,
        Os::Solaris,
        Os::Plan9,
    ];

    /// The Go/Docker spelling (`linux`, `darwin`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Darwin => "darwin",
            Os::Windows => "windows",
            Os::FreeBsd => "freebsd",
            Os::OpenBsd => "openbsd",
            Os::NetBsd => "netbsd",
            Os::Android => "android",
            Os::Illumos => "illumos",
            Os::Solaris => "solaris",
            Os::Plan9 => "plan9",
        }
    }

    fn parse(s: &str) -> Option<Os> {
        let s = s.to_ascii_lowercase();
        let s = match s.as_str() {
            "macos" | "osx" | "mac" => "darwin",
            "win" => "windows",
            other => other,
        };
        Os::ALL.into_iter().find(|os| os.as_str() == s)
    }
}

impl Arch {
    /// The Go/Docker spelling, with the ARM variant as Docker writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::I386 => "386",
            Arch::Arm64 => "arm64",
            Arch::Arm(5) => "arm/v5",
            Arch::Arm(6) => "arm/v6",
            Arch::Arm(7) => "arm/v7",
            Arch::Arm(_) => "arm",
            Arch::Riscv64 => "riscv64",
            Arch::Ppc64le => "ppc64le",
            Arch::Ppc64 => "ppc64",
            Arch::S390x => "s390x",
            Arch::Loong64 => "loong64",
            Arch::Mips => "mips",
            Arch::Mipsle => "mipsle",
            Arch::Mips64 => "mips64",
            Arch::Mips64le => "mips64le",
        }
    }

    /// Parses Docker's architecture plus optional variant (`arm` + `v7`).
    fn parse(arch: &str, variant: Option<&str>) -> Option<Arch> {
        let arch = arch.to_ascii_lowercase();
        let variant = variant.map(str::to_ascii_lowercase);
        Some(match arch.as_str() {
            "amd64" | "x86_64" | "x86-64" => Arch::Amd64,
            "386" | "i386" | "i686" | "x86" => Arch::I386,
            "arm64" | "aarch64" => Arch::Arm64,
            "arm" => Arch::Arm(match variant.as_deref() {
                None | Some("v7" | "7") => 7,
                Some("v6" | "6") => 6,
                Some("v5" | "5") => 5,
                Some(_) => return None,
            }),
            "armv7" | "armv7l" | "armhf" => Arch::Arm(7),
            "armv6" | "armv6l" | "armel" => Arch::Arm(6),
            "armv5" | "armv5te" => Arch::Arm(5),
            "riscv64" => Arch::Riscv64,
            "ppc64le" => Arch::Ppc64le,
            "ppc64" => Arch::Ppc64,
            "s390x" => Arch::S390x,
            "loong64" | "loongarch64" => Arch::Loong64,
            "mips" => Arch::Mips,
            "mipsle" | "mipsel" => Arch::Mipsle,
            "mips64" => Arch::Mips64,
            "mips64le" | "mips64el" => Arch::Mips64le,
            _ => return None,
        })
    }
}

impl System {
    /// Docker's spelling, `os/arch[/variant]` (`linux/arm/v7`), without the C
    /// library: how BuildKit's `TARGETPLATFORM` and a lock file name it.
    pub fn platform(&self) -> String {
        format!("{}/{}", self.os.as_str(), self.arch.as_str())
    }

    /// Parses `os/arch`, `os/arch/variant` (Docker) or a Rust target triple.
    ///
    /// ```
    /// use jingyu_pick::{Arch, Libc, Os, System};
    /// let s = System::parse("linux/arm/v7").unwrap();
    /// assert_eq!((s.os, s.arch), (Os::Linux, Arch::Arm(7)));
    /// let t = System::parse("aarch64-unknown-linux-musl").unwrap();
    /// assert_eq!((t.arch, t.libc), (Arch::Arm64, Libc::Musl));
    /// ```
    pub fn parse(s: &str) -> Result<System, String> {
        let s = s.trim();
        let parsed = if s.contains('/') {
            Self::parse_platform(s)
        } else {
            Self::parse_triple(s)
        };
        parsed.ok_or_else(|| {
            format!("`{s}` is not a platform: use os/arch[/variant] (linux/arm64, linux/arm/v7) or a Rust target triple")
        })
    }

    fn parse_platform(s: &str) -> Option<System> {
        let mut parts = s.split('/');
        let os = Os::parse(parts.next()?)?;
        let arch_str = parts.next()?;
        let variant = parts.next();
        if parts.next().is_some() {
            return None;
        }
        // amd64/v3 and arm64/v8 are microarchitecture levels, not different binaries.
        let variant = match arch_str {
            "arm" => variant,
            _ => None,
        };
        let arch = Arch::parse(arch_str, variant)?;
        Some(System {
            os,
            arch,
            libc: Libc::Any,
        })
    }

    /// `aarch64-unknown-linux-musl`, `armv7-unknown-linux-gnueabihf`,
    /// `x86_64-apple-darwin`, `x86_64-pc-windows-msvc`, `i686-linux-android`.
    fn parse_triple(s: &str) -> Option<System> {
        let s = s.to_ascii_lowercase();
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() < 2 {
            return None;
        }
        let mut arch = match parts[0] {
            "arm" => Arch::Arm(6),
            "armv5te" => Arch::Arm(5),
            "thumbv7neon" => Arch::Arm(7),
            "riscv64gc" => Arch::Riscv64,
            "powerpc64le" => Arch::Ppc64le,
            "powerpc64" => Arch::Ppc64,
            other => Arch::parse(other, None)?,
        };
        let rest = &parts[1..];
        let has = |w: &str| rest.iter().any(|p| p.starts_with(w));
        let os = if has("android") {
            Os::Android
        } else if has("linux") {
            Os::Linux
        } else if has("darwin") || has("apple") {
            Os::Darwin
        } else {
            rest.iter().find_map(|p| Os::parse(p))?
        };
        let libc = if has("musl") {
            Libc::Musl
        } else if has("gnu") {
            Libc::Gnu
        } else {
            Libc::Any
        };
        if arch == Arch::Arm(6) && rest.iter().any(|p| p.ends_with("eabi")) {
            arch = Arch::Arm(5);
        }
        Some(System { os, arch, libc })
    }

    /// Builds a system from `BuildKit`'s split variables (`TARGETOS`, `TARGETARCH`,
    /// `TARGETVARIANT`).
    pub fn from_parts(os: &str, arch: &str, variant: Option<&str>) -> Result<System, String> {
        let joined = match variant.filter(|v| !v.is_empty()) {
            Some(v) => format!("{os}/{arch}/{v}"),
            None => format!("{os}/{arch}"),
        };
        Self::parse(&joined)
    }

    /// The ARM version of the running CPU from `/proc/cpuinfo`'s `CPU
    /// architecture` line: a v8 core running 32-bit code runs v7 builds.
    /// A binary built for v6 may run on a v7 core; this tells them apart.
    pub fn arm_version_from_cpuinfo(cpuinfo: &str) -> Option<u8> {
        let line = cpuinfo
            .lines()
            .find(|l| l.trim_start().starts_with("CPU architecture"))?;
        let value = line.split(':').nth(1)?.trim();
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<u8>().ok()? {
            v if v >= 7 => Some(7),
            v @ 5..=6 => Some(v),
            _ => None,
        }
    }

    /// The system this binary was compiled for, which is the host it runs on.
    pub fn host() -> System {
        let os = Os::parse(std::env::consts::OS).unwrap_or(Os::Linux);
        let arch = match std::env::consts::ARCH {
            "x86_64" => Arch::Amd64,
            "x86" => Arch::I386,
            "aarch64" => Arch::Arm64,
            "arm" => Arch::Arm(if cfg!(target_feature = "v7") { 7 } else { 6 }),
            "riscv64" => Arch::Riscv64,
            "powerpc64" if cfg!(target_endian = "little") => Arch::Ppc64le,
            "powerpc64" => Arch::Ppc64,
            "s390x" => Arch::S390x,
            "loongarch64" => Arch::Loong64,
            other => Arch::parse(other, None).unwrap_or(Arch::Amd64),
        };
        System {
            os,
            arch,
            libc: Libc::Any,
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.platform())?;
        match self.libc {
            Libc::Any => Ok(()),
            Libc::Musl => f.write_str(" (musl)"),
            Libc::Gnu => f.write_str(" (gnu)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_arm_version_of_the_running_cpu() {
        let pi_zero = "processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n";
        assert_eq!(System::arm_version_from_cpuinfo(pi_zero), Some(7));
        let v6 = "model name\t: ARMv6\nCPU architecture: 6TEJ\n";
        assert_eq!(System::arm_version_from_cpuinfo(v6), Some(6));
        let v8 = "CPU architecture: 8\n";
        assert_eq!(System::arm_version_from_cpuinfo(v8), Some(7));
        assert_eq!(
            System::arm_version_from_cpuinfo("vendor_id: GenuineIntel\n"),
            None
        );
    }

    #[test]
    fn parses_platform_strings_and_triples() {
        let cases: &[(&str, Os, Arch, Libc)] = &[
            ("linux/amd64", Os::Linux, Arch::Amd64, Libc::Any),
            ("linux/amd64/v3", Os::Linux, Arch::Amd64, Libc::Any),
            ("linux/arm64/v8", Os::Linux, Arch::Arm64, Libc::Any),
            ("linux/arm/v7", Os::Linux, Arch::Arm(7), Libc::Any),
            ("linux/arm/v6", Os::Linux, Arch::Arm(6), Libc::Any),
            ("linux/arm", Os::Linux, Arch::Arm(7), Libc::Any),
            ("linux/386", Os::Linux, Arch::I386, Libc::Any),
            ("darwin/arm64", Os::Darwin, Arch::Arm64, Libc::Any),
            ("macos/amd64", Os::Darwin, Arch::Amd64, Libc::Any),
            ("windows/amd64", Os::Windows, Arch::Amd64, Libc::Any),
            ("freebsd/amd64", Os::FreeBsd, Arch::Amd64, Libc::Any),
            ("linux/riscv64", Os::Linux, Arch::Riscv64, Libc::Any),
            ("linux/ppc64le", Os::Linux, Arch::Ppc64le, Libc::Any),
            ("linux/s390x", Os::Linux, Arch::S390x, Libc::Any),
            ("linux/loong64", Os::Linux, Arch::Loong64, Libc::Any),
            ("linux/mips64le", Os::Linux, Arch::Mips64le, Libc::Any),
            (
                "aarch64-unknown-linux-musl",
                Os::Linux,
                Arch::Arm64,
                Libc::Musl,
            ),
            (
                "x86_64-unknown-linux-gnu",
                Os::Linux,
                Arch::Amd64,
                Libc::Gnu,
            ),
            (
                "armv7-unknown-linux-gnueabihf",
                Os::Linux,
                Arch::Arm(7),
                Libc::Gnu,
            ),
            (
                "arm-unknown-linux-musleabihf",
                Os::Linux,
                Arch::Arm(6),
                Libc::Musl,
            ),
            ("x86_64-apple-darwin", Os::Darwin, Arch::Amd64, Libc::Any),
            (
                "x86_64-pc-windows-msvc",
                Os::Windows,
                Arch::Amd64,
                Libc::Any,
            ),
            (
                "riscv64gc-unknown-linux-gnu",
                Os::Linux,
                Arch::Riscv64,
                Libc::Gnu,
            ),
            (
                "powerpc64le-unknown-linux-gnu",
                Os::Linux,
                Arch::Ppc64le,
                Libc::Gnu,
            ),
        ];
        for (input, os, arch, libc) in cases {
            let got = System::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                (got.os, got.arch, got.libc),
                (*os, *arch, *libc),
                "parsing {input}"
            );
        }
    }

    #[test]
    fn rejects_nonsense_with_a_hint() {
        for bad in [
            "linux",
            "linux/",
            "plan10/amd64",
            "linux/arm/v9",
            "a/b/c/d",
            "nonsense",
        ] {
            let err = System::parse(bad).unwrap_err();
            assert!(err.contains("os/arch"), "{bad}: {err}");
        }
    }

    #[test]
    fn buildkit_parts_join_into_a_platform() {
        let s = System::from_parts("linux", "arm", Some("v6")).unwrap();
        assert_eq!(s.arch, Arch::Arm(6));
        let s = System::from_parts("linux", "arm64", Some("")).unwrap();
        assert_eq!(s.arch, Arch::Arm64);
    }

    #[test]
    fn display_uses_docker_spelling() {
        assert_eq!(
            System::parse("linux/arm/v7").unwrap().to_string(),
            "linux/arm/v7"
        );
        assert_eq!(
            System::parse("x86_64-unknown-linux-musl")
                .unwrap()
                .to_string(),
            "linux/amd64 (musl)"
        );
    }
}

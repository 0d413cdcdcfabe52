//! How each step of the chain ranks one candidate: a number (higher is
//! better) or the reason it does not fit at all. The order of the steps, and
//! what they keep, is in the parent module.

use crate::format::Format;
use crate::system::{Arch, Libc, Os, System};
use crate::tokens::words;

use super::Candidate;

/// A rank (higher is better) or the reason the candidate does not fit at all.
pub(super) type Rank = Result<u32, String>;

/// What the installable assets of a release say as a whole.
#[derive(Clone, Copy)]
pub(super) struct Release {
    names_os: bool,
    names_arch: bool,
    names_windows: bool,
}

impl Release {
    pub(super) fn of(installable: &[&Candidate<'_>]) -> Release {
        Release {
            names_os: installable.iter().any(|c| !c.traits.os.is_empty()),
            names_arch: installable.iter().any(|c| !c.traits.arch.is_empty()),
            names_windows: installable
                .iter()
                .any(|c| c.traits.os.contains(&Os::Windows)),
        }
    }
}

/// Keeps the assets for the target's OS: those that name it, and nameless ones
/// taken to be for it (see [`nameless_fits`]). Which of them is best is left to
/// the architecture step, so that `fnm-linux.zip` (amd64 by convention) does
/// not hide `fnm-arm64.zip` from an arm64 Linux.
pub(super) fn os_fit(os: Os, c: &Candidate<'_>, release: Release) -> Rank {
    if c.traits.os.contains(&os) {
        return Ok(1);
    }
    if let Some(other) = c.traits.os.first() {
        return Err(format!("for {}", other.as_str()));
    }
    if nameless_fits(os, c, release) {
        Ok(1)
    } else {
        Err(format!(
            "names no operating system, and is not taken to be for {}",
            os.as_str()
        ))
    }
}

/// How the asset names the target OS, as a tie-break within one architecture
/// rank: the current spelling (3), an old one kept beside it (2, `osx`,
/// `linux64`: jq ships `jq-linux64` next to `jq-linux-amd64`), not at all (1).
fn os_naming(os: Os, c: &Candidate<'_>) -> u32 {
    match (c.traits.os.contains(&os), c.traits.legacy) {
        (true, false) => 3,
        (true, true) => 2,
        (false, _) => 1,
    }
}

/// Whether an asset that names no OS is taken for `os`, when no asset names it:
/// - a release that names neither OS nor architecture is portable (a jar, a
///   script, one zip of every build);
/// - an OS-less build that names its architecture is Linux's (`runc.amd64`,
///   `k0s-v1.31-arm64`), as an arch-less build is amd64's;
/// - a Windows build often comes as a bare `.zip` (`shellcheck-v0.10.0.zip`)
///   when no asset names Windows.
///
/// Anything else nameless (completions, man pages, source) is not a build.
fn nameless_fits(os: Os, c: &Candidate<'_>, release: Release) -> bool {
    let portable = !release.names_os && !release.names_arch;
    let linux_build = os == Os::Linux && !c.traits.arch.is_empty();
    let windows_zip =
        os == Os::Windows && !release.names_windows && Format::from_name(c.name) == Format::Zip;
    portable || linux_build || windows_zip
}

/// The architecture's fit, then how the asset names the OS ([`os_naming`]).
pub(super) fn arch_rank(system: System, c: &Candidate<'_>, release: Release) -> Rank {
    arch_fit_rank(system, c, release).map(|r| r * 4 + os_naming(system.os, c))
}

fn arch_fit_rank(system: System, c: &Candidate<'_>, release: Release) -> Rank {
    let best = c
        .traits
        .arch
        .iter()
        .map(|a| match a {
            // `gitui-mac-x86.tar.gz`: there is no 32-bit macOS for `x86` to mean
            Arch::I386 if system.os == Os::Darwin && c.traits.x86_word => Arch::Amd64,
            other => *other,
        })
        .filter_map(|a| arch_fit(system, a))
        .max();
    if let Some(rank) = best {
        // Docker's arm/v6 and arm/v7 are hard-float: prefer `eabihf` over `eabi`.
        let hard_float = matches!(system.arch, Arch::Arm(6 | 7)) && c.traits.hard_float;
        return Ok(rank + u32::from(hard_float));
    }
    if c.traits.universal && system.os == Os::Darwin {
        return Ok(10);
    }
    if let Some(other) = c.traits.arch.first() {
        return Err(format!("for {}", other.as_str()));
    }
    // No architecture named: the usual convention is amd64 (`onefetch-linux`).
    // Only a release that names neither OS nor architecture is portable.
    if system.arch == Arch::Amd64 || (!release.names_arch && !release.names_os) {
        Ok(2)
    } else {
        Err(format!(
            "names no architecture, so is taken to be amd64, not {}",
            system.arch.as_str()
        ))
    }
}

/// How well an asset's architecture runs on the target's (higher is better):
/// 200 is exact. Older ARM versions run on newer cores, the closer the better,
/// newer never on older; a plain `arm` is taken as v6 (Go's and Rust's
/// default), just below an explicit v6.
fn arch_fit(target: System, asset: Arch) -> Option<u32> {
    match (target.arch, asset) {
        (t, a) if t == a => Some(200),
        (Arch::Arm(t), Arch::Arm(0)) if t >= 6 => Some(105),
        (Arch::Arm(t), Arch::Arm(0)) if t > 0 => Some(45),
        (Arch::Arm(t), Arch::Arm(a)) if a < t => Some(50 + 10 * u32::from(a)),
        _ => None,
    }
}

/// On Linux: static and musl builds, then unsaid, then glibc (unless the target
/// asks for gnu). On Windows: the MSVC runtime, then unsaid, then `MinGW`'s.
pub(super) fn libc_rank(system: System, c: &Candidate<'_>) -> u32 {
    if system.os == Os::Windows {
        return match (c.traits.msvc, c.traits.libc) {
            (true, _) => 2,
            (false, Some(Libc::Gnu)) => 0,
            (false, _) => 1,
        };
    }
    match (system.libc, c.traits.libc) {
        (Libc::Gnu, Some(Libc::Gnu)) | (Libc::Any | Libc::Musl, Some(Libc::Musl)) => 2,
        (_, None | Some(Libc::Any)) => 1,
        (Libc::Gnu, Some(Libc::Musl)) | (Libc::Any | Libc::Musl, Some(Libc::Gnu)) => 0,
    }
}

pub(super) fn format_rank(c: &Candidate<'_>) -> Rank {
    crate::format::preference_of(c.name)
        .map(u32::from)
        .ok_or_else(|| format!("{}: jingyu cannot unpack it", Format::from_name(c.name)))
}

/// 2 when the name starts with the project's name (`kubectx_v0.9.5_…` in
/// ahmetb/kubectx, not `kubens_…`), 1 when it holds it (`cri-containerd-…`).
pub(super) fn project_rank(c: &Candidate<'_>, project: &[String]) -> u32 {
    let name = words(c.name);
    if name.starts_with(project) {
        2
    } else {
        u32::from(name.windows(project.len()).any(|w| w == project))
    }
}

/// Fewer variant words (`debug`, `full` …) first, then fewer words that say
/// nothing jingyu knows (`fips`, `pivkey`, `checkgen`, `airgap`): the plain
/// build has only the tool's name, version, platform and format in its name.
pub(super) fn plain_rank(c: &Candidate<'_>, project: &[String]) -> u32 {
    let unexplained = c
        .traits
        .other_words
        .iter()
        .filter(|w| !project.contains(w) && !says_nothing(w))
        .count();
    let cost = c.traits.variant_words * 8 + unexplained;
    u32::MAX - u32::try_from(cost).unwrap_or(u32::MAX)
}

/// Versions, format suffixes and triple filler: words every build's name has.
fn says_nothing(word: &str) -> bool {
    const FILLER: &[&str] = &[
        "tar", "gz", "tgz", "xz", "txz", "zst", "tzst", "bz2", "tbz", "tbz2", "zip", "exe",
        "appimage", "pc", "unknown", "none", "w64",
    ];
    let digits = word.strip_prefix('v').unwrap_or(word);
    FILLER.contains(&word) || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

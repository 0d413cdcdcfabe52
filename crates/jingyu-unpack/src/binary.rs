//! What an executable's header says: the file kind (ELF, Mach-O, PE), the CPU
//! architectures it holds, and for ELF whether it is static or which program
//! interpreter (dynamic loader) it needs. Used to refuse a binary that does not
//! fit the requested platform (mispackaged releases exist).

use std::fmt;

use jingyu_pick::{Arch, Libc, Os};

/// How many leading bytes [`inspect`] wants (ELF program headers and the
/// interpreter path live near the start).
pub const INSPECT_LEN: usize = 64 * 1024;

/// The container format of an executable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Elf { bits: u8, freebsd: bool },
    MachO,
    Pe,
}

/// How an ELF binary is linked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Linking {
    Static,
    Dynamic { interpreter: String },
}

/// An executable's header, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binary {
    pub kind: Kind,
    /// One for a thin binary; several for a macOS universal (fat) binary.
    pub arches: Vec<Arch>,
    /// ELF only, when the program headers were within the bytes given.
    pub linking: Option<Linking>,
}

/// Reads `head` (the start of a file). `None` for anything that is not a
/// recognised native executable (scripts, data, unknown CPUs).
pub fn inspect(head: &[u8]) -> Option<Binary> {
    if head.starts_with(b"\x7fELF") {
        elf(head)
    } else if head.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
        || head.starts_with(&[0xce, 0xfa, 0xed, 0xfe])
    {
        let arch = macho_arch(u32::from_le_bytes(head.get(4..8)?.try_into().ok()?))?;
        Some(Binary {
            kind: Kind::MachO,
            arches: vec![arch],
            linking: None,
        })
    } else if head.starts_with(&[0xca, 0xfe, 0xba, 0xbe]) {
        fat_macho(head)
    } else if head.starts_with(b"MZ") {
        pe(head)
    } else {
        None
    }
}

fn elf(h: &[u8]) -> Option<Binary> {
    let bits = match h.get(4)? {
        1 => 32,
        2 => 64,
        _ => return None,
    };
    let le = *h.get(5)? == 1;
    let u16_at = |o: usize| {
        h.get(o..o + 2).map(|b| {
            if le {
                u16::from_le_bytes([b[0], b[1]])
            } else {
                u16::from_be_bytes([b[0], b[1]])
            }
        })
    };
    let u32_at = |o: usize| {
        h.get(o..o + 4).map(|b| {
            let a = [b[0], b[1], b[2], b[3]];
            if le {
                u32::from_le_bytes(a)
            } else {
                u32::from_be_bytes(a)
            }
        })
    };
    let u64_at = |o: usize| {
        h.get(o..o + 8).map(|b| {
            let a: [u8; 8] = b.try_into().expect("8 bytes");
            if le {
                u64::from_le_bytes(a)
            } else {
                u64::from_be_bytes(a)
            }
        })
    };
    let arch = elf_arch(u16_at(18)?, bits, le)?;
    let word = |o32: usize, o64: usize| -> Option<usize> {
        if bits == 64 {
            usize::try_from(u64_at(o64)?).ok()
        } else {
            usize::try_from(u32_at(o32)?).ok()
        }
    };
    let linking = (|| {
        let (phoff, phentsize, phnum) = (
            word(28, 32)?,
            usize::from(u16_at(if bits == 64 { 54 } else { 42 })?),
            usize::from(u16_at(if bits == 64 { 56 } else { 44 })?),
        );
        let mut interpreter = None;
        for i in 0..phnum {
            let ph = phoff.checked_add(i.checked_mul(phentsize)?)?;
            if u32_at(ph)? == 3 {
                let (off, size) = (word(ph + 4, ph + 8)?, word(ph + 16, ph + 32)?);
                let raw = h.get(off..off.checked_add(size)?)?;
                interpreter = Some(
                    String::from_utf8_lossy(raw)
                        .trim_end_matches('\0')
                        .to_owned(),
                );
            }
        }
        Some(
            interpreter.map_or(Linking::Static, |interpreter| Linking::Dynamic {
                interpreter,
            }),
        )
    })();
    let freebsd = *h.get(7)? == 9;
    Some(Binary {
        kind: Kind::Elf { bits, freebsd },
        arches: vec![arch],
        linking,
    })
}

fn elf_arch(machine: u16, bits: u8, le: bool) -> Option<Arch> {
    Some(match (machine, bits, le) {
        (3, _, _) => Arch::I386,
        (62, _, _) => Arch::Amd64,
        (183, _, _) => Arch::Arm64,
        (40, _, _) => Arch::Arm(0),
        (243, 64, _) => Arch::Riscv64,
        (21, _, true) => Arch::Ppc64le,
        (21, _, false) => Arch::Ppc64,
        (22, _, _) => Arch::S390x,
        (258, _, _) => Arch::Loong64,
        (8, 64, true) => Arch::Mips64le,
        (8, 64, false) => Arch::Mips64,
        (8, _, true) => Arch::Mipsle,
        (8, _, false) => Arch::Mips,
        _ => return None,
    })
}

fn macho_arch(cputype: u32) -> Option<Arch> {
    Some(match cputype {
        0x0100_0007 => Arch::Amd64,
        0x0100_000c => Arch::Arm64,
        7 => Arch::I386,
        12 => Arch::Arm(0),
        _ => return None,
    })
}

/// A universal binary: big-endian header, then 20-byte entries. Java class
/// files share the magic, so a plausible architecture count is required.
fn fat_macho(h: &[u8]) -> Option<Binary> {
    let count = usize::try_from(u32::from_be_bytes(h.get(4..8)?.try_into().ok()?)).ok()?;
    if count == 0 || count > 16 {
        return None;
    }
    let arches = (0..count)
        .map(|i| {
            h.get(8 + i * 20..12 + i * 20)
                .and_then(|b| macho_arch(u32::from_be_bytes(b.try_into().ok()?)))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Binary {
        kind: Kind::MachO,
        arches,
        linking: None,
    })
}

fn pe(h: &[u8]) -> Option<Binary> {
    let lfanew = usize::try_from(u32::from_le_bytes(h.get(0x3c..0x40)?.try_into().ok()?)).ok()?;
    if h.get(lfanew..lfanew + 4)? != b"PE\0\0" {
        return None;
    }
    let machine = u16::from_le_bytes(h.get(lfanew + 4..lfanew + 6)?.try_into().ok()?);
    let arch = match machine {
        0x8664 => Arch::Amd64,
        0x014c => Arch::I386,
        0xaa64 => Arch::Arm64,
        0x01c4 => Arch::Arm(7),
        _ => return None,
    };
    Some(Binary {
        kind: Kind::Pe,
        arches: vec![arch],
        linking: None,
    })
}

impl Binary {
    /// Whether this binary runs on `os`/`arch`. ARM versions are not told
    /// apart (the header does not say); Linux and the BSDs share ELF, so only
    /// a FreeBSD-branded binary is refused for Linux.
    pub fn fits(&self, os: Os, arch: Arch) -> bool {
        let os_ok = match self.kind {
            Kind::Elf { freebsd, .. } => {
                !matches!(os, Os::Darwin | Os::Windows) && (!freebsd || os != Os::Linux)
            }
            Kind::MachO => os == Os::Darwin,
            Kind::Pe => os == Os::Windows,
        };
        let arch_ok = self
            .arches
            .iter()
            .any(|a| *a == arch || matches!((a, arch), (Arch::Arm(_), Arch::Arm(_))));
        os_ok && arch_ok
    }

    /// The C library a dynamic ELF binary needs, from its interpreter.
    pub fn libc(&self) -> Option<Libc> {
        match &self.linking {
            Some(Linking::Dynamic { interpreter }) if interpreter.contains("ld-musl") => {
                Some(Libc::Musl)
            }
            Some(Linking::Dynamic { interpreter })
                if interpreter.contains("ld-linux")
                    || interpreter.contains("ld64.so")
                    || interpreter.contains("ld.so") =>
            {
                Some(Libc::Gnu)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let arches: Vec<&str> = self.arches.iter().map(|a| a.as_str()).collect();
        match self.kind {
            Kind::Elf { bits, .. } => write!(f, "ELF {bits}-bit {}", arches.join(", "))?,
            Kind::MachO if arches.len() > 1 => {
                write!(f, "Mach-O universal ({})", arches.join(", "))?;
            }
            Kind::MachO => write!(f, "Mach-O {}", arches.join(", "))?,
            Kind::Pe => write!(f, "PE {}", arches.join(", "))?,
        }
        match &self.linking {
            Some(Linking::Static) => f.write_str(", static"),
            Some(Linking::Dynamic { interpreter }) => write!(f, ", dynamic ({interpreter})"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;

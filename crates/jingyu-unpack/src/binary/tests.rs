//! Headers built byte by byte for each format and CPU, plus a real one: the
//! running test binary.

use super::*;

/// A 64-bit little-endian ELF with `machine` and, if given, a `PT_INTERP`.
fn elf64(machine: u16, interp: Option<&str>) -> Vec<u8> {
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\x00");
    h[18..20].copy_from_slice(&machine.to_le_bytes());
    h[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
    h[54..56].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
    h[56..58].copy_from_slice(&1u16.to_le_bytes()); // e_phnum
    let p_type: u32 = if interp.is_some() { 3 } else { 1 };
    h[64..68].copy_from_slice(&p_type.to_le_bytes());
    if let Some(path) = interp {
        h[64 + 8..64 + 16].copy_from_slice(&200u64.to_le_bytes()); // p_offset
        let len = path.len() as u64 + 1;
        h[64 + 32..64 + 40].copy_from_slice(&len.to_le_bytes()); // p_filesz
        h[200..200 + path.len()].copy_from_slice(path.as_bytes());
    }
    h
}

#[test]
fn elf_machines_and_linking() {
    let cases = [
        (62, Arch::Amd64),
        (183, Arch::Arm64),
        (243, Arch::Riscv64),
        (21, Arch::Ppc64le),
        (22, Arch::S390x),
        (258, Arch::Loong64),
        (3, Arch::I386),
    ];
    for (machine, arch) in cases {
        let b = inspect(&elf64(machine, None)).unwrap();
        assert_eq!(
            (b.arches.as_slice(), &b.linking),
            (&[arch][..], &Some(Linking::Static)),
            "machine {machine}"
        );
    }
    let musl = inspect(&elf64(183, Some("/lib/ld-musl-aarch64.so.1"))).unwrap();
    assert_eq!(musl.libc(), Some(Libc::Musl));
    assert_eq!(
        musl.to_string(),
        "ELF 64-bit arm64, dynamic (/lib/ld-musl-aarch64.so.1)"
    );
    let glibc = inspect(&elf64(62, Some("/lib64/ld-linux-x86-64.so.2"))).unwrap();
    assert_eq!(glibc.libc(), Some(Libc::Gnu));
    assert_eq!(
        inspect(&elf64(62, None)).unwrap().to_string(),
        "ELF 64-bit amd64, static"
    );
}

#[test]
fn a_real_binary_is_read() {
    let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    let b = inspect(&me[..INSPECT_LEN.min(me.len())]).expect("the test binary is an ELF");
    if cfg!(target_arch = "x86_64") {
        assert_eq!(b.arches, [Arch::Amd64]);
        assert!(b.fits(Os::Linux, Arch::Amd64));
        assert!(!b.fits(Os::Linux, Arch::Arm64));
    }
    assert!(b.linking.is_some(), "program headers are near the start");
}

#[test]
fn macho_thin_and_universal() {
    let mut thin = vec![0xcf, 0xfa, 0xed, 0xfe];
    thin.extend(0x0100_000cu32.to_le_bytes());
    let b = inspect(&thin).unwrap();
    assert!(
        b.fits(Os::Darwin, Arch::Arm64)
            && !b.fits(Os::Darwin, Arch::Amd64)
            && !b.fits(Os::Linux, Arch::Arm64)
    );
    let mut fat = vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2];
    for cpu in [0x0100_0007u32, 0x0100_000c] {
        fat.extend(cpu.to_be_bytes());
        fat.extend([0u8; 16]);
    }
    let b = inspect(&fat).unwrap();
    assert!(b.fits(Os::Darwin, Arch::Amd64) && b.fits(Os::Darwin, Arch::Arm64));
    assert_eq!(b.to_string(), "Mach-O universal (amd64, arm64)");
    // a Java class file shares the magic but not the shape
    assert_eq!(inspect(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]), None);
}

#[test]
fn pe_machines() {
    let mut pe = vec![0u8; 256];
    pe[..2].copy_from_slice(b"MZ");
    pe[0x3c..0x40].copy_from_slice(&128u32.to_le_bytes());
    pe[128..132].copy_from_slice(b"PE\0\0");
    pe[132..134].copy_from_slice(&0xaa64u16.to_le_bytes());
    let b = inspect(&pe).unwrap();
    assert!(
        b.fits(Os::Windows, Arch::Arm64)
            && !b.fits(Os::Windows, Arch::Amd64)
            && !b.fits(Os::Linux, Arch::Arm64)
    );
    assert_eq!(inspect(b"MZ but not a PE"), None);
}

#[test]
fn freebsd_elf_does_not_fit_linux_and_arm_versions_are_not_told_apart() {
    let mut bsd = elf64(62, None);
    bsd[7] = 9;
    let b = inspect(&bsd).unwrap();
    assert!(!b.fits(Os::Linux, Arch::Amd64) && b.fits(Os::FreeBsd, Arch::Amd64));
    let mut arm = elf64(40, None);
    arm[4] = 1; // 32-bit: headers are elsewhere, the machine still reads
    let b = inspect(&arm).unwrap();
    assert!(b.fits(Os::Linux, Arch::Arm(7)) && b.fits(Os::Linux, Arch::Arm(6)));
}

#[test]
fn scripts_and_data_are_not_binaries() {
    assert_eq!(inspect(b"#!/bin/sh\n"), None);
    assert_eq!(inspect(b""), None);
    assert_eq!(inspect(b"\x7fELF\x03"), None);
}

//! `memcpy`, `memmove` and `memset` for the static musl build.
//!
//! musl's string functions are small and portable: `memmove` copies an
//! overlapping range byte by byte, and `memcpy` starts `rep movsq` even for a
//! handful of bytes. The decoders make millions of such tiny copies (bzip2's
//! move-to-front list shifts up to 15 bytes per symbol; inflate and zstd copy
//! short matches), so on the real musl binary `memmove` took 28% of a tar.bz2
//! install against 4% for glibc's, and every decoder ran 20–35% slower than in
//! a glibc build. These versions copy up to 64 bytes with a few unaligned
//! loads and stores (all loads before any store, so overlap is safe), and
//! larger ranges with `rep movsb`/`rep stosb` on x86-64 or 16-byte blocks
//! elsewhere.
//!
//! They replace musl's only in a musl build (`#[no_mangle]` there, and the
//! binary links this crate only for `target_env = "musl"`); elsewhere they are
//! ordinary functions, which is how the tests compare them with the platform's
//! own. `#![no_builtins]` keeps LLVM from turning the copy loops back into
//! calls to the very functions they define.

#![no_builtins]
#![cfg_attr(not(test), no_std)]
// The whole crate is raw-pointer code standing in for libc; each function
// states its contract.
#![allow(unsafe_code)]

use core::ptr::{read_unaligned as load, write_unaligned as store};

/// From this many bytes on, x86-64 copies with `rep movsb`.
#[cfg(target_arch = "x86_64")]
const REP_MOVSB_THRESHOLD: usize = 2048;

/// Copies `n` bytes from `src` to `dest`. C lets `memcpy` assume the ranges do
/// not overlap; this one is [`memmove`], so they may.
///
/// # Safety
/// `src` must be valid for `n` reads and `dest` for `n` writes.
#[cfg_attr(target_env = "musl", no_mangle)]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    copy(dest, src, n);
    dest
}

/// Copies `n` bytes from `src` to `dest`; the ranges may overlap.
///
/// # Safety
/// `src` must be valid for `n` reads and `dest` for `n` writes.
#[cfg_attr(target_env = "musl", no_mangle)]
pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    copy(dest, src, n);
    dest
}

/// Sets `n` bytes at `dest` to the low byte of `c`.
///
/// # Safety
/// `dest` must be valid for `n` writes.
#[cfg_attr(target_env = "musl", no_mangle)]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
    let byte = c as u8;
    fill(dest, byte, n);
    dest
}

#[inline]
unsafe fn copy(dst: *mut u8, src: *const u8, len: usize) {
    match len {
        0..=16 => copy_small(dst, src, len),
        17..=32 => {
            let head = load::<u128>(src.cast());
            let tail = load::<u128>(src.add(len - 16).cast());
            store(dst.cast(), head);
            store(dst.add(len - 16).cast(), tail);
        }
        33..=64 => {
            let first = load::<u128>(src.cast());
            let second = load::<u128>(src.add(16).cast());
            let third = load::<u128>(src.add(len - 32).cast());
            let last = load::<u128>(src.add(len - 16).cast());
            store(dst.cast(), first);
            store(dst.add(16).cast(), second);
            store(dst.add(len - 32).cast(), third);
            store(dst.add(len - 16).cast(), last);
        }
        // `dst` does not start inside `src`'s range: a forward copy is safe
        // (this includes every `dst` below `src`).
        _ if (dst as usize).wrapping_sub(src as usize) >= len => forward(dst, src, len),
        _ => backward(dst, src, len),
    }
}

/// Up to 16 bytes: two possibly overlapping loads, then two stores.
#[inline]
unsafe fn copy_small(dst: *mut u8, src: *const u8, len: usize) {
    if len >= 8 {
        let head = load::<u64>(src.cast());
        let tail = load::<u64>(src.add(len - 8).cast());
        store(dst.cast(), head);
        store(dst.add(len - 8).cast(), tail);
    } else if len >= 4 {
        let head = load::<u32>(src.cast());
        let tail = load::<u32>(src.add(len - 4).cast());
        store(dst.cast(), head);
        store(dst.add(len - 4).cast(), tail);
    } else if len > 0 {
        let (first, middle, last) = (*src, *src.add(len / 2), *src.add(len - 1));
        *dst = first;
        *dst.add(len / 2) = middle;
        *dst.add(len - 1) = last;
    }
}

/// More than 64 bytes, front to back.
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn forward(dst: *mut u8, src: *const u8, len: usize) {
    // `rep movsb` takes a few dozen cycles to start, so shorter ranges (most of
    // the decoders' matches) go in 16-byte blocks, as glibc does below 2 KiB.
    if len <= REP_MOVSB_THRESHOLD {
        return forward_blocks(dst, src, len);
    }
    // `rep movsb` copies byte by byte in order, so it is right for any `dst`
    // below `src` too; with ERMS (every x86-64 CPU since 2012) it is the fastest
    // way to copy a large range. The ABI guarantees the direction flag is clear.
    core::arch::asm!(
        "rep movsb",
        inout("rcx") len => _,
        inout("rdi") dst => _,
        inout("rsi") src => _,
        options(nostack, preserves_flags)
    );
}

/// More than 64 bytes, front to back: the last 16 source bytes are read
/// before anything is written, then 16-byte blocks.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
unsafe fn forward(dst: *mut u8, src: *const u8, len: usize) {
    forward_blocks(dst, src, len);
}

/// [`forward`] in 16-byte blocks: everywhere but x86-64, and there below
/// [`REP_MOVSB_THRESHOLD`].
#[inline]
unsafe fn forward_blocks(dst: *mut u8, src: *const u8, len: usize) {
    let tail = load::<u128>(src.add(len - 16).cast());
    let mut at = 0;
    while at + 16 <= len {
        let block = load::<u128>(src.add(at).cast());
        store(dst.add(at).cast(), block);
        at += 16;
    }
    store(dst.add(len - 16).cast(), tail);
}

/// More than 64 bytes where `dst` starts inside `src`'s range: back to front,
/// with the first 16 source bytes read before anything is written.
#[inline]
unsafe fn backward(dst: *mut u8, src: *const u8, len: usize) {
    let head = load::<u128>(src.cast());
    let mut end = len;
    while end > 16 {
        let block = load::<u128>(src.add(end - 16).cast());
        store(dst.add(end - 16).cast(), block);
        end -= 16;
    }
    store(dst.cast(), head);
}

#[inline]
unsafe fn fill(dst: *mut u8, byte: u8, len: usize) {
    let wide = u64::from(byte) * 0x0101_0101_0101_0101;
    match len {
        0..=3 => {
            for at in 0..len {
                *dst.add(at) = byte;
            }
        }
        #[allow(clippy::cast_possible_truncation)]
        4..=7 => {
            store(dst.cast(), wide as u32);
            store(dst.add(len - 4).cast(), wide as u32);
        }
        8..=16 => {
            store(dst.cast(), wide);
            store(dst.add(len - 8).cast(), wide);
        }
        _ => fill_large(dst, byte, len),
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn fill_large(dst: *mut u8, byte: u8, len: usize) {
    core::arch::asm!(
        "rep stosb",
        inout("rcx") len => _,
        inout("rdi") dst => _,
        in("al") byte,
        options(nostack, preserves_flags)
    );
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
unsafe fn fill_large(dst: *mut u8, byte: u8, len: usize) {
    fill_blocks(dst, byte, len);
}

/// [`fill_large`] without `rep stosb` (every target but x86-64; tested everywhere).
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
#[inline]
unsafe fn fill_blocks(dst: *mut u8, byte: u8, len: usize) {
    let wide = u128::from_ne_bytes([byte; 16]);
    let mut at = 0;
    while at + 16 <= len {
        store(dst.add(at).cast(), wide);
        at += 16;
    }
    store(dst.add(len - 16).cast(), wide);
}

#[cfg(test)]
mod tests;

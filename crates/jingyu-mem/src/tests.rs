//! Every size up to 300 bytes, at every alignment, in both directions of
//! overlap, against a plain byte-by-byte model.

extern crate std;

use std::vec::Vec;

use super::{fill_blocks, forward_blocks, memcpy, memmove, memset};

const LEN: usize = 300;
const ROOM: usize = 2 * LEN + 64;

fn pattern() -> Vec<u8> {
    (0..ROOM)
        .map(|i| u8::try_from((i * 7 + i / 251) % 256).unwrap())
        .collect()
}

/// What `memmove(buf + to, buf + from, n)` must leave in `buf`.
fn model_move(buf: &[u8], to: usize, from: usize, n: usize) -> Vec<u8> {
    let mut out = buf.to_vec();
    let src: Vec<u8> = buf[from..from + n].to_vec();
    out[to..to + n].copy_from_slice(&src);
    out
}

#[test]
fn memmove_matches_the_model_for_every_size_offset_and_overlap() {
    for n in 0..=LEN {
        for from in 0..20_usize {
            // destinations below, overlapping on either side, and clear of `from`
            for to in [
                0,
                from.saturating_sub(1),
                from,
                from + 1,
                from + 15,
                from + 17,
                from + n,
                LEN + 40,
            ] {
                if to + n > ROOM || from + n > ROOM {
                    continue;
                }
                let mut buf = pattern();
                let want = model_move(&buf, to, from, n);
                let base = buf.as_mut_ptr();
                let ret = unsafe { memmove(base.add(to), base.add(from), n) };
                assert_eq!(ret, unsafe { base.add(to) });
                assert!(buf == want, "memmove n={n} from={from} to={to}");
            }
        }
    }
}

#[test]
fn memcpy_copies_disjoint_ranges_exactly() {
    for n in 0..=LEN {
        for from in 0..17 {
            let to = LEN + 32 + (n % 13);
            let mut buf = pattern();
            let want = model_move(&buf, to, from, n);
            let base = buf.as_mut_ptr();
            unsafe { memcpy(base.add(to), base.add(from), n) };
            assert!(buf == want, "memcpy n={n} from={from}");
        }
    }
}

#[test]
fn memset_fills_exactly_the_range() {
    for n in 0..=LEN {
        for at in 0..17 {
            let mut buf = pattern();
            let mut want = buf.clone();
            want[at..at + n].fill(0xa5);
            let base = buf.as_mut_ptr();
            let ret = unsafe { memset(base.add(at), 0x1a5, n) };
            assert_eq!(ret, unsafe { base.add(at) });
            assert!(buf == want, "memset n={n} at={at}");
        }
    }
}

#[test]
fn the_portable_bulk_paths_match_the_model() {
    for n in 65..=LEN {
        for (from, to) in [(0, 1), (1, 0), (17, 3), (3, LEN + 40), (LEN + 40, 5)] {
            let mut buf = pattern();
            let want = model_move(&buf, to, from, n);
            let base = buf.as_mut_ptr();
            unsafe { forward_blocks(base.add(to), base.add(from), n) };
            // forward is only used when `to` is not inside the source range
            if to.wrapping_sub(from) >= n {
                assert!(buf == want, "forward_blocks n={n} from={from} to={to}");
            }
        }
        let mut buf = pattern();
        let mut want = buf.clone();
        want[3..3 + n].fill(0x5c);
        unsafe { fill_blocks(buf.as_mut_ptr().add(3), 0x5c, n) };
        assert!(buf == want, "fill_blocks n={n}");
    }
}

#[test]
fn large_copies_take_the_bulk_path_in_both_directions() {
    let room = 3 * 10_007;
    let fresh = || -> Vec<u8> {
        (0..room)
            .map(|i| u8::try_from((i * 13 + i / 257) % 256).unwrap())
            .collect()
    };
    for n in [2047, 2048, 2049, 4103, 10_007] {
        for (from, to) in [(0, 1), (1, 0), (5, 4100), (4100, 5), (3, n + 9), (n + 9, 3)] {
            if from + n > room || to + n > room {
                continue;
            }
            let mut buf = fresh();
            let want = model_move(&buf, to, from, n);
            let base = buf.as_mut_ptr();
            unsafe { memmove(base.add(to), base.add(from), n) };
            assert!(buf == want, "memmove n={n} from={from} to={to}");
        }
        let mut buf = fresh();
        let mut want = buf.clone();
        want[7..7 + n].fill(0x33);
        unsafe { memset(buf.as_mut_ptr().add(7), 0x33, n) };
        assert!(buf == want, "memset n={n}");
    }
}

//! Bits of a bzip2 stream: reading a field at any bit offset and writing bits
//! into a byte-aligned buffer. bzip2 packs everything most significant bit
//! first and aligns nothing but the stream itself, so a block starts wherever
//! the one before it ended.

/// Up to 32 bits of `src` from bit `pos`, most significant first; bits past
/// the end of `src` read as zero.
pub(super) fn bits_at(src: &[u8], pos: u64, n: u32) -> u64 {
    debug_assert!(n <= 32);
    let byte = (pos / 8) as usize;
    let mut window = 0u64;
    for i in 0..5 {
        window = (window << 8) | u64::from(src.get(byte + i).copied().unwrap_or(0));
    }
    let skip = (pos % 8) as u32;
    (window >> (40 - skip - n)) & mask(n)
}

/// The 32 bits of `src` from bit `pos` (a CRC).
pub(super) fn u32_at(src: &[u8], pos: u64) -> u32 {
    u32::try_from(bits_at(src, pos, 32)).expect("32 bits fit")
}

fn mask(n: u32) -> u64 {
    (1u64 << n) - 1
}

/// Appends bits to a byte buffer, most significant first.
#[derive(Default)]
pub(super) struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet making a whole byte, in the low `pending` bits.
    acc: u64,
    pending: u32,
}

impl BitWriter {
    pub(super) fn with_capacity(bytes: usize) -> BitWriter {
        BitWriter {
            bytes: Vec::with_capacity(bytes),
            ..BitWriter::default()
        }
    }

    /// Appends the low `n` (≤ 32) bits of `value`.
    pub(super) fn push(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 32);
        self.acc = (self.acc << n) | (value & mask(n));
        self.pending += n;
        while self.pending >= 8 {
            self.pending -= 8;
            self.bytes.push((self.acc >> self.pending).to_le_bytes()[0]);
        }
        self.acc &= mask(self.pending);
    }

    /// Appends `n` bits of `src` starting at bit `from`.
    pub(super) fn copy(&mut self, src: &[u8], from: u64, n: u64) {
        let mut done = 0;
        while done < n {
            let take = (n - done).min(32) as u32;
            self.push(bits_at(src, from + done, take), take);
            done += u64::from(take);
        }
    }

    /// The bytes written, the last one padded with zero bits.
    pub(super) fn finish(mut self) -> Vec<u8> {
        if self.pending > 0 {
            let pad = 8 - self.pending;
            self.push(0, pad);
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_bits_from_any_offset_to_any_offset() {
        let src: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
        for from in [0u64, 1, 7, 8, 13, 31] {
            for lead in [0u32, 3, 8, 11] {
                let n = 300;
                let mut w = BitWriter::default();
                w.push(0b101, lead.min(3));
                w.push(0, lead.saturating_sub(3));
                w.copy(&src, from, n);
                let out = w.finish();
                for i in 0..n {
                    let want = bits_at(&src, from + i, 1);
                    let got = bits_at(&out, u64::from(lead) + i, 1);
                    assert_eq!(got, want, "bit {i} copied from {from} to {lead}");
                }
                assert_eq!(out.len() as u64, (u64::from(lead) + n).div_ceil(8));
            }
        }
    }

    #[test]
    fn reads_fields_across_bytes_and_past_the_end() {
        let src = [0b1010_1100, 0b0011_1111, 0xff];
        assert_eq!(bits_at(&src, 0, 4), 0b1010);
        assert_eq!(bits_at(&src, 6, 6), 0b00_0011);
        assert_eq!(bits_at(&src, 20, 8), 0b1111_0000);
        assert_eq!(bits_at(&src, 64, 32), 0);
    }
}

//! Snappy's block format, decoded: GitHub serves attestation bundles at
//! `bundle_url` as `.json.sn`. A bounded, safe decoder of a few dozen lines
//! rather than a dependency.

use crate::error::Error;

fn bad(why: &str) -> Error {
    Error::Bundle(format!("bad Snappy data: {why}"))
}

/// Decodes one Snappy block, refusing any that would exceed `limit` bytes.
pub fn decompress(input: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    let mut at = 0;
    let mut length: u64 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *input.get(at).ok_or_else(|| bad("truncated length"))?;
        at += 1;
        length |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let length = usize::try_from(length).map_err(|_| bad("too long"))?;
    if length > limit {
        return Err(bad(&format!(
            "it expands to {length} bytes, more than {limit}"
        )));
    }
    let mut out = Vec::with_capacity(length);
    let mut take = |n: usize| -> Result<&[u8], Error> {
        let bytes = input.get(at..at + n).ok_or_else(|| bad("truncated"))?;
        at += n;
        Ok(bytes)
    };
    let le = |b: &[u8]| {
        b.iter()
            .rev()
            .fold(0usize, |acc, &x| (acc << 8) | usize::from(x))
    };
    while let Ok(&[tag]) = take(1) {
        let (len, offset) = match tag & 3 {
            0 => {
                let mut len = usize::from(tag >> 2) + 1;
                if len > 60 {
                    len = le(take(len - 60)?) + 1;
                }
                out.extend_from_slice(take(len)?);
                continue;
            }
            1 => (
                usize::from((tag >> 2) & 7) + 4,
                (usize::from(tag >> 5) << 8) | le(take(1)?),
            ),
            2 => (usize::from(tag >> 2) + 1, le(take(2)?)),
            _ => (usize::from(tag >> 2) + 1, le(take(4)?)),
        };
        if offset == 0 || offset > out.len() {
            return Err(bad("a copy from before the start"));
        }
        if out.len() + len > length {
            return Err(bad("more data than its length says"));
        }
        let start = out.len() - offset;
        for i in 0..len {
            out.push(out[start + i]);
        }
    }
    if out.len() == length {
        Ok(out)
    } else {
        Err(bad("less data than its length says"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_literals_and_every_copy_kind() {
        // "abc" then copies of 6 (1-byte offset), 3 (2-byte) and 2 (4-byte).
        let block = [
            15, 0x08, b'a', b'b', b'c', 0x09, 3, 0x0a, 3, 0, 0x07, 2, 0, 0, 0, 0x00, b'!',
        ];
        assert_eq!(decompress(&block, 100).unwrap(), b"abcabcabcabcbc!");
        let long: Vec<u8> = [&[70u8, 60 << 2, 69][..], &[b'x'; 70]].concat();
        assert_eq!(decompress(&long, 100).unwrap(), vec![b'x'; 70]);
    }

    #[test]
    fn refuses_bad_offsets_lengths_and_bombs() {
        assert!(decompress(&[4, 0x09, 1], 100).is_err(), "copy before start");
        assert!(
            decompress(&[5, 0x08, b'a', b'b', b'c'], 100).is_err(),
            "short"
        );
        assert!(
            decompress(&[2, 0x08, b'a', b'b', b'c'], 100).is_err(),
            "long"
        );
        assert!(
            decompress(&[0x80, 0x80, 0x80, 0x04], 1 << 20).is_err(),
            "bomb"
        );
    }
}

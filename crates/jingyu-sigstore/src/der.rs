//! A strict reader of DER (the X.509 and SCT encodings): one tag byte, a
//! definite minimal length, no indefinite forms. Enough for certificates,
//! public keys and ECDSA signatures; nothing here allocates.

use crate::error::Error;

/// Universal and context tags this crate reads.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTF8_STRING: u8 = 0x0c;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
    /// `[0] EXPLICIT` (a certificate's version).
    pub(crate) const CONTEXT_0: u8 = 0xa0;
    /// `[3] EXPLICIT` (a certificate's extensions).
    pub(crate) const CONTEXT_3: u8 = 0xa3;
    /// `[6] IMPLICIT IA5String` (a SAN's URI).
    pub(crate) const SAN_URI: u8 = 0x86;
    /// `[1] IMPLICIT IA5String` (a SAN's e-mail address).
    pub(crate) const SAN_EMAIL: u8 = 0x81;
}

/// One element: its tag, its contents, and its whole encoding.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) value: &'a [u8],
    pub(crate) raw: &'a [u8],
}

/// A cursor over consecutive DER elements.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Der<'a> {
        Der { rest: bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element, whatever its tag.
    pub(crate) fn any(&mut self) -> Result<Tlv<'a>, Error> {
        let bad = |why: &str| Error::Der(why.to_owned());
        let (&tag, after) = self.rest.split_first().ok_or_else(|| bad("truncated"))?;
        if tag & 0x1f == 0x1f {
            return Err(bad("high tag numbers are not used here"));
        }
        let (&first, after) = after.split_first().ok_or_else(|| bad("truncated length"))?;
        let (len, after) = if first < 0x80 {
            (usize::from(first), after)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || after.len() < n {
                return Err(bad("bad length"));
            }
            let len = after[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 || after[0] == 0 {
                return Err(bad("length not minimally encoded"));
            }
            (len, &after[n..])
        };
        if after.len() < len {
            return Err(bad("element runs past its container"));
        }
        let header = self.rest.len() - after.len();
        let raw = &self.rest[..header + len];
        self.rest = &after[len..];
        Ok(Tlv {
            tag,
            value: &raw[header..],
            raw,
        })
    }

    /// The next element, which must have `tag`.
    pub(crate) fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, Error> {
        let tlv = self.any()?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(Error::Der(format!(
                "expected tag {tag:#04x}, found {:#04x}",
                tlv.tag
            )))
        }
    }

    /// The next element if it has `tag`; otherwise nothing is consumed.
    pub(crate) fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, Error> {
        if self.rest.first() == Some(&tag) {
            self.expect(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The contents of the next element, a SEQUENCE, as a cursor.
    pub(crate) fn sequence(&mut self) -> Result<Der<'a>, Error> {
        Ok(Der::new(self.expect(tag::SEQUENCE)?.value))
    }
}

/// The whole of `bytes` is one element with `tag`: its contents.
pub(crate) fn single(bytes: &[u8], tag: u8) -> Result<Tlv<'_>, Error> {
    let mut der = Der::new(bytes);
    let tlv = der.expect(tag)?;
    if der.is_empty() {
        Ok(tlv)
    } else {
        Err(Error::Der("trailing bytes after the element".to_owned()))
    }
}

/// A BIT STRING's bits, which must be whole bytes.
pub(crate) fn bits(tlv: Tlv<'_>) -> Result<&[u8], Error> {
    match tlv.value.split_first() {
        Some((0, bits)) => Ok(bits),
        _ => Err(Error::Der("a bit string with unused bits".to_owned())),
    }
}

/// Encodes one element (for rebuilding a pre-certificate's TBS).
pub(crate) fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(u8::try_from(len).expect("short length"));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | u8::try_from(bytes.len() - skip).expect("few bytes"));
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths_and_round_trips_encode() {
        let long = encode(tag::OCTET_STRING, &[7; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        let mut both = encode(tag::INTEGER, &[5]);
        both.extend_from_slice(&long);
        let mut der = Der::new(&both);
        assert_eq!(der.expect(tag::INTEGER).unwrap().value, &[5]);
        let octets = der.expect(tag::OCTET_STRING).unwrap();
        assert_eq!(octets.value.len(), 300);
        assert_eq!(octets.raw, &long[..]);
        assert!(der.is_empty());
    }

    #[test]
    fn refuses_truncation_indefinite_and_non_minimal_lengths() {
        for bad in [
            &[0x30, 0x05, 0x01][..],
            &[0x30, 0x80, 0x00, 0x00],
            &[0x04, 0x81, 0x05, 1, 2, 3, 4, 5],
            &[0x04, 0x82, 0x00, 0x81],
            &[0x1f, 0x01, 0x00],
        ] {
            assert!(Der::new(bad).any().is_err(), "{bad:02x?}");
        }
        assert!(single(&[0x02, 0x01, 0x05, 0x00], tag::INTEGER).is_err());
        assert!(Der::new(&[0x02, 0x01, 0x05]).expect(tag::OID).is_err());
    }
}

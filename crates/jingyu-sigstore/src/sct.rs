//! The signed certificate timestamp embedded in a Fulcio certificate
//! (RFC 6962 §3.2): a CT log of the trusted root signed the
//! precertificate, so the certificate was published before it was used.

use crate::cert::{oid, Cert};
use crate::der::{self, tag};
use crate::error::Error;
use crate::key::{self, Hash};
use crate::root::TrustedRoot;

fn bad(why: impl Into<String>) -> Error {
    Error::Sct(why.into())
}

/// A TLS-encoding reader: big-endian integers and length-prefixed slices.
struct Tls<'a>(&'a [u8]);

impl<'a> Tls<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.0.len() < n {
            return Err(bad("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn int(&mut self, n: usize) -> Result<u64, Error> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn vector(&mut self, len_bytes: usize) -> Result<&'a [u8], Error> {
        let len = usize::try_from(self.int(len_bytes)?).map_err(|_| bad("too long"))?;
        self.take(len)
    }
}

/// One SCT, as the log signed it.
struct Sct<'a> {
    log_id: &'a [u8],
    timestamp: u64,
    extensions: &'a [u8],
    hash: u8,
    signature: &'a [u8],
}

fn read_one(bytes: &[u8]) -> Result<Sct<'_>, Error> {
    let mut r = Tls(bytes);
    if r.int(1)? != 0 {
        return Err(bad("not a v1 SCT"));
    }
    let sct = Sct {
        log_id: r.take(32)?,
        timestamp: r.int(8)?,
        extensions: r.vector(2)?,
        hash: u8::try_from(r.int(1)?).expect("one byte"),
        signature: {
            r.int(1)?;
            r.vector(2)?
        },
    };
    if r.0.is_empty() {
        Ok(sct)
    } else {
        Err(bad("trailing bytes after the SCT"))
    }
}

/// Checks the leaf's one embedded SCT against the trusted root's CT logs;
/// `issuer` is the certificate that signed the leaf.
pub(crate) fn verify(
    leaf: &Cert<'_>,
    issuer: &Cert<'_>,
    issuer_parent: Option<&Cert<'_>>,
    root: &TrustedRoot,
) -> Result<(), Error> {
    let ext = leaf
        .extension(oid::SCT_LIST)
        .ok_or_else(|| bad("the certificate carries none, so no CT log saw it issued"))?;
    let list = der::single(ext.value, tag::OCTET_STRING)?.value;
    let mut list = Tls(Tls(list).vector(2)?);
    let mut scts = Vec::new();
    while !list.0.is_empty() {
        scts.push(read_one(list.vector(2)?)?);
    }
    let [sct] = <[Sct<'_>; 1]>::try_from(scts)
        .map_err(|v| bad(format!("{} embedded SCTs, expected exactly one", v.len())))?;
    if sct.hash != 4 {
        return Err(bad("signed with a hash other than SHA-256"));
    }
    // A CA that signs precertificates for another issues on its behalf.
    let key_issuer = if issuer.has_extended_usage(oid::CT_PRECERT_SIGNING) {
        issuer_parent.ok_or_else(|| bad("a precertificate signer without its issuer"))?
    } else {
        issuer
    };
    let when = i64::try_from(sct.timestamp / 1000).map_err(|_| bad("a timestamp out of range"))?;
    let log = root
        .ctlog(sct.log_id, when)
        .ok_or_else(|| bad("issued by a CT log the trusted root does not hold"))?;
    let tbs = leaf.precertificate_tbs()?;
    let tbs_len = u32::try_from(tbs.len()).map_err(|_| bad("too long"))?;
    let mut signed = vec![0u8, 0u8];
    signed.extend_from_slice(&sct.timestamp.to_be_bytes());
    signed.extend_from_slice(&[0, 1]);
    signed.extend_from_slice(&key::sha256(&key_issuer.key.spki));
    signed.extend_from_slice(&tbs_len.to_be_bytes()[1..]);
    signed.extend_from_slice(&tbs);
    let ext_len = u16::try_from(sct.extensions.len()).map_err(|_| bad("too long"))?;
    signed.extend_from_slice(&ext_len.to_be_bytes());
    signed.extend_from_slice(sct.extensions);
    if log.key.verifies(Hash::Sha256, &signed, sct.signature) {
        Ok(())
    } else {
        Err(bad("its signature does not verify with the CT log's key"))
    }
}

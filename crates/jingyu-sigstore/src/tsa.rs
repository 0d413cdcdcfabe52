//! RFC 3161 signed timestamps: a timestamp authority of the trusted root
//! vouches that the bundle's signature existed at its `genTime`. GitHub's
//! own Sigstore instance gives this in place of a Rekor entry. The token is
//! CMS `SignedData` over a `TSTInfo` whose message imprint is the hash of the
//! signature; the TSA's signed attributes carry the `TSTInfo`'s digest.

use crate::cert::{oid as cert_oid, Cert};
use crate::der::{self, tag, Der, Tlv};
use crate::error::Error;
use crate::key::{self, Hash};
use crate::root::TrustedRoot;
use crate::time;

mod oid {
    pub(super) const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    pub(super) const TST_INFO: &[u8] = &[
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
    ];
    pub(super) const MESSAGE_DIGEST: &[u8] =
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
    pub(super) const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    pub(super) const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
    pub(super) const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
}

fn bad(why: impl Into<String>) -> Error {
    Error::Timestamp(why.into())
}

/// The digest of `bytes` under the algorithm `alg` names.
fn digest(alg: &[u8], bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let algorithm = match alg {
        oid::SHA256 => &ring::digest::SHA256,
        oid::SHA384 => &ring::digest::SHA384,
        oid::SHA512 => &ring::digest::SHA512,
        _ => return Err(bad("a digest other than SHA-256/384/512")),
    };
    Ok(ring::digest::digest(algorithm, bytes).as_ref().to_vec())
}

/// An `AlgorithmIdentifier`'s OID.
fn algorithm<'a>(der: &mut Der<'a>) -> Result<&'a [u8], Error> {
    Ok(der.sequence()?.expect(tag::OID)?.value)
}

/// The parts of a timestamp token that are checked.
struct Token<'a> {
    tst_info: &'a [u8],
    digest_alg: &'a [u8],
    signed_attrs: Tlv<'a>,
    signature_alg: &'a [u8],
    signature: &'a [u8],
}

/// A `TimeStampResp` (status, then the token) or a bare token.
fn token(bytes: &[u8]) -> Result<Token<'_>, Error> {
    let mut outer = Der::new(der::single(bytes, tag::SEQUENCE)?.value);
    let mut content = if outer.clone().expect(tag::SEQUENCE).is_ok() {
        let status = outer.sequence()?.expect(tag::INTEGER)?.value;
        if status != [0] && status != [1] {
            return Err(bad("the timestamp authority did not grant it"));
        }
        outer.sequence()?
    } else {
        outer
    };
    if content.expect(tag::OID)?.value != oid::SIGNED_DATA {
        return Err(bad("not CMS signed data"));
    }
    let mut signed = Der::new(content.expect(tag::CONTEXT_0)?.value).sequence()?;
    signed.expect(tag::INTEGER)?;
    signed.expect(tag::SET)?;
    let mut encap = signed.sequence()?;
    if encap.expect(tag::OID)?.value != oid::TST_INFO {
        return Err(bad("signed data that is not a TSTInfo"));
    }
    let tst_info = Der::new(encap.expect(tag::CONTEXT_0)?.value)
        .expect(tag::OCTET_STRING)?
        .value;
    let _certificates = signed.optional(tag::CONTEXT_0)?;
    let _crls = signed.optional(0xa1)?;
    let mut signers = Der::new(signed.expect(tag::SET)?.value);
    let mut info = signers.sequence()?;
    if !signers.is_empty() {
        return Err(bad("more than one signer"));
    }
    info.expect(tag::INTEGER)?;
    info.any()?; // sid: whichever, the TSA's key is checked below
    let digest_alg = algorithm(&mut info)?;
    let signed_attrs = info.expect(tag::CONTEXT_0)?;
    let signature_alg = algorithm(&mut info)?;
    let signature = info.expect(tag::OCTET_STRING)?.value;
    Ok(Token {
        tst_info,
        digest_alg,
        signed_attrs,
        signature_alg,
        signature,
    })
}

/// The `messageDigest` signed attribute.
fn message_digest<'a>(attrs: &Tlv<'a>) -> Result<&'a [u8], Error> {
    let mut list = Der::new(attrs.value);
    while !list.is_empty() {
        let mut attr = list.sequence()?;
        if attr.expect(tag::OID)?.value == oid::MESSAGE_DIGEST {
            return Ok(Der::new(attr.expect(tag::SET)?.value)
                .expect(tag::OCTET_STRING)?
                .value);
        }
    }
    Err(bad("no messageDigest attribute"))
}

/// The `TSTInfo`'s message imprint (algorithm, hash) and `genTime`.
fn tst_info(bytes: &[u8]) -> Result<(&[u8], &[u8], i64), Error> {
    let mut info = Der::new(der::single(bytes, tag::SEQUENCE)?.value);
    info.expect(tag::INTEGER)?;
    info.expect(tag::OID)?;
    let mut imprint = info.sequence()?;
    let alg = algorithm(&mut imprint)?;
    let hashed = imprint.expect(tag::OCTET_STRING)?.value;
    info.expect(tag::INTEGER)?;
    let when = time::generalized(info.expect(tag::GENERALIZED_TIME)?)?;
    Ok((alg, hashed, when))
}

/// Verifies a timestamp of `signature`; returns the time it vouches for.
pub(crate) fn verify(bytes: &[u8], signature: &[u8], root: &TrustedRoot) -> Result<i64, Error> {
    let t = token(bytes)?;
    let (imprint_alg, imprint, when) = tst_info(t.tst_info)?;
    if digest(imprint_alg, signature)? != imprint {
        return Err(bad("it is of another signature than the bundle's"));
    }
    if digest(t.digest_alg, t.tst_info)? != message_digest(&t.signed_attrs)? {
        return Err(bad("its signed attributes are of another TSTInfo"));
    }
    // What the TSA signed: the attributes, tagged as the SET they are.
    let signed = der::encode(tag::SET, t.signed_attrs.value);
    let hash = key::certificate_hash(t.signature_alg)
        .map_err(|_| bad("an unknown signature algorithm"))?;
    for chain in root.timestamp_chains(when) {
        if verifies(chain, hash, &signed, t.signature, when) {
            return Ok(when);
        }
    }
    Err(bad(format!(
        "not signed by a timestamp authority of the trusted root valid at {}",
        time::show(when)
    )))
}

/// Whether the chain's leaf, a time-stamping certificate valid at `when`
/// and issued up the chain, made `signature`.
fn verifies(chain: &[Vec<u8>], hash: Hash, signed: &[u8], signature: &[u8], when: i64) -> bool {
    let Ok(certs) = chain
        .iter()
        .map(|c| Cert::parse(c))
        .collect::<Result<Vec<_>, _>>()
    else {
        return false;
    };
    let Some(leaf) = certs.first() else {
        return false;
    };
    let issued = certs
        .windows(2)
        .all(|pair| pair[1].is_ca() && pair[0].signed_by(&pair[1]));
    issued
        && certs.iter().all(|c| c.valid_at(when))
        && leaf.has_extended_usage(cert_oid::TIME_STAMPING)
        && leaf.key.verifies(hash, signed, signature)
}

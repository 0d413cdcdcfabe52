//! Public keys from `SubjectPublicKeyInfo` and the signatures they check:
//! ECDSA P-256/P-384, Ed25519 and RSA PKCS#1 through ring, and P-256 over a
//! digest already computed (the artifact is hashed as it streams).

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use ring::signature::{self as sig, VerificationAlgorithm};

use crate::der::{self, tag, Der};
use crate::error::Error;

pub(crate) mod oid {
    pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub(crate) const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    pub(crate) const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
    pub(crate) const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    pub(crate) const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub(crate) const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    pub(crate) const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
    pub(crate) const RSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
}

/// The hash a signature is made over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    P256,
    P384,
    Ed25519,
    Rsa,
}

/// A public key and its encoded `SubjectPublicKeyInfo`.
#[derive(Clone, Debug)]
pub(crate) struct PublicKey {
    kind: Kind,
    /// The EC point, the Ed25519 key, or the RSA `RSAPublicKey`.
    bits: Vec<u8>,
    pub(crate) spki: Vec<u8>,
}

impl PublicKey {
    pub(crate) fn from_spki(spki: &[u8]) -> Result<PublicKey, Error> {
        let mut outer = der::single(spki, tag::SEQUENCE).map(|t| Der::new(t.value))?;
        let mut alg = outer.sequence()?;
        let key_oid = alg.expect(tag::OID)?.value;
        let bits = der::bits(outer.expect(tag::BIT_STRING)?)?.to_vec();
        let kind = match key_oid {
            oid::EC_PUBLIC_KEY => match alg.expect(tag::OID)?.value {
                oid::P256 => Kind::P256,
                oid::P384 => Kind::P384,
                _ => {
                    return Err(Error::Der(
                        "an EC key on a curve other than P-256 or P-384".to_owned(),
                    ))
                }
            },
            oid::ED25519 => Kind::Ed25519,
            oid::RSA => Kind::Rsa,
            _ => {
                return Err(Error::Der(
                    "a key that is not ECDSA, Ed25519 or RSA".to_owned(),
                ))
            }
        };
        Ok(PublicKey {
            kind,
            bits,
            spki: spki.to_vec(),
        })
    }

    /// The hash this key signs with when nothing else says (a log's key).
    pub(crate) fn default_hash(&self) -> Hash {
        if self.kind == Kind::P384 {
            Hash::Sha384
        } else {
            Hash::Sha256
        }
    }

    /// Whether `signature` (DER ECDSA, raw Ed25519, PKCS#1 RSA) signs `message`.
    pub(crate) fn verifies(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        let alg: &dyn VerificationAlgorithm = match (&self.kind, hash) {
            (Kind::P256, Hash::Sha256) => &sig::ECDSA_P256_SHA256_ASN1,
            (Kind::P256, Hash::Sha384) => &sig::ECDSA_P256_SHA384_ASN1,
            (Kind::P384, Hash::Sha256) => &sig::ECDSA_P384_SHA256_ASN1,
            (Kind::P384, Hash::Sha384) => &sig::ECDSA_P384_SHA384_ASN1,
            (Kind::Ed25519, _) => &sig::ED25519,
            (Kind::Rsa, Hash::Sha256) => &sig::RSA_PKCS1_2048_8192_SHA256,
            (Kind::Rsa, Hash::Sha384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        };
        sig::UnparsedPublicKey::new(alg, &self.bits)
            .verify(message, signature)
            .is_ok()
    }

    /// Whether a DER ECDSA `signature` signs the message whose sha256 is
    /// `digest`: P-256 keys only (what Sigstore clients make).
    pub(crate) fn verifies_sha256_digest(
        &self,
        digest: &[u8; 32],
        signature: &[u8],
    ) -> Result<bool, Error> {
        if self.kind != Kind::P256 {
            return Err(Error::Signature(
                "the signing key is not ECDSA P-256, the only kind checked against a streamed digest".to_owned(),
            ));
        }
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&self.bits)
            .map_err(|_| Error::Der("a P-256 key that is not a curve point".to_owned()))?;
        let Ok(signature) = p256::ecdsa::Signature::from_der(signature) else {
            return Ok(false);
        };
        Ok(key.verify_prehash(digest, &signature).is_ok())
    }

    /// sha256 of the encoded key: a log's ID, an issuer's key hash.
    #[cfg(test)]
    pub(crate) fn id(&self) -> [u8; 32] {
        sha256(&self.spki)
    }
}

/// The signature algorithm named by a certificate's `AlgorithmIdentifier`.
pub(crate) fn certificate_hash(alg_oid: &[u8]) -> Result<Hash, Error> {
    match alg_oid {
        oid::ECDSA_SHA256 | oid::RSA_SHA256 => Ok(Hash::Sha256),
        oid::ECDSA_SHA384 => Ok(Hash::Sha384),
        _ => Err(Error::Certificate(
            "signed with an algorithm other than ECDSA or RSA with SHA-256/384".to_owned(),
        )),
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().try_into().expect("32 bytes")
}

//! X.509 certificates as Sigstore uses them: the parts a chain check needs
//! (names, validity, key, signature, CA constraints), the signing
//! certificate's usages and SANs, Fulcio's OIDC extensions, and the
//! pre-certificate an embedded SCT was issued over.

use crate::der::{self, tag, Der, Tlv};
use crate::error::Error;
use crate::key::{self, PublicKey};
use crate::time;

pub(crate) mod oid {
    pub(crate) const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
    pub(crate) const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
    pub(crate) const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
    pub(crate) const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
    pub(crate) const CODE_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];
    pub(crate) const TIME_STAMPING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];
    /// `1.3.6.1.4.1.11129.2.4.4`: a CA that signs pre-certificates only.
    pub(crate) const CT_PRECERT_SIGNING: &[u8] =
        &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x04];
    /// `1.3.6.1.4.1.11129.2.4.2`: embedded SCT list.
    pub(crate) const SCT_LIST: &[u8] =
        &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];
    /// `1.3.6.1.4.1.57264.1.N`: Fulcio's extensions.
    /// The extensions a leaf may mark critical.
    pub(crate) const UNDERSTOOD: [&[u8]; 4] = [
        BASIC_CONSTRAINTS,
        KEY_USAGE,
        EXT_KEY_USAGE,
        SUBJECT_ALT_NAME,
    ];
    pub(crate) const fn fulcio(n: u8) -> [u8; 10] {
        [0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, n]
    }
}

/// One extension.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extension<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) critical: bool,
    pub(crate) value: &'a [u8],
    raw: &'a [u8],
}

/// A parsed certificate, borrowing its DER.
#[derive(Clone, Debug)]
pub(crate) struct Cert<'a> {
    pub(crate) der: &'a [u8],
    tbs: Tlv<'a>,
    sig_alg: &'a [u8],
    signature: &'a [u8],
    pub(crate) issuer: &'a [u8],
    pub(crate) subject: &'a [u8],
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) key: PublicKey,
    pub(crate) extensions: Vec<Extension<'a>>,
}

impl<'a> Cert<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Cert<'a>, Error> {
        let mut cert = Der::new(der::single(bytes, tag::SEQUENCE)?.value);
        let tbs = cert.expect(tag::SEQUENCE)?;
        let sig_alg = cert.sequence()?.expect(tag::OID)?.value;
        let signature = der::bits(cert.expect(tag::BIT_STRING)?)?;
        let mut t = Der::new(tbs.value);
        let version = t.optional(tag::CONTEXT_0)?;
        if version.is_none_or(|v| v.value != [0x02, 0x01, 0x02]) {
            return Err(Error::Der("not an X.509 v3 certificate".to_owned()));
        }
        t.expect(tag::INTEGER)?;
        t.expect(tag::SEQUENCE)?;
        let issuer = t.expect(tag::SEQUENCE)?.raw;
        let mut validity = t.sequence()?;
        let not_before = time::x509(validity.any()?)?;
        let not_after = time::x509(validity.any()?)?;
        let subject = t.expect(tag::SEQUENCE)?.raw;
        let key = PublicKey::from_spki(t.expect(tag::SEQUENCE)?.raw)?;
        let mut extensions = Vec::new();
        while !t.is_empty() {
            let field = t.any()?;
            if field.tag == tag::CONTEXT_3 {
                extensions = parse_extensions(field.value)?;
            }
        }
        Ok(Cert {
            der: bytes,
            tbs,
            sig_alg,
            signature,
            issuer,
            subject,
            not_before,
            not_after,
            key,
            extensions,
        })
    }

    /// Whether `issuer`'s key made this certificate's signature.
    pub(crate) fn signed_by(&self, issuer: &Cert<'_>) -> bool {
        key::certificate_hash(self.sig_alg)
            .is_ok_and(|hash| issuer.key.verifies(hash, self.tbs.raw, self.signature))
    }

    /// Whether `ca`'s subject is this certificate's issuer.
    pub(crate) fn subject_issuer_is(&self, ca: &Cert<'_>) -> bool {
        self.issuer == ca.subject
    }

    pub(crate) fn valid_at(&self, when: i64) -> bool {
        self.not_before <= when && when <= self.not_after
    }

    pub(crate) fn extension(&self, oid: &[u8]) -> Option<&Extension<'a>> {
        self.extensions.iter().find(|e| e.oid == oid)
    }

    /// basicConstraints says CA, and keyUsage (if any) allows keyCertSign.
    pub(crate) fn is_ca(&self) -> bool {
        let ca = self.extension(oid::BASIC_CONSTRAINTS).is_some_and(|e| {
            Der::new(e.value)
                .sequence()
                .and_then(|mut s| s.optional(tag::BOOLEAN))
                .is_ok_and(|b| b.is_some_and(|b| b.value == [0xff]))
        });
        ca && self.key_usage().is_none_or(|bits| bits & 0x04 != 0)
    }

    /// keyUsage's first byte: 0x80 digitalSignature, 0x04 keyCertSign.
    pub(crate) fn key_usage(&self) -> Option<u8> {
        let e = self.extension(oid::KEY_USAGE)?;
        let bits = Der::new(e.value).expect(tag::BIT_STRING).ok()?;
        bits.value.get(1).copied()
    }

    /// Whether extKeyUsage lists `purpose`.
    pub(crate) fn has_extended_usage(&self, purpose: &[u8]) -> bool {
        self.extension(oid::EXT_KEY_USAGE).is_some_and(|e| {
            Der::new(e.value).sequence().is_ok_and(|mut s| {
                std::iter::from_fn(|| s.any().ok()).any(|o| o.tag == tag::OID && o.value == purpose)
            })
        })
    }

    /// The SAN's URIs and e-mail addresses.
    pub(crate) fn sans(&self) -> Vec<String> {
        let Some(e) = self.extension(oid::SUBJECT_ALT_NAME) else {
            return Vec::new();
        };
        let Ok(mut names) = Der::new(e.value).sequence() else {
            return Vec::new();
        };
        std::iter::from_fn(|| names.any().ok())
            .filter(|n| n.tag == tag::SAN_URI || n.tag == tag::SAN_EMAIL)
            .map(|n| String::from_utf8_lossy(n.value).into_owned())
            .collect()
    }

    /// A Fulcio extension's text: `1.3.6.1.4.1.57264.1.N`, as a DER
    /// `UTF8String` (`v2`, N ≥ 8) or raw bytes (the deprecated 1–6).
    pub(crate) fn fulcio(&self, n: u8) -> Option<String> {
        let e = self.extension(&oid::fulcio(n))?;
        let text = if n >= 8 {
            der::single(e.value, tag::UTF8_STRING).ok()?.value
        } else {
            e.value
        };
        String::from_utf8(text.to_vec()).ok()
    }

    /// The TBS the CT log signed: this one without its SCT extension.
    pub(crate) fn precertificate_tbs(&self) -> Result<Vec<u8>, Error> {
        let mut t = Der::new(self.tbs.value);
        let mut body = Vec::new();
        while !t.is_empty() {
            let field = t.any()?;
            if field.tag == tag::CONTEXT_3 {
                let kept: Vec<u8> = self
                    .extensions
                    .iter()
                    .filter(|e| e.oid != oid::SCT_LIST)
                    .flat_map(|e| e.raw.iter().copied())
                    .collect();
                body.extend(der::encode(
                    tag::CONTEXT_3,
                    &der::encode(tag::SEQUENCE, &kept),
                ));
            } else {
                body.extend_from_slice(field.raw);
            }
        }
        Ok(der::encode(tag::SEQUENCE, &body))
    }
}

fn parse_extensions(explicit: &[u8]) -> Result<Vec<Extension<'_>>, Error> {
    let mut list = Der::new(der::single(explicit, tag::SEQUENCE)?.value);
    let mut out: Vec<Extension<'_>> = Vec::new();
    while !list.is_empty() {
        let ext = list.expect(tag::SEQUENCE)?;
        let mut fields = Der::new(ext.value);
        let oid = fields.expect(tag::OID)?.value;
        let critical = fields
            .optional(tag::BOOLEAN)?
            .is_some_and(|b| b.value == [0xff]);
        let value = fields.expect(tag::OCTET_STRING)?.value;
        if out.iter().any(|e| e.oid == oid) {
            return Err(Error::Der("an extension appears twice".to_owned()));
        }
        out.push(Extension {
            oid,
            critical,
            value,
            raw: ext.raw,
        });
    }
    Ok(out)
}

/// The DER inside a PEM `CERTIFICATE` block (Rekor bodies carry PEM).
pub fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    pem_block(pem, "CERTIFICATE")
}

/// The DER inside the first PEM block labelled `label` (`PUBLIC KEY`, …);
/// no block is an empty body.
pub fn pem_block(pem: &str, label: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let begin = format!("-----BEGIN {label}-----");
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with(&begin))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .ok()
}

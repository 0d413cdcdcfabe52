//! The test Fulcio: CA certificates, and leaf certificates for a signer
//! with Fulcio's extensions (OIDC issuer, source repository) and an SCT
//! from the test CT log over the precertificate.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, PublicKeyData as _, SanType,
    SerialNumber,
};

use super::{at, now, sha256, sign, Signer, Tamper, TestSigstore};

pub(super) fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "jingyu.test");
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.use_authority_key_identifier_extension = true;
    params.not_before = at(now() - 86_400 * 365);
    params.not_after = at(now() + 86_400 * 365);
    params
}

fn oid_fulcio(n: u64) -> Vec<u64> {
    vec![1, 3, 6, 1, 4, 1, 57264, 1, n]
}

fn utf8_string(text: &str) -> Vec<u8> {
    let mut der = vec![0x0c, u8::try_from(text.len()).expect("short")];
    der.extend_from_slice(text.as_bytes());
    der
}

/// A DER element's header length and total length.
fn element(der: &[u8]) -> (usize, usize) {
    let first = usize::from(der[1]);
    if first < 0x80 {
        return (2, 2 + first);
    }
    let n = first & 0x7f;
    let len = der[2..2 + n]
        .iter()
        .fold(0usize, |a, &b| (a << 8) | usize::from(b));
    (2 + n, 2 + n + len)
}

/// The TBS of a certificate: its first inner element.
fn tbs_of(cert: &[u8]) -> Vec<u8> {
    let (header, _) = element(cert);
    let inner = &cert[header..];
    inner[..element(inner).1].to_vec()
}

pub(super) fn pem(der: &[u8]) -> String {
    let body = B64.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ascii"))
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

impl TestSigstore {
    /// A Fulcio leaf for `signer` (with its SCT) and its key.
    pub(super) fn certificate(
        &self,
        signer: &Signer,
        logged_at: i64,
        tamper: Tamper,
    ) -> (Vec<u8>, KeyPair) {
        let key = KeyPair::generate().expect("a key");
        let mut params = CertificateParams::default();
        params.distinguished_name = DistinguishedName::new();
        params.serial_number = Some(SerialNumber::from_slice(
            &sha256(&key.subject_public_key_info())[..16],
        ));
        params.not_before = at(logged_at + signer.valid.0);
        params.not_after = at(logged_at + signer.valid.1);
        params.subject_alt_names = vec![SanType::URI(
            signer.workflow.clone().try_into().expect("an IA5 URI"),
        )];
        params.use_authority_key_identifier_extension = true;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
        params.custom_extensions = vec![
            CustomExtension::from_oid_content(&oid_fulcio(1), signer.issuer.as_bytes().to_vec()),
            CustomExtension::from_oid_content(&oid_fulcio(8), utf8_string(&signer.issuer)),
            CustomExtension::from_oid_content(&oid_fulcio(12), utf8_string(&signer.repository)),
        ];
        let precert = params
            .signed_by(&key, &self.intermediate)
            .expect("precertificate");
        let mut tbs = tbs_of(precert.der());
        if tamper == Tamper::SctForAnotherCertificate {
            tbs.push(0);
        }
        // GitHub's instance has no CT log to give an SCT.
        if !self.timestamping {
            let sct = self.sct(&tbs, logged_at);
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    &[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2],
                    sct,
                ));
        }
        let cert = params
            .signed_by(&key, &self.intermediate)
            .expect("certificate");
        (cert.der().to_vec(), key)
    }

    /// The SCT list extension's value for a precertificate's TBS.
    fn sct(&self, tbs: &[u8], logged_at: i64) -> Vec<u8> {
        let millis = u64::try_from(logged_at + self_signed_offset()).expect("after 1970") * 1000;
        let u24 = |n: usize| u32::try_from(n).expect("small").to_be_bytes()[1..].to_vec();
        let signed = [
            &[0u8, 0][..],
            &millis.to_be_bytes(),
            &[0, 1],
            &sha256(&self.intermediate.key().subject_public_key_info()),
            &u24(tbs.len()),
            tbs,
            &[0, 0],
        ]
        .concat();
        let signature = sign(&self.ct, &signed);
        let sig_len = u16::try_from(signature.len()).expect("short").to_be_bytes();
        let one = [
            &[0u8][..],
            &sha256(&self.ct.subject_public_key_info()),
            &millis.to_be_bytes(),
            &[0, 0, 4, 3],
            &sig_len,
            &signature,
        ]
        .concat();
        let one_len = u16::try_from(one.len()).expect("short").to_be_bytes();
        let list = [&one_len[..], &one].concat();
        let list_len = u16::try_from(list.len()).expect("short").to_be_bytes();
        let tls = [&list_len[..], &list].concat();
        let mut octets = vec![0x04, u8::try_from(tls.len()).expect("short")];
        octets.extend_from_slice(&tls);
        octets
    }
}

/// SCTs are issued when the certificate is, just before its use is logged.
fn self_signed_offset() -> i64 {
    -30
}

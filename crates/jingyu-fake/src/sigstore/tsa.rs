//! The test timestamp authority: RFC 3161 `TimeStampResp`s, written out in
//! DER by hand (CMS `SignedData` over a `TSTInfo` whose message imprint is
//! the sha256 of the signature timestamped), as GitHub's instance puts them
//! in bundles in place of a Rekor entry.

use rcgen::KeyPair;

use super::{sha256, sign};

/// A DER element.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).expect("short"));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | u8::try_from(bytes.len() - skip).expect("few"));
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn set(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

fn oid(der_body: &[u8]) -> Vec<u8> {
    tlv(0x06, der_body)
}

const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const TST_INFO: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
];
const CONTENT_TYPE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03];
const MESSAGE_DIGEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const POLICY: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x02];

/// `YYYYMMDDhhmmssZ`.
fn generalized_time(unix: i64) -> Vec<u8> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).expect("a time");
    let text = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    tlv(0x18, text.as_bytes())
}

/// A granted `TimeStampResp` for `signature` at `when`, signed by `key`.
pub(super) fn response(key: &KeyPair, signature: &[u8], when: i64) -> Vec<u8> {
    let sha256_alg = seq(&[&oid(SHA256)]);
    let tst_info = seq(&[
        &tlv(0x02, &[1]),
        &oid(POLICY),
        &seq(&[&sha256_alg, &tlv(0x04, &sha256(signature))]),
        &tlv(
            0x02,
            &[&[0][..], &sha256(&when.to_be_bytes())[..8]].concat(),
        ),
        &generalized_time(when),
    ]);
    let attrs = [
        seq(&[&oid(CONTENT_TYPE), &set(&[&oid(TST_INFO)])]),
        seq(&[
            &oid(MESSAGE_DIGEST),
            &set(&[&tlv(0x04, &sha256(&tst_info))]),
        ]),
    ]
    .concat();
    // The signature is over the attributes as a SET; they travel as [0].
    let tsa_signature = sign(key, &tlv(0x31, &attrs));
    let signer_info = seq(&[
        &tlv(0x02, &[3]),
        &tlv(0x80, &sha256(b"the TSA's key id")[..20]),
        &sha256_alg,
        &tlv(0xa0, &attrs),
        &seq(&[&oid(ECDSA_SHA256)]),
        &tlv(0x04, &tsa_signature),
    ]);
    let signed_data = seq(&[
        &tlv(0x02, &[3]),
        &set(&[&sha256_alg]),
        &seq(&[&oid(TST_INFO), &tlv(0xa0, &tlv(0x04, &tst_info))]),
        &set(&[&signer_info]),
    ]);
    let token = seq(&[&oid(SIGNED_DATA), &tlv(0xa0, &signed_data)]);
    seq(&[&seq(&[&tlv(0x02, &[0])]), &token])
}

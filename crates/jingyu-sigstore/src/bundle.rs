//! `Bundle`: a Sigstore bundle (v0.1 to v0.3) read into the parts
//! verification needs: the signing certificate, the one transparency-log
//! entry, and either a message signature or a DSSE envelope. Reading only;
//! nothing here is trusted yet.

use serde::{Deserialize, Deserializer};

use crate::error::Error;
use crate::root::{b64, RawJson};

const MEDIA_TYPES: [&str; 4] = [
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
];

/// A bundle's parts, decoded.
#[derive(Debug)]
pub(crate) struct Bundle {
    pub(crate) certificate: Vec<u8>,
    /// The Rekor entry; GitHub's instance logs none.
    pub(crate) entry: Option<Entry>,
    /// RFC 3161 signed timestamps (DER).
    pub(crate) timestamps: Vec<Vec<u8>>,
    pub(crate) content: Content,
}

/// What was signed: an artifact's digest, or a DSSE envelope.
#[derive(Debug)]
pub(crate) enum Content {
    Message {
        sha256: Vec<u8>,
        signature: Vec<u8>,
    },
    Dsse {
        payload_type: String,
        payload: Vec<u8>,
        signature: Vec<u8>,
    },
}

impl Content {
    /// The signature bytes (what a signed timestamp is of).
    pub(crate) fn signature(&self) -> &[u8] {
        match self {
            Content::Message { signature, .. } | Content::Dsse { signature, .. } => signature,
        }
    }
}

/// The transparency-log entry, decoded.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) log_index: u64,
    pub(crate) log_id: Vec<u8>,
    pub(crate) kind: String,
    pub(crate) version: String,
    pub(crate) integrated_time: i64,
    pub(crate) promise: Option<Vec<u8>>,
    pub(crate) proof: Option<Proof>,
    pub(crate) body: Vec<u8>,
}

/// An inclusion proof and the checkpoint it ends in.
#[derive(Debug)]
pub(crate) struct Proof {
    pub(crate) index: u64,
    pub(crate) tree_size: u64,
    pub(crate) root_hash: Vec<u8>,
    pub(crate) hashes: Vec<Vec<u8>>,
    pub(crate) checkpoint: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundleJson {
    media_type: String,
    verification_material: MaterialJson,
    message_signature: Option<MessageJson>,
    dsse_envelope: Option<DsseJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MaterialJson {
    certificate: Option<RawJson>,
    x509_certificate_chain: Option<ChainJson>,
    #[serde(default)]
    tlog_entries: Vec<EntryJson>,
    timestamp_verification_data: Option<TimestampsJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimestampsJson {
    #[serde(default)]
    rfc3161_timestamps: Vec<SignedTimestampJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignedTimestampJson {
    signed_timestamp: String,
}

#[derive(Deserialize)]
struct ChainJson {
    certificates: Vec<RawJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntryJson {
    #[serde(deserialize_with = "int")]
    log_index: i64,
    log_id: KeyIdJson,
    kind_version: KindJson,
    #[serde(default, deserialize_with = "int")]
    integrated_time: i64,
    inclusion_promise: Option<PromiseJson>,
    inclusion_proof: Option<ProofJson>,
    canonicalized_body: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyIdJson {
    key_id: String,
}

#[derive(Deserialize)]
struct KindJson {
    kind: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PromiseJson {
    signed_entry_timestamp: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProofJson {
    #[serde(deserialize_with = "int")]
    log_index: i64,
    root_hash: String,
    #[serde(deserialize_with = "int")]
    tree_size: i64,
    #[serde(default)]
    hashes: Vec<String>,
    checkpoint: Option<CheckpointJson>,
}

#[derive(Deserialize)]
struct CheckpointJson {
    envelope: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageJson {
    message_digest: Option<DigestJson>,
    signature: String,
}

#[derive(Deserialize)]
struct DigestJson {
    algorithm: String,
    digest: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DsseJson {
    payload: String,
    payload_type: String,
    signatures: Vec<DsseSignatureJson>,
}

#[derive(Deserialize)]
struct DsseSignatureJson {
    sig: String,
}

/// Protobuf's JSON writes 64-bit integers as strings; accept numbers too.
fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Int {
        Number(i64),
        Text(String),
    }
    match Int::deserialize(d)? {
        Int::Number(n) => Ok(n),
        Int::Text(t) => t.parse().map_err(serde::de::Error::custom),
    }
}

fn unsigned(field: &str, n: i64) -> Result<u64, Error> {
    u64::try_from(n).map_err(|_| Error::Bundle(format!("{field} is negative")))
}

impl Bundle {
    pub(crate) fn parse(bytes: &[u8]) -> Result<Bundle, Error> {
        let bad = Error::Bundle;
        let json: BundleJson = serde_json::from_slice(bytes)
            .map_err(|e| bad(format!("not a Sigstore bundle ({e})")))?;
        let version = MEDIA_TYPES
            .iter()
            .position(|m| *m == json.media_type)
            .map(|i| {
                if i == 3 {
                    3
                } else {
                    u8::try_from(i + 1).expect("small")
                }
            })
            .ok_or_else(|| {
                bad(format!(
                    "media type `{}` is not a Sigstore bundle v0.1 to v0.3",
                    json.media_type
                ))
            })?;
        let material = json.verification_material;
        let certificate = match (material.certificate, material.x509_certificate_chain) {
            (Some(leaf), None) if version == 3 => leaf.raw_bytes,
            (None, Some(chain)) if version < 3 => chain
                .certificates
                .into_iter()
                .next()
                .ok_or_else(|| bad("its certificate chain is empty".to_owned()))?
                .raw_bytes,
            _ => return Err(bad("it carries no signing certificate (a key-signed bundle needs the key, which jingyu does not take)".to_owned())),
        };
        let certificate = b64("the certificate", &certificate).map_err(bad)?;
        let mut entries = material.tlog_entries;
        if entries.len() > 1 {
            return Err(bad(format!(
                "{} transparency-log entries, expected at most one",
                entries.len()
            )));
        }
        let entry = entries.pop().map(entry_from).transpose()?;
        let timestamps = material
            .timestamp_verification_data
            .map(|t| t.rfc3161_timestamps)
            .unwrap_or_default()
            .iter()
            .map(|t| b64("a signed timestamp", &t.signed_timestamp).map_err(bad))
            .collect::<Result<Vec<_>, _>>()?;
        let content = match (json.message_signature, json.dsse_envelope) {
            (Some(m), None) => message(m)?,
            (None, Some(d)) => dsse(d)?,
            _ => {
                return Err(bad(
                    "it needs exactly one of a message signature and a DSSE envelope".to_owned(),
                ))
            }
        };
        Ok(Bundle {
            certificate,
            entry,
            timestamps,
            content,
        })
    }
}

fn message(m: MessageJson) -> Result<Content, Error> {
    let bad = Error::Bundle;
    let digest = m
        .message_digest
        .ok_or_else(|| bad("its message signature has no digest".to_owned()))?;
    if digest.algorithm != "SHA2_256" {
        return Err(bad(format!(
            "a message digest in {}, expected SHA2_256",
            digest.algorithm
        )));
    }
    Ok(Content::Message {
        sha256: b64("the message digest", &digest.digest).map_err(bad)?,
        signature: b64("the signature", &m.signature).map_err(bad)?,
    })
}

fn dsse(d: DsseJson) -> Result<Content, Error> {
    let bad = Error::Bundle;
    let [signature] = <[DsseSignatureJson; 1]>::try_from(d.signatures).map_err(|v| {
        bad(format!(
            "a DSSE envelope with {} signatures, expected one",
            v.len()
        ))
    })?;
    Ok(Content::Dsse {
        payload_type: d.payload_type,
        payload: b64("the DSSE payload", &d.payload).map_err(bad)?,
        signature: b64("the DSSE signature", &signature.sig).map_err(bad)?,
    })
}

fn entry_from(e: EntryJson) -> Result<Entry, Error> {
    let bad = Error::Bundle;
    let proof = e
        .inclusion_proof
        .map(|p| -> Result<Proof, Error> {
            Ok(Proof {
                index: unsigned("the proof's log index", p.log_index)?,
                tree_size: unsigned("the proof's tree size", p.tree_size)?,
                root_hash: b64("the root hash", &p.root_hash).map_err(bad)?,
                hashes: p
                    .hashes
                    .iter()
                    .map(|h| b64("a proof hash", h).map_err(bad))
                    .collect::<Result<_, _>>()?,
                checkpoint: p.checkpoint.map(|c| c.envelope),
            })
        })
        .transpose()?;
    Ok(Entry {
        log_index: unsigned("the log index", e.log_index)?,
        log_id: b64("the log id", &e.log_id.key_id).map_err(bad)?,
        kind: e.kind_version.kind,
        version: e.kind_version.version,
        integrated_time: e.integrated_time,
        promise: e
            .inclusion_promise
            .map(|p| b64("the inclusion promise", &p.signed_entry_timestamp).map_err(bad))
            .transpose()?,
        proof,
        body: b64("the log entry body", &e.canonicalized_body).map_err(bad)?,
    })
}

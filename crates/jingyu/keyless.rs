//! Keyless `X.sig` + `X.pem` pairs (what `cosign sign-blob
//! --output-signature --output-certificate` writes, GoReleaser's default
//! for years): a signature and its Fulcio certificate with no log entry.
//! The transparency log is asked for the entry by the signed file's digest
//! (Rekor v1's search: `POST /api/v1/index/retrieve`, then `GET
//! /api/v1/log/entries/UUID`), and the entry that holds this signature
//! becomes a bundle, verified like any other. The only step that is not
//! offline; no credential goes there.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use jingyu_fetch::{Agent, Sha256};
use serde_json::{json, Value};

/// The most a search answer or a log entry may be.
const ANSWER_LIMIT: u64 = 1 << 20;
/// The most entries of one digest looked at.
const MOST_ENTRIES: usize = 16;

/// The certificate's DER from an `X.pem`: PEM, or base64 of PEM (cosign).
pub(crate) fn certificate(text: &str) -> Option<Vec<u8>> {
    if text.contains("-----BEGIN") {
        return jingyu_sigstore::pem_to_der(text);
    }
    let pem = String::from_utf8(B64.decode(text.trim()).ok()?).ok()?;
    jingyu_sigstore::pem_to_der(&pem)
}

fn json_of(resp: jingyu_fetch::Response) -> Result<Value, String> {
    let url = resp.url.clone();
    let text = resp.text(ANSWER_LIMIT).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{url} answered with other than JSON ({e})"))
}

fn hex_to_b64(hex: &Value) -> Option<String> {
    let hex = hex.as_str()?;
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    Some(B64.encode(bytes?))
}

/// A Rekor v1 entry (its API form) as a bundle's `tlogEntries` item.
fn tlog_entry(entry: &Value) -> Option<Value> {
    let body: Value = serde_json::from_slice(&B64.decode(entry["body"].as_str()?).ok()?).ok()?;
    let proof = &entry["verification"]["inclusionProof"];
    let hashes: Option<Vec<String>> = proof["hashes"].as_array()?.iter().map(hex_to_b64).collect();
    Some(json!({
        "logIndex": entry["logIndex"].as_u64()?.to_string(),
        "logId": {"keyId": hex_to_b64(&entry["logID"])?},
        "kindVersion": {"kind": body["kind"], "version": body["apiVersion"]},
        "integratedTime": entry["integratedTime"].as_i64()?.to_string(),
        "inclusionPromise": {"signedEntryTimestamp": entry["verification"]["signedEntryTimestamp"]},
        "inclusionProof": {
            "logIndex": proof["logIndex"].as_u64()?.to_string(),
            "rootHash": hex_to_b64(&proof["rootHash"])?,
            "treeSize": proof["treeSize"].as_u64()?.to_string(),
            "hashes": hashes?,
            "checkpoint": {"envelope": proof["checkpoint"]},
        },
        "canonicalizedBody": entry["body"],
    }))
}

/// Whether a log entry is a hashedrekord of this signature.
fn holds(entry: &Value, signature: &str) -> bool {
    let body = entry["body"]
        .as_str()
        .and_then(|b| B64.decode(b).ok())
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    body.is_some_and(|b| {
        b["kind"] == "hashedrekord" && b["spec"]["signature"]["content"] == signature
    })
}

/// The bundle for a keyless signature of the file with this `digest`:
/// its log entry, found in one of the logs at `logs`.
pub(crate) fn bundle(
    agent: &Agent,
    logs: &[String],
    digest: &Sha256,
    signature: &str,
    certificate: &[u8],
) -> Result<Vec<u8>, String> {
    let signature = signature.trim();
    let search = json!({"hash": format!("sha256:{digest}")}).to_string();
    for log in logs {
        let base = log.trim_end_matches('/');
        let found = agent
            .post_json(&format!("{base}/api/v1/index/retrieve"), &search)
            .map_err(|e| e.to_string())?;
        if found.status != 200 {
            continue;
        }
        let uuids = json_of(found)?;
        for uuid in uuids.as_array().into_iter().flatten().take(MOST_ENTRIES) {
            let Some(uuid) = uuid.as_str() else { continue };
            let resp = agent
                .get(&format!("{base}/api/v1/log/entries/{uuid}"), &[])
                .map_err(|e| e.to_string())?;
            if resp.status != 200 {
                continue;
            }
            let answer = json_of(resp)?;
            let Some(entry) = answer.as_object().and_then(|m| m.values().next()) else {
                continue;
            };
            if !holds(entry, signature) {
                continue;
            }
            let tlog = tlog_entry(entry)
                .ok_or_else(|| format!("{base} gave a log entry jingyu cannot read"))?;
            let bundle = json!({
                "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.2",
                "verificationMaterial": {
                    "x509CertificateChain": {"certificates": [{"rawBytes": B64.encode(certificate)}]},
                    "tlogEntries": [tlog],
                },
                "messageSignature": {
                    "messageDigest": {"algorithm": "SHA2_256", "digest": B64.encode(digest.as_bytes())},
                    "signature": signature,
                },
            });
            return Ok(serde_json::to_vec(&bundle).expect("JSON"));
        }
    }
    Err(format!(
        "no transparency log of the trusted root holds it (looked up by sha256 {digest} at {})",
        logs.join(", ")
    ))
}

//! What was signed: the signature covers the artifact (a message
//! signature of its sha256, or a DSSE in-toto statement naming it), and the
//! log entry, if any, is of this signature by this certificate.

use base64::Engine as _;
use serde_json::Value;

use crate::bundle::{Bundle, Content};
use crate::cert::{self, Cert};
use crate::dsse::{self, Digests};
use crate::error::Error;
use crate::key;
use crate::rekor::hex;

fn b64(text: Option<&Value>) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text?.as_str()?)
        .ok()
}

/// The certificate a Rekor body names (base64 of its PEM) is the leaf.
fn names_leaf(pem_b64: Option<&Value>, leaf: &Cert<'_>) -> bool {
    b64(pem_b64)
        .and_then(|pem| String::from_utf8(pem).ok())
        .and_then(|pem| cert::pem_to_der(&pem))
        .is_some_and(|der| der == leaf.der)
}

/// A Rekor v2 body's verifier is the leaf itself (DER, base64).
fn is_leaf(verifier: &Value, leaf: &Cert<'_>) -> bool {
    b64(verifier["x509Certificate"].get("rawBytes")).is_some_and(|der| der == leaf.der)
}

/// Whether the log entry is of this signature by this certificate, over
/// what the signature signs: `signed_sha256` (the artifact's digest, or the
/// DSSE PAE's) and, for DSSE, the payload.
fn entry_is_of(
    body: &Value,
    entry_kind: &str,
    version: &str,
    leaf: &Cert<'_>,
    content: &Content,
    signed_sha256: &[u8],
) -> bool {
    if body["kind"] != entry_kind || body["apiVersion"] != version {
        return false;
    }
    let spec = &body["spec"];
    match (entry_kind, version, content) {
        ("hashedrekord", "0.0.1", Content::Message { signature, .. }) => {
            spec["data"]["hash"]["algorithm"] == "sha256"
                && spec["data"]["hash"]["value"] == hex(signed_sha256)
                && b64(spec["signature"].get("content")).as_ref() == Some(signature)
                && names_leaf(spec["signature"]["publicKey"].get("content"), leaf)
        }
        (
            "dsse",
            "0.0.1",
            Content::Dsse {
                payload, signature, ..
            },
        ) => {
            let sigs = spec["signatures"].as_array().map_or(&[][..], Vec::as_slice);
            spec["payloadHash"]["algorithm"] == "sha256"
                && spec["payloadHash"]["value"] == hex(&key::sha256(payload))
                && sigs.len() == 1
                && b64(sigs[0].get("signature")).as_ref() == Some(signature)
                && names_leaf(sigs[0].get("verifier"), leaf)
        }
        // Rekor v2 logs a DSSE envelope as a hashedrekord of its PAE.
        (
            "hashedrekord",
            "0.0.2",
            Content::Message { signature, .. } | Content::Dsse { signature, .. },
        ) => {
            let v2 = &spec["hashedRekordV002"];
            v2["data"]["algorithm"] == "SHA2_256"
                && b64(v2["data"].get("digest")).as_deref() == Some(signed_sha256)
                && b64(v2["signature"].get("content")).as_ref() == Some(signature)
                && is_leaf(&v2["signature"]["verifier"], leaf)
        }
        (
            "dsse",
            "0.0.2",
            Content::Dsse {
                payload, signature, ..
            },
        ) => {
            let v2 = &spec["dsseV002"];
            let sigs = v2["signatures"].as_array().map_or(&[][..], Vec::as_slice);
            v2["payloadHash"]["algorithm"] == "SHA2_256"
                && b64(v2["payloadHash"].get("digest")).as_deref()
                    == Some(&key::sha256(payload)[..])
                && sigs.len() == 1
                && b64(sigs[0].get("content")).as_ref() == Some(signature)
                && is_leaf(&sigs[0]["verifier"], leaf)
        }
        _ => false,
    }
}

/// The signature covers the artifact, and the log entry, if any (GitHub's
/// instance logs nothing), is of this signature by this certificate.
pub(crate) fn verify_content(
    bundle: &Bundle,
    leaf: &Cert<'_>,
    artifact: &Digests,
) -> Result<Option<String>, Error> {
    let (signed_sha256, predicate) = match &bundle.content {
        Content::Message { sha256, signature } => {
            if sha256[..] != artifact.sha256[..] {
                return Err(Error::Signature(format!(
                    "the bundle signs sha256 {}, the download is {}",
                    hex(sha256),
                    hex(&artifact.sha256)
                )));
            }
            if !leaf
                .key
                .verifies_sha256_digest(&artifact.sha256, signature)?
            {
                return Err(Error::Signature(
                    "it does not verify with the certificate's key".to_owned(),
                ));
            }
            (artifact.sha256.to_vec(), None)
        }
        Content::Dsse {
            payload_type,
            payload,
            signature,
        } => {
            if payload_type != dsse::IN_TOTO {
                return Err(Error::Signature(format!(
                    "a DSSE payload of type {payload_type}, expected {}",
                    dsse::IN_TOTO
                )));
            }
            let pae = dsse::pae(payload_type, payload);
            if !leaf.key.verifies(leaf.key.default_hash(), &pae, signature) {
                return Err(Error::Signature(
                    "the DSSE envelope does not verify with the certificate's key".to_owned(),
                ));
            }
            (
                key::sha256(&pae).to_vec(),
                Some(dsse::subject_matches(payload, artifact)?),
            )
        }
    };
    if let Some(entry) = &bundle.entry {
        let body: Value = serde_json::from_slice(&entry.body)
            .map_err(|_| Error::Log("the entry's body is not JSON".to_owned()))?;
        if !entry_is_of(
            &body,
            &entry.kind,
            &entry.version,
            leaf,
            &bundle.content,
            &signed_sha256,
        ) {
            return Err(Error::Log(format!(
                "the log entry is not a {} of this signature by this certificate",
                entry.kind
            )));
        }
    }
    Ok(predicate)
}

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

/// The signature covers the artifact, and the log entry is of this
/// signature by this certificate.
pub(crate) fn verify_content(
    bundle: &Bundle,
    leaf: &Cert<'_>,
    artifact: &Digests,
) -> Result<Option<String>, Error> {
    // GitHub's instance logs nothing: then only the signature is checked.
    let body: Option<Value> = bundle
        .entry
        .as_ref()
        .map(|e| serde_json::from_slice(&e.body))
        .transpose()
        .map_err(|_| Error::Log("the entry's body is not JSON".to_owned()))?;
    let entry_kind = bundle.entry.as_ref().map(|e| e.kind.as_str());
    let logged = |kind: &str, ok: &dyn Fn(&Value) -> bool| {
        let Some(body) = &body else {
            return Ok(());
        };
        if body["kind"] == kind
            && body["apiVersion"] == "0.0.1"
            && entry_kind == Some(kind)
            && ok(&body["spec"])
        {
            Ok(())
        } else {
            Err(Error::Log(format!(
                "the log entry is not a {kind} of this signature by this certificate"
            )))
        }
    };
    match &bundle.content {
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
            logged("hashedrekord", &|spec| {
                spec["data"]["hash"]["algorithm"] == "sha256"
                    && spec["data"]["hash"]["value"] == hex(&artifact.sha256)
                    && b64(spec["signature"].get("content")).as_ref() == Some(signature)
                    && names_leaf(spec["signature"]["publicKey"].get("content"), leaf)
            })?;
            Ok(None)
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
            if !leaf.key.verifies(
                leaf.key.default_hash(),
                &dsse::pae(payload_type, payload),
                signature,
            ) {
                return Err(Error::Signature(
                    "the DSSE envelope does not verify with the certificate's key".to_owned(),
                ));
            }
            logged("dsse", &|spec| {
                let sigs = spec["signatures"].as_array().map_or(&[][..], Vec::as_slice);
                spec["payloadHash"]["algorithm"] == "sha256"
                    && spec["payloadHash"]["value"] == hex(&key::sha256(payload))
                    && sigs.len() == 1
                    && b64(sigs[0].get("signature")).as_ref() == Some(signature)
                    && names_leaf(sigs[0].get("verifier"), leaf)
            })?;
            dsse::subject_matches(payload, artifact).map(Some)
        }
    }
}

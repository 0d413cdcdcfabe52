//! Sigstore verification, offline and in pure Rust on ring: a bundle's
//! Fulcio certificate chains to the trusted root and was valid when the
//! Rekor log integrated the entry; the entry's inclusion proof, checkpoint
//! and signed timestamp verify; the certificate's SCT verifies; the
//! signature covers the artifact (a message signature of its sha256, or a
//! DSSE in-toto statement naming it); and the signer is the one the policy
//! demands. `verify` is the whole of it.

mod bundle;
mod cert;
mod der;
mod dsse;
mod error;
mod key;
mod policy;
mod rekor;
mod root;
mod sct;
pub mod snappy;
pub mod time;

use base64::Engine as _;
use serde_json::Value;

use crate::bundle::{Bundle, Content};
use crate::cert::{oid, Cert};

use crate::rekor::hex;

pub use crate::dsse::Digests;
pub use crate::error::Error;
pub use crate::policy::{Identity, Policy, GITHUB_ACTIONS};
pub use crate::root::TrustedRoot;

/// What a bundle proved.
#[derive(Clone, Debug)]
pub struct Verified {
    pub identity: Identity,
    /// The Rekor log index of the entry.
    pub log_index: u64,
    /// The log's URL in the trusted root (`https://rekor.sigstore.dev`).
    pub log: String,
    /// When the log integrated it (Unix seconds).
    pub integrated_time: i64,
    /// The in-toto predicate type of an attestation; `None` for a plain
    /// message signature.
    pub predicate_type: Option<String>,
}

/// Verifies a bundle (its JSON) for an artifact with these digests.
pub fn verify(
    bundle: &[u8],
    root: &TrustedRoot,
    artifact: &Digests,
    policy: &Policy,
) -> Result<Verified, Error> {
    let bundle = Bundle::parse(bundle)?;
    let leaf = Cert::parse(&bundle.certificate)?;
    let logged = rekor::verify(&bundle.entry, root)?;
    verify_certificate(&leaf, root, logged.integrated_time)?;
    let predicate_type = verify_content(&bundle, &leaf, artifact)?;
    let identity = policy.check(&leaf)?;
    Ok(Verified {
        identity,
        log_index: logged.index,
        log: logged.log,
        integrated_time: logged.integrated_time,
        predicate_type,
    })
}

/// The leaf is a code-signing certificate, valid at `when`, issued by a
/// Fulcio CA of the root, with an SCT from one of its CT logs.
fn verify_certificate(leaf: &Cert<'_>, root: &TrustedRoot, when: i64) -> Result<(), Error> {
    let bad = |why: String| Error::Certificate(why);
    if !leaf.valid_at(when) {
        return Err(bad(format!(
            "valid from {} to {}, but the log saw it used at {}",
            time::show(leaf.not_before),
            time::show(leaf.not_after),
            time::show(when)
        )));
    }
    if leaf.is_ca()
        || leaf.key_usage().is_none_or(|bits| bits & 0x80 == 0)
        || !leaf.has_extended_usage(oid::CODE_SIGNING)
    {
        return Err(bad("not a code-signing certificate".to_owned()));
    }
    if let Some(e) = leaf
        .extensions
        .iter()
        .find(|e| e.critical && !cert::oid::UNDERSTOOD.contains(&e.oid))
    {
        return Err(bad(format!(
            "it has a critical extension jingyu does not understand ({:02x?})",
            e.oid
        )));
    }
    let chains: Vec<Vec<Cert<'_>>> = root
        .authorities
        .iter()
        .filter(|a| a.covers(when))
        .map(|a| a.chain.iter().filter_map(|c| Cert::parse(c).ok()).collect())
        .collect();
    for chain in &chains {
        for (i, ca) in chain.iter().enumerate() {
            if ca.is_ca() && ca.valid_at(when) && leaf.subject_issuer_is(ca) && leaf.signed_by(ca) {
                return sct::verify(leaf, ca, chain.get(i + 1), root);
            }
        }
    }
    Err(bad(format!(
        "not issued by a Fulcio CA of the trusted root that was valid at {}",
        time::show(when)
    )))
}

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
fn verify_content(
    bundle: &Bundle,
    leaf: &Cert<'_>,
    artifact: &Digests,
) -> Result<Option<String>, Error> {
    let body: Value = serde_json::from_slice(&bundle.entry.body)
        .map_err(|_| Error::Log("the entry's body is not JSON".to_owned()))?;
    let logged = |kind: &str, ok: bool| {
        if body["kind"] == kind && body["apiVersion"] == "0.0.1" && bundle.entry.kind == kind && ok
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
            let spec = &body["spec"];
            logged(
                "hashedrekord",
                spec["data"]["hash"]["algorithm"] == "sha256"
                    && spec["data"]["hash"]["value"] == hex(&artifact.sha256)
                    && b64(spec["signature"].get("content")).as_ref() == Some(signature)
                    && names_leaf(spec["signature"]["publicKey"].get("content"), leaf),
            )?;
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
            let spec = &body["spec"];
            let sigs = spec["signatures"].as_array().map_or(&[][..], Vec::as_slice);
            logged(
                "dsse",
                spec["payloadHash"]["algorithm"] == "sha256"
                    && spec["payloadHash"]["value"] == hex(&key::sha256(payload))
                    && sigs.len() == 1
                    && b64(sigs[0].get("signature")).as_ref() == Some(signature)
                    && names_leaf(sigs[0].get("verifier"), leaf),
            )?;
            dsse::subject_matches(payload, artifact).map(Some)
        }
    }
}

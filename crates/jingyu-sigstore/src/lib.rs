//! Sigstore verification, offline and in pure Rust on ring: a bundle's
//! Fulcio certificate chains to the trusted root and was valid when it was
//! used, by the Rekor log's integrated time (the entry's inclusion proof,
//! checkpoint and signed entry timestamp verify) or an RFC 3161 timestamp
//! (GitHub's instance, which logs nothing; Rekor v2, which gives no SET);
//! the certificate's SCT verifies;
//! the signature covers the artifact (a message signature of its sha256, or
//! a DSSE in-toto statement naming it); and the signer is the one the
//! policy demands. `verify` is the whole of it.

mod bundle;
mod cert;
mod chain;
mod content;
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
mod tsa;

use crate::bundle::Bundle;
use crate::cert::Cert;

pub use crate::cert::{pem_block, pem_to_der};
pub use crate::dsse::Digests;
pub use crate::error::Error;
pub use crate::policy::{Identity, Policy, GITHUB_ACTIONS};
pub use crate::root::TrustedRoot;

/// What a bundle proved.
#[derive(Clone, Debug)]
pub struct Verified {
    pub identity: Identity,
    /// The Rekor log index of the entry; `None` for GitHub's instance,
    /// which timestamps instead of logging.
    pub log_index: Option<u64>,
    /// The log's URL in the trusted root (`https://rekor.sigstore.dev`).
    pub log: Option<String>,
    /// When the signature is known to have existed (Unix seconds): the
    /// earliest of the log's integrated time and the signed timestamps.
    pub time: i64,
    /// The in-toto predicate type of an attestation; `None` for a plain
    /// message signature.
    pub predicate_type: Option<String>,
}

/// Verifies a bundle (its JSON) for an artifact with these digests,
/// against whichever of `roots` issued its certificate.
pub fn verify(
    bundle: &[u8],
    roots: &[TrustedRoot],
    artifact: &Digests,
    policy: &Policy,
) -> Result<Verified, Error> {
    let bundle = Bundle::parse(bundle)?;
    let leaf = Cert::parse(&bundle.certificate)?;
    let root = issuing_root(&leaf, roots)?;
    let (logged, times) = verified_times(&bundle, root)?;
    for when in &times {
        chain::verify_certificate(&leaf, root, *when)?;
    }
    let predicate_type = content::verify_content(&bundle, &leaf, artifact)?;
    let identity = policy.check(&leaf)?;
    Ok(Verified {
        identity,
        log_index: logged.as_ref().map(|l| l.index),
        log: logged.map(|l| l.log),
        time: times.iter().copied().min().unwrap_or_default(),
        predicate_type,
    })
}

/// The root one of whose Fulcio CAs issued `leaf`; else the first, whose
/// checks then say why not.
fn issuing_root<'a>(leaf: &Cert<'_>, roots: &'a [TrustedRoot]) -> Result<&'a TrustedRoot, Error> {
    let issued = |root: &&TrustedRoot| {
        root.authorities.iter().flat_map(|a| &a.chain).any(|c| {
            Cert::parse(c).is_ok_and(|ca| leaf.subject_issuer_is(&ca) && leaf.signed_by(&ca))
        })
    };
    roots
        .iter()
        .find(issued)
        .or_else(|| roots.first())
        .ok_or_else(|| Error::TrustedRoot("no trusted root".to_owned()))
}

/// When the signature is known to have existed: the Rekor entry's
/// integrated time (required when the root has logs), and each signed
/// timestamp's. At least one.
fn verified_times(
    bundle: &Bundle,
    root: &TrustedRoot,
) -> Result<(Option<rekor::Logged>, Vec<i64>), Error> {
    if bundle.entry.is_none() && !root.tlogs.is_empty() {
        return Err(Error::Log(
            "the bundle has no transparency-log entry".to_owned(),
        ));
    }
    let mut times = Vec::new();
    for timestamp in &bundle.timestamps {
        times.push(tsa::verify(timestamp, bundle.content.signature(), root)?);
    }
    let logged = bundle
        .entry
        .as_ref()
        .map(|entry| rekor::verify(entry, root, times.first().copied()))
        .transpose()?;
    times.extend(logged.as_ref().and_then(|l| l.integrated_time));
    if times.is_empty() {
        return Err(Error::Timestamp(
            "the bundle has neither a log entry nor a signed timestamp, so nothing says when it was signed".to_owned(),
        ));
    }
    Ok((logged, times))
}

//! The signing certificate: a code-signing leaf, valid when it was used,
//! issued by a Fulcio CA of the trusted root, with an SCT from one of its
//! CT logs.

use crate::cert::{self, oid, Cert};
use crate::error::Error;
use crate::root::TrustedRoot;
use crate::{sct, time};

/// The leaf is a code-signing certificate, valid at `when`, issued by a
/// Fulcio CA of the root, with an SCT from one of its CT logs (if it has
/// any).
pub(crate) fn verify_certificate(
    leaf: &Cert<'_>,
    root: &TrustedRoot,
    when: i64,
) -> Result<(), Error> {
    let bad = |why: String| Error::Certificate(why);
    if !leaf.valid_at(when) {
        return Err(bad(format!(
            "valid from {} to {}, but it was used at {} (by the log's or a timestamp's clock)",
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
                // GitHub's instance has no CT log, so its certificates no SCT.
                if root.ctlogs.is_empty() {
                    return Ok(());
                }
                return sct::verify(leaf, ca, chain.get(i + 1), root);
            }
        }
    }
    Err(bad(format!(
        "not issued by a Fulcio CA of the trusted root that was valid at {}",
        time::show(when)
    )))
}

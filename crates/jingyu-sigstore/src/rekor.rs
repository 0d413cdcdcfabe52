//! The Rekor entry (v1, or v2's tile logs): its inclusion proof up to a
//! signed checkpoint (RFC 6962 Merkle hashing, a signed note), and for v1
//! its signed entry timestamp and the time the log vouches for. What the entry's body says is checked
//! by the caller against the bundle's certificate and signature.

use base64::Engine as _;

use crate::bundle::{Entry, Proof};
use crate::error::Error;
use crate::key::{self, Hash};
use crate::root::{LogKey, TrustedRoot};

/// What the log proved: the entry's index, and (Rekor v1) the time it was
/// integrated.
#[derive(Clone, Debug)]
pub(crate) struct Logged {
    pub(crate) index: u64,
    /// Rekor v1's integrated time, vouched for by the SET; Rekor v2 gives
    /// none (a signed timestamp does).
    pub(crate) integrated_time: Option<i64>,
    pub(crate) log: String,
}

fn bad(why: impl Into<String>) -> Error {
    Error::Log(why.into())
}

/// Checks the entry against the trusted root's logs. A Rekor v1 entry
/// (hashedrekord or dsse 0.0.1) needs its SET, which gives the time; a
/// Rekor v2 entry (0.0.2) has none, so its log's key must have been valid
/// at `timestamped`, the first signed timestamp's time.
pub(crate) fn verify(
    entry: &Entry,
    root: &TrustedRoot,
    timestamped: Option<i64>,
) -> Result<Logged, Error> {
    let v2 = match (entry.kind.as_str(), entry.version.as_str()) {
        ("hashedrekord" | "dsse", "0.0.1") => false,
        ("hashedrekord" | "dsse", "0.0.2") => true,
        (kind, version) => {
            return Err(bad(format!(
                "a {kind} {version} entry; jingyu verifies hashedrekord and dsse, 0.0.1 (Rekor v1) and 0.0.2 (Rekor v2)"
            )))
        }
    };
    let when = if v2 {
        timestamped.ok_or_else(|| {
            bad("a Rekor v2 entry with no signed timestamp, so nothing says when it was logged")
        })?
    } else {
        entry.integrated_time
    };
    let log = root.tlog(&entry.log_id, when).ok_or_else(|| {
        bad(format!(
            "the entry is in log {}, which the trusted root does not hold (or not at {})",
            hex(&entry.log_id),
            crate::time::show(when)
        ))
    })?;
    let proof = entry
        .proof
        .as_ref()
        .ok_or_else(|| bad("the entry has no inclusion proof"))?;
    let integrated_time = if v2 {
        None
    } else {
        let promise = entry.promise.as_ref().ok_or_else(|| {
            bad("the entry has no signed entry timestamp, so no time the log vouches for")
        })?;
        verify_promise(entry, log, promise)?;
        Some(entry.integrated_time)
    };
    verify_inclusion(proof, &entry.body)?;
    verify_checkpoint(proof, log)?;
    Ok(Logged {
        index: entry.log_index,
        integrated_time,
        log: log.base_url.clone(),
    })
}

/// The SET: the log's signature over the canonical JSON of the entry.
fn verify_promise(entry: &Entry, log: &LogKey, promise: &[u8]) -> Result<(), Error> {
    // RFC 8785 for these four fields is serde_json's compact output with
    // the keys in this (sorted) order.
    let signed = serde_json::json!({
        "body": base64::engine::general_purpose::STANDARD.encode(&entry.body),
        "integratedTime": entry.integrated_time,
        "logID": hex(&entry.log_id),
        "logIndex": entry.log_index,
    });
    let signed = serde_json::to_vec(&signed).expect("JSON");
    if log.key.verifies(Hash::Sha256, &signed, promise) {
        Ok(())
    } else {
        Err(bad(
            "the signed entry timestamp does not verify with the log's key",
        ))
    }
}

fn leaf_hash(body: &[u8]) -> [u8; 32] {
    let mut leaf = vec![0u8];
    leaf.extend_from_slice(body);
    key::sha256(&leaf)
}

fn node_hash(left: &[u8], right: &[u8]) -> [u8; 32] {
    let mut node = vec![1u8];
    node.extend_from_slice(left);
    node.extend_from_slice(right);
    key::sha256(&node)
}

/// RFC 6962 / 9162 inclusion: the body's leaf hash and the proof's hashes
/// recompute the proof's root hash.
pub(crate) fn verify_inclusion(proof: &Proof, body: &[u8]) -> Result<(), Error> {
    let (index, size) = (proof.index, proof.tree_size);
    if index >= size {
        return Err(bad(format!(
            "inclusion proof index {index} is not inside a tree of {size}"
        )));
    }
    let inner = u64::BITS - (index ^ (size - 1)).leading_zeros();
    let border = (index >> inner).count_ones();
    if proof.hashes.len() != (inner + border) as usize {
        return Err(bad(format!(
            "an inclusion proof of {} hashes, expected {} for index {index} of {size}",
            proof.hashes.len(),
            inner + border
        )));
    }
    let mut hash = leaf_hash(body);
    for (i, sibling) in proof.hashes.iter().enumerate() {
        let i = u32::try_from(i).expect("few hashes");
        hash = if i < inner && (index >> i) & 1 == 0 {
            node_hash(&hash, sibling)
        } else {
            node_hash(sibling, &hash)
        };
    }
    if hash[..] == proof.root_hash[..] {
        Ok(())
    } else {
        Err(bad(
            "the inclusion proof does not lead to its root hash: the entry is not the one logged",
        ))
    }
}

/// The checkpoint: a signed note whose tree size and root hash are the
/// proof's, signed by the log.
fn verify_checkpoint(proof: &Proof, log: &LogKey) -> Result<(), Error> {
    let note = proof
        .checkpoint
        .as_deref()
        .ok_or_else(|| bad("the inclusion proof has no signed checkpoint"))?;
    let split = note
        .find("\n\n")
        .ok_or_else(|| bad("the checkpoint is not a signed note"))?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    let mut lines = text.lines();
    let (_origin, size, root) = (lines.next(), lines.next(), lines.next());
    let size: Option<u64> = size.and_then(|s| s.parse().ok());
    let root = root.and_then(|r| base64::engine::general_purpose::STANDARD.decode(r).ok());
    if size != Some(proof.tree_size) || root.as_deref() != Some(&proof.root_hash[..]) {
        return Err(bad(
            "the checkpoint is for a different tree than the inclusion proof",
        ));
    }
    let signed = signatures.lines().any(|line| {
        let Some(sig) = line
            .strip_prefix("\u{2014} ")
            .and_then(|l| l.rsplit(' ').next())
        else {
            return false;
        };
        let Ok(sig) = base64::engine::general_purpose::STANDARD.decode(sig) else {
            return false;
        };
        sig.len() > 4
            && sig[..4] == log.id[..4]
            && log
                .key
                .verifies(log.key.default_hash(), text.as_bytes(), &sig[4..])
    });
    if signed {
        Ok(())
    } else {
        Err(bad("the checkpoint carries no signature by the log's key"))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree of `n` leaves, built the RFC 6962 way, and each leaf's proof.
    fn tree(leaves: &[Vec<u8>]) -> [u8; 32] {
        match leaves.len() {
            1 => leaf_hash(&leaves[0]),
            n => {
                let k = 1 << (usize::BITS - (n - 1).leading_zeros() - 1);
                node_hash(&tree(&leaves[..k]), &tree(&leaves[k..]))
            }
        }
    }

    fn path(leaves: &[Vec<u8>], index: usize) -> Vec<Vec<u8>> {
        if leaves.len() == 1 {
            return Vec::new();
        }
        let k = 1 << (usize::BITS - (leaves.len() - 1).leading_zeros() - 1);
        let (mut p, sibling) = if index < k {
            (path(&leaves[..k], index), tree(&leaves[k..]))
        } else {
            (path(&leaves[k..], index - k), tree(&leaves[..k]))
        };
        p.push(sibling.to_vec());
        p
    }

    #[test]
    fn inclusion_proofs_verify_for_every_leaf_and_fail_for_other_data() {
        for size in 1..=9u64 {
            let leaves: Vec<Vec<u8>> = (0..size)
                .map(|i| format!("entry {i}").into_bytes())
                .collect();
            let root = tree(&leaves);
            for index in 0..size {
                let proof = Proof {
                    index,
                    tree_size: size,
                    root_hash: root.to_vec(),
                    hashes: path(&leaves, usize::try_from(index).unwrap()),
                    checkpoint: None,
                };
                verify_inclusion(&proof, &leaves[usize::try_from(index).unwrap()]).unwrap();
                let err = verify_inclusion(&proof, b"another body").unwrap_err();
                assert!(err.to_string().contains("not the one logged"), "{err}");
            }
        }
    }
}

//! The test Rekor: one log of entries, each bundle's with an RFC 6962
//! inclusion proof, a checkpoint (a signed note) and a signed entry
//! timestamp, as Rekor v1 returns them.

use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rcgen::{KeyPair, PublicKeyData as _};
use serde_json::{json, Value};

use super::{sha256, sign};
use crate::release::hex;

/// The log: its key and every entry so far.
pub(super) struct Log {
    pub(super) key: KeyPair,
    entries: Mutex<Vec<Vec<u8>>>,
    /// Each hashedrekord entry as Rekor's API gives it: the artifact digest
    /// it is found by (`sha256:HEX`), its UUID and the answer.
    api: Mutex<Vec<(String, String, Value)>>,
}

fn leaf_hash(body: &[u8]) -> Vec<u8> {
    sha256(&[&[0u8][..], body].concat())
}

fn node_hash(l: &[u8], r: &[u8]) -> Vec<u8> {
    sha256(&[&[1u8][..], l, r].concat())
}

fn split_point(n: usize) -> usize {
    1 << (usize::BITS - (n - 1).leading_zeros() - 1)
}

fn tree_hash(leaves: &[Vec<u8>]) -> Vec<u8> {
    if leaves.len() == 1 {
        return leaf_hash(&leaves[0]);
    }
    let k = split_point(leaves.len());
    node_hash(&tree_hash(&leaves[..k]), &tree_hash(&leaves[k..]))
}

/// RFC 6962's audit path, leaf first.
fn audit_path(leaves: &[Vec<u8>], index: usize) -> Vec<Vec<u8>> {
    if leaves.len() == 1 {
        return Vec::new();
    }
    let k = split_point(leaves.len());
    let (mut path, sibling) = if index < k {
        (audit_path(&leaves[..k], index), tree_hash(&leaves[k..]))
    } else {
        (audit_path(&leaves[k..], index - k), tree_hash(&leaves[..k]))
    };
    path.push(sibling);
    path
}

impl Log {
    pub(super) fn new(key: KeyPair) -> Log {
        Log {
            key,
            entries: Mutex::new(Vec::new()),
            api: Mutex::new(Vec::new()),
        }
    }

    /// Its log id: the sha256 of its key.
    pub(super) fn id(&self) -> Vec<u8> {
        sha256(&self.key.subject_public_key_info())
    }

    /// Appends `body` to the log; its bundle entry with proof, checkpoint and SET.
    pub(super) fn entry(&self, body: &[u8], kind: &str, integrated_time: i64) -> Value {
        let mut log = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Other entries around ours, so proofs have both left and right turns.
        let index = log.len() + 1;
        log.push(format!("an earlier entry {index}").into_bytes());
        log.push(body.to_vec());
        log.push(format!("a later entry {index}").into_bytes());
        let (root, path, size) = (tree_hash(&log), audit_path(&log, index), log.len());
        drop(log);
        let log_id = self.id();
        let set_payload = json!({
            "body": B64.encode(body),
            "integratedTime": integrated_time,
            "logID": hex(&log_id),
            "logIndex": index,
        });
        let set = sign(&self.key, &serde_json::to_vec(&set_payload).expect("JSON"));
        let note = format!("rekor.jingyu.test - 1\n{size}\n{}\n", B64.encode(&root));
        let note_sig = [&log_id[..4], &sign(&self.key, note.as_bytes())].concat();
        let checkpoint = format!(
            "{note}\n\u{2014} rekor.jingyu.test {}\n",
            B64.encode(note_sig)
        );
        self.publish(
            body,
            integrated_time,
            index,
            &set,
            (&root, &path, size),
            &checkpoint,
        );
        json!({
            "logIndex": index.to_string(),
            "logId": {"keyId": B64.encode(&log_id)},
            "kindVersion": {"kind": kind, "version": "0.0.1"},
            "integratedTime": integrated_time.to_string(),
            "inclusionPromise": {"signedEntryTimestamp": B64.encode(set)},
            "inclusionProof": {
                "logIndex": index.to_string(),
                "rootHash": B64.encode(&root),
                "treeSize": size.to_string(),
                "hashes": path.iter().map(|h| B64.encode(h)).collect::<Vec<_>>(),
                "checkpoint": {"envelope": checkpoint},
            },
            "canonicalizedBody": B64.encode(body),
        })
    }

    /// Keeps a hashedrekord entry in the API's form, to be searched for.
    fn publish(
        &self,
        body: &[u8],
        integrated_time: i64,
        index: usize,
        set: &[u8],
        (root, path, size): (&[u8], &[Vec<u8>], usize),
        checkpoint: &str,
    ) {
        let parsed: Value = serde_json::from_slice(body).expect("JSON");
        let Some(digest) = parsed["spec"]["data"]["hash"]["value"].as_str() else {
            return;
        };
        let uuid = hex(&leaf_hash(body));
        let entry = json!({
            "body": B64.encode(body),
            "integratedTime": integrated_time,
            "logID": hex(&self.id()),
            "logIndex": index,
            "verification": {
                "inclusionProof": {
                    "checkpoint": checkpoint,
                    "hashes": path.iter().map(|h| hex(h)).collect::<Vec<_>>(),
                    "logIndex": index,
                    "rootHash": hex(root),
                    "treeSize": size,
                },
                "signedEntryTimestamp": B64.encode(set),
            },
        });
        let answer = json!({ uuid.clone(): entry });
        self.api
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((format!("sha256:{digest}"), uuid, answer));
    }

    /// Every entry in the API's form (digest, UUID, answer).
    pub(super) fn api_entries(&self) -> Vec<(String, String, Value)> {
        self.api
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

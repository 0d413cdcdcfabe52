//! Signatures the fake serves: GitHub's artifact attestations, stored per
//! repository and digest, served by `GET
//! /repos/OWNER/REPO/attestations/sha256:HEX` with each bundle inline or
//! behind a `bundle_url` (Snappy, on the asset host); and a test Sigstore's
//! log as Rekor v1's search API (`POST /api/v1/index/retrieve`, `GET
//! /api/v1/log/entries/UUID`), for keyless signatures without a bundle.

use serde_json::{json, Value};

use crate::http::Reply;
use crate::release::sha256_hex;
use crate::{sigstore, FakeGitHub, Request, State};

/// How [`FakeGitHub::attestation`] serves a bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// In the API's answer (`bundle`).
    Inline,
    /// At a `bundle_url` on the asset host, Snappy-compressed.
    Snappy,
}

impl FakeGitHub {
    /// Stores an attestation of `artifact` in `repo`, its Sigstore bundle
    /// inline in the API's answer or at a `bundle_url` on the asset host
    /// (Snappy-compressed `.json.sn`, as GitHub's).
    pub fn attestation(&self, repo: &str, artifact: &[u8], bundle: &str, stored: Stored) -> &Self {
        let mut state = self.lock();
        let entry = match stored {
            Stored::Inline => {
                json!({"bundle": serde_json::from_str::<Value>(bundle).expect("a JSON bundle"), "repository_id": 1})
            }
            Stored::Snappy => {
                let path = format!("/attestations/{}/{}.json.sn", repo, state.blobs.len());
                state
                    .blobs
                    .insert(path.clone(), sigstore::snappy(bundle.as_bytes()));
                json!({"bundle": null, "bundle_url": format!("{}{path}?se=2026", self.assets_url()), "repository_id": 1})
            }
        };
        state
            .attestations
            .entry(repo.to_owned())
            .or_default()
            .push((sha256_hex(artifact), entry));
        drop(state);
        self
    }

    /// `GET /repos/REPO/attestations/sha256:HEX`: 404 when there are none.
    pub(crate) fn attestations(state: &State, repo: &str, digest: &str) -> Reply {
        let hex = digest.strip_prefix("sha256:").unwrap_or("-");
        let found: Vec<&Value> = state
            .attestations
            .get(repo)
            .map(|list| {
                list.iter()
                    .filter(|(d, _)| d == hex)
                    .map(|(_, e)| e)
                    .collect()
            })
            .unwrap_or_default();
        if found.is_empty() {
            return Reply::json(404, &json!({"message": "Not Found"}));
        }
        Reply::json(200, &json!({"attestations": found}))
    }

    /// Serves these log entries (a test Sigstore's [`sigstore::TestSigstore::log_entries`])
    /// as Rekor's API on the API host.
    pub fn rekor(&self, entries: Vec<(String, String, Value)>) -> &Self {
        self.lock().rekor = entries;
        self
    }

    /// Rekor's search and entry lookup, if `path` is one of them.
    pub(crate) fn rekor_api(state: &State, req: &Request, path: &str) -> Option<Reply> {
        if path == "/api/v1/index/retrieve" && req.method == "POST" {
            let asked: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let uuids: Vec<&String> = state
                .rekor
                .iter()
                .filter(|(digest, _, _)| asked["hash"] == digest.as_str())
                .map(|(_, uuid, _)| uuid)
                .collect();
            return Some(Reply::json(200, &json!(uuids)));
        }
        let uuid = path.strip_prefix("/api/v1/log/entries/")?;
        Some(
            state
                .rekor
                .iter()
                .find(|(_, u, _)| u == uuid)
                .map_or_else(Reply::not_found, |(_, _, answer)| Reply::json(200, answer)),
        )
    }
}

//! GitHub's artifact attestations in the fake: stored per repository and
//! digest, served by `GET /repos/OWNER/REPO/attestations/sha256:HEX` with
//! each bundle inline or behind a `bundle_url` (Snappy, on the asset host).

use serde_json::{json, Value};

use crate::http::Reply;
use crate::release::sha256_hex;
use crate::{sigstore, FakeGitHub, State};

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
}

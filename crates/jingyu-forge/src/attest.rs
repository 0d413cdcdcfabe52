//! GitHub's artifact attestations of a digest: `GET
//! /repos/OWNER/REPO/attestations/sha256:HEX` (no token needed for a public
//! repository). Each entry carries its Sigstore bundle inline, or a
//! `bundle_url` on GitHub's blob storage (Snappy-compressed when it ends
//! `.json.sn`), which is fetched without the token.

use serde::Deserialize;

use crate::client::Forge;
use crate::error::ForgeError;
use crate::repo::RepoRef;
use crate::site::Kind;

/// One attestation: its bundle, or where to fetch it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attestation {
    /// The bundle's JSON.
    Bundle(Vec<u8>),
    /// A URL off the API (blob storage); `.json.sn` is Snappy.
    Url(String),
}

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    attestations: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    bundle: Option<serde_json::Value>,
    bundle_url: Option<String>,
}

impl Forge<'_> {
    /// The attestations of the artifact with this sha256 (hex) stored in
    /// `repo`: none on a forge other than GitHub, or when GitHub has none
    /// (404).
    pub fn attestations(
        &self,
        repo: &RepoRef,
        sha256: &str,
    ) -> Result<Vec<Attestation>, ForgeError> {
        if self.site().kind != Kind::GitHub {
            return Ok(Vec::new());
        }
        let url = format!(
            "{}/repos/{repo}/attestations/sha256:{sha256}",
            self.site().api
        );
        let list: List = match self.get_json(&url) {
            Err(ForgeError::Status { code: 404, .. }) => return Ok(Vec::new()),
            other => other?,
        };
        Ok(list
            .attestations
            .into_iter()
            .filter_map(|e| match (e.bundle, e.bundle_url) {
                (Some(bundle), _) if !bundle.is_null() => Some(Attestation::Bundle(
                    serde_json::to_vec(&bundle).expect("JSON"),
                )),
                (_, Some(url)) => Some(Attestation::Url(url)),
                _ => None,
            })
            .collect())
    }
}

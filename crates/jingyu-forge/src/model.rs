//! The release API's JSON, reduced to the fields jingyu reads.

use serde::Deserialize;

/// A GitHub release.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Release {
    pub tag_name: String,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub prerelease: bool,
    /// RFC 3339, e.g. `2025-01-31T12:00:00Z`.
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub tarball_url: Option<String>,
    #[serde(default)]
    pub assets: Vec<Asset>,
}

/// One file attached to a release.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Asset {
    pub name: String,
    #[serde(default)]
    pub size: u64,
    /// The API URL; with `Accept: application/octet-stream` it serves the file
    /// (the only way for private repositories).
    pub url: String,
    pub browser_download_url: String,
    /// `sha256:<hex>` on recent API responses.
    #[serde(default)]
    pub digest: Option<String>,
}

/// `GET /rate_limit`'s `rate` object.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct Rate {
    pub limit: u64,
    pub used: u64,
    pub remaining: u64,
    pub reset: u64,
}

#[derive(Deserialize)]
pub(crate) struct RateLimitBody {
    pub(crate) rate: Rate,
}

//! Releases and assets to register with the fake, built like the spec reads:
//! `Release::new("v1.0").asset("tool-linux-amd64.tar.gz", bytes)`.

use std::fmt::Write as _;
use std::sync::Arc;

use ring::digest::{digest, SHA256};

/// A release with its assets.
#[derive(Clone, Debug, Default)]
pub struct Release {
    pub tag: String,
    pub prerelease: bool,
    pub draft: bool,
    pub published_at: Option<String>,
    pub assets: Vec<Asset>,
    /// What the source tarball URL serves.
    pub source: Option<Vec<u8>>,
}

/// One asset and what the API says of it.
#[derive(Clone, Debug)]
pub struct Asset {
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
    /// `None`: the real sha256; `Some(None)`: no digest field; `Some(Some(x))`: x.
    pub digest_override: Option<Option<String>>,
    /// The bytes' sha256, computed once (the API lists it on every request).
    sha256: String,
}

impl Release {
    pub fn new(tag: &str) -> Release {
        Release {
            tag: tag.to_owned(),
            ..Release::default()
        }
    }

    #[must_use]
    pub fn asset(mut self, name: &str, bytes: impl Into<Vec<u8>>) -> Release {
        self.assets.push(Asset::new(name, bytes.into(), None));
        self
    }

    /// An asset whose `digest` field is `digest` (or absent for `None`).
    #[must_use]
    pub fn asset_with_digest(
        mut self,
        name: &str,
        bytes: impl Into<Vec<u8>>,
        digest: Option<&str>,
    ) -> Release {
        self.assets.push(Asset::new(
            name,
            bytes.into(),
            Some(digest.map(str::to_owned)),
        ));
        self
    }

    #[must_use]
    pub fn prerelease(mut self) -> Release {
        self.prerelease = true;
        self
    }

    #[must_use]
    pub fn draft(mut self) -> Release {
        self.draft = true;
        self
    }

    #[must_use]
    pub fn published(mut self, at: &str) -> Release {
        self.published_at = Some(at.to_owned());
        self
    }

    #[must_use]
    pub fn source(mut self, bytes: impl Into<Vec<u8>>) -> Release {
        self.source = Some(bytes.into());
        self
    }
}

impl Asset {
    #[allow(clippy::option_option)] // the same three cases as `digest_override`
    fn new(name: &str, bytes: Vec<u8>, digest_override: Option<Option<String>>) -> Asset {
        let sha256 = sha256_hex(&bytes);
        Asset {
            name: name.to_owned(),
            bytes: Arc::new(bytes),
            digest_override,
            sha256,
        }
    }

    /// The `digest` field: `sha256:<hex>` of the bytes unless overridden.
    pub fn digest(&self) -> Option<String> {
        match &self.digest_override {
            Some(d) => d.clone(),
            None => Some(format!("sha256:{}", self.sha256)),
        }
    }
}

/// Lowercase hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest(&SHA256, bytes).as_ref())
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

//! What a target resolves to: one plain record that install consumes (and a
//! lock file can store), filled in by a forge. It names the file to fetch,
//! every source that vouches for its sha256, and the one origin that may
//! receive a credential; it never holds the credential itself.

use std::path::PathBuf;

use jingyu_pick::ChecksumKind;

use jingyu_fetch::origin;

use crate::token::{Token, TokenHeader};

/// Where the bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Url(String),
    File(PathBuf),
}

/// A source of the asset's expected sha256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Digest {
    /// The API's `digest` field (`sha256:<hex>`).
    Api(String),
    /// A sha256 pinned elsewhere (a lock file), and what pinned it.
    Pinned { sha256: String, from: String },
    /// A release file that may list it (a sidecar or a checksums file), and
    /// where to fetch it.
    File {
        name: String,
        kind: ChecksumKind,
        url: String,
    },
}

/// The kinds of signature file jingyu checks with a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureKind {
    /// `ASSET.minisig`.
    Minisign,
    /// `ASSET.sig`: cosign's base64 ECDSA signature over the sha256.
    Cosign,
}

impl SignatureKind {
    pub const ALL: [SignatureKind; 2] = [SignatureKind::Minisign, SignatureKind::Cosign];

    /// What the file's name adds to the asset's.
    pub fn suffix(self) -> &'static str {
        match self {
            SignatureKind::Minisign => ".minisig",
            SignatureKind::Cosign => ".sig",
        }
    }
}

/// A release file that signs the asset, and where to fetch it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureFile {
    pub kind: SignatureKind,
    pub name: String,
    pub url: String,
}

/// What a Sigstore bundle's name adds to the name of the file it signs.
pub const BUNDLE_SUFFIXES: [&str; 3] = [".sigstore.json", ".sigstore", ".bundle"];

/// A Sigstore bundle in the release: of the asset, or of a checksums file
/// that lists it. A keyless `X.sig` beside an `X.pem` (cosign's detached
/// signature and Fulcio certificate, without a bundle) is one too, with
/// its certificate's URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleFile {
    pub name: String,
    pub url: String,
    /// The release file it signs.
    pub signs: String,
    /// For a keyless `X.sig`: where `X.pem` is.
    pub certificate: Option<String>,
}

/// A resolved target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// `github`, `gitlab`, `gitea` ([`crate::Kind::id`]), `url`, `file` or `lock`.
    pub forge: &'static str,
    /// `owner/repo`, for a forge target.
    pub repo: Option<String>,
    /// The release's tag (or the ref of a source tarball).
    pub tag: Option<String>,
    /// The file's name (the asset's, or what a URL ends in).
    pub asset: String,
    pub location: Location,
    /// The size the forge announced, if any.
    pub size: Option<u64>,
    /// When the release was created (Unix seconds), for `--upgrade-only`.
    pub created: Option<u64>,
    pub digests: Vec<Digest>,
    /// The release's signature files for the asset (`ASSET.minisig`,
    /// `ASSET.sig`).
    pub signatures: Vec<SignatureFile>,
    /// The release's Sigstore bundles of the asset or its checksums files.
    pub bundles: Vec<BundleFile>,
    /// The Sigstore signer a lock verified for these bytes (which its
    /// sha256 pins), for a locked install that makes no API call.
    pub locked_signer: Option<String>,
    /// The repository's web URL (`https://github.com/owner/repo`): what a
    /// signing certificate's source repository must be.
    pub repository_url: Option<String>,
    /// The origin (`scheme://host:port`) that may receive the credential: the
    /// API's, when a URL here is on it. Nothing else ever does.
    pub credential_origin: Option<String>,
}

impl Resolution {
    /// A file known only by where it is (a direct URL or a local file).
    pub fn plain(forge: &'static str, asset: String, location: Location) -> Resolution {
        Resolution {
            forge,
            repo: None,
            tag: None,
            asset,
            location,
            size: None,
            created: None,
            digests: Vec::new(),
            signatures: Vec::new(),
            bundles: Vec::new(),
            repository_url: None,
            locked_signer: None,
            credential_origin: None,
        }
    }

    /// Whether a lock pinned it (a locked install makes no API call).
    pub fn locked(&self) -> bool {
        self.digests
            .iter()
            .any(|d| matches!(d, Digest::Pinned { .. }))
    }

    /// The API's digest, if the forge gave one.
    pub fn api_digest(&self) -> Option<&str> {
        self.digests.iter().find_map(|d| match d {
            Digest::Api(v) => Some(v.as_str()),
            Digest::Pinned { .. } | Digest::File { .. } => None,
        })
    }

    /// Whether `url` is on the origin the credential may go to.
    pub fn may_receive_credential(&self, url: &str) -> bool {
        self.credential_origin
            .as_deref()
            .is_some_and(|o| origin(url).as_deref() == Some(o))
    }

    /// The headers a download of `url` carries: `token` only when `url` is
    /// on the credential's origin (and then the API's download headers).
    pub fn headers_for(&self, url: &str, token: Option<&Token>) -> Vec<(&'static str, String)> {
        if !self.may_receive_credential(url) {
            return Vec::new();
        }
        let mut headers = vec![("accept", "application/octet-stream".to_owned())];
        if let Some(token) = token {
            headers.push(token.header());
            if token.header == TokenHeader::Bearer {
                headers.push(("x-github-api-version", "2022-11-28".to_owned()));
            }
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credential_goes_to_its_origin_only() {
        let mut r = Resolution::plain("github", "t".into(), Location::Url("x".into()));
        r.credential_origin = Some("https://api.github.com:443".into());
        let token = Token {
            value: "secret".into(),
            source: "GITHUB_TOKEN".into(),
            header: TokenHeader::Bearer,
        };
        let api = r.headers_for(
            "https://api.github.com/repos/o/r/releases/assets/1",
            Some(&token),
        );
        assert!(api
            .iter()
            .any(|(k, v)| *k == "authorization" && v == "Bearer secret"));
        for elsewhere in [
            "https://objects.githubusercontent.com/x",
            "http://api.github.com/x",
            "https://api.github.com.evil.test/x",
        ] {
            let h = r.headers_for(elsewhere, Some(&token));
            assert!(
                h.iter().all(|(k, _)| *k != "authorization"),
                "{elsewhere}: {h:?}"
            );
        }
        r.credential_origin = None;
        assert!(r
            .headers_for("https://api.github.com/x", Some(&token))
            .is_empty());
    }
}

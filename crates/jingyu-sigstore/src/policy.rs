//! `Policy`: who must have signed. Fulcio certificates name the OIDC
//! issuer, the source repository and (as a URI SAN) the workflow; the
//! policy pins them to the release's repository unless the user names
//! other signers.

use crate::cert::Cert;
use crate::error::Error;

/// GitHub Actions' OIDC issuer, the default.
pub const GITHUB_ACTIONS: &str = "https://token.actions.githubusercontent.com";

/// The identity a certificate must carry.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The OIDC issuer, exactly.
    pub issuer: String,
    /// The release's repository as a URL: `https://github.com/owner/repo`.
    pub repository: String,
    /// `owner/repo` names, or globs (`*` matches any run of characters) of
    /// the SAN: a workflow URI, or an e-mail address; empty means the
    /// release's repository.
    pub signers: Vec<String>,
}

/// The identity that passed: the certificate's SAN and issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub san: String,
    pub issuer: String,
}

/// `*` matches any run of characters, everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

impl Policy {
    fn origin(&self) -> &str {
        let after_scheme = self.repository.find("://").map_or(0, |i| i + 3);
        let end = self.repository[after_scheme..]
            .find('/')
            .map_or(self.repository.len(), |i| after_scheme + i);
        &self.repository[..end]
    }

    /// Checks the leaf's issuer and identity.
    pub(crate) fn check(&self, leaf: &Cert<'_>) -> Result<Identity, Error> {
        let issuer = leaf
            .fulcio(8)
            .or_else(|| leaf.fulcio(1))
            .ok_or_else(|| Error::Identity("the certificate names no OIDC issuer".to_owned()))?;
        let san = leaf.sans().into_iter().next().unwrap_or_default();
        if issuer != self.issuer {
            return Err(Error::Identity(format!(
                "issued to an identity from {issuer}, expected {} (set --signer-issuer for another)",
                self.issuer
            )));
        }
        let source = leaf.fulcio(12).or_else(|| {
            leaf.fulcio(5)
                .map(|repo| format!("{}/{repo}", self.origin()))
        });
        let repository_is = |url: &str| {
            source
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(url))
        };
        let passed = if self.signers.is_empty() {
            repository_is(&self.repository)
        } else {
            self.signers.iter().any(|signer| {
                // A URI or an e-mail address is the SAN; else a repository.
                if signer.contains("://") || signer.contains('@') {
                    glob(signer, &san)
                } else {
                    repository_is(&format!("{}/{signer}", self.origin()))
                }
            })
        };
        if passed {
            Ok(Identity { san, issuer })
        } else {
            let wanted = if self.signers.is_empty() {
                self.repository.clone()
            } else {
                self.signers.join(" or ")
            };
            Err(Error::Identity(format!(
                "signed by {san} (repository {}), expected {wanted} (set --signer to trust another)",
                source.as_deref().unwrap_or("unnamed")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_runs_of_any_characters() {
        let uri = "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.4.0";
        assert!(glob(
            "https://github.com/o/r/.github/workflows/release.yml@refs/tags/*",
            uri
        ));
        assert!(glob(
            "https://github.com/o/*/.github/workflows/*@refs/tags/v*",
            uri
        ));
        assert!(glob(uri, uri));
        assert!(!glob(
            "https://github.com/o/r/.github/workflows/build.yml@*",
            uri
        ));
        assert!(!glob("https://github.com/o/r", uri));
        assert!(!glob("*v1.4", uri));
        assert!(glob("*v1.4.0", uri));
    }

    #[test]
    fn origin_is_the_scheme_and_host() {
        let p = Policy {
            issuer: GITHUB_ACTIONS.to_owned(),
            repository: "https://ghe.example/o/r".to_owned(),
            signers: Vec::new(),
        };
        assert_eq!(p.origin(), "https://ghe.example");
    }
}

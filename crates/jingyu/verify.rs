//! Where the expected sha256 comes from and whether the download matches it.
//! Sources, strongest first: `--verify-sha256`, then the release API's `digest`
//! field. Every source present is checked; all must agree with the download.

use jingyu_fetch::Sha256;

use crate::error::Error;

/// An expected digest and where it came from (for messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Expected {
    pub(crate) sha256: Sha256,
    pub(crate) from: &'static str,
}

/// The expectations that apply to a download.
pub(crate) fn expectations(flag: Option<Sha256>, api_digest: Option<&str>) -> Vec<Expected> {
    let mut out = Vec::new();
    if let Some(sha256) = flag {
        out.push(Expected {
            sha256,
            from: "--verify-sha256",
        });
    }
    // The API gives `sha256:<hex>`; other algorithms are not ours to check.
    if let Some(sha256) = api_digest
        .filter(|d| d.starts_with("sha256:"))
        .and_then(Sha256::parse)
    {
        out.push(Expected {
            sha256,
            from: "the release's digest",
        });
    }
    out
}

/// Checks `actual` against every expectation. `Ok(Some(what))` names what
/// verified it; `Ok(None)` means there was nothing to check against.
pub(crate) fn check(
    asset: &str,
    actual: Sha256,
    expected: &[Expected],
) -> Result<Option<String>, Error> {
    if let Some(bad) = expected.iter().find(|e| e.sha256 != actual) {
        return Err(Error::Mismatch {
            asset: asset.to_owned(),
            expected: bad.sha256,
            actual,
            from: bad.from.to_owned(),
        });
    }
    let sources: Vec<&str> = expected.iter().map(|e| e.from).collect();
    Ok((!sources.is_empty()).then(|| sources.join(" and ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_must_agree() {
        let good = Sha256::of(b"good");
        let bad = Sha256::of(b"bad");
        let api = format!("sha256:{good}");
        let both = expectations(Some(good), Some(&api));
        assert_eq!(
            check("a", good, &both).unwrap().as_deref(),
            Some("--verify-sha256 and the release's digest")
        );
        let disagree = expectations(Some(bad), Some(&api));
        let err = check("a", good, &disagree).unwrap_err();
        assert!(matches!(err, Error::Mismatch { from, .. } if from == "--verify-sha256"));
        assert_eq!(check("a", good, &[]).unwrap(), None);
    }

    #[test]
    fn ignores_other_digest_algorithms() {
        assert!(expectations(None, Some("sha512:abcd")).is_empty());
    }
}

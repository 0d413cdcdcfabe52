//! Where the expected sha256 comes from and whether the download matches it.
//! Sources, strongest first: `--verify-sha256`; the release API's `digest`
//! field; a sidecar asset (`NAME.sha256` …); a checksums file in the release
//! (`checksums.txt`, `SHA256SUMS` …). Every source present is checked and all
//! must agree with the download. The first two are [`known`] at once; each
//! file is fetched by [`from_file`], which `run.rs` calls beside the asset's
//! download, every file at once.

use jingyu_fetch::{Agent, Sha256};
use jingyu_forge::{Digest, Resolution, Token};
use jingyu_pick::{sha256_for, ChecksumKind};

use crate::error::Error;
use crate::report::Reporter;

/// An expected digest and where it came from (for messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Expected {
    pub(crate) sha256: Sha256,
    pub(crate) from: String,
    /// The release file that listed it, and that file's own sha256 (what a
    /// Sigstore bundle of the file signs).
    pub(crate) listed_in: Option<(String, Sha256)>,
}

/// A release file that may vouch for the asset, and how to fetch it (owned,
/// so it can be fetched on another thread while the asset downloads).
pub(crate) struct ChecksumFile {
    name: String,
    kind: ChecksumKind,
    url: String,
    headers: Vec<(&'static str, String)>,
}

/// Checksum files are small; anything bigger is not one.
const CHECKSUM_FILE_LIMIT: u64 = 4 << 20;

/// Every expectation, the files fetched now (for `jingyu lock`, which
/// downloads nothing else).
pub(crate) fn gather(
    agent: &Agent,
    res: &Resolution,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Vec<Expected>, Error> {
    let mut out = known(res, None);
    out.extend(from_files(
        agent,
        &res.asset,
        &checksum_files(res, token),
        rep,
    )?);
    Ok(out)
}

/// The expectations known without a request: the flag, the API digest and a
/// lock's pin.
pub(crate) fn known(res: &Resolution, flag: Option<Sha256>) -> Vec<Expected> {
    let mut out = expectations(flag, res.api_digest());
    out.extend(res.digests.iter().filter_map(|d| match d {
        Digest::Pinned { sha256, from } => Sha256::parse(sha256).map(|sha256| Expected {
            sha256,
            from: from.clone(),
            listed_in: None,
        }),
        _ => None,
    }));
    out
}

/// The release's checksum files for the asset, each with the headers its URL
/// may receive (the token only where the resolution allows it).
pub(crate) fn checksum_files(res: &Resolution, token: Option<&Token>) -> Vec<ChecksumFile> {
    res.digests
        .iter()
        .filter_map(|d| match d {
            Digest::File { name, kind, url } => Some(ChecksumFile {
                name: name.clone(),
                kind: *kind,
                url: url.clone(),
                headers: res.headers_for(url, token),
            }),
            _ => None,
        })
        .collect()
}

/// What each checksum file says about `asset`, one after the other.
pub(crate) fn from_files(
    agent: &Agent,
    asset: &str,
    files: &[ChecksumFile],
    rep: &Reporter,
) -> Result<Vec<Expected>, Error> {
    let mut out = Vec::new();
    for file in files {
        out.extend(from_file(agent, asset, file, rep)?);
    }
    Ok(out)
}

/// What one checksum file says about `asset`. A sidecar that names no sha256
/// for it is an error; a checksums file that lists other assets only is not.
pub(crate) fn from_file(
    agent: &Agent,
    asset: &str,
    file: &ChecksumFile,
    rep: &Reporter,
) -> Result<Vec<Expected>, Error> {
    let text = fetch_text(agent, file)?;
    let file_sha256 = Sha256::of(text.as_bytes());
    let listed = sha256_for(&text, asset);
    match (listed.is_empty(), file.kind) {
        (false, _) => {}
        (true, ChecksumKind::Sums) => {
            rep.detail(&format!("`{}` lists no sha256 for `{asset}`", file.name));
        }
        (true, ChecksumKind::Sidecar) => {
            return Err(Error::BadChecksumFile {
                file: file.name.clone(),
                asset: asset.to_owned(),
            })
        }
    }
    // Each entry must match: a file listing two hashes for the asset
    // contradicts itself and fails whatever was downloaded.
    Ok(listed
        .iter()
        .filter_map(|hex| Sha256::parse(hex))
        .map(|sha256| Expected {
            sha256,
            from: format!("`{}`", file.name),
            listed_in: Some((file.name.clone(), file_sha256)),
        })
        .collect())
}

fn fetch_text(agent: &Agent, file: &ChecksumFile) -> Result<String, Error> {
    match fetch_small(agent, &file.url, &file.headers)? {
        Ok(text) => Ok(text),
        Err(code) => Err(Error::Fetch(jingyu_fetch::FetchError::Status {
            url: file.url.clone(),
            code,
        })),
    }
}

/// A small release file's text, or the status it was answered with.
pub(crate) fn fetch_small(
    agent: &Agent,
    url: &str,
    headers: &[(&'static str, String)],
) -> Result<Result<String, u16>, Error> {
    match get_ok(agent, url, headers)? {
        Ok(resp) => Ok(Ok(resp.text(CHECKSUM_FILE_LIMIT)?)),
        Err(status) => Ok(Err(status)),
    }
}

/// A GET of a release file (or a signature's): the answer if it is a 200,
/// else its status.
pub(crate) fn get_ok(
    agent: &Agent,
    url: &str,
    headers: &[(&'static str, String)],
) -> Result<Result<jingyu_fetch::Response, u16>, Error> {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = agent.get(url, &headers)?;
    Ok(if resp.status == 200 {
        Ok(resp)
    } else {
        Err(resp.status)
    })
}

/// The expectations that need no download: the flag and the API's digest.
pub(crate) fn expectations(flag: Option<Sha256>, api_digest: Option<&str>) -> Vec<Expected> {
    let mut out = Vec::new();
    if let Some(sha256) = flag {
        out.push(Expected {
            sha256,
            from: "--verify-sha256".to_owned(),
            listed_in: None,
        });
    }
    // The API gives `sha256:<hex>`; other algorithms are not ours to check.
    if let Some(sha256) = api_digest
        .filter(|d| d.starts_with("sha256:"))
        .and_then(Sha256::parse)
    {
        out.push(Expected {
            sha256,
            from: "the release's digest".to_owned(),
            listed_in: None,
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
            from: bad.from.clone(),
        });
    }
    let sources: Vec<&str> = expected.iter().map(|e| e.from.as_str()).collect();
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

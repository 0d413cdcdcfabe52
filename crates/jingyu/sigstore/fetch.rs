//! Fetching what may sign a download: the release's bundle files and
//! keyless pairs, beside the asset; the forge's attestations of its digest;
//! the keyless pairs' log entries, once the digests are known.

use std::thread::{Scope, ScopedJoinHandle};

use jingyu_fetch::{Agent, Sha256};
use jingyu_forge::{Attestation, Forge, Resolution, Token};
use jingyu_sigstore::{snappy, TrustedRoot};

use super::{
    attestations_possible, checked_files, digest_of, trusted_roots, Bundle, Source, BUNDLE_LIMIT,
};
use crate::error::Error;
use crate::plan::{Plan, Target};
use crate::verify::Expected;

/// The bundles fetched, and the digest whose attestations are among them.
type Fetched = Result<(Vec<Bundle>, Option<Sha256>), Error>;

/// Bundles being fetched while the asset downloads.
pub(crate) struct Pending<'scope> {
    handle: Option<ScopedJoinHandle<'scope, Fetched>>,
    /// Whether attestations are looked up.
    attest: bool,
}

/// Starts fetching the release's bundles and, when the API gave the
/// digest, its attestations.
pub(crate) fn start<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    plan: &'env Plan,
    res: &Resolution,
    agent: Option<&'env Agent>,
    token: Option<&Token>,
) -> Pending<'scope> {
    let Some(agent) = agent else {
        return Pending {
            handle: None,
            attest: false,
        };
    };
    let (res, token) = (res.clone(), token.cloned());
    let known = res.api_digest().and_then(Sha256::parse);
    let attest = attestations_possible(plan, &res);
    let handle = scope.spawn(move || {
        let mut bundles = fetch_files(plan, agent, &res, token.as_ref())?;
        if let (Some(sha256), true) = (known, attest) {
            bundles.extend(fetch_attestations(plan, agent, token.as_ref(), &sha256)?);
        }
        Ok((bundles, known))
    });
    Pending {
        handle: Some(handle),
        attest,
    }
}

impl Pending<'_> {
    /// The bundles, with the attestations of `sha256` (fetched now, when
    /// the digest was not known before the download), and the keyless
    /// signatures' log entries looked up.
    pub(crate) fn finish(
        self,
        plan: &Plan,
        res: &Resolution,
        agent: Option<&Agent>,
        token: Option<&Token>,
        sha256: &Sha256,
        expected: &[Expected],
    ) -> Result<Vec<Bundle>, Error> {
        let Some(handle) = self.handle else {
            return Ok(Vec::new());
        };
        let (mut bundles, looked_up) = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        if let (Some(agent), true) = (agent, self.attest && looked_up.as_ref() != Some(sha256)) {
            bundles.extend(fetch_attestations(plan, agent, token, sha256)?);
        }
        if let Some(agent) = agent {
            from_the_log(plan, res, agent, &mut bundles, sha256, expected)?;
        }
        Ok(bundles)
    }
}

/// Makes each keyless signature's bundle from its log entry.
pub(super) fn from_the_log(
    plan: &Plan,
    res: &Resolution,
    agent: &Agent,
    bundles: &mut [Bundle],
    sha256: &Sha256,
    expected: &[Expected],
) -> Result<(), Error> {
    if bundles.iter().all(|b| b.keyless.is_none()) {
        return Ok(());
    }
    let logs: Vec<String> = trusted_roots(plan)?
        .iter()
        .flat_map(TrustedRoot::log_urls)
        .collect();
    for bundle in bundles.iter_mut() {
        let (Some((signature, certificate)), Source::File { signs, .. }) =
            (&bundle.keyless, &bundle.source)
        else {
            continue;
        };
        if let Some(digest) = digest_of(res, signs, sha256, expected) {
            bundle.json = crate::keyless::bundle(agent, &logs, &digest, signature, certificate);
        }
    }
    Ok(())
}

fn fetch_bytes(
    agent: &Agent,
    url: &str,
    headers: &[(&'static str, String)],
) -> Result<Option<Vec<u8>>, Error> {
    match crate::verify::get_ok(agent, url, headers)? {
        Ok(resp) => Ok(Some(resp.bytes(BUNDLE_LIMIT)?)),
        Err(_) => Ok(None),
    }
}

/// The release's bundle files (one that answers other than 200 is absent).
pub(super) fn fetch_files(
    plan: &Plan,
    agent: &Agent,
    res: &Resolution,
    token: Option<&Token>,
) -> Result<Vec<Bundle>, Error> {
    let mut out = Vec::new();
    for file in checked_files(plan, res) {
        let fetch = |url: &str| fetch_bytes(agent, url, &res.headers_for(url, token));
        if let Some(bytes) = fetch(&file.url)? {
            let name = &file.name;
            let (json, keyless) = match &file.certificate {
                None => (Ok(bytes), None),
                Some(pem) => match keyless_pair(&bytes, fetch(pem)?) {
                    Some(pair) => (
                        Err(format!("`{name}`'s log entry was not looked up")),
                        Some(pair),
                    ),
                    None => (
                        Err(format!(
                            "`{name}` and its .pem are not a cosign signature and certificate"
                        )),
                        None,
                    ),
                },
            };
            out.push(Bundle {
                source: Source::File {
                    name: name.clone(),
                    signs: file.signs.clone(),
                },
                json,
                keyless,
            });
        }
    }
    Ok(out)
}

/// A keyless signature (`X.sig`, base64) and its certificate (`X.pem`),
/// when both read.
fn keyless_pair(signature: &[u8], pem: Option<Vec<u8>>) -> Option<(String, Vec<u8>)> {
    let signature = String::from_utf8(signature.to_vec()).ok()?;
    let certificate = pem
        .and_then(|p| String::from_utf8(p).ok())
        .and_then(|p| crate::keyless::certificate(&p));
    Some((signature.trim().to_owned(), certificate?))
}

/// The forge's attestations of `sha256`, when the plan asks for signatures.
pub(super) fn fetch_attestations(
    plan: &Plan,
    agent: &Agent,
    token: Option<&Token>,
    sha256: &Sha256,
) -> Result<Vec<Bundle>, Error> {
    let Target::Repo(repo, site) = &plan.target else {
        return Ok(Vec::new());
    };
    let forge = Forge::new(agent, site.clone(), token.cloned());
    let mut out = Vec::new();
    for found in forge.attestations(repo, &sha256.to_string())? {
        let json = match found {
            Attestation::Bundle(json) => Ok(json),
            // Blob storage is not the API: no token goes there.
            Attestation::Url(url) => {
                let Some(bytes) = fetch_bytes(agent, &url, &[])? else {
                    continue;
                };
                let path = url.split(['?', '#']).next().unwrap_or_default();
                if path.to_ascii_lowercase().ends_with(".json.sn") {
                    let limit = usize::try_from(BUNDLE_LIMIT).expect("small");
                    snappy::decompress(&bytes, limit)
                        .map_err(|e| format!("the attestation at {url}: {e}"))
                } else {
                    Ok(bytes)
                }
            }
        };
        out.push(Bundle {
            source: Source::Attestation,
            json,
            keyless: None,
        });
    }
    Ok(out)
}

//! Sigstore for one download: the release's bundles (`ASSET.sigstore.json`,
//! `.sigstore`, `.bundle`, and those of a checksums file that lists the
//! asset) fetched beside the asset, and, when signatures are asked for,
//! GitHub's artifact attestations of its digest; each verified offline by
//! `jingyu-sigstore` against the trusted root, with the signer pinned to
//! the release's repository unless `--signer` names others. A bundle that
//! is there and does not verify fails the install (exit 5).

use std::fs;
use std::thread::{Scope, ScopedJoinHandle};

use jingyu_fetch::{Agent, Sha256};
use jingyu_forge::{Attestation, Forge, Resolution, Token};
use jingyu_sigstore::{snappy, Digests, Policy, TrustedRoot, Verified};

use crate::error::Error;
use crate::plan::{Plan, Target};
use crate::report::Reporter;
use crate::verify::Expected;

/// The most a bundle, an attestation list or a decompressed bundle may be.
const BUNDLE_LIMIT: u64 = 4 << 20;

/// A bundle fetched for the download, and what it signs.
pub(crate) struct Bundle {
    source: Source,
    /// Its JSON, or why it could not be read (a bad Snappy stream, a
    /// keyless signature whose log entry was not found).
    json: Result<Vec<u8>, String>,
    /// A keyless `X.sig` + `X.pem`: the signature (base64) and the
    /// certificate (DER), its bundle still to be made from the log.
    keyless: Option<(String, Vec<u8>)>,
}

enum Source {
    /// A release file signing `signs` (the asset or a checksums file).
    File { name: String, signs: String },
    /// An attestation from the forge's API.
    Attestation,
}

/// Whether attestations will be looked up for `res`: signatures were asked
/// for, and it is a release on GitHub (which keeps them), resolved now (a
/// locked install makes no API call).
pub(crate) fn attestations_possible(plan: &Plan, res: &Resolution) -> bool {
    plan.signing.asks_sigstore()
        && res.forge == jingyu_forge::Kind::GitHub.id()
        && !res.locked()
        && matches!(&plan.target, Target::Repo(..))
}

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
        let mut bundles = fetch_files(agent, &res, token.as_ref())?;
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

/// The digest of the release file `signs`: the download's, or the one a
/// checksums file had when fetched; `None` for a checksums file that does
/// not list the asset (its signature cannot vouch for it).
fn digest_of(
    res: &Resolution,
    signs: &str,
    sha256: &Sha256,
    expected: &[Expected],
) -> Option<Sha256> {
    if signs == res.asset {
        return Some(*sha256);
    }
    expected
        .iter()
        .find_map(|e| e.listed_in.as_ref().filter(|(n, _)| n == signs))
        .map(|(_, d)| *d)
}

/// Makes each keyless signature's bundle from its log entry.
fn from_the_log(
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
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = agent.get(url, &headers)?;
    if resp.status != 200 {
        return Ok(None);
    }
    Ok(Some(resp.bytes(BUNDLE_LIMIT)?))
}

/// The release's bundle files (one that answers other than 200 is absent).
fn fetch_files(
    agent: &Agent,
    res: &Resolution,
    token: Option<&Token>,
) -> Result<Vec<Bundle>, Error> {
    let mut out = Vec::new();
    for file in &res.bundles {
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
fn fetch_attestations(
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

/// At `jingyu lock`: the Sigstore signer of the bytes with this `sha256`
/// (the release's bundles; attestations when asked), verified as an
/// install would, for the lock to record.
pub(crate) fn at_lock(
    plan: &Plan,
    res: &Resolution,
    agent: &Agent,
    token: Option<&Token>,
    sha256: &Sha256,
    expected: &[Expected],
    rep: &Reporter,
) -> Result<Option<String>, Error> {
    let mut bundles = fetch_files(agent, res, token)?;
    if attestations_possible(plan, res) {
        bundles.extend(fetch_attestations(plan, agent, token, sha256)?);
    }
    from_the_log(plan, res, agent, &mut bundles, sha256, expected)?;
    let signed = check(plan, res, &bundles, (sha256, None), expected, rep)?;
    Ok((!signed.is_empty()).then(|| signed.join(" and ")))
}

/// Whether the download should be hashed with sha512 too: a bundle or an
/// attestation may name the asset by it alone (npm-style provenance).
pub(crate) fn wants_sha512(plan: &Plan, res: &Resolution) -> bool {
    res.bundles.iter().any(|b| b.signs == res.asset) || attestations_possible(plan, res)
}

/// The trusted roots: `--trusted-root`'s file, else the compiled-in ones
/// (Sigstore's public-good instance and GitHub's).
fn trusted_roots(plan: &Plan) -> Result<Vec<TrustedRoot>, Error> {
    let Some(path) = &plan.signing.trusted_root else {
        return Ok(vec![TrustedRoot::public_good(), TrustedRoot::github()]);
    };
    let text = fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("--trusted-root `{path}` cannot be read: {e}")))?;
    TrustedRoot::from_json(&text)
        .map(|root| vec![root])
        .map_err(|e| Error::Usage(format!("--trusted-root `{path}`: {e}")))
}

fn policy(plan: &Plan, res: &Resolution) -> Result<Policy, Error> {
    let signing = &plan.signing;
    let repository = match (&res.repository_url, signing.signers.is_empty()) {
        (Some(url), _) => url.clone(),
        (None, false) => String::new(),
        (None, true) => {
            return Err(Error::Signature {
                asset: res.asset.clone(),
                why: "it has no repository to pin the signer to: give --signer".to_owned(),
            })
        }
    };
    Ok(Policy {
        issuer: signing.signer_issuer.clone(),
        repository,
        signers: signing.signers.clone(),
    })
}

fn said(v: &Verified) -> String {
    match v.log_index {
        Some(index) => format!("by {}, Rekor #{index}", v.identity.san),
        None => format!(
            "by {}, timestamped {}",
            v.identity.san,
            jingyu_sigstore::time::show(v.time)
        ),
    }
}

/// What one check needs: the trust, the signer and the download.
struct Checker<'a> {
    roots: Vec<TrustedRoot>,
    policy: Policy,
    res: &'a Resolution,
    sha256: &'a Sha256,
    /// The download's sha512, when it was computed ([`wants_sha512`]).
    sha512: Option<&'a [u8; 64]>,
    expected: &'a [Expected],
}

impl Checker<'_> {
    fn fail(&self, why: String) -> Error {
        Error::Signature {
            asset: self.res.asset.clone(),
            why,
        }
    }

    /// `sha256` is the download's, or a checksums file's (whose sha512
    /// is not known).
    fn verify(&self, json: &Result<Vec<u8>, String>, sha256: &Sha256) -> Result<Verified, String> {
        let json = json.as_deref().map_err(Clone::clone)?;
        let digests = Digests {
            sha256: *sha256.as_bytes(),
            sha512: self
                .sha512
                .filter(|_| sha256 == self.sha256)
                .map(|d| d.to_vec()),
        };
        jingyu_sigstore::verify(json, &self.roots, &digests, &self.policy)
            .map_err(|e| e.to_string())
    }

    /// A release file's bundle: of the asset, or of a checksums file whose
    /// listing of the asset the download matched. `None` when the file
    /// signed does not list the asset.
    fn file(
        &self,
        bundle: &Bundle,
        name: &str,
        signs: &str,
        rep: &Reporter,
    ) -> Result<Option<String>, Error> {
        let Some(digest) = digest_of(self.res, signs, self.sha256, self.expected) else {
            rep.detail(&format!(
                "`{signs}` lists no sha256 for `{}`, so `{name}` cannot vouch for it",
                self.res.asset
            ));
            return Ok(None);
        };
        let of = if signs == self.res.asset {
            String::new()
        } else {
            format!(" of `{signs}`")
        };
        let what = if bundle.keyless.is_some() {
            "keyless signature"
        } else {
            "Sigstore bundle"
        };
        let v = self
            .verify(&bundle.json, &digest)
            .map_err(|e| self.fail(format!("the {what} `{name}` does not verify: {e}")))?;
        Ok(Some(format!("{what} `{name}`{of} {}", said(&v))))
    }

    /// The attestations: one that verifies is enough (a repository may hold
    /// others, by other workflows); none that does fails.
    fn attestations(&self, found: &[&Bundle]) -> Result<Option<String>, Error> {
        let mut errors = Vec::new();
        for bundle in found {
            match self.verify(&bundle.json, self.sha256) {
                Ok(v) => return Ok(Some(format!("attestation {}", said(&v)))),
                Err(e) => errors.push(e),
            }
        }
        match errors.first() {
            Some(first) => Err(self.fail(format!(
                "{} attestation(s) of sha256 {}, none verifies: {first}",
                errors.len(),
                self.sha256
            ))),
            None => Ok(None),
        }
    }
}

/// Verifies every bundle for the download (`sha256`; `expected` holds what
/// the checksums files said, and their own digests). Returns what verified
/// it; a bundle file that fails, or attestations none of which verifies,
/// is an error.
pub(crate) fn check(
    plan: &Plan,
    res: &Resolution,
    bundles: &[Bundle],
    (sha256, sha512): (&Sha256, Option<&[u8; 64]>),
    expected: &[Expected],
    rep: &Reporter,
) -> Result<Vec<String>, Error> {
    if bundles.is_empty() {
        if plan.signing.asks_sigstore() && res.locked_signer.is_none() {
            rep.warn(&format!(
                "no Sigstore bundle or attestation was found for `{}`: it is not Sigstore-verified",
                res.asset
            ));
        }
        return Ok(Vec::new());
    }
    let checker = Checker {
        roots: trusted_roots(plan)?,
        policy: policy(plan, res)?,
        res,
        sha256,
        sha512,
        expected,
    };
    let mut out = Vec::new();
    let mut attestations = Vec::new();
    for bundle in bundles {
        match &bundle.source {
            Source::File { name, signs } => out.extend(checker.file(bundle, name, signs, rep)?),
            Source::Attestation => attestations.push(bundle),
        }
    }
    out.extend(checker.attestations(&attestations)?);
    Ok(out)
}

//! Sigstore for one download: the release's bundles (`ASSET.sigstore.json`,
//! `.sigstore`, `.bundle`, and those of a checksums file that lists the
//! asset) fetched beside the asset, and, when signatures are asked for,
//! GitHub's artifact attestations of its digest; each verified offline by
//! `jingyu-sigstore` against the trusted root, with the signer pinned to
//! the release's repository unless `--signer` names others. A bundle that
//! is there and does not verify fails the install (exit 5).

use std::fs;

use jingyu_fetch::{Agent, Sha256};
use jingyu_forge::{BundleFile, Resolution, Token};
use jingyu_sigstore::{Digests, Policy, TrustedRoot, Verified};

use crate::error::Error;
use crate::plan::{Plan, Target};
use crate::report::Reporter;
use crate::verify::Expected;

mod fetch;
pub(crate) use fetch::start;
use fetch::{fetch_attestations, fetch_files, from_the_log};

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

/// The digest of the release file `signs`: the download's, or the one a
/// checksums file had when fetched; `None` for a checksums file that does
/// not list the asset (its signature cannot vouch for it).
pub(super) fn digest_of(
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
    let mut bundles = fetch_files(plan, agent, res, token)?;
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
    checked_files(plan, res).any(|b| b.signs == res.asset) || attestations_possible(plan, res)
}

/// The release's signature files that will be checked: every bundle, and
/// the keyless pairs when signatures are asked for (their log entry is
/// looked up online, at the log: not a request to make unasked).
pub(crate) fn checked_files<'a>(
    plan: &Plan,
    res: &'a Resolution,
) -> impl Iterator<Item = &'a BundleFile> {
    let keyless = plan.signing.asks_sigstore();
    res.bundles
        .iter()
        .filter(move |b| b.certificate.is_none() || keyless)
}

/// The trusted roots: `--trusted-root`'s file, else the compiled-in ones
/// (Sigstore's public-good instance and GitHub's).
pub(super) fn trusted_roots(plan: &Plan) -> Result<Vec<TrustedRoot>, Error> {
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

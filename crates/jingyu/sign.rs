//! Signatures: who made the bytes, beyond what the release says of them.
//! With `--minisign-key`, the release's `ASSET.minisig` (a direct URL's
//! `URL.minisig`) is checked as the download streams; with `--cosign-key`,
//! `ASSET.sig` (cosign's base64 ECDSA P-256 signature of the sha256) once the
//! download's digest is known. Both conclude before anything is installed.
//! Sigstore bundles and attestations are `sigstore.rs`'s; `--require-signed`
//! fails here, before the download, when nothing at all could verify it.

use std::fs;

use base64::Engine as _;
use jingyu_fetch::{Agent, Sha256};
use jingyu_forge::{Resolution, SignatureKind, Token};
use minisign_verify::{PublicKey, Signature, StreamVerifier};
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;

use crate::error::Error;
use crate::plan::Plan;
use crate::report::Reporter;
use crate::verify::fetch_small;

/// What the user asked of signatures (one plan's flags, variables or
/// manifest keys).
#[derive(Clone, Debug)]
pub(crate) struct Signing {
    /// `--require-signed`: fail unless a signature verifies the download.
    pub(crate) require_signed: bool,
    /// `--minisign-key`: a minisign public key, or the path of its file.
    pub(crate) minisign_key: Option<String>,
    /// `--cosign-key`: the path of a cosign public key.
    pub(crate) cosign_key: Option<String>,
    /// `--signer`: `owner/repo` names or workflow-URI globs.
    pub(crate) signers: Vec<String>,
    /// `--signer-issuer`: the OIDC issuer (GitHub Actions' by default).
    pub(crate) signer_issuer: String,
    /// `--trusted-root`: a `trusted_root.json` replacing the compiled-in one.
    pub(crate) trusted_root: Option<String>,
}

impl Signing {
    /// Whether Sigstore signatures were asked for, so the forge's
    /// attestations are looked up (one more request) and their absence is
    /// worth a warning.
    pub(crate) fn asks_sigstore(&self) -> bool {
        self.require_signed
            || !self.signers.is_empty()
            || self.signer_issuer != jingyu_sigstore::GITHUB_ACTIONS
            || self.trusted_root.is_some()
    }
}

/// The signatures the download will be checked with.
pub(crate) struct Signers {
    pub(crate) minisig: Option<Minisig>,
    pub(crate) cosign: Option<Cosign>,
}

/// A minisign signature of the asset and the key it must verify with.
pub(crate) struct Minisig {
    asset: String,
    key: PublicKey,
    signature: Signature,
    file: String,
    key_shown: String,
}

/// A cosign signature of the asset's sha256 and the key it must verify with.
pub(crate) struct Cosign {
    asset: String,
    key: p256::ecdsa::VerifyingKey,
    signature: p256::ecdsa::Signature,
    file: String,
    key_shown: String,
}

/// What the plan asks of signatures: those to check the download with, or
/// the reason the install must stop before downloading (a broken or foreign
/// signature; `--require-signed` with nothing that can verify). Fetches a
/// signature file only for a key given.
pub(crate) fn prepare(
    plan: &Plan,
    res: &Resolution,
    agent: Option<&Agent>,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Signers, Error> {
    // A bad key is the user's mistake, whatever the release holds.
    let minisign = plan
        .signing
        .minisign_key
        .as_deref()
        .map(minisign_key)
        .transpose()?;
    let cosign = plan
        .signing
        .cosign_key
        .as_deref()
        .map(cosign_key)
        .transpose()?;
    let fetch = |kind| fetch_signature(res, kind, agent, token);
    let minisig = match minisign {
        Some(key) => fetch(SignatureKind::Minisign)?
            .map(|(file, text)| Minisig::new(res, key, file, &text))
            .transpose()?,
        None => None,
    };
    let cosign = match cosign {
        Some(key) => fetch(SignatureKind::Cosign)?
            .map(|(file, text)| Cosign::new(res, key, file, &text))
            .transpose()?,
        None => None,
    };
    let refuse = |why: String| Error::Signature {
        asset: res.asset.clone(),
        why,
    };
    let keys = [
        (
            plan.signing.minisign_key.is_some(),
            minisig.is_some(),
            SignatureKind::Minisign,
        ),
        (
            plan.signing.cosign_key.is_some(),
            cosign.is_some(),
            SignatureKind::Cosign,
        ),
    ];
    let missing: Vec<String> = keys
        .iter()
        .filter(|(key, found, _)| *key && !*found)
        .map(|(_, _, kind)| format!("`{}{}`", res.asset, kind.suffix()))
        .collect();
    let sigstore_may = crate::sigstore::checked_files(plan, res).next().is_some()
        || res.locked_signer.is_some()
        || crate::sigstore::attestations_possible(plan, res);
    if plan.signing.require_signed && minisig.is_none() && cosign.is_none() && !sigstore_may {
        return Err(refuse(if missing.is_empty() {
            "--require-signed, and nothing can verify it: the release has no Sigstore bundle (ASSET.sigstore.json), its forge keeps no attestations, and no --minisign-key or --cosign-key was given".to_owned()
        } else {
            format!(
                "--require-signed, and no {} was found beside it",
                missing.join(" or ")
            )
        }));
    }
    for name in &missing {
        rep.warn(&format!(
            "no {name} was found beside it: `{}` is not signature-checked with that key",
            res.asset
        ));
    }
    Ok(Signers { minisig, cosign })
}

/// `--require-signed` once every signature has had its say: at least one
/// (`signed`, what verified the download) must have verified it.
pub(crate) fn required(
    plan: &Plan,
    asset: &str,
    signed: &[String],
    sha256: &Sha256,
) -> Result<(), Error> {
    if plan.signing.require_signed && signed.is_empty() {
        return Err(Error::Signature {
            asset: asset.to_owned(),
            why: format!(
                "--require-signed, and no signature verified it: no Sigstore bundle beside it and no attestation of sha256 {sha256}"
            ),
        });
    }
    Ok(())
}

/// The signature file of `kind` and its text; `None` when there is none
/// (the release has no such asset, or the URL answers otherwise than 200).
fn fetch_signature(
    res: &Resolution,
    kind: SignatureKind,
    agent: Option<&Agent>,
    token: Option<&Token>,
) -> Result<Option<(String, String)>, Error> {
    let (Some(file), Some(agent)) = (res.signatures.iter().find(|s| s.kind == kind), agent) else {
        return Ok(None);
    };
    let text = fetch_small(agent, &file.url, &res.headers_for(&file.url, token))?.ok();
    Ok(text.map(|t| (file.name.clone(), t)))
}

impl Minisig {
    fn new(
        res: &Resolution,
        (key, key_shown): (PublicKey, String),
        file: String,
        text: &str,
    ) -> Result<Minisig, Error> {
        let signature = Signature::decode(text).map_err(|e| Error::Signature {
            asset: res.asset.clone(),
            why: format!("`{file}` is not a minisign signature: {e}"),
        })?;
        let found = Minisig {
            asset: res.asset.clone(),
            key,
            signature,
            file,
            key_shown,
        };
        // A foreign key or a legacy signature is known before the download.
        found.verifier()?;
        Ok(found)
    }

    /// A verifier the download's bytes are fed to as they stream.
    pub(crate) fn verifier(&self) -> Result<StreamVerifier<'_>, Error> {
        self.key
            .verify_stream(&self.signature)
            .map_err(|e| self.failed(&e))
    }

    /// Checks what the verifier was fed; says what verified it.
    pub(crate) fn conclude(&self, mut verifier: StreamVerifier<'_>) -> Result<String, Error> {
        verifier.finalize().map_err(|e| self.failed(&e))?;
        Ok(format!(
            "minisign `{}` by key {} (trusted comment: {})",
            self.file,
            self.key_shown,
            self.signature.trusted_comment()
        ))
    }

    fn failed(&self, e: &minisign_verify::Error) -> Error {
        let (file, key) = (&self.file, &self.key_shown);
        let why = match e {
            minisign_verify::Error::UnexpectedKeyId => {
                format!("`{file}` was made with another key than --minisign-key {key}")
            }
            minisign_verify::Error::UnsupportedLegacyMode => format!(
                "`{file}` is a legacy signature (minisign -l), which cannot be checked while streaming; sign without -l"
            ),
            other => format!("`{file}` does not verify with --minisign-key {key}: {other}"),
        };
        Error::Signature {
            asset: self.asset.clone(),
            why,
        }
    }
}

impl Cosign {
    fn new(
        res: &Resolution,
        (key, key_shown): (p256::ecdsa::VerifyingKey, String),
        file: String,
        text: &str,
    ) -> Result<Cosign, Error> {
        let bad = |why: String| Error::Signature {
            asset: res.asset.clone(),
            why,
        };
        let der = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| {
                bad(format!(
                    "`{file}` is not a cosign signature (base64 of an ECDSA signature)"
                ))
            })?;
        let signature = p256::ecdsa::Signature::from_der(&der)
            .map_err(|_| bad(format!("`{file}` holds no ECDSA P-256 signature")))?;
        Ok(Cosign {
            asset: res.asset.clone(),
            key,
            signature,
            file,
            key_shown,
        })
    }

    /// Checks the signature against the download's sha256; says what verified it.
    pub(crate) fn check(&self, sha256: &Sha256) -> Result<String, Error> {
        self.key
            .verify_prehash(sha256.as_bytes(), &self.signature)
            .map_err(|_| Error::Signature {
                asset: self.asset.clone(),
                why: format!(
                    "`{}` does not verify with --cosign-key {}: another key made it, or the bytes are not the ones signed",
                    self.file, self.key_shown
                ),
            })?;
        Ok(format!("cosign `{}` by key {}", self.file, self.key_shown))
    }
}

/// `--minisign-key`: the key itself (`RW…`), else the path of a minisign
/// `.pub` file; and how messages show it.
fn minisign_key(text: &str) -> Result<(PublicKey, String), Error> {
    let text = text.trim();
    let with_text = |key| (key, text.to_owned());
    if let Ok(key) = PublicKey::from_base64(text) {
        return Ok(with_text(key));
    }
    let bad = |why: String| Error::Usage(format!("--minisign-key `{text}` is {why}"));
    let contents = fs::read_to_string(text).map_err(|e| {
        bad(format!(
            "neither a minisign public key (RW…) nor a readable .pub file ({e})"
        ))
    })?;
    PublicKey::decode(&contents)
        .or_else(|_| PublicKey::from_base64(contents.trim()))
        .map(with_text)
        .map_err(|e| bad(format!("a file that holds no minisign public key: {e}")))
}

/// DER's `SubjectPublicKeyInfo` header of an EC P-256 key, before its 65-byte point.
const P256_SPKI: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// `--cosign-key FILE`: a PEM `PUBLIC KEY` (what `cosign generate-key-pair`
/// writes as `cosign.pub`), ECDSA P-256.
fn cosign_key(path: &str) -> Result<(p256::ecdsa::VerifyingKey, String), Error> {
    let path = path.trim();
    let bad = |why: &str| Error::Usage(format!("--cosign-key `{path}` {why}"));
    let pem = fs::read_to_string(path).map_err(|e| bad(&format!("cannot be read: {e}")))?;
    let der = jingyu_sigstore::pem_block(&pem, "PUBLIC KEY")
        .ok_or_else(|| bad("holds no PEM PUBLIC KEY block"))?;
    der.strip_prefix(&P256_SPKI[..])
        .and_then(|point| p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok())
        .map(|key| (key, path.to_owned()))
        .ok_or_else(|| bad("is not an ECDSA P-256 public key (cosign's)"))
}

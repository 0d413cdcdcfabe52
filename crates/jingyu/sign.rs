//! Signatures: who made the bytes, beyond what the release says of them. A
//! minisign signature (`ASSET.minisig` in the release, `URL.minisig` beside a
//! direct download) is checked against `--minisign-key` while the download
//! streams, before anything is installed; `--require-signed` fails unless one
//! verifies. Sigstore bundles, artifact attestations and cosign keys are not
//! verified yet: `--require-signed` says so rather than pass without them.

use std::fs;

use jingyu_fetch::Agent;
use jingyu_forge::{Resolution, Token};
use minisign_verify::{PublicKey, Signature, StreamVerifier};

use crate::error::Error;
use crate::plan::Plan;
use crate::report::Reporter;
use crate::verify::fetch_small;

/// A minisign signature of the asset and the key it must verify with.
pub(crate) struct Minisig {
    asset: String,
    key: PublicKey,
    signature: Signature,
    /// The signature file's name, for messages.
    file: String,
    /// The key as given (its text, or the file it came from), for messages.
    key_shown: String,
}

/// What the plan asks of signatures: the signature to check the download
/// with, `None` when there is none to check, or the reason the install must
/// stop (a broken or foreign signature; `--require-signed` with nothing to
/// verify). Makes one request, for the signature, only with a key.
pub(crate) fn prepare(
    plan: &Plan,
    res: &Resolution,
    agent: Option<&Agent>,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Option<Minisig>, Error> {
    let refuse = |why: String| Error::Signature {
        asset: res.asset.clone(),
        why,
    };
    let Some(key_text) = &plan.minisign_key else {
        if let Some(sig) = &res.minisig {
            rep.detail(&format!(
                "`{}` is there: --minisign-key checks it",
                sig.name
            ));
        }
        return if plan.require_signed {
            Err(refuse("--require-signed, and nothing to check a signature with: give --minisign-key (Sigstore bundles and attestations are not verified yet)".to_owned()))
        } else {
            Ok(None)
        };
    };
    let key = public_key(key_text)?;
    let text = match (&res.minisig, agent) {
        (Some(sig), Some(agent)) => {
            fetch_small(agent, &sig.url, &res.headers_for(&sig.url, token))?.ok()
        }
        _ => None,
    };
    let (Some(text), Some(sig)) = (text, &res.minisig) else {
        let missing = format!("no `{}.minisig` was found beside it", res.asset);
        if plan.require_signed {
            return Err(refuse(format!("--require-signed, and {missing}")));
        }
        rep.warn(&format!(
            "--minisign-key: {missing}: `{}` is not signature-checked",
            res.asset
        ));
        return Ok(None);
    };
    let signature = Signature::decode(&text)
        .map_err(|e| refuse(format!("`{}` is not a minisign signature: {e}", sig.name)))?;
    let found = Minisig {
        asset: res.asset.clone(),
        key,
        signature,
        file: sig.name.clone(),
        key_shown: key_text.trim().to_owned(),
    };
    // A foreign key or a legacy signature is known before the download.
    found.verifier()?;
    Ok(Some(found))
}

impl Minisig {
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
        let why = match e {
            minisign_verify::Error::UnexpectedKeyId => {
                format!("`{}` was made with another key than --minisign-key {}", self.file, self.key_shown)
            }
            minisign_verify::Error::UnsupportedLegacyMode => format!(
                "`{}` is a legacy signature (minisign -l), which cannot be checked while streaming; sign without -l",
                self.file
            ),
            other => format!("`{}` does not verify with --minisign-key {}: {other}", self.file, self.key_shown),
        };
        Error::Signature {
            asset: self.asset.clone(),
            why,
        }
    }
}

/// `--minisign-key`: the key itself (`RW…`), else the path of a minisign
/// `.pub` file.
fn public_key(text: &str) -> Result<PublicKey, Error> {
    let text = text.trim();
    if let Ok(key) = PublicKey::from_base64(text) {
        return Ok(key);
    }
    let bad = |why: String| Error::Usage(format!("--minisign-key `{text}` is {why}"));
    let contents = fs::read_to_string(text).map_err(|e| {
        bad(format!(
            "neither a minisign public key (RW…) nor a readable .pub file ({e})"
        ))
    })?;
    PublicKey::decode(&contents)
        .or_else(|_| PublicKey::from_base64(contents.trim()))
        .map_err(|e| bad(format!("a file that holds no minisign public key: {e}")))
}

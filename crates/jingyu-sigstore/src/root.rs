//! `TrustedRoot`: the Fulcio CAs, Rekor logs and CT logs a bundle may
//! chain to, read from a Sigstore `trusted_root.json` (media type
//! `application/vnd.dev.sigstore.trustedroot+json;version=0.1`). Sigstore's
//! public-good root is compiled in; a file given by the user replaces it.

use base64::Engine as _;
use serde::Deserialize;

use crate::cert::Cert;
use crate::error::Error;
use crate::key::PublicKey;
use crate::time;

/// Sigstore's public-good trusted root, as its TUF repository served it
/// (copied from sigstore-python 4.5.1; see the README to refresh it).
const PUBLIC_GOOD: &str = include_str!("../roots/public-good.json");

/// GitHub's instance, as its TUF repository (`tuf-repo.github.com`) served
/// it (copied from sigstore-rust's sigstore-trust-root 0.15.1).
const GITHUB: &str = include_str!("../roots/github.json");

/// A key of a transparency or certificate-transparency log, and when it
/// may be used.
#[derive(Clone, Debug)]
pub(crate) struct LogKey {
    pub(crate) id: Vec<u8>,
    pub(crate) key: PublicKey,
    pub(crate) base_url: String,
    valid: Validity,
}

/// A Fulcio CA: its chain (issuing certificate first) and when it issued.
#[derive(Clone, Debug)]
pub(crate) struct Authority {
    pub(crate) chain: Vec<Vec<u8>>,
    valid: Validity,
}

#[derive(Clone, Copy, Debug)]
struct Validity {
    start: i64,
    end: Option<i64>,
}

impl Validity {
    fn covers(self, when: i64) -> bool {
        self.start <= when && self.end.is_none_or(|end| when <= end)
    }
}

/// The trust a bundle is verified against.
#[derive(Clone, Debug)]
pub struct TrustedRoot {
    pub(crate) tlogs: Vec<LogKey>,
    pub(crate) ctlogs: Vec<LogKey>,
    pub(crate) authorities: Vec<Authority>,
    /// Timestamp authorities: each chain is the TSA's certificate first.
    pub(crate) timestamp_authorities: Vec<Authority>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RootJson {
    media_type: String,
    #[serde(default)]
    tlogs: Vec<LogJson>,
    #[serde(default)]
    ctlogs: Vec<LogJson>,
    #[serde(default)]
    certificate_authorities: Vec<AuthorityJson>,
    #[serde(default)]
    timestamp_authorities: Vec<AuthorityJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogJson {
    base_url: String,
    public_key: KeyJson,
    log_id: LogIdJson,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyJson {
    raw_bytes: String,
    valid_for: Option<ValidForJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogIdJson {
    key_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthorityJson {
    cert_chain: ChainJson,
    valid_for: Option<ValidForJson>,
}

#[derive(Deserialize)]
struct ChainJson {
    certificates: Vec<RawJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawJson {
    pub(crate) raw_bytes: String,
}

#[derive(Deserialize)]
struct ValidForJson {
    start: Option<String>,
    end: Option<String>,
}

pub(crate) fn b64(field: &str, text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| format!("{field} is not base64"))
}

impl TrustedRoot {
    /// Sigstore's public-good instance (Fulcio, Rekor v1 and v2, CT logs).
    pub fn public_good() -> TrustedRoot {
        TrustedRoot::from_json(PUBLIC_GOOD).expect("the compiled-in trusted root reads")
    }

    /// A `trusted_root.json`, checked now rather than at first use.
    pub fn from_json(text: &str) -> Result<TrustedRoot, Error> {
        let bad = Error::TrustedRoot;
        let json: RootJson = serde_json::from_str(text)
            .map_err(|e| bad(format!("not a Sigstore trusted_root.json ({e})")))?;
        if !json
            .media_type
            .starts_with("application/vnd.dev.sigstore.trustedroot")
        {
            return Err(bad(format!(
                "media type `{}`, expected application/vnd.dev.sigstore.trustedroot+json",
                json.media_type
            )));
        }
        // A log whose key is of a kind no bundle here is checked with (an
        // old CT log's PKCS#1 RSA key) is left out, as sigstore-python does.
        let logs = |list: Vec<LogJson>| -> Result<Vec<LogKey>, Error> {
            Ok(list.into_iter().filter_map(|l| log_key(l).ok()).collect())
        };
        let authorities = |list: Vec<AuthorityJson>| -> Result<Vec<Authority>, Error> {
            list.into_iter()
                .map(authority)
                .collect::<Result<_, _>>()
                .map_err(bad)
        };
        let timestamp_authorities = authorities(json.timestamp_authorities)?;
        let authorities = authorities(json.certificate_authorities)?;
        if authorities.is_empty() {
            return Err(bad("it names no certificate authority".to_owned()));
        }
        Ok(TrustedRoot {
            tlogs: logs(json.tlogs)?,
            ctlogs: logs(json.ctlogs)?,
            authorities,
            timestamp_authorities,
        })
    }

    /// GitHub's own Sigstore instance (its Fulcio and timestamp
    /// authority; no transparency or CT log), for private repositories'
    /// attestations.
    pub fn github() -> TrustedRoot {
        TrustedRoot::from_json(GITHUB).expect("the compiled-in GitHub root reads")
    }

    /// The transparency logs' URLs (where a log entry can be looked up).
    pub fn log_urls(&self) -> Vec<String> {
        self.tlogs.iter().map(|l| l.base_url.clone()).collect()
    }

    /// The chains of the timestamp authorities valid at `when`.
    pub(crate) fn timestamp_chains(&self, when: i64) -> impl Iterator<Item = &[Vec<u8>]> {
        self.timestamp_authorities
            .iter()
            .filter(move |a| a.covers(when))
            .map(|a| a.chain.as_slice())
    }

    /// The transparency log with this key id, if usable at `when`.
    pub(crate) fn tlog(&self, id: &[u8], when: i64) -> Option<&LogKey> {
        find(&self.tlogs, id, when)
    }

    /// The CT log with this key id, if usable at `when`.
    pub(crate) fn ctlog(&self, id: &[u8], when: i64) -> Option<&LogKey> {
        find(&self.ctlogs, id, when)
    }
}

impl Authority {
    /// Whether the CA was issuing at `when`.
    pub(crate) fn covers(&self, when: i64) -> bool {
        self.valid.covers(when)
    }
}

fn find<'a>(logs: &'a [LogKey], id: &[u8], when: i64) -> Option<&'a LogKey> {
    logs.iter().find(|l| l.id == id && l.valid.covers(when))
}

fn validity(field: &str, valid: Option<ValidForJson>) -> Result<Validity, String> {
    let at = |t: Option<String>| -> Result<Option<i64>, String> {
        t.map(|t| time::rfc3339(&t).ok_or_else(|| format!("{field} has a bad time `{t}`")))
            .transpose()
    };
    let valid = valid.unwrap_or(ValidForJson {
        start: None,
        end: None,
    });
    Ok(Validity {
        start: at(valid.start)?.unwrap_or(i64::MIN),
        end: at(valid.end)?,
    })
}

fn log_key(log: LogJson) -> Result<LogKey, String> {
    let field = format!("the log {}", log.base_url);
    let spki = b64(&field, &log.public_key.raw_bytes)?;
    let key = PublicKey::from_spki(&spki).map_err(|e| format!("{field}: {e}"))?;
    Ok(LogKey {
        id: b64(&field, &log.log_id.key_id)?,
        key,
        valid: validity(&field, log.public_key.valid_for)?,
        base_url: log.base_url,
    })
}

fn authority(ca: AuthorityJson) -> Result<Authority, String> {
    let field = "a certificate authority";
    let chain = ca
        .cert_chain
        .certificates
        .iter()
        .map(|c| {
            let der = b64(field, &c.raw_bytes)?;
            Cert::parse(&der).map_err(|e| format!("{field}: {e}"))?;
            Ok(der)
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Authority {
        chain,
        valid: validity(field, ca.valid_for)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_public_good_root() {
        let root = TrustedRoot::public_good();
        assert_eq!(root.tlogs.len(), 2);
        assert_eq!(root.ctlogs.len(), 2);
        assert_eq!(root.authorities.len(), 2);
        let rekor = &root.tlogs[0];
        assert_eq!(rekor.base_url, "https://rekor.sigstore.dev");
        // Rekor v1's log id is the sha256 of its key.
        assert_eq!(rekor.id, rekor.key.id());
        let started = time::rfc3339("2021-01-12T11:53:27Z").unwrap();
        assert!(root.tlog(&rekor.id, started).is_some());
        assert!(root.tlog(&rekor.id, started - 1).is_none());
        let ended = time::rfc3339("2023-01-01T00:00:00Z").unwrap();
        let issuing: Vec<_> = root
            .authorities
            .iter()
            .filter(|a| a.covers(ended))
            .collect();
        assert_eq!(issuing.len(), 1, "only the 2022 CA");
        assert_eq!(issuing[0].chain.len(), 2);
    }

    #[test]
    fn refuses_other_documents_naming_the_problem() {
        let err = TrustedRoot::from_json("{\"mediaType\":\"x\"}").unwrap_err();
        assert!(err.to_string().contains("media type `x`"), "{err}");
        let err = TrustedRoot::from_json("[]").unwrap_err();
        assert!(
            err.to_string().contains("not a Sigstore trusted_root.json"),
            "{err}"
        );
        let none = r#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}"#;
        let err = TrustedRoot::from_json(none).unwrap_err();
        assert!(
            err.to_string().contains("no certificate authority"),
            "{err}"
        );
    }
}

//! `jingyu.lock`: each tool's resolution per platform, written out (TOML,
//! sorted, stable across runs): tag, asset, URL, size, sha256 and where the
//! sha256 came from, or an explicit "none" with the reason. What it was made
//! from (the tool's deciding settings) is kept, so a stale lock is caught.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jingyu_fetch::origin;
use jingyu_forge::{Digest, Kind, Location, Resolution, SignatureFile, SignatureKind, Site};
use toml::de::{DeTable, DeValue};

use crate::error::Error;

/// The lock's format version.
const VERSION: i64 = 1;

/// One tool on one platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) tool: String,
    pub(crate) platform: String,
    /// The manifest settings it was resolved from.
    pub(crate) inputs: String,
    /// What to fetch, or why there is nothing.
    pub(crate) pin: Result<Pin, String>,
}

/// A pinned download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pin {
    /// The forge it was resolved on (`github`, `gitlab`, `gitea`); `None`
    /// for a URL.
    pub(crate) forge: Option<String>,
    pub(crate) tag: String,
    pub(crate) asset: String,
    pub(crate) url: String,
    pub(crate) size: Option<u64>,
    pub(crate) sha256: String,
    pub(crate) sha256_from: String,
    /// The origin that may receive the token (a private repository's API
    /// URL); never the token.
    pub(crate) credential_origin: Option<String>,
    /// Where the asset's minisign and cosign signatures are (a key checks
    /// each).
    pub(crate) minisig: Option<String>,
    pub(crate) cosign_sig: Option<String>,
    /// The Sigstore signer `jingyu lock` verified for these bytes (a
    /// bundle's or attestation's identity and log index).
    pub(crate) signed_by: Option<String>,
}

impl Pin {
    /// The resolution a locked install consumes: the URL, the pinned sha256,
    /// and the origin the token may go to (a private repository's API), if
    /// it is still the API of the tool's `site`: a lock never sends a token
    /// anywhere the forge's settings would not.
    pub(crate) fn resolution(&self, path: &Path, site: Option<&Site>) -> Resolution {
        let from = format!("{} ({})", path.display(), self.sha256_from);
        let api = site.and_then(|s| origin(&s.api));
        let forge = self
            .forge
            .as_deref()
            .and_then(Kind::parse)
            .map_or("lock", Kind::id);
        Resolution {
            tag: Some(self.tag.clone()),
            size: self.size,
            digests: vec![Digest::Pinned {
                sha256: self.sha256.clone(),
                from,
            }],
            credential_origin: self
                .credential_origin
                .clone()
                .filter(|o| api.as_ref() == Some(o)),
            signatures: [
                (SignatureKind::Minisign, &self.minisig),
                (SignatureKind::Cosign, &self.cosign_sig),
            ]
            .into_iter()
            .filter_map(|(kind, url)| {
                Some(SignatureFile {
                    kind,
                    name: format!("{}{}", self.asset, kind.suffix()),
                    url: url.clone()?,
                })
            })
            .collect(),
            locked_signer: self.signed_by.clone(),
            ..Resolution::plain(forge, self.asset.clone(), Location::Url(self.url.clone()))
        }
    }
}

/// The lock's text for `entries`, sorted by tool then platform.
pub(crate) fn render(entries: &[Entry]) -> String {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| (&a.tool, &a.platform).cmp(&(&b.tool, &b.platform)));
    let mut out = format!("# Written by `jingyu lock`; `jingyu install --locked` installs exactly this.\nversion = {VERSION}\n");
    for e in sorted {
        let _ = write!(
            out,
            "\n[[entry]]\ntool = {}\nplatform = {}\ninputs = {}\n",
            quote(&e.tool),
            quote(&e.platform),
            quote(&e.inputs)
        );
        match &e.pin {
            Ok(p) => {
                if let Some(forge) = &p.forge {
                    let _ = writeln!(out, "forge = {}", quote(forge));
                }
                let _ = write!(
                    out,
                    "tag = {}\nasset = {}\nurl = {}\n",
                    quote(&p.tag),
                    quote(&p.asset),
                    quote(&p.url)
                );
                if let Some(size) = p.size {
                    let _ = writeln!(out, "size = {size}");
                }
                let _ = write!(
                    out,
                    "sha256 = {}\nsha256_from = {}\n",
                    quote(&p.sha256),
                    quote(&p.sha256_from)
                );
                if let Some(origin) = &p.credential_origin {
                    let _ = writeln!(out, "credential_origin = {}", quote(origin));
                }
                let optional = [
                    ("minisig", &p.minisig),
                    ("cosign_sig", &p.cosign_sig),
                    ("signed_by", &p.signed_by),
                ];
                for (key, value) in optional {
                    if let Some(value) = value {
                        let _ = writeln!(out, "{key} = {}", quote(value));
                    }
                }
            }
            Err(why) => {
                let _ = writeln!(out, "none = {}", quote(why));
            }
        }
    }
    out
}

/// A TOML basic string (also a JSON string).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads a lock file.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Vec<Entry>, Error> {
    let bad = |msg: String| {
        Error::Usage(format!(
            "{}: {msg}; run `jingyu lock` to write it again",
            path.display()
        ))
    };
    let doc = DeTable::parse(text).map_err(|e| bad(e.message().trim_end().to_owned()))?;
    let top = doc.get_ref();
    let version = top.get("version").map(toml::Spanned::get_ref);
    if !matches!(version, Some(DeValue::Integer(v)) if v.as_str() == VERSION.to_string()) {
        return Err(bad(format!("not a version {VERSION} lock file")));
    }
    let Some(DeValue::Array(items)) = top.get("entry").map(toml::Spanned::get_ref) else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::Table(t) => entry(t).ok_or_else(|| {
                bad("an [[entry]] lacks a field or has one of the wrong type".to_owned())
            }),
            _ => Err(bad("`entry` must be a list of tables".to_owned())),
        })
        .collect()
}

fn entry(t: &DeTable<'_>) -> Option<Entry> {
    let text = |k: &str| match t.get(k).map(toml::Spanned::get_ref) {
        Some(DeValue::String(s)) => Some(s.to_string()),
        _ => None,
    };
    let pin = match text("none") {
        Some(why) => Err(why),
        None => Ok(Pin {
            forge: text("forge"),
            tag: text("tag")?,
            asset: text("asset")?,
            url: text("url")?,
            size: match t.get("size").map(toml::Spanned::get_ref) {
                Some(DeValue::Integer(i)) => i.as_str().parse().ok(),
                _ => None,
            },
            sha256: text("sha256")?,
            sha256_from: text("sha256_from")?,
            credential_origin: text("credential_origin"),
            minisig: text("minisig"),
            cosign_sig: text("cosign_sig"),
            signed_by: text("signed_by"),
        }),
    };
    Some(Entry {
        tool: text("tool")?,
        platform: text("platform")?,
        inputs: text("inputs").unwrap_or_default(),
        pin,
    })
}

/// The lock beside a manifest: `jingyu.toml` → `jingyu.lock`.
pub(crate) fn beside(manifest: &Path) -> PathBuf {
    manifest.with_extension("lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_reads_back_what_was_written_sorted_and_escaped() {
        let pin = Pin {
            forge: Some("gitlab".into()),
            tag: "v1".into(),
            asset: "t-linux-amd64.tar.gz".into(),
            url: "https://x.test/t?a=\"b\"".into(),
            size: Some(42),
            sha256: "ab".repeat(32),
            sha256_from: "the release's digest".into(),
            credential_origin: Some("https://api.github.com:443".into()),
            minisig: Some("https://x.test/t.minisig".into()),
            cosign_sig: None,
            signed_by: Some("attestation by https://github.com/o/t/.github/workflows/r.yml@refs/tags/v1, Rekor #7".into()),
        };
        let entries = vec![
            Entry {
                tool: "o/t".into(),
                platform: "linux/arm64".into(),
                inputs: "tag=v1".into(),
                pin: Err("no asset for linux/arm64".into()),
            },
            Entry {
                tool: "o/t".into(),
                platform: "linux/amd64".into(),
                inputs: "tag=v1".into(),
                pin: Ok(pin),
            },
        ];
        let text = render(&entries);
        assert_eq!(render(&entries), text, "stable");
        let back = parse(Path::new("jingyu.lock"), &text).unwrap();
        assert_eq!(back, [entries[1].clone(), entries[0].clone()]);
        assert!(text.find("linux/amd64").unwrap() < text.find("linux/arm64").unwrap());
    }

    #[test]
    fn a_damaged_lock_says_how_to_mend_it() {
        let err = parse(Path::new("jingyu.lock"), "version = 9\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "jingyu.lock: not a version 1 lock file; run `jingyu lock` to write it again"
        );
        let err = parse(
            Path::new("jingyu.lock"),
            "version = 1\n[[entry]]\ntool = \"o/t\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("lacks a field"), "{err}");
    }
}

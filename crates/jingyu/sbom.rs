//! `--sbom FILE`: an SPDX 2.3 JSON document of what was installed, so image
//! scanners can attribute the binaries: one package per tool (name, version,
//! download location, the asset's sha256, how it was verified) containing each
//! installed file with its own SHA-1 and SHA-256 (SPDX asks for SHA-1).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use jingyu_forge::{utc, Location};
use ring::digest::{Context, SHA1_FOR_LEGACY_USE_ONLY, SHA256};

use crate::error::Error;
use crate::install::write_file;
use crate::lockfile::quote;
use crate::run::Installed;

/// One installed tool, as the document describes it.
pub(crate) struct Tool<'a> {
    pub(crate) name: &'a str,
    pub(crate) installed: &'a Installed,
}

/// Writes the document for `tools` to `path`, created at `created` (Unix
/// seconds; `SOURCE_DATE_EPOCH` keeps it reproducible).
pub(crate) fn write(path: &Path, tools: &[Tool<'_>], created: u64) -> Result<(), Error> {
    let text = document(tools, created).map_err(|source| Error::Install {
        path: path.to_path_buf(),
        source,
    })?;
    write_file(path, text.as_bytes())
}

fn document(tools: &[Tool<'_>], created: u64) -> io::Result<String> {
    let mut packages = Vec::new();
    let mut files = Vec::new();
    let mut relationships = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        let package_id = format!("SPDXRef-Package-{}", i + 1);
        relationships.push(relation("SPDXRef-DOCUMENT", "DESCRIBES", &package_id));
        let mut sha1s = Vec::new();
        for (j, path) in tool.installed.paths.iter().enumerate() {
            let Some((sha1, sha256)) = hashes(path)? else {
                continue;
            };
            let file_id = format!("SPDXRef-File-{}-{}", i + 1, j + 1);
            files.push(format!(
                "{{\"fileName\": {}, \"SPDXID\": \"{file_id}\", \"checksums\": [{{\"algorithm\": \"SHA1\", \"checksumValue\": \"{sha1}\"}}, {{\"algorithm\": \"SHA256\", \"checksumValue\": \"{sha256}\"}}], \"licenseConcluded\": \"NOASSERTION\", \"copyrightText\": \"NOASSERTION\"}}",
                quote(&file_name(path))
            ));
            relationships.push(relation(&package_id, "CONTAINS", &file_id));
            sha1s.push(sha1);
        }
        packages.push(package(tool, &package_id, &mut sha1s));
    }
    let body = tools
        .iter()
        .map(|t| t.installed.sha256.as_deref().unwrap_or("-"))
        .collect::<Vec<_>>()
        .join(",");
    let namespace = format!(
        "https://spdx.org/spdxdocs/jingyu-{}",
        hex(&ring::digest::digest(&SHA256, body.as_bytes()))
    );
    let created = utc(created).replace(' ', "T").replace("TUTC", "Z");
    Ok(format!(
        "{{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"dataLicense\": \"CC0-1.0\",\n  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n  \"name\": \"jingyu install\",\n  \"documentNamespace\": \"{namespace}\",\n  \"creationInfo\": {{\"created\": \"{created}\", \"creators\": [\"Tool: jingyu-{}\"]}},\n  \"packages\": [\n    {}\n  ],\n  \"files\": [\n    {}\n  ],\n  \"relationships\": [\n    {}\n  ]\n}}\n",
        crate::version(),
        packages.join(",\n    "),
        files.join(",\n    "),
        relationships.join(",\n    ")
    ))
}

fn package(tool: &Tool<'_>, id: &str, sha1s: &mut [String]) -> String {
    let res = &tool.installed.res;
    let url = match &res.location {
        Location::Url(u) => Some(u.as_str()),
        Location::File(_) => None,
    };
    // SPDX takes a URL with a host name only; an address (a local mirror)
    // goes into the comment instead.
    let download = url
        .filter(|u| spdx_url(u))
        .map_or_else(|| "\"NOASSERTION\"".to_owned(), quote);
    let from = url
        .map(|u| format!(", downloaded from {u}"))
        .unwrap_or_default();
    let version = res.tag.clone().unwrap_or_else(|| "NOASSERTION".to_owned());
    let verified = tool
        .installed
        .verified_by
        .as_deref()
        .unwrap_or("nothing (unverified)");
    // SPDX's verification code: the SHA-1 of the files' sorted SHA-1s.
    sha1s.sort();
    let code = hex(&ring::digest::digest(
        &SHA1_FOR_LEGACY_USE_ONLY,
        sha1s.concat().as_bytes(),
    ));
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\"name\": {}, \"SPDXID\": \"{id}\", \"versionInfo\": {}, \"downloadLocation\": {download}, \"filesAnalyzed\": true, \"packageVerificationCode\": {{\"packageVerificationCodeValue\": \"{code}\"}}, \"checksums\": [{{\"algorithm\": \"SHA256\", \"checksumValue\": \"{}\"}}], \"licenseConcluded\": \"NOASSERTION\", \"licenseDeclared\": \"NOASSERTION\", \"copyrightText\": \"NOASSERTION\", \"packageFileName\": {}, \"comment\": {}}}",
        quote(tool.name),
        quote(&version),
        tool.installed.sha256.as_deref().unwrap_or(""),
        quote(&res.asset),
        quote(&format!("sha256 verified by {verified}{from}"))
    );
    out
}

/// Whether SPDX's download-location pattern takes `url`: http(s) with a
/// host name (letters in its last label), not an address.
fn spdx_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("");
    let last = host.rsplit('.').next().unwrap_or("");
    host.contains('.') && !last.is_empty() && last.bytes().all(|b| b.is_ascii_alphabetic())
}

fn relation(from: &str, kind: &str, to: &str) -> String {
    format!("{{\"spdxElementId\": \"{from}\", \"relationshipType\": \"{kind}\", \"relatedSpdxElement\": \"{to}\"}}")
}

/// SPDX file names are relative (`./out/tool`).
fn file_name(path: &Path) -> String {
    let shown = path.display().to_string();
    if path.is_absolute() {
        format!(".{shown}")
    } else if shown.starts_with("./") {
        shown
    } else {
        format!("./{shown}")
    }
}

/// The SHA-1 and SHA-256 of a regular file (links are left out).
fn hashes(path: &PathBuf) -> io::Result<Option<(String, String)>> {
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Ok(None);
    }
    let mut file = File::open(path)?;
    let (mut sha1, mut sha256) = (
        Context::new(&SHA1_FOR_LEGACY_USE_ONLY),
        Context::new(&SHA256),
    );
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha1.update(&buf[..n]);
        sha256.update(&buf[..n]);
    }
    Ok(Some((hex(&sha1.finish()), hex(&sha256.finish()))))
}

fn hex(d: &ring::digest::Digest) -> String {
    d.as_ref().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn download_locations_spdx_takes() {
        assert!(super::spdx_url(
            "https://github.com/casey/just/releases/download/1.42.4/just.tar.gz"
        ));
        assert!(super::spdx_url("http://mirror.example.com:8080/a.tgz"));
        assert!(!super::spdx_url("http://127.0.0.1:8080/a.tgz"));
        assert!(!super::spdx_url("http://localhost/a.tgz"));
        assert!(!super::spdx_url("ftp://x.org/a"));
    }
}

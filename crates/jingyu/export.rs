//! The lock's pins in forms other tools read: JSON; a bake variables file
//! (`JUST_VERSION`, `JUST_SHA256_LINUX_ARM64`, …) for `docker buildx bake -f
//! docker-bake.hcl -f pins.hcl`; and Dockerfile `ADD --checksum` lines grouped
//! per platform, saying what `ADD --unpack` would and would not do with an
//! archive.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jingyu_pick::Format;

use crate::lockfile::{quote, Entry, Pin};
use crate::manifest::short_name;

/// The export formats of `jingyu lock --format`.
pub(crate) const FORMATS: [&str; 4] = ["toml", "json", "bake", "dockerfile"];

/// `entries` as JSON: `{"version": 1, "entries": [...]}`.
pub(crate) fn json(entries: &[Entry]) -> String {
    let mut out = String::from("{\n  \"version\": 1,\n  \"entries\": [");
    for (i, e) in sorted(entries).into_iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let mut fields = vec![("tool", quote(&e.tool)), ("platform", quote(&e.platform))];
        match &e.pin {
            Ok(p) => {
                fields.extend([
                    ("tag", quote(&p.tag)),
                    ("asset", quote(&p.asset)),
                    ("url", quote(&p.url)),
                ]);
                if let Some(size) = p.size {
                    fields.push(("size", size.to_string()));
                }
                fields.extend([
                    ("sha256", quote(&p.sha256)),
                    ("sha256_from", quote(&p.sha256_from)),
                ]);
            }
            Err(why) => fields.push(("none", quote(why))),
        }
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        let _ = write!(out, "    {{{}}}", body.join(", "));
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// An HCL string (`$` and `%` doubled, so nothing is a template).
fn q(s: &str) -> String {
    quote(&s.replace('$', "$$").replace('%', "%%"))
}

/// An HCL variables file: per tool its version, and per platform its
/// asset's sha256 and URL.
pub(crate) fn bake(entries: &[Entry]) -> String {
    let mut out = String::from("# Written by `jingyu lock --format bake`: docker buildx bake -f docker-bake.hcl -f pins.hcl\n");
    let mut versions: BTreeMap<String, String> = BTreeMap::new();
    for e in sorted(entries) {
        let Ok(p) = &e.pin else { continue };
        let tool = ident(short_name(&e.tool));
        let platform = ident(&e.platform);
        versions.insert(format!("{tool}_VERSION"), p.tag.clone());
        let _ = write!(
            out,
            "\nvariable \"{tool}_SHA256_{platform}\" {{\n  default = {}\n}}\nvariable \"{tool}_URL_{platform}\" {{\n  default = {}\n}}\n",
            q(&p.sha256),
            q(&p.url)
        );
    }
    for (name, tag) in versions {
        let _ = write!(
            out,
            "\nvariable \"{name}\" {{\n  default = {}\n}}\n",
            q(&tag)
        );
    }
    out
}

/// `just-cli` → `JUST_CLI`, `linux/arm/v7` → `LINUX_ARM_V7`.
fn ident(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `ADD --checksum` lines, one group per platform; `names` are the installed
/// names the manifest sets (else a bare executable is named after its repository).
pub(crate) fn dockerfile(entries: &[Entry], names: &BTreeMap<&str, &str>) -> String {
    let mut by_platform: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in sorted(entries) {
        by_platform.entry(e.platform.as_str()).or_default().push(e);
    }
    let mut out = String::from(concat!(
        "# Written by `jingyu lock --format dockerfile`: paste each group into its FROM ... AS stage.\n",
        "# ADD --checksum needs Dockerfile 1.6 or later: built into Docker 26; on older engines\n",
        "# start the Dockerfile with `# syntax=docker/dockerfile:1.6`.\n",
    ));
    for (platform, group) in by_platform {
        let _ = write!(out, "\n# {platform}\n");
        for e in group {
            match &e.pin {
                Ok(p) => add_line(&mut out, e, p, names.get(e.tool.as_str()).copied()),
                Err(why) => {
                    let _ = writeln!(out, "# {}: nothing to add: {why}", e.tool);
                }
            }
        }
    }
    out
}

fn add_line(out: &mut String, e: &Entry, p: &Pin, name: Option<&str>) {
    let tool = name.unwrap_or_else(|| short_name(&e.tool));
    let format = Format::from_name(&p.asset);
    let (dest, note) = match format {
        Format::Raw => (format!("--chmod=0755 {} /usr/local/bin/{tool}", p.url), None),
        f if f.is_tar() => (
            format!("{} /tmp/{}", p.url, p.asset),
            Some(format!("{} is a {f} archive: `ADD --unpack=true` would extract all of it (not only the binary, paths as stored); `jingyu install --locked` takes only the binary", p.asset)),
        ),
        f => (
            format!("{} /tmp/{}", p.url, p.asset),
            Some(format!("{} is {f}: `ADD --unpack` never extracts zip or a lone compressed file; it is added as it is", p.asset)),
        ),
    };
    if let Some(note) = note {
        let _ = writeln!(out, "# {}: {note}", e.tool);
    }
    let _ = writeln!(out, "ADD --checksum=sha256:{} {dest}", p.sha256);
}

fn sorted(entries: &[Entry]) -> Vec<&Entry> {
    let mut s: Vec<&Entry> = entries.iter().collect();
    s.sort_by(|a, b| (&a.tool, &a.platform).cmp(&(&b.tool, &b.platform)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<Entry> {
        let pin = |asset: &str, sha: &str| Pin {
            forge: Some("github".into()),
            tag: "1.42.4".into(),
            asset: asset.into(),
            url: format!("https://x.test/{asset}"),
            size: Some(1),
            sha256: sha.repeat(64),
            sha256_from: "the release's digest".into(),
            credential_origin: None,
            minisig: None,
            cosign_sig: None,
            signed_by: None,
        };
        vec![
            Entry {
                tool: "casey/just".into(),
                platform: "linux/arm64".into(),
                inputs: String::new(),
                pin: Ok(pin("just-aarch64.tar.gz", "a")),
            },
            Entry {
                tool: "casey/just".into(),
                platform: "linux/amd64".into(),
                inputs: String::new(),
                pin: Ok(pin("just-x86_64", "b")),
            },
            Entry {
                tool: "o/zipped".into(),
                platform: "linux/amd64".into(),
                inputs: String::new(),
                pin: Ok(pin("zipped.zip", "c")),
            },
            Entry {
                tool: "o/none".into(),
                platform: "linux/arm64".into(),
                inputs: String::new(),
                pin: Err("no asset for linux/arm64".into()),
            },
        ]
    }

    #[test]
    fn dockerfile_lines_are_grouped_per_platform_and_say_what_unpack_does() {
        let d = dockerfile(&entries(), &BTreeMap::new());
        let amd = d.find("# linux/amd64").unwrap();
        let arm = d.find("# linux/arm64").unwrap();
        assert!(amd < arm, "{d}");
        assert!(d.contains(&format!("ADD --checksum=sha256:{} --chmod=0755 https://x.test/just-x86_64 /usr/local/bin/just\n", "b".repeat(64))), "{d}");
        assert!(
            d.contains("`ADD --unpack=true` would extract all of it"),
            "{d}"
        );
        assert!(d.contains("`ADD --unpack` never extracts zip"), "{d}");
        assert!(
            d.contains("# o/none: nothing to add: no asset for linux/arm64"),
            "{d}"
        );
        assert!(
            !d.lines().any(|l| l.starts_with("# syntax=")),
            "a syntax line would make BuildKit pull a frontend: {d}"
        );
    }

    #[test]
    fn a_bare_executable_takes_the_name_the_manifest_gives() {
        let d = dockerfile(&entries(), &BTreeMap::from([("casey/just", "j")]));
        assert!(
            d.contains(" https://x.test/just-x86_64 /usr/local/bin/j\n"),
            "{d}"
        );
    }

    #[test]
    fn bake_variables_are_named_by_tool_and_platform() {
        let b = bake(&entries());
        assert!(
            b.contains(&format!(
                "variable \"JUST_SHA256_LINUX_ARM64\" {{\n  default = \"{}\"\n}}",
                "a".repeat(64)
            )),
            "{b}"
        );
        assert!(
            b.contains("variable \"JUST_VERSION\" {\n  default = \"1.42.4\"\n}"),
            "{b}"
        );
        assert!(b.contains("variable \"ZIPPED_URL_LINUX_AMD64\""), "{b}");
        assert_eq!(ident("linux/arm/v7"), "LINUX_ARM_V7");
    }

    #[test]
    fn json_escapes_and_keeps_none_entries() {
        let j = json(&entries());
        assert!(j.contains("{\"tool\": \"o/none\", \"platform\": \"linux/arm64\", \"none\": \"no asset for linux/arm64\"}"), "{j}");
        assert_eq!(quote("a\"$b"), "\"a\\\"$b\"");
    }
}

//! `jingyu.toml`: the tools one step installs. `[defaults]` and one table per
//! tool (`[tools."owner/repo"]`, or a URL), whose keys are the long options
//! (`tag`, `asset`, `file`, `system`, `all`, `verify_sha256`, …) plus `name`
//! (the installed file's name) and `platforms` (for `jingyu lock`). Each tool
//! becomes the command line it stands for, so it is checked and planned
//! exactly as that command line would be. An eget config file is accepted
//! in its place: each repository section is a tool.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::args::LONG_VALUES;
use crate::config::{self, line_of, Config};
use crate::error::Error;
use crate::options::EVERY;

/// Options that make no sense per tool in a manifest.
const NOT_PER_TOOL: [&str; 2] = ["--dry-run", "--print-paths"];

/// One tool of the manifest.
#[derive(Clone, Debug)]
pub(crate) struct Tool {
    /// The table's key: `owner/repo` or a URL.
    pub(crate) target: String,
    /// The command line it stands for, target first.
    pub(crate) argv: Vec<String>,
    /// Its settings, canonical (`key=value`, sorted), so a lock can tell
    /// whether it was made from them.
    pub(crate) inputs: String,
    /// The installed file's name when the manifest sets one (`name`).
    pub(crate) name: Option<String>,
}

/// A tool's short name: the repository of `owner/repo`, the last segment of
/// a URL (how `jingyu install NAME` and the exports name it).
pub(crate) fn short_name(target: &str) -> &str {
    target.rsplit('/').next().unwrap_or(target)
}

/// A parsed manifest (or eget config).
#[derive(Debug)]
pub(crate) struct Manifest {
    pub(crate) path: PathBuf,
    pub(crate) tools: Vec<Tool>,
    /// `[defaults]`' `platforms`, for `jingyu lock`.
    pub(crate) platforms: Vec<String>,
    /// The eget config the tools come from, when the file is one.
    pub(crate) eget: Option<Config>,
}

/// A setting's value, as the command line spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Switch(bool),
    Text(String),
    List(Vec<String>),
}

fn usage(msg: String) -> Error {
    Error::Usage(msg)
}

/// The settings that decide what is downloaded: a lock made from other
/// values is stale.
const LOCKED_KEYS: [&str; 6] = [
    "asset",
    "pre_release",
    "source",
    "system",
    "tag",
    "verify_sha256",
];

/// Reads the manifest at `path` (`text` is its content); `to` (the
/// command's `--to`) replaces every tool's destination directory.
pub(crate) fn parse(path: &Path, text: &str, to: Option<&str>) -> Result<Manifest, Error> {
    let at = |span: Range<usize>| format!("{}:{}", path.display(), line_of(text, span.start));
    let doc = DeTable::parse(text).map_err(|e| {
        usage(format!(
            "{}: {}; a manifest is TOML with [defaults] and [tools.\"owner/repo\"] tables",
            at(e.span().unwrap_or(0..0)),
            e.message().trim_end()
        ))
    })?;
    let top = doc.get_ref();
    let is_manifest = top
        .keys()
        .any(|k| ["tools", "defaults"].contains(&k.get_ref().as_ref()));
    if !is_manifest && !top.is_empty() {
        return eget_config(path, text);
    }
    let mut defaults = BTreeMap::new();
    let mut tools = Vec::new();
    for (key, value) in top {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(usage(format!(
                "{}: `{}` is not a table: use [defaults] or [tools.\"owner/repo\"]",
                at(key.span()),
                key.get_ref()
            )));
        };
        match key.get_ref().as_ref() {
            "defaults" => defaults = settings(table, "[defaults]", &at)?,
            "tools" => {
                for (name, tool) in table {
                    let DeValue::Table(t) = tool.get_ref() else {
                        return Err(usage(format!(
                            "{}: `tools.{}` must be a table of settings",
                            at(name.span()),
                            name.get_ref()
                        )));
                    };
                    let section = format!("[tools.\"{}\"]", name.get_ref());
                    let found = settings(t, &section, &at)?;
                    tools.push((
                        name.span().start,
                        name.get_ref().to_string(),
                        at(name.span()),
                        found,
                    ));
                }
            }
            other => {
                return Err(usage(format!(
                "{}: unknown table [{other}]: a manifest has [defaults] and [tools.\"owner/repo\"]",
                at(key.span())
            )))
            }
        }
    }
    if tools.is_empty() {
        return Err(usage(format!(
            "{}: no tools: add a [tools.\"owner/repo\"] table with its tag",
            path.display()
        )));
    }
    let platforms = match defaults.remove("platforms") {
        Some(Value::List(p)) => p,
        Some(Value::Text(p)) => vec![p],
        _ => Vec::new(),
    };
    // In the file's order.
    tools.sort_by_key(|t| t.0);
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for (_, target, here, mut own) in tools {
        if let Some(first) = seen.insert(target.to_ascii_lowercase(), here.clone()) {
            return Err(usage(format!(
                "{here}: `{target}` is listed twice (first at {first}); keep one table"
            )));
        }
        if let Some(to) = to {
            own.insert("to".to_owned(), Value::Text(to.to_owned()));
        }
        out.push(tool(target, &defaults, own));
    }
    Ok(Manifest {
        path: path.to_path_buf(),
        tools: out,
        platforms,
        eget: None,
    })
}

/// An eget config file as a manifest: each repository section is a tool.
fn eget_config(path: &Path, text: &str) -> Result<Manifest, Error> {
    let config = config::parse(path, text)?;
    let tools = config
        .repositories()
        .map(|name| Tool {
            target: name.to_owned(),
            argv: vec![name.to_owned()],
            inputs: String::new(),
            name: None,
        })
        .collect::<Vec<_>>();
    if tools.is_empty() {
        return Err(usage(format!(
            "{}: no tools: the eget config has no [\"owner/repo\"] section",
            path.display()
        )));
    }
    Ok(Manifest {
        path: path.to_path_buf(),
        tools,
        platforms: Vec::new(),
        eget: Some(config),
    })
}

/// The key's option flag, and whether it takes a value (and repeats).
fn option_for(key: &str) -> Option<(String, bool, bool)> {
    let flag = format!("--{}", key.replace('_', "-"));
    let known = EVERY.iter().any(|o| o.flag == flag) && !NOT_PER_TOOL.contains(&flag.as_str());
    let value = LONG_VALUES.contains(&flag.as_str());
    let list = ["--asset", "--file", "--signer"].contains(&flag.as_str());
    known.then_some((flag, value, list))
}

/// One table's settings, each checked against the option it names.
fn settings(
    table: &DeTable<'_>,
    section: &str,
    at: &dyn Fn(Range<usize>) -> String,
) -> Result<BTreeMap<String, Value>, Error> {
    let mut out = BTreeMap::new();
    for (key, value) in table {
        let name = key.get_ref().to_string();
        let here = at(key.span());
        let (value_kind, list) = match name.as_str() {
            "name" => (true, false),
            "platforms" => (true, true),
            other => match option_for(other) {
                Some((_, value, list)) => (value, list),
                None => return Err(usage(format!("{here}: unknown key `{name}` in {section}; the keys are the long options without `--` (tag, asset, file, system, to, all, verify_sha256, …), `name` and `platforms`"))),
            },
        };
        let wrong = |what: &str| usage(format!("{here}: `{name}` must be {what}"));
        let v = match (value.get_ref(), value_kind, list) {
            (DeValue::Boolean(b), false, _) => Value::Switch(*b),
            (_, false, _) => return Err(wrong("true or false")),
            (DeValue::String(s), true, _) => Value::Text(s.to_string()),
            (DeValue::Integer(i), true, false) => Value::Text(i.to_string()),
            (DeValue::Array(items), true, true) => Value::List(
                items
                    .iter()
                    .map(|i| match i.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect::<Option<_>>()
                    .ok_or_else(|| wrong("a list of strings"))?,
            ),
            (_, true, true) => return Err(wrong("a string or a list of strings")),
            (_, true, false) => return Err(wrong("a string")),
        };
        out.insert(name, v);
    }
    Ok(out)
}

/// The tool's command line: its settings over the defaults.
fn tool(target: String, defaults: &BTreeMap<String, Value>, own: BTreeMap<String, Value>) -> Tool {
    let mut merged = defaults.clone();
    merged.extend(own);
    merged.remove("platforms");
    let name = match merged.remove("name") {
        Some(Value::Text(n)) => Some(n),
        _ => None,
    };
    if let Some(name) = &name {
        let to = match merged.remove("to") {
            Some(Value::Text(t)) if t.ends_with('/') => format!("{t}{name}"),
            Some(Value::Text(t)) => format!("{t}/{name}"),
            _ => name.clone(),
        };
        merged.insert("to".to_owned(), Value::Text(to));
    }
    let mut argv = vec![target.clone()];
    let mut inputs = Vec::new();
    for (key, value) in &merged {
        let flag = format!("--{}", key.replace('_', "-"));
        match value {
            Value::Switch(true) => argv.push(flag),
            Value::Switch(false) => {}
            Value::Text(t) => argv.extend([flag, t.clone()]),
            Value::List(items) => {
                for item in items {
                    argv.extend([flag.clone(), item.clone()]);
                }
            }
        }
        if LOCKED_KEYS.contains(&key.as_str()) {
            inputs.push(format!("{key}={}", shown(value)));
        }
    }
    Tool {
        target,
        argv,
        inputs: inputs.join(" "),
        name,
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::Switch(b) => b.to_string(),
        Value::Text(t) => t.clone(),
        Value::List(items) => items.join(","),
    }
}

#[cfg(test)]
mod tests;

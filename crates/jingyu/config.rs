//! eget's config file: where eget 1.3.4 looks for it, the keys it reads, and
//! how a repository section inherits from `[global]`, exactly as eget's
//! `config.go` merges them (its quirks included: `[global]`'s `system` and
//! `file` do not reach a repository section, `name` is read but never used).
//! The merged [`Settings`] sit below flags and `JINGYU_*` variables.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::error::Error;
use crate::options::{self as opt, Opt};

/// A value's TOML type, as eget declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bool,
    Text,
    List,
}

/// What eget does with a key in each kind of section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    /// Read and applied.
    Applied,
    /// Known to eget 1.3.4 but never applied there.
    Ignored,
    /// Not a key of this section.
    Unknown,
}

/// One key of eget's config: its type, the option it sets (`None` for the
/// token and `name`), its use in `[global]` and in a repository section, and
/// whether a repository section inherits it from `[global]`.
struct Key {
    name: &'static str,
    kind: Kind,
    opt: Option<&'static Opt>,
    global: Use,
    repo: Use,
    inherited: bool,
}

const fn key(
    name: &'static str,
    kind: Kind,
    opt: Option<&'static Opt>,
    uses: (Use, Use, bool),
) -> Key {
    Key {
        name,
        kind,
        opt,
        global: uses.0,
        repo: uses.1,
        inherited: uses.2,
    }
}

use Use::{Applied as A, Ignored as I, Unknown as U};

/// eget 1.3.4's keys (`ConfigGlobal`, `ConfigRepository`, and what
/// `SetGlobalOptionsFromConfig`/`SetProjectOptionsFromConfig` apply).
const KEYS: [Key; 15] = [
    key("github_token", Kind::Text, None, (A, U, false)),
    key("all", Kind::Bool, Some(&opt::ALL), (A, A, true)),
    key(
        "download_only",
        Kind::Bool,
        Some(&opt::DOWNLOAD_ONLY),
        (A, A, true),
    ),
    key(
        "download_source",
        Kind::Bool,
        Some(&opt::SOURCE),
        (A, A, true),
    ),
    key("file", Kind::Text, Some(&opt::FILE), (I, A, false)),
    key("quiet", Kind::Bool, Some(&opt::QUIET), (A, A, true)),
    key("show_hash", Kind::Bool, Some(&opt::SHA256), (A, A, true)),
    key("system", Kind::Text, Some(&opt::SYSTEM), (A, A, false)),
    key("target", Kind::Text, Some(&opt::TO), (A, A, true)),
    key(
        "upgrade_only",
        Kind::Bool,
        Some(&opt::UPGRADE_ONLY),
        (A, A, true),
    ),
    key(
        "asset_filters",
        Kind::List,
        Some(&opt::ASSET),
        (U, A, false),
    ),
    key("tag", Kind::Text, Some(&opt::TAG), (U, A, false)),
    key(
        "verify_sha256",
        Kind::Text,
        Some(&opt::VERIFY_SHA256),
        (U, A, false),
    ),
    key(
        "disable_ssl",
        Kind::Bool,
        Some(&opt::DISABLE_SSL),
        (U, A, false),
    ),
    key("name", Kind::Text, None, (U, I, false)),
];

/// A value from the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Bool(bool),
    Text(String),
    List(Vec<String>),
}

/// One key's value and where it was written.
#[derive(Clone, Debug)]
pub(crate) struct Setting {
    key: &'static str,
    pub(crate) value: Value,
    /// `key (PATH:LINE)`, for messages.
    pub(crate) from: String,
}

/// A parsed config file.
#[derive(Debug, Default)]
pub(crate) struct Config {
    global: Vec<Setting>,
    /// Repository sections by name, in the file's sorted order.
    repos: Vec<(String, Vec<Setting>)>,
    /// Keys read but not applied, for the reporter.
    pub(crate) warnings: Vec<String>,
}

/// The config's settings for one run: what eget would apply for the target.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    values: Vec<Setting>,
}

impl Settings {
    /// The setting for `opt`, unless absent or an empty string.
    pub(crate) fn get(&self, opt: &Opt) -> Option<&Setting> {
        let key = KEYS
            .iter()
            .find(|k| k.opt.is_some_and(|o| o.flag == opt.flag))?;
        self.find(key.name)
    }

    /// `[global]`'s `github_token`.
    pub(crate) fn token(&self) -> Option<&Setting> {
        self.find("github_token")
    }

    fn find(&self, name: &str) -> Option<&Setting> {
        self.values
            .iter()
            .find(|s| s.key == name)
            .filter(|s| s.value != Value::Text(String::new()))
    }
}

impl Config {
    /// The repository sections' names, for `--download-all`.
    pub(crate) fn repositories(&self) -> impl Iterator<Item = &str> {
        self.repos.iter().map(|(name, _)| name.as_str())
    }

    /// What applies when eget is run on `target` (as typed): the section
    /// named exactly so, with the keys it inherits from `[global]`, else
    /// `[global]` alone.
    pub(crate) fn settings(&self, target: Option<&str>) -> Settings {
        let key = |s: &Setting| KEYS.iter().find(|k| k.name == s.key).expect("a known key");
        let repo = target.and_then(|t| self.repos.iter().find(|(n, _)| n == t));
        let values = match repo {
            None => self
                .global
                .iter()
                .filter(|s| key(s).global == A)
                .cloned()
                .collect(),
            Some((_, own)) => {
                let inherited = self
                    .global
                    .iter()
                    .filter(|g| key(g).inherited && !own.iter().any(|s| s.key == g.key));
                own.iter()
                    .filter(|s| key(s).repo == A)
                    .chain(inherited)
                    .cloned()
                    .collect()
            }
        };
        Settings { values }
    }
}

/// Finds and parses the config file as eget 1.3.4 does: `$EGET_CONFIG` (when
/// set at all), else `~/.eget.toml`; then `./eget.toml`; then
/// `$XDG_CONFIG_HOME/eget/eget.toml` (`~/.config/eget/eget.toml`). The first
/// that exists is the config; none is an empty one.
pub(crate) fn load(
    env: &dyn Fn(&str) -> Option<String>,
    read: &dyn Fn(&Path) -> io::Result<String>,
) -> Result<(Option<PathBuf>, Config), Error> {
    for path in search_path(env) {
        match read(&path) {
            Ok(text) => return parse(&path, &text).map(|c| (Some(path), c)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Usage(format!(
                    "cannot read the eget config `{}`: {e}; fix it, or point EGET_CONFIG at another file",
                    path.display()
                )))
            }
        }
    }
    Ok((None, Config::default()))
}

/// The files eget tries, in order.
pub(crate) fn search_path(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let home = env("HOME").unwrap_or_default();
    let first = env("EGET_CONFIG").unwrap_or_else(|| format!("{home}/.eget.toml"));
    let config_dir = env("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("{home}/.config"));
    vec![
        PathBuf::from(first),
        PathBuf::from("eget.toml"),
        Path::new(&config_dir).join("eget").join("eget.toml"),
    ]
}

/// Parses one config file: every table a section, every key checked against
/// eget's (a wrong type is an error, a key eget does not apply a warning).
pub(crate) fn parse(path: &Path, text: &str) -> Result<Config, Error> {
    let at = |span: Range<usize>| format!("{}:{}", path.display(), line_of(text, span.start));
    let doc = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Error::Usage(format!(
            "{}: {}; eget's config is TOML with [global] and [\"owner/repo\"] sections",
            at(span),
            e.message().trim_end_matches('\n')
        ))
    })?;
    let mut config = Config::default();
    let mut warnings: Vec<(usize, String)> = Vec::new();
    for (name, table) in doc.get_ref() {
        let DeValue::Table(table) = table.get_ref() else {
            return Err(Error::Usage(format!(
                "{}: `{}` is not a section: put keys under [global] or [\"owner/repo\"]",
                at(name.span()),
                name.get_ref()
            )));
        };
        let global = name.get_ref() == "global";
        let section = if global {
            "[global]".to_owned()
        } else {
            format!("[\"{}\"]", name.get_ref())
        };
        let mut settings = Vec::new();
        for (k, v) in table {
            let here = at(k.span());
            let Some(known) = KEYS.iter().find(|key| key.name == k.get_ref()) else {
                warnings.push((
                    k.span().start,
                    format!(
                        "{here}: unknown key `{}` in {section}, ignored (eget ignores it too)",
                        k.get_ref()
                    ),
                ));
                continue;
            };
            let value = typed(known, v.get_ref()).ok_or_else(|| {
                Error::Usage(format!(
                    "{here}: `{}` must be {}",
                    known.name,
                    kind_name(known.kind)
                ))
            })?;
            let usage = if global { known.global } else { known.repo };
            if let Some(w) = unused_warning(known, usage, &section, &here) {
                warnings.push((k.span().start, w));
                continue;
            }
            settings.push(Setting {
                key: known.name,
                value,
                from: format!("`{}` ({here})", known.name),
            });
        }
        if global {
            config.global = settings;
        } else {
            config.repos.push((name.get_ref().to_string(), settings));
        }
    }
    warnings.sort();
    config.warnings = warnings.into_iter().map(|(_, w)| w).collect();
    Ok(config)
}

fn unused_warning(key: &Key, usage: Use, section: &str, here: &str) -> Option<String> {
    let name = key.name;
    match usage {
        A => None,
        I if name == "name" => Some(format!(
            "{here}: `name` in {section} is not applied by eget 1.3.4, nor by jingyu; use `target = \"DIR/NAME\"`"
        )),
        I => Some(format!(
            "{here}: `{name}` in {section} is not applied by eget 1.3.4, nor by jingyu; set it in a repository section"
        )),
        U if section == "[global]" => Some(format!(
            "{here}: `{name}` is not read in [global] by eget, so it is ignored; set it in a repository section"
        )),
        U => Some(format!(
            "{here}: `{name}` is read only in [global] by eget, so it is ignored in {section}"
        )),
    }
}

fn typed(key: &Key, value: &DeValue<'_>) -> Option<Value> {
    match (key.kind, value) {
        (Kind::Bool, DeValue::Boolean(b)) => Some(Value::Bool(*b)),
        (Kind::Text, DeValue::String(s)) => Some(Value::Text(s.to_string())),
        (Kind::List, DeValue::Array(items)) => items
            .iter()
            .map(|i| match i.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Value::List),
        _ => None,
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Bool => "true or false",
        Kind::Text => "a string",
        Kind::List => "a list of strings, like [\"linux\", \"^musl\"]",
    }
}

/// The 1-based line of byte `offset`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests;

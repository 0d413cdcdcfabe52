//! Where each option's value comes from: the flag, else its variable, else
//! eget's config (as it applies to the target), else its default.

use std::time::Duration;

use super::values::{parse_number, parse_seconds};
use super::{usage, Env};
use crate::config::{Config, Settings, Value};
use crate::error::Error;
use crate::options::Opt;

/// Flags over environment variables over defaults, each option as
/// `options.rs` defines it.
pub(super) struct Overlay<'a> {
    env: Env<'a>,
    /// eget's config, as it applies to this target.
    pub(super) config: Settings,
}

impl<'a> Overlay<'a> {
    pub(super) fn new(target: Option<&String>, env: Env<'a>, config: &Config) -> Overlay<'a> {
        let target = target.cloned().or_else(|| env("JINGYU_TARGET"));
        Overlay {
            env,
            config: config.settings(target.as_deref()),
        }
    }

    /// The config's text for `opt`.
    pub(super) fn config_text(&self, opt: &Opt) -> Option<String> {
        match &self.config.get(opt)?.value {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// A variable, unless unset or empty.
    pub(super) fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.trim().is_empty())
    }

    /// The flag's value, else the option's variable, else the config's.
    pub(super) fn opt(&self, flag: Option<String>, opt: &Opt) -> Option<String> {
        flag.or_else(|| self.var(opt.env))
            .or_else(|| self.config_text(opt))
    }

    /// The flag's value, else the variable's, else the option's default.
    pub(super) fn value(&self, flag: Option<String>, opt: &Opt) -> Option<String> {
        self.opt(flag, opt)
            .or_else(|| opt.default.map(str::to_owned))
    }

    pub(super) fn switch(&self, flag: bool, opt: &Opt) -> Result<bool, Error> {
        if flag {
            return Ok(true);
        }
        match self
            .var(opt.env)
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None => Ok(self
                .config
                .get(opt)
                .is_some_and(|s| s.value == Value::Bool(true))),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some(other) => Err(usage(&format!(
                "{}=`{other}` is not a yes/no value: use 1 or 0",
                opt.env
            ))),
        }
    }

    /// Repeated flags, else a comma-separated variable, else the config's
    /// list (or its one string).
    pub(super) fn list(&self, flag: Vec<String>, opt: &Opt) -> Vec<String> {
        if !flag.is_empty() {
            return flag;
        }
        if let Some(v) = self.var(opt.env) {
            return v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        match self.config.get(opt).map(|s| &s.value) {
            Some(Value::List(items)) => items.clone(),
            Some(Value::Text(one)) => vec![one.clone()],
            _ => Vec::new(),
        }
    }

    /// A whole number of seconds (at most a day), or `None` with no default.
    pub(super) fn seconds(&self, flag: Option<&str>, opt: &Opt) -> Result<Option<Duration>, Error> {
        self.value(flag.map(str::to_owned), opt)
            .map(|v| parse_seconds(&v, opt.flag))
            .transpose()
    }

    /// A whole number, or `None` with no default.
    pub(super) fn number(&self, flag: Option<&str>, opt: &Opt) -> Result<Option<u64>, Error> {
        self.value(flag.map(str::to_owned), opt)
            .map(|v| parse_number(&v, opt.flag))
            .transpose()
    }
}

//! Single values from the command line and the environment, parsed and
//! checked before any request: numbers and seconds in range, sizes, the
//! `SOURCE_DATE_EPOCH`, git tag names, API URLs, and UTF-8 throughout.

use std::ffi::OsString;
use std::time::Duration;

use jingyu_pick::{Arch, Libc, Os, System};
use jingyu_unpack::LATEST_MTIME;

use super::usage;
use crate::error::Error;

/// The longest any time option may be: a day (larger values can only be typos,
/// and would overflow the clock).
const MAX_SECONDS: u64 = 86_400;

/// An API URL from `var` (`GITHUB_API_URL` …), which must be an http(s) URL
/// with a host: anything else could never be fetched, so it is a usage error
/// at once, not a retried one.
pub(super) fn http_url(var: &str, url: &str, example: &str) -> Result<String, Error> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let valid = host.is_some_and(|h| !h.is_empty() && !h.starts_with(':'))
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(usage(&format!(
            "{var}=`{}` is not an http(s) URL with a host, such as {example}",
            url.escape_debug()
        )));
    }
    Ok(url.to_owned())
}

/// The longest `--min-age`: ten years (more can only be a typo).
const MAX_AGE: u64 = 3650 * 86_400;

/// `--min-age`: whole numbers with units, `7d`, `36h`, `1d12h`, `2w`, `90m`,
/// `30s`; the seconds it means.
pub(super) fn parse_age(value: &str, name: &str) -> Result<u64, Error> {
    let bad = || {
        usage(&format!(
            "{name} `{value}` is not an age such as 7d, 36h or 1d12h (units s, m, h, d, w)"
        ))
    };
    let (mut total, mut digits) = (0u64, String::new());
    for c in value.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() || total == 0 && !value.trim().starts_with('0') {
        return Err(bad());
    }
    if total > MAX_AGE {
        return Err(usage(&format!(
            "{name} `{value}` is too long: at most 3650d"
        )));
    }
    Ok(total)
}

/// A number of seconds, at most a day.
pub(super) fn parse_seconds(value: &str, name: &str) -> Result<Duration, Error> {
    let n = parse_number(value, name)?;
    if n > MAX_SECONDS {
        return Err(usage(&format!(
            "{name} `{value}` is too long: at most {MAX_SECONDS} seconds (a day)"
        )));
    }
    Ok(Duration::from_secs(n))
}

pub(super) fn parse_number(value: &str, name: &str) -> Result<u64, Error> {
    value
        .trim()
        .parse()
        .map_err(|_| usage(&format!("{name} `{value}` is not a whole number")))
}

/// `SOURCE_DATE_EPOCH`: Unix seconds up to the end of year 9999.
pub(super) fn parse_epoch(v: &str) -> Result<u64, Error> {
    v.trim()
        .parse()
        .ok()
        .filter(|&t| t <= LATEST_MTIME)
        .ok_or_else(|| {
            usage(&format!(
                "SOURCE_DATE_EPOCH=`{v}` is not Unix seconds from 0 to {LATEST_MTIME} (the end of year 9999)"
            ))
        })
}

/// A tag must be a possible git tag name (`git check-ref-format`): anything
/// else can never exist, so it is refused before any request.
pub(super) fn check_tag(tag: &str) -> Result<(), Error> {
    let why = if tag.len() > 255 {
        Some("longer than 255 bytes")
    } else if tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("it holds white space or a control character")
    } else if tag.contains(['~', '^', ':', '?', '*', '[', '\\'])
        || tag.contains("..")
        || tag.contains("@{")
    {
        Some("it holds one of ~ ^ : ? * [ \\ .. @{")
    } else if tag.starts_with(['/', '.', '-'])
        || tag.ends_with(['/', '.'])
        || tag.to_ascii_lowercase().ends_with(".lock")
    {
        Some("git tags do not start with / . - or end with / . .lock")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(usage(&format!(
            "--tag `{}` is not a git tag name: {why}; give the tag as the release page shows it",
            short(tag)
        ))),
    }
}

/// At most 80 characters of `s`, escaped, for an error line.
pub(super) fn short(s: &str) -> String {
    let head: String = s.chars().take(80).collect();
    let more = if head.len() < s.len() { "…" } else { "" };
    format!("{}{more}", head.escape_debug())
}

/// The arguments as UTF-8, or a usage error naming the first that is not.
pub(crate) fn utf8_args(args: impl Iterator<Item = OsString>) -> Result<Vec<String>, Error> {
    args.enumerate()
        .map(|(i, a)| {
            a.into_string().map_err(|a| {
                usage(&format!(
                    "argument {} (`{}`) is not valid UTF-8; jingyu takes its arguments as UTF-8 text",
                    i + 1,
                    a.to_string_lossy().escape_debug()
                ))
            })
        })
        .collect()
}

/// Every variable jingyu reads must be UTF-8: one that is not is an error,
/// not silently unset (a mangled `JINGYU_TAG` must not install the latest).
pub(crate) fn check_env(vars: impl Iterator<Item = (OsString, OsString)>) -> Result<(), Error> {
    const READ: [&str; 8] = [
        "JINGYU_",
        "EGET_",
        "TARGET",
        "GITHUB_",
        "GH_TOKEN",
        "SOURCE_DATE_EPOCH",
        "SSL_CERT_",
        "XDG_CONFIG_HOME",
    ];
    for (name, value) in vars {
        let Some(name) = name.to_str() else { continue };
        let proxy = name.to_ascii_uppercase().ends_with("_PROXY");
        if (proxy || name == "HOME" || READ.iter().any(|p| name.starts_with(p)))
            && value.to_str().is_none()
        {
            return Err(usage(&format!(
                "{name} is not valid UTF-8 (`{}`); set it to UTF-8 text or unset it",
                value.to_string_lossy().escape_debug()
            )));
        }
    }
    Ok(())
}

/// `~` and `~/x` with the home directory, `~user/x` with that user's, as eget
/// expands `--to` and the config's `target`; anything else as it is.
pub(super) fn expand_home(path: &str, home: Option<&str>) -> Result<String, Error> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(path.to_owned());
    };
    let (user, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let dir = if user.is_empty() {
        home.map(str::to_owned)
    } else {
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        home_of(&passwd, user)
    };
    match dir {
        Some(dir) => Ok(format!("{}{tail}", dir.trim_end_matches('/'))),
        None if user.is_empty() => Err(usage(&format!(
            "--to `{path}` starts with ~ but HOME is not set; give an absolute path"
        ))),
        None => Err(usage(&format!(
            "--to `{path}`: there is no user `{user}` in /etc/passwd; give an absolute path"
        ))),
    }
}

/// A user's home directory from `/etc/passwd` text.
fn home_of(passwd: &str, user: &str) -> Option<String> {
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 7 && fields[0] == user).then(|| fields[5].to_owned())
    })
}

/// `--to` with `{os}`, `{arch}`, `{variant}`, `{platform}` (`linux/arm/v7`)
/// and `{triple}` (`armv7-unknown-linux-musleabihf`) filled in for `system`.
pub(super) fn fill_platform(to: &str, system: Option<System>) -> Result<String, Error> {
    const KEYS: [&str; 5] = ["{os}", "{arch}", "{variant}", "{platform}", "{triple}"];
    if !KEYS.iter().any(|k| to.contains(k)) {
        return Ok(to.to_owned());
    }
    let Some(s) = system else {
        return Err(usage(&format!(
            "--to `{to}` names the platform, but --system all has none; give platforms, e.g. --system linux/amd64,linux/arm64"
        )));
    };
    let (arch, variant) = match s.arch.as_str().split_once('/') {
        Some((a, v)) => (a, v),
        None => (s.arch.as_str(), ""),
    };
    Ok(to
        .replace("{os}", s.os.as_str())
        .replace("{arch}", arch)
        .replace("{variant}", variant)
        .replace("{platform}", &s.platform())
        .replace("{triple}", &triple(s)))
}

/// The Rust target triple of a static build for `s`.
fn triple(s: System) -> String {
    let arch = match s.arch {
        Arch::Amd64 => "x86_64",
        Arch::I386 => "i686",
        Arch::Arm64 => "aarch64",
        Arch::Arm(7) => "armv7",
        Arch::Arm(_) => "arm",
        Arch::Riscv64 => "riscv64gc",
        Arch::Ppc64le => "powerpc64le",
        Arch::Ppc64 => "powerpc64",
        other => other.as_str(),
    };
    let rest = match (s.os, s.arch) {
        (Os::Linux, Arch::Arm(_)) => "unknown-linux-musleabihf",
        (Os::Linux, _) if s.libc == Libc::Gnu => "unknown-linux-gnu",
        (Os::Linux, _) => "unknown-linux-musl",
        (Os::Darwin, _) => "apple-darwin",
        (Os::Windows, _) => "pc-windows-msvc",
        (os, _) => return format!("{arch}-unknown-{}", os.as_str()),
    };
    format!("{arch}-{rest}")
}

/// `512M`, `4G`, `1048576`: binary multiples.
pub(super) fn parse_size(s: &str) -> Result<u64, Error> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => 64,
            };
            (&t[..i], shift)
        }
        _ => (t, 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .filter(|_| shift < 64)
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| {
            usage(&format!(
                "--max-size `{s}` is not a size: use bytes or a number with K, M, G or T"
            ))
        })
}

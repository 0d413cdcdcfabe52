//! Every option's one definition: its flag, its environment variable and its
//! default. `args.rs` declares the flags for argh (whose help text is the doc
//! comment there; a test holds its "(default …)" to the default here),
//! `plan.rs` reads every value and default through these, and tests check
//! that `--help`, the README and the environment agree with them.

/// One option.
#[derive(Debug)]
pub(crate) struct Opt {
    /// The long flag, as typed.
    pub(crate) flag: &'static str,
    /// The variable that sets it when the flag is absent.
    pub(crate) env: &'static str,
    /// The value used when neither is given, as a user would type it.
    pub(crate) default: Option<&'static str>,
}

macro_rules! options {
    ($($name:ident = $flag:literal, $env:literal, $default:expr;)*) => {
        $(pub(crate) const $name: Opt = Opt { flag: $flag, env: $env, default: $default };)*
        /// Every option that has a variable (`--rate`, `--remove`,
        /// `--download-all`, `--version` and `--help` have none).
        pub(crate) const EVERY: &[&Opt] = &[$(&$name),*];
    };
}

options! {
    TAG = "--tag", "JINGYU_TAG", None;
    PRE_RELEASE = "--pre-release", "JINGYU_PRE_RELEASE", None;
    SOURCE = "--source", "JINGYU_SOURCE", None;
    FORGE = "--forge", "JINGYU_FORGE", None;
    MIN_AGE = "--min-age", "JINGYU_MIN_AGE", None;
    TO = "--to", "JINGYU_TO", None;
    SYSTEM = "--system", "JINGYU_SYSTEM", None;
    FILE = "--file", "JINGYU_FILE", None;
    ALL = "--all", "JINGYU_ALL", None;
    TREE = "--tree", "JINGYU_TREE", None;
    QUIET = "--quiet", "JINGYU_QUIET", None;
    DOWNLOAD_ONLY = "--download-only", "JINGYU_DOWNLOAD_ONLY", None;
    UPGRADE_ONLY = "--upgrade-only", "JINGYU_UPGRADE_ONLY", None;
    ASSET = "--asset", "JINGYU_ASSET", None;
    REQUIRE_VERIFIED = "--require-verified", "JINGYU_REQUIRE_VERIFIED", None;
    REQUIRE_SIGNED = "--require-signed", "JINGYU_REQUIRE_SIGNED", None;
    MINISIGN_KEY = "--minisign-key", "JINGYU_MINISIGN_KEY", None;
    COSIGN_KEY = "--cosign-key", "JINGYU_COSIGN_KEY", None;
    SIGNER = "--signer", "JINGYU_SIGNER", None;
    SIGNER_ISSUER = "--signer-issuer", "JINGYU_SIGNER_ISSUER", Some("https://token.actions.githubusercontent.com");
    TRUSTED_ROOT = "--trusted-root", "JINGYU_TRUSTED_ROOT", None;
    SKIP_BINARY_CHECK = "--skip-binary-check", "JINGYU_SKIP_BINARY_CHECK", None;
    SHA256 = "--sha256", "JINGYU_SHA256", None;
    VERIFY_SHA256 = "--verify-sha256", "JINGYU_VERIFY_SHA256", None;
    DISABLE_SSL = "--disable-ssl", "JINGYU_DISABLE_SSL", None;
    DRY_RUN = "--dry-run", "JINGYU_DRY_RUN", None;
    PRINT_PATHS = "--print-paths", "JINGYU_PRINT_PATHS", None;
    SKIP_MISSING = "--skip-missing", "JINGYU_SKIP_MISSING", None;
    SBOM = "--sbom", "JINGYU_SBOM", None;
    VERBOSE = "--verbose", "JINGYU_VERBOSE", None;
    MAX_SIZE = "--max-size", "JINGYU_MAX_SIZE", Some("4G");
    CACHE_DIR = "--cache-dir", "JINGYU_CACHE_DIR", None;
    RETRIES = "--retries", "JINGYU_RETRIES", Some("3");
    RETRY_MAX_TIME = "--retry-max-time", "JINGYU_RETRY_MAX_TIME", Some("120");
    CONNECT_TIMEOUT = "--connect-timeout", "JINGYU_CONNECT_TIMEOUT", Some("30");
    READ_TIMEOUT = "--read-timeout", "JINGYU_READ_TIMEOUT", Some("60");
    MAX_TIME = "--max-time", "JINGYU_MAX_TIME", None;
    SPEED_LIMIT = "--speed-limit", "JINGYU_SPEED_LIMIT", Some("1024");
    SPEED_TIME = "--speed-time", "JINGYU_SPEED_TIME", Some("30");
}

/// Flags with no variable.
#[cfg(test)]
pub(crate) const WITHOUT_VARIABLE: [&str; 5] = [
    "--rate",
    "--remove",
    "--download-all",
    "--version",
    "--help",
];

#[cfg(test)]
mod tests;

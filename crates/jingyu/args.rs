//! The command line, as typed: every flag with its help line. No checks beyond
//! types here; `plan.rs` merges in the environment and validates.

use argh::FromArgs;

/// Download a release binary from GitHub, GitLab or Gitea/Forgejo (or a URL, or a
/// local archive), verify it and install it. A static, eget-compatible downloader
/// for Docker builds.
#[derive(FromArgs, Clone, Debug, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // eget's switches, one field each
#[argh(
    help_triggers("-h", "--help"),
    example = "Install the latest release of a tool into the current directory:
  $ jingyu casey/just

Pin a version and install into a directory (what a Dockerfile should do):
  $ jingyu casey/just --tag 1.42.4 --to /usr/local/bin/

Fetch for another platform, or see what would be picked:
  $ jingyu BurntSushi/ripgrep --system linux/arm64 --to /out/
  $ jingyu sharkdp/fd --system aarch64-unknown-linux-musl --dry-run --verbose

Take one file out of the archive, a directory, or the whole tree:
  $ jingyu cli/cli --file gh --to ~/bin/
  $ jingyu https://go.dev/dl/go1.25.4.linux-amd64.tar.gz --file go --to /usr/local/go
  $ jingyu helix-editor/helix --tree --to /opt/helix/

Many tools from a manifest, pinned per platform (see jingyu install --help):
  $ jingyu lock --platform linux/amd64 --platform linux/arm64
  $ jingyu install --locked --to /out/

From a direct URL or a local file:
  $ jingyu https://example.com/tool-linux-amd64.tar.gz --verify-sha256 <hex>

In a Dockerfile (exec form: ARGs arrive as environment variables):
  FROM jingyu AS fetch
  ARG TARGETPLATFORM
  ARG JINGYU_TAG=1.42.4
  RUN [\"jingyu\", \"casey/just\", \"--to\", \"/out/\"]
  FROM scratch
  COPY --from=fetch /out/just /usr/local/bin/just

Or bind-mounted into any stage:
  RUN --mount=type=bind,from=jingyu,source=/usr/local/bin/jingyu,target=/usr/local/bin/jingyu \\
      jingyu casey/just --to /usr/local/bin",
    note = "Every option can also be set with an environment variable, JINGYU_ plus its name
(JINGYU_TAG, JINGYU_TO, JINGYU_SYSTEM, JINGYU_ASSET, JINGYU_FILE, JINGYU_QUIET=1 ...);
flags win. The target may come from JINGYU_TARGET. The platform defaults to BuildKit's
TARGETPLATFORM (or TARGETOS/TARGETARCH/TARGETVARIANT), else the host. A token is read
from JINGYU_GITHUB_TOKEN, EGET_GITHUB_TOKEN, GITHUB_TOKEN or GH_TOKEN (@path reads a
file), else /run/secrets/github_token; GITHUB_API_URL sets the API. GitLab reads
GITLAB_TOKEN or CI_JOB_TOKEN and GITLAB_API_URL, Gitea/Forgejo GITEA_TOKEN or
FORGEJO_TOKEN and GITEA_API_URL; each token goes to its own forge alone. EGET_BIN or
JINGYU_BIN is the default destination. eget's config file ($EGET_CONFIG, ~/.eget.toml,
./eget.toml or ~/.config/eget/eget.toml) applies below flags and variables."
)]
pub(crate) struct Args {
    /// owner/repo, a forge URL (github.com/o/r, gitlab.com/group/sub/project, codeberg.org/o/r), a direct http(s) URL, or a local file
    #[argh(positional)]
    pub(crate) target: Option<String>,

    /// release tag to download (default: the latest release)
    #[argh(option, short = 't')]
    pub(crate) tag: Option<String>,

    /// include pre-releases when looking for the latest release
    #[argh(switch)]
    pub(crate) pre_release: bool,

    /// take only releases published at least this long ago, e.g. 7d or 36h (a cooldown)
    #[argh(option)]
    pub(crate) min_age: Option<String>,

    /// download the source code archive of the release instead of an asset
    #[argh(switch)]
    pub(crate) source: bool,

    /// the forge of owner/repo or of an unknown host: github, gitlab or gitea (default: from the host, else github)
    #[argh(option)]
    pub(crate) forge: Option<String>,

    /// where to install: a directory (existing, or ending in /), a file name, or - for stdout
    #[argh(option)]
    pub(crate) to: Option<String>,

    /// target platform: os/arch[/variant] (linux/arm64, linux/arm/v7), a Rust triple, all, or a comma-separated list
    #[argh(option, short = 's')]
    pub(crate) system: Option<String>,

    /// glob selecting files to extract from the archive (repeatable)
    #[argh(option, short = 'f')]
    pub(crate) file: Vec<String>,

    /// extract every candidate (each executable, or each --file match), not one, flattened into --to
    #[argh(switch)]
    pub(crate) all: bool,

    /// extract the whole archive below --to, keeping its layout (less a shared top directory)
    #[argh(switch)]
    pub(crate) tree: bool,

    /// only print errors and warnings on stderr
    #[argh(switch, short = 'q')]
    pub(crate) quiet: bool,

    /// keep the downloaded asset as it is; do not extract
    #[argh(switch, short = 'd')]
    pub(crate) download_only: bool,

    /// only download if the release is newer than the installed file
    #[argh(switch)]
    pub(crate) upgrade_only: bool,

    /// filter assets by substring; ^x excludes x (repeatable)
    #[argh(option, short = 'a')]
    pub(crate) asset: Vec<String>,

    /// fail unless a checksum (flag, API digest, sidecar or checksums file) verifies the download
    #[argh(switch)]
    pub(crate) require_verified: bool,

    /// fail unless a signature verifies the download: a Sigstore bundle, a GitHub attestation, or minisign/cosign with their keys
    #[argh(switch)]
    pub(crate) require_signed: bool,

    /// minisign public key (RW...) or its .pub file: checks ASSET.minisig from the release (or URL.minisig)
    #[argh(option)]
    pub(crate) minisign_key: Option<String>,

    /// cosign public key file (cosign.pub, ECDSA P-256): checks ASSET.sig from the release (or URL.sig)
    #[argh(option)]
    pub(crate) cosign_key: Option<String>,

    /// who must have signed Sigstore bundles and attestations: owner/repo, or a workflow URI with * globs (repeatable; default: the release's repository)
    #[argh(option)]
    pub(crate) signer: Vec<String>,

    /// the OIDC issuer of the signing certificate (default https://token.actions.githubusercontent.com)
    #[allow(clippy::doc_markdown)] // help text, not Markdown
    #[argh(option)]
    pub(crate) signer_issuer: Option<String>,

    /// a Sigstore trusted_root.json that replaces the compiled-in public-good root
    #[allow(clippy::doc_markdown)] // help text, not Markdown
    #[argh(option)]
    pub(crate) trusted_root: Option<String>,

    /// install even if the binary's header says it is for another platform
    #[argh(switch)]
    pub(crate) skip_binary_check: bool,

    /// print the sha256 of the downloaded asset
    #[argh(switch)]
    pub(crate) sha256: bool,

    /// fail unless the downloaded asset has this sha256
    #[argh(option)]
    pub(crate) verify_sha256: Option<String>,

    /// show the GitHub API rate limit and exit
    #[argh(switch)]
    pub(crate) rate: bool,

    /// remove the installed binary for the target instead of installing
    #[argh(switch, short = 'r')]
    pub(crate) remove: bool,

    /// install every repository section of eget's config file, each with its own settings
    #[argh(switch, short = 'D')]
    pub(crate) download_all: bool,

    /// skip TLS certificate verification (no token is sent then)
    #[argh(switch, short = 'k')]
    pub(crate) disable_ssl: bool,

    /// print the version and exit (as eget's -v; explanations are --verbose)
    #[argh(switch, short = 'v')]
    pub(crate) version: bool,

    /// resolve the release and asset, print the asset's name and URL, download nothing
    #[argh(switch)]
    pub(crate) dry_run: bool,

    /// explain each decision on stderr (what was picked and why)
    #[argh(switch)]
    pub(crate) verbose: bool,

    /// print each installed path on stdout, one per line, for scripts (eget prints none)
    #[argh(switch)]
    pub(crate) print_paths: bool,

    /// with several --system platforms, go on past one that has no asset (a warning)
    #[argh(switch)]
    pub(crate) skip_missing: bool,

    /// write an SPDX 2.3 JSON SBOM of what was installed to this file
    #[argh(option)]
    pub(crate) sbom: Option<String>,

    /// most bytes extraction may write, e.g. 512M or 4G (default 4G)
    #[argh(option)]
    pub(crate) max_size: Option<String>,

    /// directory of verified downloads keyed by sha256 (a BuildKit cache mount)
    #[argh(option)]
    pub(crate) cache_dir: Option<String>,

    /// retries after a failed request or a dropped download (default 3)
    #[argh(option)]
    pub(crate) retries: Option<String>,

    /// seconds after which no new retry starts (default 120)
    #[argh(option)]
    pub(crate) retry_max_time: Option<String>,

    /// seconds to wait for a connection (default 30)
    #[argh(option)]
    pub(crate) connect_timeout: Option<String>,

    /// seconds a read may stall before the attempt fails (default 60)
    #[argh(option)]
    pub(crate) read_timeout: Option<String>,

    /// seconds the whole run may take, retries included (default: no limit)
    #[argh(option)]
    pub(crate) max_time: Option<String>,

    /// bytes a second below which a download fails, 0 for no check (default 1024)
    #[argh(option)]
    pub(crate) speed_limit: Option<String>,

    /// seconds over which --speed-limit is averaged (default 30)
    #[argh(option)]
    pub(crate) speed_time: Option<String>,
}

/// Short switches (no value), as eget's parser (go-flags) lets them cluster.
const SHORT_SWITCHES: &str = "qdrkvhD";
/// Short options that take a value, attached (`-tv1.2.0`) or next.
const SHORT_VALUES: &str = "tsfa";
/// Long options that take a value (the next argument is that value, even if
/// it starts with `-`). A test holds this list to the usage line.
pub(crate) const LONG_VALUES: [&str; 23] = [
    "--tag",
    "--cosign-key",
    "--signer",
    "--signer-issuer",
    "--trusted-root",
    "--minisign-key",
    "--min-age",
    "--forge",
    "--to",
    "--system",
    "--file",
    "--asset",
    "--verify-sha256",
    "--max-size",
    "--cache-dir",
    "--retries",
    "--retry-max-time",
    "--connect-timeout",
    "--read-timeout",
    "--max-time",
    "--speed-limit",
    "--speed-time",
    "--sbom",
];

/// Parses `argv` (without the program name), reading options as eget's
/// parser does: `--name=value` is `--name value`, short switches cluster
/// (`-qd`), and a short option takes an attached value (`-tv1.2.0`).
pub(crate) fn parse(argv: &[String]) -> Result<Args, argh::EarlyExit> {
    let split = normalise(argv);
    let refs: Vec<&str> = split.iter().map(String::as_str).collect();
    Args::from_args(&["jingyu"], &refs)
}

/// argv in the one spelling argh reads: `--name value`, `-x value`, `-x`.
fn normalise(argv: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(argv.len());
    let mut value_next = false;
    let mut rest_positional = false;
    for arg in argv {
        if value_next || rest_positional || !arg.starts_with('-') || arg == "-" {
            value_next = false;
            out.push(arg.clone());
        } else if arg == "--" {
            rest_positional = true;
            out.push(arg.clone());
        } else if let Some(long) = arg.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) if !name.is_empty() => {
                    out.push(format!("--{name}"));
                    out.push(value.to_owned());
                }
                _ => {
                    value_next = LONG_VALUES.contains(&arg.as_str());
                    out.push(arg.clone());
                }
            }
        } else {
            value_next = short_cluster(&arg[1..], &mut out).unwrap_or_else(|| {
                out.push(arg.clone());
                false
            });
        }
    }
    out
}

/// Splits `-qd`/`-tv1` (without the `-`) into separate options, as go-flags
/// reads them; whether the next argument is the last option's value. A value
/// is attached only to an option that comes first (`-tv1`); later in a
/// cluster only the last letter may take one, from the next argument. `None`
/// (left whole, for argh to refuse) when a letter is not one of eget's short
/// options or a value option is not last.
fn short_cluster(letters: &str, out: &mut Vec<String>) -> Option<bool> {
    let mut chars = letters.chars();
    let first = chars.next()?;
    if SHORT_VALUES.contains(first) {
        out.push(format!("-{first}"));
        let value = chars.as_str();
        if value.is_empty() {
            return Some(true);
        }
        out.push(value.to_owned());
        return Some(false);
    }
    let mut split = Vec::new();
    let count = letters.chars().count();
    for (i, c) in letters.chars().enumerate() {
        let last = i + 1 == count;
        if !(SHORT_SWITCHES.contains(c) || (last && SHORT_VALUES.contains(c))) {
            return None;
        }
        split.push(format!("-{c}"));
    }
    out.extend(split);
    Some(SHORT_VALUES.contains(letters.chars().last()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Args {
        let owned: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        parse(&owned).unwrap_or_else(|e| panic!("{args:?}: {}", e.output))
    }

    #[test]
    fn eget_short_and_long_flags() {
        let a = p(&[
            "-t",
            "v1",
            "-s",
            "linux/arm64",
            "-f",
            "rg",
            "-q",
            "-d",
            "-a",
            "musl",
            "-a",
            "^gnu",
            "-k",
            "o/r",
        ]);
        assert_eq!(a.tag.as_deref(), Some("v1"));
        assert_eq!(a.system.as_deref(), Some("linux/arm64"));
        assert_eq!(a.file, ["rg"]);
        assert!(a.quiet && a.download_only && a.disable_ssl);
        assert_eq!(a.asset, ["musl", "^gnu"]);
        assert_eq!(a.target.as_deref(), Some("o/r"));
    }

    #[test]
    fn equals_form_is_split() {
        let a = p(&["--tag=1.2.3", "--to=/out/", "o/r"]);
        assert_eq!(
            (a.tag.as_deref(), a.to.as_deref()),
            (Some("1.2.3"), Some("/out/"))
        );
    }

    #[test]
    fn short_options_cluster_and_take_attached_values_as_eget_reads_them() {
        let a = p(&["-qd", "-tv1.2.0", "-slinux/arm64", "-ka", "musl", "o/r"]);
        assert!(a.quiet && a.download_only && a.disable_ssl);
        assert_eq!(a.tag.as_deref(), Some("v1.2.0"));
        assert_eq!(a.system.as_deref(), Some("linux/arm64"));
        assert_eq!(a.asset, ["musl"]);
        // A value is never read as options, whatever it starts with.
        let a = p(&["--tag", "-qd", "-a", "-x", "--file=-v", "o/r"]);
        assert_eq!(a.tag.as_deref(), Some("-qd"));
        assert_eq!(
            (a.asset.as_slice(), a.file.as_slice()),
            (&["-x".to_owned()][..], &["-v".to_owned()][..])
        );
        assert!(!a.quiet && !a.version);
        // Unknown letters are left for argh to refuse, and so (as go-flags
        // refuses it) is a value option that is neither first nor last.
        assert!(parse(&["-qz".to_owned()]).is_err());
        assert!(parse(&["-qtv1.0".to_owned(), "o/r".to_owned()]).is_err());
        let a = p(&["-qt", "v1.0", "o/r"]);
        assert!(a.quiet);
        assert_eq!(a.tag.as_deref(), Some("v1.0"));
        assert_eq!(p(&["--", "-qd"]).target.as_deref(), Some("-qd"));
    }

    #[test]
    fn the_value_taking_options_are_those_of_the_usage_line() {
        let help = Args::from_args(&["jingyu"], &["--help"])
            .unwrap_err()
            .output;
        let usage = help.lines().next().unwrap();
        // `-t, --tag` in the Options section: a short letter's long name.
        let long_of = |letter: char| {
            help.lines()
                .find_map(|l| l.trim_start().strip_prefix(&format!("-{letter}, ")))
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or_default()
        };
        let mut with_value: Vec<&str> = usage
            .split('[')
            .filter(|part| part.contains(" <"))
            .filter_map(|part| part.split_whitespace().next())
            .map(|flag| match flag.strip_prefix('-') {
                Some(short) if !short.starts_with('-') => long_of(short.chars().next().unwrap()),
                _ => flag,
            })
            .collect();
        with_value.sort_unstable();
        let mut listed = LONG_VALUES.to_vec();
        listed.sort_unstable();
        assert_eq!(with_value, listed);
        for part in usage
            .split('[')
            .filter(|part| part.starts_with('-') && !part.starts_with("--"))
        {
            let letter = part.chars().nth(1).unwrap();
            let takes_value = part.contains(" <");
            assert_eq!(SHORT_VALUES.contains(letter), takes_value, "-{letter}");
            assert!(takes_value || SHORT_SWITCHES.contains(letter), "-{letter}");
        }
    }

    #[test]
    fn to_accepts_a_dash() {
        assert_eq!(p(&["--to", "-", "o/r"]).to.as_deref(), Some("-"));
    }

    #[test]
    fn unknown_flags_are_usage_errors() {
        let err = parse(&["--bogus".to_owned()]).unwrap_err();
        assert!(err.status.is_err());
        assert!(err.output.contains("--bogus"), "{}", err.output);
    }
}

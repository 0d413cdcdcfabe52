//! The cases: argv, environment, config and files present before the run,
//! and whether jingyu must give eget's result or differ in a documented way
//! (the id is the row of the README's "Differences from eget" table).

use crate::world::{local_archive, program, TOKEN};

#[derive(Debug)]
pub(crate) enum How {
    /// eget succeeds; jingyu refuses, leaving everything as it was.
    JingyuRefuses,
    /// eget fails (or prompts, and gets no answer); jingyu succeeds.
    EgetFails,
    /// Only stdout differs.
    Stdout,
    /// Only the mode of some file differs (same paths, types and bytes).
    Mode,
}

#[derive(Debug)]
pub(crate) enum Expect {
    Same,
    Differs(&'static str, How),
}

pub(crate) struct File {
    pub(crate) path: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) mode: u32,
    pub(crate) mtime: Option<u64>,
}

pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) files: Vec<File>,
    pub(crate) expect: Expect,
}

fn case(args: &[&str]) -> Case {
    Case {
        name: args.join(" "),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        env: Vec::new(),
        files: Vec::new(),
        expect: Expect::Same,
    }
}

impl Case {
    fn named(mut self, name: &str) -> Case {
        name.clone_into(&mut self.name);
        self
    }

    fn env(mut self, key: &str, value: &str) -> Case {
        self.env.push((key.to_owned(), value.to_owned()));
        self.name = format!("{key}={value} {}", self.name);
        self
    }

    /// A file present before the run (`work/…` is in the working directory).
    fn file(self, path: &str, bytes: &[u8], mode: u32) -> Case {
        self.file_at(path, bytes, mode, None)
    }

    /// A directory that exists before the run, below `work/`.
    fn dir(self, rel: &str) -> Case {
        self.file(&format!("work/{rel}/.keep"), b"", 0o644)
    }

    fn file_at(mut self, path: &str, bytes: &[u8], mode: u32, mtime: Option<u64>) -> Case {
        self.files.push(File {
            path: path.to_owned(),
            bytes: bytes.to_vec(),
            mode,
            mtime,
        });
        self
    }

    /// An eget config file at `path` (`home/.eget.toml`, `work/eget.toml`, …).
    fn config(self, path: &str, text: &str) -> Case {
        let name = format!("[{path}: {}] {}", text.replace('\n', "; "), self.name);
        self.file(path, text.as_bytes(), 0o644).named(&name)
    }

    fn differs(mut self, id: &'static str, how: How) -> Case {
        self.expect = Expect::Differs(id, how);
        self
    }
}

/// Every repository of the world with the ways of installing it.
const REPOS: [&str; 8] = [
    "o/tool", "o/bare", "o/gz", "o/xz", "o/bz", "o/zip", "o/sums", "o/deb",
];

const PLACES: [&[&str]; 11] = [
    &[],
    &["--to", "bin/"],
    &["--to", "new/"],
    &["--to", "{root}/abs/"],
    &["--to", "renamed"],
    &["--to", "-"],
    &["-d"],
    &["-q"],
    &["--sha256"],
    &["-s", "linux/arm64"],
    &["-s", "darwin/amd64"],
];

fn places() -> Vec<Case> {
    let mut out = Vec::new();
    for repo in REPOS {
        for place in PLACES {
            let mut args = vec![repo];
            args.extend_from_slice(place);
            // `bin/` and `abs/` exist; `new/` does not.
            out.push(
                case(&args)
                    .file("work/bin/.keep", b"", 0o644)
                    .file("abs/.keep", b"", 0o644),
            );
        }
        out.push(
            case(&[repo])
                .env("EGET_BIN", "{root}/ebin")
                .file("ebin/.keep", b"", 0o644),
        );
    }
    out
}

fn tags() -> Vec<Case> {
    [
        &["o/tool", "--tag", "v1.0"][..],
        &["o/tool", "-t", "v1.1"],
        &["o/tool", "-tv1.0"],
        &["o/tool", "--tag=v1.0"],
        &["o/tool", "--tag", "1.0"],
        &["o/tool", "--tag", "1.2"],
        &["o/tool", "--tag", "v1.2"],
        &["o/tool", "--tag", "rc"],
        &["o/tool", "--tag", "rc", "--pre-release"],
        &["o/tool", "--tag", "v9"],
        &["o/tool", "--pre-release"],
        &["o/tool", "--pre-release", "--tag", "v1.0"],
        &["o/tool", "-qtv1.0", "-d"],
    ]
    .iter()
    .map(|a| case(a))
    .collect()
}

fn assets() -> Vec<Case> {
    [
        &["o/tool", "-a", "arm64"][..],
        &["o/tool", "-a", "linux", "-a", "amd64"],
        &["o/tool", "-a", "^arm64"],
        &["o/tool", "-a", "darwin"],
        &["o/tool", "-a", "zip"],
        &["o/tool", "-a", "nothing-like-this"],
        &["o/tool", "-s", "windows/amd64"],
        &["o/tool", "-s", "linux/arm64", "-a", "tar.gz"],
        &["o/bare", "-a", "darwin"],
        &["o/bare", "-s", "linux/arm64", "--to", "pkg/"],
        &["o/deb", "-a", ".deb"],
        &["o/deb", "-a", ".deb", "--to", "pkg/"],
        &["o/exe", "-s", "windows/amd64"],
        &["o/onlymac"],
        &["o/onlymac", "-s", "darwin/arm64"],
    ]
    .iter()
    .map(|a| case(a).dir("pkg"))
    .collect()
}

fn files() -> Vec<Case> {
    let dirs = ["docs", "bin", "man", "pkg"];
    [
        &["o/tool", "--file", "README.md"][..],
        &["o/tool", "-f", "LICENSE", "--to", "docs/"],
        &["o/tool", "--file", "tool"],
        &["o/tool", "--file", "nothing"],
        &["o/multi", "--file", "alpha"],
        &["o/multi", "--file", "beta", "--to", "bin/"],
        &["o/multi", "--file", "doc.txt"],
        &["o/multi", "-f", "alpha.1", "--to", "man/"],
        &["o/multi"],
        &["o/zip", "--file", "zip", "--to", "z"],
    ]
    .iter()
    .map(|a| dirs.iter().fold(case(a), |c, d| c.dir(d)))
    .collect()
}

/// Directory trees, `--all` and eget's `EGET_BIN` rules.
fn trees() -> Vec<Case> {
    let mut out: Vec<Case> = [
        &["o/go", "--file", "go"][..],
        &["o/go", "--file", "go", "--to", "go1.25"],
        &["o/go", "--file", "go", "--to", "{root}/opt/go1.25"],
        &["o/go", "--file", "go", "--to", "bin/"],
        &["o/go", "--file", "go/share"],
        &["o/go", "--file", "share", "--to", "dst/"],
        &["o/go", "--file", "src", "--to", "bin"],
        &["o/go", "--file", "*"],
        &["o/go", "--file", "*", "--to", "bin/"],
        &["o/go", "--file", "go*"],
        &["o/go", "--all", "--file", "go*"],
        &["o/go", "--all"],
        &["o/go", "--all", "--to", "bin/"],
        &["o/go", "--all", "--to", "many"],
        &["o/go", "--file", "*.1"],
        &["o/go", "--file", "VERSION"],
        &["o/go", "--file", "gofmt", "--to", "bin/"],
        &["o/go"],
        &["o/golink", "--file", "go", "--to", "g"],
        &["o/golink", "--file", "bin"],
        &["o/multi", "--all"],
        &["o/multi", "--all", "--to", "bin/"],
        &["o/multi", "--all", "--file", "*.txt"],
        &["o/multi", "--file", "*", "--to", "bin/"],
        &["o/tool", "--all"],
        &["o/tool", "--all", "--file", "*"],
        &["o/zip", "--all", "--to", "bin/"],
    ]
    .iter()
    .map(|a| case(a).dir("bin"))
    .collect();
    let ebin = |c: Case| {
        c.env("EGET_BIN", "{root}/ebin")
            .file("ebin/.keep", b"", 0o644)
    };
    for args in [
        &["o/tool", "--to", "named"][..],
        &["o/tool", "--to", "sub/named"],
        &["o/tool", "-d"],
        &["o/tool", "--file", "README.md"],
        &["o/multi", "--all"],
        &["o/go", "--file", "go"],
        &["o/bare", "--to", "b2"],
        &["o/tool", "--file", "tool"],
    ] {
        out.push(ebin(case(args)));
    }
    out
}

fn sources() -> Vec<Case> {
    let hex = jingyu_fake::sha256_hex(&local_archive());
    vec![
        case(&["o/sums", "--verify-sha256", &"0".repeat(64)]),
        case(&["o/badsum"]),
        case(&["o/secret"]),
        case(&["o/secret"]).env("EGET_GITHUB_TOKEN", TOKEN),
        case(&["o/secret"]).env("GITHUB_TOKEN", TOKEN),
        case(&["no/such-repo"]),
        case(&["o/src", "--source", "--tag", "v1"]),
        case(&["o/src", "--source", "--tag", "v1", "-d"]),
        case(&["local.tar.gz"]).file("work/local.tar.gz", &local_archive(), 0o644),
        case(&["local.tar.gz", "--to", "out/"])
            .file("work/local.tar.gz", &local_archive(), 0o644)
            .dir("out"),
        case(&["local.tar.gz", "--verify-sha256", &hex]).file(
            "work/local.tar.gz",
            &local_archive(),
            0o644,
        ),
        case(&["local.tar.gz", "--sha256", "--to", "-"]).file(
            "work/local.tar.gz",
            &local_archive(),
            0o644,
        ),
        case(&["o/src", "--source"]).differs("source-default-branch", How::EgetFails),
        case(&["o/tool", "-s", "all"]),
        case(&["o/bare", "-s", "all", "-a", "darwin"]),
        case(&[
            "o/sums",
            "--verify-sha256",
            &jingyu_fake::sha256_hex(&crate::world::sums_archive()),
        ]),
        case(&["{assets}/dl/o/bare/v3/bare-linux-amd64"]),
        case(&["{assets}/dl/o/bare/v3/bare-linux-amd64", "--to", "b"]),
        case(&["{assets}/dl/o/tool/v1.0/tool-v1.0-linux-amd64.tar.gz"]),
        case(&[
            "{assets}/dl/o/tool/v1.0/tool-v1.0-linux-amd64.tar.gz",
            "--file",
            "README.md",
        ]),
        case(&["{assets}/dl/o/gz/v1/gz-linux-amd64.gz"]).differs("program-exec-bit", How::Mode),
        case(&["{assets}/dl/o/gz/v1/gz-linux-amd64.gz", "-d"]),
        case(&[
            "{assets}/dl/o/go/v1/go-v1-linux-amd64.tar.gz",
            "--file",
            "go",
            "--to",
            "go1",
        ]),
        case(&["{assets}/dl/no/such/file.tar.gz"]),
        case(&["https://github.com/o/tool"]),
        case(&["https://github.com/o/tool", "--tag", "v1.0"]),
    ]
}

fn maintenance() -> Vec<Case> {
    let old = program("linux/amd64", "old");
    vec![
        case(&["o/tool", "--upgrade-only"])
            .file_at("work/tool", &old, 0o755, Some(1_000_000_000))
            .named("--upgrade-only over a file from 2001"),
        case(&["o/tool", "--upgrade-only"])
            .file_at("work/tool", &old, 0o755, Some(4_000_000_000))
            .named("--upgrade-only over a file from 2096"),
        case(&["o/tool", "--upgrade-only", "--to", "bin/"]).file_at(
            "work/bin/tool",
            &old,
            0o755,
            Some(4_000_000_000),
        ),
        case(&["o/tool", "--upgrade-only"]),
        case(&["o/tool", "--remove"]).file("work/tool", &old, 0o755),
        case(&["--rate"]),
        case(&["-v"]).differs("version", How::Stdout),
        case(&["--version", "o/tool"]).differs("version", How::Stdout),
        case(&[]).differs("no-target", How::JingyuRefuses),
        case(&["-h"]).differs("help", How::Stdout),
        case(&["--help", "o/tool"]).differs("help", How::Stdout),
        case(&["o/tool", "-k"]),
        case(&["o/tool", "--no-such-flag"]),
    ]
}

fn configs() -> Vec<Case> {
    let section = |body: &str| format!("[\"o/tool\"]\n{body}\n");
    let mut out: Vec<Case> = [
        "tag = \"v1.0\"",
        "system = \"linux/arm64\"",
        "target = \"cfg/\"",
        "download_only = true",
        "file = \"README.md\"",
        "asset_filters = [\"arm64\"]",
        "show_hash = true",
        "quiet = true",
        "upgrade_only = true",
        "verify_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"",
        "name = \"renamed\"",
        "unknown_key = 1",
        "all = true",
        "download_source = true",
        "disable_ssl = true",
        "all = true\nfile = \"*.md\"",
        "tag = \"1.0\"",
        "system = \"darwin/amd64\"\nupgrade_only = true",
    ]
    .iter()
    .map(|body| {
        case(&["o/tool"])
            .dir("cfg")
            .config("home/.eget.toml", &section(body))
    })
    .collect();
    let global = "[global]\ntarget = \"g/\"\nsystem = \"linux/arm64\"\nshow_hash = true\n";
    out.extend([
        case(&["o/tool"]).dir("g").config("home/.eget.toml", global),
        case(&["o/tool"]).dir("g").config(
            "home/.eget.toml",
            &format!("{global}{}", section("tag = \"v1.0\"")),
        ),
        case(&["o/tool", "--tag", "v1.1", "--to", "flag/"])
            .dir("flag")
            .config(
                "home/.eget.toml",
                &section("tag = \"v1.0\"\ntarget = \"cfg/\""),
            ),
        case(&["o/tool"]).config("work/eget.toml", &section("tag = \"v1.0\"")),
        case(&["o/tool"]).config("home/.config/eget/eget.toml", &section("tag = \"v1.0\"")),
        case(&["o/tool"])
            .config("cfg.toml", &section("tag = \"v1.0\""))
            .env("EGET_CONFIG", "{root}/cfg.toml"),
        case(&["o/tool"])
            .config("x/eget/eget.toml", &section("tag = \"v1.0\""))
            .env("XDG_CONFIG_HOME", "{root}/x"),
        case(&["o/secret"]).config(
            "home/.eget.toml",
            &format!("[global]\ngithub_token = \"{TOKEN}\"\n"),
        ),
        case(&["o/multi"]).config("home/.eget.toml", "[global]\nall = true\nquiet = true\n"),
        case(&["o/tool"]).config("home/.eget.toml", "[global]\ndownload_only = true\n"),
        case(&["o/tool"]).file_at("work/tool", b"old", 0o755, Some(4_000_000_000)).config("home/.eget.toml", "[global]\nupgrade_only = true\n"),
        case(&["o/src"]).config("home/.eget.toml", "[global]\ndownload_source = true\n[\"o/src\"]\ntag = \"v1\"\n"),
        case(&["o/tool", "-d"]).config("home/.eget.toml", "[global]\nfile = \"README.md\"\n"),
        case(&["o/tool"]).config("home/.eget.toml", "[global]\nall = true\n[\"o/tool\"]\nall = false\n"),
        case(&["-D"]).dir("d").config("home/.eget.toml", "[global]\nsystem = \"linux/arm64\"\n[\"o/tool\"]\ntarget = \"d/\"\n[\"o/bare\"]\nsystem = \"linux/arm64\"\ntarget = \"d/\"\n"),
        case(&["-D"]).dir("d").config(
            "home/.eget.toml",
            "[\"o/bare\"]\ntarget = \"d/\"\n[\"o/xz\"]\ntarget = \"d/\"\n",
        ),
        case(&["-D"]),
        case(&["o/tool"]).config("home/.eget.toml", "[\"o/tool\"]\nquiet = 1\n"),
        case(&["o/tool"]).config("home/.eget.toml", "[\"o/tool\"\n"),
    ]);
    out
}

/// Where jingyu differs on purpose, by case name.
fn deliberate() -> Vec<(String, &'static str, How)> {
    let mut out = Vec::new();
    for repo in REPOS {
        out.push((format!("{repo} --to new/"), "to-new-dir", How::EgetFails));
    }
    for repo in ["o/gz", "o/xz", "o/bz", "o/zip", "o/sums", "o/deb"] {
        out.push((
            format!("{repo} -s linux/arm64"),
            "header-check",
            How::JingyuRefuses,
        ));
    }
    // (o/deb for darwin: eget prompts between the package and the program.)
    for repo in ["o/gz", "o/xz", "o/bz", "o/zip", "o/sums"] {
        out.push((
            format!("{repo} -s darwin/amd64"),
            "header-check",
            How::JingyuRefuses,
        ));
    }
    out.extend([
        ("o/onlymac".to_owned(), "header-check", How::JingyuRefuses),
        ("o/sums --sha256".to_owned(), "sha256-always", How::Stdout),
        (
            "o/tool --remove".to_owned(),
            "remove-owner-repo",
            How::EgetFails,
        ),
    ]);
    out
}

pub(crate) fn all() -> Vec<Case> {
    let mut all = places();
    for group in [
        tags(),
        assets(),
        trees(),
        files(),
        sources(),
        maintenance(),
        configs(),
    ] {
        all.extend(group);
    }
    for (name, id, how) in deliberate() {
        let mut found = all.iter_mut().filter(|c| c.name == name);
        let case = found
            .next()
            .unwrap_or_else(|| panic!("no case is named `{name}`"));
        case.expect = Expect::Differs(id, how);
        assert!(found.next().is_none(), "two cases are named `{name}`");
    }
    all
}

//! The asset-picking corpus: real release asset lists with the pick expected for
//! every platform Docker builds for (see `tests/corpus/README.md` for the format
//! and where each list comes from). One table-driven test checks every entry.

use std::fmt::Write as _;
use std::path::Path;

use jingyu_pick::{choose, PickError, Request, System};

/// Every project is checked on these; an unlisted one expects no asset.
const MATRIX: &[&str] = &[
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/riscv64",
    "linux/ppc64le",
    "linux/s390x",
    "darwin/amd64",
    "darwin/arm64",
    "windows/amd64",
    "windows/arm64",
    "windows/386",
    "freebsd/amd64",
];

/// What a platform should get from a release.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    Asset(String),
    /// More than one asset fits equally well: jingyu must ask for `--asset`.
    Ambiguous,
    None,
}

#[derive(Debug, Default)]
struct Project {
    name: String,
    file: String,
    line: usize,
    source: String,
    assets: Vec<String>,
    expect: Vec<(String, Expect)>,
}

impl Project {
    fn expected(&self, platform: &str) -> Expect {
        self.expect
            .iter()
            .find(|(p, _)| p == platform)
            .map_or(Expect::None, |(_, e)| e.clone())
    }

    /// The matrix plus any extra platform (a triple, loong64) the entry names.
    fn platforms(&self) -> Vec<String> {
        let mut all: Vec<String> = MATRIX.iter().map(|p| (*p).to_owned()).collect();
        for (p, _) in &self.expect {
            if !all.contains(p) {
                all.push(p.clone());
            }
        }
        all
    }
}

fn parse(file: &str, text: &str) -> Vec<Project> {
    let mut projects: Vec<Project> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{file}:{}", n + 1);
        if let Some(name) = line.strip_prefix("== ") {
            projects.push(Project {
                name: name.trim().to_owned(),
                file: file.to_owned(),
                line: n + 1,
                ..Project::default()
            });
            continue;
        }
        let project = projects
            .last_mut()
            .unwrap_or_else(|| panic!("{at}: a line before the first `== owner/repo tag`"));
        if let Some(source) = line.strip_prefix("source ") {
            source.trim().clone_into(&mut project.source);
        } else if let Some(rest) = line.strip_prefix("? ") {
            for platform in rest.split_whitespace() {
                project
                    .expect
                    .push((platform.to_owned(), Expect::Ambiguous));
            }
        } else {
            let mut words = line.split_whitespace();
            let asset = words.next().unwrap_or_default().to_owned();
            for platform in words {
                let e = Expect::Asset(asset.clone());
                project.expect.push((platform.to_owned(), e));
            }
            project.assets.push(asset);
        }
    }
    projects
}

fn load() -> Vec<Project> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            parse(&name, &text)
        })
        .collect()
}

fn outcome(repo: &str, assets: &[String], platform: &str) -> Expect {
    let names: Vec<&str> = assets.iter().map(String::as_str).collect();
    let system = System::parse(platform).unwrap_or_else(|e| panic!("{e}"));
    let project = repo.split('/').nth(1);
    let request = Request {
        system: Some(system),
        filters: &[],
        project,
    };
    // `None` is "nothing fits": eget's lone-asset fallback (which the binary
    // header check then guards) is not a fit.
    match choose(&names, &request) {
        Ok(choice) if choice.fallback().is_some() => Expect::None,
        Ok(choice) => Expect::Asset(choice.name),
        Err(PickError::Ambiguous { .. }) => Expect::Ambiguous,
        Err(PickError::NoMatch { .. } | PickError::Empty) => Expect::None,
    }
}

/// Checks the entry's own consistency: a source, assets, no duplicates, and
/// every expected platform parses.
fn lint(p: &Project, problems: &mut String) {
    let at = format!("{}:{} {}", p.file, p.line, p.name);
    if p.source.is_empty() {
        let _ = writeln!(problems, "{at}: no `source` line");
    }
    if p.assets.is_empty() {
        let _ = writeln!(problems, "{at}: no assets");
    }
    let mut sorted = p.assets.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != p.assets.len() {
        let _ = writeln!(problems, "{at}: an asset is listed twice");
    }
    let mut platforms: Vec<&String> = p.expect.iter().map(|(p, _)| p).collect();
    let count = platforms.len();
    platforms.sort();
    platforms.dedup();
    if platforms.len() != count {
        let _ = writeln!(problems, "{at}: a platform is expected twice");
    }
    for platform in platforms {
        if let Err(e) = System::parse(platform) {
            let _ = writeln!(problems, "{at}: {e}");
        }
    }
}

#[test]
fn every_corpus_entry_picks_as_expected_on_every_platform() {
    let projects = load();
    let mut problems = String::new();
    let mut checks = 0;
    for p in &projects {
        lint(p, &mut problems);
        for platform in p.platforms() {
            checks += 1;
            let want = p.expected(&platform);
            let repo = p.name.split_whitespace().next().unwrap_or_default();
            let got = outcome(repo, &p.assets, &platform);
            if got != want {
                let _ = writeln!(
                    problems,
                    "{}:{} {} on {platform}: expected {want:?}, got {got:?}",
                    p.file, p.line, p.name
                );
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{checks} checks; failures:\n{problems}"
    );
    let mut repos: Vec<&str> = projects
        .iter()
        .map(|p| p.name.split_whitespace().next().unwrap_or_default())
        .collect();
    repos.sort_unstable();
    repos.dedup();
    assert!(
        repos.len() >= 200,
        "the corpus covers {} projects; it must cover at least 200",
        repos.len()
    );
}

#[test]
fn the_corpus_parser_reads_expectations() {
    let text = "== o/r v1\nsource https://example.com\n\
                a-linux-amd64.tgz linux/amd64 x86_64-unknown-linux-gnu # a comment\n\
                a-darwin-universal.tgz\n? darwin/arm64\n";
    let projects = parse("t.txt", text);
    let p = &projects[0];
    assert_eq!(p.assets, ["a-linux-amd64.tgz", "a-darwin-universal.tgz"]);
    assert_eq!(
        p.expected("linux/amd64"),
        Expect::Asset("a-linux-amd64.tgz".into())
    );
    assert_eq!(p.expected("darwin/arm64"), Expect::Ambiguous);
    assert_eq!(p.expected("linux/riscv64"), Expect::None);
    assert_eq!(p.platforms().len(), MATRIX.len() + 1);
}

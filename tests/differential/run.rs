//! Running one binary on one case in a fresh directory, and what it left:
//! success, stdout, and the tree (path, type, mode, bytes).

use std::fmt;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use crate::cases::Case;
use crate::world::WORLD;

/// One entry left in the case directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) path: String,
    /// `dir`, `file 0755 <sha256>` or `link -> target`.
    pub(crate) what: String,
}

pub(crate) struct Outcome {
    pub(crate) ok: bool,
    code: i32,
    stdout: String,
    stderr: String,
    pub(crate) tree: Vec<Entry>,
    /// The tree before the run.
    pub(crate) before: Vec<Entry>,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "exit {}\nstdout: {:?}", self.code, self.stdout)?;
        for e in &self.tree {
            writeln!(f, "  {} {}", e.path, e.what)?;
        }
        write!(f, "stderr:\n{}", self.stderr.trim_end())
    }
}

/// The tree with every mode left out.
pub(crate) fn without_modes(tree: &[Entry]) -> Vec<(String, String)> {
    tree.iter()
        .map(|e| {
            let mut words: Vec<&str> = e.what.split(' ').collect();
            if words.len() > 1 && words[0] != "link" {
                words.remove(1);
            }
            (e.path.clone(), words.join(" "))
        })
        .collect()
}

/// Which of the compared results differ: `success`, `files`, `stdout`.
pub(crate) fn differences(a: &Outcome, b: &Outcome) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.ok != b.ok {
        out.push("success");
    }
    if a.tree != b.tree {
        out.push("files");
    }
    if a.stdout != b.stdout {
        out.push("stdout");
    }
    out
}

/// Runs `bin` on `case` in a directory of its own: `ROOT/home` is `HOME`,
/// `ROOT/work` the working directory; `{root}` in arguments and variables is
/// ROOT.
pub(crate) fn run(bin: &Path, case: &Case) -> Outcome {
    let root = scratch(&case.name);
    let fill = |s: &str| {
        s.replace("{root}", &root.display().to_string())
            .replace("{assets}", &WORLD.assets)
    };
    for dir in ["home", "work"] {
        fs::create_dir_all(root.join(dir)).unwrap();
    }
    for f in &case.files {
        let path = root.join(&f.path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, fill_bytes(&f.bytes, &root)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(f.mode)).unwrap();
        if let Some(t) = f.mtime {
            let handle = fs::File::options().write(true).open(&path).unwrap();
            handle
                .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(t))
                .unwrap();
        }
    }
    let before = tree(&root);
    let w = &*WORLD;
    let mut cmd = Command::new(bin);
    cmd.args(case.args.iter().map(|a| fill(a)))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", root.join("home"))
        .env("HTTPS_PROXY", w.proxy.url())
        .env("SSL_CERT_FILE", &w.ca_file)
        .envs(case.env.iter().map(|(k, v)| (k, fill(v))))
        .current_dir(root.join("work"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (code, stdout, stderr) = bounded(&mut cmd);
    let tree = tree(&root);
    let _ = fs::remove_dir_all(&root);
    let root_text = root.display().to_string();
    Outcome {
        ok: code == 0,
        code,
        stdout: stdout.replace(&root_text, "{root}"),
        stderr: stderr.replace(&root_text, "{root}"),
        tree,
        before,
    }
}

fn fill_bytes(bytes: &[u8], root: &Path) -> Vec<u8> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text
            .replace("{root}", &root.display().to_string())
            .into_bytes(),
        Err(_) => bytes.to_vec(),
    }
}

/// Runs with a minute's limit (a prompt that waited would hang the suite).
fn bounded(cmd: &mut Command) -> (i32, String, String) {
    let mut child = cmd.spawn().expect("start the binary");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let text = |v: Vec<u8>| String::from_utf8_lossy(&v).into_owned();
    (
        status.code().unwrap_or(-1),
        text(reader.join().unwrap()),
        text(err_reader.join().unwrap()),
    )
}

/// Every entry below `root`, sorted, with what it is.
fn tree(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Entry>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let meta = fs::symlink_metadata(&path).unwrap();
        let what = if meta.file_type().is_symlink() {
            format!("link -> {}", fs::read_link(&path).unwrap().display())
        } else if meta.is_dir() {
            walk(root, &path, out);
            format!("dir {:04o}", meta.mode() & 0o7777)
        } else {
            let bytes = fs::read(&path).unwrap_or_default();
            format!(
                "file {:04o} {}",
                meta.mode() & 0o7777,
                jingyu_fake::sha256_hex(&bytes)
            )
        };
        out.push(Entry { path: rel, what });
    }
}

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "diff-{}-{}-{slug}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    dir
}

/// `judge` over every case on all cores; the failures, in case order.
pub(crate) fn in_parallel(
    cases: &[Case],
    judge: impl Fn(&Case) -> Option<String> + Sync,
) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let found = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(4, std::num::NonZero::get)
        .min(16);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                if let Some(f) = judge(case) {
                    found.lock().unwrap().push((i, f));
                }
            });
        }
    });
    let mut found = found.into_inner().unwrap();
    found.sort();
    found.into_iter().map(|(_, f)| f).collect()
}

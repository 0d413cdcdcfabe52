//! The test harness: a `Case` runs the real `jingyu` binary in a fresh
//! directory against a fake GitHub, with a clean environment, and an `Outcome`
//! offers `#[track_caller]` checks that read like the spec.

use std::cell::Cell;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jingyu_fake::FakeGitHub;

/// A scratch directory under Cargo's test tmpdir, removed on drop.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+w")
            .arg(&self.0)
            .status();
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// One run of jingyu.
pub(crate) struct Case {
    args: Vec<String>,
    env: Vec<(String, String)>,
    unprivileged: bool,
    /// The working directory, relative to the case directory.
    cwd: String,
    pub(crate) dir: Scratch,
}

impl Case {
    /// A run against `gh`, as linux/amd64 unless the test says otherwise.
    pub(crate) fn new(gh: &FakeGitHub) -> Case {
        Case {
            args: Vec::new(),
            env: vec![
                ("GITHUB_API_URL".into(), gh.api_url()),
                ("JINGYU_SYSTEM".into(), "linux/amd64".into()),
                // Most checks read the installed paths; eget's silent stdout
                // is checked where this is unset (`eget_stdout`).
                ("JINGYU_PRINT_PATHS".into(), "1".into()),
            ],
            unprivileged: false,
            cwd: String::new(),
            dir: Scratch::new(),
        }
    }

    /// A run with no fake server (local files, usage errors).
    pub(crate) fn offline() -> Case {
        Case {
            args: Vec::new(),
            env: vec![
                ("GITHUB_API_URL".into(), "http://127.0.0.1:9".into()),
                ("JINGYU_PRINT_PATHS".into(), "1".into()),
            ],
            unprivileged: false,
            cwd: String::new(),
            dir: Scratch::new(),
        }
    }

    pub(crate) fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Case {
        self.args.extend(args.into_iter().map(|a| {
            a.as_ref()
                .replace("{dir}", &self.dir.0.display().to_string())
        }));
        self
    }

    pub(crate) fn env(mut self, key: &str, value: &str) -> Case {
        self.env.retain(|(k, _)| k != key);
        self.env.push((
            key.into(),
            value.replace("{dir}", &self.dir.0.display().to_string()),
        ));
        self
    }

    /// stdout as eget gives it: no installed paths.
    pub(crate) fn eget_stdout(self) -> Case {
        self.unset("JINGYU_PRINT_PATHS")
    }

    pub(crate) fn unset(mut self, key: &str) -> Case {
        self.env.retain(|(k, _)| k != key);
        self
    }

    /// Runs as `nobody` when the tests run as root (so permissions bite).
    pub(crate) fn unprivileged(mut self) -> Case {
        self.unprivileged = true;
        self
    }

    /// Runs jingyu in `rel` below the case directory.
    pub(crate) fn cwd(mut self, rel: &str) -> Case {
        rel.clone_into(&mut self.cwd);
        self
    }

    /// A path inside the case's directory.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.0.join(rel)
    }

    /// Runs jingyu; the outcome keeps the directory alive for the checks.
    #[track_caller]
    pub(crate) fn run(self) -> Outcome {
        let at = std::panic::Location::caller();
        let mut cmd = Command::new(jingyu_bin());
        cmd.args(&self.args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.dir.0.join(&self.cwd));
        if self.unprivileged && is_root() {
            cmd.uid(65534).gid(65534);
        }
        let out = run_bounded(&mut cmd, &self.args.join(" "));
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            dir: self.dir.0.clone(),
            args: self.args.join(" "),
            at,
            checked: Cell::new(Checked::default()),
            _scratch: self.dir,
        }
    }
}

/// A run longer than this is a hang: killed, and the test fails.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// Runs `cmd` to the end, or kills it at [`RUN_LIMIT`] and fails (a hang
/// must fail the suite, not stall it).
#[track_caller]
fn run_bounded(cmd: &mut Command, args: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jingyu");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for jingyu") {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jingyu {args} ran for over {RUN_LIMIT:?}: killed (a hang)");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    std::process::Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

pub(crate) fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

/// What a run did. Checked by default, as just's test builder does: when
/// dropped, an outcome whose exit status no test looked at fails, an
/// unexamined stdout must be empty, and an unexamined stderr must hold no
/// error after a success and exactly one `jingyu: error:` line (the one-line
/// rule) after a failure.
pub(crate) struct Outcome {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    pub(crate) dir: PathBuf,
    args: String,
    /// Where the test ran it.
    at: &'static std::panic::Location<'static>,
    checked: Cell<Checked>,
    _scratch: Scratch,
}

/// Which parts of an outcome a test has examined.
#[derive(Clone, Copy, Default)]
struct Checked {
    status: bool,
    stdout: bool,
    stderr: bool,
}

impl Outcome {
    fn mark(&self, f: impl FnOnce(&mut Checked)) {
        let mut c = self.checked.get();
        f(&mut c);
        self.checked.set(c);
    }

    /// stdout as text, for the test to examine.
    pub(crate) fn stdout_text(&self) -> String {
        self.mark(|c| c.stdout = true);
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stdout as bytes, for the test to examine.
    pub(crate) fn stdout(&self) -> &[u8] {
        self.mark(|c| c.stdout = true);
        &self.stdout
    }

    /// stderr, for the test to examine.
    pub(crate) fn stderr(&self) -> &str {
        self.mark(|c| c.stderr = true);
        &self.stderr
    }

    #[track_caller]
    pub(crate) fn success(&self) -> &Self {
        self.code(0)
    }

    #[track_caller]
    pub(crate) fn code(&self, code: i32) -> &Self {
        self.mark(|c| c.status = true);
        assert_eq!(
            self.code,
            code,
            "jingyu {}\nexit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.code,
            self.stdout_text(),
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stdout_is(&self, want: &str) -> &Self {
        self.mark(|c| c.stdout = true);
        let got = self
            .stdout_text()
            .replace(&self.dir.display().to_string(), "{dir}");
        assert_eq!(
            got, want,
            "stdout of jingyu {}\n--- stderr\n{}",
            self.args, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, want: &str) -> &Self {
        self.mark(|c| c.stderr = true);
        assert!(
            self.stderr.contains(want),
            "stderr of jingyu {} lacks {want:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_lacks(&self, unwanted: &str) -> &Self {
        self.mark(|c| c.stderr = true);
        assert!(
            !self.stderr.contains(unwanted),
            "stderr of jingyu {} has {unwanted:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    /// The one error line (`jingyu: error: ...`), for exact comparisons.
    pub(crate) fn error_line(&self) -> String {
        self.mark(|c| c.stderr = true);
        self.stderr
            .lines()
            .find(|l| l.starts_with("jingyu: error: "))
            .unwrap_or("")
            .replace(&self.dir.display().to_string(), "{dir}")
    }

    #[track_caller]
    pub(crate) fn file(&self, rel: &str) -> Vec<u8> {
        fs::read(self.dir.join(rel))
            .unwrap_or_else(|e| panic!("{rel} was not installed ({e}); stderr:\n{}", self.stderr))
    }

    #[track_caller]
    pub(crate) fn mode(&self, rel: &str) -> u32 {
        fs::metadata(self.dir.join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    /// Every file under the case directory, relative, sorted.
    pub(crate) fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(&self.dir, &self.dir, &mut out);
        out.sort();
        out
    }
}

impl Drop for Outcome {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let checked = self.checked.get();
        let run = format!(
            "{}: jingyu {}\nexit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.at,
            self.args,
            self.code,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        assert!(
            checked.status,
            "the test never checked the exit status (.success() or .code(N)):\n{run}"
        );
        assert!(
            checked.stdout || self.stdout.is_empty(),
            "stdout was not examined, so it must be empty:\n{run}"
        );
        if !checked.stderr {
            let errors = self
                .stderr
                .lines()
                .filter(|l| l.starts_with("jingyu: error: "))
                .count();
            let want = usize::from(self.code != 0);
            assert!(
                errors == want && !self.stderr.contains("panicked"),
                "stderr was not examined, so it must hold {want} `jingyu: error:` line(s):\n{run}"
            );
        }
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

/// The binary under test: cargo's build, or `JINGYU_E2E_BIN` (to run the
/// suite against another build of it, such as the real static musl binary).
pub(crate) fn jingyu_bin() -> std::path::PathBuf {
    std::env::var_os("JINGYU_E2E_BIN")
        .map_or_else(|| env!("CARGO_BIN_EXE_jingyu").into(), Into::into)
}

/// The default checks themselves: each unexamined part fails the test.
#[test]
fn unexamined_outcomes_fail() {
    let dropped = |f: fn(&Outcome)| {
        std::panic::catch_unwind(|| f(&Case::offline().args(["--version"]).run())).is_err()
    };
    let version = format!("jingyu {}\n", env!("CARGO_PKG_VERSION"));
    assert!(dropped(|_| {}), "an unchecked exit status must fail");
    assert!(
        dropped(|o| {
            o.success();
        }),
        "an unexamined stdout that is not empty must fail"
    );
    let examined = std::panic::catch_unwind(|| {
        Case::offline()
            .args(["--version"])
            .run()
            .success()
            .stdout_is(&version);
    });
    assert!(examined.is_ok());
    let failed = std::panic::catch_unwind(|| {
        Case::offline().args(["--bogus"]).run().code(2);
    });
    assert!(
        failed.is_ok(),
        "a failure with its one error line passes unexamined"
    );
}

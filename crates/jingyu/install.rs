//! Where the result goes (eget's `--to` and `EGET_BIN` rules), and handing
//! the verified members and links to `jingyu-place`, which installs them
//! without following any link, all or nothing (per directory: a lone
//! executable may go to `EGET_BIN` while the rest goes to the working
//! directory, as eget splits them).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use jingyu_place::{below, staged_tree, Naming, Root, Staging, TempFile};
use jingyu_unpack::{Member, Place};

use crate::error::Error;

/// Where the result goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dest {
    Stdout,
    /// Below `root`, named by `naming`; an executable on its own below `bin`.
    Below {
        root: PathBuf,
        bin: Option<PathBuf>,
        naming: Naming,
    },
}

impl Dest {
    /// eget's rules: `-` is stdout; an existing directory (or any `--to`
    /// with `--all`) receives everything under its own names; otherwise
    /// `--to` names the file (or the tree of a chosen directory), and without
    /// it the working directory receives it, except that an executable on its
    /// own goes to `bin_dir` (`EGET_BIN`) when `--to` is no path. jingyu's
    /// own: a `--to DIR/` that does not exist is made and is a directory (eget
    /// fails there), and `--tree` installs below `--to`, else `bin_dir`, else
    /// the working directory. The directories created are removed again
    /// unless the install keeps them ([`Made::keep`]).
    pub(crate) fn resolve(
        to: Option<&str>,
        bin_dir: Option<&str>,
        all: bool,
        tree: bool,
    ) -> Result<(Dest, Made), Error> {
        let below =
            |root: &Path, bin: Option<&str>, naming: Naming| -> Result<(Dest, Made), Error> {
                let mut made = Made::create(root)?;
                if let Some(b) = bin {
                    made.bin = std::mem::take(&mut Made::create(Path::new(b))?.dirs);
                }
                let dest = Dest::Below {
                    root: root.to_path_buf(),
                    bin: bin.map(PathBuf::from),
                    naming,
                };
                Ok((dest, made))
            };
        let plain = Naming::default();
        match to {
            Some("-") => Ok((Dest::Stdout, Made::default())),
            None if tree => below(Path::new(bin_dir.unwrap_or(".")), None, plain),
            None => below(Path::new("."), bin_dir, plain),
            Some(t) if Path::new(t).is_dir() || all || tree => below(Path::new(t), None, plain),
            Some(t) if t.ends_with('/') => {
                let naming = Naming {
                    file: None,
                    dir: Some(String::new()),
                };
                below(Path::new(t), None, naming)
            }
            Some(t) => {
                let path = Path::new(t);
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let naming = Naming {
                    file: Some(name.clone()),
                    dir: Some(name),
                };
                let bin = bin_dir.filter(|_| !t.contains('/'));
                below(&staging_dir_of(path), bin, naming)
            }
        }
    }

    /// The directory temporary files go in (the destination's own, so the final
    /// rename never crosses file systems). For stdout, the first writable of
    /// the working directory, `$TMPDIR` (or `/tmp`) and `/dev/shm`.
    pub(crate) fn staging_dir(&self) -> PathBuf {
        match self {
            Dest::Stdout => [PathBuf::from("."), std::env::temp_dir(), "/dev/shm".into()]
                .into_iter()
                .find(|d| TempFile::new_in(d).is_ok())
                .unwrap_or_else(|| PathBuf::from(".")),
            Dest::Below { root, .. } => root.clone(),
        }
    }

    /// Where the executable called `name` would be installed (for
    /// `--upgrade-only`).
    pub(crate) fn path_for(&self, name: &str) -> Option<PathBuf> {
        match self {
            Dest::Stdout => None,
            Dest::Below { root, bin, naming } => {
                let leaf = naming.file.as_deref().unwrap_or(name);
                Some(below(bin.as_ref().unwrap_or(root), leaf))
            }
        }
    }

    /// Whether any of `installed` went to `bin` (else its new directory goes).
    pub(crate) fn used_bin(&self, installed: &[PathBuf]) -> bool {
        match self {
            Dest::Below { bin: Some(bin), .. } => installed.iter().any(|p| p.starts_with(bin)),
            _ => false,
        }
    }

    /// The staging sink: temporary files below the destination (and `bin`).
    pub(crate) fn staging(&self) -> Result<Staging, Error> {
        let open = |dir: &Path| {
            Root::open(dir).map_err(|source| Error::Install {
                path: dir.to_path_buf(),
                source,
            })
        };
        let root = open(&self.staging_dir())?;
        let bin = match self {
            Dest::Below { bin: Some(b), .. } => Some(open(b)?),
            _ => None,
        };
        Ok(Staging::with_bin(root, bin))
    }
}

fn staging_dir_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Directories `Dest::resolve` created; removed again (while empty) when
/// dropped before [`Made::keep`], so a failed install leaves no trace. Those
/// made for `EGET_BIN` are removed too when nothing went there.
#[derive(Debug, Default)]
pub(crate) struct Made {
    dirs: Vec<PathBuf>,
    bin: Vec<PathBuf>,
}

impl Made {
    /// The `--to DIR/` directories of several installs running at once, made
    /// before any starts: made by one of them, they would be removed by its
    /// failure while another was about to write there.
    pub(crate) fn shared<'p>(dirs: impl IntoIterator<Item = &'p str>) -> Result<Made, Error> {
        let mut all = Made::default();
        for dir in dirs.into_iter().filter(|d| d.ends_with('/')) {
            all.dirs.append(&mut Made::create(Path::new(dir))?.dirs);
        }
        Ok(all)
    }

    /// Creates `dir` and its missing parents, remembering which were missing.
    fn create(dir: &Path) -> Result<Made, Error> {
        let mut missing = Vec::new();
        let mut at = Some(dir);
        while let Some(p) = at.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            missing.push(p.to_path_buf());
            at = p.parent();
        }
        fs::create_dir_all(dir).map_err(|source| Error::Install {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Made {
            dirs: missing,
            bin: Vec::new(),
        })
    }

    /// The install succeeded: the directories stay (`EGET_BIN`'s only if
    /// something was installed there).
    pub(crate) fn keep(mut self, bin_used: bool) {
        self.dirs.clear();
        if bin_used {
            self.bin.clear();
        }
    }
}

impl Drop for Made {
    fn drop(&mut self) {
        for dir in self.dirs.iter().chain(&self.bin) {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Installs verified members (and the sink's links) at `dest`. `mtime` is
/// `SOURCE_DATE_EPOCH`; `asset` names the download in errors. Returns the
/// paths installed.
pub(crate) fn place(
    dest: &Dest,
    staging: &Staging,
    members: Vec<(Member, TempFile)>,
    mtime: Option<u64>,
    asset: &str,
) -> Result<Vec<PathBuf>, Error> {
    let flat = members
        .iter()
        .filter(|(m, _)| m.place == Place::Flat)
        .count();
    let one_file = match dest {
        Dest::Stdout => true,
        Dest::Below { naming, .. } => naming.file.is_some(),
    };
    if one_file && flat > 1 {
        let names: Vec<String> = members
            .iter()
            .map(|(m, _)| format!("`{}`", m.path))
            .collect();
        return Err(Error::Destination(format!(
            "{} files were chosen ({}) but --to names one file; give a directory",
            members.len(),
            names.join(", ")
        )));
    }
    let Dest::Below { naming, .. } = dest else {
        return send_to_stdout(members);
    };
    let (to_bin, here): (Vec<_>, Vec<_>) =
        members.into_iter().partition(|(m, _)| staging.in_bin(m));
    let mut installed = Vec::new();
    let groups = [(&staging.root, here, &staging.links[..])];
    let bin_group = staging.bin.as_ref().map(|bin| (bin, to_bin, &[][..]));
    for (root, group, links) in groups.into_iter().chain(bin_group) {
        if group.is_empty() && links.is_empty() {
            continue;
        }
        let entries = staged_tree(group, links, naming, mtime);
        let paths = jingyu_place::install(root, entries).map_err(|source| Error::Place {
            asset: asset.to_owned(),
            source,
        })?;
        installed.extend(paths.iter().map(|rel| root.join(rel)));
    }
    Ok(installed)
}

fn send_to_stdout(members: Vec<(Member, TempFile)>) -> Result<Vec<PathBuf>, Error> {
    for (_, temp) in members {
        temp.send_to(&mut io::stdout().lock())
            .map_err(|source| Error::Install {
                path: "-".into(),
                source,
            })?;
    }
    Ok(Vec::new())
}

/// Whether `path` exists and was modified after the release was `created`
/// (Unix time): eget skips exactly when the release is older than the file.
pub(crate) fn is_up_to_date(path: &Path, created: u64) -> bool {
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
    modified
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .is_some_and(|m| m.as_secs() > created)
}

/// Writes `bytes` to `path` whole or not at all (a temporary file renamed
/// into place), mode 0644.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    let dir = staging_dir_of(path);
    let fail = |source| Error::Install {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| fail(io::Error::from(io::ErrorKind::InvalidInput)))?;
    let mut temp = TempFile::new_in(&dir).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    temp.persist(&name, 0o644).map_err(fail)
}

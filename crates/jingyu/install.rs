//! Where the result goes (eget's `--to` rules), and handing the verified
//! members and links to `jingyu-place`, which installs them without following
//! any link, all or nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use jingyu_place::{below, file_entry, staged_tree, Link, Root, Staging, TempFile};
use jingyu_unpack::Member;

use crate::error::Error;

/// Where the result goes, following eget's `--to` rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dest {
    Stdout,
    /// Files keep their own names inside it.
    Dir(PathBuf),
    /// The one file is installed under this name.
    File(PathBuf),
}

impl Dest {
    /// `-` is stdout; an existing directory or a path ending in `/` (created)
    /// is a directory, as is any path when several files are wanted; any other
    /// path names the file. Without `--to`: `bin_dir`, else the current
    /// directory. The directories created are removed again unless the
    /// install keeps them ([`Made::keep`]).
    pub(crate) fn resolve(
        to: Option<&str>,
        bin_dir: Option<&str>,
        several: bool,
    ) -> Result<(Dest, Made), Error> {
        let dir = |p: &str| -> Result<(Dest, Made), Error> {
            let made = Made::create(Path::new(p)).map_err(|source| Error::Install {
                path: p.into(),
                source,
            })?;
            Ok((Dest::Dir(PathBuf::from(p)), made))
        };
        match to {
            Some("-") => Ok((Dest::Stdout, Made::default())),
            Some(t) if t.ends_with('/') || Path::new(t).is_dir() || several => dir(t),
            Some(t) => {
                // Missing parents are made, as eget's writeFile makes them.
                let path = PathBuf::from(t);
                let parent = staging_dir_of(&path);
                let made = Made::create(&parent).map_err(|source| Error::Install {
                    path: parent,
                    source,
                })?;
                Ok((Dest::File(path), made))
            }
            None => dir(bin_dir.unwrap_or(".")),
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
            Dest::Dir(d) => d.clone(),
            Dest::File(f) => staging_dir_of(f),
        }
    }

    /// Where a file called `name` would be installed (for `--upgrade-only`).
    pub(crate) fn path_for(&self, name: &str) -> Option<PathBuf> {
        match self {
            Dest::Stdout => None,
            Dest::Dir(d) => Some(below(d, name)),
            Dest::File(f) => Some(f.clone()),
        }
    }
}

fn staging_dir_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Directories `Dest::resolve` created; removed again (while empty) when
/// dropped before [`Made::keep`], so a failed install leaves no trace.
#[derive(Debug, Default)]
pub(crate) struct Made(Vec<PathBuf>);

impl Made {
    /// Creates `dir` and its missing parents, remembering which were missing.
    fn create(dir: &Path) -> io::Result<Made> {
        let mut missing = Vec::new();
        let mut at = Some(dir);
        while let Some(p) = at.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            missing.push(p.to_path_buf());
            at = p.parent();
        }
        fs::create_dir_all(dir)?;
        Ok(Made(missing))
    }

    /// The install succeeded: the directories stay.
    pub(crate) fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for Made {
    fn drop(&mut self) {
        for dir in &self.0 {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Opens the staging sink in `dir`.
pub(crate) fn staging(dir: &Path) -> Result<Staging, Error> {
    let root = Root::open(dir).map_err(|source| Error::Install {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(Staging::new(root))
}

/// What `place` installs, beyond the files themselves.
pub(crate) struct Layout<'a> {
    /// The links to make (with `--all`).
    pub(crate) links: &'a [Link],
    /// `--all`: keep the archive's paths (less a shared top directory) rather
    /// than base names.
    pub(crate) keep_tree: bool,
    /// `SOURCE_DATE_EPOCH`: every file's mtime.
    pub(crate) mtime: Option<u64>,
    /// The asset's name, for errors.
    pub(crate) asset: &'a str,
}

/// Installs verified members at `dest`, through `staging`'s root. Returns
/// the paths installed.
pub(crate) fn place(
    dest: &Dest,
    staging: &Root,
    members: Vec<(Member, TempFile)>,
    layout: &Layout<'_>,
) -> Result<Vec<PathBuf>, Error> {
    let entries = match dest {
        Dest::Stdout | Dest::File(_) if members.len() > 1 => {
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
        Dest::Stdout => return send_to_stdout(members),
        Dest::File(f) => {
            let leaf = f
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let entries = members.into_iter();
            entries
                .map(|(m, temp)| file_entry(leaf.clone(), &m, temp, layout.mtime))
                .collect()
        }
        Dest::Dir(_) => staged_tree(members, layout.links, layout.keep_tree, layout.mtime),
    };
    let installed = jingyu_place::install(staging, entries).map_err(|source| Error::Place {
        asset: layout.asset.to_owned(),
        source,
    })?;
    Ok(match dest {
        Dest::File(f) => vec![f.clone()],
        _ => installed.iter().map(|rel| staging.join(rel)).collect(),
    })
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

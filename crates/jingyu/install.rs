//! Placing files at their destination, atomically. Everything is first written
//! to a temporary file in the destination directory (never `/tmp`, which a
//! scratch image lacks); after verification it gets its mode and mtime, is
//! synced and renamed into place, so a failure leaves any existing file as it
//! was. Temporary files left by a killed jingyu are removed on the next run.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use jingyu_unpack::{common_root, Member, Sink};

use crate::error::Error;
use crate::writeback::Writeback;

/// Where the result goes, following eget's `--to` rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dest {
    Stdout,
    /// Files keep their own names inside it.
    Dir(PathBuf),
    /// The one file is installed under this name.
    File(PathBuf),
}

const TEMP_PREFIX: &str = ".jingyu-";
const TEMP_SUFFIX: &str = ".tmp";

impl Dest {
    /// `-` is stdout; an existing directory or a path ending in `/` (created)
    /// is a directory, as is any path when several files are wanted; any other
    /// path names the file. Without `--to`: `bin_dir`, else the current directory.
    pub(crate) fn resolve(
        to: Option<&str>,
        bin_dir: Option<&str>,
        several: bool,
    ) -> Result<Dest, Error> {
        let dir = |p: &str| -> Result<Dest, Error> {
            fs::create_dir_all(p).map_err(|source| Error::Install {
                path: p.into(),
                source,
            })?;
            Ok(Dest::Dir(PathBuf::from(p)))
        };
        match to {
            Some("-") => Ok(Dest::Stdout),
            Some(t) if t.ends_with('/') || Path::new(t).is_dir() || several => dir(t),
            Some(t) => {
                let path = PathBuf::from(t);
                let parent = staging_dir_of(&path);
                if !parent.is_dir() {
                    let source = io::Error::from(io::ErrorKind::NotFound);
                    return Err(Error::Install {
                        path: parent,
                        source,
                    });
                }
                Ok(Dest::File(path))
            }
            None => dir(bin_dir.unwrap_or(".")),
        }
    }

    /// The directory temporary files go in (the destination's own, so the final
    /// rename never crosses file systems).
    pub(crate) fn staging_dir(&self) -> PathBuf {
        match self {
            Dest::Stdout => PathBuf::from("."),
            Dest::Dir(d) => d.clone(),
            Dest::File(f) => staging_dir_of(f),
        }
    }

    /// Where a file called `name` would be installed (for `--upgrade-only`).
    pub(crate) fn path_for(&self, name: &str) -> Option<PathBuf> {
        match self {
            Dest::Stdout => None,
            Dest::Dir(d) => Some(inside(d, name)),
            Dest::File(f) => Some(f.clone()),
        }
    }
}

/// `dir/rel`, without a leading `./` for the current directory.
fn inside(dir: &Path, rel: &str) -> PathBuf {
    if dir == Path::new(".") {
        PathBuf::from(rel)
    } else {
        dir.join(rel)
    }
}

/// A fresh name for a temporary file of this process in `dir`.
fn temp_path(dir: &Path) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        "{TEMP_PREFIX}{}-{n}{TEMP_SUFFIX}",
        std::process::id()
    ))
}

fn staging_dir_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file being written in the destination directory; removed on drop unless
/// committed.
#[derive(Debug)]
pub(crate) struct TempFile {
    path: PathBuf,
    file: File,
    committed: bool,
    writeback: Writeback,
}

impl TempFile {
    /// A new, empty, private file in `dir`.
    pub(crate) fn new_in(dir: &Path) -> io::Result<TempFile> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            "{TEMP_PREFIX}{}-{n}{TEMP_SUFFIX}",
            std::process::id()
        ));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok(TempFile {
            path,
            file,
            committed: false,
            writeback: Writeback::default(),
        })
    }

    /// A file in `dir` that is unlinked at once: it vanishes when closed, even
    /// if the process is killed (used to spool zip archives).
    pub(crate) fn anonymous_in(dir: &Path) -> io::Result<File> {
        let temp = TempFile::new_in(dir)?;
        fs::remove_file(&temp.path)?;
        let mut temp = temp;
        temp.committed = true;
        let file = temp.file.try_clone()?;
        Ok(file)
    }

    /// Where the temporary file is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Its first `len` bytes (fewer if it is shorter), without moving the
    /// write position.
    pub(crate) fn head(&self, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        let mut filled = 0;
        while filled < len {
            match self.file.read_at(&mut buf[filled..], filled as u64)? {
                0 => break,
                n => filled += n,
            }
        }
        buf.truncate(filled);
        Ok(buf)
    }

    /// Sets mode and mtime, syncs, and renames over `dest`.
    pub(crate) fn commit(mut self, dest: &Path, mode: u32, mtime: Option<u64>) -> io::Result<()> {
        self.file.flush()?;
        self.file
            .set_permissions(fs::Permissions::from_mode(mode))?;
        if let Some(secs) = mtime {
            self.file
                .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))?;
        }
        self.file.sync_all()?;
        fs::rename(&self.path, dest)?;
        self.committed = true;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Make the rename itself durable; not every file system allows it.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    /// Copies the content to `out` (for `--to -`), then removes the file.
    pub(crate) fn send_to(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.file.flush()?;
        self.file.rewind()?;
        io::copy(&mut self.file, out)?;
        out.flush()
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.writeback.wrote(&self.file, n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The unpacker's sink: each member becomes a temporary file in `dir`;
/// links (with `--all`) are remembered and made after the files.
pub(crate) struct Staging {
    pub(crate) dir: PathBuf,
    pub(crate) links: Vec<Link>,
}

/// A link from the archive, made at install time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) path: String,
    pub(crate) target: String,
    pub(crate) hard: bool,
}

impl Staging {
    pub(crate) fn new(dir: PathBuf) -> Staging {
        Staging {
            dir,
            links: Vec::new(),
        }
    }
}

impl Sink for Staging {
    type Out = TempFile;
    fn create(&mut self, _member: &Member) -> io::Result<TempFile> {
        TempFile::new_in(&self.dir)
    }

    fn link(&mut self, path: &str, target: &str, hard: bool) -> io::Result<()> {
        self.links.push(Link {
            path: path.to_owned(),
            target: target.to_owned(),
            hard,
        });
        Ok(())
    }
}

/// Installs verified members at `dest`: by base name, or with `keep_layout`
/// by their path in the archive minus a shared top directory. Returns the paths.
pub(crate) fn place(
    dest: &Dest,
    members: Vec<(Member, TempFile)>,
    links: &[Link],
    keep_layout: bool,
    mtime_override: Option<u64>,
) -> Result<Vec<PathBuf>, Error> {
    let link_paths = links.iter().map(|l| l.path.as_str());
    let paths: Vec<&str> = members
        .iter()
        .map(|(m, _)| m.path.as_str())
        .chain(link_paths)
        .collect();
    let strip = if keep_layout { common_root(&paths) } else { 0 };
    let targets: Vec<PathBuf> = match dest {
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
        Dest::File(f) => vec![f.clone()],
        Dest::Dir(d) => members
            .iter()
            .map(|(m, _)| {
                inside(
                    d,
                    if keep_layout {
                        &m.path[strip..]
                    } else {
                        m.file_name()
                    },
                )
            })
            .collect(),
    };
    let mut installed = Vec::with_capacity(targets.len());
    for ((member, temp), target) in members.into_iter().zip(targets) {
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Install {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mode = if member.executable { 0o755 } else { 0o644 };
        let mtime = mtime_override.or(member.mtime);
        temp.commit(&target, mode, mtime)
            .map_err(|source| Error::Install {
                path: target.clone(),
                source,
            })?;
        installed.push(target);
    }
    if let (Dest::Dir(dir), true) = (dest, keep_layout) {
        for link in links {
            installed.push(make_link(dir, link, strip)?);
        }
    }
    Ok(installed)
}

/// Makes `link` under `dir` (minus the `strip` bytes of shared root) by
/// creating it under a temporary name and renaming it into place.
fn make_link(dir: &Path, link: &Link, strip: usize) -> Result<PathBuf, Error> {
    let at = inside(dir, &link.path[strip..]);
    let parent = at
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let temp = temp_path(&parent);
    let made = fs::create_dir_all(&parent).and_then(|()| {
        if link.hard {
            let target = link
                .target
                .get(strip..)
                .filter(|_| link.target.len() > strip)
                .unwrap_or(&link.target);
            fs::hard_link(inside(dir, target), &temp)
        } else {
            std::os::unix::fs::symlink(&link.target, &temp)
        }
    });
    made.and_then(|()| fs::rename(&temp, &at))
        .map_err(|source| {
            let _ = fs::remove_file(&temp);
            Error::Install {
                path: at.clone(),
                source,
            }
        })?;
    Ok(at)
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

/// Removes temporary files in `dir` left by jingyu processes that no longer
/// run. Does nothing where `/proc` is missing (it could not tell).
pub(crate) fn clean_stale(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(stale_pid) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The pid in a jingyu temporary file's name.
fn stale_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, n) = inner.split_once('-')?;
    n.parse::<u32>().ok()?;
    pid.parse().ok()
}

/// Whether `path` exists and was modified at or after `published` (Unix time).
pub(crate) fn is_up_to_date(path: &Path, published: u64) -> bool {
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
    modified
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .is_some_and(|m| m.as_secs() >= published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_its_own_temp_names() {
        assert_eq!(stale_pid(".jingyu-123-0.tmp"), Some(123));
        assert_eq!(stale_pid(".jingyu-123.tmp"), None);
        assert_eq!(stale_pid("jingyu-123-0.tmp"), None);
        assert_eq!(stale_pid(".jingyu-abc-0.tmp"), None);
    }
}

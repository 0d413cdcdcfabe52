//! The destination directory, opened once, and every path below it reached
//! relative to that descriptor without following a single link: `openat2`
//! with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` where the kernel has it (and a
//! seccomp profile allows it), else a walk that opens one component at a time
//! with `O_NOFOLLOW`. A link anywhere on the way is an error (`ELOOP` or
//! `ENOTDIR`), never a detour.

use std::io;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustix::fs::{mkdirat, openat, openat2, statat, AtFlags, FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;

use crate::temp::{open_dir, TempFile};

/// Set once `openat2` has been seen to be missing or forbidden.
static NO_OPENAT2: AtomicBool = AtomicBool::new(false);

/// What stands at a path, not following a link there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    Dir,
    Link,
    /// A regular file, or a FIFO, socket or device: something a rename replaces.
    Other,
}

/// The destination directory.
#[derive(Debug)]
pub struct Root {
    fd: Arc<OwnedFd>,
    path: PathBuf,
    openat2: bool,
}

impl Root {
    /// Opens the directory at `path` (the path itself is the user's choice and
    /// may pass through links; nothing below it will).
    pub fn open(path: &Path) -> io::Result<Root> {
        Ok(Root {
            fd: Arc::new(open_dir(path)?),
            path: path.to_path_buf(),
            openat2: true,
        })
    }

    /// The same root, reached only by the component walk (as on kernels
    /// before 5.6): for tests of that path.
    #[must_use]
    pub fn without_openat2(self) -> Root {
        Root {
            openat2: false,
            ..self
        }
    }

    /// The directory as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `rel` below the root, for messages and reports.
    pub fn join(&self, rel: &str) -> PathBuf {
        below(&self.path, rel)
    }

    /// A new temporary file in the root itself.
    pub fn temp_file(&self) -> io::Result<TempFile> {
        TempFile::new_at(Arc::clone(&self.fd), &self.path)
    }

    /// Opens the directory `rel` (`""` is the root), following no link.
    pub(crate) fn open_dir(&self, rel: &str) -> io::Result<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let path = if rel.is_empty() { "." } else { rel };
        if self.openat2 && !NO_OPENAT2.load(Ordering::Relaxed) {
            let how =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match openat2(&*self.fd, path, flags, Mode::empty(), how) {
                // Missing (ENOSYS), or refused by a seccomp filter (EPERM).
                Err(Errno::NOSYS | Errno::PERM) => NO_OPENAT2.store(true, Ordering::Relaxed),
                other => return Ok(other?),
            }
        }
        let mut fd = openat(&*self.fd, ".", flags, Mode::empty())?;
        for part in components(rel)? {
            fd = openat(&fd, part, flags, Mode::empty())?;
        }
        Ok(fd)
    }

    /// What stands at `rel`; `None` when nothing does. An error when a
    /// directory on the way is a link or not a directory.
    pub(crate) fn find(&self, rel: &str) -> io::Result<Option<Found>> {
        let (parent, leaf) = split(rel);
        match self.open_dir(parent) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
            Ok(dir) => find_in(&dir, leaf),
        }
    }

    /// The target of a link already at `rel`, if one is there.
    pub(crate) fn read_link(&self, rel: &str) -> Option<String> {
        let (parent, leaf) = split(rel);
        let dir = self.open_dir(parent).ok()?;
        let target = rustix::fs::readlinkat(&dir, leaf, Vec::new()).ok()?;
        Some(target.to_string_lossy().into_owned())
    }

    /// Opens the directory `rel`, creating what is missing (mode 0755 less
    /// the umask); each directory made is added to `made`, parents first.
    pub(crate) fn make_dir(&self, rel: &str, made: &mut Vec<String>) -> io::Result<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mut fd = openat(&*self.fd, ".", flags, Mode::empty())?;
        let mut at = String::new();
        for part in components(rel)? {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            match mkdirat(&fd, part, Mode::from_raw_mode(0o755)) {
                Ok(()) => made.push(at.clone()),
                Err(Errno::EXIST) => {}
                Err(e) => return Err(e.into()),
            }
            fd = openat(&fd, part, flags, Mode::empty())?;
        }
        Ok(fd)
    }
}

/// `dir/rel` as a person would write it: no `./` prefix for `.`, and `dir`
/// itself for an empty `rel`.
pub fn below(dir: &Path, rel: &str) -> PathBuf {
    if rel.is_empty() {
        dir.to_path_buf()
    } else if dir == Path::new(".") {
        PathBuf::from(rel)
    } else {
        dir.join(rel)
    }
}

/// What stands at `leaf` in the open directory `dir`, not following a link.
pub(crate) fn find_in(dir: &OwnedFd, leaf: &str) -> io::Result<Option<Found>> {
    match statat(dir, leaf, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => Ok(Some(match FileType::from_raw_mode(stat.st_mode) {
            FileType::Directory => Found::Dir,
            FileType::Symlink => Found::Link,
            _ => Found::Other,
        })),
        Err(Errno::NOENT) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// `rel`'s parent directory and last component.
pub(crate) fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// The components of a relative path; anything that could step outside is an
/// error (the tree check refuses such paths first: this is the backstop).
fn components(rel: &str) -> io::Result<impl Iterator<Item = &str>> {
    let parts = rel.split('/').filter(|p| !p.is_empty());
    if rel.starts_with('/') || rel.split('/').any(|p| p == "." || p == "..") {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{rel}` is not a plain relative path"),
        ));
    }
    Ok(parts)
}

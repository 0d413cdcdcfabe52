//! Temporary files: everything is first written to one, in the directory it
//! will be installed in (never `/tmp`, which a scratch image lacks), so a
//! failure leaves any existing file as it was and the final rename never
//! crosses file systems.
//!
//! Each temporary file holds an exclusive `flock` for as long as it is open.
//! A killed jingyu leaves its files behind unlocked, and the next run removes
//! them ([`clean_stale`]); a live one, even in another PID namespace (another
//! container sharing a volume), keeps its lock and so its files.

use std::fs::File;
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Read, Seek, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use rustix::fs::{flock, fstat, openat, unlinkat, AtFlags, FileType, FlockOperation, Mode, OFlags};

use crate::writeback::Writeback;

const PREFIX: &str = ".jingyu-";
const SUFFIX: &str = ".tmp";

/// Every temporary file this process holds, for [`remove_all`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file this process still holds: called by the panic
/// hook, where (the release build aborts) no destructor will run. Never
/// blocks: a panic while the registry is locked leaves it to the next run.
pub fn remove_all() {
    if let Ok(live) = LIVE.try_lock() {
        for path in live.iter() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn register(path: PathBuf) {
    if let Ok(mut live) = LIVE.lock() {
        live.push(path);
    }
}

fn unregister(path: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|p| p != path);
    }
}

/// Fresh names tried before giving up (each try loses only to a cleaner that
/// caught the file between its creation and its lock).
const TRIES: usize = 64;

/// A file being written; removed on drop unless it was placed.
#[derive(Debug)]
pub struct TempFile {
    dir: Arc<OwnedFd>,
    dir_path: PathBuf,
    name: String,
    file: File,
    placed: bool,
    writeback: Writeback,
}

impl TempFile {
    /// A new, empty, private, locked file in the directory `dir`.
    pub fn new_in(dir: &Path) -> io::Result<TempFile> {
        let fd = open_dir(dir)?;
        TempFile::new_at(Arc::new(fd), dir)
    }

    /// The same, in the already open directory `dir` (shown as `dir_path`).
    pub(crate) fn new_at(dir: Arc<OwnedFd>, dir_path: &Path) -> io::Result<TempFile> {
        let flags =
            OFlags::RDWR | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        for _ in 0..TRIES {
            let name = fresh_name();
            let fd = match openat(&*dir, name.as_str(), flags, Mode::from_raw_mode(0o600)) {
                Err(rustix::io::Errno::EXIST) => continue,
                other => other?,
            };
            // Another run's `clean_stale` may have caught the file before the
            // lock: it holds the lock while it unlinks, so either the lock
            // fails or the file already has no name. Then take another.
            let locked = flock(&fd, FlockOperation::NonBlockingLockExclusive).is_ok();
            if !locked || fstat(&fd)?.st_nlink == 0 {
                continue;
            }
            register(dir_path.join(&name));
            return Ok(TempFile {
                dir,
                dir_path: dir_path.to_path_buf(),
                name,
                file: File::from(fd),
                placed: false,
                writeback: Writeback::default(),
            });
        }
        Err(io::Error::other(
            "no temporary file could be created and locked",
        ))
    }

    /// A file in `dir` that is unlinked at once: it vanishes when closed, even
    /// if the process is killed (used to spool zip archives).
    pub fn anonymous_in(dir: &Path) -> io::Result<File> {
        let mut temp = TempFile::new_in(dir)?;
        unlinkat(&*temp.dir, temp.name.as_str(), AtFlags::empty())?;
        temp.mark_placed();
        temp.file.try_clone()
    }

    /// Where the temporary file is.
    pub fn path(&self) -> PathBuf {
        self.dir_path.join(&self.name)
    }

    pub(crate) fn dir(&self) -> &OwnedFd {
        &self.dir
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Its first `len` bytes (fewer if it is shorter), without moving the
    /// write position.
    pub fn head(&self, len: usize) -> io::Result<Vec<u8>> {
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

    /// Gives the file its final mode and mtime and makes its content durable.
    pub(crate) fn seal(&mut self, mode: u32, mtime: Option<u64>) -> io::Result<()> {
        self.file.flush()?;
        self.file
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
        if let Some(secs) = mtime {
            let time = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs));
            let time = time.ok_or_else(|| io::Error::other("the file time is out of range"))?;
            self.file.set_modified(time)?;
        }
        self.file.sync_all()
    }

    /// It now lives under another name: dropping it removes nothing.
    pub(crate) fn mark_placed(&mut self) {
        self.placed = true;
        unregister(&self.path());
    }

    /// Seals the file and renames it over `dest`, a name in its own directory
    /// (the download cache's entries).
    pub fn persist(mut self, dest: &str, mode: u32) -> io::Result<()> {
        self.seal(mode, None)?;
        rustix::fs::renameat(&*self.dir, self.name.as_str(), &*self.dir, dest)?;
        self.mark_placed();
        let _ = rustix::fs::fsync(&*self.dir);
        Ok(())
    }

    /// Copies the content to `out` (for `--to -`), then removes the file.
    pub fn send_to(mut self, out: &mut dyn Write) -> io::Result<()> {
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

impl Read for TempFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file.read(buf)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.placed {
            let _ = unlinkat(&*self.dir, self.name.as_str(), AtFlags::empty());
            unregister(&self.path());
        }
    }
}

/// Opens a directory by the path the user gave (following links in it, as
/// any tool does for the path it is handed).
pub(crate) fn open_dir(dir: &Path) -> io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    Ok(openat(rustix::fs::CWD, dir, flags, Mode::empty())?)
}

/// Opens `path` for reading only if it is a regular file: without following
/// a link at its end and without blocking (a FIFO planted there fails at
/// once instead of hanging).
pub fn open_regular(path: &Path) -> io::Result<File> {
    let flags =
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    let fd = openat(rustix::fs::CWD, path, flags, Mode::empty())?;
    if FileType::from_raw_mode(fstat(&fd)?.st_mode) != FileType::RegularFile {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a regular file",
        ));
    }
    Ok(File::from(fd))
}

/// A name no other jingyu, in this or another PID namespace, will pick.
pub(crate) fn fresh_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random = RandomState::new().hash_one((n, SystemTime::now()));
    format!("{PREFIX}{}-{random:016x}{SUFFIX}", std::process::id())
}

/// Whether `name` is one of jingyu's temporary files (of any version).
fn is_temp_name(name: &str) -> bool {
    name.len() > PREFIX.len() + SUFFIX.len() && name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// Removes temporary files in `dir` that no running jingyu holds: regular
/// files only, opened without blocking (a FIFO never hangs this) and without
/// following a link.
pub fn clean_stale(dir: &Path) {
    let Ok(fd) = open_dir(dir) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|n| is_temp_name(n)) else {
            continue;
        };
        // The lock is held until the name is gone (see `new_at`).
        if let Some(_lock) = abandoned(&fd, name) {
            let _ = unlinkat(&fd, name, AtFlags::empty());
        }
    }
}

/// The file `name`, locked, if it is a regular file no live writer holds.
fn abandoned(dir: &OwnedFd, name: &str) -> Option<OwnedFd> {
    let flags =
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    let fd = openat(dir, name, flags, Mode::empty()).ok()?;
    let stat = fstat(fd.as_fd()).ok()?;
    let regular = FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile;
    (regular && flock(&fd, FlockOperation::NonBlockingLockExclusive).is_ok()).then_some(fd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_its_own_names_old_and_new() {
        assert!(is_temp_name(".jingyu-123-0.tmp"));
        assert!(is_temp_name(&fresh_name()));
        assert!(!is_temp_name(".jingyu-.tmp"));
        assert!(!is_temp_name("jingyu-123-0.tmp"));
        assert!(!is_temp_name(".jingyu-123-0.tmpx"));
        assert_ne!(fresh_name(), fresh_name());
    }

    #[test]
    fn only_files_no_live_writer_holds_are_cleaned() {
        let dir = std::env::temp_dir().join(format!("jingyu-stale-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let live = TempFile::new_in(&dir).unwrap();
        // Another container's live file: same pid namespace or not, the lock decides.
        std::fs::write(dir.join(".jingyu-1-abandoned.tmp"), "x").unwrap();
        let fifo = dir.join(".jingyu-2-fifo.tmp");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        std::fs::write(dir.join("unrelated.tmp"), "x").unwrap();
        clean_stale(&dir);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut want = vec![
            live.name.clone(),
            ".jingyu-2-fifo.tmp".to_owned(),
            "unrelated.tmp".to_owned(),
        ];
        want.sort();
        assert_eq!(left, want);
        drop(live);
        clean_stale(&dir);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn regular_files_only_and_never_blocking() {
        let dir = std::env::temp_dir().join(format!("jingyu-regular-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("f"), "x").unwrap();
        assert!(std::process::Command::new("mkfifo")
            .arg(dir.join("p"))
            .status()
            .unwrap()
            .success());
        std::os::unix::fs::symlink("f", dir.join("l")).unwrap();
        assert!(open_regular(&dir.join("f")).is_ok());
        assert_eq!(
            open_regular(&dir.join("p")).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        assert!(open_regular(&dir.join("l")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

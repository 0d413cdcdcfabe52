//! The download cache (`--cache-dir`, `JINGYU_CACHE_DIR`): verified assets
//! stored as `sha256-<hex>`. When the expected sha256 is known before the
//! download (flag, API digest, checksum file) and the cache holds it, the
//! download is skipped; the cached file is hashed and verified like any other.
//! New downloads are copied in as they stream and kept only once verified.

use std::fs;
use std::path::{Path, PathBuf};

use jingyu_fetch::{HashingReader, Sha256};
use jingyu_place::TempFile;

use crate::error::Error;
use crate::verify::Expected;

pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// Opens (creating) the cache directory, removing partial copies that
    /// killed runs left (those of live runs are locked and stay).
    pub(crate) fn open(dir: &Path) -> Result<Cache, Error> {
        fs::create_dir_all(dir).map_err(|source| Error::Install {
            path: dir.to_path_buf(),
            source,
        })?;
        jingyu_place::clean_stale(dir);
        Ok(Cache {
            dir: dir.to_path_buf(),
        })
    }

    /// The cached file for the expected digest, if there is one and its
    /// content still has that digest. A damaged entry, or anything but a
    /// regular file (a link, a FIFO), is removed.
    pub(crate) fn lookup(&self, expected: &[Expected]) -> Option<PathBuf> {
        let want = expected.first()?.sha256;
        let path = self.path_for(want);
        let file = match jingyu_place::open_regular(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            other => other,
        };
        match file.and_then(|f| HashingReader::new(f).finish()) {
            Ok((actual, _)) if actual == want => Some(path),
            _ => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// A temporary file in the cache to copy a download into.
    pub(crate) fn writer(&self) -> Option<TempFile> {
        TempFile::new_in(&self.dir).ok()
    }

    /// Keeps a verified download under its digest.
    pub(crate) fn keep(&self, copy: TempFile, sha256: Sha256) -> std::io::Result<PathBuf> {
        copy.persist(&entry_name(sha256), 0o644)?;
        Ok(self.path_for(sha256))
    }

    fn path_for(&self, sha256: Sha256) -> PathBuf {
        self.dir.join(entry_name(sha256))
    }
}

fn entry_name(sha256: Sha256) -> String {
    format!("sha256-{sha256}")
}

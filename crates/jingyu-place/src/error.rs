//! What can go wrong placing files: the archive's tree is unsafe (refused
//! before anything is written), something in the destination is in the way,
//! or the file system said no.

use std::fmt;
use std::io;
use std::path::PathBuf;

#[derive(Debug)]
pub enum PlaceError {
    /// The tree the archive would make is unsafe: a link leading outside the
    /// destination, a file written through a link, a hard link to something
    /// the archive did not write. Nothing was written.
    Unsafe { entry: String, why: String },
    /// The destination already holds something that would have to be written
    /// through or replaced: a link or a file where a directory is needed, a
    /// directory where a file goes. Nothing was written.
    InTheWay { path: PathBuf, why: &'static str },
    /// The file system refused an operation on `path`; whatever had been
    /// placed was put back as it was.
    Io { path: PathBuf, source: io::Error },
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlaceError::Unsafe { entry, why } => {
                write!(f, "unsafe archive entry `{entry}`: {why}; nothing was installed")
            }
            PlaceError::InTheWay { path, why } => write!(
                f,
                "`{}` {why}; jingyu never writes through it: remove it or choose another --to; nothing was installed",
                path.display()
            ),
            PlaceError::Io { path, source } => write!(f, "`{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for PlaceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PlaceError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl PlaceError {
    pub(crate) fn unsafe_entry(entry: &str, why: impl Into<String>) -> PlaceError {
        PlaceError::Unsafe {
            entry: entry.to_owned(),
            why: why.into(),
        }
    }
}

//! Installing a set of entries all or nothing.
//!
//! 1. The final tree is checked as a whole ([`crate::tree`]); then every path
//!    is looked at in the destination, and a link, or a file where a
//!    directory is needed, or a directory where a file goes, stops the
//!    install before anything changes.
//! 2. Files are sealed (mode, mtime, fsync). Links are made after every file,
//!    under temporary names beside their final place; a hard link is made
//!    from the staged file it names, so it can only ever share this archive's
//!    bytes.
//! 3. Each entry is renamed into place; what it replaces is first kept under
//!    a temporary name (a hard link to it, so the replacing rename is atomic).
//!    Any failure renames every kept file back, removes what was placed and
//!    the directories made, and the destination is as it was. On success the
//!    kept files are removed and the directories synced.

use std::collections::HashMap;
use std::io;
use std::os::fd::OwnedFd;

use rustix::fs::{linkat, renameat, symlinkat, unlinkat, AtFlags};

use crate::beneath::{find_in, split, Found, Root};
use crate::error::PlaceError;
use crate::temp::TempFile;
use crate::tree::{self, Node};

/// What an entry installs.
#[derive(Debug)]
pub enum Content {
    /// A staged file and the mode and mtime it gets.
    File {
        temp: TempFile,
        mode: u32,
        mtime: Option<u64>,
    },
    /// A symbolic link with this target.
    Symlink(String),
    /// A hard link to the file installed at this path of the same install.
    HardLink(String),
}

/// One path of the final tree, relative to the root.
#[derive(Debug)]
pub struct Entry {
    pub path: String,
    pub content: Content,
}

/// Installs `entries` below `root`, all or nothing. A later entry for the
/// same path replaces an earlier one, as in a tar archive. Returns the paths
/// installed, in order.
pub fn install(root: &Root, entries: Vec<Entry>) -> Result<Vec<String>, PlaceError> {
    install_with(root, entries, &mut |_| Ok(()))
}

/// [`install`], calling `before_rename` with each path just before it is
/// renamed into place (tests make it fail there).
pub(crate) fn install_with(
    root: &Root,
    entries: Vec<Entry>,
    before_rename: &mut dyn FnMut(&str) -> io::Result<()>,
) -> Result<Vec<String>, PlaceError> {
    let mut entries = last_wins(entries);
    check_tree(root, &entries)?;
    for entry in &entries {
        preflight(root, &entry.path)?;
    }
    for entry in &mut entries {
        if let Content::File { temp, mode, mtime } = &mut entry.content {
            temp.seal(*mode, *mtime)
                .map_err(|e| io_error(root, &entry.path, e))?;
        }
    }
    let mut txn = Txn {
        root,
        dirs: HashMap::new(),
        made: Vec::new(),
        placed: Vec::new(),
        staged: Vec::new(),
    };
    match txn.apply(&mut entries, before_rename) {
        Ok(()) => {
            txn.finish();
            Ok(entries.into_iter().map(|e| e.path).collect())
        }
        Err(e) => {
            txn.roll_back();
            Err(e)
        }
    }
}

/// Keeps the last entry for each path, where it stands.
fn last_wins(entries: Vec<Entry>) -> Vec<Entry> {
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        last.insert(e.path.clone(), i);
    }
    let keep = |(i, e): &(usize, Entry)| last.get(&e.path) == Some(i);
    entries
        .into_iter()
        .enumerate()
        .filter(keep)
        .map(|(_, e)| e)
        .collect()
}

fn check_tree(root: &Root, entries: &[Entry]) -> Result<(), PlaceError> {
    let nodes: Vec<Node> = entries
        .iter()
        .map(|e| match &e.content {
            Content::File { .. } => Node::File,
            Content::Symlink(t) => Node::Symlink(t.clone()),
            Content::HardLink(t) => Node::HardLink(t.clone()),
        })
        .collect();
    let tree: Vec<(&str, &Node)> = entries
        .iter()
        .map(|e| e.path.as_str())
        .zip(&nodes)
        .collect();
    tree::check(&tree, &|rel| root.read_link(rel))
}

/// Every directory on the way to `path` is a real directory or missing, and
/// `path` itself is not a directory.
fn preflight(root: &Root, path: &str) -> Result<(), PlaceError> {
    for (i, _) in path.match_indices('/') {
        let above = &path[..i];
        let in_the_way = |why| PlaceError::InTheWay {
            path: root.join(above),
            why,
        };
        match root.find(above).map_err(|e| io_error(root, above, e))? {
            None => return Ok(()),
            Some(Found::Dir) => {}
            Some(Found::Link) => return Err(in_the_way("is a link already in the destination")),
            Some(Found::Other) => return Err(in_the_way("is a file where a directory is needed")),
        }
    }
    match root.find(path).map_err(|e| io_error(root, path, e))? {
        Some(Found::Dir) => Err(PlaceError::InTheWay {
            path: root.join(path),
            why: "is a directory where a file goes",
        }),
        _ => Ok(()),
    }
}

fn io_error(root: &Root, rel: &str, e: impl Into<io::Error>) -> PlaceError {
    PlaceError::Io {
        path: root.join(rel),
        source: e.into(),
    }
}

/// The staged file a hard link at `at` names, through other hard links (the
/// tree check has made sure there is one).
fn staged_file<'a>(entries: &'a [Entry], mut at: &'a str) -> Option<&'a TempFile> {
    for _ in 0..=entries.len() {
        match &entries.iter().find(|e| e.path == at)?.content {
            Content::HardLink(next) => at = next,
            Content::File { temp, .. } => return Some(temp),
            Content::Symlink(_) => return None,
        }
    }
    None
}

/// An entry renamed into place, and where what it replaced is kept.
struct Placed {
    path: String,
    backup: Option<String>,
}

/// The changes made so far, to finish or undo.
struct Txn<'r> {
    root: &'r Root,
    /// Open parent directories, by path.
    dirs: HashMap<String, OwnedFd>,
    /// Directories made, parents first.
    made: Vec<String>,
    placed: Vec<Placed>,
    /// Links made under temporary names: (parent, name), not yet placed.
    staged: Vec<(String, String)>,
}

impl Txn<'_> {
    fn apply(
        &mut self,
        entries: &mut [Entry],
        before_rename: &mut dyn FnMut(&str) -> io::Result<()>,
    ) -> Result<(), PlaceError> {
        let link_names = self.stage_links(entries)?;
        for (entry, link_name) in entries.iter_mut().zip(link_names) {
            before_rename(&entry.path).map_err(|e| io_error(self.root, &entry.path, e))?;
            let backup = self.keep_existing(&entry.path)?;
            let (parent, leaf) = split(&entry.path);
            let dir = &self.dirs[parent];
            let renamed = match (&mut entry.content, link_name) {
                (Content::File { temp, .. }, _) => {
                    renameat(temp.dir(), temp.name(), dir, leaf).inspect(|()| temp.mark_placed())
                }
                (_, Some(name)) => renameat(dir, name.as_str(), dir, leaf),
                (_, None) => Err(rustix::io::Errno::INVAL),
            };
            if let Err(e) = renamed {
                if let Some(name) = backup {
                    let _ = renameat(dir, name.as_str(), dir, leaf);
                }
                return Err(io_error(self.root, &entry.path, e));
            }
            self.placed.push(Placed {
                path: entry.path.clone(),
                backup,
            });
        }
        self.staged.clear();
        Ok(())
    }

    /// Makes each link under a temporary name in its final directory; the
    /// names, by entry.
    fn stage_links(&mut self, entries: &[Entry]) -> Result<Vec<Option<String>>, PlaceError> {
        let mut names = Vec::with_capacity(entries.len());
        for entry in entries {
            let (parent, _) = split(&entry.path);
            let made = match &entry.content {
                Content::File { .. } => {
                    self.dir(parent)?;
                    None
                }
                Content::Symlink(target) => {
                    Some(self.make_temp(parent, &entry.path, |dir, name| {
                        symlinkat(target.as_str(), dir, name)
                    })?)
                }
                Content::HardLink(target) => {
                    let file = staged_file(entries, target).ok_or_else(|| {
                        PlaceError::unsafe_entry(&entry.path, "the hard link names no file")
                    })?;
                    Some(self.make_temp(parent, &entry.path, |dir, name| {
                        linkat(file.dir(), file.name(), dir, name, AtFlags::empty())
                    })?)
                }
            };
            names.push(made);
        }
        Ok(names)
    }

    /// Makes something under a fresh temporary name in `parent`.
    fn make_temp(
        &mut self,
        parent: &str,
        path: &str,
        make: impl Fn(&OwnedFd, &str) -> rustix::io::Result<()>,
    ) -> Result<String, PlaceError> {
        let dir = self.dir(parent)?;
        loop {
            let name = crate::temp::fresh_name();
            match make(dir, &name) {
                Err(rustix::io::Errno::EXIST) => {}
                Err(e) => return Err(io_error(self.root, path, e)),
                Ok(()) => {
                    self.staged.push((parent.to_owned(), name.clone()));
                    return Ok(name);
                }
            }
        }
    }

    /// The open directory `rel`, made (and remembered) if missing.
    fn dir(&mut self, rel: &str) -> Result<&OwnedFd, PlaceError> {
        if !self.dirs.contains_key(rel) {
            let fd = self
                .root
                .make_dir(rel, &mut self.made)
                .map_err(|e| io_error(self.root, rel, e))?;
            self.dirs.insert(rel.to_owned(), fd);
        }
        Ok(&self.dirs[rel])
    }

    /// Keeps what stands at `path` under a temporary name; that name, or
    /// `None` when nothing stands there.
    fn keep_existing(&mut self, path: &str) -> Result<Option<String>, PlaceError> {
        let (parent, leaf) = split(path);
        let dir = &self.dirs[parent];
        // Looked up in the directory already open for the rename, not again
        // from the root.
        match find_in(dir, leaf).map_err(|e| io_error(self.root, path, e))? {
            None => return Ok(None),
            // Never moved aside, even one this install made itself.
            Some(Found::Dir) => {
                return Err(PlaceError::InTheWay {
                    path: self.root.join(path),
                    why: "is a directory where a file goes",
                })
            }
            Some(_) => {}
        }
        let name = crate::temp::fresh_name();
        linkat(dir, leaf, dir, name.as_str(), AtFlags::empty())
            // A file system without hard links: move it aside instead.
            .or_else(|_| renameat(dir, leaf, dir, name.as_str()))
            .map_err(|e| io_error(self.root, path, e))?;
        Ok(Some(name))
    }

    /// Puts back what stood at `path` (or removes what was placed there).
    fn restore(&self, path: &str, backup: Option<String>) {
        let (parent, leaf) = split(path);
        let dir = &self.dirs[parent];
        let _ = match backup {
            Some(name) => renameat(dir, name.as_str(), dir, leaf),
            None => unlinkat(dir, leaf, AtFlags::empty()),
        };
    }

    fn roll_back(mut self) {
        for placed in std::mem::take(&mut self.placed).into_iter().rev() {
            self.restore(&placed.path, placed.backup);
        }
        for (parent, name) in &self.staged {
            let _ = unlinkat(&self.dirs[parent], name.as_str(), AtFlags::empty());
        }
        for made in self.made.iter().rev() {
            let (parent, leaf) = split(made);
            if let Ok(dir) = self.root.open_dir(parent) {
                let _ = unlinkat(&dir, leaf, AtFlags::REMOVEDIR);
            }
        }
    }

    /// Removes the kept files and makes the renames durable.
    fn finish(self) {
        for placed in &self.placed {
            if let Some(name) = &placed.backup {
                let (parent, _) = split(&placed.path);
                let _ = unlinkat(&self.dirs[parent], name.as_str(), AtFlags::empty());
            }
        }
        for dir in self.dirs.values() {
            // Not every file system can sync a directory.
            let _ = rustix::fs::fsync(dir);
        }
    }
}

#[cfg(test)]
mod tests;

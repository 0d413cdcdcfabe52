//! Between unpacking and placing: the unpacker's sink, which stages every
//! member as a temporary file in the destination and remembers links (with
//! `--all`), and the tree those members and links make: base names, or with
//! the archive's layout their paths less a shared top directory (links
//! included, hard links' targets too).

use std::io;

use jingyu_unpack::{common_root, Member, Sink};

use crate::beneath::Root;
use crate::temp::TempFile;
use crate::txn::{Content, Entry};

/// The sink: members become temporary files in `root`; links are kept for
/// the end.
#[derive(Debug)]
pub struct Staging {
    pub root: Root,
    pub links: Vec<Link>,
}

/// A link from the archive, as stored (path normalised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub path: String,
    pub target: String,
    pub hard: bool,
}

impl Staging {
    pub fn new(root: Root) -> Staging {
        Staging {
            root,
            links: Vec::new(),
        }
    }
}

impl Sink for Staging {
    type Out = TempFile;
    fn create(&mut self, _member: &Member) -> io::Result<TempFile> {
        self.root.temp_file()
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

/// A staged member as an entry at `path`: mode 0755 for executables, else
/// 0644. Its mtime is `mtime` (`SOURCE_DATE_EPOCH`) if given, else the
/// install time, as eget leaves it (so `--upgrade-only` sees a file as new
/// as its install); the archive's stored time is not used.
pub fn file_entry(path: String, member: &Member, temp: TempFile, mtime: Option<u64>) -> Entry {
    let mode = if member.executable { 0o755 } else { 0o644 };
    Entry {
        path,
        content: Content::File { temp, mode, mtime },
    }
}

/// The entries for a directory destination: files by base name, or with
/// `keep_layout` by their path less the shared top directory followed by the
/// links, which are only ever made with the layout.
pub fn tree(
    members: Vec<(Member, TempFile)>,
    links: &[Link],
    keep_layout: bool,
    mtime: Option<u64>,
) -> Vec<Entry> {
    let link_paths = links.iter().map(|l| l.path.as_str());
    let paths: Vec<&str> = members
        .iter()
        .map(|(m, _)| m.path.as_str())
        .chain(link_paths)
        .collect();
    let strip = if keep_layout { common_root(&paths) } else { 0 };
    let prefix = paths.first().map_or("", |p| &p[..strip]).to_owned();
    let mut entries: Vec<Entry> = members
        .into_iter()
        .map(|(m, temp)| {
            let path = if keep_layout {
                &m.path[strip..]
            } else {
                m.file_name()
            };
            file_entry(path.to_owned(), &m, temp, mtime)
        })
        .collect();
    if keep_layout {
        entries.extend(links.iter().map(|link| Entry {
            path: link.path[strip..].to_owned(),
            content: if link.hard {
                // A target outside the shared top directory is kept whole: the
                // tree has no such file, so the link is refused.
                let target = link.target.strip_prefix(&prefix).unwrap_or(&link.target);
                Content::HardLink(target.to_owned())
            } else {
                Content::Symlink(link.target.clone())
            },
        }));
    }
    entries
}

//! Between unpacking and placing: the unpacker's sink, which stages every
//! member as a temporary file (in the destination, or for a lone executable
//! in `EGET_BIN`'s directory, eget's rule) and remembers the kept links, and
//! the tree those members and links make: files on their own by base name
//! (or `--to`'s name), a chosen directory's tree under its name (or where
//! `--to` says), and `--tree`'s layout less a shared top directory (links
//! included, hard links' targets too).

use std::io;

use jingyu_unpack::{common_root, ArchiveLink, Member, Place, Sink};

use crate::beneath::Root;
use crate::temp::TempFile;
use crate::txn::{Content, Entry};

/// A kept link, as the unpacker reported it.
pub type Link = ArchiveLink;

/// The sink: members become temporary files in `root` (or `bin`); links are
/// kept for the end.
#[derive(Debug)]
pub struct Staging {
    pub root: Root,
    /// Where an executable on its own goes instead (eget's `EGET_BIN`).
    pub bin: Option<Root>,
    pub links: Vec<Link>,
}

impl Staging {
    pub fn new(root: Root) -> Staging {
        Staging {
            root,
            bin: None,
            links: Vec::new(),
        }
    }

    /// The same, with executables on their own going to `bin`.
    pub fn with_bin(root: Root, bin: Option<Root>) -> Staging {
        Staging {
            bin,
            ..Staging::new(root)
        }
    }

    /// Whether `member` is staged (and installed) in `bin`.
    pub fn in_bin(&self, member: &Member) -> bool {
        self.bin.is_some() && member.place == Place::Flat && member.executable
    }
}

impl Sink for Staging {
    type Out = TempFile;
    fn create(&mut self, member: &Member) -> io::Result<TempFile> {
        match &self.bin {
            Some(bin) if self.in_bin(member) => bin.temp_file(),
            _ => self.root.temp_file(),
        }
    }

    fn link(&mut self, link: &ArchiveLink) -> io::Result<()> {
        self.links.push(link.clone());
        Ok(())
    }
}

/// A staged member as an entry at `path`, with its install mode. Its mtime
/// is `mtime` (`SOURCE_DATE_EPOCH`) if given, else the install time, as eget
/// leaves it (so `--upgrade-only` sees a file as new as its install); the
/// archive's stored time is not used.
pub fn file_entry(path: String, member: &Member, temp: TempFile, mtime: Option<u64>) -> Entry {
    Entry {
        path,
        content: Content::File {
            temp,
            mode: member.install_mode(),
            mtime,
        },
    }
}

/// How a directory destination names what it receives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Naming {
    /// The name of a file on its own (`--to NAME`); `None`: its base name.
    pub file: Option<String>,
    /// Where a chosen directory's tree goes, relative to the root; `None`:
    /// under the directory's own name; `Some("")`: the root itself.
    pub dir: Option<String>,
}

impl Naming {
    fn flat(&self, member: &Member) -> String {
        self.file
            .clone()
            .unwrap_or_else(|| member.file_name().to_owned())
    }

    fn in_dir(&self, dir: &str, rel: &str) -> String {
        let top = self.dir.as_deref().unwrap_or(dir);
        if top.is_empty() {
            rel.to_owned()
        } else {
            format!("{top}/{rel}")
        }
    }
}

/// The entries for a directory destination: each member where its place
/// and `naming` put it, then the links of the kept candidates.
pub fn tree(
    members: Vec<(Member, TempFile)>,
    links: &[Link],
    naming: &Naming,
    mtime: Option<u64>,
) -> Vec<Entry> {
    let tree_paths = members
        .iter()
        .filter(|(m, _)| m.place == Place::Tree)
        .map(|(m, _)| m.path.as_str())
        .chain(
            links
                .iter()
                .filter(|l| l.place == Place::Tree)
                .map(|l| l.path.as_str()),
        );
    let tree_paths: Vec<&str> = tree_paths.collect();
    let strip = common_root(&tree_paths);
    let prefix = tree_paths.first().map_or("", |p| &p[..strip]).to_owned();
    let kept: Vec<usize> = members.iter().map(|(m, _)| m.item).collect();
    let mut entries: Vec<Entry> = members
        .into_iter()
        .map(|(m, temp)| {
            let path = match &m.place {
                Place::Flat => naming.flat(&m),
                Place::InDir { dir, rel } => naming.in_dir(dir, rel),
                Place::Tree => m.path[strip..].to_owned(),
            };
            file_entry(path, &m, temp, mtime)
        })
        .collect();
    for link in links {
        let (path, top) = match &link.place {
            Place::Tree => (link.path[strip..].to_owned(), prefix.clone()),
            Place::InDir { dir, rel } if kept.contains(&link.item) => {
                let top = link.path[..link.path.len() - rel.len()].to_owned();
                (naming.in_dir(dir, rel), top)
            }
            _ => continue,
        };
        let content = if link.hard {
            // A target outside the tree is kept whole: the tree has no such
            // file, so the link is refused.
            let target = link.target.strip_prefix(&top).map_or_else(
                || link.target.clone(),
                |t| match &link.place {
                    Place::InDir { dir, .. } => naming.in_dir(dir, t),
                    _ => t.to_owned(),
                },
            );
            Content::HardLink(target)
        } else {
            Content::Symlink(link.target.clone())
        };
        entries.push(Entry { path, content });
    }
    entries
}

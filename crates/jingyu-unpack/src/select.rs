//! Which entries a walk writes out and which are kept, as eget 1.3.4's
//! choosers decide (`extract.go`), plus jingyu's `--tree`.
//!
//! - No `--file`: the candidates are the executables by eget's rule (an exec
//!   bit, `.exe`, `.appimage`, or no `.` in the path; never `.deb`, `.1`,
//!   `.txt`); the first named like the tool wins, else the only one. Programs
//!   without any of that (by content) count only when nothing else does.
//! - `--file GLOB`: every file or directory entry whose path or base name
//!   matches; a matched directory is one candidate that brings its whole
//!   tree, and entries below it are not judged again. `*` (or `/`) takes the
//!   first entry, whatever it is. A pattern ending in `/` names a directory
//!   even where the archive has no entry for it (eget finds nothing).
//! - `--all`: every candidate instead of one. `--tree`: everything.

use crate::error::UnpackError;
use crate::glob;
use crate::magic;
use crate::wanted::{Member, Rules};

/// Where a kept member goes, relative to where its candidate is installed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Place {
    /// Under its base name.
    #[default]
    Flat,
    /// In the tree of a chosen directory whose base name is `dir`, at `rel`
    /// below it.
    InDir { dir: String, rel: String },
    /// `--tree`: at its archive path (less a shared top directory).
    Tree,
}

/// One candidate, in archive order: a file, or a chosen directory.
#[derive(Debug)]
struct Item {
    /// The archive path, for messages.
    name: String,
    /// A chosen directory's path with its `/`.
    dir: Option<String>,
    /// eget would take it at once (named like the tool, or `--file '*'`).
    direct: bool,
    /// A candidate by eget's rule (not only by content).
    strong: bool,
}

/// The candidates met so far.
#[derive(Debug, Default)]
pub(crate) struct Selection {
    items: Vec<Item>,
    /// The chosen directories among `items` (every entry is looked up in
    /// them: a `--tree` walk makes an item per file).
    dirs: Vec<usize>,
}

/// What the walk does with a file entry it wants.
pub(crate) struct Wanted {
    pub(crate) place: Place,
    pub(crate) item: usize,
    pub(crate) executable: bool,
}

/// eget's `isExec`: the name or the mode says so.
// eget compares these suffixes case-sensitively; so does this.
#[allow(clippy::case_sensitive_file_extension_comparisons)]
pub fn eget_executable(path: &str, mode: u32) -> bool {
    let never = [".deb", ".1", ".txt"].iter().any(|s| path.ends_with(s));
    !never
        && (path.ends_with(".exe")
            || path.ends_with(".appimage")
            || !path.contains('.')
            || mode & 0o111 != 0)
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn star(rules: &Rules) -> bool {
    rules.files.iter().any(|f| f == "*" || f == "/")
}

impl Selection {
    /// The chosen directory `path` lies in: its item and its prefix.
    fn dir_of(&self, path: &str) -> Option<(usize, &str)> {
        self.dirs.iter().find_map(|&i| {
            let prefix = self.items[i].dir.as_deref()?;
            path.starts_with(prefix).then_some((i, prefix))
        })
    }

    fn in_dir(&self, path: &str) -> Option<(usize, Place)> {
        let (i, prefix) = self.dir_of(path)?;
        let dir = base(prefix.trim_end_matches('/')).to_owned();
        let rel = path[prefix.len()..].to_owned();
        Some((i, Place::InDir { dir, rel }))
    }

    fn push(&mut self, name: &str, dir: bool, direct: bool, strong: bool) -> usize {
        self.items.push(Item {
            name: name.to_owned(),
            dir: dir.then(|| format!("{name}/")),
            direct,
            strong,
        });
        let i = self.items.len() - 1;
        if dir {
            self.dirs.push(i);
        }
        i
    }

    /// A single (compressed or bare) file: the one candidate.
    pub(crate) fn single(&mut self, name: &str) {
        self.push(name, false, true, true);
    }

    /// A directory entry at `path` (no trailing `/`): chosen when a `--file`
    /// pattern matches it and no chosen directory holds it.
    pub(crate) fn directory(&mut self, rules: &Rules, path: &str) {
        if rules.tree || self.dir_of(path).is_some() {
            return;
        }
        let star = star(rules);
        if star || rules.files.iter().any(|g| glob::matches_dir(g, path)) {
            self.push(path, true, star, true);
        }
    }

    /// A directory a `dir/` pattern names, implied by `path` below it.
    fn implied_dir(&mut self, rules: &Rules, path: &str) {
        if !rules.files.iter().any(|g| g.ends_with('/')) {
            return;
        }
        let parts: Vec<&str> = path.split('/').collect();
        for n in 1..parts.len() {
            let dir = parts[..n].join("/");
            let named = rules
                .files
                .iter()
                .any(|g| g.ends_with('/') && glob::matches_dir(g, &dir));
            if named {
                self.push(&dir, true, false, true);
                return;
            }
        }
    }

    /// Whether a file at `path` with `mode`, starting with `head`, is
    /// written out, and where it goes.
    pub(crate) fn file(
        &mut self,
        rules: &Rules,
        path: &str,
        mode: u32,
        head: &[u8],
    ) -> Option<Wanted> {
        let by_rule = eget_executable(path, mode);
        let executable = by_rule || magic::is_executable(head);
        if rules.tree {
            let item = self.push(path, false, false, true);
            return Some(Wanted {
                place: Place::Tree,
                item,
                executable,
            });
        }
        if self.dir_of(path).is_none() && !rules.files.is_empty() {
            self.implied_dir(rules, path);
        }
        if let Some((item, place)) = self.in_dir(path) {
            return Some(Wanted {
                place,
                item,
                executable,
            });
        }
        let (direct, strong) = if rules.files.is_empty() {
            let name = base(path);
            let tool = &rules.name;
            let named = [
                tool.clone(),
                format!("{tool}.exe"),
                format!("{tool}.appimage"),
            ]
            .contains(&name.to_owned());
            (named && by_rule, by_rule)
        } else if star(rules) {
            (true, true)
        } else {
            let hit = rules.files.iter().any(|g| glob::matches(g, path));
            (false, hit)
        };
        if !(strong || rules.files.is_empty() && executable) {
            return None;
        }
        let item = self.push(path, false, direct, strong);
        Some(Wanted {
            place: Place::Flat,
            item,
            executable: executable && (by_rule || rules.files.is_empty()),
        })
    }

    /// Whether a link at `path` is kept, and where.
    pub(crate) fn link(&self, rules: &Rules, path: &str) -> Option<(usize, Place)> {
        if rules.tree {
            return Some((usize::MAX, Place::Tree));
        }
        self.in_dir(path)
    }

    /// The candidates kept: every one for `--all` (or `--tree`), else the
    /// first eget takes at once, else the only one, else (without `--file`)
    /// the one named like the tool plus a platform suffix.
    pub(crate) fn choose(&self, rules: &Rules, seen: &[String]) -> Result<Vec<usize>, UnpackError> {
        let strong: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.items[i].strong)
            .collect();
        let pool = if strong.is_empty() {
            (0..self.items.len()).collect()
        } else {
            strong
        };
        if pool.is_empty() {
            return Err(no_match(rules, seen));
        }
        if rules.tree || rules.all {
            return Ok(pool);
        }
        if let Some(&first) = pool.iter().find(|&&i| self.items[i].direct) {
            return Ok(vec![first]);
        }
        if let [one] = pool[..] {
            return Ok(vec![one]);
        }
        let names: Vec<&str> = pool.iter().map(|&i| self.items[i].name.as_str()).collect();
        if rules.files.is_empty() {
            if let Some(i) = by_suffixed_name(&names, &rules.name) {
                return Ok(vec![pool[i]]);
            }
        }
        Err(UnpackError::Ambiguous {
            members: names.iter().map(|n| (*n).to_owned()).collect(),
            glob: (!rules.files.is_empty()).then(|| rules.files.join(", ")),
        })
    }
}

fn no_match(rules: &Rules, seen: &[String]) -> UnpackError {
    let wanted = if rules.files.is_empty() {
        "executable".to_owned()
    } else {
        format!("file matching --file {}", rules.files.join(", "))
    };
    UnpackError::NoMatch {
        wanted,
        members: seen.to_vec(),
    }
}

/// The one candidate named like the tool plus an OS/arch suffix
/// (`just-x86_64-unknown-linux-musl`), where eget would ask.
fn by_suffixed_name(names: &[&str], tool: &str) -> Option<usize> {
    let tool = tool.to_ascii_lowercase();
    let hits: Vec<usize> = (0..names.len())
        .filter(|&i| {
            let b = base(names[i]).to_ascii_lowercase();
            let stem = b.strip_suffix(".exe").unwrap_or(&b);
            stem.strip_prefix(tool.as_str())
                .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
        })
        .collect();
    match hits[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// The members of the kept candidates, in archive order.
pub(crate) fn kept(members: &[Member], chosen: &[usize]) -> Vec<usize> {
    let size = members.iter().map(|m| m.item + 1).max().unwrap_or(0);
    let mut wanted = vec![false; size];
    for &i in chosen.iter().filter(|&&i| i < size) {
        wanted[i] = true;
    }
    (0..members.len())
        .filter(|&i| wanted[members[i].item])
        .collect()
}

#[cfg(test)]
mod tests;

//! The tree an install makes, checked as a whole before anything is written.
//! Pure logic, no I/O: what already stands in the destination is asked of a
//! callback.
//!
//! Each link is judged against the tree as it will finally be (after the
//! shared top directory is stripped), not on its own: `up -> ..` and then
//! `esc -> up/..` each look harmless, but `esc` resolves two levels up. So a
//! symbolic link's target is resolved component by component, substituting
//! every link met on the way (the archive's own, or one already in the
//! destination), and must never climb above the root. No entry may sit below
//! a link or a file of the tree, and a hard link must name a regular file the
//! archive itself writes.

use std::collections::{HashMap, VecDeque};

use crate::error::PlaceError;

/// What an entry of the tree is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A regular file the archive wrote.
    File,
    /// A symbolic link with this target, as stored.
    Symlink(String),
    /// A hard link to this path of the final tree.
    HardLink(String),
}

/// Links followed while resolving one target before it counts as a loop (as
/// Linux's `MAXSYMLINKS`).
const MAX_HOPS: usize = 40;

/// Checks the final tree: `entries` are unique, normalised relative paths.
/// `existing_link` gives the target of a symbolic link already in the
/// destination at a path the tree does not define, if there is one.
pub fn check(
    entries: &[(&str, &Node)],
    existing_link: &dyn Fn(&str) -> Option<String>,
) -> Result<(), PlaceError> {
    let tree: HashMap<&str, &Node> = entries.iter().copied().collect();
    for &(path, node) in entries {
        check_name(path)?;
        check_ancestors(&tree, path)?;
        match node {
            Node::File => {}
            Node::Symlink(target) => check_symlink(&tree, existing_link, path, target)?,
            Node::HardLink(target) => check_hard_link(&tree, path, target)?,
        }
    }
    Ok(())
}

/// Normalised, relative, and printable: no empty, `.` or `..` components, no
/// control characters (a newline would split jingyu's one-path-per-line output).
fn check_name(path: &str) -> Result<(), PlaceError> {
    if path.starts_with('/') || path.split('/').any(|c| matches!(c, "" | "." | "..")) {
        return Err(PlaceError::unsafe_entry(path, "not a plain relative path"));
    }
    if path.chars().any(char::is_control) {
        return Err(PlaceError::unsafe_entry(
            &path.escape_debug().to_string(),
            "the name holds a control character",
        ));
    }
    Ok(())
}

/// No entry below another entry: below a link it would be written through it,
/// below a file it cannot exist.
fn check_ancestors(tree: &HashMap<&str, &Node>, path: &str) -> Result<(), PlaceError> {
    for (i, _) in path.match_indices('/') {
        let above = &path[..i];
        match tree.get(above) {
            Some(Node::Symlink(_)) => {
                return Err(PlaceError::unsafe_entry(
                    path,
                    format!("it would be written through the link `{above}`"),
                ))
            }
            Some(_) => {
                return Err(PlaceError::unsafe_entry(
                    path,
                    format!("`{above}` is a file, so it cannot be a directory too"),
                ))
            }
            None => {}
        }
    }
    Ok(())
}

fn check_symlink(
    tree: &HashMap<&str, &Node>,
    existing_link: &dyn Fn(&str) -> Option<String>,
    path: &str,
    target: &str,
) -> Result<(), PlaceError> {
    let dir: Vec<String> = path.split('/').map(str::to_owned).collect();
    let dir = dir[..dir.len() - 1].to_vec();
    match resolve(tree, existing_link, dir, target) {
        Resolved::Inside => Ok(()),
        Resolved::Outside => Err(PlaceError::unsafe_entry(
            path,
            format!("the link to `{target}` leads outside the destination"),
        )),
        Resolved::Loop => Err(PlaceError::unsafe_entry(
            path,
            format!("the link to `{target}` is part of a loop of links"),
        )),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    Inside,
    Outside,
    Loop,
}

/// Follows `target` from the directory `at`, as the kernel would once the
/// tree exists, without ever touching the disk.
fn resolve(
    tree: &HashMap<&str, &Node>,
    existing_link: &dyn Fn(&str) -> Option<String>,
    mut at: Vec<String>,
    target: &str,
) -> Resolved {
    let mut pending: VecDeque<String> = VecDeque::new();
    if !push_front(&mut pending, target) {
        return Resolved::Outside;
    }
    let mut hops = 0;
    while let Some(part) = pending.pop_front() {
        match part.as_str() {
            "" | "." => {}
            ".." => {
                if at.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            name => {
                at.push(name.to_owned());
                let here = at.join("/");
                let link = match tree.get(here.as_str()) {
                    Some(Node::Symlink(t)) => Some(t.clone()),
                    Some(_) => None,
                    None => existing_link(&here),
                };
                if let Some(next) = link {
                    hops += 1;
                    if hops > MAX_HOPS {
                        return Resolved::Loop;
                    }
                    at.pop();
                    if !push_front(&mut pending, &next) {
                        return Resolved::Outside;
                    }
                }
            }
        }
    }
    Resolved::Inside
}

/// Puts a link target's components before the ones still to resolve; false
/// for an absolute target, which always leaves the destination.
fn push_front(pending: &mut VecDeque<String>, target: &str) -> bool {
    if target.starts_with('/') {
        return false;
    }
    for part in target.split('/').rev() {
        pending.push_front(part.to_owned());
    }
    true
}

/// A hard link names, directly or through other hard links, a regular file of
/// the tree: never something outside it or something already in the destination.
fn check_hard_link(
    tree: &HashMap<&str, &Node>,
    path: &str,
    target: &str,
) -> Result<(), PlaceError> {
    let mut at = target;
    for _ in 0..=MAX_HOPS {
        match tree.get(at) {
            Some(Node::File) => return Ok(()),
            Some(Node::HardLink(next)) => at = next,
            Some(Node::Symlink(_)) => {
                return Err(PlaceError::unsafe_entry(
                    path,
                    format!("the hard link names `{at}`, a symbolic link, not a file"),
                ))
            }
            None => {
                return Err(PlaceError::unsafe_entry(
                    path,
                    format!("the hard link names `{at}`, which this archive does not write"),
                ))
            }
        }
    }
    Err(PlaceError::unsafe_entry(
        path,
        "the hard link is part of a loop of links",
    ))
}

#[cfg(test)]
mod tests;

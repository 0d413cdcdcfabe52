//! What the user asked to take out of an archive ([`Rules`]), the members
//! taken, and path safety: no absolute paths, no `..`, and the shared top
//! directory that `--tree` strips. Which members are taken is `select.rs`.

use crate::error::UnpackError;
use crate::select::Place;

/// What the user asked to take out of an archive.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// The name the binary is expected to have (the repository's name).
    pub name: String,
    /// `--file` globs; empty means "the binary".
    pub files: Vec<String>,
    /// `--all`: every candidate, not one (eget's `--all`).
    pub all: bool,
    /// `--tree`: every entry, with the archive's layout.
    pub tree: bool,
    /// The most bytes unpacking may write in total.
    pub max_size: u64,
    /// The downloaded file's own name: a single (compressed or bare) file is
    /// named from it as eget does ([`single_file`]).
    pub asset: String,
}

/// A regular file taken out of an archive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Member {
    /// Its path inside the archive, normalised (no `./`, no `..`, relative).
    pub path: String,
    /// Unix permission bits as stored (0 when the format has none).
    pub mode: u32,
    /// Modification time (Unix seconds) as stored, if any.
    pub mtime: Option<u64>,
    /// Executable by eget's rule, or (jingyu's addition) by content.
    pub executable: bool,
    /// Where it goes.
    pub place: Place,
    /// The candidate it belongs to (itself, or the directory holding it).
    pub item: usize,
}

impl Member {
    /// The base name.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The mode it is installed with, as eget writes it under a 022 umask: a
    /// file on its own gets the exec bits when executable; a file of a tree
    /// keeps the archive's bits. Never set-id, sticky, or writable by others.
    pub fn install_mode(&self) -> u32 {
        let bits = self.mode & 0o777;
        let mode = match self.place {
            Place::Flat if self.executable => bits | 0o111,
            _ => bits,
        };
        mode & 0o755
    }
}

/// The name eget 1.3.4 gives a single (compressed or bare) file downloaded as
/// `asset` for the tool `tool`, and whether it is executable (its `rename`
/// and `modeFrom`): `.deb`, `.1` and `.txt` keep their name and are not
/// executable; `.appimage` is dropped; an `.exe` keeps the asset's name;
/// anything else takes the tool's name. Executable: an `.exe`, an
/// `.appimage`, a name without a dot, or (jingyu's addition, so a real
/// program never lands without its exec bit) content that is a program.
// eget compares these suffixes case-sensitively (`Tool.EXE` is not an `.exe`
// to it); so does this, on purpose.
#[allow(clippy::case_sensitive_file_extension_comparisons)]
pub fn single_file(asset: &str, tool: &str, program: bool) -> (String, bool) {
    if asset.is_empty() {
        return (tool.to_owned(), true);
    }
    if [".deb", ".1", ".txt"].iter().any(|s| asset.ends_with(s)) {
        return (asset.to_owned(), false);
    }
    let name = match asset.strip_suffix(".appimage") {
        Some(stem) => stem,
        None if asset.ends_with(".exe") => asset,
        None => tool,
    };
    let exec = name.ends_with(".exe") || name.ends_with(".appimage") || !name.contains('.');
    (name.to_owned(), exec || program)
}

/// Normalises an entry's path, refusing absolute paths and `..` components.
pub fn safe_path(raw: &str) -> Result<String, UnpackError> {
    let unsafe_entry = |why| UnpackError::Unsafe {
        entry: raw.to_owned(),
        why,
    };
    if raw.starts_with('/')
        || raw.starts_with('\\')
        || raw.get(1..3) == Some(":\\")
        || raw.get(1..3) == Some(":/")
    {
        return Err(unsafe_entry("absolute path"));
    }
    let mut parts = Vec::new();
    for part in raw.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(unsafe_entry("`..` leads outside the destination")),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(unsafe_entry("empty path"));
    }
    Ok(parts.join("/"))
}

/// Whether a link stored at `path` pointing to `target` stays inside the archive's root.
pub fn link_stays_inside(path: &str, target: &str) -> bool {
    if target.starts_with('/') {
        return false;
    }
    let mut depth = isize::try_from(path.split('/').count()).unwrap_or(isize::MAX) - 1;
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => depth -= 1,
            _ => depth += 1,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

/// The length of the top directory (with its `/`) that every path shares, or 0.
pub fn common_root(paths: &[&str]) -> usize {
    let Some((first, _)) = paths.first().and_then(|p| p.split_once('/')) else {
        return 0;
    };
    let prefix = format!("{first}/");
    if paths.iter().all(|p| p.starts_with(&prefix)) {
        prefix.len()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_modes_are_eget_s_under_a_022_umask() {
        let m = |mode, executable, place| Member {
            mode,
            executable,
            place,
            ..Member::default()
        };
        assert_eq!(m(0o644, true, Place::Flat).install_mode(), 0o755);
        assert_eq!(m(0o600, false, Place::Flat).install_mode(), 0o600);
        assert_eq!(m(0o4777, true, Place::Flat).install_mode(), 0o755);
        let tree = Place::InDir {
            dir: "go".into(),
            rel: "VERSION".into(),
        };
        assert_eq!(m(0o644, true, tree.clone()).install_mode(), 0o644);
        assert_eq!(m(0o666, false, tree).install_mode(), 0o644);
    }

    #[test]
    fn single_files_are_named_as_eget_names_them() {
        let f = |asset: &str, program: bool| single_file(asset, "tool", program);
        assert_eq!(
            f("tool_1_amd64.deb", false),
            ("tool_1_amd64.deb".into(), false)
        );
        assert_eq!(f("tool.1", false), ("tool.1".into(), false));
        assert_eq!(f("tool-linux-amd64.gz", true), ("tool".into(), true));
        assert_eq!(f("tool-linux-amd64", true), ("tool".into(), true));
        assert_eq!(
            f("tool-windows-amd64.exe", true),
            ("tool-windows-amd64.exe".into(), true)
        );
        assert_eq!(
            f("tool-x86_64.appimage", true),
            ("tool-x86_64".into(), true)
        );
        // eget would leave these 0644; content that is a program gets its bit.
        assert_eq!(
            f("tool-1.0-x86_64.appimage", false),
            ("tool-1.0-x86_64".into(), false)
        );
        assert_eq!(
            f("tool-1.0-x86_64.appimage", true),
            ("tool-1.0-x86_64".into(), true)
        );
        assert_eq!(
            single_file("x.gz", "just.sh", false),
            ("just.sh".into(), false)
        );
        assert_eq!(single_file("", "tool", false), ("tool".into(), true));
    }

    #[test]
    fn path_safety() {
        assert_eq!(safe_path("./pkg//bin/t").unwrap(), "pkg/bin/t");
        for bad in [
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/..",
            "C:\\x",
            "\\x",
            ".",
        ] {
            assert!(
                matches!(safe_path(bad), Err(UnpackError::Unsafe { .. })),
                "{bad}"
            );
        }
        assert!(link_stays_inside("a/b/link", "../c"));
        assert!(!link_stays_inside("a/link", "../../c"));
        assert!(!link_stays_inside("link", "/etc/passwd"));
    }

    #[test]
    fn common_root_is_stripped_only_when_shared() {
        assert_eq!(
            common_root(&["t-1.0/bin/t", "t-1.0/README"]),
            "t-1.0/".len()
        );
        assert_eq!(common_root(&["t-1.0/bin/t", "README"]), 0);
        assert_eq!(common_root(&["t"]), 0);
    }
}

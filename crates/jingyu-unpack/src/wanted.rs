//! Which archive members are wanted, and which one is "the binary": the exact
//! `--file` globs, or `--all`, or else the executables (by exec bit or by
//! content), of which the one named like the repository wins. Also path safety:
//! no absolute paths, no `..`, and the shared top directory that `--all` strips.

use crate::error::UnpackError;
use crate::glob;
use crate::magic;

/// What the user asked to take out of an archive.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// The name the binary is expected to have (the repository's name).
    pub name: String,
    /// `--file` globs; empty means "the binary".
    pub files: Vec<String>,
    /// `--all`: every regular file.
    pub all: bool,
    /// The most bytes unpacking may write in total.
    pub max_size: u64,
    /// The downloaded file's own name: a single (compressed or bare) file is
    /// named from it as eget does ([`single_file`]).
    pub asset: String,
}

/// A regular file taken out of an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Its path inside the archive, normalised (no `./`, no `..`, relative).
    pub path: String,
    /// Unix permission bits as stored (0 when the format has none).
    pub mode: u32,
    /// Modification time (Unix seconds) as stored, if any.
    pub mtime: Option<u64>,
    /// An exec bit, or executable content.
    pub executable: bool,
}

impl Member {
    /// The base name.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

impl Rules {
    /// Whether a regular file at `path` with `mode`, starting with `head`, is
    /// written out as a candidate; `Some(executable)` if so.
    pub(crate) fn wants(&self, path: &str, mode: u32, head: &[u8]) -> Option<bool> {
        let executable =
            !magic::is_documentation(path) && (mode & 0o111 != 0 || magic::is_executable(head));
        let take = if self.all {
            true
        } else if self.files.is_empty() {
            executable
        } else {
            self.files.iter().any(|g| glob::matches(g, path))
        };
        take.then_some(executable)
    }

    /// Picks from the candidates written: all of them for `--all` and `--file`,
    /// else the one binary. `seen` is every regular file, for the error.
    pub(crate) fn choose(
        &self,
        candidates: &[Member],
        seen: &[String],
    ) -> Result<Vec<usize>, UnpackError> {
        if candidates.is_empty() {
            let wanted = if self.files.is_empty() {
                if self.all {
                    "files".to_owned()
                } else {
                    "executable".to_owned()
                }
            } else {
                format!("file matching --file {}", self.files.join(", "))
            };
            return Err(UnpackError::NoMatch {
                wanted,
                members: seen.to_vec(),
            });
        }
        if self.all || !self.files.is_empty() || candidates.len() == 1 {
            return Ok((0..candidates.len()).collect());
        }
        self.by_name(candidates)
            .map(|i| vec![i])
            .ok_or_else(|| UnpackError::Ambiguous {
                members: candidates.iter().map(|m| m.path.clone()).collect(),
            })
    }

    /// The one executable named exactly like the repository (with or without
    /// `.exe`), else the one named like it plus an OS/arch suffix.
    fn by_name(&self, candidates: &[Member]) -> Option<usize> {
        let name = self.name.to_ascii_lowercase();
        let stem = |m: &Member| {
            let base = m.file_name().to_ascii_lowercase();
            base.strip_suffix(".exe").map(str::to_owned).unwrap_or(base)
        };
        let exact: Vec<usize> = (0..candidates.len())
            .filter(|&i| stem(&candidates[i]) == name)
            .collect();
        if let [one] = exact[..] {
            return Some(one);
        }
        let suffixed: Vec<usize> = (0..candidates.len())
            .filter(|&i| {
                let s = stem(&candidates[i]);
                s.strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
            })
            .collect();
        match suffixed[..] {
            [one] if exact.is_empty() => Some(one),
            _ => None,
        }
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

    fn m(path: &str, executable: bool) -> Member {
        Member {
            path: path.into(),
            mode: if executable { 0o755 } else { 0o644 },
            mtime: None,
            executable,
        }
    }

    fn rules(name: &str) -> Rules {
        Rules {
            name: name.into(),
            ..Rules::default()
        }
    }

    #[test]
    fn the_repo_name_wins_among_several() {
        let c = [m("pkg/helper", true), m("pkg/just", true)];
        assert_eq!(rules("just").choose(&c, &[]).unwrap(), [1]);
        let c = [m("pkg/helper", true), m("pkg/just.exe", true)];
        assert_eq!(rules("just").choose(&c, &[]).unwrap(), [1]);
        let c = [m("helper", true), m("just-x86_64-unknown-linux-musl", true)];
        assert_eq!(rules("just").choose(&c, &[]).unwrap(), [1]);
        let c = [m("a", true), m("b", true)];
        let err = rules("just").choose(&c, &[]).unwrap_err().to_string();
        assert!(
            err.contains("2 executables: `a`, `b`") && err.contains("--file"),
            "{err}"
        );
    }

    #[test]
    fn a_single_executable_is_taken_whatever_its_name() {
        assert_eq!(
            rules("ripgrep").choose(&[m("x/rg", true)], &[]).unwrap(),
            [0]
        );
    }

    #[test]
    fn nothing_executable_lists_what_is_there() {
        let err = rules("t")
            .choose(&[], &["README".into(), "t.conf".into()])
            .unwrap_err()
            .to_string();
        assert_eq!(err, "no executable in the archive; it holds `README`, `t.conf`; choose with --file GLOB or take everything with --all");
    }

    #[test]
    fn wants_executables_by_bit_or_content_but_not_docs() {
        let r = rules("t");
        assert_eq!(r.wants("bin/t", 0o755, b""), Some(true));
        assert_eq!(r.wants("t.exe", 0o644, b"MZ\x90\0"), Some(true));
        assert_eq!(r.wants("README.md", 0o755, b"# t"), None);
        assert_eq!(r.wants("t.conf", 0o644, b"x=1"), None);
        let all = Rules {
            all: true,
            ..rules("t")
        };
        assert_eq!(all.wants("README.md", 0o644, b""), Some(false));
        let files = Rules {
            files: vec!["*.conf".into()],
            ..rules("t")
        };
        assert_eq!(files.wants("etc/t.conf", 0o644, b""), Some(false));
        assert_eq!(files.wants("bin/t", 0o755, b""), None);
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

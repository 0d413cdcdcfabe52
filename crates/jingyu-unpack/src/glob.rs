//! A small glob matcher for `--file`: `*` (within a path component), `?`,
//! `[abc]`/`[a-z]`/`[!x]` classes, and `**` across components.

/// Whether the entry at `path` matches `pattern`, as eget 1.3.4 matches
/// `--file`: against the base name or the whole path (`*` stays within a
/// component, `**` crosses them). A pattern ending in `/` never matches a
/// file (it names a directory: [`matches_dir`]).
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    let base = path.rsplit('/').next().unwrap_or(path);
    glob(pattern.as_bytes(), base.as_bytes()) || glob(pattern.as_bytes(), path.as_bytes())
}

/// Whether the directory at `path` (no trailing `/`) matches `pattern`, with
/// or without the pattern's own trailing `/`.
pub fn matches_dir(pattern: &str, path: &str) -> bool {
    matches(pattern.trim_end_matches('/'), path)
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
            (0..=s.len()).any(|i| glob(rest, &s[i..]))
        }
        Some(b'*') => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob(&p[1..], &s[i..])),
        Some(b'?') => s.first().is_some_and(|&c| c != b'/') && glob(&p[1..], &s[1..]),
        Some(b'[') => match (class(&p[1..]), s.first()) {
            (Some((accepts, len)), Some(&c)) => accepts(c) && glob(&p[1 + len..], &s[1..]),
            (None, Some(&c)) => c == b'[' && glob(&p[1..], &s[1..]),
            (_, None) => false,
        },
        Some(&c) => s.first() == Some(&c) && glob(&p[1..], &s[1..]),
    }
}

/// Parses a class body after `[`; returns its test and the bytes it used
/// (through the closing `]`).
fn class(p: &[u8]) -> Option<(impl Fn(u8) -> bool + '_, usize)> {
    let end = p.iter().skip(1).position(|&c| c == b']')? + 1;
    let (negated, body) = match p[0] {
        b'!' | b'^' => (true, &p[1..end]),
        _ => (false, &p[..end]),
    };
    let test = move |c: u8| {
        let mut i = 0;
        let mut hit = false;
        while i < body.len() {
            if i + 2 < body.len() && body[i + 1] == b'-' {
                hit |= (body[i]..=body[i + 2]).contains(&c);
                i += 3;
            } else {
                hit |= body[i] == c;
                i += 1;
            }
        }
        hit != negated
    };
    Some((test, end + 1))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn glob_table() {
        let cases = [
            ("rg", "ripgrep-14/rg", true),
            ("rg", "ripgrep-14/rga", false),
            ("*.exe", "dist/tool.exe", true),
            ("tool-*", "a/tool-linux", true),
            ("t?ol", "tool", true),
            ("t[a-z]ol", "tool", true),
            ("t[!o]ol", "tool", false),
            ("bin/*", "pkg/bin/x", false),
            ("pkg/bin/*", "pkg/bin/x", true),
            // eget matches the whole path, never a leading part of it
            ("pkg/bin", "pkg/bin/x", false),
            ("pkg/bin/", "pkg/bin/sub/x", false),
            ("pkg/*", "pkg/bin/sub/x", false),
            ("**/x", "pkg/bin/sub/x", true),
            ("pkg/**/x", "pkg/x", true),
            ("*", "a/b", true),
            ("a*/b", "ab/b", true),
            ("a*", "a/b", false),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(matches(pattern, path), want, "{pattern} vs {path}");
        }
        assert!(super::matches_dir("pkg/bin/", "pkg/bin"));
        assert!(super::matches_dir("bin", "pkg/bin"));
        assert!(!super::matches_dir("pkg", "pkg/bin"));
    }
}

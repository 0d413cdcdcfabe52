use super::*;

fn f() -> Node {
    Node::File
}
fn s(t: &str) -> Node {
    Node::Symlink(t.into())
}
fn h(t: &str) -> Node {
    Node::HardLink(t.into())
}

fn verdict(entries: &[(&str, Node)]) -> Result<(), String> {
    let refs: Vec<(&str, &Node)> = entries.iter().map(|(p, n)| (*p, n)).collect();
    check(&refs, &|_| None).map_err(|e| e.to_string())
}

#[track_caller]
fn refused(entries: &[(&str, Node)], why: &str) {
    let err = verdict(entries).expect_err("the tree should be refused");
    assert!(err.contains(why), "{err}");
}

#[test]
fn chained_links_that_climb_together_are_refused() {
    // The archive, once `d/` is stripped: `up` alone already climbs out.
    refused(
        &[("payload", f()), ("up", s("..")), ("esc", s("up/.."))],
        "`up`: the link to `..` leads outside",
    );
    // Each of these stays inside on its own, lexically and resolved; `a/x`
    // is `a/b/esc/..`, lexically `a/b`, but `a/b/esc` resolves to the root.
    let chain = [("a/b/up", s("..")), ("a/b/esc", s("up/.."))];
    assert_eq!(verdict(&chain), Ok(()));
    refused(
        &[chain[0].clone(), chain[1].clone(), ("a/x", s("b/esc/.."))],
        "`a/x`: the link to `b/esc/..` leads outside",
    );
    refused(
        &[
            ("a/b/up", s("..")),
            ("a/b/up2", s("up/..")),
            ("a/b/x", s("up2/../..")),
        ],
        "`a/b/x`",
    );
}

#[test]
fn a_link_is_judged_where_it_finally_stands() {
    // `top/esc -> ../x` is inside `top/`'s parent, but after stripping `top/`
    // it stands at the root and climbs out.
    refused(&[("tool", f()), ("esc", s("../x"))], "leads outside");
    assert_eq!(
        verdict(&[("bin/tool", f()), ("bin/alias", s("../bin/tool"))]),
        Ok(())
    );
}

#[test]
fn absolute_targets_and_loops_are_refused() {
    refused(&[("l", s("/etc/passwd"))], "leads outside");
    refused(
        &[("a", s("b/x")), ("b", s("/"))],
        "`a`: the link to `b/x` leads outside",
    );
    refused(&[("a", s("b")), ("b", s("a/c"))], "loop");
}

#[test]
fn links_inside_are_kept_dangling_or_not() {
    assert_eq!(
        verdict(&[
            ("pkg/bin/real", f()),
            ("pkg/bin/alias", s("real")),
            ("pkg/lib", s("bin/../bin")),
            ("pkg/missing", s("not/there/..")),
            ("pkg/self", s(".")),
        ]),
        Ok(())
    );
}

#[test]
fn nothing_is_written_below_a_link_or_a_file() {
    refused(
        &[("d", s("sub")), ("d/x", f())],
        "`d/x`: it would be written through the link `d`",
    );
    refused(&[("d", s("sub")), ("d/x", s("y"))], "through the link `d`");
    refused(&[("d", f()), ("d/x", f())], "`d` is a file");
}

#[test]
fn hard_links_name_files_the_archive_writes() {
    assert_eq!(verdict(&[("a", f()), ("b", h("a")), ("c", h("b"))]), Ok(()));
    refused(
        &[("b", h("etc/passwd"))],
        "`etc/passwd`, which this archive does not write",
    );
    refused(
        &[("l", s("a")), ("a", f()), ("b", h("l"))],
        "a symbolic link",
    );
    refused(&[("a", h("b")), ("b", h("a"))], "loop");
    // A hard link through a link the archive planted is below that link.
    refused(
        &[("p", f()), ("sub/out", s("..")), ("sub/out/canary", h("p"))],
        "written through the link `sub/out`",
    );
}

#[test]
fn links_already_in_the_destination_are_followed_when_judging() {
    let entries = [("a", s("old/.."))];
    let refs: Vec<(&str, &Node)> = entries.iter().map(|(p, n)| (*p, n)).collect();
    assert!(check(&refs, &|_| None).is_ok());
    let planted = |p: &str| (p == "old").then(|| "/etc".to_owned());
    let err = check(&refs, &planted).unwrap_err().to_string();
    assert!(err.contains("leads outside"), "{err}");
}

#[test]
fn names_must_be_plain_and_printable() {
    refused(&[("a/../b", f())], "not a plain relative path");
    refused(&[("/abs", f())], "not a plain relative path");
    refused(&[("bin/to\nol", f())], "control character");
    let err = verdict(&[("x\u{1b}[2J", f())]).unwrap_err();
    assert!(
        err.contains("x\\u{1b}[2J") && !err.contains('\u{1b}'),
        "{err}"
    );
}

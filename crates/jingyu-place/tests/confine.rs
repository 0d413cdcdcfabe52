//! Property: for any archive, extraction with `--all` into `dest/` changes
//! nothing outside `dest/`, a refused archive changes nothing at all, and
//! every link made resolves inside (see `support/confine.rs`). Thousands of
//! generated archives of hostile names and link chains, from fixed seeds, by
//! both ways of reaching below the root (`openat2` and the component walk).

#[path = "support/confine.rs"]
mod confine;

use std::path::PathBuf;

use jingyu_place::Root;

/// xorshift64*: deterministic, so a failure names its seed.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d).to_be_bytes()[0]
    }
}

fn sandbox_dir(tag: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("confine-{tag}-{}", std::process::id()))
}

#[test]
fn no_archive_writes_outside_dest_or_half_installs() {
    let (mut accepted, mut refused) = (0, 0);
    for seed in 1..=2000u64 {
        let sandbox = confine::Sandbox::new(sandbox_dir("prop"));
        let mut choices = Choices(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let items = confine::items(&mut || choices.next(), &sandbox.outside());
        let archive = confine::tar(&items);
        let root = Root::open(&sandbox.dest()).unwrap();
        let root = if seed.is_multiple_of(2) {
            root.without_openat2()
        } else {
            root
        };
        let mut ok = false;
        confine::check(&sandbox, &(seed, &items), || {
            let r = confine::extract_all(&archive, root);
            ok = r.is_ok();
            r
        });
        if ok {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    // Both outcomes are exercised in quantity, or the property says little.
    assert!(
        accepted > 300 && refused > 300,
        "accepted {accepted}, refused {refused}"
    );
}

#[test]
fn the_known_escapes_are_caught_by_the_property() {
    // The checker itself must see an escape: install a link leading outside
    // by hand and the check must fail.
    let sandbox = confine::Sandbox::new(sandbox_dir("self"));
    let dest = sandbox.dest();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        confine::check(&sandbox, &"by hand", || {
            std::os::unix::fs::symlink("../../..", dest.join("esc")).unwrap();
            Ok(vec!["esc".into()])
        });
    }));
    assert!(caught.is_err(), "an escaping link must fail the check");
    let sandbox = confine::Sandbox::new(sandbox_dir("self2"));
    let case = sandbox.case.clone();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        confine::check(&sandbox, &"by hand", || {
            std::fs::write(case.join("canary"), "changed").unwrap();
            Ok(Vec::new())
        });
    }));
    assert!(
        caught.is_err(),
        "a changed file outside must fail the check"
    );
}

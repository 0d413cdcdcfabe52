#![no_main]
//! Placing an archive with `--all`: the fuzzer's bytes choose the archive's
//! entries (files, symbolic and hard links, hostile names and chains of
//! targets), which are unpacked and installed into `dest/` of a sandbox
//! under the system's temporary directory. Any archive may be refused; none
//! may change anything outside `dest/`, leave a refused install half done,
//! or make a link that resolves outside (the checks of the property test).

#[path = "../../crates/jingyu-place/tests/support/confine.rs"]
mod confine;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied();
    let mut next = || bytes.next().unwrap_or(0);
    let top = std::env::temp_dir().join(format!("jingyu-fuzz-place-{}", std::process::id()));
    let sandbox = confine::Sandbox::new(top);
    let items = confine::items(&mut next, &sandbox.outside());
    let archive = confine::tar(&items);
    let root = jingyu_place::Root::open(&sandbox.dest()).expect("open dest");
    let root = if data.first().is_some_and(|b| b & 1 == 1) { root.without_openat2() } else { root };
    confine::check(&sandbox, &items, || confine::extract_all(&archive, root));
});

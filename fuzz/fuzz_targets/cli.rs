#![no_main]
//! The command line, the environment and eget's config file, as `main`
//! plans them: the fuzzer's bytes, split at 0xff, are arguments, or
//! `NAME=value` variables when they start with `=`, or the config file's
//! text when they start with `#`, or a manifest and lock file's when they
//! start with `!`. Any plan, config or usage error is fine; a panic is not.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut argv = Vec::new();
    let mut env = Vec::new();
    let mut config = None;
    for part in data.split(|b| *b == 0xff) {
        let text = String::from_utf8_lossy(part).into_owned();
        if let Some(toml) = text.strip_prefix('!') {
            jingyu::fuzzing::manifest_and_lock(toml);
            continue;
        }
        if let Some(toml) = text.strip_prefix('#') {
            config = Some(toml.to_owned());
            continue;
        }
        match text.strip_prefix('=').and_then(|v| v.split_once('=')) {
            Some((name, value)) => env.push((name.to_owned(), value.to_owned())),
            None => argv.push(text),
        }
    }
    jingyu::fuzzing::plan(&argv, &env, config.as_deref());
});

//! minisign signatures, made by the real `minisign` (Debian's, which
//! tests/run.sh installs) and checked by jingyu as the download streams: a good
//! one verifies, a bad, foreign or legacy one fails with nothing written,
//! absence warns, and `--require-signed` refuses before downloading.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use jingyu_fake::{FakeGitHub, Release};

use crate::archives::tool_tar_gz;
use crate::harness::{Case, Scratch};
use crate::tool_bytes;

const ASSET: &str = "tool-linux-amd64.tar.gz";

/// A minisign key pair: the public key's text and the secret key's file.
struct Keys {
    public: String,
    secret: PathBuf,
    dir: Scratch,
}

/// `minisign`, or `None` outside CI when it is not installed.
#[allow(clippy::print_stderr)]
fn keys() -> Option<Keys> {
    let found = Command::new("minisign")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tests/run.sh installs minisign"
        );
        eprintln!("skipped: no minisign");
        return None;
    }
    let dir = Scratch::new();
    let (public, secret) = (dir.0.join("k.pub"), dir.0.join("k.sec"));
    let out = Command::new("minisign")
        .args(["-G", "-W", "-f", "-p"])
        .arg(&public)
        .arg("-s")
        .arg(&secret)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(&public).unwrap();
    let key = text.lines().nth(1).unwrap().to_owned();
    Some(Keys {
        public: key,
        secret,
        dir,
    })
}

impl Keys {
    /// minisign's signature of `bytes` (`legacy`: `minisign -l`).
    fn sign(&self, bytes: &[u8], legacy: bool) -> String {
        let file = self.dir.0.join("payload");
        fs::write(&file, bytes).unwrap();
        let sig = self.dir.0.join("payload.minisig");
        let mut cmd = Command::new("minisign");
        cmd.arg("-S")
            .arg("-s")
            .arg(&self.secret)
            .arg("-m")
            .arg(&file)
            .arg("-x")
            .arg(&sig);
        cmd.args(["-t", "release v1.1 of owner/tool"]);
        if legacy {
            cmd.arg("-l");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        fs::read_to_string(sig).unwrap()
    }

    fn pub_file(&self) -> &Path {
        &self.dir.0
    }
}

/// `owner/tool` v1.1 with the asset and, if given, its `.minisig`.
fn release(minisig: Option<String>) -> FakeGitHub {
    let gh = FakeGitHub::start();
    let mut r = Release::new("v1.1").asset(ASSET, tool_tar_gz("tool", "v1.1"));
    if let Some(sig) = minisig {
        r = r.asset(&format!("{ASSET}.minisig"), sig);
    }
    gh.release("owner/tool", r);
    gh
}

#[test]
fn a_good_signature_verifies_as_the_download_streams() {
    let Some(keys) = keys() else { return };
    let gh = release(Some(keys.sign(&tool_tar_gz("tool", "v1.1"), false)));
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--minisign-key", &keys.public])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!(
        "signature verified: minisign `{ASSET}.minisig` by key {} (trusted comment: release v1.1 of owner/tool)",
        keys.public
    ));
    // The key's .pub file does the same, and so does --require-signed.
    let pub_file = keys.pub_file().join("k.pub").display().to_string();
    let out = Case::new(&gh)
        .eget_stdout()
        .env("JINGYU_MINISIGN_KEY", &pub_file)
        .args(["owner/tool", "--require-signed"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
}

#[test]
fn a_bad_foreign_or_legacy_signature_fails_with_nothing_written() {
    let Some(keys) = keys() else { return };
    let Some(other) = self::keys() else { return };
    let real = tool_tar_gz("tool", "v1.1");
    let cases = [
        (
            keys.sign(b"other bytes", false),
            "does not verify with --minisign-key",
        ),
        (
            other.sign(&real, false),
            "was made with another key than --minisign-key",
        ),
        (
            keys.sign(&real, true),
            "is a legacy signature (minisign -l)",
        ),
    ];
    for (sig, why) in cases {
        let gh = release(Some(sig));
        let out = Case::new(&gh)
            .eget_stdout()
            .args(["owner/tool", "--minisign-key", &keys.public])
            .run();
        out.code(5);
        let line = out.error_line();
        assert!(
            line.starts_with(&format!("jingyu: error: `{ASSET}`: `{ASSET}.minisig` "))
                && line.contains(why)
                && line.ends_with("; nothing was installed"),
            "{line}"
        );
        assert!(out.files().is_empty(), "{why}: {:?}", out.files());
    }
}

#[test]
fn absence_warns_and_require_signed_refuses_before_downloading() {
    let Some(keys) = keys() else { return };
    let gh = release(None);
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--minisign-key", &keys.public])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!("jingyu: warning: no `{ASSET}.minisig` was found beside it: `{ASSET}` is not signature-checked with that key"));
    let out = Case::new(&gh)
        .eget_stdout()
        .args([
            "owner/tool",
            "--minisign-key",
            &keys.public,
            "--require-signed",
        ])
        .run();
    out.code(5);
    // An attestation on GitHub could still sign it: that is known once the
    // digest is, after the download; nothing is installed.
    out.stderr_has(&format!("no `{ASSET}.minisig` was found beside it"));
    assert!(
        out.error_line().ends_with(&format!(
            "--require-signed, and no signature verified it: no Sigstore bundle beside it and no attestation of sha256 {}; nothing was installed",
            jingyu_fake::sha256_hex(&tool_tar_gz("tool", "v1.1"))
        )),
        "{}",
        out.error_line()
    );
    assert!(out.files().is_empty(), "{:?}", out.files());
    // Off GitHub (a direct URL) nothing else could: refused before downloading.
    let before = gh.requests().len();
    let url = gh.asset_url("owner/tool", "v1.1", ASSET);
    let out = Case::new(&gh)
        .eget_stdout()
        .args([
            url.as_str(),
            "--minisign-key",
            &keys.public,
            "--require-signed",
        ])
        .run();
    out.code(5);
    assert!(
        out.error_line().contains(&format!(
            "--require-signed, and no `{ASSET}.minisig` was found beside it"
        )),
        "{}",
        out.error_line()
    );
    let asset_path = FakeGitHub::download_path("owner/tool", "v1.1", ASSET);
    assert!(
        gh.requests()[before..].iter().all(|r| r.path != asset_path),
        "nothing was downloaded"
    );
    let out = Case::new(&gh)
        .eget_stdout()
        .env("JINGYU_REQUIRE_SIGNED", "1")
        .args(["owner/tool"])
        .run();
    out.code(5);
    // GitHub may hold an attestation, known only once the digest is.
    assert!(
        out.error_line().contains("--require-signed, and no signature verified it: no Sigstore bundle beside it and no attestation of sha256 "),
        "{}",
        out.error_line()
    );
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--minisign-key", "RWnot-a-key"])
        .run();
    out.code(2);
    assert!(
        out.error_line()
            .contains("--minisign-key `RWnot-a-key` is neither a minisign public key"),
        "{}",
        out.error_line()
    );
}

#[test]
fn a_direct_url_is_checked_against_url_minisig() {
    let Some(keys) = keys() else { return };
    let gh = release(Some(keys.sign(&tool_tar_gz("tool", "v1.1"), false)));
    let url = gh.asset_url("owner/tool", "v1.1", ASSET);
    let out = Case::new(&gh)
        .eget_stdout()
        .args([url.as_str(), "--minisign-key", &keys.public])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has("signature verified: minisign");
}

#[test]
fn a_locked_install_checks_the_signature_the_lock_names() {
    let Some(keys) = keys() else { return };
    let Some(other) = self::keys() else { return };
    let gh = release(Some(keys.sign(&tool_tar_gz("tool", "v1.1"), false)));
    let case = || {
        let c = Case::new(&gh).unset("JINGYU_SYSTEM").eget_stdout();
        fs::write(c.path("jingyu.toml"), "[defaults]\nplatforms = [\"linux/amd64\"]\nto = \"out/\"\n[tools.\"owner/tool\"]\ntag = \"v1.1\"\n").unwrap();
        c
    };
    let out = case().args(["lock"]).run();
    out.success();
    let lock = fs::read_to_string(out.dir.join("jingyu.lock")).unwrap();
    assert!(
        lock.contains(&format!(
            "minisig = \"{}.minisig\"",
            gh.asset_url("owner/tool", "v1.1", ASSET)
        )),
        "{lock}"
    );
    for (key, code) in [(&keys.public, 0), (&other.public, 5)] {
        let c = case().env("JINGYU_MINISIGN_KEY", key);
        fs::write(c.path("jingyu.lock"), &lock).unwrap();
        let out = c
            .args(["install", "--locked", "--system", "linux/amd64"])
            .run();
        out.code(code);
        if code == 0 {
            assert_eq!(out.stdout_text().lines().count(), 2, "the table");
            assert_eq!(out.file("out/tool"), tool_bytes("v1.1"));
        } else {
            assert!(
                out.stderr().contains("made with another key"),
                "{}",
                out.stderr()
            );
            assert!(out.stdout_text().contains("FAILED"), "the table says so");
            assert!(!out.dir.join("out/tool").exists(), "nothing installed");
        }
    }
}

/// An ECDSA P-256 key made by OpenSSL, as `cosign generate-key-pair` makes
/// one: the PEM public key's path, and the private key's.
fn ec_keys(dir: &Scratch, name: &str) -> (PathBuf, PathBuf) {
    let (key, public) = (
        dir.0.join(format!("{name}.key")),
        dir.0.join(format!("{name}.pub")),
    );
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    run(&[
        "ecparam".as_ref(),
        "-name".as_ref(),
        "prime256v1".as_ref(),
        "-genkey".as_ref(),
        "-noout".as_ref(),
        "-out".as_ref(),
        key.as_os_str(),
    ]);
    run(&[
        "ec".as_ref(),
        "-in".as_ref(),
        key.as_os_str(),
        "-pubout".as_ref(),
        "-out".as_ref(),
        public.as_os_str(),
    ]);
    (public, key)
}

/// What `cosign sign-blob --key` writes: base64 of the DER ECDSA signature of
/// the bytes' sha256 (OpenSSL's `dgst -sha256 -sign`, which is the same).
fn cosign_sign(dir: &Scratch, key: &Path, bytes: &[u8]) -> String {
    let blob = dir.0.join("blob");
    fs::write(&blob, bytes).unwrap();
    let out = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .arg(&blob)
        .output()
        .expect("openssl");
    assert!(out.status.success());
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &out.stdout)
}

#[test]
fn a_cosign_signature_verifies_the_digest_and_a_foreign_one_fails() {
    let dir = Scratch::new();
    let (public, key) = ec_keys(&dir, "cosign");
    let (_, other) = ec_keys(&dir, "other");
    let real = tool_tar_gz("tool", "v1.1");
    let with_sig = |sig: String| {
        let gh = FakeGitHub::start();
        gh.release(
            "owner/tool",
            Release::new("v1.1")
                .asset(ASSET, real.clone())
                .asset(&format!("{ASSET}.sig"), sig),
        );
        gh
    };
    let pub_path = public.display().to_string();
    let gh = with_sig(cosign_sign(&dir, &key, &real));
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--cosign-key", &pub_path, "--require-signed"])
        .run();
    assert_eq!(out.success().file("tool"), tool_bytes("v1.1"));
    out.stderr_has(&format!(
        "signature verified: cosign `{ASSET}.sig` by key {pub_path}"
    ));
    for sig in [
        cosign_sign(&dir, &other, &real),
        cosign_sign(&dir, &key, b"other bytes"),
    ] {
        let gh = with_sig(sig);
        let out = Case::new(&gh)
            .eget_stdout()
            .args(["owner/tool", "--cosign-key", &pub_path])
            .run();
        out.code(5);
        assert_eq!(
            out.error_line(),
            format!("jingyu: error: `{ASSET}`: `{ASSET}.sig` does not verify with --cosign-key {pub_path}: another key made it, or the bytes are not the ones signed; nothing was installed")
        );
        assert!(out.files().is_empty(), "{:?}", out.files());
    }
    // A GPG `.sig` (binary) is no cosign signature; a PEM that is no P-256 key is a usage error.
    let gh = with_sig("\u{89}\u{1}binary".to_owned());
    let out = Case::new(&gh)
        .eget_stdout()
        .args(["owner/tool", "--cosign-key", &pub_path])
        .run();
    out.code(5);
    assert!(
        out.error_line()
            .contains("is not a cosign signature (base64 of an ECDSA signature)"),
        "{}",
        out.error_line()
    );
    fs::write(
        dir.0.join("bad.pub"),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    let bad = dir.0.join("bad.pub").display().to_string();
    let out = Case::new(&with_sig(cosign_sign(&dir, &key, &real)))
        .eget_stdout()
        .args(["owner/tool", "--cosign-key", &bad])
        .run();
    out.code(2);
    assert_eq!(
        out.error_line(),
        format!("jingyu: error: --cosign-key `{bad}` is not an ECDSA P-256 public key (cosign's)")
    );
}

//! The HTTP agent's environment: user agent, proxies chosen by scheme with
//! `NO_PROXY`, and TLS trust (compiled-in roots plus `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`; `--disable-ssl`).

use std::fs;

use jingyu_fake::{FakeGitHub, FakeProxy, Release};

use crate::archives::tool_tar_gz;
use crate::harness::Case;
use crate::{tool_bytes, two_releases};

#[test]
fn every_request_names_jingyu_and_its_version() {
    let gh = two_releases();
    Case::new(&gh)
        .args(["owner/tool"])
        .run()
        .success()
        .stdout_is("tool\n");
    let want = format!("jingyu/{}", env!("CARGO_PKG_VERSION"));
    for r in gh.requests() {
        assert_eq!(r.header("user-agent"), Some(want.as_str()), "{}", r.path);
    }
}

#[test]
fn http_proxy_carries_plain_http_and_no_proxy_bypasses_it() {
    let gh = two_releases();
    let proxy = FakeProxy::start();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("HTTP_PROXY", &proxy.url())
        .run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1.1")
    );
    let tunnels = proxy.tunnels();
    let api_host = gh.api_url().trim_start_matches("http://").to_owned();
    let asset_host = gh.assets_url().trim_start_matches("http://").to_owned();
    assert!(
        tunnels.contains(&api_host) && tunnels.contains(&asset_host),
        "{tunnels:?}"
    );

    let bypass = FakeProxy::start();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("http_proxy", &bypass.url())
        .env("NO_PROXY", "example.com,127.0.0.1")
        .run();
    out.success().stdout_is("tool\n");
    assert!(
        bypass.tunnels().is_empty(),
        "NO_PROXY was ignored: {:?}",
        bypass.tunnels()
    );
}

#[test]
fn https_proxy_is_not_used_for_plain_http() {
    let gh = two_releases();
    let proxy = FakeProxy::start();
    Case::new(&gh)
        .args(["owner/tool"])
        .env("HTTPS_PROXY", &proxy.url())
        .run()
        .success()
        .stdout_is("tool\n");
    assert!(proxy.tunnels().is_empty(), "{:?}", proxy.tunnels());
}

#[test]
fn a_proxy_that_is_not_a_url_is_a_clear_error() {
    let gh = two_releases();
    let out = Case::new(&gh)
        .args(["owner/tool"])
        .env("HTTP_PROXY", "http://[bad")
        .run();
    out.code(6)
        .stderr_has("proxy setting `http://[bad` is not usable");
}

fn tls_release() -> FakeGitHub {
    let gh = FakeGitHub::start_tls();
    gh.release(
        "o/tool",
        Release::new("v1").asset("tool-linux-amd64.tar.gz", tool_tar_gz("tool", "v1")),
    );
    gh
}

#[test]
fn an_unknown_certificate_is_refused() {
    let gh = tls_release();
    let out = Case::new(&gh).args(["o/tool"]).run();
    out.code(6).stderr_has(&format!(
        "cannot fetch {}/repos/o/tool/releases/latest",
        gh.api_url()
    ));
    out.stderr_has("invalid peer certificate")
        .stderr_has("add its CA with SSL_CERT_FILE or SSL_CERT_DIR");
    assert!(out.files().is_empty());
}

#[test]
fn ssl_cert_file_and_ssl_cert_dir_add_trust_roots() {
    let gh = tls_release();
    let case = Case::new(&gh)
        .args(["o/tool"])
        .env("SSL_CERT_FILE", "{dir}/ca.pem");
    fs::write(case.path("ca.pem"), gh.ca_pem().unwrap()).unwrap();
    assert_eq!(
        case.run().success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1")
    );

    let case = Case::new(&gh)
        .args(["o/tool", "--to", "out/"])
        .env("SSL_CERT_DIR", "{dir}/certs");
    fs::create_dir(case.path("certs")).unwrap();
    fs::write(case.path("certs/corp.crt"), gh.ca_pem().unwrap()).unwrap();
    case.run().success().stdout_is("out/tool\n");
}

#[test]
fn disable_ssl_skips_verification() {
    let gh = tls_release();
    let out = Case::new(&gh).args(["o/tool", "--disable-ssl"]).run();
    assert_eq!(
        out.success().stdout_is("tool\n").file("tool"),
        tool_bytes("v1")
    );
}

#[test]
fn an_unreadable_ssl_cert_file_is_named() {
    let gh = tls_release();
    let out = Case::new(&gh)
        .args(["o/tool"])
        .env("SSL_CERT_FILE", "/no/such/ca.pem")
        .run();
    out.code(6)
        .stderr_has("cannot read SSL_CERT_FILE /no/such/ca.pem");
}

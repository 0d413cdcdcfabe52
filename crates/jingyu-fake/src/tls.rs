//! HTTPS for the fake API: a self-signed certificate for 127.0.0.1 made at
//! start-up, served with rustls (ring).

use std::net::TcpStream;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

pub(crate) struct Tls {
    config: Arc<ServerConfig>,
    pub(crate) pem: String,
}

impl Tls {
    pub(crate) fn new() -> Tls {
        let names = ["127.0.0.1", "localhost", "api.github.com", "github.com"]
            .map(str::to_owned)
            .to_vec();
        let made = rcgen::generate_simple_self_signed(names).expect("make a certificate");
        let cert: CertificateDer<'static> = made.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("certificate and key");
        Tls {
            config: Arc::new(config),
            pem: made.cert.pem(),
        }
    }

    /// Wraps an accepted connection; the handshake happens on first use.
    pub(crate) fn accept(
        &self,
        stream: TcpStream,
    ) -> Option<StreamOwned<ServerConnection, TcpStream>> {
        let conn = ServerConnection::new(Arc::clone(&self.config)).ok()?;
        Some(StreamOwned::new(conn, stream))
    }
}

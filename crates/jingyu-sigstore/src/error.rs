//! `Error`: why a bundle or a trusted root did not verify, in words that
//! name what was expected and what was found.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Malformed DER in a certificate, key or signature.
    Der(String),
    /// The bundle is not one this crate reads (JSON, media type, shape).
    Bundle(String),
    /// The trusted root is not usable.
    TrustedRoot(String),
    /// The signing certificate does not chain to a trusted Fulcio CA, or
    /// was not valid when the log saw it.
    Certificate(String),
    /// The transparency-log entry, its proof, checkpoint or promise.
    Log(String),
    /// The certificate's embedded SCT.
    Sct(String),
    /// An RFC 3161 signed timestamp.
    Timestamp(String),
    /// The signature does not cover the artifact.
    Signature(String),
    /// The certificate's identity is not the one required.
    Identity(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Der(why) => write!(f, "malformed DER: {why}"),
            Error::Bundle(why) => write!(f, "unreadable bundle: {why}"),
            Error::TrustedRoot(why) => write!(f, "unusable trusted root: {why}"),
            Error::Certificate(why) => write!(f, "signing certificate: {why}"),
            Error::Log(why) => write!(f, "transparency log: {why}"),
            Error::Sct(why) => write!(f, "certificate timestamp (SCT): {why}"),
            Error::Timestamp(why) => write!(f, "signed timestamp: {why}"),
            Error::Signature(why) => write!(f, "signature: {why}"),
            Error::Identity(why) => write!(f, "signer: {why}"),
        }
    }
}

impl std::error::Error for Error {}

//! HTTP for jingyu: the only crate that speaks it.
//!
//! - [`Agent`]: one ureq agent with rustls (ring) and compiled-in roots, plus
//!   `SSL_CERT_FILE`/`SSL_CERT_DIR`, proxies from the environment, timeouts and
//!   retries with backoff.
//! - [`Download`]: a streaming body that hashes as it goes and resumes after a
//!   dropped connection.
//! - [`Sha256`]: the digest type everyone compares.
//!
//! Callers attach any token themselves and only to the origin they trust; a
//! redirect to another origin drops every credential header for good.

pub mod agent;
pub mod digest;
pub mod download;
pub mod error;
pub mod retry;

pub use agent::{origin, parse_retry_after, Agent, AgentOptions, MinSpeed, Response, RetryNotice};
pub use digest::{Hasher, HashingReader, Sha256};
pub use download::{parse_content_range, Download, Fetched, ProgressFn};
pub use error::FetchError;
pub use retry::RetryPolicy;

//! The forges' release APIs for jingyu: parse what the user typed into a
//! [`RepoRef`] on GitHub, GitLab or Gitea/Forgejo, find its [`Site`], fetch a
//! [`Release`] (latest, by tag with eget's "contains" fallback, or newest
//! with pre-releases) through one [`Forge`] client, and fill in the
//! [`Resolution`] record for the chosen asset, which says how to download it
//! without sending the token anywhere but the API's origin.

mod attest;
pub mod client;
pub mod cooldown;
mod dialect;
pub mod error;
pub mod model;
pub mod repo;
pub mod resolution;
pub mod select;
pub mod site;
pub mod token;

pub use attest::Attestation;
pub use client::{Forge, Which};
pub use cooldown::Cutoff;
pub use error::{utc, ForgeError};
pub use model::{Asset, Rate, Release};
pub use repo::{Hosts, RepoHost, RepoRef};
pub use resolution::{
    BundleFile, Digest, Location, Resolution, SignatureFile, SignatureKind, BUNDLE_SUFFIXES,
};
pub use site::{Kind, Site};
pub use token::{Token, TokenHeader};

//! The GitHub releases API for jingyu: parse what the user typed into a
//! [`RepoRef`], fetch a [`Release`] (latest, by tag with eget's "contains"
//! fallback, or newest with pre-releases), and fill in the [`Resolution`]
//! record for the chosen asset, which says how to download it without
//! sending the token anywhere but the API.

pub mod error;
pub mod github;
pub mod model;
pub mod repo;
pub mod resolution;
pub mod select;

pub use error::{utc, ForgeError};
pub use github::{GitHub, Token, Which};
pub use model::{Asset, Rate, Release};
pub use repo::RepoRef;
pub use resolution::{Digest, Location, Resolution};

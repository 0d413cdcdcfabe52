//! The GitHub releases API for jingyu: parse what the user typed into a
//! [`RepoRef`], fetch a [`Release`] (latest, by tag with eget's "contains"
//! fallback, or newest with pre-releases), and say how to download an asset
//! without sending the token anywhere but the API.

pub mod error;
pub mod github;
pub mod model;
pub mod repo;
pub mod select;

pub use error::{utc, ForgeError};
pub use github::{AssetRequest, GitHub, Token, Which};
pub use model::{Asset, Rate, Release};
pub use repo::RepoRef;

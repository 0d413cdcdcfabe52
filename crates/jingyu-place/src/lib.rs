//! Placing files beneath a destination directory, for jingyu. An archive can
//! never make jingyu write outside `--to`:
//!
//! - every path below the destination is reached from a descriptor of it,
//!   following no link ([`Root`]): not the archive's links, not links already
//!   in the destination;
//! - the tree an install makes is checked as a whole, after the shared top
//!   directory is stripped ([`tree::check`]): a symbolic link that resolves
//!   outside, through any chain of links, refuses the whole archive, and a
//!   hard link may only name a file the archive itself writes;
//! - links are made after every file, and the whole install is all or
//!   nothing ([`install`]): a failure leaves the destination as it was.
//!
//! Staged files are [`TempFile`]s, locked while their writer lives, so the
//! next run can tell abandoned ones from live ones ([`clean_stale`]).

mod beneath;
mod error;
mod staging;
mod temp;
pub mod tree;
mod txn;
mod writeback;

pub use beneath::{below, Root};
pub use error::PlaceError;
pub use staging::{file_entry, tree as staged_tree, Link, Naming, Staging};
pub use temp::{clean_stale, open_regular, remove_all as remove_temp_files, TempFile};
pub use txn::{install, Content, Entry};

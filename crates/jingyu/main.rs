//! The `jingyu` binary: everything is in the library (`lib.rs`).

use std::process::ExitCode;

// Links the faster memcpy/memmove/memset in place of musl's (see the crate).
#[cfg(target_env = "musl")]
use jingyu_mem as _;

fn main() -> ExitCode {
    jingyu::main()
}

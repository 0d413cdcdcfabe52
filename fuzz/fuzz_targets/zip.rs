#![no_main]
//! The zip path (seekable archive).

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::zip(data));

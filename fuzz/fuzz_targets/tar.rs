#![no_main]
//! The tar decoder path.

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::stream(jingyu_unpack::Format::Tar, data));

#![no_main]
//! The tar.zst decoder path.

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::stream(jingyu_unpack::Format::TarZst, data));

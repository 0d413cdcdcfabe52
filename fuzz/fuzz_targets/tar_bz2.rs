#![no_main]
//! The tar.bz2 decoder path.

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::stream(jingyu_unpack::Format::TarBz2, data));

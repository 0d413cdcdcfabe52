#![allow(dead_code)] // each target uses one of these
//! Shared by every target: unpack `data` as `format` with every file wanted,
//! writing nowhere. Any outcome but a panic, hang or runaway memory is fine.

use std::io;

use jingyu_unpack::{extract_stream, Format, Member, Rules, Sink};

struct Discard;

impl Sink for Discard {
    type Out = io::Sink;
    fn create(&mut self, _member: &Member) -> io::Result<io::Sink> {
        Ok(io::sink())
    }
}

pub fn rules() -> Rules {
    Rules {
        name: "tool".into(),
        files: Vec::new(),
        all: false,
        tree: true,
        max_size: 64 << 20,
        asset: "tool-linux-amd64.gz".into(),
    }
}

pub fn stream(format: Format, data: &[u8]) {
    let _ = extract_stream(format, &mut &data[..], &rules(), &mut Discard);
}

pub fn zip(data: &[u8]) {
    let _ = jingyu_unpack::extract_zip(io::Cursor::new(data), &rules(), &mut Discard);
}

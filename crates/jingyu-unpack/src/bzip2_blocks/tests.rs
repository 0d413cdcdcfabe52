//! The block-parallel decoder against streams made by libbz2-rs's encoder:
//! many blocks, many streams, magics planted where a chance one could be, and
//! damage of every kind.

use std::io::{self, Write};
use std::sync::mpsc::sync_channel;

// Bytes that compress as code does: level 1 cuts them into 100 kB blocks.
use jingyu_fake::archive::big_elf as sample;

use super::split::Mark;
use super::*;

fn compress(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The block starts the splitter finds in `data` (bit offsets).
fn block_starts(data: &[u8]) -> Vec<u64> {
    let mut input = data;
    let mut starts = Vec::new();
    let mut pos = 32;
    Splitter::planting(&mut input, Vec::new())
        .run(&mut |event| {
            if let Event::Block(piece) = event {
                starts.push(pos);
                pos += piece.bits;
            }
            true
        })
        .unwrap();
    starts
}

fn decode_planted(data: &[u8], planted: Vec<(u64, Mark)>) -> io::Result<Vec<u8>> {
    let (tx, rx) = sync_channel(4);
    let (_back, spare) = sync_channel(4);
    let mut input = data;
    thread::scope(|scope| {
        scope.spawn(move || produce_planted(&mut input, planted, &tx, &spare));
        let mut out = Vec::new();
        for chunk in rx {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    })
}

fn decode_all(data: &[u8]) -> io::Result<Vec<u8>> {
    decode_planted(data, Vec::new())
}

#[test]
fn decodes_a_stream_of_many_blocks() {
    let data = sample(1_500_000);
    let packed = compress(&data, 1);
    assert!(
        block_starts(&packed).len() >= 10,
        "level 1 makes 100 kB blocks"
    );
    assert_eq!(decode_all(&packed).unwrap(), data);
}

#[test]
fn decodes_streams_one_after_another_and_empty_ones() {
    let (a, b) = (sample(300_000), sample(5));
    let mut packed = compress(&a, 1);
    packed.extend(compress(b"", 9));
    packed.extend(compress(&b, 9));
    packed.extend(compress(&a, 2));
    let want = [a.clone(), b, a].concat();
    assert_eq!(decode_all(&packed).unwrap(), want);
}

#[test]
fn a_block_magic_found_by_chance_inside_a_block_changes_nothing() {
    let data = sample(700_000);
    let packed = compress(&data, 1);
    let starts = block_starts(&packed);
    let (second, third) = (starts[1], starts[2]);
    for planted in [second + 1, second + 81, second.midpoint(third), third - 1] {
        let got = decode_planted(&packed, vec![(planted, Mark::Block)]);
        assert_eq!(got.unwrap(), data, "a block magic planted at bit {planted}");
    }
    let twice = vec![(second + 1000, Mark::Block), (second + 2000, Mark::Block)];
    assert_eq!(decode_planted(&packed, twice).unwrap(), data);
}

#[test]
fn an_end_magic_found_by_chance_inside_a_block_changes_nothing() {
    let data = sample(400_000);
    let packed = compress(&data, 1);
    let starts = block_starts(&packed);
    let planted = vec![(starts[1] + 5000, Mark::End), (starts[2] + 7, Mark::End)];
    assert_eq!(decode_planted(&packed, planted).unwrap(), data);
}

#[test]
fn a_block_larger_than_is_held_back_streams_through() {
    let mut data = vec![0u8; 9 << 20];
    data.extend(sample(1000));
    let packed = compress(&data, 9);
    assert!(WHOLE_LIMIT < data.len() && block_starts(&packed).len() == 1);
    assert_eq!(decode_all(&packed).unwrap(), data);
}

fn error_of(packed: &[u8]) -> String {
    decode_all(packed)
        .expect_err("damaged data must fail")
        .to_string()
}

#[test]
fn damage_of_every_kind_is_an_error() {
    let packed = compress(&sample(500_000), 1);
    let mut flipped = packed.clone();
    flipped[packed.len() / 2] ^= 0x10;
    assert!(
        error_of(&flipped).contains("bzip2 block"),
        "{}",
        error_of(&flipped)
    );
    for cut in 1..=4 {
        let in_end_marker = &packed[..packed.len() - cut];
        assert!(
            error_of(in_end_marker).contains("end marker"),
            "{cut}: {}",
            error_of(in_end_marker)
        );
    }
    let truncated = &packed[..packed.len() - 20_000];
    assert!(
        error_of(truncated).contains("ends inside a block"),
        "{}",
        error_of(truncated)
    );
    let mut trailing = packed.clone();
    trailing.extend_from_slice(b"garbage after the stream");
    assert!(
        error_of(&trailing).contains("not another stream"),
        "{}",
        error_of(&trailing)
    );
    assert!(error_of(b"").contains("no `BZh` header"));
    assert!(error_of(b"BZh9 not really").contains("no bzip2 block after the stream header"));
    assert!(error_of(
        &vec![b'B', b'Z', b'h', b'9']
            .into_iter()
            .chain(vec![0x55; 5 << 20])
            .collect::<Vec<_>>()
    )
    .contains("within 4 MiB"));
}

#[test]
fn a_wrong_stream_crc_is_an_error() {
    let one = compress(&sample(250_000), 1);
    // The stream CRC is the last 32 bits before the padding; flipping the
    // lowest bit of the last byte may hit padding, so flip a bit well inside.
    let padding = {
        let mut input = one.as_slice();
        let mut end_bit = 0;
        let mut bits = 32;
        Splitter::planting(&mut input, Vec::new())
            .run(&mut |event| {
                match event {
                    Event::Block(piece) => bits += piece.bits,
                    Event::End(_) => end_bit = bits,
                }
                true
            })
            .unwrap();
        one.len() as u64 * 8 - (end_bit + 80)
    };
    let mut bad = one.clone();
    let crc_bit = one.len() as u64 * 8 - padding - 16;
    bad[usize::try_from(crc_bit / 8).unwrap()] ^= 0x80 >> (crc_bit % 8);
    // Another stream after it, so the end is taken by the header that follows.
    bad.extend(compress(b"more", 9));
    let message = error_of(&bad);
    assert!(message.contains("stream's CRC"), "{message}");
}

#[test]
fn a_consumer_going_away_stops_every_thread() {
    let packed = compress(&sample(2_000_000), 1);
    let (tx, rx) = sync_channel(1);
    let (_back, spare) = sync_channel(4);
    let mut input = packed.as_slice();
    thread::scope(|scope| {
        let producer = scope.spawn(move || produce(&mut input, &tx, &spare));
        let first = rx.recv().unwrap().unwrap();
        assert!(!first.is_empty());
        drop(rx);
        producer.join().unwrap();
    });
}

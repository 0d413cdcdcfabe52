//! Finding the blocks of a bzip2 stream as it is read. Each block starts with
//! the 48-bit magic `0x314159265359` and the stream ends with `0x177245385090`
//! and the stream's CRC, at whatever bit offset the data before them left;
//! every block is copied out as a stream of its own (header, the block, an end
//! marker carrying the block's CRC) that any bzip2 decoder can decode alone.
//!
//! A magic can also turn up inside compressed data by chance. An end marker is
//! taken as the end only when its CRC is the stream's or a stream header (or
//! the end of the input) follows; a block magic found by chance makes two
//! pieces of one block, which the caller joins again when the first fails.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::Arc;

use super::bits::{bits_at, u32_at, BitWriter};

pub(super) const BLOCK_MAGIC: u64 = 0x3141_5926_5359;
pub(super) const END_MAGIC: u64 = 0x1772_4538_5090;
const MASK48: u64 = (1 << 48) - 1;
/// No valid block comes near this compressed (900 000 symbols of at most 20
/// bits is 2.25 MB): without a magic by then the input is not bzip2.
const MAX_BLOCK_BYTES: u64 = 4 << 20;
const READ_SIZE: usize = 256 * 1024;
const HEADER_BYTES: u64 = 4;

/// For a byte value, the shifts `k` at which a magic (block: bit `k`; end: bit
/// `8 + k`) would put that value in bits 8..16 of the last 64 bits read.
static FILTER: [u16; 256] = filter();

const fn filter() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut k = 0;
    while k < 8 {
        table[(((BLOCK_MAGIC << k) >> 8) & 0xff) as usize] |= 1 << k;
        table[(((END_MAGIC << k) >> 8) & 0xff) as usize] |= 1 << (8 + k);
        k += 1;
    }
    table
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    Block,
    End,
}

/// One block (or, when a magic turned up by chance, a piece of one) as a
/// stream of its own.
pub(super) struct Piece {
    /// `BZh` and the level, the block's bits, the end marker and the block's
    /// CRC as the stream's.
    pub(super) stream: Arc<Vec<u8>>,
    /// How many bits of `stream` after its 4-byte header are the block's.
    pub(super) bits: u64,
    /// The CRC the block's header gives for its decoded bytes.
    pub(super) crc: u32,
}

impl Piece {
    pub(super) fn new(level: u8, src: &[u8], from: u64, bits: u64) -> Piece {
        let crc = u32_at(src, from + 48);
        let mut w = BitWriter::with_capacity((bits / 8) as usize + 16);
        for &b in b"BZh" {
            w.push(u64::from(b), 8);
        }
        w.push(u64::from(level), 8);
        w.copy(src, from, bits);
        w.push(END_MAGIC >> 24, 24);
        w.push(END_MAGIC & 0xff_ffff, 24);
        w.push(u64::from(crc), 32);
        Piece {
            stream: Arc::new(w.finish()),
            bits,
            crc,
        }
    }

    /// This piece and the ones after it as one block.
    pub(super) fn joined(pieces: &[&Piece]) -> Piece {
        let level = pieces[0].stream[3];
        let mut w = BitWriter::default();
        let bits: u64 = pieces.iter().map(|p| p.bits).sum();
        for p in pieces {
            w.copy(&p.stream, HEADER_BYTES * 8, p.bits);
        }
        Piece::new(level, &w.finish(), 0, bits)
    }
}

/// What the splitter found, in stream order.
pub(super) enum Event {
    Block(Piece),
    /// The end of a stream and the CRC it gives for all its blocks.
    End(u32),
}

/// Reads a bzip2 stream (or several, one after another) and cuts it into
/// blocks.
pub(super) struct Splitter<'a> {
    input: &'a mut (dyn Read + Send),
    /// The input from byte `base` on.
    buf: Vec<u8>,
    base: u64,
    /// The next byte to look for magics in, and the last 64 bits before it.
    scanned: u64,
    window: u64,
    eof: bool,
    found: VecDeque<(u64, Mark)>,
    /// Extra marks to report (tests: a magic found by chance).
    planted: VecDeque<(u64, Mark)>,
}

impl<'a> Splitter<'a> {
    /// A splitter that also reports `marks` as magics found (tests plant
    /// magics found by chance; the install plants none).
    pub(super) fn planting(
        input: &'a mut (dyn Read + Send),
        mut marks: Vec<(u64, Mark)>,
    ) -> Splitter<'a> {
        marks.sort_by_key(|m| m.0);
        Splitter {
            input,
            buf: Vec::with_capacity(2 * READ_SIZE),
            base: 0,
            scanned: 0,
            window: 0,
            eof: false,
            found: VecDeque::new(),
            planted: marks.into(),
        }
    }

    /// Hands each block and stream end to `emit` until the input ends, an
    /// error, or `emit` returning false.
    pub(super) fn run(&mut self, emit: &mut dyn FnMut(Event) -> bool) -> io::Result<()> {
        let mut header = 0u64;
        let mut first = true;
        loop {
            match self.stream_header(header, first)? {
                None => return Ok(()),
                Some(level) => match self.stream(level, header, emit)? {
                    None => return Ok(()),
                    Some(next) => header = next,
                },
            }
            first = false;
        }
    }

    /// The level of the stream whose header is at byte `at`; `None` at the
    /// end of the input after a stream.
    fn stream_header(&mut self, at: u64, first: bool) -> io::Result<Option<u8>> {
        self.fill_to(at + HEADER_BYTES)?;
        let head = &self.buf[self.offset(at)..];
        if head.is_empty() && !first {
            return Ok(None);
        }
        match head {
            [b'B', b'Z', b'h', level @ b'1'..=b'9', ..] => Ok(Some(*level)),
            _ if first => Err(bad("not bzip2 data (no `BZh` header)")),
            _ => Err(bad(
                "data after the end of the bzip2 stream is not another stream",
            )),
        }
    }

    /// Cuts the stream whose header is at byte `header` into blocks; the byte
    /// after its end, or `None` when `emit` stopped.
    fn stream(
        &mut self,
        level: u8,
        header: u64,
        emit: &mut dyn FnMut(Event) -> bool,
    ) -> io::Result<Option<u64>> {
        let start = (header + HEADER_BYTES) * 8;
        let mut block: Option<u64> = None;
        let mut crc = 0u32;
        loop {
            let from = block.map_or(start, |b| b + 1);
            let Some((at, mark)) = self.next_mark(from)? else {
                return Err(bad(if block.is_none() {
                    "no bzip2 block after the stream header"
                } else {
                    "the bzip2 stream ends inside a block (a truncated download?)"
                }));
            };
            if block.is_none() && at != start {
                return Err(bad("no bzip2 block after the stream header"));
            }
            let begin = block.unwrap_or(start);
            if mark == Mark::End {
                let Some(stored) = self.stream_end(at, begin, crc)? else {
                    continue;
                };
                if at > begin && !emit(Event::Block(self.piece(level, begin, at))) {
                    return Ok(None);
                }
                if !emit(Event::End(stored)) {
                    return Ok(None);
                }
                return Ok(Some((at + 80).div_ceil(8)));
            }
            if let Some(b) = block {
                let piece = self.piece(level, b, at);
                crc = crc.rotate_left(1) ^ piece.crc;
                if !emit(Event::Block(piece)) {
                    return Ok(None);
                }
                self.forget_before(at / 8);
            }
            block = Some(at);
        }
    }

    /// The CRC the end marker at bit `at` gives, if it is the stream's end:
    /// its CRC is that of the blocks (`crc` over those before the one at bit
    /// `begin`, then that one's), or what follows is the input's end or
    /// another stream. `None`: a magic found by chance inside a block.
    fn stream_end(&mut self, at: u64, begin: u64, crc: u32) -> io::Result<Option<u32>> {
        let after = (at + 80).div_ceil(8);
        self.fill_to(after)?;
        if self.end() < after {
            return Err(bad(
                "the bzip2 stream ends inside its end marker (a truncated download?)",
            ));
        }
        let stored = self.crc(at + 48)?;
        let expected = if at > begin {
            crc.rotate_left(1) ^ self.crc(begin + 48)?
        } else {
            crc
        };
        let end = stored == expected || self.another_stream_or_nothing_at(after)?;
        Ok(end.then_some(stored))
    }

    /// Whether the input ends at byte `after` or another stream starts there.
    fn another_stream_or_nothing_at(&mut self, after: u64) -> io::Result<bool> {
        self.fill_to(after + HEADER_BYTES + 6)?;
        let rest = &self.buf[self.offset(after)..];
        if rest.is_empty() {
            return Ok(self.eof);
        }
        let header = matches!(rest, [b'B', b'Z', b'h', b'1'..=b'9', ..]);
        let next = (after + HEADER_BYTES) * 8;
        let magic = (self.field(next, 24)? << 24) | self.field(next + 24, 24)?;
        Ok(header && (magic == BLOCK_MAGIC || magic == END_MAGIC))
    }

    fn piece(&self, level: u8, from: u64, to: u64) -> Piece {
        let skip = self.base * 8;
        Piece::new(level, &self.buf, from - skip, to - from)
    }

    /// `n` (≤ 32) bits at bit `at`, reading further if needed.
    fn field(&mut self, at: u64, n: u32) -> io::Result<u64> {
        self.fill_to((at + u64::from(n)).div_ceil(8))?;
        Ok(bits_at(&self.buf, at - self.base * 8, n))
    }

    /// The CRC at bit `at`, reading further if needed.
    fn crc(&mut self, at: u64) -> io::Result<u32> {
        self.fill_to((at + 32).div_ceil(8))?;
        Ok(u32_at(&self.buf, at - self.base * 8))
    }

    /// Where input byte `at` is in the buffer.
    fn offset(&self, at: u64) -> usize {
        usize::try_from(at - self.base).expect("the buffer holds what was read")
    }

    /// The next magic at or after bit `from`.
    fn next_mark(&mut self, from: u64) -> io::Result<Option<(u64, Mark)>> {
        loop {
            while let Some(&(at, mark)) = self.found.front() {
                self.found.pop_front();
                if at >= from {
                    return Ok(Some((at, mark)));
                }
            }
            if self.scanned == self.end() && !self.read_more()? {
                return Ok(None);
            }
            if self.end().saturating_sub(from / 8) > MAX_BLOCK_BYTES {
                return Err(bad("no bzip2 block boundary within 4 MiB: not bzip2 data"));
            }
            self.scan();
        }
    }

    /// Looks for magics in the bytes not yet scanned, stopping after the
    /// first byte that completes one.
    fn scan(&mut self) {
        let planted_end = self.planted.front().map_or(u64::MAX, |m| m.0 + 48);
        let mut i = self.offset(self.scanned);
        let mut window = self.window;
        while i < self.buf.len() {
            window = (window << 8) | u64::from(self.buf[i]);
            i += 1;
            let end_bits = (self.base + i as u64) * 8;
            let hits = FILTER[((window >> 8) & 0xff) as usize];
            if hits != 0 && self.check(window, hits, end_bits) || end_bits >= planted_end {
                break;
            }
        }
        self.window = window;
        self.scanned = self.base + i as u64;
        let end_bits = self.scanned * 8;
        while self.planted.front().is_some_and(|m| m.0 + 48 <= end_bits) {
            let mark = self.planted.pop_front().expect("checked");
            let at = self.found.partition_point(|m| m.0 < mark.0);
            self.found.insert(at, mark);
        }
    }

    /// Records the magics among `hits` that the last 64 bits read (ending at
    /// bit `end_bits`) hold; whether there were any.
    fn check(&mut self, window: u64, hits: u16, end_bits: u64) -> bool {
        let before = self.found.len();
        for k in (0..8u32).rev() {
            for (bit, magic, mark) in [(k, BLOCK_MAGIC, Mark::Block), (8 + k, END_MAGIC, Mark::End)]
            {
                if hits & (1 << bit) != 0
                    && (window >> k) & MASK48 == magic
                    && end_bits >= u64::from(k) + 48
                {
                    self.found.push_back((end_bits - u64::from(k) - 48, mark));
                }
            }
        }
        self.found.len() > before
    }

    fn end(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// Reads until the input holds byte `to - 1` or ends.
    fn fill_to(&mut self, to: u64) -> io::Result<()> {
        while self.end() < to && self.read_more()? {}
        Ok(())
    }

    /// Reads another piece of the input; false at its end.
    fn read_more(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let old = self.buf.len();
        self.buf.resize(old + READ_SIZE, 0);
        let n = loop {
            match self.input.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(old + n);
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// Drops the input before byte `at` (no block needs it any more).
    fn forget_before(&mut self, at: u64) {
        let drop = self.offset(at);
        self.buf.drain(..drop);
        self.base = at;
    }
}

fn bad(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

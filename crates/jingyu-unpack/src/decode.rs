//! Wraps a byte stream in the right decompressor, so tar archives and single
//! compressed files share one place: gzip (flate2), xz (lzma-rust2, which
//! streams with memory bounded by the dictionary; lzma-rs held the whole LZMA2
//! output and was slower), bzip2 (libbz2-rs) and zstd (ruzstd), all pure Rust
//! and all reading as the download arrives. Concatenated members/frames are read
//! in turn; anything after the last gzip member or zstd frame that is not
//! another one is trailing data and ends the stream (the caller still hashes it).

use std::cell::RefCell;
use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;
use jingyu_pick::Format;
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use crate::error::UnpackError;

const CHUNK: usize = 64 * 1024;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: u32 = 0xFD2F_B528;

/// The compression layer of a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Codec {
    None,
    Gzip,
    Xz,
    Bzip2,
    Zstd,
}

impl Codec {
    pub(crate) fn of(format: Format) -> Result<Codec, UnpackError> {
        match format {
            Format::Tar | Format::Raw | Format::Zip => Ok(Codec::None),
            Format::TarGz | Format::Gz => Ok(Codec::Gzip),
            Format::TarXz | Format::Xz => Ok(Codec::Xz),
            Format::TarBz2 | Format::Bz2 => Ok(Codec::Bzip2),
            Format::TarZst | Format::Zst => Ok(Codec::Zstd),
            Format::Unsupported => Err(UnpackError::Unsupported {
                format: format.to_string(),
            }),
        }
    }
}

/// Runs `body` on the decoded form of `input`. `body` also gets a function that
/// returns the file name stored in a gzip header, once reading has begun.
pub(crate) fn decoded<T>(
    codec: Codec,
    input: &mut (dyn Read + Send),
    body: impl FnOnce(&mut dyn Read, &dyn Fn() -> Option<String>) -> Result<T, UnpackError>,
) -> Result<T, UnpackError> {
    let buffered = BufReader::with_capacity(CHUNK, input);
    match codec {
        Codec::None => body(&mut { buffered }, &|| None),
        Codec::Gzip => {
            let members = RefCell::new(GzipMembers::new(buffered));
            let name = || members.borrow().first_name.clone();
            body(&mut CellReader(&members), &name)
        }
        Codec::Bzip2 => body(&mut bzip2::bufread::MultiBzDecoder::new(buffered), &|| None),
        Codec::Zstd => body(&mut ZstdFrames::new(buffered), &|| None),
        Codec::Xz => body(&mut lzma_rust2::XzReader::new(buffered, true), &|| None),
    }
}

struct CellReader<'c, R>(&'c RefCell<R>);

impl<R: Read> Read for CellReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.borrow_mut().read(buf)
    }
}

/// gzip members one after another, as `gzip -d` reads them.
struct GzipMembers<R: BufRead> {
    current: Option<GzDecoder<R>>,
    first_name: Option<String>,
    started: bool,
}

impl<R: BufRead> GzipMembers<R> {
    fn new(input: R) -> Self {
        GzipMembers {
            current: Some(GzDecoder::new(input)),
            first_name: None,
            started: false,
        }
    }
}

impl<R: BufRead> Read for GzipMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(decoder) = &mut self.current {
            let n = decoder.read(buf)?;
            if !self.started {
                self.started = true;
                self.first_name = decoder
                    .header()
                    .and_then(|h| h.filename())
                    .map(|n| String::from_utf8_lossy(n).into_owned());
            }
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            let mut rest = self.current.take().expect("checked above").into_inner();
            if rest.fill_buf()?.starts_with(&GZIP_MAGIC) {
                self.current = Some(GzDecoder::new(rest));
            }
        }
        Ok(0)
    }
}

/// zstd frames one after another (skippable frames skipped), each checked
/// against its content checksum when it has one.
struct ZstdFrames<R: BufRead> {
    src: R,
    frame: FrameDecoder,
    in_frame: bool,
    frames: usize,
    done: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(src: R) -> Self {
        ZstdFrames {
            src,
            frame: FrameDecoder::new(),
            in_frame: false,
            frames: 0,
            done: false,
        }
    }

    /// Starts the next frame, skips a skippable one, or ends the stream.
    fn next_frame(&mut self) -> io::Result<()> {
        let head = self.src.fill_buf()?;
        let magic =
            (head.len() >= 4).then(|| u32::from_le_bytes([head[0], head[1], head[2], head[3]]));
        match magic {
            Some(ZSTD_MAGIC) => {
                self.frame.reset(&mut self.src).map_err(io::Error::other)?;
                self.in_frame = true;
                self.frames += 1;
            }
            Some(m) if m & 0xFFFF_FFF0 == 0x184D_2A50 => {
                let mut header = [0u8; 8];
                self.src.read_exact(&mut header)?;
                let len = u64::from(u32::from_le_bytes([
                    header[4], header[5], header[6], header[7],
                ]));
                io::copy(&mut (&mut self.src).take(len), &mut io::sink())?;
            }
            _ if self.frames == 0 => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "not a zstd stream",
                ))
            }
            _ => self.done = true,
        }
        Ok(())
    }

    fn end_frame(&mut self) -> io::Result<()> {
        self.in_frame = false;
        match (
            self.frame.get_checksum_from_data(),
            self.frame.get_calculated_checksum(),
        ) {
            (Some(stored), Some(computed)) if stored != computed => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "zstd content checksum mismatch",
            )),
            _ => Ok(()),
        }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while !self.done {
            if !self.in_frame {
                self.next_frame()?;
                continue;
            }
            if self.frame.can_collect() > 0 {
                return self.frame.read(buf);
            }
            if self.frame.is_finished() {
                self.end_frame()?;
                continue;
            }
            self.frame
                .decode_blocks(&mut self.src, BlockDecodingStrategy::UptoBlocks(1))
                .map_err(io::Error::other)?;
        }
        Ok(0)
    }
}

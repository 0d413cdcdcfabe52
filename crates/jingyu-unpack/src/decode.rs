//! Wraps a byte stream in the right decompressor, so tar archives and single
//! compressed files share one place. gzip decodes inline (flate2); xz decodes on
//! a scoped thread (lzma-rs writes rather than reads) that hands 64 KiB chunks
//! through a small bounded channel, so decoding overlaps the download.

use std::io::{self, BufReader, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;

use std::cell::RefCell;
use std::io::BufRead;

use flate2::bufread::GzDecoder;
use jingyu_pick::Format;

use crate::error::UnpackError;

const CHUNK: usize = 64 * 1024;

/// The compression layer of a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Codec {
    None,
    Gzip,
    Xz,
}

impl Codec {
    pub(crate) fn of(format: Format) -> Result<Codec, UnpackError> {
        match format {
            Format::Tar | Format::Raw | Format::Zip => Ok(Codec::None),
            Format::TarGz | Format::Gz => Ok(Codec::Gzip),
            Format::TarXz | Format::Xz => Ok(Codec::Xz),
            other => Err(UnpackError::Unsupported {
                format: other.to_string(),
            }),
        }
    }
}

/// Runs `body` on the decoded form of `input`. Also returns the name stored in a
/// gzip header, if there was one (read once `body` has started reading).
pub(crate) fn decoded<T>(
    codec: Codec,
    input: &mut (dyn Read + Send),
    body: impl FnOnce(&mut dyn Read, &dyn Fn() -> Option<String>) -> Result<T, UnpackError>,
) -> Result<T, UnpackError> {
    match codec {
        Codec::None => body(input, &|| None),
        Codec::Gzip => {
            let members = RefCell::new(GzipMembers::new(BufReader::with_capacity(CHUNK, input)));
            let name = || members.borrow().first_name.clone();
            body(&mut CellReader(&members), &name)
        }
        Codec::Xz => thread::scope(|scope| {
            let (tx, rx) = sync_channel(4);
            let decoder = scope.spawn(move || {
                let mut out = ChunkWriter {
                    buf: Vec::with_capacity(CHUNK),
                    tx: tx.clone(),
                };
                let result =
                    lzma_rs::xz_decompress(&mut BufReader::with_capacity(CHUNK, input), &mut out)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
                        .and_then(|()| out.flush());
                if let Err(e) = result {
                    let _ = tx.send(Err(e));
                }
            });
            let mut reader = ChunkReader {
                rx,
                current: Vec::new(),
                pos: 0,
            };
            let result = body(&mut reader, &|| None);
            drop(reader);
            let _ = decoder.join();
            result
        }),
    }
}

struct CellReader<'c, R>(&'c RefCell<R>);

impl<R: Read> Read for CellReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.borrow_mut().read(buf)
    }
}

/// gzip members one after another, as `gzip -d` reads them: another member
/// starts only where the gzip magic follows; anything else after the first
/// member is trailing data and ends the stream (it is still hashed, since the
/// caller reads the download to its end).
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
            if rest.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
                self.current = Some(GzDecoder::new(rest));
            }
        }
        Ok(0)
    }
}

struct ChunkWriter {
    buf: Vec<u8>,
    tx: SyncSender<io::Result<Vec<u8>>>,
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "reader stopped"))
    }
}

struct ChunkReader {
    rx: Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    pos: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

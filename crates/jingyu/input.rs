//! The asset as one byte stream, from a download or a local file: hashed as
//! it is read, with a look at its first bytes before anything consumes them,
//! a copy teed off for the cache, and a download error kept for the report
//! when a read fails.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use jingyu_fetch::{Agent, Download, FetchError, Fetched, HashingReader};
use jingyu_forge::{Location, Resolution, Token};
use jingyu_place::TempFile;
use minisign_verify::StreamVerifier;

use crate::error::{install_error, Error};
use crate::report::{size, Reporter};

/// The asset as a byte stream that hashes as it is read, from HTTP or a file,
/// with a look at its first bytes before anything consumes them.
pub(crate) struct Input<'a> {
    reader: Reader<'a>,
    /// The download error behind a failed read, kept for the report.
    pub(crate) failure: Option<FetchError>,
    /// Bytes already read by `peek`, served again by `read`.
    peeked: Vec<u8>,
    served: usize,
    /// Where every byte read is also copied (for the cache); dropped on a
    /// write error, since the cache is an optimisation.
    pub(crate) copy: Option<TempFile>,
    /// A minisign verifier every byte read is also fed to.
    pub(crate) signed: Option<StreamVerifier<'a>>,
}

enum Reader<'a> {
    Http(Download<'a>),
    Local(HashingReader<File>),
}

/// Opens the resolved asset: a download (with the token only where the
/// resolution allows it) or a local file.
pub(crate) fn open<'a>(
    agent: Option<&'a Agent>,
    res: &Resolution,
    token: Option<&Token>,
    rep: &Reporter,
) -> Result<Input<'a>, Error> {
    let reader = match (&res.location, agent) {
        (Location::Url(url), Some(agent)) => {
            let owned = res.headers_for(url, token);
            let headers: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut download = Download::start(agent, url, &headers)?;
            if let Some(progress) = rep.progress(&res.asset) {
                download.on_progress(progress);
            }
            rep.detail(&format!(
                "downloading {url}{}",
                download
                    .total()
                    .map_or(String::new(), |t| format!(" ({})", size(t)))
            ));
            Reader::Http(download)
        }
        (Location::File(path), _) => {
            let file = File::open(path).map_err(|source| Error::LocalFile {
                path: path.clone(),
                source,
            })?;
            Reader::Local(HashingReader::new(file))
        }
        (Location::Url(_), None) => unreachable!("HTTP sources come with an agent"),
    };
    Ok(Input {
        reader,
        failure: None,
        peeked: Vec::new(),
        served: 0,
        copy: None,
        signed: None,
    })
}

impl<'a> Input<'a> {
    /// Computes the sha512 too (an attestation may name the asset by it).
    #[must_use]
    pub(crate) fn with_sha512(mut self) -> Self {
        self.reader = match self.reader {
            Reader::Http(mut d) => {
                d.also_sha512();
                Reader::Http(d)
            }
            Reader::Local(h) => Reader::Local(h.with_sha512()),
        };
        self
    }

    /// Reads the rest (through the cache copy and the signature verifier
    /// too) and returns the digest of the whole asset, and the verifier.
    pub(crate) fn finish(mut self) -> Result<(Fetched, Option<StreamVerifier<'a>>), Error> {
        if self.signed.is_some() {
            io::copy(&mut self, &mut io::sink()).map_err(|e| {
                self.failure
                    .take()
                    .map_or(Error::Fetch(FetchError::Io(e)), Error::Fetch)
            })?;
        }
        let fetched = match self.reader {
            Reader::Http(d) => d.finish()?,
            Reader::Local(h) => h
                .finish_fetched()
                .map_err(|e| Error::Fetch(FetchError::Io(e)))?,
        };
        Ok((fetched, self.signed))
    }
}

impl Input<'_> {
    /// Copies the rest of the asset into `out`, a file under `staging`: a read
    /// failure is the download's, a write failure the destination's.
    pub(crate) fn copy_to(&mut self, out: &mut impl Write, staging: &Path) -> Result<(), Error> {
        io::copy(self, out).map(drop).map_err(|e| {
            self.failure
                .take()
                .map_or_else(|| install_error(staging, e), Error::Fetch)
        })
    }

    /// Up to `n` leading bytes (fewer at the end of the stream), unconsumed.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; n];
        while self.peeked.len() < n {
            let got = self.read_source(&mut buf[..n - self.peeked.len()])?;
            if got == 0 {
                break;
            }
            self.peeked.extend_from_slice(&buf[..got]);
        }
        Ok(self.peeked.clone())
    }

    /// Reads from the download or file, keeping a download error for the
    /// report and copying what was read for the cache.
    fn read_source(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let result = match &mut self.reader {
            Reader::Http(d) => d.read(buf),
            Reader::Local(h) => h.read(buf),
        };
        let n = result.map_err(|e| {
            let message = e.to_string();
            self.failure.get_or_insert(FetchError::from(e));
            io::Error::other(message)
        })?;
        if self
            .copy
            .as_mut()
            .is_some_and(|c| c.write_all(&buf[..n]).is_err())
        {
            self.copy = None;
        }
        if let Some(verifier) = &mut self.signed {
            verifier.update(&buf[..n]);
        }
        Ok(n)
    }
}

impl Read for Input<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.served < self.peeked.len() {
            let n = buf.len().min(self.peeked.len() - self.served);
            buf[..n].copy_from_slice(&self.peeked[self.served..self.served + n]);
            self.served += n;
            return Ok(n);
        }
        self.read_source(buf)
    }
}

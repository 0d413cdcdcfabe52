//! `UnpackError`: what was wrong with an archive or with writing its members.

use std::fmt;
use std::io;

use jingyu_pick::cap_list;

#[derive(Debug)]
pub enum UnpackError {
    /// No member fits what was asked for.
    NoMatch {
        wanted: String,
        members: Vec<String>,
    },
    /// Several candidates and nothing to choose between them: executables,
    /// or (`glob`) the matches of `--file`.
    Ambiguous {
        members: Vec<String>,
        glob: Option<String>,
    },
    /// An entry would write outside the destination.
    Unsafe { entry: String, why: &'static str },
    /// The archive is damaged or truncated (bad CRC, bad header, cut short).
    Corrupt { format: String, message: String },
    /// A format jingyu cannot unpack.
    Unsupported { format: String },
    /// Unpacking would write more than the limit (a decompression bomb?).
    TooLarge { limit: u64 },
    /// Reading the input failed (the download broke: see the source).
    Read(io::Error),
    /// Writing a member out failed.
    Write(io::Error),
}

impl fmt::Display for UnpackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnpackError::NoMatch { wanted, members } => {
                write!(f, "no {wanted} in the archive")?;
                if members.is_empty() {
                    f.write_str("; it holds no files")
                } else {
                    let listed: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                    write!(f, "; it holds {}; choose with --file GLOB or take everything with --tree", cap_list(&listed))
                }
            }
            UnpackError::Ambiguous { members, glob: None } => {
                let listed: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                write!(f, "the archive holds {} executables: {}; choose with --file NAME or take them all with --all", members.len(), cap_list(&listed))
            }
            UnpackError::Ambiguous { members, glob: Some(glob) } => {
                let listed: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                write!(f, "{} entries match --file {glob}: {}; narrow the glob or take them all with --all", members.len(), cap_list(&listed))
            }
            UnpackError::Unsafe { entry, why } => write!(f, "refusing archive entry `{entry}`: {why}"),
            UnpackError::Corrupt { format, message } => write!(f, "the {format} archive is damaged: {message}"),
            UnpackError::Unsupported { .. } => f.write_str("jingyu cannot unpack this archive format (7z, rar); use --download-only to keep the file as downloaded"),
            UnpackError::TooLarge { limit } => write!(f, "unpacking would write more than {limit} bytes; raise --max-size if the archive is genuine"),
            UnpackError::Read(e) => write!(f, "reading the archive failed: {e}"),
            UnpackError::Write(e) => write!(f, "writing an unpacked file failed: {e}"),
        }
    }
}

impl std::error::Error for UnpackError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UnpackError::Read(e) | UnpackError::Write(e) => e
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            _ => None,
        }
    }
}

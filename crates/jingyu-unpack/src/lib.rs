//! Archive reading for jingyu, with no network code.
//!
//! Supported: tar (plain, gzip, xz, bzip2, zstd), zip, single files compressed
//! with gzip, xz, bzip2 or zstd, and bare files (ELF, Mach-O, PE, `AppImage`,
//! scripts). [`detect`] decides the format from the content's magic bytes when
//! the name is missing, wrong or ambiguous. tar formats are read straight from
//! the download stream; zip needs `Seek`, so its caller spools it to a file first.
//!
//! Each wanted member is written to a [`Sink`] as it passes (the binary's sink
//! makes temporary files in the destination directory), then `select.rs`
//! chooses among the written candidates as eget does: the chosen ones are
//! returned and the rest are dropped, which deletes them. Entries with absolute paths, `..` components or
//! links leading outside are refused before anything is chosen, and the total
//! written is capped by `Rules::max_size`.

use std::io::{self, Read, Seek, Write};

pub mod binary;
pub mod error;
pub mod glob;
pub mod magic;
pub mod select;
pub mod wanted;

mod bzip2_blocks;
mod decode;
mod tar;
mod zip;

pub use error::UnpackError;
pub use jingyu_pick::Format;
pub use magic::{detect, sniff, TAR_SNIFF_LEN};
pub use select::{eget_executable, Place};
pub use wanted::{common_root, safe_path, single_file, Member, Rules};

use decode::Codec;

/// The latest modification time kept from an archive (and accepted in
/// `SOURCE_DATE_EPOCH`): the end of year 9999, in Unix seconds.
pub const LATEST_MTIME: u64 = 253_402_300_799;

/// Where members are written.
pub trait Sink {
    type Out: Write;
    /// A fresh output for `member`.
    fn create(&mut self, member: &Member) -> io::Result<Self::Out>;

    /// A kept link (in a chosen directory, or with `--tree`) at `path`
    /// (already checked to stay inside) to `target`: a relative path for a
    /// symbolic link, an archive path for a hard link; it goes to `place`
    /// with the candidate `item`. The default ignores links.
    fn link(&mut self, _link: &ArchiveLink) -> io::Result<()> {
        Ok(())
    }
}

/// A link kept from an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveLink {
    pub path: String,
    pub target: String,
    pub hard: bool,
    pub place: Place,
    pub item: usize,
}

/// Members written so far, every regular file seen (for errors), and the
/// candidates met.
pub(crate) struct Collected<O> {
    written: Vec<(Member, O)>,
    seen: Vec<String>,
    pub(crate) selection: select::Selection,
}

impl<O> Default for Collected<O> {
    fn default() -> Self {
        Collected {
            written: Vec::new(),
            seen: Vec::new(),
            selection: select::Selection::default(),
        }
    }
}

/// A link entry met by a walk: kept (written to the sink) when the selection
/// wants it.
pub(crate) fn keep_link<S: Sink, O>(
    sink: &mut S,
    rules: &Rules,
    collected: &Collected<O>,
    path: &str,
    target: &str,
    hard: bool,
) -> Result<(), UnpackError> {
    let Some((item, place)) = collected.selection.link(rules, path) else {
        return Ok(());
    };
    let link = ArchiveLink {
        path: path.to_owned(),
        target: target.to_owned(),
        hard,
        place,
        item,
    };
    sink.link(&link).map_err(UnpackError::Write)
}

/// The rules plus the bytes still allowed to be written.
pub(crate) struct Budget<'r> {
    rules: &'r Rules,
    left: u64,
}

/// Unpacks a streamed asset of `format` (anything but zip). `input` is read to
/// the end of the archive. A compressed stream whose content is a tar archive
/// is unpacked as one, whatever its name said.
pub fn extract_stream<S: Sink>(
    format: Format,
    input: &mut (dyn Read + Send),
    rules: &Rules,
    sink: &mut S,
) -> Result<Vec<(Member, S::Out)>, UnpackError> {
    let codec = Codec::of(format)?;
    let mut budget = Budget {
        rules,
        left: rules.max_size,
    };
    let label = format.to_string();
    let collected = decode::decoded(codec, input, |reader| {
        let mut head = vec![0u8; magic::TAR_SNIFF_LEN];
        let n = decode::read_full(reader, &mut head).map_err(|e| corrupt(&label, &e))?;
        head.truncate(n);
        let tar = format.is_tar() || codec != Codec::None && magic::is_tar(&head);
        let mut whole = io::Cursor::new(head).chain(reader);
        if tar {
            tar::walk(&mut whole, &label, &mut budget, sink)
        } else {
            single(&mut whole, &label, &mut budget, sink)
        }
    })?;
    finish(rules, collected)
}

/// Unpacks a zip archive from a seekable file.
pub fn extract_zip<R: Read + Seek, S: Sink>(
    input: R,
    rules: &Rules,
    sink: &mut S,
) -> Result<Vec<(Member, S::Out)>, UnpackError> {
    let mut budget = Budget {
        rules,
        left: rules.max_size,
    };
    let collected = zip::walk(input, &mut budget, sink)?;
    finish(rules, collected)
}

fn finish<O>(rules: &Rules, collected: Collected<O>) -> Result<Vec<(Member, O)>, UnpackError> {
    let items = collected.selection.choose(rules, &collected.seen)?;
    let members: Vec<Member> = collected.written.iter().map(|(m, _)| m.clone()).collect();
    let mut kept = select::kept(&members, &items).into_iter().peekable();
    Ok(collected
        .written
        .into_iter()
        .enumerate()
        .filter(|(i, _)| kept.next_if_eq(i).is_some())
        .map(|(_, w)| w)
        .collect())
}

/// A single compressed (or bare) file, named as eget names it from the
/// asset's name ([`single_file`]); the name stored in a gzip header is not
/// used, as eget does not use it.
fn single<S: Sink>(
    reader: &mut dyn Read,
    format: &str,
    budget: &mut Budget<'_>,
    sink: &mut S,
) -> Result<Collected<S::Out>, UnpackError> {
    let mut head = [0u8; magic::SNIFF_LEN];
    let n = decode::read_full(reader, &mut head).map_err(|e| corrupt(format, &e))?;
    let rules = budget.rules;
    let (name, executable) =
        single_file(&rules.asset, &rules.name, magic::is_executable(&head[..n]));
    let member = Member {
        path: name.clone(),
        mode: if executable { 0o755 } else { 0o644 },
        executable,
        ..Member::default()
    };
    let out = sink.create(&member).map_err(UnpackError::Write)?;
    let mut collected = Collected {
        seen: vec![name.clone()],
        ..Collected::default()
    };
    // The one file is the one candidate, taken at once.
    collected.selection.single(&name);
    let mut chained = (&head[..n]).chain(reader);
    let out = copy_limited(&mut chained, out, format, budget)?;
    collected.written.push((member, out));
    Ok(collected)
}

/// Sniffs a member, and if the rules want it writes it to a new sink output.
pub(crate) fn copy_member<S: Sink>(
    entry: &mut dyn Read,
    format: &str,
    mut member: Member,
    budget: &mut Budget<'_>,
    sink: &mut S,
    collected: &mut Collected<S::Out>,
) -> Result<(), UnpackError> {
    let mut head = [0u8; magic::SNIFF_LEN];
    let n = decode::read_full(entry, &mut head).map_err(|e| corrupt(format, &e))?;
    let Some(wanted) =
        collected
            .selection
            .file(budget.rules, &member.path, member.mode, &head[..n])
    else {
        return Ok(());
    };
    member.executable = wanted.executable;
    member.place = wanted.place;
    member.item = wanted.item;
    let out = sink.create(&member).map_err(UnpackError::Write)?;
    let out = copy_limited(&mut (&head[..n]).chain(entry), out, format, budget)?;
    collected.written.push((member, out));
    Ok(())
}

/// Copies `from` into `out`, telling read failures (a damaged archive) from
/// write failures, and stopping at the size budget.
fn copy_limited<W: Write>(
    from: &mut dyn Read,
    mut out: W,
    format: &str,
    budget: &mut Budget<'_>,
) -> Result<W, UnpackError> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(corrupt(format, &e)),
        };
        budget.left = budget
            .left
            .checked_sub(n as u64)
            .ok_or(UnpackError::TooLarge {
                limit: budget.rules.max_size,
            })?;
        out.write_all(&buf[..n]).map_err(UnpackError::Write)?;
    }
    Ok(out)
}

pub(crate) fn corrupt(format: &str, e: &io::Error) -> UnpackError {
    let message = if e.kind() == io::ErrorKind::UnexpectedEof {
        "it ends too early (truncated)".to_owned()
    } else {
        e.to_string()
    };
    UnpackError::Corrupt {
        format: format.to_owned(),
        message,
    }
}

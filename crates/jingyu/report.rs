//! All human-facing output. stderr carries progress, decisions ("picked X
//! because Y") and warnings; stdout carries only what scripts read: installed
//! paths, `--dry-run` answers, `--sha256` hashes, `--rate` figures. A progress
//! bar is drawn only when stderr is a terminal and not `--quiet`.
#![allow(clippy::print_stdout, clippy::print_stderr)]
// Sizes and rates are shown to one decimal: float precision is not a concern.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jingyu_fetch::ProgressFn;

use crate::board::Board;

/// How much to say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Level {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

/// The output channel.
#[derive(Clone)]
pub(crate) struct Reporter {
    level: Level,
    tty: bool,
    /// Whether records reach stdout (not for `--download-all`'s repositories).
    stdout: bool,
    /// `jingyu install` on a terminal: the board and this tool's line there,
    /// where its progress goes instead of a bar.
    line: Option<(Arc<Board>, usize, String)>,
}

impl Reporter {
    pub(crate) fn new(level: Level) -> Reporter {
        Reporter {
            level,
            tty: io::stderr().is_terminal(),
            stdout: true,
            line: None,
        }
    }

    /// The same reporter, drawing progress on line `i` of `board` as `name`.
    pub(crate) fn on_board(self, board: Option<&Arc<Board>>, i: usize, name: &str) -> Reporter {
        Reporter {
            line: board.map(|b| (Arc::clone(b), i, name.to_owned())),
            ..self
        }
    }

    /// The same reporter with stdout discarded.
    pub(crate) fn without_stdout(self) -> Reporter {
        Reporter {
            stdout: false,
            ..self
        }
    }

    /// A line on stderr unless `--quiet`.
    pub(crate) fn info(&self, msg: &str) {
        if self.level != Level::Quiet {
            eprintln!("{}", printable(msg));
        }
    }

    /// A line on stderr with `--verbose` only.
    pub(crate) fn detail(&self, msg: &str) {
        if self.level == Level::Verbose {
            eprintln!("  {}", printable(msg));
        }
    }

    /// A warning on stderr, even with `--quiet`.
    #[allow(clippy::unused_self)] // all output goes through the reporter
    pub(crate) fn warn(&self, msg: &str) {
        let line = format!("jingyu: warning: {}", printable(msg));
        match &self.line {
            Some((board, _, name)) => board.note(format!("{line} ({name})")),
            None => eprintln!("{line}"),
        }
    }

    /// One record on stdout, for scripts: one line, whatever a name from a
    /// server holds.
    #[allow(clippy::unused_self)]
    pub(crate) fn result(&self, record: &str) {
        self.text(&printable(record));
    }

    /// jingyu's own text on stdout (`--help`), as it is.
    pub(crate) fn text(&self, text: &str) {
        if !self.stdout {
            return;
        }
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    /// The rendered error (its `caused by:` lines kept), on stderr.
    #[allow(clippy::unused_self)]
    pub(crate) fn error(&self, rendered: &str) {
        for line in rendered.lines() {
            eprintln!("{}", printable(line));
        }
    }

    /// Callback for a download's progress: a bar on a terminal, else nothing.
    pub(crate) fn progress(&self, label: &str) -> Option<ProgressFn> {
        if let Some((board, i, name)) = &self.line {
            return Some(board.progress(*i, format!("{name}  {label}")));
        }
        if !self.tty || self.level == Level::Quiet {
            return None;
        }
        let bar = Arc::new(Mutex::new(Bar {
            label: printable(label).into_owned(),
            started: Instant::now(),
            last: None,
        }));
        Some(Box::new(move |done, total| {
            if let Ok(mut bar) = bar.lock() {
                bar.draw(done, total);
            }
        }))
    }

    /// Clears the progress line, if one was drawn.
    pub(crate) fn progress_done(&self) {
        if self.tty && self.level != Level::Quiet && self.line.is_none() {
            eprint!("\r\x1b[K");
        }
    }

    /// A callback for retry notices from the HTTP agent.
    pub(crate) fn retry_notice(&self) -> jingyu_fetch::RetryNotice {
        let me = self.clone();
        Arc::new(move |msg: &str| me.info(&format!("jingyu: {msg}")))
    }
}

/// `msg` with control characters (a newline or an escape sequence in an
/// asset or member name) written as escapes, so that a name from a server can
/// neither split a line nor drive the terminal. Tabs stay: `--dry-run`
/// separates its fields with one.
pub(crate) fn printable(msg: &str) -> Cow<'_, str> {
    let control = |c: char| c.is_control() && c != '\t';
    if !msg.chars().any(control) {
        return Cow::Borrowed(msg);
    }
    let mut out = String::with_capacity(msg.len() + 8);
    for c in msg.chars() {
        if control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

struct Bar {
    label: String,
    started: Instant,
    last: Option<Instant>,
}

impl Bar {
    fn draw(&mut self, done: u64, total: Option<u64>) {
        let finished = total == Some(done);
        if self
            .last
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
            && !finished
        {
            return;
        }
        self.last = Some(Instant::now());
        let rate = done as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        let line = match total {
            Some(t) if t > 0 => {
                let filled = usize::try_from(done * 30 / t).unwrap_or(30).min(30);
                format!(
                    "{} [{}{}] {:>3}% {} / {} {}/s",
                    self.label,
                    "#".repeat(filled),
                    " ".repeat(30 - filled),
                    done * 100 / t,
                    size(done),
                    size(t),
                    size(rate as u64)
                )
            }
            _ => format!("{} {} {}/s", self.label, size(done), size(rate as u64)),
        };
        eprint!("\r\x1b[K{line}");
    }
}

/// Bytes in the largest binary unit that keeps the number readable.
pub(crate) fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_plain_text_borrowed() {
        assert!(matches!(printable("tool\tv1"), Cow::Borrowed("tool\tv1")));
        assert_eq!(printable("a\nb\u{1b}[2J\r"), "a\\nb\\u{1b}[2J\\r");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(super::size(512), "512 B");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(100 << 20), "100.0 MiB");
    }
}

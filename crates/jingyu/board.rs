//! `jingyu install` on a terminal: one live line per tool, each redrawn in
//! place (cursor up to it, clear it, write, cursor back down), so parallel
//! downloads can all be watched. Off a terminal there is no board: each tool
//! gets one line when it finishes.
#![allow(clippy::print_stderr)]

use std::io::{self, IsTerminal};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jingyu_fetch::ProgressFn;

use crate::report::{printable, size};

/// The lines, one per tool.
pub(crate) struct Board {
    count: usize,
    /// Serialises the redraws (and keeps each line's last text).
    lines: Mutex<Vec<String>>,
    /// Warnings, printed below the board when it is done.
    notes: Mutex<Vec<String>>,
}

impl Board {
    /// A board of `names` (each shown waiting), when stderr is a terminal.
    pub(crate) fn new(names: &[String]) -> Option<Arc<Board>> {
        if !io::stderr().is_terminal() || names.is_empty() {
            return None;
        }
        let lines: Vec<String> = names
            .iter()
            .map(|n| format!("{}  waiting", printable(n)))
            .collect();
        for line in &lines {
            eprintln!("{line}");
        }
        Some(Arc::new(Board {
            count: names.len(),
            lines: Mutex::new(lines),
            notes: Mutex::new(Vec::new()),
        }))
    }

    /// Shows `text` on line `i`.
    pub(crate) fn set(&self, i: usize, text: &str) {
        let Ok(mut lines) = self.lines.lock() else {
            return;
        };
        let Some(line) = lines.get_mut(i) else { return };
        *line = printable(text).into_owned();
        let up = self.count - i;
        eprint!("\x1b[{up}A\r\x1b[K{line}\x1b[{up}B\r");
    }

    /// Keeps a warning for [`Board::finish`] (printing it now would break
    /// the lines).
    pub(crate) fn note(&self, line: String) {
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(line);
        }
    }

    /// Prints the warnings kept, below the board.
    pub(crate) fn finish(&self) {
        if let Ok(notes) = self.notes.lock() {
            for n in notes.iter() {
                eprintln!("{n}");
            }
        }
    }

    /// A download's progress on line `i`, at most ten redraws a second.
    pub(crate) fn progress(self: &Arc<Board>, i: usize, label: String) -> ProgressFn {
        let board = Arc::clone(self);
        let last = Mutex::new(None::<Instant>);
        Box::new(move |done, total| {
            let Ok(mut last) = last.lock() else { return };
            let finished = total == Some(done);
            if last.is_some_and(|t: Instant| t.elapsed() < Duration::from_millis(100)) && !finished
            {
                return;
            }
            *last = Some(Instant::now());
            let text = match total {
                Some(t) if t > 0 => format!(
                    "{label}  {:>3}%  {} / {}",
                    done * 100 / t,
                    size(done),
                    size(t)
                ),
                _ => format!("{label}  {}", size(done)),
            };
            board.set(i, &text);
        })
    }
}

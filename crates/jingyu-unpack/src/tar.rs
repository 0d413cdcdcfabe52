//! Walks tar entries from a decoded stream and writes each wanted regular file
//! to the sink as it passes. Links are checked (never outside the root) and
//! kept only in a chosen directory or with `--tree`; directory entries are
//! candidates for `--file`.

use std::io::Read;

use crate::error::UnpackError;
use crate::wanted::{link_stays_inside, safe_path, Member};
use crate::{copy_member, corrupt, keep_link, Budget, Collected, Sink};

pub(crate) fn walk<S: Sink>(
    input: &mut dyn Read,
    format: &str,
    budget: &mut Budget<'_>,
    sink: &mut S,
) -> Result<Collected<S::Out>, UnpackError> {
    let mut collected = Collected::default();
    let mut archive = tar::Archive::new(input);
    for entry in archive.entries().map_err(|e| corrupt(format, &e))? {
        let mut entry = entry.map_err(|e| corrupt(format, &e))?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            let path = safe_path(&raw)?;
            let target = entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default();
            let hard = kind.is_hard_link();
            let inside = if hard {
                safe_path(&target).is_ok()
            } else {
                link_stays_inside(&path, &target)
            };
            if !inside {
                return Err(UnpackError::Unsafe {
                    entry: raw,
                    why: "link points outside the destination",
                });
            }
            let target = if hard { safe_path(&target)? } else { target };
            keep_link(sink, budget.rules, &collected, &path, &target, hard)?;
            continue;
        }
        if kind.is_dir() {
            if let Ok(path) = safe_path(&raw) {
                collected.selection.directory(budget.rules, &path);
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let path = safe_path(&raw)?;
        let header = entry.header();
        let mode = header.mode().unwrap_or(0o644);
        // A time past year 9999 is damage, not a date: the file gets the
        // install time instead.
        let mtime = header.mtime().ok().filter(|&t| t <= crate::LATEST_MTIME);
        collected.seen.push(path.clone());
        copy_member(
            &mut entry,
            format,
            Member {
                path,
                mode,
                mtime,
                ..Member::default()
            },
            budget,
            sink,
            &mut collected,
        )?;
    }
    // Decode to the end so trailing checks (gzip CRC, xz check) run.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())
        .map_err(|e| corrupt(format, &e))?;
    Ok(collected)
}

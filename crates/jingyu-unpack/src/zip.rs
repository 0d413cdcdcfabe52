//! Walks a zip archive (which needs `Seek`: the caller spools the download to a
//! file first) and writes each wanted regular file to the sink.

use std::io::{Read, Seek};

use crate::error::UnpackError;
use crate::wanted::{link_stays_inside, safe_path, Member};
use crate::{copy_member, keep_link, Budget, Collected, Sink};

pub(crate) fn walk<R: Read + Seek, S: Sink>(
    input: R,
    budget: &mut Budget<'_>,
    sink: &mut S,
) -> Result<Collected<S::Out>, UnpackError> {
    let bad = |e: &dyn std::fmt::Display| UnpackError::Corrupt {
        format: "zip".into(),
        message: e.to_string(),
    };
    let mut archive = zip::ZipArchive::new(input).map_err(|e| bad(&e))?;
    let mut collected = Collected::default();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| bad(&e))?;
        let raw = file.name().map_err(|e| bad(&e))?.into_owned();
        let path = safe_path(&raw)?;
        if file.is_dir() {
            collected.selection.directory(budget.rules, &path);
            continue;
        }
        if file.is_symlink() {
            let mut target = String::new();
            (&mut file)
                .take(4096)
                .read_to_string(&mut target)
                .map_err(|e| bad(&e))?;
            if !link_stays_inside(&path, &target) {
                return Err(UnpackError::Unsafe {
                    entry: raw,
                    why: "link points outside the destination",
                });
            }
            keep_link(sink, budget.rules, &collected, &path, &target, false)?;
            continue;
        }
        let mode = file.unix_mode().unwrap_or(0o644) & 0o7777;
        collected.seen.push(path.clone());
        copy_member(
            &mut file,
            "zip",
            Member {
                path,
                mode,
                ..Member::default()
            },
            budget,
            sink,
            &mut collected,
        )?;
    }
    Ok(collected)
}

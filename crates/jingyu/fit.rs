//! Whether the extracted executables fit the requested platform: reads each
//! one's header (ELF machine and class, Mach-O CPU, PE machine), refuses a
//! binary for another platform (mispackaged releases exist), reports static or
//! dynamic linking, and warns when a glibc binary is installed for a musl target.

use jingyu_pick::{Libc, System};
use jingyu_place::TempFile;
use jingyu_unpack::binary::{inspect, Linking, INSPECT_LEN};
use jingyu_unpack::Member;

use crate::error::Error;
use crate::report::Reporter;

/// Checks every executable among `members` against `system`.
pub(crate) fn check(
    members: &[(Member, TempFile)],
    system: Option<System>,
    enforce: bool,
    rep: &Reporter,
) -> Result<(), Error> {
    for (member, file) in members.iter().filter(|(m, _)| m.executable) {
        let head = file.head(INSPECT_LEN).map_err(|source| Error::Install {
            path: file.path(),
            source,
        })?;
        let Some(binary) = inspect(&head) else {
            continue;
        };
        rep.info(&format!("`{}`: {binary}", member.file_name()));
        let Some(system) = system else { continue };
        if !binary.fits(system.os, system.arch) {
            if enforce {
                return Err(Error::WrongPlatform {
                    file: member.path.clone(),
                    found: binary.to_string(),
                    wanted: system.to_string(),
                });
            }
            rep.warn(&format!(
                "`{}` is {binary}, not for {system}; installing it anyway, as --asset or --skip-binary-check asks",
                member.path
            ));
        }
        if system.libc == Libc::Musl && binary.libc() == Some(Libc::Gnu) {
            let interpreter = match &binary.linking {
                Some(Linking::Dynamic { interpreter }) => interpreter.as_str(),
                _ => "",
            };
            rep.warn(&format!("`{}` needs glibc ({interpreter}) but the target is musl: it will not start on Alpine or in scratch images", member.file_name()));
        }
    }
    Ok(())
}

//! `remove_temp_files`, which the panic hook calls, in a process of its own
//! (it removes every temporary file the process holds, so it cannot share a
//! process with other tests).

use std::ffi::OsString;
use std::fs;

use jingyu_place::{remove_temp_files, TempFile};

#[test]
fn a_panic_can_remove_every_live_temporary_file() {
    let dir = std::env::temp_dir().join(format!("jingyu-live-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let a = TempFile::new_in(&dir).unwrap();
    let b = TempFile::new_in(&dir).unwrap();
    let kept = b.path();
    b.persist("kept", 0o644).unwrap(); // renamed into place: no longer a temp file
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
    remove_temp_files();
    let left: Vec<OsString> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [OsString::from("kept")],
        "{} was persisted",
        kept.display()
    );
    drop(a);
    fs::remove_dir_all(&dir).unwrap();
}

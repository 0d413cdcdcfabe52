//! Early writeback: asks the kernel to start writing a file's new pages to disk
//! while jingyu is still producing the rest, so the `fsync` before the atomic
//! rename waits for the last MiB or two instead of all of them: a 100 MiB
//! tar.zst install went from 0.28 to 0.22 s, an 8 MiB bare file from 30 to
//! 25 ms (a 2 MiB step beat 8 MiB there and matched 1 MiB). This only moves
//! the work earlier; the durability guarantee is the same.

use std::fs::File;

/// Start writeback once this much has been written since the last start.
const STEP: u64 = 2 << 20;

/// How much of a file has been written, and how much of it handed to writeback.
#[derive(Debug, Default)]
pub(crate) struct Writeback {
    written: u64,
    started: u64,
}

impl Writeback {
    /// Records `n` more bytes written to `file`; starts writeback of the new
    /// range every [`STEP`] bytes. A hint only: errors are ignored.
    pub(crate) fn wrote(&mut self, file: &File, n: usize) {
        self.written += n as u64;
        if self.written - self.started >= STEP {
            start(file, self.started, self.written - self.started);
            self.started = self.written;
        }
    }
}

#[cfg(target_os = "linux")]
fn start(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: sync_file_range only reads its integer arguments; the descriptor
    // is open for as long as `file` is borrowed. SYNC_FILE_RANGE_WRITE starts
    // writeback without waiting for it.
    #[allow(unsafe_code)]
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start(_file: &File, _offset: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek, Write};

    use super::*;

    #[test]
    fn starts_every_step_and_leaves_the_content_alone() {
        let dir = std::env::temp_dir().join(format!("jingyu-writeback-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let mut file = File::options()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let mut wb = Writeback::default();
        let block = vec![7u8; 1 << 20];
        for _ in 0..7 {
            file.write_all(&block).unwrap();
            wb.wrote(&file, block.len());
        }
        assert_eq!((wb.written, wb.started), (7 << 20, 6 << 20));
        file.rewind().unwrap();
        let mut back = Vec::new();
        file.read_to_end(&mut back).unwrap();
        assert!(back.len() == 7 << 20 && back.iter().all(|b| *b == 7));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! bzip2 decoded on two cores. A bzip2 stream is a run of blocks (at most
//! 900 kB of input each) that decode independently, so the slowest format to
//! decode need not wait on one core: a splitter thread reads the download and
//! cuts it into one-block streams (`split`), two workers decode them with
//! libbz2-rs, and this thread hands their output on in order and checks each
//! stream's CRC over its blocks. On two cores a 100 MiB tar.bz2 installs in
//! 1.9 s instead of 3.7 s (`lbzip2 -n1 -dc`: 2.6 s); on one, as before.
//!
//! A worker holds up to `WHOLE_LIMIT` of a block's output until the block's
//! CRC has been checked, so a piece cut by a magic that turned up by chance in
//! the data (about once in 30 TB) fails before anything of it is passed on and
//! is decoded again joined to the pieces after it. A block that decodes to
//! more than that is passed on as it comes; if such a block was cut by chance
//! the archive is reported damaged.

mod bits;
mod split;

use std::io::{self, Read};
use std::num::NonZeroUsize;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;

use bzip2::{Decompress, Status};
use split::{Event, Piece, Splitter};

const CHUNK: usize = 256 * 1024;
/// The most of one block's output a worker holds back until its CRC is known.
const WHOLE_LIMIT: usize = 2 << 20;
/// Each worker decoding a level-9 stream holds 3.6 MB of decoder state and
/// a block's output: two stay within the 16 MiB an install may use (a 100 MiB
/// tar.bz2 on musl: one 9.7 MiB, two 14.6, three 20.3, four 23.8 MiB peak).
const MAX_WORKERS: usize = 2;
/// How many pieces after a failed one are tried joined to it.
const MAX_JOINED: usize = 4;

/// The decoder thread for bzip2: decodes `input` into chunks sent on `tx`
/// until the end, an error (sent on), or the consumer going away.
pub(crate) fn produce(
    input: &mut (dyn Read + Send),
    tx: &SyncSender<io::Result<Vec<u8>>>,
    spare: &Receiver<Vec<u8>>,
) {
    produce_planted(input, Vec::new(), tx, spare);
}

/// [`produce`], with magics "found by chance" at the given bit offsets.
fn produce_planted(
    input: &mut (dyn Read + Send),
    planted: Vec<(u64, split::Mark)>,
    tx: &SyncSender<io::Result<Vec<u8>>>,
    spare: &Receiver<Vec<u8>>,
) {
    let workers = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, MAX_WORKERS);
    let pool = Pool::default();
    let (jobs_tx, jobs_rx) = sync_channel::<Job>(1);
    let jobs_rx = Mutex::new(jobs_rx);
    thread::scope(|scope| {
        for _ in 0..workers {
            let (jobs, pool) = (&jobs_rx, &pool);
            scope.spawn(move || work(jobs, pool));
        }
        let (order_tx, order_rx) = sync_channel::<Order>(workers);
        scope.spawn(move || split_into(input, planted, &jobs_tx, &order_tx));
        Collector {
            tx,
            spare,
            pool: &pool,
            combined: 0,
        }
        .run(&order_rx);
    });
}

/// What the splitter tells the collector, in stream order.
enum Order {
    Block(Piece, Receiver<Output>),
    End(u32),
    Failed(io::Error),
}

/// A block for a worker, and where its output goes.
struct Job {
    stream: Arc<Vec<u8>>,
    reply: SyncSender<Output>,
}

/// A worker's report on one block.
enum Output {
    /// All of it, its CRC checked.
    Whole(Vec<Vec<u8>>),
    /// Some of a large block, passed on before its CRC is known.
    Part(Vec<u8>),
    /// The end of a block sent in parts, its CRC checked.
    End,
    Failed(io::Error),
}

fn split_into(
    input: &mut (dyn Read + Send),
    planted: Vec<(u64, split::Mark)>,
    jobs: &SyncSender<Job>,
    order: &SyncSender<Order>,
) {
    let mut splitter = Splitter::planting(input, planted);
    let result = splitter.run(&mut |event| match event {
        Event::Block(piece) => {
            let (reply, output) = sync_channel(2);
            let job = Job {
                stream: Arc::clone(&piece.stream),
                reply,
            };
            order.send(Order::Block(piece, output)).is_ok() && jobs.send(job).is_ok()
        }
        Event::End(crc) => order.send(Order::End(crc)).is_ok(),
    });
    if let Err(e) = result {
        let _ = order.send(Order::Failed(e));
    }
}

fn work(jobs: &Mutex<Receiver<Job>>, pool: &Pool) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        decode(&job.stream, pool, &mut |output| {
            job.reply.send(output).is_ok()
        });
    }
}

/// Decodes one single-block stream, reporting to `emit` (which returns false
/// to stop).
fn decode(stream: &[u8], pool: &Pool, emit: &mut dyn FnMut(Output) -> bool) {
    let mut d = Decompress::new(false);
    let mut held: Vec<Vec<u8>> = Vec::new();
    let mut held_bytes = 0;
    let mut streaming = false;
    let mut chunk = pool.take();
    loop {
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let read = usize::try_from(before_in).expect("within the stream");
        let status = match d.decompress_vec(&stream[read..], &mut chunk) {
            Ok(status) => status,
            Err(e) => {
                emit(Output::Failed(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a bzip2 block does not decode ({e})"),
                )));
                return;
            }
        };
        let ended = status == Status::StreamEnd;
        if chunk.len() == chunk.capacity() || ended && !chunk.is_empty() {
            let full = std::mem::replace(&mut chunk, pool.take());
            if streaming {
                if !emit(Output::Part(full)) {
                    return;
                }
            } else {
                held_bytes += full.len();
                held.push(full);
                if held_bytes > WHOLE_LIMIT {
                    streaming = true;
                    for part in held.drain(..) {
                        if !emit(Output::Part(part)) {
                            return;
                        }
                    }
                }
            }
        }
        if ended {
            emit(if streaming {
                Output::End
            } else {
                Output::Whole(held)
            });
            return;
        }
        if d.total_in() == before_in && d.total_out() == before_out {
            emit(Output::Failed(io::Error::new(
                io::ErrorKind::InvalidData,
                "a bzip2 block ends early",
            )));
            return;
        }
    }
}

/// Spare output buffers, shared by the workers.
#[derive(Default)]
struct Pool(Mutex<Vec<Vec<u8>>>);

impl Pool {
    fn take(&self) -> Vec<u8> {
        let reused = self.0.lock().ok().and_then(|mut spare| spare.pop());
        let mut chunk = reused.unwrap_or_default();
        chunk.clear();
        chunk.reserve_exact(CHUNK);
        chunk
    }

    fn give(&self, chunk: Vec<u8>) {
        if let Ok(mut spare) = self.0.lock() {
            if spare.len() < 2 * MAX_WORKERS {
                spare.push(chunk);
            }
        }
    }
}

/// How handing on one block's output went.
enum Delivery {
    Done,
    /// It failed before anything of it was passed on.
    Refused(io::Error),
    /// It failed after some of it was passed on, or the consumer went away.
    Stop,
}

/// This thread: passes the workers' output on in order.
struct Collector<'a> {
    tx: &'a SyncSender<io::Result<Vec<u8>>>,
    spare: &'a Receiver<Vec<u8>>,
    pool: &'a Pool,
    /// The stream's CRC over the blocks passed on so far.
    combined: u32,
}

impl Collector<'_> {
    fn run(&mut self, order: &Receiver<Order>) {
        let mut next = order.recv().ok();
        while let Some(item) = next.take() {
            match item {
                Order::Block(piece, output) => match self.deliver(&mut || output.recv().ok()) {
                    Delivery::Done => self.combined = self.combined.rotate_left(1) ^ piece.crc,
                    Delivery::Refused(e) => match self.rejoin(piece, e, order) {
                        Ok(after) => next = after,
                        Err(()) => return,
                    },
                    Delivery::Stop => return,
                },
                Order::End(stored) => {
                    if stored != self.combined {
                        self.fail(format!(
                            "the bzip2 stream's CRC is {stored:08x}, its blocks' {:08x}",
                            self.combined
                        ));
                        return;
                    }
                    self.combined = 0;
                }
                Order::Failed(e) => {
                    let _ = self.tx.send(Err(e));
                    return;
                }
            }
            if next.is_none() {
                next = order.recv().ok();
            }
        }
    }

    /// Decodes `piece` joined to the pieces after it, in case a magic in its
    /// data cut it short; the order after the last piece used.
    fn rejoin(
        &mut self,
        piece: Piece,
        first_error: io::Error,
        order: &Receiver<Order>,
    ) -> Result<Option<Order>, ()> {
        let mut pieces = vec![piece];
        while pieces.len() <= MAX_JOINED {
            match order.recv() {
                Ok(Order::Block(more, _speculative)) => pieces.push(more),
                Ok(other) => {
                    // A stream end or an error: the failed piece was no chance cut.
                    drop(other);
                    break;
                }
                Err(_) => break,
            }
            let joined = Piece::joined(&pieces.iter().collect::<Vec<_>>());
            let mut reports = Vec::new();
            decode(&joined.stream, self.pool, &mut |output| {
                reports.push(output);
                true
            });
            let mut reports = reports.into_iter();
            match self.deliver(&mut || reports.next()) {
                Delivery::Done => {
                    self.combined = self.combined.rotate_left(1) ^ joined.crc;
                    return Ok(order.recv().ok());
                }
                Delivery::Refused(_) => {}
                Delivery::Stop => return Err(()),
            }
        }
        let _ = self.tx.send(Err(first_error));
        Err(())
    }

    /// Passes on one block's output as `next` reports it.
    fn deliver(&mut self, next: &mut dyn FnMut() -> Option<Output>) -> Delivery {
        let mut passed = false;
        loop {
            let Some(output) = next() else {
                self.fail("a bzip2 decoder thread stopped before its block's end".to_string());
                return Delivery::Stop;
            };
            match output {
                Output::Whole(parts) => {
                    for part in parts {
                        if !self.pass(part) {
                            return Delivery::Stop;
                        }
                    }
                    return Delivery::Done;
                }
                Output::Part(part) => {
                    passed = true;
                    if !self.pass(part) {
                        return Delivery::Stop;
                    }
                }
                Output::End => return Delivery::Done,
                Output::Failed(e) if !passed => return Delivery::Refused(e),
                Output::Failed(e) => {
                    let _ = self.tx.send(Err(e));
                    return Delivery::Stop;
                }
            }
        }
    }

    fn pass(&mut self, part: Vec<u8>) -> bool {
        while let Ok(used) = self.spare.try_recv() {
            self.pool.give(used);
        }
        self.tx.send(Ok(part)).is_ok()
    }

    fn fail(&self, message: String) {
        let _ = self
            .tx
            .send(Err(io::Error::new(io::ErrorKind::InvalidData, message)));
    }
}

#[cfg(test)]
mod tests;

//! How products get into the catalog: threads claim blocks of products in
//! turn and normalize each block into a buffer of its own; whoever finishes
//! the block next in input order appends it (and every later one already
//! done) to the catalog's lines and ledger. So the lines are stored once, in
//! input order, which is what lets `freeze` hand them over without a copy.
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::error::ProductError;
use super::hash::hash_json;
use super::ledger::{Counts, Entry, Ledger, Made};
use super::ndjson;
use super::product::{normalize, Document};
use super::store::Options;
use super::value::Value;
use crate::memory::Region;
use bumpalo::Bump;

/// Most products a thread claims at a time: threads take blocks as they go
/// rather than a fixed share each, so one slowed down (by the machine, or by
/// heavier products) leaves the rest to the others instead of holding up the
/// call; 256 products are a few milliseconds of work and ~0.5 MB of lines,
/// which stay in the cache until they are appended.
const MAX_BLOCK: usize = 256;

/// The lines of a run of consecutive products and what each one made (`at`
/// counted from the start of `lines`).
#[derive(Default)]
pub struct Block {
    lines: Vec<u8>,
    made: Vec<Made>,
    counts: Counts,
}

impl Block {
    pub fn normalize(&mut self, product: Result<Value<'_>, ProductError>, options: &Options) {
        let made = product.and_then(|p| {
            let (doc, outcome) = normalize(&p, options)?;
            self.counts.repairs += outcome.repairs.utf8;
            self.counts.truncated += usize::from(outcome.truncated);
            Ok(self.store(&doc))
        });
        self.made.push(made);
    }

    /// Serializes the document, hashes it and appends its NDJSON line.
    fn store(&mut self, doc: &Document<'_>) -> Entry {
        let at = self.lines.len();
        ndjson::write_document(doc, &mut self.lines);
        let hash = hash_json(&self.lines[at..]);
        ndjson::append_hash(&mut self.lines, hash);
        Entry { id: doc.id, hash, frozen: false, at, len: self.lines.len() - at }
    }
}

/// The catalog's lines and ledger, which blocks are recorded into.
pub struct Sink<'c> {
    pub lines: &'c mut Region,
    pub ledger: &'c mut Ledger,
}

impl Sink<'_> {
    /// Appends the block's lines and records its results; returns how many
    /// products it accepted.
    pub fn append(&mut self, mut block: Block) -> usize {
        let base = self.lines.len();
        self.lines.push(&block.lines);
        self.record(&mut block, base)
    }

    /// Records the block's results, its lines starting at `base`.
    fn record(&mut self, block: &mut Block, base: usize) -> usize {
        self.ledger.count(&mut block.counts);
        block.made.drain(..).map(|m| usize::from(self.ledger.record(m, base))).sum()
    }
}

/// A block whose place in the lines is claimed and recorded: its lines are
/// copied there after the lock is released, so the page faults of fresh
/// lines (most of the copy's cost) no longer hold up the other threads.
struct Placed {
    block: Block,
    to: *mut u8,
}

// SAFETY: `to` is a claimed range of the catalog's lines that only the
// thread holding this `Placed` writes (see `InOrder::place`).
unsafe impl Send for Placed {}

impl Placed {
    /// Copies the lines to their place; returns the emptied block.
    fn copy(mut self, in_flight: &AtomicUsize) -> Block {
        // SAFETY: `to` has `block.lines.len()` claimed bytes that nothing
        // else reads or writes, and the mapping cannot move meanwhile: it
        // grows only when no copy is in flight.
        unsafe { std::ptr::copy_nonoverlapping(self.block.lines.as_ptr(), self.to, self.block.lines.len()) };
        in_flight.fetch_sub(1, Ordering::Release);
        self.block.lines.clear();
        self.block
    }
}

/// Blocks finished out of order wait here for the ones before them.
struct InOrder<'c> {
    sink: Sink<'c>,
    next: usize,
    waiting: BTreeMap<usize, Block>,
    /// Emptied blocks, shared: a thread that copies many blocks at once
    /// would otherwise keep them all while the others allocate new ones.
    spare: Vec<Block>,
    accepted: usize,
}

impl InOrder<'_> {
    /// Claims the place of every block that is now next in line and records
    /// its results; the caller copies the lines. Growing the lines' mapping
    /// may move it, so it waits until no copy is in flight; a thread that
    /// holds copies of its own stops there instead (it would wait for
    /// itself) and comes back once they are made.
    fn place(&mut self, in_flight: &AtomicUsize) -> Vec<Placed> {
        let mut placed = Vec::new();
        while let Some(entry) = self.waiting.first_entry().filter(|e| *e.key() == self.next) {
            let len = entry.get().lines.len();
            if !self.sink.lines.has_room(len) {
                if !placed.is_empty() {
                    break;
                }
                while in_flight.load(Ordering::Acquire) != 0 {
                    std::thread::yield_now();
                }
                self.sink.lines.make_room(len);
            }
            let mut block = entry.remove();
            let base = self.sink.lines.len();
            // SAFETY: there is room; the range is written by the `Placed`
            // copy before anything reads the lines (`add_all` returns only
            // after every thread has made its copies), and the mapping grows
            // only when no copy is in flight.
            let to = unsafe { self.sink.lines.claim(len) };
            in_flight.fetch_add(1, Ordering::Relaxed);
            self.accepted += self.sink.record(&mut block, base);
            placed.push(Placed { block, to });
            self.next += 1;
        }
        placed
    }
}

/// Normalizes `items` (read by `read` into a per-thread arena) on `threads`
/// threads, this one included, and records them into `sink` in input order:
/// the outcome is the same as adding them one by one. Returns how many were
/// accepted.
pub fn add_all<T, R>(items: &[T], read: &R, options: &Options, threads: usize, sink: Sink<'_>) -> usize
where
    T: Sync,
    R: for<'b> Fn(&'b T, &'b Bump) -> Result<Value<'b>, ProductError> + Sync,
{
    // Several blocks per thread even for small calls, so they can even out.
    let size = if threads > 1 { (items.len() / (threads * 8)).clamp(1, MAX_BLOCK) } else { MAX_BLOCK };
    let claimed = AtomicUsize::new(0);
    let in_flight = AtomicUsize::new(0);
    let order = Mutex::new(InOrder { sink, next: 0, waiting: BTreeMap::new(), spare: Vec::new(), accepted: 0 });
    let lock = || order.lock().unwrap_or_else(PoisonError::into_inner);
    let work = || {
        let mut arena = Bump::new();
        let mut next_block = Block::default();
        loop {
            let number = claimed.fetch_add(1, Ordering::Relaxed);
            let Some(part) = items.chunks(size).nth(number) else { break };
            let mut block = std::mem::take(&mut next_block);
            for item in part {
                block.normalize(read(item, &arena), options);
                arena.reset();
            }
            let mut placed = {
                let mut order = lock();
                order.waiting.insert(number, block);
                next_block = order.spare.pop().unwrap_or_default();
                order.place(&in_flight)
            };
            // Copy outside the lock, then look once more: placing may have
            // stopped at a block that needs the mapping to grow.
            while !placed.is_empty() {
                let copied: Vec<Block> = placed.into_iter().map(|p| p.copy(&in_flight)).collect();
                let mut order = lock();
                order.spare.extend(copied);
                placed = order.place(&in_flight);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    order.into_inner().unwrap_or_else(PoisonError::into_inner).accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of one product whose line is `len` bytes of `fill`.
    fn block(id: i64, len: usize, fill: u8) -> Block {
        let entry = Entry { id, hash: 0, frozen: false, at: 0, len };
        Block { lines: vec![fill; len], made: vec![Ok(entry)], counts: Counts::default() }
    }

    #[test]
    fn placing_stops_before_growing_while_its_own_copies_are_in_flight() {
        let (mut lines, mut ledger) = (Region::new(0), Ledger::default());
        let in_flight = AtomicUsize::new(0);
        let mut order = InOrder {
            sink: Sink { lines: &mut lines, ledger: &mut ledger },
            next: 0,
            waiting: BTreeMap::new(),
            spare: Vec::new(),
            accepted: 0,
        };
        // Blocks 1 and 2 are done before block 0; the first mapping (1 MiB)
        // holds blocks 0 and 1 but not 2.
        order.waiting.insert(2, block(3, 600_000, b'c'));
        order.waiting.insert(1, block(2, 300_000, b'b'));
        assert!(order.place(&in_flight).is_empty(), "block 0 is not done yet");
        order.waiting.insert(0, block(1, 400_000, b'a'));
        let first = order.place(&in_flight);
        assert_eq!(first.len(), 2, "stops before block 2, which needs the mapping to grow");
        assert_eq!(in_flight.load(Ordering::Relaxed), 2);
        let copied: Vec<Block> = first.into_iter().map(|p| p.copy(&in_flight)).collect();
        assert!(copied.iter().all(|b| b.lines.is_empty() && b.made.is_empty()));
        let second = order.place(&in_flight);
        assert_eq!(second.len(), 1);
        second.into_iter().for_each(|p| drop(p.copy(&in_flight)));
        assert_eq!((order.next, order.accepted, in_flight.load(Ordering::Relaxed)), (3, 3, 0));
        let at: Vec<usize> = ledger.entries.iter().map(|e| e.at).collect();
        assert_eq!(at, [0, 400_000, 700_000]);
        let bytes = lines.as_bytes();
        assert_eq!(bytes.len(), 1_300_000);
        assert!(bytes[..400_000].iter().all(|&b| b == b'a'));
        assert!(bytes[400_000..700_000].iter().all(|&b| b == b'b'));
        assert!(bytes[700_000..].iter().all(|&b| b == b'c'));
    }
}

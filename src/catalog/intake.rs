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
    /// Appends the block's lines, records its results, and empties it for
    /// reuse; returns how many products it accepted.
    pub fn append(&mut self, block: &mut Block) -> usize {
        let base = self.lines.len();
        self.lines.push(&block.lines);
        self.ledger.count(&mut block.counts);
        let accepted = block.made.drain(..).map(|m| usize::from(self.ledger.record(m, base))).sum();
        block.lines.clear();
        accepted
    }
}

/// Blocks finished out of order wait here for the ones before them.
struct InOrder<'c> {
    sink: Sink<'c>,
    next: usize,
    waiting: BTreeMap<usize, Block>,
    spare: Vec<Block>,
    accepted: usize,
}

impl InOrder<'_> {
    /// Takes block `number` and appends every block that is now next in
    /// line; returns an empty block to fill next.
    fn finish(&mut self, number: usize, block: Block) -> Block {
        self.waiting.insert(number, block);
        while let Some(mut block) = self.waiting.remove(&self.next) {
            self.accepted += self.sink.append(&mut block);
            self.spare.push(block);
            self.next += 1;
        }
        self.spare.pop().unwrap_or_default()
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
    let order = Mutex::new(InOrder { sink, next: 0, waiting: BTreeMap::new(), spare: Vec::new(), accepted: 0 });
    let work = || {
        let mut arena = Bump::new();
        let mut block = Block::default();
        loop {
            let number = claimed.fetch_add(1, Ordering::Relaxed);
            let Some(part) = items.chunks(size).nth(number) else { break };
            for item in part {
                block.normalize(read(item, &arena), options);
                arena.reset();
            }
            block = order.lock().unwrap_or_else(PoisonError::into_inner).finish(number, block);
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

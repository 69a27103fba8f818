//! `Catalog`: the accepted documents with their hashes, the rejections, and
//! everything computed from them (diff, NDJSON, batches, the search index).
use std::collections::HashMap;
use std::path::Path;

use super::batches;
use super::error::{CatalogError, ProductError, ProductId};
use super::hash::{hash_json, hex};
use super::index;
use super::ndjson;
use super::product::{normalize, Document};
use super::value::Value;
use bumpalo::Bump;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Normalizes `items` in order into `lines`, reusing `arena` for every
/// product's input tree. Each result goes to `sink` as soon as it is made.
fn run_all<T, R>(items: &[T], read: &R, options: &Options, arena: &mut Bump, lines: &mut Lines, sink: &mut impl FnMut(Made)) -> Counts
where
    R: for<'b> Fn(&'b T, &'b Bump) -> Result<Value<'b>, ProductError>,
{
    let mut counts = Counts::default();
    for item in items {
        let made = match read(item, arena) {
            Ok(product) => counts.normalize(&product, options, lines),
            Err(e) => Err(e),
        };
        sink(made);
        arena.reset();
    }
    counts
}

/// What one thread of `add_all` made: its blocks' results (block number,
/// results in input order) and its counters; the lines are in its `Lines`.
#[derive(Default)]
struct Done {
    blocks: Vec<(usize, Vec<Made>)>,
    counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Longest `text` in characters (Unicode scalar values); cut at a word boundary.
    pub max_description_chars: usize,
    /// Store currency for products that carry none (ISO 4217, upper-cased).
    pub currency: String,
    /// Decimals of every price (WooCommerce's "Number of decimals", 0–6).
    pub price_decimals: usize,
    /// Threads `add_all` may use; 0 picks the machine's parallelism (at most 4).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { max_description_chars: 2000, currency: "USD".into(), price_decimals: 2, threads: 0 }
    }
}

impl Options {
    pub fn validate(mut self) -> Result<Self, CatalogError> {
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(CatalogError::InvalidArgument(format!(
                "currency must be a 3-letter ISO 4217 code, got '{}'",
                self.currency
            )));
        }
        self.currency.make_ascii_uppercase();
        if self.price_decimals > 6 {
            return Err(CatalogError::InvalidArgument("price_decimals must be between 0 and 6".into()));
        }
        if self.max_description_chars > 1_000_000 {
            return Err(CatalogError::InvalidArgument("max_description_chars must be between 0 and 1000000".into()));
        }
        if self.threads > 64 {
            return Err(CatalogError::InvalidArgument("threads must be between 0 (automatic) and 64".into()));
        }
        Ok(self)
    }

    /// The number of threads to use: `threads`, or the available parallelism.
    pub fn threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            n => n,
        }
    }
}

/// What normalization did, for progress screens and logs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub products: usize,
    pub rejected: usize,
    pub utf8_repairs: usize,
    pub truncated: usize,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diff {
    pub changed: Vec<i64>,
    pub deleted: Vec<i64>,
    pub unchanged: usize,
}

/// Where a product's NDJSON line lives: in `chunks[chunk]`, or in the frozen
/// output when `chunk == FROZEN`.
struct Entry {
    id: i64,
    hash: u128,
    chunk: usize,
    at: usize,
    len: usize,
}

const FROZEN: usize = usize::MAX;

/// Lines are appended to fixed-size chunks rather than one growing buffer or
/// one allocation per product: no reallocation copies, and (being above the
/// allocator's mmap threshold) each chunk goes back to the OS when freed, which
/// is what lets `freeze` move the lines out without doubling the peak memory.
/// 1 MiB keeps what `freeze` holds twice at any moment small.
const CHUNK: usize = 1 << 20;

/// One contiguous buffer holding the whole NDJSON output, filled front to back.
/// The PHP layer implements it over an engine string so `toNdjson()` can return
/// the catalog's own storage instead of a copy.
pub trait FrozenLines: Sized {
    fn with_len(len: usize) -> Self;
    /// Appends after what was written so far; never past `len` in total.
    fn push(&mut self, bytes: &[u8]);
    /// What was written so far.
    fn as_bytes(&self) -> &[u8];
}

impl FrozenLines for Vec<u8> {
    fn with_len(len: usize) -> Self {
        Vec::with_capacity(len)
    }
    fn push(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
    fn as_bytes(&self) -> &[u8] {
        self
    }
}

pub struct Catalog<F: FrozenLines = Vec<u8>> {
    options: Options,
    ledger: Ledger,
    batch_errors: Vec<ProductError>,
    lines: Lines,
    /// The last `freeze` output; entries with `chunk == FROZEN` point into it.
    frozen: Option<F>,
    /// True when `frozen` is exactly the current NDJSON (nothing added since).
    frozen_current: bool,
}

impl<F: FrozenLines> Default for Catalog<F> {
    fn default() -> Self {
        Self {
            options: Options::default(),
            ledger: Ledger::default(),
            batch_errors: Vec::new(),
            lines: Lines::default(),
            frozen: None,
            frozen_current: false,
        }
    }
}

/// NDJSON lines in fixed-size chunks, plus the per-product scratch buffer.
#[derive(Default)]
struct Lines {
    chunks: Vec<Vec<u8>>,
    /// Reused per product for the canonical JSON.
    scratch: Vec<u8>,
}

impl Lines {
    /// Serializes the document, hashes it, and appends its NDJSON line to the
    /// current chunk.
    fn store(&mut self, doc: &Document<'_>) -> Entry {
        self.scratch.clear();
        ndjson::write_document(doc, &mut self.scratch);
        let hash = hash_json(&self.scratch);
        ndjson::append_hash(&mut self.scratch, hash);
        let len = self.scratch.len();
        let fits = self.chunks.last().is_some_and(|c| c.capacity() - c.len() >= len);
        if !fits {
            self.chunks.push(Vec::with_capacity(CHUNK.max(len)));
        }
        let chunk = self.chunks.len() - 1;
        let buf = &mut self.chunks[chunk];
        let at = buf.len();
        buf.extend_from_slice(&self.scratch);
        Entry { id: doc.id, hash, chunk, at, len }
    }
}

/// What normalizing one product made: its line, or why it was rejected.
type Made = Result<Entry, ProductError>;

/// What normalization repaired in a run of products.
#[derive(Default)]
struct Counts {
    repairs: usize,
    truncated: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.repairs += other.repairs;
        self.truncated += other.truncated;
    }

    fn normalize(&mut self, product: &Value<'_>, options: &Options, lines: &mut Lines) -> Made {
        normalize(product, options).map(|(doc, outcome)| {
            self.repairs += outcome.repairs.utf8;
            self.truncated += usize::from(outcome.truncated);
            lines.store(&doc)
        })
    }
}

/// The accepted lines in first-seen order with their index by id, the
/// rejections, and the repair counters.
#[derive(Default)]
struct Ledger {
    entries: Vec<Entry>,
    /// foldhash rather than SipHash: a lookup per product; ids are numbers
    /// and the seed is still random per map.
    by_id: foldhash::HashMap<i64, usize>,
    errors: Vec<ProductError>,
    repairs: usize,
    truncated: usize,
}

impl Ledger {
    /// Records one result (its chunk offset by `base`); true when accepted.
    fn record(&mut self, made: Made, base: usize) -> bool {
        match made {
            Ok(mut entry) => {
                entry.chunk += base;
                match self.by_id.get(&entry.id) {
                    Some(&i) => self.entries[i] = entry,
                    None => {
                        self.by_id.insert(entry.id, self.entries.len());
                        self.entries.push(entry);
                    }
                }
                true
            }
            Err(e) => {
                self.errors.push(e);
                false
            }
        }
    }

    fn count(&mut self, counts: Counts) {
        self.repairs += counts.repairs;
        self.truncated += counts.truncated;
    }
}

/// Fewest products worth a thread of their own.
const MIN_PER_THREAD: usize = 64;

/// Most products a thread claims at a time: threads take blocks as they go
/// rather than a fixed share each, so one slowed down (by the machine, or by
/// heavier products) leaves the rest to the others instead of holding up the
/// call; 256 products are a few milliseconds of work.
const MAX_BLOCK: usize = 256;

impl<F: FrozenLines> Catalog<F> {
    pub fn new(options: Options) -> Result<Self, CatalogError> {
        Ok(Self { options: options.validate()?, ..Self::default() })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Adds one product (or replaces the one with the same id). `Err` carries a
    /// rejection the caller already knows about (e.g. nesting too deep).
    pub fn add(&mut self, product: Result<Value<'_>, ProductError>) -> bool {
        let mut counts = Counts::default();
        let made = product.and_then(|p| counts.normalize(&p, &self.options, &mut self.lines));
        self.ledger.count(counts);
        let accepted = self.ledger.record(made, 0);
        self.frozen_current &= !accepted;
        accepted
    }

    /// Adds (or replaces, by id) many products, read from the caller's data by
    /// `read` into a per-thread arena; returns how many were accepted. Large
    /// calls are split over `Options::threads` threads: normalization only
    /// reads the input, and the results are recorded in input order, so the
    /// outcome is the same as adding them one by one.
    pub fn add_all<T, R>(&mut self, items: &[T], read: R) -> usize
    where
        T: Sync,
        R: for<'b> Fn(&'b T, &'b Bump) -> Result<Value<'b>, ProductError> + Sync,
    {
        // Grown once rather than doubled (and briefly held twice) along the way.
        self.ledger.entries.reserve(items.len());
        self.ledger.by_id.reserve(items.len());
        let threads = self.options.threads().min(items.len() / MIN_PER_THREAD).max(1);
        let accepted = if threads == 1 {
            let (ledger, mut accepted) = (&mut self.ledger, 0);
            let mut arena = Bump::new();
            let counts = run_all(items, &read, &self.options, &mut arena, &mut self.lines, &mut |m| {
                accepted += usize::from(ledger.record(m, 0));
            });
            ledger.count(counts);
            accepted
        } else {
            self.add_parallel(items, &read, threads)
        };
        self.frozen_current &= accepted == 0;
        accepted
    }

    /// `add_all` over `threads` threads, this one included: each claims
    /// blocks of products in turn, into lines of its own; the results are
    /// recorded in input order once all are done.
    fn add_parallel<T, R>(&mut self, items: &[T], read: &R, threads: usize) -> usize
    where
        T: Sync,
        R: for<'b> Fn(&'b T, &'b Bump) -> Result<Value<'b>, ProductError> + Sync,
    {
        // Several blocks per thread even for small calls, so they can even out.
        let block = (items.len() / (threads * 8)).clamp(1, MAX_BLOCK);
        let blocks = items.len().div_ceil(block);
        let next = AtomicUsize::new(0);
        let options = &self.options;
        let work = |lines: &mut Lines| {
            let mut done = Done::default();
            let mut arena = Bump::new();
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                let Some(part) = items.chunks(block).nth(b) else { break };
                let mut made = Vec::with_capacity(part.len());
                let counts = run_all(part, read, options, &mut arena, lines, &mut |m| made.push(m));
                done.counts.add(counts);
                done.blocks.push((b, made));
            }
            done
        };
        let own = &mut self.lines;
        let (mine, others) = std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut lines = Lines::default();
                        (work(&mut lines), lines)
                    })
                })
                .collect();
            let mine = work(own);
            (mine, workers.into_iter().map(|w| w.join()).collect::<Vec<_>>())
        });
        // Each block's results with where its thread's chunks start.
        let mut ordered: Vec<Option<(usize, Vec<Made>)>> = Vec::new();
        ordered.resize_with(blocks, || None);
        let mut place = |done: Done, base: usize, ledger: &mut Ledger| {
            ledger.count(done.counts);
            for (b, made) in done.blocks {
                ordered[b] = Some((base, made));
            }
        };
        place(mine, 0, &mut self.ledger);
        for joined in others {
            // A panic is a bug, never input: rethrown as it was.
            let (done, lines) = joined.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let base = self.lines.chunks.len();
            let mut chunks = lines.chunks;
            // The thread's last chunk is mostly empty capacity: give it back.
            if let Some(last) = chunks.last_mut() {
                last.shrink_to_fit();
            }
            self.lines.chunks.extend(chunks);
            place(done, base, &mut self.ledger);
        }
        let mut accepted = 0;
        for (base, made) in ordered.into_iter().flatten() {
            for m in made {
                accepted += usize::from(self.ledger.record(m, base));
            }
        }
        accepted
    }

    pub fn reject(&mut self, error: ProductError) {
        self.ledger.errors.push(error);
    }

    pub fn len(&self) -> usize {
        self.ledger.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ledger.entries.is_empty()
    }

    pub fn errors(&self) -> impl Iterator<Item = &ProductError> {
        self.ledger.errors.iter().chain(self.batch_errors.iter())
    }

    pub fn stats(&self) -> Stats {
        Stats {
            products: self.ledger.entries.len(),
            rejected: self.ledger.errors.len(),
            utf8_repairs: self.ledger.repairs,
            truncated: self.ledger.truncated,
        }
    }

    fn line(&self, e: &Entry) -> &[u8] {
        let buf = match e.chunk {
            FROZEN => self.frozen.as_ref().map_or(&[][..], F::as_bytes),
            i => self.lines.chunks.get(i).map_or(&[][..], Vec::as_slice),
        };
        buf.get(e.at..e.at + e.len).unwrap_or_default()
    }

    /// The NDJSON lines in output order.
    pub fn lines(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.ledger.entries.iter().map(|e| self.line(e))
    }

    /// The normalized documents, parsed back from their NDJSON lines (the
    /// extra `hash` field is ignored).
    pub fn documents(&self) -> impl Iterator<Item = Result<Document<'static>, CatalogError>> + '_ {
        self.ledger.entries.iter().map(|e| {
            serde_json::from_slice(self.line(e)).map_err(|err| CatalogError::Index(format!("product {}: {err}", e.id)))
        })
    }

    pub fn hashes(&self) -> impl Iterator<Item = (i64, String)> + '_ {
        self.ledger.entries.iter().map(|e| (e.id, hex(e.hash)))
    }

    /// Compares with the hashes of the last sync (id → hex hash).
    pub fn diff(&self, previous: &[(i64, String)]) -> Diff {
        let before: HashMap<i64, &str> = previous.iter().map(|(id, h)| (*id, h.as_str())).collect();
        let mut diff = Diff::default();
        for e in &self.ledger.entries {
            match before.get(&e.id) {
                Some(h) if h.eq_ignore_ascii_case(&hex(e.hash)) => diff.unchanged += 1,
                _ => diff.changed.push(e.id),
            }
        }
        diff.deleted = previous.iter().map(|(id, _)| *id).filter(|id| !self.ledger.by_id.contains_key(id)).collect();
        diff
    }

    /// The whole NDJSON as one buffer, which from then on is also the
    /// catalog's storage: the lines are moved (not copied) into it, each chunk
    /// freed once its last line is out, so the catalog never holds the output
    /// twice. Calling it again without changes returns the same buffer.
    pub fn freeze(&mut self) -> &F {
        if !(self.frozen_current && self.frozen.is_some()) {
            let total: usize = self.ledger.entries.iter().map(|e| e.len).sum();
            let mut out = F::with_len(total);
            let mut live = vec![0usize; self.lines.chunks.len()];
            for e in &self.ledger.entries {
                if let Some(n) = live.get_mut(e.chunk) {
                    *n += 1;
                }
            }
            let mut entries = std::mem::take(&mut self.ledger.entries);
            for e in &mut entries {
                let at = out.as_bytes().len();
                out.push(self.line(e));
                if let Some(n) = live.get_mut(e.chunk) {
                    *n -= 1;
                    if *n == 0 {
                        self.lines.chunks[e.chunk] = Vec::new();
                    }
                }
                e.chunk = FROZEN;
                e.at = at;
            }
            self.ledger.entries = entries;
            self.lines.chunks = Vec::new();
            self.frozen = Some(out);
            self.frozen_current = true;
        }
        // Always `Some` here: set above or already current.
        self.frozen.get_or_insert_with(|| F::with_len(0))
    }

    pub fn to_ndjson(&self) -> Vec<u8> {
        self.lines().flatten().copied().collect()
    }

    /// NDJSON payloads of at most `max_bytes`; products larger than that are
    /// reported in `errors()` (replacing those of the previous call).
    pub fn batches(&mut self, max_bytes: usize) -> Result<Vec<Vec<u8>>, CatalogError> {
        if max_bytes == 0 {
            return Err(CatalogError::InvalidArgument("maxBytes must be at least 1".into()));
        }
        let (batches, oversized) = batches::pack(self.lines(), max_bytes);
        self.batch_errors = oversized
            .into_iter()
            .map(|(i, len)| ProductError {
                id: ProductId::Int(self.ledger.entries[i].id),
                error: format!("the product's NDJSON line is {len} bytes, larger than maxBytes ({max_bytes})"),
            })
            .collect();
        Ok(batches)
    }

    pub fn write_index(&self, dir: &Path) -> Result<(), CatalogError> {
        index::write(dir, self.documents())
    }
}

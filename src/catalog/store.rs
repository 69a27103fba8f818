//! `Catalog`: the accepted documents with their hashes, the rejections, and
//! everything computed from them (diff, NDJSON, batches, the search index).
use std::collections::HashMap;
use std::mem::MaybeUninit;
use std::path::Path;

use super::background::{IndexJob, LinesView};
use super::batches;
use super::error::{CatalogError, ProductError, ProductId};
use super::hash::hex;
use super::index;
use super::intake::{self, Block, Sink};
use super::ledger::{Entry, Ledger};
use super::product::Document;
use super::value::Value;
use crate::memory::Region;
use bumpalo::Bump;

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

/// One contiguous buffer holding the whole NDJSON output. The PHP layer
/// implements it over an engine string so `toNdjson()` can return the
/// catalog's own storage instead of a copy.
pub trait FrozenLines: Sized {
    /// Where the bytes start in the first page of such a buffer (the engine
    /// string's header comes first): the catalog lays its lines out the
    /// same way so `adopt` can move whole pages.
    const LEAD: usize = 0;
    /// Room for `len` bytes, none written yet.
    fn with_len(len: usize) -> Self;
    /// The room: at least the `len` bytes asked for.
    fn room(&mut self) -> &mut [MaybeUninit<u8>];
    /// Records that the first `len` bytes of `room()` are written.
    ///
    /// # Safety
    /// Each of those bytes was written through `room()`.
    unsafe fn set_written(&mut self, len: usize);
    /// A buffer holding exactly the region's bytes.
    fn adopt(lines: Region) -> Self;
    /// What was written.
    fn as_bytes(&self) -> &[u8];
}

impl FrozenLines for Vec<u8> {
    fn with_len(len: usize) -> Self {
        Vec::with_capacity(len)
    }
    fn room(&mut self) -> &mut [MaybeUninit<u8>] {
        self.clear();
        self.spare_capacity_mut()
    }
    unsafe fn set_written(&mut self, len: usize) {
        // SAFETY: the caller wrote these bytes; `room()` had at least `len`.
        unsafe { self.set_len(len) }
    }
    fn adopt(lines: Region) -> Self {
        lines.as_bytes().to_vec()
    }
    fn as_bytes(&self) -> &[u8] {
        self
    }
}

pub struct Catalog<F: FrozenLines = Vec<u8>> {
    options: Options,
    ledger: Ledger,
    batch_errors: Vec<ProductError>,
    /// The NDJSON lines added since the last `freeze`, in the order they
    /// were recorded.
    lines: Region,
    /// The last `freeze` output; entries with `frozen` point into it.
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
            lines: Region::new(F::LEAD),
            frozen: None,
            frozen_current: false,
        }
    }
}

/// Fewest products worth a thread of their own.
const MIN_PER_THREAD: usize = 64;

/// Pages of the output are faulted in this far ahead of `freeze`'s copy:
/// one system call per MiB instead of 256 page faults, and the lines already
/// copied are given back at the same pace (faulting the whole output in at
/// once would hold it next to the lines: twice the memory).
const COPY_WINDOW: usize = 1 << 20;

/// The entry's line in `bytes` (the catalog's lines or the frozen output).
fn line_at<'b>(bytes: &'b [u8], e: &Entry) -> &'b [u8] {
    bytes.get(e.at..e.at + e.len).unwrap_or_default()
}

/// Writes every byte of `to`: the line, or zeros if it is missing (never
/// expected: entries and lines are kept in step).
fn copy_line(line: &[u8], to: &mut [MaybeUninit<u8>]) {
    if line.len() == to.len() {
        // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, both slices have
        // the same length, and they cannot overlap (`to` is borrowed mutably).
        unsafe { std::ptr::copy_nonoverlapping(line.as_ptr(), to.as_mut_ptr().cast::<u8>(), line.len()) };
    } else {
        to.fill(MaybeUninit::new(0));
    }
}

/// True when the entries are exactly `lines`, in order: the usual first
/// sync, with no product replaced, whose lines can become the output as they are.
fn in_place(entries: &[Entry], lines: &Region) -> bool {
    let mut at = 0;
    entries.iter().all(|e| {
        let next = !e.frozen && e.at == at;
        at += e.len;
        next
    }) && at == lines.len()
}

/// Copies the entries' lines (from `lines` or the previous output) into a new
/// output in entry order, pointing each entry at its new place. The front of
/// `lines` goes back to the system as soon as no entry still to be copied
/// lies in it.
fn copy_out<F: FrozenLines>(entries: &mut [Entry], mut lines: Region, frozen: &[u8]) -> F {
    let total: usize = entries.iter().map(|e| e.len).sum();
    // lowest[i]: the lowest offset in `lines` of entries i.. (usize::MAX: none).
    let mut lowest = vec![usize::MAX; entries.len() + 1];
    for (i, e) in entries.iter().enumerate().rev() {
        lowest[i] = lowest[i + 1].min(if e.frozen { usize::MAX } else { e.at });
    }
    let mut out = F::with_len(total);
    let room = &mut out.room()[..total];
    let (mut filled, mut prefaulted) = (0, 0);
    for (i, e) in entries.iter_mut().enumerate() {
        let end = filled + e.len;
        if end > prefaulted {
            let upto = end.next_multiple_of(COPY_WINDOW).min(total);
            crate::memory::prefault_for_writing(room[prefaulted..upto].as_mut_ptr().cast(), upto - prefaulted);
            prefaulted = upto;
            lines.discard_before(lowest[i]);
        }
        copy_line(line_at(if e.frozen { frozen } else { lines.as_bytes() }, e), &mut room[filled..end]);
        e.frozen = true;
        e.at = filled;
        filled = end;
    }
    // SAFETY: `copy_line` wrote every byte of `room[..total]`, entry by entry.
    unsafe { out.set_written(total) };
    out
}

impl<F: FrozenLines> Catalog<F> {
    pub fn new(options: Options) -> Result<Self, CatalogError> {
        Ok(Self { options: options.validate()?, ..Self::default() })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    fn sink(&mut self) -> Sink<'_> {
        Sink { lines: &mut self.lines, ledger: &mut self.ledger }
    }

    /// Adds one product (or replaces the one with the same id). `Err` carries a
    /// rejection the caller already knows about (e.g. nesting too deep).
    pub fn add(&mut self, product: Result<Value<'_>, ProductError>) -> bool {
        let mut block = Block::default();
        block.normalize(product, &self.options);
        let accepted = self.sink().append(block) > 0;
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
        let sink = Sink { lines: &mut self.lines, ledger: &mut self.ledger };
        let accepted = intake::add_all(items, &read, &self.options, threads, sink);
        self.frozen_current &= accepted == 0;
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
        let bytes = match (e.frozen, &self.frozen) {
            (true, Some(frozen)) => frozen.as_bytes(),
            (true, None) => &[],
            (false, _) => self.lines.as_bytes(),
        };
        line_at(bytes, e)
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
    /// catalog's storage, so the catalog never holds the output twice. When
    /// the lines already are the output (nothing replaced since the last
    /// freeze) their pages are handed over as they are; otherwise they are
    /// copied, each part given back once copied. Calling it again without
    /// changes returns the same buffer.
    pub fn freeze(&mut self) -> &F {
        if !(self.frozen_current && self.frozen.is_some()) {
            let lines = std::mem::replace(&mut self.lines, Region::new(F::LEAD));
            let entries = &mut self.ledger.entries;
            let out = if in_place(entries, &lines) {
                entries.iter_mut().for_each(|e| e.frozen = true);
                F::adopt(lines)
            } else {
                copy_out(entries, lines, self.frozen.as_ref().map_or(&[][..], F::as_bytes))
            };
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

    pub fn write_index(&self, dir: &Path, settings: &index::IndexSettings) -> Result<(), CatalogError> {
        index::write(dir, self.documents(), settings)
    }

    /// `write_index` on a thread of its own; `IndexJob::wait` for the outcome.
    ///
    /// # Safety
    /// The job reads this catalog's storage in place: the catalog must not be
    /// changed (no `&mut self` call) or dropped until the job has been waited
    /// for or dropped.
    pub unsafe fn index_in_background(&self, dir: &Path, settings: index::IndexSettings) -> Result<IndexJob, CatalogError> {
        let spans = self.ledger.entries.iter().map(|e| (e.id, e.frozen, e.at, e.len)).collect();
        let frozen = self.frozen.as_ref().map_or(&[][..], F::as_bytes);
        IndexJob::spawn(LinesView::new(self.lines.as_bytes(), frozen, spans), dir.to_path_buf(), settings)
    }
}

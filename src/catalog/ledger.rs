//! What the catalog keeps per product (where its line is, its hash), the
//! rejections, and the repair counters.
use super::error::ProductError;

/// Where a product's NDJSON line lives: in the catalog's lines, or in the
/// frozen output when `frozen`.
pub struct Entry {
    pub id: i64,
    pub hash: u128,
    pub frozen: bool,
    pub at: usize,
    pub len: usize,
}

/// What normalizing one product made: its line, or why it was rejected.
pub type Made = Result<Entry, ProductError>;

/// What normalization repaired in a run of products.
#[derive(Default)]
pub struct Counts {
    pub repairs: usize,
    pub truncated: usize,
}

/// The accepted lines in first-seen order with their index by id, the
/// rejections, and the repair counters.
#[derive(Default)]
pub struct Ledger {
    pub entries: Vec<Entry>,
    /// foldhash rather than SipHash: a lookup per product; ids are numbers
    /// and the seed is still random per map.
    pub by_id: foldhash::HashMap<i64, usize>,
    pub errors: Vec<ProductError>,
    pub repairs: usize,
    pub truncated: usize,
}

impl Ledger {
    /// Records one result (its line `base` bytes further on); true when
    /// accepted. A known id keeps its place and takes the new line.
    pub fn record(&mut self, made: Made, base: usize) -> bool {
        match made {
            Ok(mut entry) => {
                entry.at += base;
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

    pub fn count(&mut self, counts: &mut Counts) {
        let counts = std::mem::take(counts);
        self.repairs += counts.repairs;
        self.truncated += counts.truncated;
    }
}

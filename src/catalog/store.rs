//! `Catalog`: the accepted documents with their hashes, the rejections, and
//! everything computed from them (diff, NDJSON, batches, the search index).
use std::collections::HashMap;
use std::path::Path;

use super::batches;
use super::error::{CatalogError, ProductError, ProductId};
use super::hash::{content_hash, hex};
use super::index;
use super::ndjson::{copy_line, write_line, HASH_SUFFIX_LEN};
use super::product::{normalize, Document};
use super::value::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Longest `text` in characters (Unicode scalar values); cut at a word boundary.
    pub max_description_chars: usize,
    /// Store currency for products that carry none (ISO 4217, upper-cased).
    pub currency: String,
    /// Decimals of every price (WooCommerce's "Number of decimals", 0–6).
    pub price_decimals: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { max_description_chars: 2000, currency: "USD".into(), price_decimals: 2 }
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
        Ok(self)
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

/// A product is kept as its canonical JSON: compact, and NDJSON output is a copy.
struct Entry {
    id: i64,
    hash: u128,
    json: Box<[u8]>,
}

#[derive(Default)]
pub struct Catalog {
    options: Options,
    entries: Vec<Entry>,
    by_id: HashMap<i64, usize>,
    errors: Vec<ProductError>,
    batch_errors: Vec<ProductError>,
    repairs: usize,
    truncated: usize,
}

impl Catalog {
    pub fn new(options: Options) -> Result<Self, CatalogError> {
        Ok(Self { options: options.validate()?, ..Self::default() })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Adds one product (or replaces the one with the same id). `Err` carries a
    /// rejection the caller already knows about (e.g. nesting too deep).
    pub fn add(&mut self, product: Result<Value<'_>, ProductError>) -> bool {
        let normalized = product.and_then(|p| normalize(&p, &self.options));
        match normalized {
            Ok((doc, outcome)) => {
                self.repairs += outcome.repairs.utf8;
                self.truncated += usize::from(outcome.truncated);
                let (json, hash) = content_hash(&doc);
                let entry = Entry { id: doc.id, hash, json: json.into_boxed_slice() };
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

    pub fn reject(&mut self, error: ProductError) {
        self.errors.push(error);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn errors(&self) -> impl Iterator<Item = &ProductError> {
        self.errors.iter().chain(self.batch_errors.iter())
    }

    pub fn stats(&self) -> Stats {
        Stats {
            products: self.entries.len(),
            rejected: self.errors.len(),
            utf8_repairs: self.repairs,
            truncated: self.truncated,
        }
    }

    /// The normalized documents, parsed back from their JSON.
    pub fn documents(&self) -> impl Iterator<Item = Result<Document, CatalogError>> + '_ {
        self.entries.iter().map(|e| {
            serde_json::from_slice(&e.json).map_err(|err| CatalogError::Index(format!("product {}: {err}", e.id)))
        })
    }

    pub fn hashes(&self) -> impl Iterator<Item = (i64, String)> + '_ {
        self.entries.iter().map(|e| (e.id, hex(e.hash)))
    }

    /// Compares with the hashes of the last sync (id → hex hash).
    pub fn diff(&self, previous: &[(i64, String)]) -> Diff {
        let before: HashMap<i64, &str> = previous.iter().map(|(id, h)| (*id, h.as_str())).collect();
        let mut diff = Diff::default();
        for e in &self.entries {
            match before.get(&e.id) {
                Some(h) if h.eq_ignore_ascii_case(&hex(e.hash)) => diff.unchanged += 1,
                _ => diff.changed.push(e.id),
            }
        }
        diff.deleted = previous.iter().map(|(id, _)| *id).filter(|id| !self.by_id.contains_key(id)).collect();
        diff
    }

    pub fn to_ndjson(&self) -> Vec<u8> {
        let mut out = vec![0; self.ndjson_len()];
        let written = self.write_ndjson(&mut out);
        out.truncate(written);
        out
    }

    /// Exact size of `to_ndjson()`, so a caller can allocate the output once.
    pub fn ndjson_len(&self) -> usize {
        self.entries.iter().map(|e| e.json.len() + HASH_SUFFIX_LEN).sum()
    }

    /// Writes the NDJSON into `out` (at least `ndjson_len()` bytes); returns the length.
    pub fn write_ndjson(&self, out: &mut [u8]) -> usize {
        let mut at = 0;
        for e in &self.entries {
            at += copy_line(&e.json, e.hash, out.get_mut(at..).unwrap_or_default());
        }
        at
    }

    /// NDJSON payloads of at most `max_bytes`; products larger than that are
    /// reported in `errors()` (replacing those of the previous call).
    pub fn batches(&mut self, max_bytes: usize) -> Result<Vec<Vec<u8>>, CatalogError> {
        if max_bytes == 0 {
            return Err(CatalogError::InvalidArgument("maxBytes must be at least 1".into()));
        }
        let lines: Vec<Vec<u8>> = self
            .entries
            .iter()
            .map(|e| {
                let mut line = Vec::with_capacity(e.json.len() + HASH_SUFFIX_LEN);
                write_line(&e.json, e.hash, &mut line);
                line
            })
            .collect();
        let (batches, oversized) = batches::pack(lines.iter().map(Vec::as_slice), max_bytes);
        self.batch_errors = oversized
            .into_iter()
            .map(|(i, len)| ProductError {
                id: ProductId::Int(self.entries[i].id),
                error: format!("the product's NDJSON line is {len} bytes, larger than maxBytes ({max_bytes})"),
            })
            .collect();
        Ok(batches)
    }

    pub fn write_index(&self, dir: &Path) -> Result<(), CatalogError> {
        index::write(dir, self.documents())
    }
}

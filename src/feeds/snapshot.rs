//! The feeds written straight from a snapshot file (the NDJSON of adapter rows a sync
//! keeps, one product a line), a product at a time: each line is decoded, normalized and
//! written, and nothing of it is kept, so memory does not grow with the catalog. The
//! files are the ones `Catalog::writeProductFeed` writes for a catalog built from the same
//! file (each line decoded as `json_decode` would, lines that are not JSON left out, a
//! repeated id keeping its first place and its last accepted version).
use std::collections::{HashMap, HashSet};
use std::path::Path;

use bumpalo::Bump;

use super::openai::FeedOptions;
use super::store::Writer;
use super::FeedReport;
use crate::catalog::snapshot::Lines;
pub use crate::catalog::snapshot::MAX_LINE;
use crate::catalog::{decode_json, input_error, normalize, CatalogError, DecodeError, Document, Options, ProductError, ProductId};

/// Rejections reported by line, the first ones only.
const MAX_ERRORS: usize = 20;

/// What a snapshot write did besides the feed: lines read, lines that are not a product the
/// catalog accepts (not JSON, or refused by normalization) with the first reasons.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SnapshotReport {
    pub feed: FeedReport,
    pub lines: usize,
    pub rejected: usize,
    /// (1-based line number, product id as far as known, why).
    pub errors: Vec<(usize, ProductError)>,
}

/// One line's outcome.
// One at a time, returned by value: boxing the document would cost an allocation a product.
#[allow(clippy::large_enum_variant)]
enum Line<'a> {
    Blank,
    Product(Document<'a>),
    Rejected(ProductError),
}

fn read_line<'a>(line: &'a [u8], fits: bool, catalog: &'a Options, arena: &'a Bump) -> Line<'a> {
    if !fits {
        return Line::Rejected(ProductError { id: ProductId::Unknown, error: format!("line longer than {MAX_LINE} bytes") });
    }
    if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        return Line::Blank;
    }
    match decode_json(line, arena) {
        Err(DecodeError::Syntax(what, at)) => Line::Rejected(ProductError { id: ProductId::Unknown, error: DecodeError::Syntax(what, at).to_string() }),
        Err(DecodeError::Input(e)) => Line::Rejected(input_error(None, &e)),
        Ok(v) => {
            // `arena` outlives the document: the tree is allocated there too.
            let v: &'a crate::catalog::Value<'a> = arena.alloc(v);
            match normalize(v, catalog) {
                Ok((doc, _)) => Line::Product(doc),
                Err(e) => Line::Rejected(e),
            }
        }
    }
}

/// What a pass over the file ended with.
enum Pass {
    Done(SnapshotReport),
    /// An id came twice: the pass is abandoned (its files removed) and redone knowing it.
    Repeated,
}

/// Writes the feeds into `dir` from the snapshot at `path`, products normalized with `catalog`.
pub fn write_from_snapshot(path: &Path, catalog: &Options, opts: &FeedOptions, dir: &Path) -> Result<SnapshotReport, CatalogError> {
    match pass(path, catalog, opts, dir, None)? {
        Pass::Done(report) => Ok(report),
        Pass::Repeated => {
            let last = last_versions(path, catalog)?;
            match pass(path, catalog, opts, dir, Some(&last))? {
                Pass::Done(report) => Ok(report),
                Pass::Repeated => Err(CatalogError::Io(format!("{} changed while it was read", path.display()))),
            }
        }
    }
}

/// One pass: every line decoded, normalized and written. Without `last` a repeated id ends
/// the pass; with it, a repeated id's first accepted line stands for its last accepted one.
fn pass(path: &Path, catalog: &Options, opts: &FeedOptions, dir: &Path, last: Option<&HashMap<i64, Document<'static>>>) -> Result<Pass, CatalogError> {
    let mut lines = Lines::open(path)?;
    let mut writer = Writer::create(dir, opts, &catalog.currency)?;
    let mut report = SnapshotReport::default();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut arena = Bump::new();
    let mut buf = Vec::new();
    while let Some(fits) = lines.next(&mut buf, path)? {
        report.lines += 1;
        match read_line(&buf, fits, catalog, &arena) {
            Line::Blank => {}
            Line::Rejected(e) => {
                report.rejected += 1;
                if report.errors.len() < MAX_ERRORS {
                    report.errors.push((lines.number, e));
                }
            }
            Line::Product(doc) => {
                let first = seen.insert(doc.id);
                match (last.and_then(|l| l.get(&doc.id)), first) {
                    (Some(final_doc), true) => writer.add(final_doc)?,
                    (Some(_), false) => {}
                    (None, true) => writer.add(&doc)?,
                    (None, false) => return Ok(Pass::Repeated),
                }
            }
        }
        arena.reset();
    }
    report.feed = writer.finish()?;
    Ok(Pass::Done(report))
}

/// The last accepted version of every id that has more than one, owned.
fn last_versions(path: &Path, catalog: &Options) -> Result<HashMap<i64, Document<'static>>, CatalogError> {
    let mut lines = Lines::open(path)?;
    let mut seen: HashSet<i64> = HashSet::new();
    let mut last = HashMap::new();
    let mut arena = Bump::new();
    let mut buf = Vec::new();
    while let Some(fits) = lines.next(&mut buf, path)? {
        if let Line::Product(doc) = read_line(&buf, fits, catalog, &arena) {
            if !seen.insert(doc.id) {
                // Owned through its JSON, as `Catalog::documents` reads its lines back.
                let json = serde_json::to_vec(&doc).map_err(|e| CatalogError::Io(e.to_string()))?;
                let owned: Document<'static> = serde_json::from_slice(&json).map_err(|e| CatalogError::Index(format!("product {}: {e}", doc.id)))?;
                last.insert(doc.id, owned);
            }
        }
        arena.reset();
    }
    Ok(last)
}

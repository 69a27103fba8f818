//! Writing the feed files next to the index, and reading UCP products back by id.
//!
//! Files in the folder: `openai-feed.jsonl.gz` (the flat feed), `acp-products.jsonl.gz`
//! (the ACP products), `ucp-products.jsonl` (one UCP product a line) and `ucp-products.idx`
//! (fixed 20-byte records, sorted by id: id i64 LE, offset u64 LE, length u32 LE), so a
//! look-up reads a few records, not the file. Each is written to a temporary name and
//! renamed, so readers never see half a file. Only the kinds asked for (`Files`) are written;
//! the others' files are removed, so a surface switched back on finds no stale file.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use super::openai::{row, units, FeedOptions};
use super::{acp, ucp, FeedReport};
use crate::catalog::{CatalogError, Document};

pub const FEED_FILE: &str = "openai-feed.jsonl.gz";
pub const ACP_FILE: &str = "acp-products.jsonl.gz";
pub const UCP_FILE: &str = "ucp-products.jsonl";
pub const UCP_INDEX: &str = "ucp-products.idx";
const RECORD: usize = 20;

/// Which kinds of file a write makes: the two gzip feeds cost most of a write, and are
/// only read while their surface is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Files {
    pub openai: bool,
    pub acp: bool,
    pub ucp: bool,
}

impl Default for Files {
    fn default() -> Self {
        Self::ALL
    }
}

impl Files {
    pub const ALL: Self = Self { openai: true, acp: true, ucp: true };
    pub const NONE: Self = Self { openai: false, acp: false, ucp: false };
    /// The kinds' names, in this order, as the PHP option and the report spell them.
    pub const NAMES: [&'static str; 3] = ["openai", "acp", "ucp"];

    /// Adds the kind called `name`; false for a name that is none.
    pub fn insert(&mut self, name: &str) -> bool {
        match name {
            "openai" => self.openai = true,
            "acp" => self.acp = true,
            "ucp" => self.ucp = true,
            _ => return false,
        }
        true
    }

    /// The names of the kinds included, in `NAMES` order.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES.into_iter().zip([self.openai, self.acp, self.ucp]).filter_map(|(n, on)| on.then_some(n)).collect()
    }

    fn any(self) -> bool {
        self.openai || self.acp || self.ucp
    }

    /// The file names of each kind with whether it is written.
    fn by_name(self) -> [(&'static str, bool); 4] {
        // The products file before its index: a reader holding the old index may see new
        // lines at old offsets, so a record is checked against the id it must hold.
        [(UCP_FILE, self.ucp), (UCP_INDEX, self.ucp), (FEED_FILE, self.openai), (ACP_FILE, self.acp)]
    }
}

fn io(path: &Path, err: std::io::Error) -> CatalogError {
    CatalogError::Io(format!("{}: {err}", path.display()))
}

/// Writes the files from the catalog's documents in one pass.
pub fn write<I>(documents: I, opts: &FeedOptions, currency: &str, dir: &Path) -> Result<FeedReport, CatalogError>
where
    I: Iterator<Item = Result<Document<'static>, CatalogError>>,
{
    let mut writer = Writer::create(dir, opts, currency)?;
    for doc in documents {
        writer.add(&doc?)?;
    }
    writer.finish()
}

/// The feed files being written, a product at a time, under temporary names: `finish` swaps
/// them in; dropped before that (an error on the way), they are removed and the files
/// already in place stay as they were.
pub struct Writer<'o> {
    opts: &'o FeedOptions,
    currency: &'o str,
    dir: PathBuf,
    feed: Option<GzEncoder<BufWriter<File>>>,
    acp_feed: Option<GzEncoder<BufWriter<File>>>,
    products: Option<BufWriter<File>>,
    index: Vec<(i64, u64, u32)>,
    report: FeedReport,
    offset: u64,
    line: Vec<u8>,
    cleanup: Cleanup,
}

/// Removes the temporary files unless they were swapped in.
struct Cleanup {
    dir: Option<PathBuf>,
    tag: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            for name in [FEED_FILE, ACP_FILE, UCP_FILE, UCP_INDEX] {
                let _ = std::fs::remove_file(tmp(dir, &self.tag, name));
            }
        }
    }
}

/// Tells this writer's temporary files from those of another one writing the same folder
/// at the same time (a sync's end and a regeneration): the process and a counter.
fn unique_tag() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!("{}-{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

impl<'o> Writer<'o> {
    pub fn create(dir: &Path, opts: &'o FeedOptions, currency: &'o str) -> Result<Self, CatalogError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let tag = unique_tag();
        // Set before the files are made, so a failure halfway removes those already made.
        let cleanup = Cleanup { dir: Some(dir.to_path_buf()), tag };
        let open = |name: &str, on: bool| -> Result<Option<BufWriter<File>>, CatalogError> {
            if !on {
                return Ok(None);
            }
            let path = tmp(dir, &cleanup.tag, name);
            Ok(Some(BufWriter::with_capacity(1 << 16, File::create(&path).map_err(|e| io(&path, e))?)))
        };
        let files = opts.files;
        let gz = |w: Option<BufWriter<File>>| w.map(|w| GzEncoder::new(w, Compression::new(6)));
        let (feed, acp_feed, products) = (gz(open(FEED_FILE, files.openai)?), gz(open(ACP_FILE, files.acp)?), open(UCP_FILE, files.ucp)?);
        Ok(Self {
            opts,
            currency,
            dir: dir.to_path_buf(),
            feed,
            acp_feed,
            products,
            index: Vec::new(),
            report: FeedReport::default(),
            offset: 0,
            line: Vec::with_capacity(4096),
            cleanup,
        })
    }

    /// The product's rows, UCP product and ACP product (or the reasons it has none), each
    /// only into a file being written.
    pub fn add(&mut self, doc: &Document<'_>) -> Result<(), CatalogError> {
        let (opts, currency) = (self.opts, self.currency);
        let line = &mut self.line;
        let report = &mut self.report;
        if !opts.files.any() {
            return Ok(());
        }
        if opts.exclude.contains(&doc.id) {
            *report.skipped.entry("hidden").or_default() += 1;
            return Ok(());
        }
        if let Some(feed) = &mut self.feed {
            match units(doc) {
                Err(reason) => *report.skipped.entry(reason).or_default() += 1,
                Ok(list) => {
                    for u in &list {
                        match row(doc, u, opts, currency) {
                            Ok(r) => {
                                line.clear();
                                serde_json::to_writer(&mut *line, &r).map_err(|e| CatalogError::Io(e.to_string()))?;
                                line.push(b'\n');
                                feed.write_all(line).map_err(|e| io(&tmp(&self.dir, &self.cleanup.tag, FEED_FILE), e))?;
                                report.rows += 1;
                            }
                            Err(reason) => *report.skipped.entry(reason).or_default() += 1,
                        }
                    }
                }
            }
        }
        if self.products.is_none() && self.acp_feed.is_none() {
            return Ok(());
        }
        let parts = ucp::Parts::of(doc);
        if let Ok(p) = ucp::product(doc, &parts, currency) {
            if let Some(products) = &mut self.products {
                line.clear();
                serde_json::to_writer(&mut *line, &p).map_err(|e| CatalogError::Io(e.to_string()))?;
                line.push(b'\n');
                products.write_all(line).map_err(|e| io(&tmp(&self.dir, &self.cleanup.tag, UCP_FILE), e))?;
                let len = u32::try_from(line.len()).map_err(|_| CatalogError::TooLarge(format!("product {}", doc.id)))?;
                self.index.push((doc.id, self.offset, len));
                self.offset += u64::from(len);
            }
            if let Some(acp_feed) = &mut self.acp_feed {
                line.clear();
                serde_json::to_writer(&mut *line, &acp::from_ucp(&p.to_value(), opts)).map_err(|e| CatalogError::Io(e.to_string()))?;
                line.push(b'\n');
                acp_feed.write_all(line).map_err(|e| io(&tmp(&self.dir, &self.cleanup.tag, ACP_FILE), e))?;
            }
            report.products += 1;
        }
        Ok(())
    }

    /// Completes the files and swaps them in, then removes the files of the kinds not written.
    pub fn finish(self) -> Result<FeedReport, CatalogError> {
        let Self { opts, dir, feed, acp_feed, products, mut index, mut report, mut cleanup, .. } = self;
        let tag = cleanup.tag.clone();
        for (gz, name) in [(feed, FEED_FILE), (acp_feed, ACP_FILE)] {
            if let Some(gz) = gz {
                gz.finish().and_then(|mut w| w.flush()).map_err(|e| io(&tmp(&dir, &tag, name), e))?;
            }
        }
        if let Some(mut products) = products {
            let (ucp_tmp, idx_tmp) = (tmp(&dir, &tag, UCP_FILE), tmp(&dir, &tag, UCP_INDEX));
            products.flush().map_err(|e| io(&ucp_tmp, e))?;
            drop(products);
            index.sort_unstable_by_key(|r| r.0);
            index.dedup_by_key(|r| r.0);
            let mut idx = BufWriter::new(File::create(&idx_tmp).map_err(|e| io(&idx_tmp, e))?);
            for (id, at, len) in &index {
                idx.write_all(&id.to_le_bytes()).and_then(|()| idx.write_all(&at.to_le_bytes())).and_then(|()| idx.write_all(&len.to_le_bytes())).map_err(|e| io(&idx_tmp, e))?;
            }
            idx.flush().map_err(|e| io(&idx_tmp, e))?;
        }
        let files = opts.files.by_name();
        for (name, _) in files.iter().filter(|f| f.1) {
            let to = dir.join(name);
            std::fs::rename(tmp(&dir, &tag, name), &to).map_err(|e| io(&to, e))?;
        }
        cleanup.dir = None;
        for (name, _) in files.iter().filter(|f| !f.1) {
            let path = dir.join(name);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path, e)),
                _ => {}
            }
        }
        report.files = opts.files.names();
        Ok(report)
    }
}

fn tmp(dir: &Path, tag: &str, name: &str) -> PathBuf {
    dir.join(format!(".{name}.{tag}.tmp"))
}

fn record(idx: &File, i: u64) -> Option<(i64, u64, u32)> {
    let mut b = [0u8; RECORD];
    idx.read_exact_at(&mut b, i * RECORD as u64).ok()?;
    let id = i64::from_le_bytes(b[0..8].try_into().ok()?);
    let at = u64::from_le_bytes(b[8..16].try_into().ok()?);
    let len = u32::from_le_bytes(b[16..20].try_into().ok()?);
    Some((id, at, len))
}

/// The UCP products (JSON text) of `ids`, in that order; `None` where the feed has none.
pub fn lookup(dir: &Path, ids: &[i64]) -> Result<Vec<Option<String>>, CatalogError> {
    let open = |name: &str| {
        let p = dir.join(name);
        File::open(&p).map_err(|e| io(&p, e))
    };
    let (idx, products) = (open(UCP_INDEX)?, open(UCP_FILE)?);
    let count = idx.metadata().map_err(|e| io(dir, e))?.len() / RECORD as u64;
    let mut out = Vec::with_capacity(ids.len());
    for &want in ids {
        let (mut lo, mut hi) = (0u64, count);
        let mut found = None;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let Some((id, at, len)) = record(&idx, mid) else { break };
            match id.cmp(&want) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    found = Some((at, len));
                    break;
                }
            }
        }
        let text = found.and_then(|(at, len)| {
            let mut buf = vec![0u8; len as usize];
            products.read_exact_at(&mut buf, at).ok()?;
            let text = String::from_utf8(buf).ok()?;
            // Guard against a file swapped between reading the index and the line.
            let expect = format!("\"id\":\"{want}\"");
            text.contains(&expect).then(|| text.trim_end().to_owned())
        });
        out.push(text);
    }
    Ok(out)
}

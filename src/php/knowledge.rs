//! `Aisle\Knowledge` and `Aisle\KnowledgeIndex`: PHP arrays ↔ `crate::knowledge`.
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::knowledge::{self, Block, BlockKind, ChunkOptions, KnowledgeError, KnowledgeIndex, Limits, Passage, Source};

fn invalid(msg: String) -> PhpException {
    KnowledgeError::InvalidArgument(msg).into()
}

fn entries(ht: Option<&ZendHashTable>) -> Vec<(String, &Zval)> {
    let Some(ht) = ht else { return Vec::new() };
    let mut out = Vec::new();
    let mut iter = Iter::new(ht);
    while let Some((key, val)) = iter.next_zval() {
        out.push((key.str().map(str::to_owned).unwrap_or_default(), val));
    }
    out
}

fn positive(key: &str, v: &Zval) -> PhpResult<u64> {
    match v.dereference().long() {
        Some(n) if n > 0 => Ok(n.unsigned_abs()),
        _ => Err(invalid(format!("option '{key}' must be a positive integer"))),
    }
}

fn limits(options: Option<&ZendHashTable>) -> PhpResult<Limits> {
    let mut l = Limits::default();
    for (key, val) in entries(options) {
        let n = positive(&key, val)?;
        let size = usize::try_from(n).unwrap_or(usize::MAX);
        match key.as_str() {
            "max_bytes" => l.max_bytes = size,
            "timeout_ms" => l.timeout = Duration::from_millis(n),
            "max_pdf_objects" => l.max_pdf_objects = size,
            "max_pages" => l.max_pages = size,
            "max_inflated_bytes" => l.max_inflated_bytes = n,
            "max_xml_depth" => l.max_xml_depth = size,
            "max_text_bytes" => l.max_text_bytes = size,
            _ => {
                return Err(invalid(
                    "unknown option (known: max_bytes, timeout_ms, max_pdf_objects, max_pages, max_inflated_bytes, max_xml_depth, max_text_bytes)".into(),
                ))
            }
        }
    }
    Ok(l)
}

fn kind_name(kind: BlockKind) -> (&'static str, i64) {
    match kind {
        BlockKind::Heading(l) => ("heading", i64::from(l)),
        BlockKind::Paragraph => ("paragraph", 0),
        BlockKind::ListItem => ("list_item", 0),
    }
}

fn extracted(doc: &knowledge::Extracted) -> PhpResult<ZBox<ZendHashTable>> {
    let mut out = ZendHashTable::new();
    out.insert("format", doc.format.name())?;
    out.insert("title", opt_str(doc.title.as_deref()))?;
    out.insert("pages", i64::from(doc.pages))?;
    out.insert("text", doc.text())?;
    let mut blocks = ZendHashTable::new();
    for b in &doc.blocks {
        let (kind, level) = kind_name(b.kind);
        let mut row = ZendHashTable::new();
        row.insert("type", kind)?;
        row.insert("level", level)?;
        row.insert("text", b.text.as_str())?;
        blocks.push(row)?;
    }
    out.insert("blocks", blocks)?;
    Ok(out)
}

fn opt_str(v: Option<&str>) -> Zval {
    let mut z = Zval::new();
    match v {
        Some(s) => {
            let _ = z.set_string(s, false);
        }
        None => z.set_null(),
    }
    z
}

fn string_of(v: &Zval, what: &str) -> PhpResult<String> {
    let v = v.dereference();
    if let Some(s) = v.str() {
        return Ok(s.to_owned());
    }
    if let Some(n) = v.long() {
        return Ok(n.to_string());
    }
    Err(invalid(format!("{what} must be a string")))
}

fn blocks(list: &ZendHashTable) -> PhpResult<Vec<Block>> {
    const SHAPE: &str = "each block must be an array {type: 'heading'|'paragraph'|'list_item', level?: 1-6, text: string}";
    let mut out = Vec::new();
    for item in list.values() {
        let row = item.dereference().array().ok_or_else(|| invalid(SHAPE.into()))?;
        let (mut kind, mut level, mut text) = (None, 1i64, None);
        for (key, val) in entries(Some(row)) {
            match key.as_str() {
                "type" => kind = Some(string_of(val, "block 'type'")?),
                "level" => level = val.dereference().long().unwrap_or(1),
                "text" => text = Some(string_of(val, "block 'text'")?),
                _ => {}
            }
        }
        let kind = match kind.as_deref() {
            Some("heading") => BlockKind::Heading(u8::try_from(level.clamp(1, 6)).unwrap_or(1)),
            Some("paragraph") | None => BlockKind::Paragraph,
            Some("list_item") => BlockKind::ListItem,
            Some(other) => return Err(invalid(format!("unknown block type '{other}' ({SHAPE})"))),
        };
        out.push(Block { kind, text: text.ok_or_else(|| invalid(SHAPE.into()))? });
    }
    Ok(out)
}

fn source(ht: &ZendHashTable) -> PhpResult<Source> {
    let mut s = Source::default();
    for (key, val) in entries(Some(ht)) {
        match key.as_str() {
            "id" => s.id = string_of(val, "source 'id'")?,
            "title" => s.title = string_of(val, "source 'title'")?,
            "url" => s.url = if val.dereference().is_null() { None } else { Some(string_of(val, "source 'url'")?) },
            _ => return Err(invalid("unknown source key (known: id, title, url)".into())),
        }
    }
    if s.id.is_empty() {
        return Err(invalid("the source needs an 'id'".into()));
    }
    Ok(s)
}

fn chunk_options(ht: Option<&ZendHashTable>) -> PhpResult<ChunkOptions> {
    let mut o = ChunkOptions::default();
    for (key, val) in entries(ht) {
        let v = val.dereference().long().filter(|n| *n >= 0).ok_or_else(|| invalid(format!("option '{key}' must be a non-negative integer")))?;
        let v = usize::try_from(v).unwrap_or(usize::MAX);
        match key.as_str() {
            "target_chars" => o.target_chars = v,
            "max_chars" => o.max_chars = v,
            "overlap_chars" => o.overlap_chars = v,
            _ => return Err(invalid("unknown option (known: target_chars, max_chars, overlap_chars)".into())),
        }
    }
    Ok(o)
}

fn passage_row(p: &Passage) -> PhpResult<ZBox<ZendHashTable>> {
    let mut row = ZendHashTable::new();
    row.insert("source", p.source.as_str())?;
    row.insert("title", p.title.as_str())?;
    row.insert("url", opt_str(p.url.as_deref()))?;
    row.insert("heading", p.heading.clone())?;
    row.insert("text", p.text.as_str())?;
    row.insert("position", i64::try_from(p.position).unwrap_or(i64::MAX))?;
    row.insert("hash", p.hash.as_str())?;
    Ok(row)
}

fn passage_of(v: &Zval) -> PhpResult<Passage> {
    const SHAPE: &str = "each passage must be an array as Knowledge::chunk() returns it (source, title, url, heading, text, position, hash)";
    let row = v.dereference().array().ok_or_else(|| invalid(SHAPE.into()))?;
    let mut p = Passage { source: String::new(), title: String::new(), url: None, heading: Vec::new(), text: String::new(), position: 0, hash: String::new() };
    for (key, val) in entries(Some(row)) {
        let val = val.dereference();
        match key.as_str() {
            "source" => p.source = string_of(val, "passage 'source'")?,
            "title" => p.title = string_of(val, "passage 'title'")?,
            "url" => p.url = if val.is_null() { None } else { Some(string_of(val, "passage 'url'")?) },
            "heading" => {
                p.heading = match val.array() {
                    Some(list) => list.values().map(|h| string_of(h, "passage 'heading'")).collect::<PhpResult<_>>()?,
                    None if val.is_null() => Vec::new(),
                    None => vec![string_of(val, "passage 'heading'")?],
                };
            }
            "text" => p.text = string_of(val, "passage 'text'")?,
            "position" => p.position = usize::try_from(val.long().unwrap_or(0)).unwrap_or(0),
            "hash" => p.hash = string_of(val, "passage 'hash'")?,
            _ => {}
        }
    }
    if p.hash.is_empty() {
        p.hash = knowledge::passage_hash(&p.title, p.url.as_deref(), &p.heading, &p.text);
    }
    Ok(p)
}

#[php_class]
#[php(name = "Aisle\\Knowledge")]
#[php(flags = ClassFlags::Final)]
pub struct PhpKnowledge;

#[php_impl]
impl PhpKnowledge {
    /// Text and structure of a document (PDF, DOCX, Markdown, HTML, text).
    pub fn extract(bytes: BinarySlice<u8>, filename: Option<String>, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        let limits = limits(options)?;
        extracted(&knowledge::extract(&bytes, filename.as_deref(), &limits)?)
    }

    /// As extract(), reading the file at `path` (its size is checked before it is read).
    pub fn extract_file(path: String, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        let limits = limits(options)?;
        let io = |e: std::io::Error| KnowledgeError::Io(format!("cannot read {path}: {e}"));
        let too_large = |n: u64| KnowledgeError::TooLarge(format!("{n} bytes, over the limit of {} bytes", limits.max_bytes));
        let meta = std::fs::metadata(&path).map_err(io)?;
        // A device or a pipe has no size to check and may never end (/dev/zero read for ever: found by
        // the fuzzer); only regular files are documents.
        if !meta.is_file() {
            return Err(KnowledgeError::Io(format!("cannot read {path}: not a regular file")).into());
        }
        if meta.len() > limits.max_bytes as u64 {
            return Err(too_large(meta.len()).into());
        }
        // Bounded even so: a file may grow between the check and the read, and /proc files say 0 bytes.
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(std::fs::File::open(&path).map_err(io)?, limits.max_bytes as u64 + 1), &mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > limits.max_bytes as u64 {
            return Err(too_large(bytes.len() as u64).into());
        }
        extracted(&knowledge::extract(&bytes, Some(&path), &limits)?)
    }

    /// 'pdf', 'docx', 'markdown', 'html' or 'text', from the content (the name only tells text formats apart).
    pub fn detect(bytes: BinarySlice<u8>, filename: Option<String>) -> PhpResult<String> {
        Ok(knowledge::detect(&bytes, filename.as_deref())?.name().to_owned())
    }

    /// Blocks (as extract() returns them) → passages of `source`.
    pub fn chunk(blocks: &ZendHashTable, source: &ZendHashTable, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        let blocks = self::blocks(blocks)?;
        let source = self::source(source)?;
        let options = chunk_options(options)?;
        let mut list = ZendHashTable::new();
        for p in knowledge::chunk(&blocks, &source, options) {
            list.push(passage_row(&p)?)?;
        }
        Ok(list)
    }
}

#[php_class]
#[php(name = "Aisle\\KnowledgeIndex")]
#[php(flags = ClassFlags::Final)]
pub struct PhpKnowledgeIndex {
    inner: Arc<KnowledgeIndex>,
}

#[php_impl]
impl PhpKnowledgeIndex {
    /// Opens (or creates) the knowledge index in `dir`. Options: language (used when creating it), synonyms.
    pub fn open(dir: &str, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        let settings = match options {
            Some(o) => Some(super::catalog_index::index_settings(Some(o))?),
            None => None,
        };
        Ok(Self { inner: KnowledgeIndex::open(Path::new(dir), settings)? })
    }

    /// Makes the passages of `source` exactly `passages`; only changed hashes are re-indexed.
    pub fn replace_source(&self, source: String, passages: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let list: Vec<Passage> = passages.values().map(passage_of).collect::<PhpResult<_>>()?;
        let c = self.inner.replace_source(&source, &list)?;
        let mut out = ZendHashTable::new();
        out.insert("added", i64::try_from(c.added).unwrap_or(i64::MAX))?;
        out.insert("removed", i64::try_from(c.removed).unwrap_or(i64::MAX))?;
        out.insert("kept", i64::try_from(c.kept).unwrap_or(i64::MAX))?;
        Ok(out)
    }

    /// Removes the passages of `source`; returns how many there were.
    pub fn remove_source(&self, source: String) -> PhpResult<i64> {
        Ok(i64::try_from(self.inner.remove_source(&source)?).unwrap_or(i64::MAX))
    }

    /// Hashes of the passages of `source` in the index.
    pub fn hashes(&self, source: String) -> PhpResult<Vec<String>> {
        let mut h: Vec<String> = self.inner.hashes(&source)?.into_iter().collect();
        h.sort();
        Ok(h)
    }

    /// Passages per source id.
    pub fn sources(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut all: Vec<(String, usize)> = self.inner.sources()?.into_iter().collect();
        all.sort();
        let mut out = ZendHashTable::new();
        for (s, n) in all {
            out.insert(s.as_str(), i64::try_from(n).unwrap_or(i64::MAX))?;
        }
        Ok(out)
    }

    #[php(defaults(limit = 5))]
    #[php(optional = limit)]
    pub fn search(&self, query: BinarySlice<u8>, limit: i64, filters: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        let mut sources = Vec::new();
        for (key, val) in entries(filters) {
            match key.as_str() {
                "source" => {
                    let v = val.dereference();
                    sources = match v.array() {
                        Some(list) => list.values().map(|s| string_of(s, "filter 'source'")).collect::<PhpResult<_>>()?,
                        None if v.is_null() => Vec::new(),
                        None => vec![string_of(v, "filter 'source'")?],
                    };
                }
                _ => return Err(invalid("unknown filter (known: source)".into())),
            }
        }
        let query = String::from_utf8_lossy(&query);
        let limit = usize::try_from(limit).unwrap_or(0);
        let mut list = ZendHashTable::new();
        for hit in self.inner.search(&query, limit, &sources)? {
            let mut row = ZendHashTable::new();
            row.insert("source", hit.source)?;
            row.insert("title", hit.title)?;
            row.insert("url", opt_str(hit.url.as_deref()))?;
            row.insert("heading", hit.heading)?;
            row.insert("text", hit.text)?;
            row.insert("score", f64::from(hit.score))?;
            row.insert("coverage", f64::from(hit.coverage))?;
            row.insert("position", i64::try_from(hit.position).unwrap_or(i64::MAX))?;
            row.insert("hash", hit.hash)?;
            list.push(row)?;
        }
        Ok(list)
    }

    /// Passages in the index.
    pub fn count(&self) -> i64 {
        i64::try_from(self.inner.len()).unwrap_or(i64::MAX)
    }

    /// The language the index analyzes words with.
    pub fn language(&self) -> String {
        self.inner.settings().language.clone()
    }
}

//! Store knowledge: documents (PDF, DOCX, Markdown, HTML, plain text) turned
//! into structured text, cut into passages and searched with the catalog's
//! analyzers. Pure Rust; `crate::php::knowledge` is the FFI layer.
//!
//! Every document is extracted on a worker thread of its own, under
//! `catch_unwind` and a deadline: third-party parsers may panic or loop on
//! hostile input, and PHP must get a per-document error instead of a crash
//! or a hung request.
mod chunk;
mod docx;
mod error;
mod html;
mod index;
mod markdown;
mod pdf;
mod plain;

use std::sync::mpsc;
use std::sync::Once;
use std::time::{Duration, Instant};

pub use chunk::{chunk, passage_hash, ChunkOptions, Passage, Source};
pub use error::KnowledgeError;
pub use index::{KnowledgeHit, KnowledgeIndex};

/// Name of the extraction threads; their panics are expected (hostile input)
/// and reported as errors, so the panic hook stays quiet for them.
pub(crate) const WORKER: &str = "aisle-knowledge";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Markdown,
    Html,
    Text,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Text => "text",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Level 1 (largest) to 6.
    Heading(u8),
    Paragraph,
    ListItem,
}

/// One unit of structure: a heading, a paragraph or a list item, as one line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub format: Format,
    /// The document's own title (PDF Info, DOCX core properties, HTML <title>), if any.
    pub title: Option<String>,
    /// Pages of a PDF; 0 for other formats.
    pub pages: u32,
    pub blocks: Vec<Block>,
}

impl Extracted {
    /// The blocks as text: headings as Markdown-style `#` lines, list items
    /// as `- ` lines, a blank line between blocks.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            match b.kind {
                BlockKind::Heading(level) => {
                    out.extend(std::iter::repeat_n('#', usize::from(level.clamp(1, 6))));
                    out.push(' ');
                }
                BlockKind::ListItem => out.push_str("- "),
                BlockKind::Paragraph => {}
            }
            out.push_str(&b.text);
        }
        out
    }
}

/// Per-document caps on time and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Input size (the upload limit of the store, 20 MB by default).
    pub max_bytes: usize,
    pub timeout: Duration,
    /// Indirect objects of a PDF (a real 200-page PDF has a few thousand).
    pub max_pdf_objects: usize,
    pub max_pages: usize,
    /// Bytes all compressed parts may inflate to (PDF streams, DOCX parts): zip and flate bombs.
    pub max_inflated_bytes: u64,
    /// Element nesting of DOCX XML.
    pub max_xml_depth: usize,
    /// Extracted text, in bytes.
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_pdf_objects: 200_000,
            max_pages: 5_000,
            max_inflated_bytes: 256 * 1024 * 1024,
            max_xml_depth: 256,
            max_text_bytes: 32 * 1024 * 1024,
        }
    }
}

/// A deadline the parsers check in their loops.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(d: Duration) -> Self {
        Self(Instant::now() + d)
    }

    pub fn check(self) -> Result<(), KnowledgeError> {
        if Instant::now() > self.0 {
            Err(KnowledgeError::Timeout("the document took longer than its time limit".into()))
        } else {
            Ok(())
        }
    }
}

fn extension(name: Option<&str>) -> String {
    name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let trimmed = lower.trim_ascii_start();
    trimmed.starts_with(b"<!doctype html")
        || trimmed.starts_with(b"<html")
        || trimmed.starts_with(b"<?xml") && memchr::memmem::find(&lower, b"<html").is_some()
        || memchr::memmem::find(&lower, b"<body").is_some()
}

/// The format of `bytes`: the content decides (magic bytes), the file name
/// only tells the text formats apart. A PDF named `.docx` is read as a PDF.
pub fn detect(bytes: &[u8], name: Option<&str>) -> Result<Format, KnowledgeError> {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if memchr::memmem::find(bytes, b"word/document.xml").is_some() {
            Ok(Format::Docx)
        } else {
            Err(KnowledgeError::Unsupported("a ZIP archive that is not a Word (.docx) document".into()))
        };
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // Office wraps password-protected .docx files in an OLE container.
        let utf16 = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
        return Err(if memchr::memmem::find(bytes, &utf16).is_some() {
            KnowledgeError::Encrypted("a password-protected Office document".into())
        } else {
            KnowledgeError::Unsupported("a legacy Office file (.doc, .xls): save it as .docx or PDF".into())
        });
    }
    const BINARY: [(&[u8], &str); 8] = [
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"%!PS", "a PostScript file"),
        (b"{\\rtf", "an RTF file"),
    ];
    if let Some((_, what)) = BINARY.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(KnowledgeError::Unsupported(format!("{what}, not a text document")));
    }
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 && memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(KnowledgeError::Unsupported("binary content that is not PDF, DOCX or text".into()));
    }
    Ok(match extension(name).as_str() {
        "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
        "html" | "htm" | "xhtml" => Format::Html,
        "txt" | "text" => Format::Text,
        _ if looks_like_html(bytes) => Format::Html,
        _ => Format::Text,
    })
}

/// Text from UTF-8 (invalid sequences repaired) or UTF-16 with a byte order mark.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
    };
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(true);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(false);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    crate::catalog::text::repair_utf8(bytes).0.into_owned()
}

fn extract_now(bytes: &[u8], format: Format, limits: &Limits, deadline: Deadline) -> Result<Extracted, KnowledgeError> {
    let (title, pages, blocks) = match format {
        Format::Pdf => pdf::extract(bytes, limits, deadline)?,
        Format::Docx => docx::extract(bytes, limits, deadline)?,
        Format::Markdown => (None, 0, markdown::extract(&decode_text(bytes), deadline)?),
        Format::Html => {
            let (title, blocks) = html::extract(&decode_text(bytes), deadline)?;
            (title, 0, blocks)
        }
        Format::Text => (None, 0, plain::extract(&decode_text(bytes), deadline)?),
    };
    let size: usize = blocks.iter().map(|b| b.text.len()).sum();
    if size > limits.max_text_bytes {
        return Err(KnowledgeError::TooLarge(format!("the text is over {} MB", limits.max_text_bytes / (1024 * 1024))));
    }
    Ok(Extracted { format, title: title.filter(|t| !t.trim().is_empty()), pages, blocks })
}

fn quiet_panics_of_workers() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(WORKER) {
                previous(info);
            }
        }));
    });
}

/// Extracts the text and structure of one document. `name` is its file name
/// (only the extension is used, to tell Markdown and HTML from plain text).
pub fn extract(bytes: &[u8], name: Option<&str>, limits: &Limits) -> Result<Extracted, KnowledgeError> {
    if bytes.len() > limits.max_bytes {
        return Err(KnowledgeError::TooLarge(format!(
            "{} bytes, over the limit of {} bytes",
            bytes.len(),
            limits.max_bytes
        )));
    }
    if bytes.is_empty() {
        return Err(KnowledgeError::Malformed("the document is empty".into()));
    }
    let format = detect(bytes, name)?;
    quiet_panics_of_workers();
    let deadline = Deadline::after(limits.timeout);
    let owned = bytes.to_vec();
    let limits_copy = *limits;
    let (tx, rx) = mpsc::sync_channel(1);
    // The worker owns its input: if it misses the deadline it is left to
    // finish on its own (its loops check the same deadline and stop soon).
    std::thread::Builder::new()
        .name(WORKER.into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| extract_now(&owned, format, &limits_copy, deadline))
                .unwrap_or_else(|_| Err(KnowledgeError::Malformed(format!("the {} could not be parsed", format.name()))));
            let _ = tx.send(result);
        })
        .map_err(|e| KnowledgeError::Io(format!("cannot start the extraction thread: {e}")))?;
    match rx.recv_timeout(limits.timeout + Duration::from_millis(250)) {
        Ok(result) => result,
        Err(_) => Err(KnowledgeError::Timeout(format!("the document took longer than {} ms", limits.timeout.as_millis()))),
    }
}

#[cfg(test)]
mod tests;

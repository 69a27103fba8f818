//! Blocks → passages: a passage never crosses a heading, gathers paragraphs
//! and list items up to a target size, and when a section is longer than
//! that, the next passage repeats the last sentence of the previous one
//! (the overlap) so a fact split across the cut is still found whole.
use super::{Block, BlockKind};

/// Where a passage comes from: a document or a page of the store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    /// Stable id the caller chooses ("doc:12", "page:34", "faq").
    pub id: String,
    pub title: String,
    /// The page's permalink; `None` for uploaded documents (cited by title).
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkOptions {
    /// Characters a passage aims for (it closes at the first unit past it).
    pub target_chars: usize,
    /// A paragraph longer than this is cut at sentence ends.
    pub max_chars: usize,
    /// Characters of the previous passage's end repeated at the start of the next.
    pub overlap_chars: usize,
}

pub const DEFAULT_TARGET: usize = 800;
pub const DEFAULT_MAX: usize = 1200;
pub const DEFAULT_OVERLAP: usize = 150;

impl Default for ChunkOptions {
    fn default() -> Self {
        Self { target_chars: DEFAULT_TARGET, max_chars: DEFAULT_MAX, overlap_chars: DEFAULT_OVERLAP }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    /// Headings above the passage, outermost first.
    pub heading: Vec<String>,
    pub text: String,
    /// 0-based order within the source.
    pub position: usize,
    /// Hash of everything stored with the passage (16 hex digits): a re-sync
    /// re-indexes a passage only when its hash changed.
    pub hash: String,
}

pub fn passage_hash(title: &str, url: Option<&str>, heading: &[String], text: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [title, url.unwrap_or(""), &heading.join("\u{1f}"), text] {
        h.update(part.as_bytes());
        h.update(b"\x1e");
    }
    format!("{:016x}", h.digest())
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '؟' | '۔' | ';')
}

/// Sentences of a paragraph, each with its trailing punctuation.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !is_stop(c) {
            continue;
        }
        let end = i + c.len_utf8();
        let next = iter.peek().map(|(_, n)| *n);
        let cjk = matches!(c, '。' | '！' | '？');
        if next.is_none() || next.is_some_and(char::is_whitespace) || cjk {
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Pieces of at most `max` characters: whole sentences where possible, a
/// sentence longer than that cut at a space (or anywhere, for scripts without spaces).
fn pieces(text: &str, max: usize) -> Vec<String> {
    if chars(text) <= max {
        return vec![text.to_owned()];
    }
    let mut out: Vec<String> = Vec::new();
    for s in sentences(text) {
        let mut s = s;
        while chars(s) > max {
            let cut = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
            let at = s[..cut].rfind(' ').filter(|p| *p > cut / 2).unwrap_or(cut);
            out.push(s[..at].trim().to_owned());
            s = s[at..].trim_start();
        }
        match out.last_mut() {
            Some(last) if chars(last) + chars(s) < max / 2 => {
                last.push(' ');
                last.push_str(s);
            }
            _ if !s.is_empty() => out.push(s.to_owned()),
            _ => {}
        }
    }
    out
}

struct Builder<'a> {
    source: &'a Source,
    options: ChunkOptions,
    heading: Vec<(u8, String)>,
    units: Vec<String>,
    /// 1 when `units[0]` is the overlap carried over from the previous passage.
    carry: usize,
    size: usize,
    out: Vec<Passage>,
}

impl Builder<'_> {
    fn emit(&mut self, keep_overlap: bool) {
        if self.units.len() <= self.carry {
            self.units.clear();
            self.size = 0;
            self.carry = 0;
            return;
        }
        let text = self.units.join("\n");
        let heading: Vec<String> = self.heading.iter().map(|(_, h)| h.clone()).collect();
        let hash = passage_hash(&self.source.title, self.source.url.as_deref(), &heading, &text);
        let overlap = if keep_overlap && self.options.overlap_chars > 0 {
            let last = sentences(self.units.last().map_or("", String::as_str)).last().map(|s| (*s).to_owned());
            last.filter(|s| chars(s) <= self.options.overlap_chars)
        } else {
            None
        };
        self.out.push(Passage {
            source: self.source.id.clone(),
            title: self.source.title.clone(),
            url: self.source.url.clone(),
            heading,
            text,
            position: self.out.len(),
            hash,
        });
        self.units.clear();
        self.size = 0;
        self.carry = 0;
        if let Some(o) = overlap {
            self.size = chars(&o);
            self.units.push(o);
            self.carry = 1;
        }
    }

    fn add(&mut self, unit: String) {
        let n = chars(&unit);
        if self.size + n > self.options.target_chars && self.units.len() > self.carry {
            self.emit(true);
        }
        self.size += n;
        self.units.push(unit);
    }
}

/// Cuts a document's blocks into passages of `source`.
pub fn chunk(blocks: &[Block], source: &Source, options: ChunkOptions) -> Vec<Passage> {
    let options = ChunkOptions {
        target_chars: options.target_chars.max(50),
        max_chars: options.max_chars.max(options.target_chars.max(50)),
        overlap_chars: options.overlap_chars.min(options.target_chars / 2),
    };
    let mut b = Builder { source, options, heading: Vec::new(), units: Vec::new(), carry: 0, size: 0, out: Vec::new() };
    for block in blocks {
        match block.kind {
            BlockKind::Heading(level) => {
                // Only what the previous section said goes out; its overlap stays behind.
                b.emit(false);
                b.heading.retain(|(l, _)| *l < level);
                b.heading.push((level, block.text.clone()));
            }
            BlockKind::Paragraph => {
                for piece in pieces(&block.text, options.max_chars) {
                    b.add(piece);
                }
            }
            BlockKind::ListItem => {
                for piece in pieces(&block.text, options.max_chars) {
                    b.add(format!("- {piece}"));
                }
            }
        }
    }
    b.emit(false);
    b.out
}

//! PDF text layer: lopdf parses, pdf-extract decodes the text of each page
//! (fonts, encodings, ToUnicode CMaps, Type 3 fonts as Chromium writes
//! them); this module lays the glyphs out into lines and the lines into
//! headings, list items and paragraphs, and puts right-to-left lines back
//! into reading order.
//!
//! Before lopdf sees the file, cheap scans enforce the caps that parsing
//! itself would blow through: the object count, and how far the compressed
//! streams inflate. pdf-extract panics on much that is malformed (the
//! caller's `catch_unwind` turns that into `malformed`), and it recurses
//! without a limit into form XObjects and the page tree's parents, so
//! cycles there are refused up front.
use std::collections::{BTreeMap, HashMap, HashSet};

use flate2::{Decompress, FlushDecompress, Status};
use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use unicode_normalization::UnicodeNormalization;

use super::{Block, BlockKind, Deadline, KnowledgeError, Limits};

/// Counts indirect objects, including those packed into object streams.
fn count_objects(bytes: &[u8]) -> usize {
    let direct = memchr::memmem::find_iter(bytes, b" obj").count();
    let mut packed = 0usize;
    for at in memchr::memmem::find_iter(bytes, b"/ObjStm") {
        let window = &bytes[at.saturating_sub(512)..(at + 512).min(bytes.len())];
        if let Some(n) = memchr::memmem::find(window, b"/N ") {
            let digits: Vec<u8> = window[n + 3..].iter().copied().take_while(u8::is_ascii_digit).take(12).collect();
            packed = packed.saturating_add(std::str::from_utf8(&digits).ok().and_then(|d| d.parse().ok()).unwrap_or(0));
        }
    }
    direct.saturating_add(packed)
}

/// Inflates every zlib stream of the file into a scratch buffer to learn
/// how large it gets, without keeping it: a flate bomb stops at the cap.
fn check_inflated_size(bytes: &[u8], limits: &Limits, deadline: Deadline) -> Result<(), KnowledgeError> {
    let mut total: u64 = 0;
    let mut scratch = vec![0u8; 64 * 1024];
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&bytes[from..], b"stream") {
        let mut start = from + p + 6;
        from = start;
        // `endstream` also contains "stream"; a stream keyword is followed by an end of line.
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) != Some(&b'\n') {
            continue;
        }
        start += 1;
        let end = memchr::memmem::find(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e);
        let data = &bytes[start..end];
        from = end + 9;
        if data.len() < 2 || data[0] & 0x0F != 8 || (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 != 0 {
            continue; // not zlib
        }
        let mut z = Decompress::new(true);
        loop {
            let before_in = z.total_in();
            let before_out = z.total_out();
            let offset = usize::try_from(before_in).unwrap_or(usize::MAX).min(data.len());
            let status = z.decompress(&data[offset..], &mut scratch, FlushDecompress::None);
            total += z.total_out() - before_out;
            if total > limits.max_inflated_bytes {
                return Err(KnowledgeError::TooLarge(format!(
                    "its compressed streams inflate past {} MB (a flate bomb?)",
                    limits.max_inflated_bytes / (1024 * 1024)
                )));
            }
            match status {
                Ok(Status::Ok) if z.total_in() != before_in || z.total_out() != before_out => {}
                _ => break,
            }
            deadline.check()?;
        }
    }
    Ok(())
}

/// Where `N G obj` headers start: object number → (generation, offset); a
/// later definition wins, as with incremental updates.
fn scan_objects(bytes: &[u8], max_number: u32) -> BTreeMap<u32, (u16, usize)> {
    let mut found = BTreeMap::new();
    for at in memchr::memmem::find_iter(bytes, b" obj") {
        if !bytes.get(at + 4).is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'<' | b'[' | b'(' | b'/')) {
            continue;
        }
        let digits_before = |end: usize| bytes[..end].iter().rev().take_while(|c| c.is_ascii_digit()).take(10).count();
        let g = digits_before(at);
        if g == 0 || at < g + 2 || bytes[at - g - 1] != b' ' {
            continue;
        }
        let n = digits_before(at - g - 1);
        let start = at - g - 1 - n;
        if n == 0 || start > 0 && !bytes[start - 1].is_ascii_whitespace() {
            continue;
        }
        let parse = |r: &[u8]| std::str::from_utf8(r).ok().and_then(|t| t.parse::<u64>().ok());
        let (Some(number), Some(generation)) = (parse(&bytes[start..start + n]), parse(&bytes[at - g..at])) else { continue };
        if let (Ok(number), Ok(generation)) = (u32::try_from(number), u16::try_from(generation)) {
            if number > 0 && number <= max_number {
                found.insert(number, (generation, start));
            }
        }
    }
    found
}

fn reference_after(bytes: &[u8], key: &[u8]) -> Option<(u32, u16)> {
    let at = memchr::memmem::rfind(bytes, key)? + key.len();
    let rest = std::str::from_utf8(&bytes[at..(at + 40).min(bytes.len())]).ok().or_else(|| {
        let end = (at..(at + 40).min(bytes.len())).rev().find(|e| std::str::from_utf8(&bytes[at..*e]).is_ok())?;
        std::str::from_utf8(&bytes[at..end]).ok()
    })?;
    let mut words = rest.split_whitespace();
    let n = words.next()?.parse().ok()?;
    let g = words.next()?.parse().ok()?;
    (words.next()?.starts_with('R')).then_some((n, g))
}

/// lopdf needs a correct cross-reference table; a file cut short, edited by
/// hand or shifted by a byte has none. Like pdftotext, rebuild it from the
/// objects found in the file (not for encrypted files: their trailer matters).
fn rebuild_xref(bytes: &[u8], limits: &Limits) -> Option<Vec<u8>> {
    if memchr::memmem::find(bytes, b"/Encrypt").is_some() {
        return None;
    }
    let max = u32::try_from(limits.max_pdf_objects.saturating_mul(2)).unwrap_or(u32::MAX);
    let objects = scan_objects(bytes, max);
    let root = reference_after(bytes, b"/Root").or_else(|| {
        let at = memchr::memmem::find(bytes, b"/Catalog")?;
        objects.iter().filter(|(_, (_, o))| *o < at).max_by_key(|(_, (_, o))| *o).map(|(n, (g, _))| (*n, *g))
    })?;
    let size = objects.keys().next_back()? + 1;
    let mut out = bytes.to_vec();
    out.extend_from_slice(b"\n");
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
    for n in 1..size {
        match objects.get(&n) {
            Some((g, offset)) => out.extend_from_slice(format!("{offset:010} {g:05} n\r\n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f\r\n"),
        }
    }
    let info = reference_after(bytes, b"/Info").map(|(n, g)| format!(" /Info {n} {g} R")).unwrap_or_default();
    out.extend_from_slice(format!("trailer\n<< /Size {size} /Root {} {} R{info} >>\nstartxref\n{xref}\n%%EOF\n", root.0, root.1).as_bytes());
    Some(out)
}

fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match obj {
            Object::Reference(id) => obj = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

fn dict_of<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Refuses page trees whose `Parent` chain loops and form XObjects that
/// (directly or through others) draw themselves: pdf-extract would recurse
/// until the stack overflows, which no `catch_unwind` survives.
fn check_cycles(doc: &Document, pages: &[ObjectId], deadline: Deadline) -> Result<(), KnowledgeError> {
    const MAX_NESTING: usize = 24;
    // (form, resources it was drawn with) already fully explored.
    let mut done: HashSet<(ObjectId, usize)> = HashSet::new();
    fn visit(
        doc: &Document,
        resources: &Dictionary,
        stack: &mut Vec<ObjectId>,
        done: &mut HashSet<(ObjectId, usize)>,
        deadline: Deadline,
    ) -> Result<(), KnowledgeError> {
        let Some(xobjects) = resources.get(b"XObject").ok().and_then(|x| dict_of(doc, x)) else { return Ok(()) };
        for (_, entry) in xobjects.iter() {
            let Object::Reference(id) = entry else { continue };
            let Some(Object::Stream(form)) = doc.objects.get(id) else { continue };
            if form.dict.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"Form".as_slice()) {
                continue;
            }
            let inner = form.dict.get(b"Resources").ok().and_then(|r| dict_of(doc, r)).unwrap_or(resources);
            let key = (*id, std::ptr::from_ref(inner) as usize);
            if done.contains(&key) {
                continue;
            }
            if stack.contains(id) || stack.len() >= MAX_NESTING {
                return Err(KnowledgeError::Malformed("its form XObjects draw themselves in a cycle".into()));
            }
            deadline.check()?;
            stack.push(*id);
            visit(doc, inner, stack, done, deadline)?;
            stack.pop();
            done.insert(key);
        }
        Ok(())
    }
    for page in pages {
        let mut node = doc.objects.get(page).and_then(|o| dict_of(doc, o));
        let mut resources = None;
        let mut hops = 0;
        while let Some(d) = node {
            hops += 1;
            if hops > 64 {
                return Err(KnowledgeError::Malformed("its page tree loops".into()));
            }
            if resources.is_none() {
                resources = d.get(b"Resources").ok().and_then(|r| dict_of(doc, r));
            }
            node = d.get(b"Parent").ok().and_then(|p| dict_of(doc, p));
        }
        if let Some(r) = resources {
            visit(doc, r, &mut Vec::new(), &mut done, deadline)?;
        }
    }
    Ok(())
}

fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok().and_then(|i| dict_of(doc, i))?;
    let Object::String(raw, _) = deref(doc, info.get(b"Title").ok()?)? else { return None };
    let text = if raw.starts_with(&[0xFE, 0xFF]) {
        let units = raw[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
        char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
    } else {
        String::from_utf8_lossy(raw).into_owned()
    };
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    end: f64,
    text: String,
}

#[derive(Debug, Clone)]
struct Line {
    page: u32,
    y: f64,
    size: f64,
    x0: f64,
    x1: f64,
    text: String,
}

fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

fn is_strong_ltr(c: char) -> bool {
    c.is_alphanumeric() && !is_rtl(c)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Glyphs of a right-to-left line are painted left to right; reading order
/// is the reverse, except for runs of left-to-right text (numbers, Latin
/// words) inside it, which keep their order.
pub(super) fn reading_order(glyphs: Vec<String>) -> Vec<String> {
    let strong_ltr = |g: &String| g.chars().any(is_strong_ltr) && !g.chars().any(is_rtl);
    let mut runs: Vec<(bool, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        if strong_ltr(&glyphs[i]) {
            // An LTR run spans neutrals up to the last strong LTR glyph before the next RTL one.
            let mut j = i + 1;
            let mut last = i;
            while j < glyphs.len() && !glyphs[j].chars().any(is_rtl) {
                if strong_ltr(&glyphs[j]) {
                    last = j;
                }
                j += 1;
            }
            runs.push((true, glyphs[i..=last].to_vec()));
            i = last + 1;
        } else {
            match runs.last_mut() {
                Some((false, run)) => run.push(glyphs[i].clone()),
                _ => runs.push((false, vec![glyphs[i].clone()])),
            }
            i += 1;
        }
    }
    runs.reverse();
    runs.into_iter()
        .flat_map(|(ltr, mut run)| {
            if !ltr {
                run.reverse();
            }
            run
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Timeout,
    TooLarge,
}

struct Layout {
    deadline: Deadline,
    max_text: usize,
    page: u32,
    height: f64,
    glyphs: Vec<Glyph>,
    line_y: f64,
    line_size: f64,
    lines: Vec<Line>,
    bytes: usize,
    count: usize,
    stop: Option<Stop>,
}

impl Layout {
    fn finish_line(&mut self) {
        if self.glyphs.is_empty() {
            return;
        }
        let mut glyphs = std::mem::take(&mut self.glyphs);
        glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut parts: Vec<String> = Vec::with_capacity(glyphs.len() * 2);
        let x0 = glyphs[0].x;
        let mut last_end = f64::NEG_INFINITY;
        for g in glyphs {
            let gap = g.x - last_end;
            let spaced = parts.last().is_some_and(|p| p.ends_with(' ')) || g.text.starts_with(' ');
            if last_end.is_finite() && gap > self.line_size * 0.15 && !spaced {
                parts.push(" ".to_owned());
            }
            last_end = last_end.max(g.end);
            parts.push(g.text);
        }
        if mostly_rtl(&parts.concat()) {
            parts = reading_order(parts);
        }
        let mut text: String = parts.concat();
        // Ligatures (ﬃ), Arabic presentation forms, CJK radicals: what the
        // font drew, back to the letters a shopper types.
        if !text.is_ascii() {
            text = text.nfkc().collect();
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.bytes += text.len();
            self.lines.push(Line { page: self.page, y: self.line_y, size: self.line_size, x0, x1: last_end, text });
        }
    }

    fn stop(&mut self, why: Stop) -> Result<(), OutputError> {
        self.stop = Some(why);
        Err(OutputError::FormatError(std::fmt::Error))
    }
}

impl OutputDev for Layout {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        if self.deadline.check().is_err() {
            return self.stop(Stop::Timeout);
        }
        self.page = page_num;
        self.height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.finish_line();
        Ok(())
    }

    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, text: &str) -> Result<(), OutputError> {
        self.count += 1;
        if self.count % 512 == 0 && self.deadline.check().is_err() {
            return self.stop(Stop::Timeout);
        }
        if self.bytes > self.max_text {
            return self.stop(Stop::TooLarge);
        }
        let size = (((trm.m11 + trm.m21) * (trm.m12 + trm.m22)).abs()).sqrt() * font_size.abs();
        let size = if size.is_finite() && size > 0.0 { size } else { 1.0 };
        let (x, y) = (trm.m31, self.height - trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        if !self.glyphs.is_empty() && (y - self.line_y).abs() > self.line_size.min(size) * 0.5 {
            self.finish_line();
        }
        if self.glyphs.is_empty() {
            self.line_y = y;
            self.line_size = size;
        } else {
            self.line_size = self.line_size.max(size);
        }
        let advance = width * size;
        self.glyphs.push(Glyph { x, end: x + if advance.is_finite() { advance } else { 0.0 }, text: text.to_owned() });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

fn round_size(s: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let r = (s * 2.0).round() as i64;
    r
}

fn joins_without_space(a: &str, b: &str) -> bool {
    a.ends_with(['-', '–', '/']) || a.chars().next_back().is_some_and(is_cjk) && b.chars().next().is_some_and(is_cjk)
}

/// Right-to-left lines are aligned right: their indentation says nothing.
fn mostly_rtl(s: &str) -> bool {
    let rtl = s.chars().filter(|c| is_rtl(*c)).count();
    rtl > s.chars().filter(|c| is_strong_ltr(*c)).count()
}

/// Lines → blocks: larger type than the body is a heading (levels by size),
/// a bullet or number starts a list item, and so does an indented line after
/// a short one (Chromium draws bullets as shapes, not text); a wider
/// vertical gap or a new page starts a paragraph.
fn blocks_of(lines: &[Line]) -> Vec<Block> {
    let mut lefts: HashMap<i64, usize> = HashMap::new();
    for l in lines {
        *lefts.entry(round_size(l.x0)).or_default() += l.text.len();
    }
    #[allow(clippy::cast_precision_loss)]
    let left = lefts.iter().max_by_key(|(x, n)| (**n, -**x)).map_or(0.0, |(x, _)| *x as f64 / 2.0);
    let right = lines.iter().map(|l| l.x1).fold(0.0, f64::max);
    let mut weight: HashMap<i64, usize> = HashMap::new();
    for l in lines {
        *weight.entry(round_size(l.size)).or_default() += l.text.chars().count();
    }
    let body = weight.iter().max_by_key(|(size, n)| (**n, -**size)).map_or(0, |(s, _)| *s);
    let is_heading = |l: &Line| round_size(l.size) * 100 >= body * 112 && l.text.chars().count() <= 200;
    let mut heading_sizes: Vec<i64> = lines.iter().filter(|l| is_heading(l)).map(|l| round_size(l.size)).collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();
    let mut blocks: Vec<Block> = Vec::new();
    let mut prev: Option<&Line> = None;
    for line in lines {
        let kind = if is_heading(line) {
            let rank = heading_sizes.iter().position(|s| *s == round_size(line.size)).unwrap_or(0);
            BlockKind::Heading(u8::try_from(rank + 1).unwrap_or(6).min(6))
        } else if super::plain::list_item(&line.text).is_some() || line.x0 > left + line.size * 1.5 && !mostly_rtl(&line.text) {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        let text = match kind {
            BlockKind::ListItem => super::plain::list_item(&line.text).unwrap_or(&line.text),
            _ => line.text.as_str(),
        };
        let continues = prev.is_some_and(|p| {
            let gap = line.y - p.y;
            let short = p.x1 < right - p.size * 4.0;
            let bullet = super::plain::list_item(&line.text).is_some();
            let same_kind = blocks.last().is_some_and(|b| match (b.kind, kind) {
                (BlockKind::Heading(a), BlockKind::Heading(b)) => a == b,
                (BlockKind::ListItem, BlockKind::ListItem) => !short && !bullet,
                (BlockKind::ListItem | BlockKind::Paragraph, BlockKind::Paragraph) => true,
                _ => false,
            });
            same_kind && p.page == line.page && gap > 0.0 && gap < p.size.max(line.size) * 1.45
        });
        match blocks.last_mut() {
            Some(last) if continues => {
                if !joins_without_space(&last.text, text) {
                    last.text.push(' ');
                }
                last.text.push_str(text);
            }
            _ => blocks.push(Block { kind, text: text.to_owned() }),
        }
        prev = Some(line);
    }
    blocks.retain(|b| !b.text.trim().is_empty());
    blocks
}

pub fn extract(bytes: &[u8], limits: &Limits, deadline: Deadline) -> Result<(Option<String>, u32, Vec<Block>), KnowledgeError> {
    let objects = count_objects(bytes);
    if objects > limits.max_pdf_objects {
        return Err(KnowledgeError::TooLarge(format!("about {objects} objects, over the limit of {}", limits.max_pdf_objects)));
    }
    check_inflated_size(bytes, limits, deadline)?;
    deadline.check()?;
    let loaded = Document::load_mem(bytes).or_else(|e| match e {
        lopdf::Error::Decryption(_) => Err(e),
        _ => {
            deadline.check().map_err(|_| lopdf::Error::Unimplemented("deadline"))?;
            match rebuild_xref(bytes, limits) {
                Some(repaired) => Document::load_mem(&repaired).map_err(|_| e),
                None => Err(e),
            }
        }
    });
    let mut doc = match loaded {
        Ok(d) => d,
        Err(lopdf::Error::Decryption(_)) => return Err(KnowledgeError::Encrypted("the PDF is password-protected".into())),
        Err(e) => {
            if memchr::memmem::find(bytes, b"/Encrypt").is_some() && doc_needs_password(&e) {
                return Err(KnowledgeError::Encrypted("the PDF is password-protected".into()));
            }
            deadline.check()?;
            return Err(KnowledgeError::Malformed(format!("the PDF cannot be read ({e})")));
        }
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(KnowledgeError::Encrypted("the PDF is password-protected".into()));
    }
    deadline.check()?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.len() > limits.max_pages {
        return Err(KnowledgeError::TooLarge(format!("{} pages, over the limit of {}", pages.len(), limits.max_pages)));
    }
    if pages.is_empty() {
        return Err(KnowledgeError::Malformed("the PDF has no pages".into()));
    }
    check_cycles(&doc, &pages, deadline)?;
    let title = info_title(&doc);
    let total = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    // Pages are independent: two threads at most (the machine serving the
    // shop is busy with other work), each taking every other page.
    let workers = if total >= 4 { std::thread::available_parallelism().map_or(1, |n| n.get().min(2)) } else { 1 };
    let runs: Vec<PageRun> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let doc = &doc;
                std::thread::Builder::new()
                    .name(super::WORKER.into())
                    .stack_size(16 * 1024 * 1024)
                    .spawn_scoped(s, move || pages_of(doc, (1 + w as u32..=total).step_by(workers), deadline, limits.max_text_bytes))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|_| PageRun::failed("a page could not be parsed")),
                Err(e) => PageRun::failed(&format!("no thread for the pages ({e})")),
            })
            .collect()
    });
    let mut lines = Vec::new();
    let (mut failed, mut first_error) = (0usize, None);
    for run in runs {
        match run.stop {
            Some(Stop::Timeout) => return Err(KnowledgeError::Timeout("the PDF took longer than its time limit".into())),
            Some(Stop::TooLarge) => return Err(KnowledgeError::TooLarge("the text of the PDF is too long".into())),
            None => {}
        }
        failed += run.failed;
        if first_error.is_none() {
            first_error = run.first_error;
        }
        lines.extend(run.lines);
    }
    if lines.iter().map(|l| l.text.len()).sum::<usize>() > limits.max_text_bytes {
        return Err(KnowledgeError::TooLarge("the text of the PDF is too long".into()));
    }
    if failed >= pages.len() || lines.is_empty() && failed > 0 {
        return Err(KnowledgeError::Malformed(format!("the PDF cannot be read ({})", first_error.unwrap_or_default())));
    }
    // Each page was laid out by one thread, in order: a stable sort by page keeps that order.
    lines.sort_by_key(|l| l.page);
    Ok((title, total, blocks_of(&lines)))
}

struct PageRun {
    lines: Vec<Line>,
    failed: usize,
    first_error: Option<String>,
    stop: Option<Stop>,
}

impl PageRun {
    fn failed(why: &str) -> Self {
        Self { lines: Vec::new(), failed: usize::MAX / 2, first_error: Some(why.to_owned()), stop: None }
    }
}

/// Lays out `numbers` one page at a time: pdf-extract panics on much that is
/// odd, and one bad page (a damaged font, an unknown color space) should not
/// cost the others.
fn pages_of(doc: &Document, numbers: impl Iterator<Item = u32>, deadline: Deadline, max_text: usize) -> PageRun {
    let mut layout = Layout {
        deadline,
        max_text,
        page: 0,
        height: 0.0,
        glyphs: Vec::new(),
        line_y: 0.0,
        line_size: 1.0,
        lines: Vec::new(),
        bytes: 0,
        count: 0,
        stop: None,
    };
    let (mut failed, mut first_error) = (0, None);
    let mut reader = pdf_extract::PageReader::new(doc);
    for number in numbers {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.page(&mut layout, number)));
        if layout.stop.is_some() {
            break;
        }
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                failed += 1;
                first_error.get_or_insert_with(|| e.to_string());
            }
            Err(_) => {
                failed += 1;
                first_error.get_or_insert_with(|| "a page could not be parsed".to_owned());
            }
        }
        layout.finish_line();
    }
    PageRun { lines: layout.lines, failed, first_error, stop: layout.stop }
}

fn doc_needs_password(e: &lopdf::Error) -> bool {
    let m = e.to_string().to_ascii_lowercase();
    m.contains("password") || m.contains("decrypt") || m.contains("encrypt")
}


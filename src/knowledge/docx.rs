//! DOCX: the ZIP container through `zip`, WordprocessingML through quick-xml.
//! Every part is read through a cap on its inflated size (a zip bomb stops
//! at the cap), and element nesting is capped.
use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::plain::push;
use super::{Block, BlockKind, Deadline, KnowledgeError, Limits};

const DOCUMENT: &str = "word/document.xml";

fn zip_error(e: &ZipError) -> KnowledgeError {
    match e {
        ZipError::UnsupportedArchive(m) if m.contains("assword") => KnowledgeError::Encrypted("the document is password-protected".into()),
        ZipError::InvalidPassword => KnowledgeError::Encrypted("the document is password-protected".into()),
        other => KnowledgeError::Malformed(format!("the DOCX archive is damaged ({other})")),
    }
}

struct Parts<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl Parts<'_> {
    /// The inflated bytes of one part, `None` when the archive lacks it.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, KnowledgeError> {
        let file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_error(&e)),
        };
        let mut out = Vec::with_capacity(usize::try_from(file.size().min(1 << 20)).unwrap_or(0));
        file.take(self.budget + 1)
            .read_to_end(&mut out)
            .map_err(|e| KnowledgeError::Malformed(format!("{name} cannot be inflated ({e})")))?;
        let used = out.len() as u64;
        if used > self.budget {
            return Err(KnowledgeError::TooLarge(format!("the DOCX inflates past the limit (a zip bomb?) at {name}")));
        }
        self.budget -= used;
        Ok(Some(out))
    }
}

fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    r.config_mut().trim_text(false);
    r
}

fn malformed(part: &str, e: &quick_xml::Error) -> KnowledgeError {
    KnowledgeError::Malformed(format!("{part} is not well-formed XML ({e})"))
}

/// Heading level from a style name or id: "heading 2", "Heading2", "Title".
fn heading_level(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase().replace(' ', "");
    if lower == "title" {
        return Some(1);
    }
    let n = lower.strip_prefix("heading")?.parse::<u8>().ok()?;
    Some(n.clamp(1, 6))
}

/// styleId → heading level, from word/styles.xml (style names are stable,
/// ids are localized: "berschrift1" in a German Word).
fn heading_styles(xml: &[u8], limits: &Limits, deadline: Deadline) -> Result<HashMap<String, u8>, KnowledgeError> {
    let mut r = reader(xml);
    let mut out = HashMap::new();
    let (mut id, mut level) = (None::<String>, None::<u8>);
    let mut depth = 0usize;
    for n in 0usize.. {
        if n % 4096 == 0 {
            deadline.check()?;
        }
        match r.read_event().map_err(|e| malformed("word/styles.xml", &e))? {
            Event::Start(e) => {
                depth += 1;
                if depth > limits.max_xml_depth {
                    return Err(KnowledgeError::Malformed("word/styles.xml nests too deeply".into()));
                }
                if e.local_name().as_ref() == b"style" {
                    id = attr(&e, b"styleId");
                    level = None;
                }
            }
            Event::Empty(e) => match e.local_name().as_ref() {
                b"name" => level = level.or_else(|| attr(&e, b"val").as_deref().and_then(heading_level)),
                b"outlineLvl" => {
                    level = level.or_else(|| attr(&e, b"val")?.parse::<u8>().ok().filter(|l| *l < 9).map(|l| (l + 1).min(6)));
                }
                _ => {}
            },
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if e.local_name().as_ref() == b"style" {
                    if let (Some(i), Some(l)) = (id.take(), level.take()) {
                        out.insert(i, l);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn core_title(xml: &[u8]) -> Option<String> {
    let mut r = reader(xml);
    let mut inside = false;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"title" => inside = true,
            Event::Text(t) if inside => return t.unescape().ok().map(|s| s.trim().to_owned()),
            Event::End(_) => inside = false,
            Event::Eof => return None,
            _ => {}
        }
    }
}

pub fn extract(bytes: &[u8], limits: &Limits, deadline: Deadline) -> Result<(Option<String>, u32, Vec<Block>), KnowledgeError> {
    let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(&e))?;
    let mut parts = Parts { zip, budget: limits.max_inflated_bytes };
    let Some(document) = parts.read(DOCUMENT)? else {
        return Err(KnowledgeError::Unsupported("a ZIP archive without word/document.xml".into()));
    };
    let styles = match parts.read("word/styles.xml")? {
        Some(xml) => heading_styles(&xml, limits, deadline)?,
        None => HashMap::new(),
    };
    let title = parts.read("docProps/core.xml")?.as_deref().and_then(core_title);

    let mut r = reader(&document);
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut kind = BlockKind::Paragraph;
    let (mut depth, mut in_text) = (0usize, false);
    for n in 0usize.. {
        if n % 4096 == 0 {
            deadline.check()?;
        }
        let event = r.read_event().map_err(|e| malformed(DOCUMENT, &e))?;
        match &event {
            Event::Start(e) => {
                depth += 1;
                if depth > limits.max_xml_depth {
                    return Err(KnowledgeError::Malformed(format!("{DOCUMENT} nests deeper than {} elements", limits.max_xml_depth)));
                }
                match e.local_name().as_ref() {
                    b"p" => {
                        text.clear();
                        kind = BlockKind::Paragraph;
                    }
                    b"t" => in_text = true,
                    _ => {}
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => {
                        push(&mut blocks, kind, &text);
                        text.clear();
                    }
                    // Cells of a table row read as one line.
                    b"tc" => text.push_str(" | "),
                    _ => {}
                }
            }
            Event::Empty(e) => match e.local_name().as_ref() {
                b"pStyle" => {
                    if let Some(id) = attr(e, b"val") {
                        if let Some(level) = styles.get(&id).copied().or_else(|| heading_level(&id)) {
                            kind = BlockKind::Heading(level);
                        } else if id.to_ascii_lowercase().starts_with("list") && kind == BlockKind::Paragraph {
                            kind = BlockKind::ListItem;
                        }
                    }
                }
                b"outlineLvl" => {
                    if let Some(l) = attr(e, b"val").and_then(|v| v.parse::<u8>().ok()).filter(|l| *l < 9) {
                        kind = BlockKind::Heading((l + 1).min(6));
                    }
                }
                b"numId" if kind == BlockKind::Paragraph => kind = BlockKind::ListItem,
                b"tab" | b"br" | b"cr" => text.push(' '),
                b"p" => {}
                _ => {}
            },
            Event::Text(t) if in_text => match t.unescape() {
                Ok(s) => text.push_str(&s),
                Err(_) => text.push_str(&String::from_utf8_lossy(t)),
            },
            Event::Eof => break,
            _ => {}
        }
        if text.len() > limits.max_text_bytes {
            return Err(KnowledgeError::TooLarge("the text of the document is too long".into()));
        }
    }
    // Table rows: the trailing separator of the last cell goes.
    for b in &mut blocks {
        if let Some(t) = b.text.strip_suffix(" |") {
            b.text = t.to_owned();
        }
    }
    Ok((title, 0, blocks))
}

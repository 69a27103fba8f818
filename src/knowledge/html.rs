//! HTML (uploaded pages, WordPress post content): a tag scanner finds the
//! block structure, the catalog's normalizer (`html_to_text`) turns each
//! block's text into clean text (entities, shortcodes, whitespace).
use super::plain::push;
use super::{Block, BlockKind, Deadline, KnowledgeError};
use crate::catalog::text::{html_to_text, Repairs};

/// Elements whose content is not text a shopper reads.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "select", "button"];
const BLOCKS: &[&str] = &[
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "tfoot", "thead", "tr", "ul", "caption", "body", "html", "head",
];

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(hay.get(i..)?, b"</") {
        let at = i + p;
        if hay.get(at + 2..at + 2 + needle.len()).is_some_and(|n| n.eq_ignore_ascii_case(needle)) {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

struct Doc {
    blocks: Vec<Block>,
    kind: BlockKind,
    buf: String,
    repairs: Repairs,
}

impl Doc {
    fn flush(&mut self) {
        let text = html_to_text(self.buf.as_bytes(), false, &mut self.repairs).into_owned();
        push(&mut self.blocks, self.kind, text.trim_end_matches(" |").trim_end_matches('|'));
        self.buf.clear();
    }
}

pub fn extract(html: &str, deadline: Deadline) -> Result<(Option<String>, Vec<Block>), KnowledgeError> {
    let b = html.as_bytes();
    let mut doc = Doc { blocks: Vec::new(), kind: BlockKind::Paragraph, buf: String::new(), repairs: Repairs::default() };
    let mut title = None;
    let mut items = 0usize;
    let mut i = 0;
    let mut steps = 0usize;
    while i < b.len() {
        steps += 1;
        if steps % 4096 == 0 {
            deadline.check()?;
        }
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| p + i) else {
            doc.buf.push_str(&html[i..]);
            break;
        };
        doc.buf.push_str(&html[i..lt]);
        if b[lt..].starts_with(b"<!--") {
            i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |p| lt + 4 + p + 3);
            continue;
        }
        let closing = b.get(lt + 1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let is_tag = end > start && b[start].is_ascii_alphabetic() || !closing && matches!(b.get(lt + 1), Some(b'!' | b'?'));
        if !is_tag {
            doc.buf.push('<');
            i = lt + 1;
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', &b[end..]).map(|p| p + end) else { break };
        let name = html[start..end].to_ascii_lowercase();
        i = gt + 1;
        if !closing && (SKIPPED.contains(&name.as_str()) || name == "title") {
            if b[gt - 1] == b'/' {
                continue;
            }
            let close = find_ci(b, i, name.as_bytes()).unwrap_or(b.len());
            if name == "title" && title.is_none() {
                let text = html_to_text(&b[i..close], false, &mut doc.repairs).into_owned();
                title = Some(text);
            }
            i = memchr::memchr(b'>', &b[close..]).map_or(b.len(), |p| close + p + 1);
            continue;
        }
        let heading = name.len() == 2 && name.as_bytes()[0] == b'h' && (b'1'..=b'6').contains(&name.as_bytes()[1]);
        match name.as_str() {
            "td" | "th" if closing => doc.buf.push_str(" | "),
            "br" => doc.buf.push(' '),
            _ if heading => {
                doc.flush();
                doc.kind = if closing {
                    if items > 0 { BlockKind::ListItem } else { BlockKind::Paragraph }
                } else {
                    BlockKind::Heading(name.as_bytes()[1] - b'0')
                };
            }
            "li" | "dt" | "dd" => {
                doc.flush();
                if closing {
                    items = items.saturating_sub(1);
                } else {
                    items += 1;
                }
                doc.kind = if items > 0 { BlockKind::ListItem } else { BlockKind::Paragraph };
            }
            n if BLOCKS.contains(&n) => {
                doc.flush();
                if matches!(n, "ul" | "ol" | "dl") && closing {
                    items = 0;
                    doc.kind = BlockKind::Paragraph;
                }
            }
            _ => {}
        }
    }
    doc.flush();
    Ok((title, doc.blocks))
}

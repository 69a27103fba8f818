//! Markdown through pulldown-cmark (CommonMark + tables). Inline HTML goes
//! through the catalog's normalizer.
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::plain::push;
use super::{Block, BlockKind, Deadline, KnowledgeError};
use crate::catalog::text::{html_to_text, Repairs};

fn level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub fn extract(text: &str, deadline: Deadline) -> Result<Vec<Block>, KnowledgeError> {
    let mut blocks = Vec::new();
    let mut buf = String::new();
    let mut kind = BlockKind::Paragraph;
    // Inside a list item, paragraphs belong to the item.
    let mut items = 0usize;
    let mut repairs = Repairs::default();
    for (n, event) in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).enumerate() {
        if n % 1024 == 0 {
            deadline.check()?;
        }
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => {
                push(&mut blocks, kind, &buf);
                buf.clear();
                kind = BlockKind::Heading(level(l));
            }
            Event::Start(Tag::Item) => {
                push(&mut blocks, kind, &buf);
                buf.clear();
                items += 1;
                kind = BlockKind::ListItem;
            }
            Event::End(TagEnd::Item) => {
                push(&mut blocks, kind, &buf);
                buf.clear();
                items = items.saturating_sub(1);
                kind = if items > 0 { BlockKind::ListItem } else { BlockKind::Paragraph };
            }
            Event::End(TagEnd::Heading(_)) => {
                push(&mut blocks, kind, &buf);
                buf.clear();
                kind = if items > 0 { BlockKind::ListItem } else { BlockKind::Paragraph };
            }
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::TableRow | TagEnd::TableHead | TagEnd::BlockQuote(_)) => {
                if items == 0 {
                    push(&mut blocks, kind, &buf);
                    buf.clear();
                } else {
                    buf.push(' ');
                }
            }
            Event::End(TagEnd::TableCell) => buf.push_str(" | "),
            Event::Text(t) | Event::Code(t) => buf.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => buf.push_str(&html_to_text(h.as_bytes(), false, &mut repairs)),
            Event::SoftBreak | Event::HardBreak | Event::Rule => buf.push(' '),
            _ => {}
        }
    }
    push(&mut blocks, kind, &buf);
    for b in &mut blocks {
        // A table row ends with the cell separator.
        if let Some(t) = b.text.strip_suffix(" |") {
            b.text = t.to_owned();
        }
    }
    Ok(blocks)
}

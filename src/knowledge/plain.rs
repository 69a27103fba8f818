//! Plain text: paragraphs are separated by blank lines, `-`, `*`, `•` and
//! `1.` lines are list items. Also the helpers every format shares.
use std::borrow::Cow;

use super::{Block, BlockKind, Deadline, KnowledgeError};
use crate::catalog::text::collapse_whitespace;

/// Adds a block of whitespace-collapsed text; empty text adds nothing.
pub(super) fn push(blocks: &mut Vec<Block>, kind: BlockKind, text: &str) {
    let text = collapse_whitespace(Cow::Borrowed(text), false);
    if !text.is_empty() {
        blocks.push(Block { kind, text: text.into_owned() });
    }
}

/// The text after a list marker (`- `, `* `, `• `, `1. `, `2) `), if the line starts with one.
pub(super) fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for bullet in ["- ", "* ", "• ", "◦ ", "▪ ", "‣ ", "– "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some(rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

pub fn extract(text: &str, deadline: Deadline) -> Result<Vec<Block>, KnowledgeError> {
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    for (n, line) in text.lines().enumerate() {
        if n % 4096 == 0 {
            deadline.check()?;
        }
        if line.trim().is_empty() {
            push(&mut blocks, BlockKind::Paragraph, &paragraph);
            paragraph.clear();
        } else if let Some(item) = list_item(line) {
            push(&mut blocks, BlockKind::Paragraph, &paragraph);
            paragraph.clear();
            push(&mut blocks, BlockKind::ListItem, item);
        } else {
            paragraph.push(' ');
            paragraph.push_str(line);
        }
    }
    push(&mut blocks, BlockKind::Paragraph, &paragraph);
    Ok(blocks)
}

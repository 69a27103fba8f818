//! Email addresses: local@domain.tld, with subaddresses (`a+tag@`), Unicode
//! letters in the local part and domain (IDN written natively), and punycode.
//! Obfuscated forms ("name at example dot com") are deliberately not matched.

fn is_local(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    if labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let punycode = tld.starts_with("xn--") && tld.len() > 4;
    let letters = tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic);
    punycode || letters
}

/// Byte ranges of every address, in order, non-overlapping.
pub(super) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut floor = 0; // no match may start before the end of the previous one
    let mut search = 0;
    while let Some(rel) = text[search..].find('@') {
        let at = search + rel;
        search = at + 1;
        if at < floor {
            continue;
        }
        let mut start = at;
        for (i, c) in text[floor..at].char_indices().rev() {
            if !is_local(c) {
                break;
            }
            start = floor + i;
        }
        // A local part never starts with a dot (sentence punctuation before it).
        while text[start..at].starts_with('.') {
            start += 1;
        }
        let local = &text[start..at];
        if local.is_empty() || local.ends_with('.') {
            continue;
        }
        let mut end = at + 1;
        for (i, c) in text[at + 1..].char_indices() {
            if !is_domain(c) {
                break;
            }
            end = at + 1 + i + c.len_utf8();
        }
        // Sentence punctuation after an address is not part of it.
        while end > at + 1 && text[..end].ends_with(['.', '-']) {
            end -= 1;
        }
        if !valid_domain(&text[at + 1..end]) {
            continue;
        }
        found.push((start, end));
        floor = end;
        search = end;
    }
    found
}

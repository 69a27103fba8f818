//! Phone and card numbers: runs of digit groups (ASCII, Arabic-Indic ٠-٩ and
//! Persian ۰-۹) joined by short separator runs (space, no-break space, `.`,
//! `-`, `/`, parentheses), then classified.
//!
//! A run is split at whitespace into chunks; when the whole run is neither a
//! phone nor a card, the longest matching chunk sequences are tried left to
//! right, so "0501234567 0559876543" gives two phones while a bare
//! "1234 5678 9012 3456" (not Luhn-valid) gives nothing.
//!
//! Rules, each there to keep a near-miss out:
//! - phone: `+` and 8–15 digits; `00` and 10–17 digits; `(` or a leading `0`
//!   (trunk prefix) and 9–12 digits; otherwise exactly 10 digits starting 2–9
//!   (NANP, Indian mobiles) and only as a whole run. Dates (≤ 8 digits),
//!   prices, order numbers and short numbers never reach those counts.
//! - card: 13–19 digits, first digit 2–6 (the card networks), one consistent
//!   single-character separator (space or `-`), card-like grouping, Luhn.
//! - not a number at all: glued to letters (`SKU-12345`, `AB-2024-0001`,
//!   `v10.0.19045`), after `#` or a currency sign, after a word like "order"
//!   or "sku", before `%`, `,5`, letters or `@`; dotted IPv4 and versions;
//!   `1.234.567.890`-style thousands; a single decimal point.
use super::{Kind, Kinds, Span};

fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{660}'..='\u{669}' => Some((c as u32 - 0x660) as u8),
        '\u{6F0}'..='\u{6F9}' => Some((c as u32 - 0x6F0) as u8),
        _ => None,
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

fn is_sep(c: char) -> bool {
    is_space(c) || matches!(c, '.' | '-' | '/' | '(' | ')')
}

const MAX_SEP_CHARS: usize = 3;
const CURRENCY: &[char] = &['$', '€', '£', '¥', '₹', '₽', '₺', '₩', '¢', '﷼', '₪', '₦', '₱'];
/// A number right after one of these words is an identifier, not a phone or card.
const ID_WORDS: &[&str] = &[
    "order", "orders", "sku", "ean", "upc", "gtin", "isbn", "invoice", "ref", "reference", "tracking",
    "awb", "model", "part", "item", "id", "serial", "barcode", "version", "build", "po", "ticket",
];
/// Words that link an identifier word to its number: "order no. 1234".
const LINK_WORDS: &[&str] = &["no", "nr", "number", "num"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lead {
    None,
    Plus,
    Paren,
}

struct Group {
    digits: Vec<u8>,
    start: usize,
    end: usize,
}

struct Run {
    lead: Lead,
    start: usize,
    groups: Vec<Group>,
    /// Separator text between group k and k + 1, as a byte range.
    seps: Vec<(usize, usize)>,
}

/// Appends the phone/card spans found in `text[from..to]` to `out`.
pub(super) fn find(text: &str, from: usize, to: usize, kinds: Kinds, out: &mut Vec<Span>) {
    if !kinds.phone && !kinds.card {
        return;
    }
    let seg = &text[from..to];
    let cs: Vec<(usize, char)> = seg.char_indices().map(|(i, c)| (from + i, c)).collect();
    let byte_at = |j: usize| cs.get(j).map_or(to, |&(b, _)| b);
    let is_digit_at = |j: usize| cs.get(j).is_some_and(|&(_, c)| digit_value(c).is_some());
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i].1;
        let lead = match c {
            '+' if is_digit_at(i + 1) => Lead::Plus,
            '(' if is_digit_at(i + 1) => Lead::Paren,
            _ if digit_value(c).is_some() => Lead::None,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut run = Run { lead, start: cs[i].0, groups: Vec::new(), seps: Vec::new() };
        let mut j = if lead == Lead::None { i } else { i + 1 };
        loop {
            let gstart = j;
            let mut digits = Vec::new();
            while let Some(d) = cs.get(j).and_then(|&(_, c)| digit_value(c)) {
                digits.push(d);
                j += 1;
            }
            run.groups.push(Group { digits, start: byte_at(gstart), end: byte_at(j) });
            let mut k = j;
            while k < cs.len() && k - j < MAX_SEP_CHARS && is_sep(cs[k].1) {
                k += 1;
            }
            if k > j && is_digit_at(k) {
                run.seps.push((byte_at(j), byte_at(k)));
                j = k;
            } else {
                break;
            }
        }
        classify_run(text, &run, kinds, out);
        i = j;
    }
}

fn classify_run(text: &str, run: &Run, kinds: Kinds, out: &mut Vec<Span>) {
    // Chunks: maximal group ranges joined by separators without whitespace.
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut first = 0;
    for (k, &(s, e)) in run.seps.iter().enumerate() {
        if text[s..e].chars().any(is_space) {
            chunks.push((first, k));
            first = k + 1;
        }
    }
    chunks.push((first, run.groups.len() - 1));
    let chunk_digits: Vec<usize> =
        chunks.iter().map(|&(a, b)| run.groups[a..=b].iter().map(|g| g.digits.len()).sum()).collect();
    let last_chunk = chunks.len() - 1;
    let prefix_ok = prefix_ok(text, run);
    let suffix_ok = suffix_ok(text, run.groups[run.groups.len() - 1].end);

    let mut a = 0;
    while a <= last_chunk {
        // Nothing matches more than 19 digits: bound the chunks tried from `a`.
        let mut max_b = a;
        let mut digits = chunk_digits[a];
        while max_b < last_chunk && digits + chunk_digits[max_b + 1] <= 19 {
            max_b += 1;
            digits += chunk_digits[max_b];
        }
        let mut matched = None;
        if a > 0 || prefix_ok {
            for b in (a..=max_b).rev() {
                if b == last_chunk && !suffix_ok {
                    continue;
                }
                let whole = a == 0 && b == last_chunk;
                let sub = Sub::new(text, run, chunks[a].0, chunks[b].1);
                if let Some(kind) = sub.classify(kinds, whole) {
                    matched = Some((b, kind, sub.start));
                    break;
                }
            }
        }
        match matched {
            Some((b, kind, start)) => {
                out.push(Span { start, end: run.groups[chunks[b].1].end, kind });
                a = b + 1;
            }
            None => a += 1,
        }
    }
}

/// Groups `ga..=gb` of a run, as a candidate.
struct Sub<'a> {
    lead: Lead,
    start: usize,
    groups: &'a [Group],
    seps: Vec<&'a str>,
    digits: Vec<u8>,
}

impl<'a> Sub<'a> {
    fn new(text: &'a str, run: &'a Run, ga: usize, gb: usize) -> Self {
        let (lead, start) = if ga == 0 {
            (run.lead, run.start)
        } else {
            let (s, e) = run.seps[ga - 1];
            if text[s..e].ends_with('(') {
                (Lead::Paren, e - 1)
            } else {
                (Lead::None, run.groups[ga].start)
            }
        };
        let groups = &run.groups[ga..=gb];
        let seps = run.seps[ga..gb].iter().map(|&(s, e)| &text[s..e]).collect();
        let digits = groups.iter().flat_map(|g| g.digits.iter().copied()).collect();
        Self { lead, start, groups, seps, digits }
    }

    fn classify(&self, kinds: Kinds, whole: bool) -> Option<Kind> {
        if kinds.card && self.is_card() {
            Some(Kind::Card)
        } else if kinds.phone && self.is_phone(whole) {
            Some(Kind::Phone)
        } else {
            None
        }
    }

    fn is_card(&self) -> bool {
        let n = self.digits.len();
        if self.lead != Lead::None || !(13..=19).contains(&n) || !(2..=6).contains(&self.digits[0]) {
            return false;
        }
        let sep_ok = self.seps.iter().all(|s| *s == " " || *s == "-")
            && self.seps.windows(2).all(|w| w[0] == w[1]);
        let lens: Vec<usize> = self.groups.iter().map(|g| g.digits.len()).collect();
        let grouping_ok = lens.len() == 1
            || (lens[..lens.len() - 1].iter().all(|&l| l == 4) && (1..=4).contains(&lens[lens.len() - 1]))
            || lens == [4, 6, 5]
            || lens == [4, 6, 4];
        sep_ok && grouping_ok && luhn(&self.digits)
    }

    fn is_phone(&self, whole: bool) -> bool {
        let d = &self.digits;
        let n = d.len();
        let trunk = d[0] == 0;
        if !whole && self.lead == Lead::None && !trunk {
            return false;
        }
        if self.looks_like_a_figure() {
            return false;
        }
        match self.lead {
            Lead::Plus => (8..=15).contains(&n) && d[0] != 0,
            _ if n > 2 && d[0] == 0 && d[1] == 0 => (10..=17).contains(&n) && d[2] != 0,
            Lead::Paren => (9..=12).contains(&n),
            Lead::None if trunk => (9..=12).contains(&n),
            Lead::None => n == 10 && d[0] >= 2,
        }
    }

    /// IPv4 addresses, versions, decimals and thousands-grouped amounts.
    fn looks_like_a_figure(&self) -> bool {
        let lens: Vec<usize> = self.groups.iter().map(|g| g.digits.len()).collect();
        let all_dots = !self.seps.is_empty() && self.seps.iter().all(|s| *s == ".");
        if all_dots && lens.len() == 4 && lens.iter().all(|&l| l <= 3) {
            return true;
        }
        if all_dots && lens.len() == 2 && lens[1] <= 2 {
            return true;
        }
        let skip = usize::from(self.lead == Lead::Plus);
        if self.seps.iter().any(|s| s.contains('.')) && lens.iter().skip(skip).any(|&l| l == 1) {
            return true;
        }
        let same_single = self.seps.windows(2).all(|w| w[0] == w[1])
            && self.seps.first().is_some_and(|s| s.chars().count() == 1 && s.chars().all(|c| c == '.' || is_space(c)));
        self.lead == Lead::None
            && self.digits[0] != 0
            && same_single
            && lens[0] <= 3
            && lens[1..].iter().all(|&l| l == 3)
    }
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn prefix_ok(text: &str, run: &Run) -> bool {
    let before = &text[..run.start];
    let mut rev = before.chars().rev();
    match (rev.next(), rev.next()) {
        (None, _) => return true,
        (Some(p), _) if is_word(p) || p == '#' => return false,
        (Some('-' | '_' | '/' | '.' | '+'), Some(p2)) if is_word(p2) => return false,
        _ => {}
    }
    if before.trim_end_matches(is_space).ends_with(CURRENCY) {
        return false;
    }
    run.lead == Lead::Plus || !after_id_word(before)
}

/// "order 10423", "SKU: 1234567890", "order no. 0501234567".
fn after_id_word(before: &str) -> bool {
    let mut rest = before;
    for _ in 0..2 {
        rest = rest.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '#' | '.' | '-' | '№'));
        let word_start = rest.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
        let word = rest[word_start..].to_lowercase();
        if ID_WORDS.contains(&word.as_str()) {
            return true;
        }
        if !LINK_WORDS.contains(&word.as_str()) {
            return false;
        }
        rest = &rest[..word_start];
    }
    false
}

fn suffix_ok(text: &str, end: usize) -> bool {
    let after = &text[end..];
    let mut it = after.chars();
    match (it.next(), it.next()) {
        (None, _) => true,
        (Some(n), _) if is_word(n) || matches!(n, '@' | '%') => false,
        (Some('-' | '_' | '/'), Some(n2)) if is_word(n2) => false,
        (Some(',' | '.'), Some(n2)) if digit_value(n2).is_some() => false,
        _ => !after.trim_start_matches(is_space).starts_with(CURRENCY),
    }
}

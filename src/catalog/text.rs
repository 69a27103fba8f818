//! HTML → plain text. Each pass is a small scanner with the same semantics as
//! one regular expression of the pure-PHP reference (tests/bench/catalog_reference.php),
//! so both produce byte-identical text; change them together.
use std::borrow::Cow;

use super::entities;
use super::swar;

/// Repairs invalid UTF-8: each maximal invalid subsequence becomes one U+FFFD
/// (the WHATWG / Unicode "maximal subpart" rule). Returns the text and how many
/// replacements were made.
pub fn repair_utf8(bytes: &[u8]) -> (Cow<'_, str>, usize) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), 0);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push('\u{FFFD}');
            replaced += 1;
        }
    }
    (Cow::Owned(out), replaced)
}

/// Block-level elements: they end a line of text (`separator` matches the
/// same names; a test keeps the two in step).
#[cfg(test)]
const BLOCK_TAGS: &[&str] = &[
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
];

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

fn find_byte(hay: &[u8], from: usize, byte: u8) -> Option<usize> {
    memchr::memchr(byte, hay.get(from..)?).map(|p| p + from)
}

fn name_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

/// Where the construct starting at `<` (index `lt`) ends and what replaces it;
/// `None` when the `<` is plain text.
fn classify_tag(b: &[u8], lt: usize) -> Option<(usize, &'static str)> {
    if b[lt..].starts_with(b"<!--") {
        return Some((find(b, lt + 4, b"-->").map_or(b.len(), |p| p + 3), ""));
    }
    match b.get(lt + 1)? {
        b'!' | b'?' => find_byte(b, lt + 2, b'>').map(|gt| (gt + 1, "")),
        b'/' => {
            if !b.get(lt + 2)?.is_ascii_alphabetic() {
                return None;
            }
            let end = name_end(b, lt + 2);
            let gt = find_byte(b, end, b'>')?;
            Some((gt + 1, separator(&b[lt + 2..end])))
        }
        c if c.is_ascii_alphabetic() => {
            let end = name_end(b, lt + 1);
            let name = &b[lt + 1..end];
            let gt = find_byte(b, end, b'>')?;
            if name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style") {
                // Their content is code, not text: drop through the closing tag.
                let mut from = gt + 1;
                while let Some(p) = find(b, from, b"</") {
                    let cand = b.get(p + 2..p + 2 + name.len());
                    if cand.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
                        return Some((find_byte(b, p + 2, b'>').map_or(b.len(), |g| g + 1), ""));
                    }
                    from = p + 2;
                }
                return Some((b.len(), ""));
            }
            Some((gt + 1, separator(name)))
        }
        _ => None,
    }
}

/// Lower-cases the name into a small buffer and matches it against the
/// literal names at once (the compiler turns this into a few length and word
/// compares instead of a case-insensitive scan of the whole list per tag).
fn separator(name: &[u8]) -> &'static str {
    let mut buf = [0u8; 10];
    let Some(lower) = buf.get_mut(..name.len()) else { return "" };
    for (d, s) in lower.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    let block = matches!(
        &*lower,
        b"address" | b"article" | b"aside" | b"blockquote" | b"br" | b"dd" | b"div" | b"dl" | b"dt" | b"fieldset"
            | b"figcaption" | b"figure" | b"footer" | b"form" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6"
            | b"header" | b"hr" | b"li" | b"main" | b"nav" | b"ol" | b"p" | b"pre" | b"section" | b"table"
            | b"tbody" | b"td" | b"tfoot" | b"th" | b"thead" | b"tr" | b"ul"
    );
    if block {
        "\n"
    } else {
        ""
    }
}

/// Drops tags, comments and script/style content; block tags become "\n".
pub fn strip_tags(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let Some(first) = find_byte(b, 0, b'<') else { return Cow::Borrowed(s) };
    let mut out = String::with_capacity(s.len());
    let (mut last, mut i) = (0, first);
    while let Some(lt) = find_byte(b, i, b'<') {
        match classify_tag(b, lt) {
            Some((end, sep)) => {
                out.push_str(&s[last..lt]);
                out.push_str(sep);
                last = end;
                i = end;
            }
            None => i = lt + 1,
        }
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// PCRE's `\s` without the u flag.
fn is_pcre_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

/// End of a WordPress shortcode (`[gallery ids="1,2"]`, `[/caption]`) at `[`.
/// Names are lowercase and at least two characters so `[M]` or `[1]` stay text.
fn shortcode_end(b: &[u8], open: usize) -> Option<usize> {
    let mut j = open + 1;
    if b.get(j) == Some(&b'/') {
        j += 1;
    }
    if !b.get(j)?.is_ascii_lowercase() {
        return None;
    }
    let mut k = j + 1;
    while k < b.len() && matches!(b[k], b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-') {
        k += 1;
    }
    if k - j < 2 {
        return None;
    }
    match b.get(k)? {
        b']' => Some(k + 1),
        &c if is_pcre_space(c) => find_byte(b, k + 1, b']').map(|p| p + 1),
        _ => None,
    }
}

/// Removes shortcode tags, keeping any text they enclose.
pub fn strip_shortcodes(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let Some(first) = find_byte(b, 0, b'[') else { return Cow::Borrowed(s) };
    let mut out = String::with_capacity(s.len());
    let (mut last, mut i) = (0, first);
    while let Some(open) = find_byte(b, i, b'[') {
        match shortcode_end(b, open) {
            Some(end) => {
                out.push_str(&s[last..open]);
                last = end;
                i = end;
            }
            None => i = open + 1,
        }
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// What an entity stands for.
enum Decoded {
    Char(char),
    Str(&'static str),
}

/// The entity starting at `&`: its end and the character(s) it stands for.
fn entity_at(b: &[u8], amp: usize) -> Option<(usize, Decoded)> {
    let rest = &b[amp + 1..];
    if rest.first() == Some(&b'#') {
        let (digits, radix, start) = match rest.get(1) {
            Some(b'x' | b'X') => (rest[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count(), 16, 2),
            _ => (rest[1..].iter().take_while(|c| c.is_ascii_digit()).count(), 10, 1),
        };
        let max = if radix == 16 { 6 } else { 7 };
        if digits == 0 || digits > max || rest.get(start + digits) != Some(&b';') {
            return None;
        }
        let text = std::str::from_utf8(&rest[start..start + digits]).ok()?;
        let code = u32::from_str_radix(text, radix).ok()?;
        let ch = if code == 0 { '\u{FFFD}' } else { char::from_u32(code).unwrap_or('\u{FFFD}') };
        return Some((amp + 1 + start + digits + 1, Decoded::Char(ch)));
    }
    if !rest.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    if !(2..=32).contains(&len) || rest.get(len) != Some(&b';') {
        return None;
    }
    let decoded = entities::lookup(&rest[..len])?;
    Some((amp + 1 + len + 1, Decoded::Str(decoded)))
}

/// Decodes named (see `entities`) and numeric character references.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let Some(first) = find_byte(b, 0, b'&') else { return Cow::Borrowed(s) };
    let mut out = String::with_capacity(s.len());
    let (mut last, mut i) = (0, first);
    while let Some(amp) = find_byte(b, i, b'&') {
        match entity_at(b, amp) {
            Some((end, decoded)) => {
                out.push_str(&s[last..amp]);
                match decoded {
                    Decoded::Char(c) => out.push(c),
                    Decoded::Str(text) => out.push_str(text),
                }
                last = end;
                i = end;
            }
            None => i = amp + 1,
        }
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Control characters and Unicode spaces (incl. NBSP, zero-width space, BOM).
#[inline]
pub fn is_space(c: char) -> bool {
    if c < '\u{7F}' {
        return c <= ' ';
    }
    matches!(
        c,
        '\u{7F}' | '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200B}' | '\u{2028}' | '\u{2029}' | '\u{202F}'
            | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

/// Bytes in the UTF-8 character that starts with `lead`.
#[inline]
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The whitespace character at `i` and its width, if it is one.
#[inline]
fn space_at(s: &str, b: &[u8], i: usize) -> Option<usize> {
    let byte = b[i];
    if byte < 0x80 {
        return (byte <= b' ' || byte == 0x7F).then_some(1);
    }
    let c = s.get(i..)?.chars().next()?;
    is_space(c).then(|| c.len_utf8())
}

/// Collapses whitespace runs to one space, trims, and (multiline) keeps a
/// single "\n" wherever a run contained a line break, dropping empty lines.
/// Text between runs is copied in spans: a run that already is its
/// replacement (the usual single space) costs nothing (this pass runs over
/// every description).
pub fn collapse_whitespace(input: Cow<'_, str>, multiline: bool) -> Cow<'_, str> {
    let s: &str = &input;
    let b = s.as_bytes();
    // Allocated on the first change only: when nothing changes, the input
    // (borrowed from PHP, or the output of an earlier pass) is returned as it is.
    let mut out = String::new();
    let mut last = 0; // start of the text not yet copied to `out`
    let mut i = 0;
    while i < b.len() {
        // Eight bytes at a time over plain words and single spaces, which
        // stay as they are: a space is kept when the byte after it is
        // printable ASCII (and, by the invariant below, so is the byte before
        // it). Needs a byte after the block, and not the start: a leading or
        // trailing space is trimmed.
        if i > 0 {
            if let (Some(x), Some(&next)) = (swar::load(b, i), b.get(i + 8)) {
                let special = swar::not_graphic(x);
                let next_special = (special >> 8) | (u64::from(!(0x21..=0x7E).contains(&next)) << 63);
                let kept = swar::eq(x, b' ') & !next_special;
                let attention = special & !kept;
                if attention == 0 {
                    i += 8;
                    continue;
                }
                i += swar::first(attention);
            }
        }
        let byte = b[i];
        if byte > b' ' && byte < 0x7F {
            i += 1;
            continue;
        }
        // The common case, one space between words, stays as it is. (At the
        // top of the loop the previous byte is never whitespace: runs are
        // consumed whole below.)
        if byte == b' ' && i > 0 && b.get(i + 1).is_some_and(|&n| n > b' ' && n < 0x7F) {
            i += 2;
            continue;
        }
        let Some(width) = space_at(s, b, i) else {
            // A character that is not a space: step over all of its bytes.
            i += utf8_width(byte);
            continue;
        };
        let start = i;
        let mut newline = false;
        i += width;
        newline |= multiline && byte == b'\n';
        while i < b.len() {
            let Some(w) = space_at(s, b, i) else { break };
            newline |= multiline && b[i] == b'\n';
            i += w;
        }
        let replacement = if start == 0 || i == b.len() {
            ""
        } else if newline {
            "\n"
        } else {
            " "
        };
        let unchanged = i - start == replacement.len() && replacement.bytes().next().is_none_or(|r| b[start] == r);
        if !unchanged {
            if out.capacity() == 0 {
                out.reserve(s.len());
            }
            out.push_str(&s[last..start]);
            out.push_str(replacement);
            last = i;
        }
    }
    if last == 0 {
        return input;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Cuts to at most `max` characters, at the last space or line break when the
/// cut would split a word. Returns whether anything was cut.
pub fn truncate_words(text: &mut Cow<'_, str>, max: usize) -> bool {
    if text.len() <= max {
        return false; // no more characters than bytes
    }
    // Where character `max` starts: at byte `max` when all before it are ASCII
    // (the usual description), found by walking the characters otherwise.
    let ascii_prefix = text.as_bytes().get(..max).is_some_and(<[u8]>::is_ascii);
    let cut = if ascii_prefix { Some(max) } else { text.char_indices().nth(max).map(|(i, _)| i) };
    let Some(cut) = cut else { return false };
    let s = text.to_mut();
    let next_is_break = matches!(s.as_bytes()[cut], b' ' | b'\n');
    let mut end = cut;
    if !next_is_break {
        if let Some(p) = s[..cut].rfind([' ', '\n']) {
            end = p;
        }
    }
    s.truncate(end);
    let trimmed = s.trim_end_matches([' ', '\n']).len();
    s.truncate(trimmed);
    true
}

/// Counts what normalization repaired, for `Catalog::stats()`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repairs {
    pub utf8: usize,
}

/// The full pipeline for one HTML fragment: UTF-8 repair, tags, shortcodes,
/// entities, whitespace. `multiline` keeps line breaks (descriptions);
/// otherwise the result is one line (names, terms). Clean text (the usual
/// name, SKU or term) comes back borrowed from `raw`, without a copy.
pub fn html_to_text<'a>(raw: &'a [u8], multiline: bool, repairs: &mut Repairs) -> Cow<'a, str> {
    let (repaired, n) = repair_utf8(raw);
    repairs.utf8 += n;
    let untagged = then(repaired, strip_tags);
    let plain = then(untagged, strip_shortcodes);
    let decoded = then(plain, decode_entities);
    collapse_whitespace(decoded, multiline)
}

/// Runs one pass; when it changes nothing the input goes on as it is, so a
/// later pass can take over an owned string instead of copying it.
fn then<'a>(input: Cow<'a, str>, pass: impl Fn(&str) -> Cow<'_, str>) -> Cow<'a, str> {
    let changed = match pass(&input) {
        Cow::Owned(s) => Some(s),
        Cow::Borrowed(_) => None,
    };
    changed.map_or(input, Cow::Owned)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    fn c(s: &str, multiline: bool) -> String {
        let borrowed = super::collapse_whitespace(Cow::Borrowed(s), multiline);
        let owned = super::collapse_whitespace(Cow::Owned(s.to_owned()), multiline);
        assert_eq!(borrowed, owned);
        borrowed.into_owned()
    }

    #[test]
    fn an_unchanged_owned_input_is_returned_without_a_copy() {
        let input = String::from("a b\nc");
        let ptr = input.as_ptr();
        let out = super::collapse_whitespace(Cow::Owned(input), true);
        assert_eq!(out, "a b\nc");
        assert_eq!(out.as_ptr(), ptr);
    }

    #[test]
    fn separator_knows_exactly_the_block_tags() {
        for t in super::BLOCK_TAGS {
            assert_eq!(super::separator(t.as_bytes()), "\n", "{t}");
            assert_eq!(super::separator(t.to_ascii_uppercase().as_bytes()), "\n", "{t}");
        }
        for t in ["b", "span", "a", "img", "strong", "blockquotes", "h7", "", "figcaptionx", "tablex"] {
            assert_eq!(super::separator(t.as_bytes()), "", "{t}");
        }
    }

    #[test]
    fn passes_chain_like_separate_calls() {
        let mut r = super::Repairs::default();
        let html = "<p>Caf&eacute;  [gallery ids=\"1\"]<b>mug</b></p>\n\n<script>x</script>&amp;  tea";
        assert_eq!(super::html_to_text(html.as_bytes(), true, &mut r), "Café mug\n& tea");
        assert_eq!(super::html_to_text(b"Blue shirt", false, &mut r), "Blue shirt");
        assert_eq!(super::html_to_text(b"  x\xff  y ", false, &mut r), "x\u{FFFD} y");
        assert_eq!(r.utf8, 1);
    }

    /// The rule, written the slow and obvious way.
    fn collapse_by_runs(s: &str, multiline: bool) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if !super::is_space(chars[i]) {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && super::is_space(chars[i]) {
                i += 1;
            }
            if start > 0 && i < chars.len() {
                out.push(if multiline && chars[start..i].contains(&'\n') { '\n' } else { ' ' });
            }
        }
        out
    }

    #[test]
    fn fast_paths_agree_with_the_rule_on_random_text() {
        use rand::{Rng, SeedableRng};
        let alphabet = ['a', 'b', 'Z', '.', ' ', ' ', ' ', '\n', '\t', '\r', '\u{7F}', '\u{A0}', '\u{200B}', 'é', '耳', '😀', '\u{3000}'];
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..20_000 {
            let len = rng.gen_range(0..40);
            let s: String = (0..len)
                .map(|_| if rng.gen_bool(0.6) { 'w' } else { alphabet[rng.gen_range(0..alphabet.len())] })
                .collect();
            for multiline in [false, true] {
                assert_eq!(c(&s, multiline), collapse_by_runs(&s, multiline), "{s:?} multiline={multiline}");
            }
        }
    }

    #[test]
    fn collapses_runs_and_keeps_line_breaks_when_multiline() {
        assert_eq!(c("", false), "");
        assert_eq!(c(" \t\n ", true), "");
        assert_eq!(c("a b", false), "a b");
        assert_eq!(c("  a \t b  ", false), "a b");
        assert_eq!(c("a \n\n b\nc", true), "a\nb\nc");
        assert_eq!(c("a \n\n b\nc", false), "a b c");
        assert_eq!(c("a\u{A0}\u{200B}b\u{3000}", false), "a b");
        assert_eq!(c("قميص  أزرق\u{7F}耳机", false), "قميص أزرق 耳机");
        assert_eq!(c("x\r\ny", true), "x\ny");
    }
}

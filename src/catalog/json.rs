//! One line of a snapshot file (JSON text) → the input tree, built exactly as
//! `addMany` sees what PHP's `json_decode($line, true)` makes of it: objects
//! become maps whose canonical decimal keys are integers, a repeated key keeps
//! its first place and its last value, an object keyed 0, 1, 2… is a list,
//! integers that do not fit 64 bits are floats, `-0` is the integer 0. So a
//! product read here normalizes to the same document as through PHP.
//!
//! Strings without escapes borrow the line; the rest lives in the arena.
use bumpalo::collections::Vec as BumpVec;
use bumpalo::Bump;

use super::value::{InputError, Key, Value, MAX_DEPTH, MAX_STRING_BYTES};

/// Why a line is not a product.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON (PHP's json_decode returns null for it).
    #[error("not valid JSON: {0} at byte {1}")]
    Syntax(&'static str, usize),
    /// JSON, but the tree `addMany` would refuse.
    #[error("{0}")]
    Input(InputError),
}

/// Objects with more entries than this find repeated keys through a hash map.
const LINEAR_KEYS: usize = 16;

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    arena: &'a Bump,
}

/// The value of one JSON text (surrounding whitespace allowed), the top level
/// being nesting level 1 as in `addMany`.
pub fn decode<'a>(text: &'a [u8], arena: &'a Bump) -> Result<Value<'a>, DecodeError> {
    // JSON is UTF-8: PHP refuses anything else (JSON_ERROR_UTF8), so checking once makes every slice below a `str`.
    if let Err(e) = std::str::from_utf8(text) {
        return Err(DecodeError::Syntax("malformed UTF-8", e.valid_up_to()));
    }
    let mut p = Parser { text, at: 0, arena };
    p.ws();
    let v = p.value(1)?;
    p.ws();
    if p.at != text.len() {
        return Err(p.err("unexpected text after the value"));
    }
    Ok(v)
}

impl<'a> Parser<'a> {
    fn err(&self, what: &'static str) -> DecodeError {
        DecodeError::Syntax(what, self.at)
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &'static [u8], v: Value<'a>) -> Result<Value<'a>, DecodeError> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(v)
        } else {
            Err(self.err("unknown literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, DecodeError> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                if s.len() > MAX_STRING_BYTES {
                    return Err(DecodeError::Input(InputError::StringTooLong(s.len())));
                }
                Ok(Value::Str(s))
            }
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("unexpected character")),
            None => Err(self.err("unexpected end")),
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - from
    }

    fn number(&mut self) -> Result<Value<'a>, DecodeError> {
        let from = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("malformed number")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.err("malformed number"));
            }
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("malformed number"));
            }
            integer = false;
        }
        // Checked UTF-8 above, and a number is ASCII.
        let text = std::str::from_utf8(&self.text[from..self.at]).unwrap_or_default();
        if integer {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Value::Int(i));
            }
        }
        // Correctly rounded, like PHP's zend_strtod.
        text.parse::<f64>().map(Value::Float).map_err(|_| self.err("malformed number"))
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let digits = self.text.get(self.at..self.at + 4).ok_or_else(|| self.err("short \\u escape"))?;
        let mut n = 0u32;
        for &d in digits {
            let v = (d as char).to_digit(16).ok_or_else(|| self.err("malformed \\u escape"))?;
            n = n * 16 + v;
        }
        self.at += 4;
        Ok(n)
    }

    /// A string's bytes (after its opening quote is at `self.at`).
    fn string(&mut self) -> Result<&'a [u8], DecodeError> {
        self.at += 1;
        let start = self.at;
        // The usual string has no escape: borrowed as it is.
        loop {
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(&self.text[start..self.at - 1]);
                }
                Some(b'\\') => break,
                Some(c) if c < 0x20 => return Err(self.err("control character in a string")),
                Some(_) => self.at += 1,
            }
        }
        let mut out = BumpVec::with_capacity_in(self.at - start + 16, self.arena);
        out.extend_from_slice(&self.text[start..self.at]);
        loop {
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out.into_bump_slice());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.at += 1;
                    let byte = match c {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let ch = self.unicode_escape()?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        _ => return Err(self.err("unknown escape")),
                    };
                    out.push(byte);
                }
                Some(c) if c < 0x20 => return Err(self.err("control character in a string")),
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (a surrogate pair taking two);
    /// an unpaired surrogate is an error, as in PHP (JSON_ERROR_UTF16).
    fn unicode_escape(&mut self) -> Result<char, DecodeError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.at..].starts_with(b"\\u") {
                    return Err(self.err("unpaired UTF-16 surrogate"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.err("unpaired UTF-16 surrogate"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.err("unpaired UTF-16 surrogate")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.err("malformed \\u escape"))
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::Input(InputError::TooDeep));
        }
        self.at += 1;
        let mut items = BumpVec::new_in(self.arena);
        self.ws();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::List(items.into_bump_slice()));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::List(items.into_bump_slice()));
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::Input(InputError::TooDeep));
        }
        self.at += 1;
        let mut entries: BumpVec<'a, (Key<'a>, Value<'a>)> = BumpVec::new_in(self.arena);
        let mut places: Option<foldhash::HashMap<Key<'a>, usize>> = None;
        self.ws();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::List(&[]));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a key"));
            }
            let key = php_key(self.string()?);
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':'"));
            }
            self.at += 1;
            self.ws();
            let value = self.value(depth + 1)?;
            if entries.len() == LINEAR_KEYS && places.is_none() {
                places = Some(entries.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect());
            }
            let found = match &places {
                Some(map) => map.get(&key).copied(),
                None => entries.iter().position(|(k, _)| *k == key),
            };
            match found {
                Some(i) => entries[i].1 = value,
                None => {
                    if let Some(map) = &mut places {
                        map.insert(key, entries.len());
                    }
                    entries.push((key, value));
                }
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
        // An array whose keys are 0, 1, 2… in order is a list to `addMany` (see `to_value`).
        if entries.iter().enumerate().all(|(i, (k, _))| *k == Key::Int(i as i64)) {
            let items = BumpVec::from_iter_in(entries.iter().map(|(_, v)| *v), self.arena);
            return Ok(Value::List(items.into_bump_slice()));
        }
        Ok(Value::Map(entries.into_bump_slice()))
    }
}

/// PHP stores a key that is a canonical decimal integer ("7", "-3", not "07", "-0", "+1") as that integer.
fn php_key(b: &[u8]) -> Key<'_> {
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    let canonical = match digits {
        [b'0'] => b.len() == 1,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if canonical {
        if let Some(i) = std::str::from_utf8(b).ok().and_then(|s| s.parse::<i64>().ok()) {
            return Key::Int(i);
        }
    }
    Key::Str(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<R>(text: &str, f: impl FnOnce(Result<Value<'_>, DecodeError>) -> R) -> R {
        let arena = Bump::new();
        f(decode(text.as_bytes(), &arena))
    }

    #[test]
    fn numbers_as_php_decodes_them() {
        with("[0, -0, 7, -9223372036854775808, 9223372036854775807, 9223372036854775808, 1.5, -0.0, 1e2, 2E-1]", |v| {
            let Ok(Value::List(items)) = v else { panic!("{v:?}") };
            let expect = [
                Value::Int(0),
                Value::Int(0),
                Value::Int(7),
                Value::Int(i64::MIN),
                Value::Int(i64::MAX),
                Value::Float(9_223_372_036_854_775_808.0),
                Value::Float(1.5),
                Value::Float(-0.0),
                Value::Float(100.0),
                Value::Float(0.2),
            ];
            assert_eq!(items, expect);
            let Value::Float(z) = items[7] else { panic!() };
            assert!(z.is_sign_negative());
        });
        for bad in ["01", "1.", ".5", "-", "1e", "+1", "0x10", "NaN", "1.5e+"] {
            with(bad, |v| assert!(matches!(v, Err(DecodeError::Syntax(..))), "{bad}: {v:?}"));
        }
    }

    #[test]
    fn keys_as_php_stores_them() {
        with(r#"{"id":1,"7":"a","-3":"b","07":"c","-0":"d","+1":"e","id":2,"":"f","99999999999999999999":"g"}"#, |v| {
            let Ok(Value::Map(e)) = v else { panic!("{v:?}") };
            let keys: Vec<Key<'_>> = e.iter().map(|(k, _)| *k).collect();
            assert_eq!(
                keys,
                [
                    Key::Str(b"id"),
                    Key::Int(7),
                    Key::Int(-3),
                    Key::Str(b"07"),
                    Key::Str(b"-0"),
                    Key::Str(b"+1"),
                    Key::Str(b""),
                    Key::Str(b"99999999999999999999")
                ]
            );
            assert_eq!(e[0].1, Value::Int(2), "a repeated key keeps its place and takes the last value");
        });
        with(r#"{"0":"a","1":"b"}"#, |v| assert_eq!(v, Ok(Value::List(&[Value::Str(b"a"), Value::Str(b"b")]))));
        with(r#"{"1":"a","0":"b"}"#, |v| assert!(matches!(v, Ok(Value::Map(_)))));
        with("{}", |v| assert_eq!(v, Ok(Value::List(&[]))));
        // Past LINEAR_KEYS the repeated key is found through the map.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let text = format!("{{{},\"k3\":\"x\",\"k30\":\"y\"}}", many.join(","));
        with(&text, |v| {
            let Ok(Value::Map(e)) = v else { panic!() };
            assert_eq!(e.len(), 40);
            assert_eq!((e[3].1, e[30].1), (Value::Str(b"x"), Value::Str(b"y")));
        });
    }

    #[test]
    fn strings_unescaped_or_refused() {
        with(r#"["a\"b\\\/\n\u00e9\ud83d\ude00", "plain é"]"#, |v| {
            let Ok(Value::List(items)) = v else { panic!("{v:?}") };
            assert_eq!(items[0], Value::Str("a\"b\\/\né😀".as_bytes()));
            assert_eq!(items[1], Value::Str("plain é".as_bytes()));
        });
        for bad in [r#""\ud800""#, r#""\udc00x""#, r#""\ud800\u0041""#, "\"a\tb\"", r#""\x""#, r#""abc"#, r#""\u12""#] {
            with(bad, |v| assert!(matches!(v, Err(DecodeError::Syntax(..))), "{bad}: {v:?}"));
        }
        let arena = Bump::new();
        assert!(matches!(decode(b"\"\xff\"", &arena), Err(DecodeError::Syntax("malformed UTF-8", 1))));
    }

    #[test]
    fn structure_errors_and_limits() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[1] x", "{1:2}", "tru", "nul"] {
            with(bad, |v| assert!(matches!(v, Err(DecodeError::Syntax(..))), "{bad}: {v:?}"));
        }
        with(" \t{\"a\":[true,false,null]}\r\n", |v| assert!(matches!(v, Ok(Value::Map(_)))));
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        with(&deep, |v| assert!(v.is_ok()));
        let deeper = format!("{}1{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        with(&deeper, |v| assert_eq!(v, Err(DecodeError::Input(InputError::TooDeep))));
        // Far deeper than any stack allows when parsed recursively: refused at MAX_DEPTH.
        with(&"[".repeat(1_000_000), |v| assert_eq!(v, Err(DecodeError::Input(InputError::TooDeep))));
        let long = format!("\"{}\"", "a".repeat(MAX_STRING_BYTES + 1));
        with(&long, |v| assert_eq!(v, Err(DecodeError::Input(InputError::StringTooLong(MAX_STRING_BYTES + 1)))));
    }
}

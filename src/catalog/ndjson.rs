//! NDJSON lines: the document's canonical JSON with `hash` appended as the
//! last field and a "\n" terminator.
//!
//! The JSON is written here rather than by `serde_json::to_writer`: serde_json
//! escapes strings one byte at a time, which was 18% of all instructions spent
//! normalizing a catalog (descriptions are most of each line). The output is
//! serde_json's exactly (compact, fields in declaration order, the same
//! escapes): the tests compare the two on every document they build, and
//! `Catalog::documents` reads the lines back with serde_json.
use super::hash::hex_digits;
use super::swar;
use super::product::{Document, Text, Variation};

/// Canonical JSON of the document (no `hash`).
pub fn write_document(doc: &Document<'_>, out: &mut Vec<u8>) {
    let mut o = Object::new(out);
    o.key("id").int(doc.id);
    o.key("name").str(&doc.name);
    o.key("sku").opt(&doc.sku);
    o.key("type").str(&doc.kind);
    o.key("status").str(&doc.status);
    o.key("url").opt(&doc.url);
    o.key("price").opt(&doc.price);
    o.key("regular_price").opt(&doc.regular_price);
    o.key("sale_price").opt(&doc.sale_price);
    o.key("currency").str(&doc.currency);
    o.key("on_sale").bool(doc.on_sale);
    o.key("stock_status").str(&doc.stock_status);
    o.key("stock_quantity").opt_int(doc.stock_quantity);
    o.key("categories").list(&doc.categories);
    o.key("tags").list(&doc.tags);
    o.key("attributes");
    let mut attributes = Object::new(o.out);
    for (name, values) in &doc.attributes {
        attributes.text_key(name).list(values);
    }
    attributes.end();
    o.key("variations");
    o.out.push(b'[');
    for (i, v) in doc.variations.iter().enumerate() {
        if i > 0 {
            o.out.push(b',');
        }
        write_variation(v, o.out);
    }
    o.out.push(b']');
    o.key("text").str(&doc.text);
    o.key("image").opt(&doc.image);
    o.key("rating").opt(&doc.rating);
    o.key("review_count").int(doc.review_count);
    o.key("updated_at").opt_int(doc.updated_at);
    o.end();
}

fn write_variation(v: &Variation<'_>, out: &mut Vec<u8>) {
    let mut o = Object::new(out);
    o.key("id").int(v.id);
    o.key("sku").opt(&v.sku);
    o.key("price").opt(&v.price);
    o.key("regular_price").opt(&v.regular_price);
    o.key("sale_price").opt(&v.sale_price);
    o.key("on_sale").bool(v.on_sale);
    o.key("stock_status").str(&v.stock_status);
    o.key("stock_quantity").opt_int(v.stock_quantity);
    o.key("attributes");
    let mut attributes = Object::new(o.out);
    for (name, value) in &v.attributes {
        attributes.text_key(name).str(value);
    }
    attributes.end();
    o.end();
}

/// A JSON object being written: `key` adds the separator and the key, the
/// value methods write one value.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Self { out, first: true }
    }

    /// A field name of the schema: plain ASCII, written without escaping.
    fn key(&mut self, key: &'static str) -> &mut Self {
        self.separator();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self
    }

    /// A key from the data (an attribute name).
    fn text_key(&mut self, key: &str) -> &mut Self {
        self.separator();
        string(self.out, key);
        self.out.push(b':');
        self
    }

    fn separator(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn str(&mut self, s: &str) {
        string(self.out, s);
    }

    fn opt(&mut self, s: &Option<Text<'_>>) {
        match s {
            Some(s) => string(self.out, s),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn int(&mut self, i: i64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
    }

    fn opt_int(&mut self, i: Option<i64>) {
        match i {
            Some(i) => self.int(i),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn bool(&mut self, b: bool) {
        self.out.extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn list(&mut self, items: &[Text<'_>]) {
        self.out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            string(self.out, item);
        }
        self.out.push(b']');
    }

    fn end(self) {
        self.out.push(b'}');
    }
}

/// A JSON string with serde_json's escapes (short forms for \b \t \n \f \r,
/// `\u00XX` in lowercase hex for the other controls, everything else as is).
/// Eight bytes are checked at a time: text rarely needs an escape.
fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let (mut copied, mut i) = (0, 0);
    while i < b.len() {
        let x = swar::load_padded(b, i, b'a');
        let mut escapes = swar::below(x, 0x20) | swar::eq(x, b'"') | swar::eq(x, b'\\');
        while escapes != 0 {
            let at = i + swar::first(escapes);
            out.extend_from_slice(&b[copied..at]);
            escape(out, b[at]);
            copied = at + 1;
            escapes &= escapes - 1;
        }
        i += 8;
    }
    out.extend_from_slice(&b[copied..]);
    out.push(b'"');
}

fn escape(out: &mut Vec<u8>, c: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match c {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0C => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(c >> 4)], HEX[usize::from(c & 0xF)]]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// Turns the canonical JSON in `json` into its NDJSON line in place: the hash
/// goes last, then "\n".
pub fn append_hash(json: &mut Vec<u8>, hash: u128) {
    if json.last() == Some(&b'}') {
        json.pop();
    }
    json.extend_from_slice(b",\"hash\":\"");
    json.extend_from_slice(&hex_digits(hash));
    json.extend_from_slice(b"\"}\n");
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use super::*;

    fn text(s: &str) -> Text<'static> {
        Cow::Owned(s.to_owned())
    }

    /// Every byte value and every field kind, compared with serde_json.
    #[test]
    fn writes_exactly_what_serde_json_writes() {
        let all_bytes: String = (0u8..0x80).map(char::from).collect::<String>() + "é قميص 耳机 😀 \u{2028}";
        let variation = Variation {
            id: 9,
            sku: None,
            price: Some(text("1.00")),
            regular_price: None,
            sale_price: Some(text("0.50")),
            on_sale: true,
            stock_status: text("instock"),
            stock_quantity: Some(-3),
            attributes: BTreeMap::from([(text("Size"), text("XL")), (text("a\"b"), text(&all_bytes))]),
        };
        let doc = Document {
            id: i64::MAX,
            name: text(&all_bytes),
            sku: Some(text("S\\1\t")),
            kind: text("variable"),
            status: text("publish"),
            url: Some(text("https://shop.example/p/1/")),
            price: None,
            regular_price: Some(text("19.99")),
            sale_price: None,
            currency: text("EUR"),
            on_sale: false,
            stock_status: text("outofstock"),
            stock_quantity: None,
            categories: vec![text("A & B"), text(&all_bytes[..40])],
            tags: vec![],
            attributes: BTreeMap::from([(text("Color"), vec![text("Red"), text("Blue")]), (text("Empty"), vec![])]),
            variations: vec![variation.clone(), Variation { attributes: BTreeMap::new(), ..variation }],
            text: text(&all_bytes.repeat(3)),
            image: None,
            rating: Some(text("4.50")),
            review_count: 0,
            updated_at: Some(-1),
        };
        let mut ours = Vec::new();
        write_document(&doc, &mut ours);
        assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&doc).unwrap());
        let empty = Document { variations: vec![], attributes: BTreeMap::new(), categories: vec![], ..doc };
        let mut ours = Vec::new();
        write_document(&empty, &mut ours);
        assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&empty).unwrap());
    }
}

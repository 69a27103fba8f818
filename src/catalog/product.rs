//! One product: validation of the input tree and the normalized document.
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::{ProductError, ProductId};
use super::number::{decimal_less, float_text, parse_int_text, round_decimal};
use super::store::Options;
use super::text::{self, html_to_text, Repairs};
use super::time::parse_datetime;
use super::value::{InputError, Key, Value, MAX_VARIATIONS};

/// Text of the document: borrowed from the input when normalization left it
/// as it was (the usual SKU, URL, status or clean name), owned otherwise.
pub type Text<'a> = Cow<'a, str>;

/// The normalized product: one NDJSON line (plus `hash`), field order fixed so
/// the serialization, and with it the hash, never depends on input key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document<'a> {
    pub id: i64,
    pub name: Text<'a>,
    pub sku: Option<Text<'a>>,
    #[serde(rename = "type")]
    pub kind: Text<'a>,
    pub status: Text<'a>,
    pub url: Option<Text<'a>>,
    pub price: Option<Text<'a>>,
    pub regular_price: Option<Text<'a>>,
    pub sale_price: Option<Text<'a>>,
    pub currency: Text<'a>,
    pub on_sale: bool,
    pub stock_status: Text<'a>,
    pub stock_quantity: Option<i64>,
    pub categories: Vec<Text<'a>>,
    pub tags: Vec<Text<'a>>,
    pub attributes: BTreeMap<Text<'a>, Vec<Text<'a>>>,
    pub variations: Vec<Variation<'a>>,
    pub text: Text<'a>,
    pub image: Option<Text<'a>>,
    pub rating: Option<Text<'a>>,
    pub review_count: i64,
    pub updated_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variation<'a> {
    pub id: i64,
    pub sku: Option<Text<'a>>,
    pub price: Option<Text<'a>>,
    pub regular_price: Option<Text<'a>>,
    pub sale_price: Option<Text<'a>>,
    pub on_sale: bool,
    pub stock_status: Text<'a>,
    pub stock_quantity: Option<i64>,
    pub attributes: BTreeMap<Text<'a>, Text<'a>>,
}

impl Document<'_> {
    /// Out of stock only when WooCommerce says so; backorders can be sold.
    pub fn in_stock(&self) -> bool {
        self.stock_status != "outofstock"
    }
}

/// What normalizing one product did besides producing it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    pub repairs: Repairs,
    pub truncated: bool,
}

type Field<T> = Result<T, String>;

/// The known keys of a product (or variation) array, found in one pass over
/// its entries instead of one search per key.
#[derive(Default)]
struct Fields<'a> {
    id: Option<&'a Value<'a>>,
    name: Option<&'a Value<'a>>,
    sku: Option<&'a Value<'a>>,
    kind: Option<&'a Value<'a>>,
    status: Option<&'a Value<'a>>,
    permalink: Option<&'a Value<'a>>,
    price: Option<&'a Value<'a>>,
    regular_price: Option<&'a Value<'a>>,
    sale_price: Option<&'a Value<'a>>,
    currency: Option<&'a Value<'a>>,
    stock_status: Option<&'a Value<'a>>,
    stock_quantity: Option<&'a Value<'a>>,
    categories: Option<&'a Value<'a>>,
    tags: Option<&'a Value<'a>>,
    attributes: Option<&'a Value<'a>>,
    variations: Option<&'a Value<'a>>,
    short_description: Option<&'a Value<'a>>,
    description: Option<&'a Value<'a>>,
    image: Option<&'a Value<'a>>,
    rating: Option<&'a Value<'a>>,
    review_count: Option<&'a Value<'a>>,
    total_sales: Option<&'a Value<'a>>,
    updated_at: Option<&'a Value<'a>>,
}

impl<'a> Fields<'a> {
    fn of(entries: &'a [(Key<'a>, Value<'a>)]) -> Self {
        let mut f = Self::default();
        for (key, value) in entries {
            let Key::Str(key) = key else { continue };
            let slot = match *key {
                b"id" => &mut f.id,
                b"name" => &mut f.name,
                b"sku" => &mut f.sku,
                b"type" => &mut f.kind,
                b"status" => &mut f.status,
                b"permalink" => &mut f.permalink,
                b"price" => &mut f.price,
                b"regular_price" => &mut f.regular_price,
                b"sale_price" => &mut f.sale_price,
                b"currency" => &mut f.currency,
                b"stock_status" => &mut f.stock_status,
                b"stock_quantity" => &mut f.stock_quantity,
                b"categories" => &mut f.categories,
                b"tags" => &mut f.tags,
                b"attributes" => &mut f.attributes,
                b"variations" => &mut f.variations,
                b"short_description" => &mut f.short_description,
                b"description" => &mut f.description,
                b"image" => &mut f.image,
                b"rating" => &mut f.rating,
                b"review_count" => &mut f.review_count,
                b"total_sales" => &mut f.total_sales,
                b"updated_at" => &mut f.updated_at,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
        f
    }
}

/// The id of a product for error reports, even when the product is invalid.
pub fn id_of(product: &Value<'_>) -> ProductId {
    match product.get("id") {
        Some(v) => match parse_id(v) {
            Ok(id) => ProductId::Int(id),
            Err(_) => match v {
                Value::Str(b) => ProductId::Text(String::from_utf8_lossy(&b[..b.len().min(100)]).into_owned()),
                _ => ProductId::Unknown,
            },
        },
        None => ProductId::Unknown,
    }
}

/// A product whose input tree could not be built; `id` is its `id` value, if readable.
pub fn input_error(id: Option<Value<'_>>, err: &InputError) -> ProductError {
    let id = id.map_or(ProductId::Unknown, |v| id_of(&Value::Map(&[(Key::Str(b"id"), v)])));
    ProductError { id, error: err.to_string() }
}

fn parse_id(v: &Value<'_>) -> Field<i64> {
    let id = match v {
        Value::Int(i) => Some(*i),
        Value::Str(b) => std::str::from_utf8(b).ok().and_then(parse_int_text),
        _ => None,
    };
    match id {
        Some(i) if i > 0 => Ok(i),
        _ => Err(format!("invalid id: expected a positive integer, got {}", describe(v))),
    }
}

fn describe(v: &Value<'_>) -> String {
    match v {
        Value::Str(b) => format!("'{}'", String::from_utf8_lossy(&b[..b.len().min(40)])),
        Value::Int(i) => i.to_string(),
        other => other.type_name().to_owned(),
    }
}

fn wrong_type(key: &str, expected: &str, got: &Value<'_>) -> String {
    format!("wrong type for '{key}': expected {expected}, got {}", got.type_name())
}

/// Raw text of a scalar field: strings as given, numbers as their decimal text.
fn scalar_bytes<'a>(key: &str, v: &Value<'a>) -> Field<Option<Cow<'a, [u8]>>> {
    match v {
        Value::Null => Ok(None),
        Value::Str(b) => Ok(Some(Cow::Borrowed(*b))),
        Value::Int(i) => Ok(Some(Cow::Owned(i.to_string().into_bytes()))),
        Value::Float(f) => float_text(*f)
            .map(|s| Some(Cow::Owned(s.into_bytes())))
            .ok_or_else(|| format!("'{key}' is not a finite number")),
        other => Err(wrong_type(key, "a string", other)),
    }
}

/// `html_to_text` over text that is either borrowed from the input or made
/// here (a number's digits, an integer key): only the former can be borrowed.
fn to_text<'a>(raw: Cow<'a, [u8]>, multiline: bool, repairs: &mut Repairs) -> Text<'a> {
    match raw {
        Cow::Borrowed(b) => html_to_text(b, multiline, repairs),
        Cow::Owned(b) => Cow::Owned(html_to_text(&b, multiline, repairs).into_owned()),
    }
}

/// A scalar field as normalized text; absent or null is empty.
fn field_text<'a>(key: &str, v: Option<&Value<'a>>, multiline: bool, repairs: &mut Repairs) -> Field<Text<'a>> {
    match v {
        None => Ok(Cow::Borrowed("")),
        Some(v) => Ok(scalar_bytes(key, v)?.map_or(Cow::Borrowed(""), |b| to_text(b, multiline, repairs))),
    }
}

/// Identifier-like text (sku, url, type…): repaired, trimmed, empty → None.
fn plain<'a>(key: &str, v: Option<&Value<'a>>, repairs: &mut Repairs) -> Field<Option<Text<'a>>> {
    let Some(bytes) = v.map(|v| scalar_bytes(key, v)).transpose()?.flatten() else { return Ok(None) };
    let trimmed = match bytes {
        Cow::Borrowed(b) => {
            let (s, n) = text::repair_utf8(b);
            repairs.utf8 += n;
            match s {
                Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches(text::is_space)),
                Cow::Owned(s) => Cow::Owned(s.trim_matches(text::is_space).to_owned()),
            }
        }
        Cow::Owned(b) => {
            let (s, n) = text::repair_utf8(&b);
            repairs.utf8 += n;
            Cow::Owned(s.trim_matches(text::is_space).to_owned())
        }
    };
    Ok((!trimmed.is_empty()).then_some(trimmed))
}

/// True when `b` already is what `round_decimal(b, decimals)` returns.
fn is_canonical_decimal(b: &[u8], decimals: usize) -> bool {
    let (int_part, frac) = match decimals {
        0 => (b, &b""[..]),
        _ if b.len() > decimals => (&b[..b.len() - decimals - 1], &b[b.len() - decimals..]),
        _ => return false,
    };
    let digits = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
    let int_ok = int_part == b"0" || (!int_part.is_empty() && int_part[0] != b'0' && int_part.len() <= 15 && digits(int_part));
    int_ok && digits(frac) && (decimals == 0 || b[b.len() - decimals - 1] == b'.')
}

fn price<'a>(key: &str, v: Option<&Value<'a>>, decimals: usize) -> Field<Option<Text<'a>>> {
    let text = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Str(b)) if is_canonical_decimal(b, decimals) => {
            // Checked above: ASCII digits and at most one dot.
            return Ok(std::str::from_utf8(b).ok().map(Cow::Borrowed));
        }
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Float(f)) => float_text(*f).ok_or_else(|| format!("'{key}' is not a finite number"))?,
        Some(Value::Str(b)) => match std::str::from_utf8(b) {
            Ok(s) if s.trim().is_empty() => return Ok(None),
            Ok(s) => s.to_owned(),
            Err(_) => return Err(format!("'{key}' is not a decimal number")),
        },
        Some(other) => return Err(wrong_type(key, "a decimal string or number", other)),
    };
    round_decimal(&text, decimals).map(|p| Some(Cow::Owned(p))).map_err(|e| format!("invalid '{key}': {e}"))
}

fn int(key: &str, v: Option<&Value<'_>>) -> Field<Option<i64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(*f as i64)),
        Some(Value::Str(b)) => match std::str::from_utf8(b).map(str::trim) {
            Ok("") => Ok(None),
            Ok(s) => parse_int_text(s).map(Some).ok_or_else(|| format!("invalid '{key}': expected an integer")),
            Err(_) => Err(format!("invalid '{key}': expected an integer")),
        },
        Some(other) => Err(wrong_type(key, "an integer", other)),
    }
}

/// Term names from list items; empty names are dropped.
fn term_list<'a>(key: &str, items: impl Iterator<Item = &'a Value<'a>>, repairs: &mut Repairs) -> Field<Vec<Text<'a>>> {
    let mut out = Vec::with_capacity(items.size_hint().0);
    for item in items {
        let Some(bytes) = scalar_bytes(key, item).map_err(|_| wrong_type(key, "a list of strings", item))? else {
            continue;
        };
        let t = to_text(bytes, false, repairs);
        if !t.is_empty() {
            out.push(t);
        }
    }
    Ok(out)
}

/// Lists of term names; a PHP array keyed by term id is fine too.
fn terms<'a>(key: &str, v: Option<&'a Value<'a>>, repairs: &mut Repairs) -> Field<Vec<Text<'a>>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v @ (Value::List(_) | Value::Map(_))) => term_list(key, v.values().into_iter().flatten(), repairs),
        Some(other) => Err(wrong_type(key, "a list of strings", other)),
    }
}

fn attribute_name<'a>(raw: Key<'a>, repairs: &mut Repairs) -> Field<Text<'a>> {
    let name = to_text(raw.bytes(), false, repairs);
    if name.is_empty() {
        return Err("an attribute has an empty name".to_owned());
    }
    Ok(name)
}

type Attributes<'a> = BTreeMap<Text<'a>, Vec<Text<'a>>>;

fn attributes<'a>(v: Option<&'a Value<'a>>, repairs: &mut Repairs) -> Field<Attributes<'a>> {
    let mut out = Attributes::new();
    let Some(v) = v.filter(|v| **v != Value::Null) else { return Ok(out) };
    let Some(entries) = v.entries() else { return Err(wrong_type("attributes", "a map of name => values", v)) };
    for (raw_name, values) in entries {
        let name = attribute_name(raw_name, repairs)?;
        let values = match values {
            Value::List(_) | Value::Map(_) => terms("attributes", Some(values), repairs)?,
            scalar => term_list("attributes", std::iter::once(scalar), repairs)?,
        };
        out.entry(name).or_default().extend(values);
    }
    Ok(out)
}

fn variation<'a>(v: &'a Value<'a>, opts: &Options, repairs: &mut Repairs) -> Field<Variation<'a>> {
    let Value::Map(entries) = v else {
        return Err(wrong_type("variations", "a list of arrays", v));
    };
    let f = Fields::of(entries);
    let id = match f.id {
        Some(id) => parse_id(id).map_err(|e| format!("variation: {e}"))?,
        None => return Err("variation: missing id".to_owned()),
    };
    let ctx = |e: String| format!("variation {id}: {e}");
    let (price_, regular, sale, on_sale) = prices(&f, opts.price_decimals).map_err(ctx)?;
    let mut attrs = BTreeMap::new();
    if let Some(a) = f.attributes.filter(|a| **a != Value::Null) {
        let entries = a.entries().ok_or_else(|| ctx(wrong_type("attributes", "a map of name => value", a)))?;
        for (raw_name, value) in entries {
            let name = attribute_name(raw_name, repairs).map_err(ctx)?;
            let value = field_text("attributes", Some(value), false, repairs).map_err(ctx)?;
            attrs.insert(name, value);
        }
    }
    Ok(Variation {
        id,
        sku: plain("sku", f.sku, repairs).map_err(ctx)?,
        price: price_,
        regular_price: regular,
        sale_price: sale,
        on_sale,
        stock_status: plain("stock_status", f.stock_status, repairs).map_err(ctx)?.unwrap_or(Cow::Borrowed("instock")),
        stock_quantity: int("stock_quantity", f.stock_quantity).map_err(ctx)?,
        attributes: attrs,
    })
}

type Prices<'a> = (Option<Text<'a>>, Option<Text<'a>>, Option<Text<'a>>, bool);

/// WooCommerce's rule: on sale when a sale price is set, below the regular one and, when the
/// active price is given, equal to it: a sale scheduled to start later (or already over) keeps
/// its sale price stored while WooCommerce sells at the regular one. The active price defaults
/// to whichever applies.
fn prices<'a>(f: &Fields<'a>, decimals: usize) -> Field<Prices<'a>> {
    let regular = price("regular_price", f.regular_price, decimals)?;
    let sale = price("sale_price", f.sale_price, decimals)?;
    let given = price("price", f.price, decimals)?;
    let on_sale = matches!((&regular, &sale), (Some(r), Some(s)) if decimal_less(s, r))
        && given.as_ref().is_none_or(|p| Some(p) == sale.as_ref());
    let active = match given {
        Some(p) => Some(p),
        None if on_sale => sale.clone(),
        None => regular.clone(),
    };
    Ok((active, regular, sale, on_sale))
}

/// Validates and normalizes one product.
pub fn normalize<'a>(product: &'a Value<'a>, opts: &'a Options) -> Result<(Document<'a>, Outcome), ProductError> {
    let fail = |error: String| ProductError { id: id_of(product), error };
    let Value::Map(entries) = product else {
        return Err(fail(format!("a product must be an array with string keys, got {}", product.type_name())));
    };
    let mut outcome = Outcome::default();
    let doc = build(&Fields::of(entries), opts, &mut outcome).map_err(fail)?;
    Ok((doc, outcome))
}

fn build<'a>(p: &Fields<'a>, opts: &'a Options, outcome: &mut Outcome) -> Field<Document<'a>> {
    let id = parse_id(p.id.ok_or("missing id")?)?;
    let r = &mut outcome.repairs;
    let name = field_text("name", p.name, false, r)?;
    if name.is_empty() {
        return Err("missing name".to_owned());
    }
    let currency = match plain("currency", p.currency, r)? {
        None => Cow::Borrowed(opts.currency.as_str()),
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => c,
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => Cow::Owned(c.to_ascii_uppercase()),
        Some(c) => return Err(format!("invalid currency '{c}': expected a 3-letter ISO 4217 code")),
    };
    let (price_, regular, sale, on_sale) = prices(p, opts.price_decimals)?;
    let variations = match p.variations {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::List(items)) => {
            if items.len() > MAX_VARIATIONS {
                return Err(format!("{} variations: more than {MAX_VARIATIONS}", items.len()));
            }
            items.iter().map(|v| variation(v, opts, r)).collect::<Field<Vec<_>>>()?
        }
        Some(other) => return Err(wrong_type("variations", "a list of arrays", other)),
    };
    let short = field_text("short_description", p.short_description, true, r)?;
    let long = field_text("description", p.description, true, r)?;
    let mut text = match (short.is_empty(), long.is_empty()) {
        (true, _) => long,
        (false, true) => short,
        (false, false) => Cow::Owned(format!("{short}\n{long}")),
    };
    outcome.truncated = text::truncate_words(&mut text, opts.max_description_chars);
    let r = &mut outcome.repairs;
    let rating = price("rating", p.rating, 2)?;
    if rating.as_deref().is_some_and(|x| decimal_less("5.00", x)) {
        return Err("invalid 'rating': expected 0 to 5".to_owned());
    }
    let review_count = int("review_count", p.review_count)?.unwrap_or(0);
    if review_count < 0 {
        return Err("invalid 'review_count': negative".to_owned());
    }
    // Validated so a broken feed is noticed, but not part of the document: it
    // changes with every order and would make every hash churn.
    int("total_sales", p.total_sales)?;
    let updated_at = match p.updated_at {
        None | Some(Value::Null) => None,
        Some(Value::Int(i)) if *i >= 0 => Some(*i),
        Some(Value::Str(b)) => match std::str::from_utf8(b) {
            Ok(s) if s.trim().is_empty() => None,
            Ok(s) => parse_datetime(s).map_err(|e| format!("invalid 'updated_at': {e}"))?,
            Err(_) => return Err("invalid 'updated_at': not UTF-8".to_owned()),
        },
        Some(other) => return Err(wrong_type("updated_at", "a Unix time or ISO 8601 string", other)),
    };
    Ok(Document {
        id,
        name,
        sku: plain("sku", p.sku, r)?,
        kind: plain("type", p.kind, r)?.unwrap_or(Cow::Borrowed("simple")),
        status: plain("status", p.status, r)?.unwrap_or(Cow::Borrowed("publish")),
        url: plain("permalink", p.permalink, r)?,
        price: price_,
        regular_price: regular,
        sale_price: sale,
        currency,
        on_sale,
        stock_status: plain("stock_status", p.stock_status, r)?.unwrap_or(Cow::Borrowed("instock")),
        stock_quantity: int("stock_quantity", p.stock_quantity)?,
        categories: terms("categories", p.categories, r)?,
        tags: terms("tags", p.tags, r)?,
        attributes: attributes(p.attributes, r)?,
        variations,
        text,
        image: plain("image", p.image, r)?,
        rating,
        review_count,
        updated_at,
    })
}

//! One product: validation of the input tree and the normalized document.
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::{ProductError, ProductId};
use super::number::{decimal_less, float_text, parse_int_text, round_decimal};
use super::store::Options;
use super::text::{self, html_to_text, Repairs};
use super::time::parse_datetime;
use super::value::{InputError, Value, MAX_VARIATIONS};

/// The normalized product: one NDJSON line (plus `hash`), field order fixed so
/// the serialization, and with it the hash, never depends on input key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    pub name: String,
    pub sku: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub url: Option<String>,
    pub price: Option<String>,
    pub regular_price: Option<String>,
    pub sale_price: Option<String>,
    pub currency: String,
    pub on_sale: bool,
    pub stock_status: String,
    pub stock_quantity: Option<i64>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub attributes: BTreeMap<String, Vec<String>>,
    pub variations: Vec<Variation>,
    pub text: String,
    pub image: Option<String>,
    pub rating: Option<String>,
    pub review_count: i64,
    pub updated_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variation {
    pub id: i64,
    pub sku: Option<String>,
    pub price: Option<String>,
    pub regular_price: Option<String>,
    pub sale_price: Option<String>,
    pub on_sale: bool,
    pub stock_status: String,
    pub stock_quantity: Option<i64>,
    pub attributes: BTreeMap<String, String>,
}

impl Document {
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
    let id = id.map_or(ProductId::Unknown, |v| id_of(&Value::Map(vec![(Cow::Borrowed(&b"id"[..]), v)])));
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
fn scalar_bytes<'v>(key: &str, v: &'v Value<'_>) -> Field<Option<Cow<'v, [u8]>>> {
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

/// Identifier-like text (sku, url, type…): repaired, trimmed, empty → None.
fn plain(key: &str, v: Option<&Value<'_>>, repairs: &mut Repairs) -> Field<Option<String>> {
    let Some(bytes) = v.map(|v| scalar_bytes(key, v)).transpose()?.flatten() else { return Ok(None) };
    let (s, n) = text::repair_utf8(&bytes);
    repairs.utf8 += n;
    let t = s.trim_matches(text::is_space);
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

fn price(key: &str, v: Option<&Value<'_>>, decimals: usize) -> Field<Option<String>> {
    let text = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Float(f)) => float_text(*f).ok_or_else(|| format!("'{key}' is not a finite number"))?,
        Some(Value::Str(b)) => match std::str::from_utf8(b) {
            Ok(s) if s.trim().is_empty() => return Ok(None),
            Ok(s) => s.to_owned(),
            Err(_) => return Err(format!("'{key}' is not a decimal number")),
        },
        Some(other) => return Err(wrong_type(key, "a decimal string or number", other)),
    };
    round_decimal(&text, decimals).map(Some).map_err(|e| format!("invalid '{key}': {e}"))
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

/// Lists of term names; a PHP array keyed by term id is fine too.
fn terms(key: &str, v: Option<&Value<'_>>, repairs: &mut Repairs) -> Field<Vec<String>> {
    let items: Vec<&Value<'_>> = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::List(items)) => items.iter().collect(),
        Some(Value::Map(entries)) => entries.iter().map(|(_, v)| v).collect(),
        Some(other) => return Err(wrong_type(key, "a list of strings", other)),
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(bytes) = scalar_bytes(key, item).map_err(|_| wrong_type(key, "a list of strings", item))? else {
            continue;
        };
        let t = html_to_text(&bytes, false, repairs);
        if !t.is_empty() {
            out.push(t);
        }
    }
    Ok(out)
}

fn attribute_name(raw: &[u8], repairs: &mut Repairs) -> Field<String> {
    let name = html_to_text(raw, false, repairs);
    if name.is_empty() {
        return Err("an attribute has an empty name".to_owned());
    }
    Ok(name)
}

fn attributes(v: Option<&Value<'_>>, repairs: &mut Repairs) -> Field<BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(v) = v.filter(|v| **v != Value::Null) else { return Ok(out) };
    let Some(entries) = v.entries() else { return Err(wrong_type("attributes", "a map of name => values", v)) };
    for (raw_name, values) in entries {
        let name = attribute_name(&raw_name, repairs)?;
        let values = match values {
            Value::List(_) | Value::Map(_) => terms("attributes", Some(values), repairs)?,
            scalar => terms("attributes", Some(&Value::List(vec![scalar.clone()])), repairs)?,
        };
        out.entry(name).or_default().extend(values);
    }
    Ok(out)
}

fn variation(v: &Value<'_>, opts: &Options, repairs: &mut Repairs) -> Field<Variation> {
    if !matches!(v, Value::Map(_)) {
        return Err(wrong_type("variations", "a list of arrays", v));
    }
    let id = match v.get("id") {
        Some(id) => parse_id(id).map_err(|e| format!("variation: {e}"))?,
        None => return Err("variation: missing id".to_owned()),
    };
    let ctx = |e: String| format!("variation {id}: {e}");
    let (price_, regular, sale, on_sale) = prices(v, opts.price_decimals).map_err(ctx)?;
    let mut attrs = BTreeMap::new();
    if let Some(a) = v.get("attributes").filter(|a| **a != Value::Null) {
        let entries = a.entries().ok_or_else(|| ctx(wrong_type("attributes", "a map of name => value", a)))?;
        for (raw_name, value) in entries {
            let name = attribute_name(&raw_name, repairs).map_err(ctx)?;
            let bytes = scalar_bytes("attributes", value).map_err(ctx)?.unwrap_or_default();
            attrs.insert(name, html_to_text(&bytes, false, repairs));
        }
    }
    Ok(Variation {
        id,
        sku: plain("sku", v.get("sku"), repairs).map_err(ctx)?,
        price: price_,
        regular_price: regular,
        sale_price: sale,
        on_sale,
        stock_status: plain("stock_status", v.get("stock_status"), repairs).map_err(ctx)?.unwrap_or_else(|| "instock".into()),
        stock_quantity: int("stock_quantity", v.get("stock_quantity")).map_err(ctx)?,
        attributes: attrs,
    })
}

type Prices = (Option<String>, Option<String>, Option<String>, bool);

/// WooCommerce's rule: on sale when a sale price is set and below the regular
/// one; the active price defaults to whichever applies.
fn prices(v: &Value<'_>, decimals: usize) -> Field<Prices> {
    let regular = price("regular_price", v.get("regular_price"), decimals)?;
    let sale = price("sale_price", v.get("sale_price"), decimals)?;
    let on_sale = matches!((&regular, &sale), (Some(r), Some(s)) if decimal_less(s, r));
    let active = match price("price", v.get("price"), decimals)? {
        Some(p) => Some(p),
        None if on_sale => sale.clone(),
        None => regular.clone(),
    };
    Ok((active, regular, sale, on_sale))
}

/// Validates and normalizes one product.
pub fn normalize(product: &Value<'_>, opts: &Options) -> Result<(Document, Outcome), ProductError> {
    let fail = |error: String| ProductError { id: id_of(product), error };
    if !matches!(product, Value::Map(_)) {
        return Err(fail(format!("a product must be an array with string keys, got {}", product.type_name())));
    }
    let mut outcome = Outcome::default();
    let doc = build(product, opts, &mut outcome).map_err(fail)?;
    Ok((doc, outcome))
}

fn build(p: &Value<'_>, opts: &Options, outcome: &mut Outcome) -> Field<Document> {
    let id = parse_id(p.get("id").ok_or("missing id")?)?;
    let r = &mut outcome.repairs;
    let name = match p.get("name") {
        None | Some(Value::Null) => String::new(),
        Some(v) => html_to_text(&scalar_bytes("name", v)?.unwrap_or_default(), false, r),
    };
    if name.is_empty() {
        return Err("missing name".to_owned());
    }
    let currency = match plain("currency", p.get("currency"), r)? {
        None => opts.currency.clone(),
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
        Some(c) => return Err(format!("invalid currency '{c}': expected a 3-letter ISO 4217 code")),
    };
    let (price_, regular, sale, on_sale) = prices(p, opts.price_decimals)?;
    let variations = match p.get("variations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::List(items)) => {
            if items.len() > MAX_VARIATIONS {
                return Err(format!("{} variations: more than {MAX_VARIATIONS}", items.len()));
            }
            items.iter().map(|v| variation(v, opts, r)).collect::<Field<Vec<_>>>()?
        }
        Some(other) => return Err(wrong_type("variations", "a list of arrays", other)),
    };
    let mut text = String::new();
    for key in ["short_description", "description"] {
        if let Some(v) = p.get(key) {
            let part = html_to_text(&scalar_bytes(key, v)?.unwrap_or_default(), true, r);
            if !part.is_empty() {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&part);
            }
        }
    }
    outcome.truncated = text::truncate_words(&mut text, opts.max_description_chars);
    let r = &mut outcome.repairs;
    let rating = price("rating", p.get("rating"), 2)?;
    if rating.as_deref().is_some_and(|x| decimal_less("5.00", x)) {
        return Err("invalid 'rating': expected 0 to 5".to_owned());
    }
    let review_count = int("review_count", p.get("review_count"))?.unwrap_or(0);
    if review_count < 0 {
        return Err("invalid 'review_count': negative".to_owned());
    }
    // Validated so a broken feed is noticed, but not part of the document: it
    // changes with every order and would make every hash churn.
    int("total_sales", p.get("total_sales"))?;
    let updated_at = match p.get("updated_at") {
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
        sku: plain("sku", p.get("sku"), r)?,
        kind: plain("type", p.get("type"), r)?.unwrap_or_else(|| "simple".into()),
        status: plain("status", p.get("status"), r)?.unwrap_or_else(|| "publish".into()),
        url: plain("permalink", p.get("permalink"), r)?,
        price: price_,
        regular_price: regular,
        sale_price: sale,
        currency,
        on_sale,
        stock_status: plain("stock_status", p.get("stock_status"), r)?.unwrap_or_else(|| "instock".into()),
        stock_quantity: int("stock_quantity", p.get("stock_quantity"))?,
        categories: terms("categories", p.get("categories"), r)?,
        tags: terms("tags", p.get("tags"), r)?,
        attributes: attributes(p.get("attributes"), r)?,
        variations,
        text,
        image: plain("image", p.get("image"), r)?,
        rating,
        review_count,
        updated_at,
    })
}

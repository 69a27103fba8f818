//! UCP product objects (shopping/types/product.json and variant.json): what
//! the catalog REST routes answer with, prices in minor units.
//!
//! Typed and borrowed from the catalog's document rather than built as a
//! `serde_json::Value`: a sync writes one a product, and the tree of maps and
//! copied strings was most of the feed's time. The fields are in the order the
//! objects have always been written (alphabetical, as `Value`'s maps sort
//! them), so the files are byte for byte what they were.
use serde::Serialize;
use serde_json::Value;

use super::openai::{availability, list_price, tracked, units};
use super::{minor_exponent, minor_units};
use crate::catalog::Document;

#[derive(Serialize, Clone, Copy)]
pub struct Money<'a> {
    amount: i64,
    currency: &'a str,
}

#[derive(Serialize)]
pub struct Range<'a> {
    max: Money<'a>,
    min: Money<'a>,
}

#[derive(Serialize, Clone, Copy)]
pub struct Plain<'a> {
    plain: &'a str,
}

#[derive(Serialize, Clone, Copy)]
pub struct Media<'a> {
    alt_text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
pub struct Availability {
    available: bool,
    status: &'static str,
}

#[derive(Serialize)]
pub struct VariantOption<'a> {
    label: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
pub struct Variant<'a> {
    availability: Availability,
    description: Plain<'a>,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    list_price: Option<Money<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    media: &'a [Media<'a>],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<VariantOption<'a>>,
    price: Money<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Category<'a> {
    taxonomy: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
pub struct Label<'a> {
    label: &'a str,
}

#[derive(Serialize)]
pub struct ProductOption<'a> {
    name: &'a str,
    values: Vec<Label<'a>>,
}

/// A UCP product, borrowing its text from the document (and its address and
/// pictures from `Parts`, which the caller keeps for as long as it).
#[derive(Serialize)]
pub struct Product<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<Category<'a>>,
    description: Plain<'a>,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    list_price_range: Option<Range<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    media: &'a [Media<'a>],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<ProductOption<'a>>,
    price_range: Range<'a>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [std::borrow::Cow<'a, str>],
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    variants: Vec<Variant<'a>>,
}

impl Product<'_> {
    /// The same object as a `serde_json::Value` (the ACP feed reshapes it).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// What a product's variants share that the document does not hold as such:
/// its tracked address and its pictures.
pub struct Parts<'a> {
    url: Option<String>,
    media: Vec<Media<'a>>,
}

impl<'a> Parts<'a> {
    pub fn of(doc: &'a Document<'_>) -> Self {
        // The agent behind a UCP call is only known per request: the routes put its name in place of "ucp".
        let url = doc.url.as_deref().filter(|u| !u.is_empty()).map(|u| tracked(u, "ucp"));
        let media = doc
            .image
            .as_deref()
            .filter(|i| !i.is_empty())
            .map(|i| Media { alt_text: &doc.name, kind: "image", url: i })
            .into_iter()
            .collect();
        Self { url, media }
    }
}

/// The product as UCP describes it, or the reason it has no variant with a price.
pub fn product<'a>(doc: &'a Document<'_>, parts: &'a Parts<'a>, currency: &'a str) -> Result<Product<'a>, &'static str> {
    let exp = minor_exponent(currency);
    let units = units(doc)?;
    let url = parts.url.as_deref();
    let media = parts.media.as_slice();
    let description = Plain { plain: &doc.text };
    let money = |amount: i64| Money { amount, currency };
    let (mut lo, mut hi, mut list_lo, mut list_hi) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    let mut variants = Vec::with_capacity(units.len());
    for (u, v) in units.into_iter().zip(0..) {
        let selling = u.price.filter(|p| !p.is_empty()).or(list_price(&u));
        let Some(amount) = selling.and_then(|p| minor_units(p, exp)) else { continue };
        let list = list_price(&u).and_then(|p| minor_units(p, exp)).unwrap_or(amount).max(amount);
        lo = lo.min(amount);
        hi = hi.max(amount);
        list_lo = list_lo.min(list);
        list_hi = list_hi.max(list);
        let status = availability(u.stock_status).map_or("out_of_stock", |a| if a == "pre_order" { "preorder" } else { a });
        let options = doc.variations.get(v).map_or_else(Vec::new, |var| {
            var.attributes
                .iter()
                .filter(|(_, label)| !label.is_empty())
                .map(|(name, label)| VariantOption { label, name })
                .collect()
        });
        variants.push(Variant {
            availability: Availability { available: status != "out_of_stock", status },
            description,
            id: u.id.to_string(),
            list_price: (list > amount).then(|| money(list)),
            media,
            options,
            price: money(amount),
            sku: u.sku.filter(|s| !s.is_empty()),
            title: u.title,
            url,
        });
    }
    if variants.is_empty() {
        return Err("no_price");
    }
    let options = doc
        .attributes
        .iter()
        .filter(|(_, values)| !values.is_empty() && !doc.variations.is_empty())
        .map(|(name, values)| ProductOption { name, values: values.iter().map(|l| Label { label: l }).collect() })
        .collect();
    Ok(Product {
        categories: doc.categories.iter().map(|c| Category { taxonomy: "merchant", value: c }).collect(),
        description,
        id: doc.id.to_string(),
        list_price_range: (list_hi > hi || list_lo > lo).then(|| Range { max: money(list_hi), min: money(list_lo) }),
        media,
        options,
        price_range: Range { max: money(hi), min: money(lo) },
        tags: &doc.tags,
        title: &doc.name,
        url,
        variants,
    })
}

//! UCP product objects (shopping/types/product.json and variant.json): what
//! the catalog REST routes answer with, prices in minor units.
use serde_json::{json, Map, Value};

use super::openai::{availability, list_price, tracked, units};
use super::{minor_exponent, minor_units};
use crate::catalog::Document;

/// The product as UCP describes it, or the reason it has no variant with a price.
pub fn product(doc: &Document<'_>, currency: &str) -> Result<Value, &'static str> {
    let exp = minor_exponent(currency);
    let units = units(doc)?;
    // The agent behind a UCP call is only known per request: the routes put its name in place of "ucp".
    let url = doc.url.as_deref().filter(|u| !u.is_empty()).map(|u| tracked(u, "ucp"));
    let media: Vec<Value> = doc
        .image
        .as_deref()
        .filter(|i| !i.is_empty())
        .map(|i| json!({"type": "image", "url": i, "alt_text": doc.name}))
        .into_iter()
        .collect();
    let description = json!({"plain": doc.text});
    let money = |amount: i64| json!({"amount": amount, "currency": currency});
    let (mut lo, mut hi, mut list_lo, mut list_hi) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    let mut variants = Vec::with_capacity(units.len());
    for (u, v) in units.iter().zip(0..) {
        let selling = u.price.filter(|p| !p.is_empty()).or(list_price(u));
        let Some(amount) = selling.and_then(|p| minor_units(p, exp)) else { continue };
        let list = list_price(u).and_then(|p| minor_units(p, exp)).unwrap_or(amount).max(amount);
        lo = lo.min(amount);
        hi = hi.max(amount);
        list_lo = list_lo.min(list);
        list_hi = list_hi.max(list);
        let status = availability(u.stock_status).map_or("out_of_stock", |a| if a == "pre_order" { "preorder" } else { a });
        let mut variant = Map::new();
        variant.insert("id".into(), json!(u.id.to_string()));
        if let Some(sku) = u.sku.filter(|s| !s.is_empty()) {
            variant.insert("sku".into(), json!(sku));
        }
        variant.insert("title".into(), json!(u.title));
        variant.insert("description".into(), description.clone());
        if let Some(url) = &url {
            variant.insert("url".into(), json!(url));
        }
        variant.insert("price".into(), money(amount));
        if list > amount {
            variant.insert("list_price".into(), money(list));
        }
        variant.insert("availability".into(), json!({"available": status != "out_of_stock", "status": status}));
        if let Some(var) = doc.variations.get(v) {
            let options: Vec<Value> = var
                .attributes
                .iter()
                .filter(|(_, label)| !label.is_empty())
                .map(|(name, label)| json!({"name": name, "label": label}))
                .collect();
            if !options.is_empty() {
                variant.insert("options".into(), Value::Array(options));
            }
        }
        if !media.is_empty() {
            variant.insert("media".into(), Value::Array(media.clone()));
        }
        variants.push(Value::Object(variant));
    }
    if variants.is_empty() {
        return Err("no_price");
    }
    let mut p = Map::new();
    p.insert("id".into(), json!(doc.id.to_string()));
    p.insert("title".into(), json!(doc.name));
    p.insert("description".into(), description);
    if let Some(url) = url {
        p.insert("url".into(), json!(url));
    }
    if !doc.categories.is_empty() {
        let cats: Vec<Value> = doc.categories.iter().map(|c| json!({"value": c, "taxonomy": "merchant"})).collect();
        p.insert("categories".into(), Value::Array(cats));
    }
    p.insert("price_range".into(), json!({"min": money(lo), "max": money(hi)}));
    if list_hi > hi || list_lo > lo {
        p.insert("list_price_range".into(), json!({"min": money(list_lo), "max": money(list_hi)}));
    }
    if !media.is_empty() {
        p.insert("media".into(), Value::Array(media));
    }
    let options: Vec<Value> = doc
        .attributes
        .iter()
        .filter(|(_, values)| !values.is_empty() && !doc.variations.is_empty())
        .map(|(name, values)| json!({"name": name, "values": values.iter().map(|l| json!({"label": l})).collect::<Vec<_>>()}))
        .collect();
    if !options.is_empty() {
        p.insert("options".into(), Value::Array(options));
    }
    p.insert("variants".into(), Value::Array(variants));
    if !doc.tags.is_empty() {
        p.insert("tags".into(), json!(doc.tags));
    }
    Ok(Value::Object(p))
}

//! OpenAI's flat product feed: one JSON object a line, one line per variant a
//! shopper can buy, with the field names and formats of OpenAI's feed spec.
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::catalog::{Document, Variation};

/// Per-product facts the catalog does not carry (WooCommerce's GTIN field, a
/// brand taxonomy), given by the caller.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extra {
    pub gtin: Option<String>,
    pub mpn: Option<String>,
    pub brand: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOptions {
    pub seller_name: String,
    pub seller_url: Option<String>,
    pub return_policy: Option<String>,
    pub target_countries: Vec<String>,
    pub store_country: String,
    /// Brand of products with no brand of their own (the store name).
    pub brand: String,
    /// A catalog attribute naming the brand ("Brand"), tried before `brand`.
    pub brand_attribute: Option<String>,
    /// Products that must never appear (hidden from the catalog).
    pub exclude: HashSet<i64>,
    pub extra: HashMap<i64, Extra>,
    /// The agent named in links' utm_source.
    pub utm_source: String,
    /// The kinds of file written (default: all).
    pub files: super::Files,
}

impl Default for FeedOptions {
    fn default() -> Self {
        Self {
            seller_name: String::new(),
            seller_url: None,
            return_policy: None,
            target_countries: Vec::new(),
            store_country: String::new(),
            brand: String::new(),
            brand_attribute: None,
            exclude: HashSet::new(),
            extra: HashMap::new(),
            utm_source: "chatgpt".into(),
            files: super::Files::ALL,
        }
    }
}

/// Spec limits (OpenAI feed reference): lengths in characters.
pub const MAX_ITEM_ID: usize = 100;
pub const MAX_TITLE: usize = 150;
pub const MAX_DESCRIPTION: usize = 5000;
pub const MAX_BRAND: usize = 70;
pub const MAX_SELLER: usize = 70;

#[derive(Serialize)]
pub struct Row<'a> {
    pub is_eligible_search: bool,
    pub is_eligible_checkout: bool,
    pub item_id: String,
    pub group_id: String,
    pub listing_has_variations: bool,
    pub title: String,
    pub description: String,
    pub url: String,
    pub brand: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gtin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mpn: Option<&'a str>,
    pub image_url: String,
    pub price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<String>,
    pub availability: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory_quantity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_category: Option<String>,
    pub seller_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_policy: Option<&'a str>,
    pub target_countries: &'a [String],
    pub store_country: &'a str,
}

/// WooCommerce stock status → the spec's availability; `None`: unknown status.
pub fn availability(stock_status: &str) -> Option<&'static str> {
    match stock_status {
        "instock" => Some("in_stock"),
        "outofstock" => Some("out_of_stock"),
        "onbackorder" => Some("backorder"),
        "preorder" | "pre_order" | "pre-order" => Some("pre_order"),
        _ => None,
    }
}

/// The link with the agent's attribution parameters (WooCommerce's order attribution reads them).
pub fn tracked(url: &str, agent: &str) -> String {
    let (base, fragment) = url.split_once('#').map_or((url, None), |(b, f)| (b, Some(f)));
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("{base}{sep}utm_source={agent}&utm_medium=ai_agent");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].trim_end().to_owned(),
        None => text.to_owned(),
    }
}

/// "Hoodie – Blue, Large": the product name and the variation's chosen values.
pub fn variant_title(name: &str, v: &Variation<'_>) -> String {
    let values: Vec<&str> = v.attributes.values().map(|s| s.as_ref()).filter(|s| !s.is_empty()).collect();
    if values.is_empty() {
        name.to_owned()
    } else {
        format!("{name} – {}", values.join(", "))
    }
}

pub fn brand_of(doc: &Document<'_>, opts: &FeedOptions) -> String {
    let own = opts.extra.get(&doc.id).and_then(|e| e.brand.clone()).or_else(|| {
        let attr = opts.brand_attribute.as_deref()?;
        doc.attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(attr))
            .and_then(|(_, v)| v.first())
            .map(|s| s.to_string())
    });
    cut(own.filter(|b| !b.trim().is_empty()).as_deref().unwrap_or(&opts.brand), MAX_BRAND)
}

/// One sellable unit: the product itself (simple) or one variation.
pub struct Unit<'d> {
    pub id: i64,
    pub title: String,
    pub regular: Option<&'d str>,
    pub price: Option<&'d str>,
    pub sale: Option<&'d str>,
    pub on_sale: bool,
    pub stock_status: &'d str,
    pub stock_quantity: Option<i64>,
    pub sku: Option<&'d str>,
}

/// The units of a product, or why it has none a shopper could buy.
pub fn units<'d>(doc: &'d Document<'_>) -> Result<Vec<Unit<'d>>, &'static str> {
    if doc.status != "publish" {
        return Err("not_published");
    }
    if doc.kind == "grouped" {
        // A grouped product is a page of other products, each of which is its own row.
        return Err("grouped");
    }
    if doc.kind == "variable" || !doc.variations.is_empty() {
        if doc.variations.is_empty() {
            return Err("no_variations");
        }
        return Ok(doc
            .variations
            .iter()
            .map(|v| Unit {
                id: v.id,
                title: variant_title(&doc.name, v),
                regular: v.regular_price.as_deref(),
                price: v.price.as_deref(),
                sale: v.sale_price.as_deref(),
                on_sale: v.on_sale,
                stock_status: &v.stock_status,
                stock_quantity: v.stock_quantity,
                sku: v.sku.as_deref(),
            })
            .collect());
    }
    Ok(vec![Unit {
        id: doc.id,
        title: doc.name.to_string(),
        regular: doc.regular_price.as_deref(),
        price: doc.price.as_deref(),
        sale: doc.sale_price.as_deref(),
        on_sale: doc.on_sale,
        stock_status: &doc.stock_status,
        stock_quantity: doc.stock_quantity,
        sku: doc.sku.as_deref(),
    }])
}

/// The unit's full price: the regular price, else the price it sells at.
pub fn list_price<'d>(u: &Unit<'d>) -> Option<&'d str> {
    u.regular.filter(|p| !p.is_empty()).or(u.price.filter(|p| !p.is_empty()))
}

/// The flat-feed row of one unit, or the reason the spec would reject it.
pub fn row<'a>(doc: &'a Document<'_>, u: &'a Unit<'_>, opts: &'a FeedOptions, currency: &str) -> Result<Row<'a>, &'static str> {
    let Some(price) = list_price(u) else { return Err("no_price") };
    let Some(image) = doc.image.as_deref().filter(|i| !i.is_empty()) else { return Err("no_image") };
    let Some(url) = doc.url.as_deref().filter(|i| !i.is_empty()) else { return Err("no_url") };
    let Some(availability) = availability(u.stock_status) else { return Err("unknown_availability") };
    let item_id = u.id.to_string();
    if item_id.len() > MAX_ITEM_ID {
        return Err("item_id_too_long");
    }
    let extra = opts.extra.get(&u.id).or_else(|| opts.extra.get(&doc.id));
    // The catalog's on_sale is WooCommerce's rule (a sale scheduled for later is not on sale yet).
    let sale = if u.on_sale { u.sale.filter(|s| !s.is_empty() && *s != price) } else { None };
    Ok(Row {
        is_eligible_search: true,
        is_eligible_checkout: false,
        item_id,
        group_id: doc.id.to_string(),
        listing_has_variations: !doc.variations.is_empty(),
        title: cut(&u.title, MAX_TITLE),
        // The spec requires a description: a product with none is described by its name.
        description: cut(if doc.text.trim().is_empty() { &doc.name } else { &doc.text }, MAX_DESCRIPTION),
        url: tracked(url, &opts.utm_source),
        brand: brand_of(doc, opts),
        gtin: extra.and_then(|e| e.gtin.as_deref()),
        mpn: extra.and_then(|e| e.mpn.as_deref()),
        image_url: image.to_owned(),
        price: format!("{price} {currency}"),
        sale_price: sale.map(|s| format!("{s} {currency}")),
        availability,
        inventory_quantity: u.stock_quantity.map(|q| q.max(0)),
        product_category: doc.categories.first().map(|c| c.to_string()),
        seller_name: opts.seller_name.get(..opts.seller_name.char_indices().nth(MAX_SELLER).map_or(opts.seller_name.len(), |(i, _)| i)).unwrap_or(&opts.seller_name),
        seller_url: opts.seller_url.as_deref(),
        return_policy: opts.return_policy.as_deref(),
        target_countries: &opts.target_countries,
        store_country: &opts.store_country,
    })
}

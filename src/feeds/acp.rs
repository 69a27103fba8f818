//! The Agentic Commerce Protocol's product object (schema.feed.json `Product`), the structured
//! feed OpenAI's newer feed reference describes: the UCP product reshaped, with the seller and its
//! refund-policy link on every variant.
use serde_json::{json, Map, Value};

use super::openai::FeedOptions;

/// Variant keys both protocols name alike.
const SAME: [&str; 8] = ["id", "title", "description", "url", "barcodes", "price", "list_price", "availability"];

pub fn from_ucp(ucp: &Value, opts: &FeedOptions) -> Value {
    let mut links = Vec::new();
    if let Some(url) = &opts.return_policy {
        links.push(json!({"type": "refund_policy", "title": "Refund policy", "url": url}));
    }
    let mut seller = Map::new();
    seller.insert("name".into(), json!(opts.seller_name));
    if !links.is_empty() {
        seller.insert("links".into(), Value::Array(links));
    }
    let seller = Value::Object(seller);
    let variants: Vec<Value> = ucp
        .get("variants")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|v| {
                    let mut out = Map::new();
                    for key in SAME {
                        if let Some(x) = v.get(key) {
                            out.insert(key.into(), x.clone());
                        }
                    }
                    if let Some(options) = v.get("options").and_then(Value::as_array) {
                        let opts: Vec<Value> = options.iter().map(|o| json!({"name": o.get("name"), "value": o.get("label")})).collect();
                        out.insert("variant_options".into(), Value::Array(opts));
                    }
                    if let Some(c) = ucp.get("categories") {
                        out.insert("categories".into(), c.clone());
                    }
                    if let Some(m) = v.get("media") {
                        out.insert("media".into(), m.clone());
                    }
                    out.insert("seller".into(), seller.clone());
                    Value::Object(out)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut p = Map::new();
    for key in ["id", "title", "description", "url", "media"] {
        if let Some(x) = ucp.get(key) {
            p.insert(key.into(), x.clone());
        }
    }
    p.insert("variants".into(), Value::Array(variants));
    Value::Object(p)
}

//! Feeds for AI shopping agents, written from the synced catalog's documents
//! (never from WooCommerce objects): OpenAI's flat product feed (JSON Lines,
//! gzip, one row per purchasable variant) and the UCP product objects the
//! catalog REST routes answer with, and the same products as ACP product objects, in one pass:
//! from a catalog in memory, or streamed from a sync's snapshot file.
mod acp;
mod openai;
mod snapshot;
mod store;
mod ucp;

pub use openai::{FeedOptions, Extra};
pub use snapshot::{write_from_snapshot, SnapshotReport, MAX_LINE};
pub use store::{lookup, write, Files, Writer};

use std::collections::BTreeMap;

/// What one `write` produced: rows in the flat feed, UCP (and ACP) products, the
/// rows left out with why (the spec would reject them, or they are hidden), and the
/// kinds of file written (`Files::names`). A kind not written counts nothing: without
/// the flat feed `rows` is 0 and `skipped` holds only `hidden`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub rows: usize,
    pub products: usize,
    pub skipped: BTreeMap<&'static str, usize>,
    pub files: Vec<&'static str>,
}

/// Minor-unit exponent of an ISO 4217 currency (UCP and ACP prices are integers in minor units).
pub fn minor_exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND" | "VUV"
        | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// A decimal string ("79.99") as an integer amount of minor units, rounded half up;
/// `None` for anything that is not a plain non-negative decimal or overflows.
pub fn minor_units(decimal: &str, exponent: u32) -> Option<i64> {
    let (int, frac) = decimal.split_once('.').unwrap_or((decimal, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut amount: i64 = int.parse().ok()?;
    let digits = frac.as_bytes();
    for i in 0..exponent as usize {
        let d = digits.get(i).map_or(0, |b| i64::from(b - b'0'));
        amount = amount.checked_mul(10)?.checked_add(d)?;
    }
    if digits.get(exponent as usize).is_some_and(|b| *b >= b'5') {
        amount = amount.checked_add(1)?;
    }
    Some(amount)
}

#[cfg(test)]
mod tests;

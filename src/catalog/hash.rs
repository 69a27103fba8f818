//! The content hash: xxh3-128 over the document's canonical JSON (the NDJSON
//! line without its `hash` field), as 32 lowercase hex digits, which is what
//! PHP's `hash('xxh128', $json)` prints for the same bytes.
use xxhash_rust::xxh3::xxh3_128;

use super::ndjson;
use super::product::Document;

/// The document's canonical JSON and its hash.
pub fn content_hash(doc: &Document) -> (Vec<u8>, u128) {
    let mut json = Vec::with_capacity(doc.text.len() + 512);
    ndjson::write_document(doc, &mut json);
    let hash = xxh3_128(&json);
    (json, hash)
}

pub fn hex(hash: u128) -> String {
    format!("{hash:032x}")
}

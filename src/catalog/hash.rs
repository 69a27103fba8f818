//! The content hash: xxh3-128 over the document's canonical JSON (the NDJSON
//! line without its `hash` field), as 32 lowercase hex digits, which is what
//! PHP's `hash('xxh128', $json)` prints for the same bytes.
use xxhash_rust::xxh3::xxh3_128;

use super::ndjson;
use super::product::Document;

pub fn content_hash(doc: &Document, scratch: &mut Vec<u8>) -> u128 {
    scratch.clear();
    ndjson::write_document(doc, scratch);
    xxh3_128(scratch)
}

pub fn hex(hash: u128) -> String {
    format!("{hash:032x}")
}

//! The content hash: xxh3-128 over the document's canonical JSON (the NDJSON
//! line without its `hash` field), as 32 lowercase hex digits, which is what
//! PHP's `hash('xxh128', $json)` prints for the same bytes.
use xxhash_rust::xxh3::xxh3_128;

pub fn hash_json(json: &[u8]) -> u128 {
    xxh3_128(json)
}

pub fn hex(hash: u128) -> String {
    format!("{hash:032x}")
}

//! NDJSON lines: the document as serde_json writes it, with `hash` appended
//! as the last field and a "\n" terminator.
use super::hash::hex;
use super::product::Document;

/// Canonical JSON of the document (no `hash`). Serializing plain structs of
/// strings, integers, bools and maps into a Vec cannot fail.
pub fn write_document(doc: &Document, out: &mut Vec<u8>) {
    if serde_json::to_writer(&mut *out, doc).is_err() {
        out.clear();
        out.extend_from_slice(b"{}");
    }
}

/// Turns the canonical JSON in `json` into its NDJSON line in place: the hash
/// goes last, then "\n".
pub fn append_hash(json: &mut Vec<u8>, hash: u128) {
    if json.last() == Some(&b'}') {
        json.pop();
    }
    json.extend_from_slice(b",\"hash\":\"");
    json.extend_from_slice(hex(hash).as_bytes());
    json.extend_from_slice(b"\"}\n");
}

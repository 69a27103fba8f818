//! NDJSON lines: the document as serde_json writes it, with `hash` appended
//! as the last field and a "\n" terminator.
use super::hash::hex;
use super::product::Document;

/// Canonical JSON of the document (no `hash`). Serializing plain structs of
/// strings, integers, bools and maps into a Vec cannot fail.
pub fn write_document(doc: &Document, out: &mut Vec<u8>) {
    if serde_json::to_writer(&mut *out, doc).is_err() {
        out.extend_from_slice(b"{}");
    }
}

pub fn write_line(doc: &Document, hash: u128, out: &mut Vec<u8>) {
    write_document(doc, out);
    out.pop(); // the closing brace; hash goes last
    out.extend_from_slice(b",\"hash\":\"");
    out.extend_from_slice(hex(hash).as_bytes());
    out.extend_from_slice(b"\"}\n");
}

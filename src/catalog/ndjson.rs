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

/// Bytes `write_line` adds to a document's JSON.
pub const HASH_SUFFIX_LEN: usize = ",\"hash\":\"\"}\n".len() + 32 - 1;

/// One NDJSON line from the document's canonical JSON (as `write_document` wrote it).
pub fn write_line(json: &[u8], hash: u128, out: &mut Vec<u8>) {
    out.extend_from_slice(json.strip_suffix(b"}").unwrap_or(json)); // hash goes last
    out.extend_from_slice(b",\"hash\":\"");
    out.extend_from_slice(hex(hash).as_bytes());
    out.extend_from_slice(b"\"}\n");
}

/// Writes the same bytes as `write_line` into a preallocated buffer (which
/// must hold `json.len() + HASH_SUFFIX_LEN` bytes); returns how many.
pub fn copy_line(json: &[u8], hash: u128, out: &mut [u8]) -> usize {
    let hex = hex(hash);
    let parts: [&[u8]; 4] = [json.strip_suffix(b"}").unwrap_or(json), b",\"hash\":\"", hex.as_bytes(), b"\"}\n"];
    let mut at = 0;
    for part in parts {
        let end = at + part.len();
        if let Some(dst) = out.get_mut(at..end) {
            dst.copy_from_slice(part);
        }
        at = end;
    }
    at
}

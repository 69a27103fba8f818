//! The content hash: xxh3-128 over the document's canonical JSON (the NDJSON
//! line without its `hash` field), as 32 lowercase hex digits, which is what
//! PHP's `hash('xxh128', $json)` prints for the same bytes.
use xxhash_rust::xxh3::xxh3_128;

pub fn hash_json(json: &[u8]) -> u128 {
    xxh3_128(json)
}

pub fn hex(hash: u128) -> String {
    String::from_utf8_lossy(&hex_digits(hash)).into_owned()
}

/// The 32 lowercase hex digits, without going through `format!` (this runs
/// once per product).
pub fn hex_digits(hash: u128) -> [u8; 32] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 32];
    for (i, d) in out.iter_mut().enumerate() {
        *d = DIGITS[(hash >> (124 - 4 * i) & 0xF) as usize];
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_digits_match_format() {
        for h in [0u128, 1, 0xABCDEF, u128::MAX, 0x457b13bace17942d7b8e4c85fd5b76b5] {
            assert_eq!(super::hex(h), format!("{h:032x}"));
        }
    }
}

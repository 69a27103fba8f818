//! Arabic-Indic (U+0660–0669) and Persian/Urdu (U+06F0–06F9) digits read as
//! ASCII digits: prices, order numbers and phone numbers typed on an Arabic or
//! Persian keyboard. The Arabic decimal and thousands separators (U+066B, U+066C)
//! become `.` and `,`. Everything else is left byte for byte as it was.

/// Works on bytes, so text that is not valid UTF-8 keeps its other bytes as they are.
pub fn normalize_digits_bytes(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        let next = text.get(i + 1).copied();
        let mapped = match (b, next) {
            (0xD9, Some(n @ 0xA0..=0xA9)) => Some(b'0' + (n - 0xA0)),
            (0xD9, Some(0xAB)) => Some(b'.'),
            (0xD9, Some(0xAC)) => Some(b','),
            (0xDB, Some(n @ 0xB0..=0xB9)) => Some(b'0' + (n - 0xB0)),
            _ => None,
        };
        if let Some(m) = mapped {
            out.push(m);
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

pub fn normalize_digits(text: &str) -> String {
    // Whole two-byte characters become ASCII: the result is valid UTF-8.
    let bytes = normalize_digits_bytes(text.as_bytes());
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

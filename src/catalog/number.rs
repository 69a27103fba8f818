//! Prices and ratings as decimal strings. Floats never round-trip through
//! arithmetic: every value is rounded as text, half away from zero.

/// Largest number of integer digits accepted in a price (a quadrillion).
const MAX_INT_DIGITS: usize = 15;

/// Formats a float the way it reads (shortest round-trip digits, no exponent).
pub fn float_text(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let s = format!("{f}");
    Some(if s.contains('.') { s } else { format!("{s}.0") })
}

/// `"19.995"` with 2 decimals → `"20.00"`. Accepts `digits[.digits]` (either
/// side may be empty, not both) after trimming; no sign, no exponent.
pub fn round_decimal(text: &str, decimals: usize) -> Result<String, String> {
    let t = text.trim();
    let (int_part, frac_part) = t.split_once('.').unwrap_or((t, ""));
    let valid = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if t.starts_with('-') {
        return Err(format!("'{t}' is negative"));
    }
    if (int_part.is_empty() && frac_part.is_empty()) || !valid(int_part) || !valid(frac_part) {
        return Err(format!("'{}' is not a decimal number", t.chars().take(40).collect::<String>()));
    }
    let int_part = int_part.trim_start_matches('0');
    if int_part.len() > MAX_INT_DIGITS {
        return Err(format!("'{}' is absurdly large", t.chars().take(40).collect::<String>()));
    }
    // Digits of value × 10^decimals, then round on the first dropped digit.
    let mut digits: Vec<u8> = int_part.bytes().map(|b| b - b'0').collect();
    let frac: Vec<u8> = frac_part.bytes().map(|b| b - b'0').collect();
    for i in 0..decimals {
        digits.push(frac.get(i).copied().unwrap_or(0));
    }
    if frac.get(decimals).is_some_and(|&d| d >= 5) {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    while digits.len() < decimals + 1 {
        digits.insert(0, 0);
    }
    let split = digits.len() - decimals;
    let mut out: String = digits[..split].iter().map(|d| char::from(b'0' + d)).collect();
    let trimmed = out.trim_start_matches('0');
    out = if trimmed.is_empty() { "0".to_owned() } else { trimmed.to_owned() };
    if decimals > 0 {
        out.push('.');
        out.extend(digits[split..].iter().map(|d| char::from(b'0' + d)));
    }
    Ok(out)
}

/// Orders two outputs of `round_decimal` with the same number of decimals.
pub fn decimal_less(a: &str, b: &str) -> bool {
    (a.len(), a) < (b.len(), b)
}

/// An integer from an int, an integral float, or a trimmed decimal string.
pub fn parse_int_text(t: &str) -> Option<i64> {
    let t = t.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_as_text() {
        assert_eq!(round_decimal("19.995", 2).as_deref(), Ok("20.00"));
        assert_eq!(round_decimal("19.994", 2).as_deref(), Ok("19.99"));
        assert_eq!(round_decimal("007", 2).as_deref(), Ok("7.00"));
        assert_eq!(round_decimal(".5", 0).as_deref(), Ok("1"));
        assert_eq!(round_decimal("0.004", 2).as_deref(), Ok("0.00"));
        assert_eq!(round_decimal("999.999", 2).as_deref(), Ok("1000.00"));
        assert!(round_decimal("-1", 2).is_err());
        assert!(round_decimal("1e5", 2).is_err());
        assert!(round_decimal(".", 2).is_err());
        assert!(round_decimal("19,99", 2).is_err());
        assert!(decimal_less("9.99", "10.00"));
        assert!(!decimal_less("10.00", "9.99"));
        assert_eq!(float_text(19.99).as_deref(), Some("19.99"));
        assert_eq!(float_text(20.0).as_deref(), Some("20.0"));
    }
}

//! `updated_at` as Unix seconds: from an int, a digit string, or ISO 8601 /
//! MySQL datetime text (`2024-05-01T10:00:00+02:00`, `2024-05-01 08:00:00` = UTC).

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `Ok(None)` for MySQL's zero date, which WooCommerce stores for "never".
pub fn parse_datetime(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    let bad = || format!("'{}' is not a Unix time or ISO 8601 date", t.chars().take(40).collect::<String>());
    if !t.is_ascii() {
        return Err(bad());
    }
    if t.starts_with("0000-00-00") {
        return Ok(None);
    }
    if let Some(n) = num(t) {
        return Ok(Some(n));
    }
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (y, mo, d) = (num(&t[0..4]).ok_or_else(bad)?, num(&t[5..7]).ok_or_else(bad)?, num(&t[8..10]).ok_or_else(bad)?);
    let mut secs = 0;
    let mut rest = &t[10..];
    if let Some(time) = rest.strip_prefix(['T', ' ']) {
        let tb = time.as_bytes();
        if tb.len() < 5 || tb[2] != b':' {
            return Err(bad());
        }
        let (h, mi) = (num(&time[0..2]).ok_or_else(bad)?, num(&time[3..5]).ok_or_else(bad)?);
        let mut s = 0;
        rest = &time[5..];
        if let Some(sec) = rest.strip_prefix(':') {
            s = num(sec.get(0..2).ok_or_else(bad)?).ok_or_else(bad)?;
            rest = &sec[2..];
            if let Some(frac) = rest.strip_prefix('.') {
                let n = frac.bytes().take_while(u8::is_ascii_digit).count();
                if n == 0 {
                    return Err(bad());
                }
                rest = &frac[n..];
            }
        }
        if h > 23 || mi > 59 || s > 60 {
            return Err(bad());
        }
        secs = h * 3600 + mi * 60 + s;
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(bad()),
            };
            let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || rest.len() > 6 {
                return Err(bad());
            }
            let (oh, om) = (num(&digits[0..2]).ok_or_else(bad)?, num(&digits[2..4]).ok_or_else(bad)?);
            sign * (oh * 3600 + om * 60)
        }
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(Some(days_from_civil(y, mo, d) * 86_400 + secs - offset))
}

#[cfg(test)]
mod tests {
    use super::parse_datetime;

    #[test]
    fn parses_iso_and_mysql() {
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Ok(Some(0)));
        assert_eq!(parse_datetime("2024-05-01 08:00:00"), Ok(Some(1_714_550_400)));
        assert_eq!(parse_datetime("2024-05-01T10:00:00+02:00"), Ok(Some(1_714_550_400)));
        assert_eq!(parse_datetime("2024-05-01T10:00:00.123+0200"), Ok(Some(1_714_550_400)));
        assert_eq!(parse_datetime("2024-05-01"), Ok(Some(1_714_521_600)));
        assert_eq!(parse_datetime("1714550400"), Ok(Some(1_714_550_400)));
        assert_eq!(parse_datetime("0000-00-00 00:00:00"), Ok(None));
        assert!(parse_datetime("yesterday").is_err());
        assert!(parse_datetime("2024-13-01").is_err());
        assert!(parse_datetime("2024-05-01T25:00").is_err());
    }
}

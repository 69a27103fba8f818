//! License keys a customer types: `AISLE-XXXX-XXXX-XXXX-XXXX-CCCC`.
//!
//! Sixteen Crockford base32 characters carry 80 random bits; the last group is
//! a 20-bit checksum, so a mistyped key is caught on the site before any
//! network call (and by the server before any database lookup). Reading is
//! forgiving the Crockford way: case-insensitive, `O` reads as `0`, `I` and `L`
//! as `1`, and spaces, dashes and the `AISLE` prefix are optional.
use rand::RngCore;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const DATA_CHARS: usize = 16;
const CHECK_CHARS: usize = 4;
pub const PREFIX: &str = "AISLE";

fn check_group(data: &[u8]) -> [u8; CHECK_CHARS] {
    let digest = Sha256::new().chain_update(b"aisle-license-key-v1:").chain_update(data).finalize();
    let bits = (u32::from(digest[0]) << 16 | u32::from(digest[1]) << 8 | u32::from(digest[2])) >> 4;
    let mut out = [0u8; CHECK_CHARS];
    for (i, c) in out.iter_mut().enumerate() {
        *c = ALPHABET[((bits >> (5 * (CHECK_CHARS - 1 - i))) & 31) as usize];
    }
    out
}

fn format_key(chars: &[u8]) -> String {
    let mut out = String::from(PREFIX);
    for group in chars.chunks(4) {
        out.push('-');
        out.extend(group.iter().map(|&b| char::from(b)));
    }
    out
}

/// A new random key in canonical form.
pub fn generate() -> String {
    let mut random = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let mut data = [0u8; DATA_CHARS];
    let bits = random.iter().fold(0u128, |acc, &b| acc << 8 | u128::from(b));
    for (i, c) in data.iter_mut().enumerate() {
        *c = ALPHABET[((bits >> (5 * (DATA_CHARS - 1 - i))) & 31) as usize];
    }
    let mut all = data.to_vec();
    all.extend_from_slice(&check_group(&data));
    format_key(&all)
}

/// The canonical form of a typed key, or a message saying what is wrong with it.
pub fn normalize(input: &str) -> Result<String, String> {
    let mut chars: Vec<u8> = input
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' ' | b'\t' | b'\r' | b'\n'))
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if chars.len() == PREFIX.len() + DATA_CHARS + CHECK_CHARS && chars.starts_with(PREFIX.as_bytes()) {
        chars.drain(..PREFIX.len());
    }
    if chars.len() != DATA_CHARS + CHECK_CHARS {
        return Err(format!(
            "a license key has {} characters after '{PREFIX}-' (AISLE-XXXX-XXXX-XXXX-XXXX-XXXX); this one has {}",
            DATA_CHARS + CHECK_CHARS,
            chars.len()
        ));
    }
    for c in &mut chars {
        *c = match *c {
            b'O' => b'0',
            b'I' | b'L' => b'1',
            other => other,
        };
        if !ALPHABET.contains(c) {
            return Err(format!("'{}' cannot appear in a license key", char::from(*c)));
        }
    }
    let (data, check) = chars.split_at(DATA_CHARS);
    if check_group(data) != check {
        return Err("the license key has a typo (its check group does not match)".into());
    }
    Ok(format_key(&chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_validate_and_are_distinct() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), "AISLE-XXXX-XXXX-XXXX-XXXX-XXXX".len());
        assert_eq!(normalize(&a).unwrap(), a);
        // Forgiving reading: lower case, no dashes, no prefix.
        let sloppy = a.trim_start_matches("AISLE-").replace('-', " ").to_lowercase();
        assert_eq!(normalize(&sloppy).unwrap(), a);
    }

    #[test]
    fn every_single_character_typo_is_caught() {
        let key = generate();
        let body: Vec<char> = key.chars().collect();
        let mut caught = 0;
        let mut tried = 0;
        for i in 6..body.len() {
            if body[i] == '-' {
                continue;
            }
            for &alt in ALPHABET {
                let alt = char::from(alt);
                if alt == body[i] {
                    continue;
                }
                let mut typo = body.clone();
                typo[i] = alt;
                tried += 1;
                if normalize(&typo.iter().collect::<String>()).is_err() {
                    caught += 1;
                }
            }
        }
        // 20 check bits: a miss has probability 2^-20 per typo.
        assert!(caught + 1 >= tried, "{caught}/{tried}");
        assert!(normalize("AISLE-0000-0000-0000-0000").is_err());
        assert!(normalize("AISLE-0000-0000-0000-0000-000U").is_err());
        assert!(normalize("").is_err());
    }
}

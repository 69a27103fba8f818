//! `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`, as Meta signs
//! every webhook delivery. Checked before the body is parsed; the comparison is constant
//! time (`Mac::verify_slice`), so a forger learns nothing from how long a refusal took.
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "sha256=";

/// True only for a well-formed header whose digest matches `body` under `secret`.
/// An empty secret never verifies: an unconfigured channel must not accept anything.
pub fn verify(body: &[u8], header: Option<&str>, secret: &[u8]) -> bool {
    let Some(header) = header else { return false };
    if secret.is_empty() {
        return false;
    }
    let header = header.trim();
    // Meta sends lowercase hex; the prefix name is matched case-insensitively like HTTP tokens.
    let Some(hex) = header.get(..PREFIX.len()).filter(|p| p.eq_ignore_ascii_case(PREFIX)).map(|_| &header[PREFIX.len()..]) else {
        return false;
    };
    let Some(digest) = decode_hex32(hex) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return false };
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

fn decode_hex32(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The header Meta would send for `body`.
#[cfg(test)]
pub(crate) fn sign(body: &[u8], secret: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(PREFIX.len() + 64);
    out.push_str(PREFIX);
    for b in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

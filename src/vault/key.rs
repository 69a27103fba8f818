use aes_gcm::{Aes256Gcm, KeyInit};
use base64::Engine;
use zeroize::Zeroizing;

use super::VaultError;

pub const KEY_LEN: usize = 32;

/// One named AES-256 key with its expanded cipher, both wiped on drop
/// (aes-gcm's `zeroize` feature clears the round keys).
pub struct NamedKey {
    pub id: String,
    pub cipher: Aes256Gcm,
}

impl NamedKey {
    pub fn new(id: &str, key: &[u8]) -> Result<Self, VaultError> {
        validate_key_id(id)?;
        if key.len() != KEY_LEN {
            return Err(VaultError::BadKey(format!(
                "key '{id}' is {} bytes; AES-256 needs exactly {KEY_LEN}",
                key.len()
            )));
        }
        let cipher = Aes256Gcm::new_from_slice(key)
            .map_err(|_| VaultError::BadKey(format!("key '{id}' is not a valid AES-256 key")))?;
        Ok(Self { id: id.to_owned(), cipher })
    }

    /// Parses base64 key text (standard or URL-safe alphabet, padded or not).
    pub fn from_base64(id: &str, text: &str) -> Result<Self, VaultError> {
        let text = text.trim();
        let bytes = Zeroizing::new(decode_any_base64(text).ok_or_else(|| {
            VaultError::BadKey(format!("key '{id}' is not valid base64"))
        })?);
        Self::new(id, &bytes)
    }
}

fn decode_any_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// Key ids appear inside envelopes, so they are restricted to a safe alphabet.
pub fn validate_key_id(id: &str) -> Result<(), VaultError> {
    let ok = (1..=32).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(VaultError::Malformed(format!(
            "key id must be 1-32 characters of [A-Za-z0-9_-], got {:?}",
            truncate_for_message(id)
        )))
    }
}

pub fn truncate_for_message(s: &str) -> String {
    s.chars().take(40).collect()
}

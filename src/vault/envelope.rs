//! The envelope format: `aisle:v1:<keyId>:<base64url(nonce || ciphertext || tag)>`.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::key::validate_key_id;
use super::VaultError;

pub const PREFIX: &str = "aisle:v1:";
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;

pub struct Envelope<'a> {
    pub key_id: &'a str,
    /// nonce || ciphertext || tag
    pub sealed: Vec<u8>,
}

pub fn format(key_id: &str, sealed: &[u8]) -> String {
    let mut out = String::with_capacity(PREFIX.len() + key_id.len() + 1 + sealed.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    out.push_str(key_id);
    out.push(':');
    URL_SAFE_NO_PAD.encode_string(sealed, &mut out);
    out
}

/// Reads only the key id: cheap, used by `needsRotation`.
pub fn key_id(envelope: &str) -> Result<&str, VaultError> {
    let rest = strip_prefix(envelope)?;
    let (id, _) = rest
        .split_once(':')
        .ok_or_else(|| VaultError::Malformed("missing ':' after the key id".into()))?;
    validate_key_id(id)?;
    Ok(id)
}

pub fn parse(envelope: &str) -> Result<Envelope<'_>, VaultError> {
    let id = key_id(envelope)?;
    let body = &envelope[PREFIX.len() + id.len() + 1..];
    let sealed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| VaultError::Malformed("payload is not unpadded base64url".into()))?;
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(VaultError::Malformed(format!(
            "payload is {} bytes; at least {} (nonce + tag) are needed",
            sealed.len(),
            NONCE_LEN + TAG_LEN
        )));
    }
    Ok(Envelope { key_id: id, sealed })
}

fn strip_prefix(envelope: &str) -> Result<&str, VaultError> {
    if let Some(rest) = envelope.strip_prefix(PREFIX) {
        return Ok(rest);
    }
    if envelope.starts_with("aisle:") {
        return Err(VaultError::Malformed(
            "unsupported envelope version (this build reads v1)".into(),
        ));
    }
    Err(VaultError::Malformed("not an Aisle envelope (expected 'aisle:v1:' prefix)".into()))
}

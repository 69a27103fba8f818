//! `base64url(payload JSON) "." base64url(Ed25519 signature over the payload bytes)`.
use std::sync::{Mutex, OnceLock};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};
use serde::{Deserialize, Serialize};

use super::site::normalize_pattern;
use super::LicenseError;

pub const TOKEN_VERSION: u32 = 1;
/// Far above any real token (a few hundred bytes); bounds the work on hostile input.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;
pub const MAX_FEATURES: usize = 64;
pub const MAX_GRACE_DAYS: u32 = 365;

/// The signed claims. Field names are the wire format; do not rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    pub v: u32,
    pub lid: String,
    pub site: String,
    pub plan: String,
    #[serde(default)]
    pub features: Vec<String>,
    pub iat: i64,
    pub exp: i64,
    #[serde(default)]
    pub grace_days: u32,
}

impl Payload {
    /// Rejects claims no honest issuer produces, so that every accessor can
    /// trust them (e.g. `exp + grace` cannot overflow).
    pub fn validate(&self) -> Result<(), LicenseError> {
        let bad = |m: &str| Err(LicenseError::Malformed(m.to_owned()));
        if self.v != TOKEN_VERSION {
            return Err(LicenseError::Malformed(format!("unsupported token version {}", self.v)));
        }
        if self.lid.is_empty() || self.lid.len() > 128 {
            return bad("license id must be 1 to 128 bytes");
        }
        if self.plan.is_empty() || self.plan.len() > 64 {
            return bad("plan must be 1 to 64 bytes");
        }
        if normalize_pattern(&self.site).as_deref() != Some(self.site.as_str()) {
            return bad("site must be a lower-case host or *.host");
        }
        if self.features.len() > MAX_FEATURES || self.features.iter().any(|f| f.is_empty() || f.len() > 64) {
            return bad("features must be at most 64 names of 1 to 64 bytes");
        }
        // Years 1970..=9999: keeps every date computation far from overflow.
        let range = 0..=253_402_300_799;
        if !range.contains(&self.iat) || !range.contains(&self.exp) || self.exp < self.iat {
            return bad("iat and exp must be Unix times with iat <= exp");
        }
        if self.grace_days > MAX_GRACE_DAYS {
            return bad("grace_days must be at most 365");
        }
        Ok(())
    }

    /// End of the grace period: the first second at which the license is `expired`.
    pub fn grace_ends_at(&self) -> i64 {
        self.exp + i64::from(self.grace_days) * 86_400
    }
}

/// Parses a base64 (standard or URL-safe, padded or not) Ed25519 public key.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, LicenseError> {
    let text = text.trim();
    let raw = STANDARD
        .decode(text)
        .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
        .map_err(|_| LicenseError::BadKey("the public key is not base64".into()))?;
    let bytes: [u8; PUBLIC_KEY_LENGTH] = raw
        .try_into()
        .map_err(|_| LicenseError::BadKey("the public key must be 32 bytes (44 base64 characters)".into()))?;
    let key = VerifyingKey::from_bytes(&bytes)
        .map_err(|_| LicenseError::BadKey("the public key is not a valid Ed25519 point".into()))?;
    if key.is_weak() {
        return Err(LicenseError::BadKey("the public key is a weak (small-order) Ed25519 point".into()));
    }
    Ok(key)
}

/// The public key compiled into this build (see build.rs), parsed once.
pub fn vendor_public_key() -> Result<VerifyingKey, LicenseError> {
    static KEY: OnceLock<Result<VerifyingKey, LicenseError>> = OnceLock::new();
    KEY.get_or_init(|| parse_public_key(VENDOR_PUBLIC_KEY_B64)).clone()
}

pub const VENDOR_PUBLIC_KEY_B64: &str = env!("AISLE_LICENSE_PUBLIC_KEY_B64");
/// `vendor` when built with AISLE_LICENSE_PUBLIC_KEY, `development` for the committed test key.
pub const VENDOR_KEY_SOURCE: &str = env!("AISLE_LICENSE_KEY_SOURCE");

/// Like `parse_public_key`, remembering the last key: a plugin passes the same
/// explicit key on every request, and decompressing the point costs about as
/// much as a third of a verification.
pub fn cached_public_key(text: &str) -> Result<VerifyingKey, LicenseError> {
    static LAST: Mutex<Option<(String, VerifyingKey)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((t, k)) = last.as_ref() {
        if t == text {
            return Ok(*k);
        }
    }
    let key = parse_public_key(text)?;
    *last = Some((text.to_owned(), key));
    Ok(key)
}

/// Checks the signature, then parses and validates the claims.
pub fn decode(token: &str, key: &VerifyingKey) -> Result<Payload, LicenseError> {
    decode_claims(token, key).map_err(|e| match e {
        LicenseError::Malformed(m) => LicenseError::Malformed(format!("license token: {m}")),
        other => other,
    })
}

fn decode_claims(token: &str, key: &VerifyingKey) -> Result<Payload, LicenseError> {
    let token = token.trim();
    if token.len() > MAX_TOKEN_LEN {
        return Err(LicenseError::Malformed(format!("token longer than {MAX_TOKEN_LEN} bytes")));
    }
    let (payload_b64, sig_b64) = token
        .split_once('.')
        .ok_or_else(|| LicenseError::Malformed("expected two base64url parts separated by '.'".into()))?;
    // The strict engine refuses padding and non-canonical trailing bits, so
    // every distinct token text maps to distinct bytes.
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| LicenseError::Malformed("payload is not base64url without padding".into()))?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig_b64)
        .map_err(|_| LicenseError::Malformed("signature is not base64url without padding".into()))?;
    let sig: [u8; SIGNATURE_LENGTH] = sig
        .try_into()
        .map_err(|_| LicenseError::Malformed("signature must be 64 bytes".into()))?;
    // verify_strict: rejects small-order keys/R and non-canonical S (malleability).
    key.verify_strict(&payload, &Signature::from_bytes(&sig))
        .map_err(|_| LicenseError::BadSignature)?;
    let claims: Payload = serde_json::from_slice(&payload)
        .map_err(|e| LicenseError::Malformed(format!("payload is not the expected JSON: {e}")))?;
    claims.validate()?;
    Ok(claims)
}

/// Signs claims into a token (the vendor side: aisle-license issue / serve).
pub fn encode(claims: &Payload, key: &SigningKey) -> Result<String, LicenseError> {
    claims.validate()?;
    let json = serde_json::to_vec(claims).map_err(|e| LicenseError::Malformed(e.to_string()))?;
    let sig = key.sign(&json);
    Ok(format!("{}.{}", URL_SAFE_NO_PAD.encode(&json), URL_SAFE_NO_PAD.encode(sig.to_bytes())))
}

//! Authenticated encryption of secrets at rest (AES-256-GCM), with a keyring for rotation.
mod envelope;
mod error;
mod key;
mod nonce;
mod sources;

use aes_gcm::aead::{Aead, AeadInPlace, Payload};
use aes_gcm::Nonce;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

pub use error::VaultError;
pub use key::KEY_LEN;
use key::NamedKey;
pub use sources::{derive_key_from_secret, parse_key_file, KeySource, HKDF_INFO, HKDF_SALT};

/// A keyring: the first key seals, every key opens.
pub struct Vault {
    keys: Vec<NamedKey>,
}

impl std::fmt::Debug for Vault {
    // Never print key material, only ids.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("key_ids", &self.key_ids()).finish()
    }
}

impl Vault {
    pub fn generate_key() -> Zeroizing<[u8; KEY_LEN]> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        rand::RngCore::fill_bytes(&mut OsRng, key.as_mut());
        key
    }

    pub fn from_key(key: &[u8], key_id: &str) -> Result<Self, VaultError> {
        Ok(Self { keys: vec![NamedKey::new(key_id, key)?] })
    }

    pub fn from_secret(secret: &[u8], key_id: &str) -> Result<Self, VaultError> {
        let key = derive_key_from_secret(secret)?;
        Self::from_key(key.as_ref(), key_id)
    }

    /// Parses keyring text (see `parse_key_file`): first key active.
    pub fn from_keyring_text(text: &str) -> Result<Self, VaultError> {
        Ok(Self { keys: parse_key_file(text)? })
    }

    /// A new vault whose active key is `key`; the current keys still open old envelopes.
    pub fn with_key(&self, key: &[u8], key_id: &str) -> Result<Self, VaultError> {
        if self.keys.iter().any(|k| k.id == key_id) {
            return Err(VaultError::BadKey(format!(
                "key id '{key_id}' is already in the keyring; pick a new id for a new key"
            )));
        }
        let mut keys = Vec::with_capacity(self.keys.len() + 1);
        keys.push(NamedKey::new(key_id, key)?);
        keys.extend(self.keys.iter().map(|k| NamedKey { id: k.id.clone(), cipher: k.cipher.clone() }));
        Ok(Self { keys })
    }

    pub fn active_key_id(&self) -> &str {
        &self.keys[0].id
    }

    pub fn key_ids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.id.as_str()).collect()
    }

    pub fn encrypt(&self, plaintext: &[u8], context: &[u8]) -> Result<String, VaultError> {
        let active = &self.keys[0];
        // One buffer, sealed in place: nonce || ciphertext || tag.
        let mut sealed = Zeroizing::new(Vec::with_capacity(envelope::NONCE_LEN + plaintext.len() + envelope::TAG_LEN));
        let nonce_bytes = nonce::fresh();
        let nonce = Nonce::from_slice(&nonce_bytes);
        sealed.extend_from_slice(&nonce_bytes);
        sealed.extend_from_slice(plaintext);
        let tag = active
            .cipher
            .encrypt_in_place_detached(nonce, context, &mut sealed[envelope::NONCE_LEN..])
            .map_err(|_| VaultError::BadKey("plaintext too large for AES-GCM".into()))?;
        sealed.extend_from_slice(&tag);
        Ok(envelope::format(&active.id, &sealed))
    }

    pub fn decrypt(&self, envelope_text: &str, context: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let env = envelope::parse(envelope_text)?;
        let key = self
            .keys
            .iter()
            .find(|k| k.id == env.key_id)
            .ok_or_else(|| VaultError::UnknownKey(env.key_id.to_owned()))?;
        let (nonce, body) = env.sealed.split_at(envelope::NONCE_LEN);
        key.cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad: context })
            .map(Zeroizing::new)
            .map_err(|_| VaultError::AuthFailed)
    }

    pub fn needs_rotation(&self, envelope_text: &str) -> Result<bool, VaultError> {
        Ok(envelope::key_id(envelope_text)? != self.active_key_id())
    }

    /// Re-seals under the active key. An envelope already under it is verified and returned as is.
    pub fn rotate(&self, envelope_text: &str, context: &[u8]) -> Result<String, VaultError> {
        let plaintext = self.decrypt(envelope_text, context)?;
        if !self.needs_rotation(envelope_text)? {
            return Ok(envelope_text.to_owned());
        }
        self.encrypt(&plaintext, context)
    }
}

#[cfg(test)]
mod tests;

//! `Aisle\Vault`: zval <-> Rust only; the logic is in `crate::vault`.
use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;

use super::ini;
use crate::vault::Vault;

#[php_class]
#[php(name = "Aisle\\Vault")]
#[php(flags = ClassFlags::Final)]
pub struct PhpVault {
    inner: Vault,
}

#[php_impl]
impl PhpVault {
    /// 32 random bytes from the OS RNG.
    pub fn generate_key() -> Binary<u8> {
        Binary::from(Vault::generate_key().to_vec())
    }

    #[php(defaults(keyId = String::from("k1")))]
    pub fn from_key(key32: BinarySlice<u8>, keyId: String) -> PhpResult<Self> {
        Ok(Self { inner: Vault::from_key(&key32, &keyId)? })
    }

    #[php(defaults(keyId = String::from("wp")))]
    pub fn from_secret(secret: BinarySlice<u8>, keyId: String) -> PhpResult<Self> {
        Ok(Self { inner: Vault::from_secret(&secret, &keyId)? })
    }

    pub fn from_key_file(path: &str) -> PhpResult<Self> {
        Ok(Self { inner: Vault::from_key_file(path)? })
    }

    pub fn from_environment() -> PhpResult<Self> {
        let env = std::env::var("AISLE_MASTER_KEY").ok();
        let key_file = ini::key_file();
        Ok(Self { inner: Vault::from_environment(env.as_deref(), key_file.as_deref())? })
    }

    pub fn with_key(&self, key32: BinarySlice<u8>, keyId: String) -> PhpResult<Self> {
        Ok(Self { inner: self.inner.with_key(&key32, &keyId)? })
    }

    pub fn encrypt(&self, plaintext: BinarySlice<u8>, context: BinarySlice<u8>) -> PhpResult<String> {
        Ok(self.inner.encrypt(&plaintext, &context)?)
    }

    pub fn decrypt(&self, envelope: BinarySlice<u8>, context: BinarySlice<u8>) -> PhpResult<Binary<u8>> {
        let envelope = envelope_str(&envelope)?;
        let plaintext = self.inner.decrypt(envelope, &context)?;
        // The copy handed to PHP is PHP's to manage; ours is wiped on drop.
        Ok(Binary::from(plaintext.to_vec()))
    }

    pub fn needs_rotation(&self, envelope: BinarySlice<u8>) -> PhpResult<bool> {
        Ok(self.inner.needs_rotation(envelope_str(&envelope)?)?)
    }

    pub fn rotate(&self, envelope: BinarySlice<u8>, context: BinarySlice<u8>) -> PhpResult<String> {
        Ok(self.inner.rotate(envelope_str(&envelope)?, &context)?)
    }

    /// The id of the key new envelopes are sealed with.
    pub fn key_id(&self) -> String {
        self.inner.active_key_id().to_owned()
    }

    /// Every key id in the keyring, active first.
    pub fn key_ids(&self) -> Vec<String> {
        self.inner.key_ids().into_iter().map(str::to_owned).collect()
    }
}

impl PhpVault {
    /// For other classes that decrypt inside the extension (the AI key).
    pub(super) fn inner(&self) -> &Vault {
        &self.inner
    }
}

/// Envelopes are ASCII; anything else is malformed rather than a TypeError.
fn envelope_str(bytes: &[u8]) -> Result<&str, crate::vault::VaultError> {
    std::str::from_utf8(bytes)
        .map_err(|_| crate::vault::VaultError::Malformed("envelope is not ASCII text".into()))
}

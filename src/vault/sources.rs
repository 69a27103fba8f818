//! Where a vault's keys come from: a secret (HKDF), a keyring file, or the environment.
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::key::{NamedKey, KEY_LEN};
use super::{Vault, VaultError};

/// Fixed HKDF parameters: changing them would make every stored envelope unreadable.
pub const HKDF_SALT: &[u8] = b"aisle-vault-v1";
pub const HKDF_INFO: &[u8] = b"aisle vault aes-256-gcm key";
const MIN_SECRET_LEN: usize = 16;

pub fn derive_key_from_secret(secret: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>, VaultError> {
    if secret.len() < MIN_SECRET_LEN {
        return Err(VaultError::BadKey(format!(
            "secret is {} bytes; at least {MIN_SECRET_LEN} are needed to derive a key",
            secret.len()
        )));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    Hkdf::<Sha256>::new(Some(HKDF_SALT), secret)
        .expand(HKDF_INFO, key.as_mut())
        .map_err(|_| VaultError::BadKey("HKDF expansion failed".into()))?;
    Ok(key)
}

/// Keyring text: one `id:base64key` a line, `#` comments and blank lines allowed, first key active.
pub fn parse_key_file(text: &str) -> Result<Vec<NamedKey>, VaultError> {
    let mut keys: Vec<NamedKey> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, b64) = line.split_once(':').ok_or_else(|| {
            VaultError::BadKey(format!("line {}: expected 'id:base64key'", index + 1))
        })?;
        let id = id.trim();
        if keys.iter().any(|k| k.id == id) {
            return Err(VaultError::BadKey(format!("line {}: key id '{id}' appears twice", index + 1)));
        }
        let key = NamedKey::from_base64(id, b64).map_err(|e| match e {
            VaultError::BadKey(m) => VaultError::BadKey(format!("line {}: {m}", index + 1)),
            VaultError::Malformed(m) => VaultError::BadKey(format!("line {}: {m}", index + 1)),
            other => other,
        })?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(VaultError::NoKey("the key file holds no key".into()));
    }
    Ok(keys)
}

/// Where `Vault::from_environment` found (or would find) its key; shown by phpinfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    KeyFile(String),
    None,
}

impl KeySource {
    pub fn detect(env_value: Option<&str>, key_file: Option<&str>) -> Self {
        match (env_value.filter(|v| !v.trim().is_empty()), key_file.filter(|p| !p.is_empty())) {
            (Some(_), _) => Self::Environment,
            (None, Some(path)) => Self::KeyFile(path.to_owned()),
            (None, None) => Self::None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Environment => "environment (AISLE_MASTER_KEY)".into(),
            Self::KeyFile(path) => format!("key file ({path})"),
            Self::None => "none".into(),
        }
    }
}

impl Vault {
    /// `AISLE_MASTER_KEY` (`id:base64key`, or plain base64 meaning id `env`), else the key file.
    pub fn from_environment(env_value: Option<&str>, key_file: Option<&str>) -> Result<Self, VaultError> {
        match KeySource::detect(env_value, key_file) {
            KeySource::Environment => {
                let value = env_value.unwrap_or_default().trim();
                let key = match value.split_once(':') {
                    Some((id, b64)) => NamedKey::from_base64(id.trim(), b64)?,
                    None => NamedKey::from_base64("env", value)?,
                };
                Ok(Self { keys: vec![key] })
            }
            KeySource::KeyFile(path) => Self::from_key_file(&path),
            KeySource::None => Err(VaultError::NoKey(
                "set AISLE_MASTER_KEY or the aisle.key_file INI setting".into(),
            )),
        }
    }

    pub fn from_key_file(path: &str) -> Result<Self, VaultError> {
        let text = read_private_file(path)?;
        Self::from_keyring_text(&text)
    }
}

/// Reads a key file, refusing one that other users could read or change.
fn read_private_file(path: &str) -> Result<Zeroizing<String>, VaultError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| VaultError::NoKey(format!("cannot read key file {path}: {e}")))?;
    if !meta.is_file() {
        return Err(VaultError::NoKey(format!("key file {path} is not a regular file")));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(VaultError::BadKey(format!(
                "key file {path} has mode {mode:04o}: group or others may read or write it; run chmod 600 {path}"
            )));
        }
    }
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| VaultError::NoKey(format!("cannot read key file {path}: {e}")))
}

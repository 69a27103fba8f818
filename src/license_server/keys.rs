//! The vendor's signing key file: base64 of the 32-byte Ed25519 seed, `#` comments allowed.
use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

/// Writes a fresh key to `path` (which must not exist), readable by the owner only.
pub fn generate(path: &Path) -> Result<SigningKey, String> {
    let key = SigningKey::generate(&mut OsRng);
    let text = Zeroizing::new(format!(
        "# aisle-license signing key. Keep it secret: whoever holds it can issue licenses.\n{}\n",
        STANDARD.encode(key.to_bytes())
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {} (an existing key is never overwritten): {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

pub fn load(path: &Path) -> Result<SigningKey, String> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| format!("cannot read key file {}: {e}", path.display()))?,
    );
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| format!("{} holds no key", path.display()))?;
    let raw = Zeroizing::new(STANDARD.decode(line).map_err(|_| format!("{}: the key is not base64", path.display()))?);
    let seed: [u8; 32] = raw
        .as_slice()
        .try_into()
        .map_err(|_| format!("{}: the key must be 32 bytes", path.display()))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn public_key_b64(key: &SigningKey) -> String {
    STANDARD.encode(key.verifying_key().to_bytes())
}

/// A warning when the key file is readable by others, or `None`.
pub fn permission_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "warning: {} is accessible by group or others (mode {:o}); chmod 600 it",
                path.display(),
                mode & 0o777
            ));
        }
    }
    let _ = path;
    None
}

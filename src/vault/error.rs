use thiserror::Error;

/// Every way a vault operation can fail. Messages never contain key bytes or plaintext.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VaultError {
    #[error("malformed envelope: {0}")]
    Malformed(String),
    #[error("unknown key id '{0}': this envelope was sealed with a key the vault does not hold")]
    UnknownKey(String),
    #[error("authentication failed: the envelope was tampered with, or the key or context is wrong")]
    AuthFailed,
    #[error("bad key: {0}")]
    BadKey(String),
    #[error("no key: {0}")]
    NoKey(String),
}

impl VaultError {
    /// The stable, machine-readable reason PHP code switches on.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::UnknownKey(_) => "unknown_key",
            Self::AuthFailed => "auth_failed",
            Self::BadKey(_) => "bad_key",
            Self::NoKey(_) => "no_key",
        }
    }
}

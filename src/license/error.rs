use thiserror::Error;

/// Every way license verification or activation can fail. An expired token is
/// not an error: it verifies, and `status()` says `expired`.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum LicenseError {
    #[error("malformed: {0}")]
    Malformed(String),
    #[error("bad signature: the license token was not signed by the vendor key or was altered")]
    BadSignature,
    #[error("wrong site: the license is for '{licensed}', this site is '{actual}'")]
    WrongSite { licensed: String, actual: String },
    #[error("cannot reach the license server: {0}")]
    Network(String),
    #[error("the license server did not answer within {0} ms")]
    Timeout(u64),
    #[error("the license server refused the activation: {0}")]
    Rejected(String),
    #[error("invalid answer from the license server: {0}")]
    InvalidResponse(String),
    #[error("bad public key: {0}")]
    BadKey(String),
}

impl LicenseError {
    /// The stable, machine-readable reason PHP code switches on.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::BadSignature => "bad_signature",
            Self::WrongSite { .. } => "wrong_site",
            Self::Network(_) => "network",
            Self::Timeout(_) => "timeout",
            Self::Rejected(_) => "rejected",
            Self::InvalidResponse(_) => "invalid_response",
            Self::BadKey(_) => "bad_key",
        }
    }
}

use thiserror::Error;

/// Why a document or a call failed. The first five are per document: one bad
/// file is a clear error for that file, never a crash or a hang.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum KnowledgeError {
    #[error("unsupported document: {0}")]
    Unsupported(String),
    #[error("encrypted document: {0}")]
    Encrypted(String),
    #[error("document too large: {0}")]
    TooLarge(String),
    #[error("malformed document: {0}")]
    Malformed(String),
    #[error("extraction timed out: {0}")]
    Timeout(String),
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("i/o error: {0}")]
    Io(String),
    #[error("knowledge index error: {0}")]
    Index(String),
}

impl KnowledgeError {
    /// The stable, machine-readable reason PHP code switches on.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Unsupported(_) => "unsupported",
            Self::Encrypted(_) => "encrypted",
            Self::TooLarge(_) => "too_large",
            Self::Malformed(_) => "malformed",
            Self::Timeout(_) => "timeout",
            Self::InvalidArgument(_) => "invalid_argument",
            Self::Io(_) => "io",
            Self::Index(_) => "index",
        }
    }
}

impl From<std::io::Error> for KnowledgeError {
    fn from(err: std::io::Error) -> Self {
        Self::Io(err.to_string())
    }
}

impl From<tantivy::TantivyError> for KnowledgeError {
    fn from(err: tantivy::TantivyError) -> Self {
        Self::Index(err.to_string())
    }
}

impl From<crate::catalog::CatalogError> for KnowledgeError {
    fn from(err: crate::catalog::CatalogError) -> Self {
        match err {
            crate::catalog::CatalogError::InvalidArgument(m) => Self::InvalidArgument(m),
            crate::catalog::CatalogError::Io(m) => Self::Io(m),
            other => Self::Index(other.to_string()),
        }
    }
}

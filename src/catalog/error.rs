use thiserror::Error;

/// Failures of a whole call. Per-product problems are [`ProductError`]s instead,
/// so one bad product never stops the others.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CatalogError {
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("i/o error: {0}")]
    Io(String),
    #[error("search index error: {0}")]
    Index(String),
    #[error("too large: {0}")]
    TooLarge(String),
}

impl CatalogError {
    /// The stable, machine-readable reason PHP code switches on.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::InvalidArgument(_) => "invalid_argument",
            Self::Io(_) => "io",
            Self::Index(_) => "index",
            Self::TooLarge(_) => "too_large",
        }
    }
}

impl From<std::io::Error> for CatalogError {
    fn from(err: std::io::Error) -> Self {
        Self::Io(err.to_string())
    }
}

impl From<tantivy::TantivyError> for CatalogError {
    fn from(err: tantivy::TantivyError) -> Self {
        Self::Index(err.to_string())
    }
}

/// Identifies a rejected product as well as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductId {
    Int(i64),
    Text(String),
    Unknown,
}

/// One rejected product and why; listed by `Catalog::errors()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductError {
    pub id: ProductId,
    pub error: String,
}

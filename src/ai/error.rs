use thiserror::Error;

/// Every way a provider call fails. Messages never contain the API key.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum AiError {
    #[error("cannot reach the AI provider: {0}")]
    Network(String),
    #[error("the AI provider did not answer within {0} ms")]
    Timeout(u64),
    #[error("the AI provider answered HTTP {status}: {message}")]
    HttpStatus { status: u16, message: String },
    #[error("the AI provider sent an unexpected response: {0}")]
    InvalidResponse(String),
    #[error("invalid AI request: {0}")]
    BadRequest(String),
    #[error("no usable AI key: {0}")]
    NoKey(String),
    /// The delta callback asked to stop (the PHP callable threw).
    #[error("streaming was stopped by the delta callback")]
    Cancelled,
}

impl AiError {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Network(_) => "network",
            Self::Timeout(_) => "timeout",
            Self::HttpStatus { .. } => "http_status",
            Self::InvalidResponse(_) => "invalid_response",
            Self::BadRequest(_) | Self::Cancelled => "bad_request",
            Self::NoKey(_) => "no_key",
        }
    }
}

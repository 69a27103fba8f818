use thiserror::Error;

/// Every way a channel call fails. Messages never contain a token or secret.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ChannelError {
    #[error("invalid channel request: {0}")]
    BadRequest(String),
    #[error("no usable channel secret: {0}")]
    NoSecret(String),
    #[error("cannot reach the Graph API: {0}")]
    Network(String),
    #[error("the Graph API did not answer within {0} ms")]
    Timeout(u64),
    /// The Graph API refused the call. `code` is Graph's own `error.code` (0 when the body had none).
    /// The message layout is parsed back by `ChannelException::httpStatus()/graphCode()`: keep it.
    #[error("the Graph API answered HTTP {status} (error code {code}, {kind}): {message}{}", trace_suffix(.fbtrace_id))]
    Graph { status: u16, code: i64, kind: String, message: String, fbtrace_id: String },
    #[error("the Graph API sent an unexpected response: {0}")]
    InvalidResponse(String),
}

fn trace_suffix(id: &str) -> String {
    if id.is_empty() {
        String::new()
    } else {
        format!(" [fbtrace_id {id}]")
    }
}

impl ChannelError {
    /// The stable reason (exception code). 429 and 5xx are worth a later retry, other 4xx are not.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::NoSecret(_) => "no_secret",
            Self::Network(_) => "network",
            Self::Timeout(_) => "timeout",
            Self::Graph { status: 429, .. } => "rate_limited",
            Self::Graph { status, .. } if *status >= 500 => "server_error",
            Self::Graph { .. } => "rejected",
            Self::InvalidResponse(_) => "invalid_response",
        }
    }

    pub fn retryable(&self) -> bool {
        matches!(self.reason(), "network" | "timeout" | "rate_limited" | "server_error")
    }
}

/// HTTP status and Graph error code back from a `Graph` error's message (0, 0 for any other
/// message): the PHP exception exposes them without holding Rust-owned strings.
pub fn status_and_code(message: &str) -> (u16, i64) {
    let Some(rest) = message.strip_prefix("the Graph API answered HTTP ") else { return (0, 0) };
    let status: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let code = rest
        .split_once("(error code ")
        .map(|(_, r)| r.chars().enumerate().take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-')).map(|(_, c)| c).collect::<String>())
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status.parse().unwrap_or(0), code)
}

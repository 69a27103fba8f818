//! The AI provider client: OpenAI-compatible chat completions and Anthropic
//! messages, with tool calling and SSE streaming, behind one normalized shape.
//!
//! Pure Rust: `request` builds provider bodies from normalized messages/tools,
//! `sse` splits an event stream, `response` turns JSON or SSE events into a
//! normalized [`ChatResult`], and `client` does the HTTP with strict deadlines.
mod client;
mod error;
mod request;
mod response;
mod sse;
#[cfg(test)]
mod tests;

pub use client::{chat, http_client};
pub use error::AiError;
pub use request::{parse_messages, parse_tools};

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    OpenAi,
    Anthropic,
}

impl Provider {
    pub fn parse(name: &str) -> Result<Self, AiError> {
        match name {
            "openai" => Ok(Self::OpenAi),
            "anthropic" => Ok(Self::Anthropic),
            other => Err(AiError::BadRequest(format!(
                "unknown provider '{}': expected 'openai' or 'anthropic'",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::OpenAi => "openai",
            Self::Anthropic => "anthropic",
        }
    }

    fn default_base_url(self) -> &'static str {
        match self {
            Self::OpenAi => "https://api.openai.com",
            Self::Anthropic => "https://api.anthropic.com",
        }
    }
}

/// Client options; see `Options::from_json` for names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub provider: Provider,
    pub base_url: String,
    pub model: String,
    pub connect_timeout_ms: u64,
    pub timeout_ms: u64,
    pub max_tokens: u32,
    pub temperature: Option<f64>,
    pub anthropic_version: String,
}

pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = crate::net::response::DEFAULT_CONNECT_TIMEOUT_MS;
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
const MAX_TIMEOUT_MS: u64 = 600_000;

impl Options {
    /// Options from a JSON object (the PHP array, converted). Unknown keys are
    /// refused so that a typo ("timeout" for "timeout_ms") is not silently ignored.
    pub fn from_json(v: &Value) -> Result<Self, AiError> {
        let obj = v.as_object().ok_or_else(|| bad("options must be an array with string keys"))?;
        const KNOWN: &[&str] = &[
            "provider", "base_url", "model", "connect_timeout_ms", "timeout_ms", "max_tokens", "temperature",
            "anthropic_version",
        ];
        if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(bad(&format!("unknown option '{k}'; known options: {}", KNOWN.join(", "))));
        }
        let string = |name: &str| -> Result<Option<String>, AiError> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad(&format!("option '{name}' must be a string"))),
            }
        };
        let int = |name: &str, default: u64, min: u64, max: u64| -> Result<u64, AiError> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| bad(&format!("option '{name}' must be an integer from {min} to {max}"))),
            }
        };
        let provider = Provider::parse(&string("provider")?.ok_or_else(|| bad("option 'provider' is required"))?)?;
        let model = string("model")?.filter(|m| !m.trim().is_empty()).ok_or_else(|| bad("option 'model' is required"))?;
        let base_url = string("base_url")?.unwrap_or_else(|| provider.default_base_url().to_owned());
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| bad(&format!("option 'base_url' is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(bad("option 'base_url' must be an http(s) URL with a host"));
        }
        let temperature = match obj.get("temperature") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_f64()
                    .filter(|t| (0.0..=2.0).contains(t))
                    .ok_or_else(|| bad("option 'temperature' must be a number from 0 to 2"))?,
            ),
        };
        Ok(Self {
            provider,
            base_url: base_url.trim_end_matches('/').to_owned(),
            model,
            connect_timeout_ms: int("connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS)?,
            timeout_ms: int("timeout_ms", DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS)?,
            max_tokens: int("max_tokens", 1024, 1, 1_000_000)? as u32,
            temperature,
            anthropic_version: string("anthropic_version")?.unwrap_or_else(|| "2023-06-01".to_owned()),
        })
    }

    /// The endpoint URL. A base that already ends in `/v1` (common for
    /// OpenAI-compatible services) is not given a second one.
    pub fn endpoint(&self) -> String {
        let base = self.base_url.strip_suffix("/v1").unwrap_or(&self.base_url);
        match self.provider {
            Provider::OpenAi => format!("{base}/v1/chat/completions"),
            Provider::Anthropic => format!("{base}/v1/messages"),
        }
    }
}

fn bad(msg: &str) -> AiError {
    AiError::BadRequest(msg.to_owned())
}

/// A normalized message. `role` is system, user, assistant or tool.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub content: String,
    /// Assistant messages: the tool calls the model made.
    pub tool_calls: Vec<ToolCall>,
    /// Tool messages: the id of the call this is the result of.
    pub tool_call_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

/// A tool the model may call: name, description, JSON-schema parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDef {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// Always a JSON object.
    pub arguments: Value,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatResult {
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Normalized: end, tool_calls, max_tokens, content_filter, or the provider's own word.
    pub stop_reason: String,
}

//! The reply sender: one text message to one shopper through the Graph API, with one
//! overall deadline. The token is needed only until the response headers are in.
use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value};
use tokio::time::{timeout_at, Instant};
use zeroize::Zeroizing;

use super::ChannelError;
use crate::net;
use crate::net::response::{classify, client_with_connect_timeout, read_capped, ReadError, SendError, DEFAULT_CONNECT_TIMEOUT_MS};

pub const DEFAULT_GRAPH_BASE: &str = "https://graph.facebook.com";
/// A current Graph API version; the plugin's `graph_api_version` setting overrides it.
pub const DEFAULT_GRAPH_VERSION: &str = "v24.0";
const DEFAULT_TIMEOUT_MS: u64 = 10_000;
const MAX_TIMEOUT_MS: u64 = 120_000;
const MAX_BODY: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    WhatsApp,
    Messenger,
    Instagram,
}

impl Channel {
    pub fn parse(name: &str) -> Result<Self, ChannelError> {
        match name {
            "whatsapp" => Ok(Self::WhatsApp),
            "messenger" => Ok(Self::Messenger),
            "instagram" => Ok(Self::Instagram),
            other => Err(bad(&format!("unknown channel '{other}'; known: whatsapp, messenger, instagram"))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::WhatsApp => "whatsapp",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
        }
    }

    /// The longest text one message may carry, in characters (Meta's documented limits).
    pub fn max_chars(self) -> usize {
        match self {
            Self::WhatsApp => 4096,
            Self::Messenger => 2000,
            Self::Instagram => 1000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphOptions {
    pub base_url: String,
    pub version: String,
    pub connect_timeout_ms: u64,
    pub timeout_ms: u64,
}

impl GraphOptions {
    /// Options from a JSON object (the PHP array, converted); unknown keys are refused.
    pub fn from_json(v: &Value) -> Result<Self, ChannelError> {
        let obj = v.as_object().ok_or_else(|| bad("options must be an array with string keys"))?;
        const KNOWN: &[&str] = &["base_url", "version", "connect_timeout_ms", "timeout_ms"];
        if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(bad(&format!("unknown option '{k}'; known options: {}", KNOWN.join(", "))));
        }
        let string = |name: &str| -> Result<Option<String>, ChannelError> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
                Some(_) => Err(bad(&format!("option '{name}' must be a string"))),
            }
        };
        let int = |name: &str, default: u64| -> Result<u64, ChannelError> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|n| (1..=MAX_TIMEOUT_MS).contains(n))
                    .ok_or_else(|| bad(&format!("option '{name}' must be an integer from 1 to {MAX_TIMEOUT_MS}"))),
            }
        };
        let base_url = string("base_url")?.unwrap_or_else(|| DEFAULT_GRAPH_BASE.to_owned());
        check_base(&base_url)?;
        let version = string("version")?.unwrap_or_else(|| DEFAULT_GRAPH_VERSION.to_owned());
        if !is_version(&version) {
            return Err(bad(&format!("option 'version' must look like v24.0, not '{version}'")));
        }
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            version,
            connect_timeout_ms: int("connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS)?,
            timeout_ms: int("timeout_ms", DEFAULT_TIMEOUT_MS)?,
        })
    }
}

impl Default for GraphOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_GRAPH_BASE.to_owned(),
            version: DEFAULT_GRAPH_VERSION.to_owned(),
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

/// `https://` anywhere; plain `http://` only to this machine (a local fake or relay), since
/// the bearer token travels with every call.
fn check_base(base: &str) -> Result<(), ChannelError> {
    let url = reqwest::Url::parse(base).map_err(|e| bad(&format!("option 'base_url' is not a URL: {e}")))?;
    let host = url.host_str().ok_or_else(|| bad("option 'base_url' needs a host"))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(bad("option 'base_url' may use http:// only for a loopback host (127.0.0.1, ::1, localhost); use https://")),
        other => Err(bad(&format!("option 'base_url' must be https://, not {other}://"))),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_version(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('v') else { return false };
    let mut parts = rest.split('.');
    let digits = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

/// One text message. `sender_id` is the WhatsApp phone number ID, or the Page / Instagram
/// account ID (or `me`) for Messenger and Instagram; `to` is the shopper's wa_id or PSID/IGSID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub channel: Channel,
    pub sender_id: String,
    pub to: String,
    pub text: String,
}

impl Outgoing {
    pub fn from_json(v: &Value) -> Result<Self, ChannelError> {
        let obj = v.as_object().ok_or_else(|| bad("the message must be an array with string keys"))?;
        const KNOWN: &[&str] = &["channel", "sender_id", "to", "text"];
        if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(bad(&format!("unknown message key '{k}'; known keys: {}", KNOWN.join(", "))));
        }
        let string = |name: &str| -> Result<String, ChannelError> {
            match obj.get(name) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(bad(&format!("message key '{name}' must be a string"))),
                None => Err(bad(&format!("message key '{name}' is required"))),
            }
        };
        let channel = Channel::parse(&string("channel")?)?;
        let sender_id = obj.get("sender_id").and_then(Value::as_str).unwrap_or("me").trim().to_owned();
        let to = string("to")?.trim().to_owned();
        let text = string("text")?;
        // Both go into the URL path or the body as IDs: digits, letters, '_' and '-' only.
        let id_ok = |s: &str| !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !id_ok(&sender_id) {
            return Err(bad("'sender_id' must be the phone number ID, page ID or account ID (digits/letters), or 'me'"));
        }
        if channel == Channel::WhatsApp && sender_id == "me" {
            return Err(bad("WhatsApp needs the phone number ID as 'sender_id'"));
        }
        let to = if channel == Channel::WhatsApp { to.trim_start_matches('+').to_owned() } else { to };
        if !id_ok(&to) {
            return Err(bad("'to' must be the recipient's wa_id (digits) or PSID/IGSID"));
        }
        let chars = text.chars().count();
        if text.trim().is_empty() {
            return Err(bad("'text' is empty"));
        }
        if chars > channel.max_chars() {
            return Err(bad(&format!(
                "'text' has {chars} characters; {} allows {} per message (split it)",
                channel.name(),
                channel.max_chars()
            )));
        }
        Ok(Self { channel, sender_id, to, text })
    }

    pub fn url(&self, opts: &GraphOptions) -> String {
        format!("{}/{}/{}/messages", opts.base_url, opts.version, self.sender_id)
    }

    /// The request body in the shape each API documents.
    pub fn body(&self) -> Value {
        match self.channel {
            Channel::WhatsApp => json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": self.to,
                "type": "text",
                "text": { "preview_url": true, "body": self.text },
            }),
            Channel::Messenger | Channel::Instagram => json!({
                "recipient": { "id": self.to },
                "messaging_type": "RESPONSE",
                "message": { "text": self.text },
            }),
        }
    }
}

/// What the Graph API accepted: its id for the message (wamid.… or m_…), for status callbacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub message_id: String,
    pub status: u16,
}

pub fn send(
    opts: &GraphOptions,
    client: &reqwest::Client,
    token: Zeroizing<String>,
    msg: &Outgoing,
) -> Result<Sent, ChannelError> {
    let token_text = token.trim();
    if token_text.is_empty() {
        return Err(ChannelError::NoSecret("the decrypted access token is empty".into()));
    }
    let mut auth = HeaderValue::from_str(&Zeroizing::new(format!("Bearer {token_text}")))
        .map_err(|_| ChannelError::NoSecret("the access token contains characters not allowed in an HTTP header".into()))?;
    auth.set_sensitive(true);
    let req = client
        .post(msg.url(opts))
        .header(CONTENT_TYPE, "application/json")
        .header(AUTHORIZATION, auth)
        .timeout(Duration::from_millis(opts.timeout_ms))
        .body(msg.body().to_string());
    let deadline = Instant::now() + Duration::from_millis(opts.timeout_ms);
    let resp = run(async { timeout_at(deadline, req.send()).await })?
        .map_err(|_| ChannelError::Timeout(opts.timeout_ms))?
        .map_err(|e| map_reqwest(&e, opts))?;
    let status = resp.status().as_u16();
    let body = read_body(resp, deadline, opts.timeout_ms)?;
    if !(200..300).contains(&status) {
        let mut err = graph_error(status, &body);
        // A Graph message may quote the token it refused; never pass it on.
        if let ChannelError::Graph { message, .. } = &mut err {
            *message = message.replace(token_text, "[redacted]");
        }
        return Err(err);
    }
    drop(token);
    parse_sent(msg.channel, status, &body)
}

/// `{"error":{"message","type","code","fbtrace_id"}}`, or whatever a proxy in between said.
pub fn graph_error(status: u16, body: &[u8]) -> ChannelError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let err = parsed.as_ref().and_then(|v| v.get("error")).filter(|e| e.is_object());
    match err {
        Some(e) => {
            let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let mut message = text("message");
            if message.is_empty() {
                message = "no message".into();
            }
            ChannelError::Graph {
                status,
                code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
                kind: Some(text("type")).filter(|t| !t.is_empty()).unwrap_or_else(|| "unknown type".into()),
                message: clip(&message, 500),
                fbtrace_id: clip(&text("fbtrace_id"), 64),
            }
        }
        None => ChannelError::Graph {
            status,
            code: 0,
            kind: "no Graph error body".into(),
            message: clip(String::from_utf8_lossy(body).trim(), 200),
            fbtrace_id: String::new(),
        },
    }
}

fn parse_sent(channel: Channel, status: u16, body: &[u8]) -> Result<Sent, ChannelError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ChannelError::InvalidResponse(format!("the success body is not JSON: {e}")))?;
    let id = match channel {
        Channel::WhatsApp => v.pointer("/messages/0/id"),
        Channel::Messenger | Channel::Instagram => v.get("message_id"),
    };
    match id.and_then(Value::as_str).filter(|s| !s.is_empty()) {
        Some(id) => Ok(Sent { message_id: clip(id, 255), status }),
        None => Err(ChannelError::InvalidResponse(match channel {
            Channel::WhatsApp => "no messages[0].id in the answer".into(),
            _ => "no message_id in the answer".into(),
        })),
    }
}

fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn run<F: std::future::Future>(f: F) -> Result<F::Output, ChannelError> {
    net::block_on(f).map_err(|e| ChannelError::Network(e.to_string()))
}

fn read_body(resp: reqwest::Response, deadline: Instant, total: u64) -> Result<Vec<u8>, ChannelError> {
    read_capped(resp, deadline, MAX_BODY).map_err(|e| match e {
        ReadError::Runtime(e) => ChannelError::Network(e.to_string()),
        ReadError::Deadline => ChannelError::Timeout(total),
        ReadError::Broken(why) => ChannelError::Network(format!("reading the response failed: {why}")),
        ReadError::TooLarge(max) => ChannelError::InvalidResponse(format!("the response exceeds {} KiB", max / 1024)),
    })
}

fn map_reqwest(e: &reqwest::Error, opts: &GraphOptions) -> ChannelError {
    match classify(e) {
        SendError::ConnectTimeout => ChannelError::Timeout(opts.connect_timeout_ms),
        SendError::Timeout => ChannelError::Timeout(opts.timeout_ms),
        SendError::Invalid(why) => bad(&why),
        SendError::Network(why) => ChannelError::Network(why),
    }
}

fn bad(msg: &str) -> ChannelError {
    ChannelError::BadRequest(msg.to_owned())
}

/// The HTTP client for these options: the shared one, or one with its own connect timeout.
pub fn http_client(opts: &GraphOptions) -> Result<std::sync::Arc<reqwest::Client>, ChannelError> {
    client_with_connect_timeout(opts.connect_timeout_ms).map_err(|e| ChannelError::Network(e.to_string()))
}

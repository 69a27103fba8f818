//! The HTTP exchange with a provider, with one overall deadline.
//!
//! Every network wait runs in its own `net::block_on` on the calling thread
//! and the delta callback runs between them, outside the runtime: a PHP
//! callback is never called from another thread nor from inside the tokio
//! context (a bailout through `exit()` there would leave the runtime marked as
//! entered for the worker's next request). The API key is needed only until
//! the response headers are in: it is wiped before the first callback.
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::{timeout_at, Instant};
use zeroize::Zeroizing;

use super::request::build_body;
use super::response::{error_message, parse_json, Stream};
use super::sse::{Event, Parser};
use super::{AiError, ChatResult, Message, Options, Provider, ToolDef};
use crate::net;
use crate::net::response::{classify, client_with_connect_timeout, error_chain, read_capped, ReadError, SendError};

const MAX_BODY: usize = 8 * 1024 * 1024;
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The HTTP client for these options: the shared one, or (for a non-default
/// connect timeout, which reqwest sets per client) a dedicated one.
pub fn http_client(opts: &Options) -> Result<Arc<reqwest::Client>, AiError> {
    client_with_connect_timeout(opts.connect_timeout_ms).map_err(|e| AiError::Network(e.to_string()))
}

/// `on_delta` gets each text fragment as it arrives (streaming mode) and
/// returns false to stop; without it the response is fetched as one JSON body.
pub fn chat(
    opts: &Options,
    client: &reqwest::Client,
    key: Zeroizing<String>,
    messages: &[Message],
    tools: &[ToolDef],
    on_delta: Option<&mut dyn FnMut(&str) -> bool>,
) -> Result<ChatResult, AiError> {
    let key_text = key.trim();
    if key_text.is_empty() {
        return Err(AiError::NoKey("the decrypted AI key is empty".into()));
    }
    let stream = on_delta.is_some();
    let body = build_body(opts, messages, tools, stream).to_string();
    let (name, value) = match opts.provider {
        Provider::OpenAi => (AUTHORIZATION, Zeroizing::new(format!("Bearer {key_text}"))),
        Provider::Anthropic => (reqwest::header::HeaderName::from_static("x-api-key"), Zeroizing::new(key_text.to_owned())),
    };
    let mut value = HeaderValue::from_str(&value)
        .map_err(|_| AiError::NoKey("the AI key contains characters not allowed in an HTTP header".into()))?;
    value.set_sensitive(true);
    let mut req = client
        .post(opts.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .header(name, value)
        .timeout(Duration::from_millis(opts.timeout_ms))
        .body(body);
    if opts.provider == Provider::Anthropic {
        req = req.header("anthropic-version", opts.anthropic_version.as_str());
    }
    if stream {
        req = req.header("accept", "text/event-stream");
    }

    let deadline = Instant::now() + Duration::from_millis(opts.timeout_ms);
    let wait = |what| move |_| AiError::Timeout(what);
    let total = opts.timeout_ms;
    let resp = run(async { timeout_at(deadline, req.send()).await })?
        .map_err(wait(total))?
        .map_err(|e| map_reqwest(&e, opts))?;

    let status = resp.status();
    if !status.is_success() {
        let body = read_body(resp, deadline, MAX_ERROR_BODY, total).unwrap_or_default();
        // Some providers echo (part of) the key in their message; never pass it on.
        let message = error_message(&body).replace(key_text, "[redacted]");
        return Err(AiError::HttpStatus { status: status.as_u16(), message });
    }
    drop(key);

    let is_sse = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    match on_delta {
        None => parse_json(opts.provider, &read_body(resp, deadline, MAX_BODY, total)?),
        Some(cb) if !is_sse => {
            // An OpenAI-compatible server that ignores `stream`: one delta.
            let result = parse_json(opts.provider, &read_body(resp, deadline, MAX_BODY, total)?)?;
            if !result.text.is_empty() && !cb(&result.text) {
                return Err(AiError::Cancelled);
            }
            Ok(result)
        }
        Some(cb) => read_stream(opts.provider, resp, deadline, total, cb),
    }
}

/// Futures are created lazily inside `async` blocks at the call sites: tokio
/// timers must be created within the runtime.
fn run<F: std::future::Future>(f: F) -> Result<F::Output, AiError> {
    net::block_on(f).map_err(|e| AiError::Network(e.to_string()))
}

fn read_stream(
    provider: Provider,
    mut resp: reqwest::Response,
    deadline: Instant,
    total: u64,
    cb: &mut dyn FnMut(&str) -> bool,
) -> Result<ChatResult, AiError> {
    let mut parser = Parser::default();
    let mut state = Stream::new(provider);
    let mut events: Vec<Event> = Vec::new();
    loop {
        let chunk = run(async { timeout_at(deadline, resp.chunk()).await })?
            .map_err(|_| AiError::Timeout(total))?
            .map_err(|e| AiError::Network(format!("the stream broke off: {}", error_chain(&e))))?;
        match &chunk {
            Some(bytes) => parser.feed(bytes, &mut events).map_err(AiError::InvalidResponse)?,
            None => parser.finish(&mut events),
        }
        for ev in events.drain(..) {
            if let Some(delta) = state.apply(&ev)? {
                if !cb(&delta) {
                    return Err(AiError::Cancelled);
                }
            }
        }
        if chunk.is_none() {
            return state.finish();
        }
    }
}

fn read_body(resp: reqwest::Response, deadline: Instant, max: usize, total: u64) -> Result<Vec<u8>, AiError> {
    read_capped(resp, deadline, max).map_err(|e| match e {
        ReadError::Runtime(e) => AiError::Network(e.to_string()),
        ReadError::Deadline => AiError::Timeout(total),
        ReadError::Broken(why) => AiError::Network(format!("reading the response failed: {why}")),
        ReadError::TooLarge(max) => AiError::InvalidResponse(format!("the response exceeds {} KiB", max / 1024)),
    })
}

fn map_reqwest(e: &reqwest::Error, opts: &Options) -> AiError {
    match classify(e) {
        SendError::ConnectTimeout => AiError::Timeout(opts.connect_timeout_ms),
        SendError::Timeout => AiError::Timeout(opts.timeout_ms),
        SendError::Invalid(why) => AiError::BadRequest(why),
        SendError::Network(why) => AiError::Network(why),
    }
}


//! Provider responses (one JSON body, or SSE events) into a [`ChatResult`].
use serde_json::{Map, Value};

use super::sse::Event;
use super::{AiError, ChatResult, Provider, ToolCall};

fn invalid(msg: impl Into<String>) -> AiError {
    AiError::InvalidResponse(msg.into())
}

fn stop_reason(provider: Provider, raw: &str) -> String {
    match (provider, raw) {
        (Provider::OpenAi, "stop") | (Provider::Anthropic, "end_turn" | "stop_sequence") => "end",
        (Provider::OpenAi, "tool_calls" | "function_call") | (Provider::Anthropic, "tool_use") => "tool_calls",
        (Provider::OpenAi, "length") | (Provider::Anthropic, "max_tokens") => "max_tokens",
        (_, other) => other,
    }
    .to_owned()
}

/// Tool arguments arrive as a JSON string (OpenAI) or object (Anthropic);
/// callers always get an object. An empty string means no arguments.
fn arguments_from_str(name: &str, raw: &str) -> Result<Value, AiError> {
    if raw.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(invalid(format!("the arguments of tool call '{name}' are not a JSON object"))),
    }
}

fn u64_at(v: &Value, ptr: &str) -> u64 {
    v.pointer(ptr).and_then(Value::as_u64).unwrap_or(0)
}

/// The human-readable message inside a provider error body, for exceptions.
/// Both providers use `{"error": {"message": …}}` (Anthropic adds a `type`).
pub(super) fn error_message(body: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let from_json = parsed.as_ref().and_then(|v| {
        let e = v.get("error")?;
        let msg = e.get("message").and_then(Value::as_str).or_else(|| e.as_str())?;
        let kind = e.get("type").and_then(Value::as_str);
        Some(match kind {
            Some(k) => format!("{msg} ({k})"),
            None => msg.to_owned(),
        })
    });
    let msg = from_json.unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_owned());
    let msg: String = msg.chars().filter(|c| !c.is_control()).take(500).collect();
    if msg.is_empty() { "no error message".to_owned() } else { msg }
}

pub(super) fn parse_json(provider: Provider, body: &[u8]) -> Result<ChatResult, AiError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| invalid(format!("body is not JSON: {e}")))?;
    match provider {
        Provider::OpenAi => openai_json(&v),
        Provider::Anthropic => anthropic_json(&v),
    }
}

fn openai_json(v: &Value) -> Result<ChatResult, AiError> {
    let choice = v.pointer("/choices/0").ok_or_else(|| invalid("no choices"))?;
    let msg = choice.get("message").ok_or_else(|| invalid("choice without message"))?;
    let mut tool_calls = Vec::new();
    for c in msg.get("tool_calls").and_then(Value::as_array).into_iter().flatten() {
        let name = c.pointer("/function/name").and_then(Value::as_str).ok_or_else(|| invalid("tool call without a name"))?;
        let args = c.pointer("/function/arguments").and_then(Value::as_str).unwrap_or("");
        tool_calls.push(ToolCall {
            id: c.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
            name: name.to_owned(),
            arguments: arguments_from_str(name, args)?,
        });
    }
    Ok(ChatResult {
        text: msg.get("content").and_then(Value::as_str).unwrap_or_default().to_owned(),
        tool_calls,
        input_tokens: u64_at(v, "/usage/prompt_tokens"),
        output_tokens: u64_at(v, "/usage/completion_tokens"),
        stop_reason: stop_reason(Provider::OpenAi, choice.get("finish_reason").and_then(Value::as_str).unwrap_or("")),
    })
}

fn anthropic_json(v: &Value) -> Result<ChatResult, AiError> {
    let blocks = v.get("content").and_then(Value::as_array).ok_or_else(|| invalid("no content blocks"))?;
    let mut out = ChatResult::default();
    for b in blocks {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => out.text.push_str(b.get("text").and_then(Value::as_str).unwrap_or_default()),
            Some("tool_use") => {
                let name = b.get("name").and_then(Value::as_str).ok_or_else(|| invalid("tool_use without a name"))?;
                let input = match b.get("input") {
                    Some(i @ Value::Object(_)) => i.clone(),
                    None | Some(Value::Null) => Value::Object(Map::new()),
                    Some(_) => return Err(invalid(format!("the input of tool call '{name}' is not an object"))),
                };
                out.tool_calls.push(ToolCall {
                    id: b.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    name: name.to_owned(),
                    arguments: input,
                });
            }
            _ => {} // thinking and future block types carry nothing for the caller
        }
    }
    out.input_tokens = u64_at(v, "/usage/input_tokens");
    out.output_tokens = u64_at(v, "/usage/output_tokens");
    out.stop_reason = stop_reason(Provider::Anthropic, v.get("stop_reason").and_then(Value::as_str).unwrap_or(""));
    Ok(out)
}

/// A tool call being assembled from stream fragments.
#[derive(Default)]
struct PartialCall {
    id: String,
    name: String,
    args: String,
}

/// Accumulates a streamed response; `apply` returns the text delta, if any.
pub(super) struct Stream {
    provider: Provider,
    text: String,
    calls: Vec<(u64, PartialCall)>,
    input_tokens: u64,
    output_tokens: u64,
    stop: String,
    done: bool,
}

impl Stream {
    pub fn new(provider: Provider) -> Self {
        Self { provider, text: String::new(), calls: Vec::new(), input_tokens: 0, output_tokens: 0, stop: String::new(), done: false }
    }

    fn call(&mut self, index: u64) -> &mut PartialCall {
        let pos = match self.calls.iter().position(|(i, _)| *i == index) {
            Some(p) => p,
            None => {
                self.calls.push((index, PartialCall::default()));
                self.calls.len() - 1
            }
        };
        &mut self.calls[pos].1
    }

    pub fn apply(&mut self, ev: &Event) -> Result<Option<String>, AiError> {
        if self.provider == Provider::OpenAi && ev.data.trim() == "[DONE]" {
            self.done = true;
            return Ok(None);
        }
        let v: Value = serde_json::from_str(&ev.data).map_err(|e| invalid(format!("stream event is not JSON: {e}")))?;
        if let Some(err) = v.get("error") {
            // Errors after a 200 arrive in the stream (e.g. Anthropic "overloaded_error").
            let msg = error_message(serde_json::json!({ "error": err }).to_string().as_bytes());
            return Err(AiError::HttpStatus { status: 200, message: format!("error in the stream: {msg}") });
        }
        match self.provider {
            Provider::OpenAi => self.openai(&v),
            Provider::Anthropic => self.anthropic(&v),
        }
    }

    fn openai(&mut self, v: &Value) -> Result<Option<String>, AiError> {
        if v.get("usage").is_some_and(Value::is_object) {
            self.input_tokens = u64_at(v, "/usage/prompt_tokens");
            self.output_tokens = u64_at(v, "/usage/completion_tokens");
        }
        let Some(choice) = v.pointer("/choices/0") else { return Ok(None) };
        if let Some(r) = choice.get("finish_reason").and_then(Value::as_str) {
            self.stop = stop_reason(Provider::OpenAi, r);
        }
        let delta = choice.get("delta");
        for tc in delta.and_then(|d| d.get("tool_calls")).and_then(Value::as_array).into_iter().flatten() {
            let index = tc.get("index").and_then(Value::as_u64).unwrap_or(0);
            let call = self.call(index);
            if let Some(id) = tc.get("id").and_then(Value::as_str) {
                id.clone_into(&mut call.id);
            }
            if let Some(n) = tc.pointer("/function/name").and_then(Value::as_str) {
                call.name.push_str(n);
            }
            if let Some(a) = tc.pointer("/function/arguments").and_then(Value::as_str) {
                call.args.push_str(a);
            }
        }
        match delta.and_then(|d| d.get("content")).and_then(Value::as_str) {
            Some(t) if !t.is_empty() => {
                self.text.push_str(t);
                Ok(Some(t.to_owned()))
            }
            _ => Ok(None),
        }
    }

    fn anthropic(&mut self, v: &Value) -> Result<Option<String>, AiError> {
        let index = v.get("index").and_then(Value::as_u64).unwrap_or(0);
        match v.get("type").and_then(Value::as_str).unwrap_or("") {
            "message_start" => {
                self.input_tokens = u64_at(v, "/message/usage/input_tokens");
                self.output_tokens = u64_at(v, "/message/usage/output_tokens");
            }
            "content_block_start" if v.pointer("/content_block/type").and_then(Value::as_str) == Some("tool_use") => {
                let id = v.pointer("/content_block/id").and_then(Value::as_str).unwrap_or_default().to_owned();
                let name = v.pointer("/content_block/name").and_then(Value::as_str).unwrap_or_default().to_owned();
                let call = self.call(index);
                call.id = id;
                call.name = name;
            }
            "content_block_delta" => match v.pointer("/delta/type").and_then(Value::as_str) {
                Some("text_delta") => {
                    let t = v.pointer("/delta/text").and_then(Value::as_str).unwrap_or_default();
                    if !t.is_empty() {
                        self.text.push_str(t);
                        return Ok(Some(t.to_owned()));
                    }
                }
                Some("input_json_delta") => {
                    let p = v.pointer("/delta/partial_json").and_then(Value::as_str).unwrap_or_default().to_owned();
                    self.call(index).args.push_str(&p);
                }
                _ => {}
            },
            "message_delta" => {
                if let Some(r) = v.pointer("/delta/stop_reason").and_then(Value::as_str) {
                    self.stop = stop_reason(Provider::Anthropic, r);
                }
                if let Some(n) = v.pointer("/usage/output_tokens").and_then(Value::as_u64) {
                    self.output_tokens = n;
                }
                if let Some(n) = v.pointer("/usage/input_tokens").and_then(Value::as_u64) {
                    self.input_tokens = n;
                }
            }
            "message_stop" => self.done = true,
            _ => {} // ping, content_block_stop
        }
        Ok(None)
    }

    pub fn finish(self) -> Result<ChatResult, AiError> {
        // A stream cut short (no [DONE] / message_stop and no stop reason) is
        // not a complete answer.
        if !self.done && self.stop.is_empty() {
            return Err(invalid("the stream ended before the response was complete"));
        }
        let mut calls = self.calls;
        calls.sort_by_key(|(i, _)| *i);
        let tool_calls = calls
            .into_iter()
            .map(|(_, c)| {
                if c.name.is_empty() {
                    return Err(invalid("streamed tool call without a name"));
                }
                let arguments = arguments_from_str(&c.name, &c.args)?;
                Ok(ToolCall { id: c.id, name: c.name, arguments })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ChatResult {
            text: self.text,
            tool_calls,
            input_tokens: self.input_tokens,
            output_tokens: self.output_tokens,
            stop_reason: self.stop,
        })
    }
}

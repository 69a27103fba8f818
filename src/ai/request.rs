//! Normalized messages and tools in, provider request bodies out.
use serde_json::{json, Map, Value};

use super::{AiError, Message, Options, Provider, Role, ToolCall, ToolDef};

fn bad(msg: String) -> AiError {
    AiError::BadRequest(msg)
}

/// PHP turns `[]` into a JSON array; where an object is meant, read it as `{}`.
fn as_object(v: &Value) -> Option<Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m.clone()),
        Value::Array(a) if a.is_empty() => Some(Map::new()),
        _ => None,
    }
}

fn str_field<'a>(m: &'a Map<String, Value>, key: &str, at: &str) -> Result<Option<&'a str>, AiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad(format!("{at}: '{key}' must be a string"))),
    }
}

/// `[['role' => 'user', 'content' => '…'], …]`; assistant messages may carry
/// `tool_calls` (`[['id', 'name', 'arguments' => array], …]`), tool messages
/// need `tool_call_id`.
pub fn parse_messages(v: &Value) -> Result<Vec<Message>, AiError> {
    let list = v.as_array().ok_or_else(|| bad("messages must be a list".into()))?;
    if list.is_empty() {
        return Err(bad("messages must not be empty".into()));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = format!("messages[{i}]");
        let m = item.as_object().ok_or_else(|| bad(format!("{at} must be an array with 'role' and 'content'")))?;
        let role = match str_field(m, "role", &at)? {
            Some("system") => Role::System,
            Some("user") => Role::User,
            Some("assistant") => Role::Assistant,
            Some("tool") => Role::Tool,
            Some(other) => return Err(bad(format!("{at}: unknown role '{other}' (system, user, assistant, tool)"))),
            None => return Err(bad(format!("{at}: 'role' is required"))),
        };
        let content = str_field(m, "content", &at)?.unwrap_or_default().to_owned();
        let mut tool_calls = Vec::new();
        if let Some(calls) = m.get("tool_calls").filter(|c| !c.is_null()) {
            if role != Role::Assistant {
                return Err(bad(format!("{at}: only assistant messages carry tool_calls")));
            }
            let calls = calls.as_array().ok_or_else(|| bad(format!("{at}: tool_calls must be a list")))?;
            for (j, c) in calls.iter().enumerate() {
                let at = format!("{at}.tool_calls[{j}]");
                let c = c.as_object().ok_or_else(|| bad(format!("{at} must be an array")))?;
                let id = str_field(c, "id", &at)?.ok_or_else(|| bad(format!("{at}: 'id' is required")))?;
                let name = str_field(c, "name", &at)?.ok_or_else(|| bad(format!("{at}: 'name' is required")))?;
                let arguments = match c.get("arguments") {
                    None | Some(Value::Null) => Map::new(),
                    Some(a) => as_object(a).ok_or_else(|| bad(format!("{at}: 'arguments' must be an array with string keys")))?,
                };
                tool_calls.push(ToolCall { id: id.to_owned(), name: name.to_owned(), arguments: Value::Object(arguments) });
            }
        }
        let tool_call_id = str_field(m, "tool_call_id", &at)?.map(str::to_owned);
        if role == Role::Tool && tool_call_id.is_none() {
            return Err(bad(format!("{at}: tool messages need 'tool_call_id'")));
        }
        if content.is_empty() && tool_calls.is_empty() && role != Role::Tool {
            return Err(bad(format!("{at}: 'content' must not be empty")));
        }
        out.push(Message { role, content, tool_calls, tool_call_id });
    }
    Ok(out)
}

/// `[['name' => …, 'description' => …, 'parameters' => JSON schema], …]`.
pub fn parse_tools(v: &Value) -> Result<Vec<ToolDef>, AiError> {
    let list = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(a) => a,
        _ => return Err(bad("tools must be a list".into())),
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = format!("tools[{i}]");
        let t = item.as_object().ok_or_else(|| bad(format!("{at} must be an array with 'name'")))?;
        let name = str_field(t, "name", &at)?.ok_or_else(|| bad(format!("{at}: 'name' is required")))?;
        // Both providers restrict tool names to this alphabet.
        if name.is_empty() || name.len() > 64 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err(bad(format!("{at}: name must be 1-64 characters of [A-Za-z0-9_-]")));
        }
        let description = str_field(t, "description", &at)?.unwrap_or_default().to_owned();
        let mut parameters = match t.get("parameters") {
            None | Some(Value::Null) => json!({"type": "object", "properties": {}}),
            Some(p) => Value::Object(as_object(p).ok_or_else(|| bad(format!("{at}: 'parameters' must be a JSON schema array")))?),
        };
        fix_empty_properties(&mut parameters);
        out.push(ToolDef { name: name.to_owned(), description, parameters });
    }
    Ok(out)
}

/// `'properties' => []` from PHP must reach the provider as `{}`.
fn fix_empty_properties(schema: &mut Value) {
    if let Value::Object(m) = schema {
        for (k, v) in m.iter_mut() {
            if k == "properties" && v.as_array().is_some_and(Vec::is_empty) {
                *v = Value::Object(Map::new());
            } else {
                fix_empty_properties(v);
            }
        }
    } else if let Value::Array(a) = schema {
        a.iter_mut().for_each(fix_empty_properties);
    }
}

pub(super) fn build_body(opts: &Options, messages: &[Message], tools: &[ToolDef], stream: bool) -> Value {
    match opts.provider {
        Provider::OpenAi => openai_body(opts, messages, tools, stream),
        Provider::Anthropic => anthropic_body(opts, messages, tools, stream),
    }
}

fn openai_body(opts: &Options, messages: &[Message], tools: &[ToolDef], stream: bool) -> Value {
    let msgs: Vec<Value> = messages
        .iter()
        .map(|m| match m.role {
            Role::System => json!({"role": "system", "content": m.content}),
            Role::User => json!({"role": "user", "content": m.content}),
            Role::Tool => json!({"role": "tool", "tool_call_id": m.tool_call_id, "content": m.content}),
            Role::Assistant if m.tool_calls.is_empty() => json!({"role": "assistant", "content": m.content}),
            Role::Assistant => json!({
                "role": "assistant",
                "content": if m.content.is_empty() { Value::Null } else { Value::String(m.content.clone()) },
                "tool_calls": m.tool_calls.iter().map(|c| json!({
                    "id": c.id, "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments.to_string()},
                })).collect::<Vec<_>>(),
            }),
        })
        .collect();
    let mut body = json!({"model": opts.model, "messages": msgs, "max_tokens": opts.max_tokens});
    if !tools.is_empty() {
        body["tools"] = tools
            .iter()
            .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
            .collect();
    }
    if let Some(t) = opts.temperature {
        body["temperature"] = json!(t);
    }
    if stream {
        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
    }
    body
}

fn anthropic_body(opts: &Options, messages: &[Message], tools: &[ToolDef], stream: bool) -> Value {
    // Anthropic takes the system prompt apart and wants user/assistant turns
    // of content blocks; tool results are user turns of tool_result blocks.
    // Consecutive turns of one role are merged into one turn.
    let system: Vec<&str> = messages.iter().filter(|m| m.role == Role::System).map(|m| m.content.as_str()).collect();
    let mut turns: Vec<(&str, Vec<Value>)> = Vec::new();
    for m in messages.iter().filter(|m| m.role != Role::System) {
        let (role, blocks) = match m.role {
            Role::User => ("user", vec![json!({"type": "text", "text": m.content})]),
            Role::Tool => (
                "user",
                vec![json!({"type": "tool_result", "tool_use_id": m.tool_call_id, "content": m.content})],
            ),
            _ => {
                let mut b = Vec::new();
                if !m.content.is_empty() {
                    b.push(json!({"type": "text", "text": m.content}));
                }
                b.extend(m.tool_calls.iter().map(|c| json!({"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments})));
                ("assistant", b)
            }
        };
        match turns.last_mut() {
            Some((r, b)) if *r == role => b.extend(blocks),
            _ => turns.push((role, blocks)),
        }
    }
    let msgs: Vec<Value> = turns
        .into_iter()
        .map(|(role, blocks)| match blocks.as_slice() {
            // A lone text block is sent as plain content, the common form.
            [b] if b["type"] == "text" => json!({"role": role, "content": b["text"]}),
            _ => json!({"role": role, "content": blocks}),
        })
        .collect();
    let mut body = json!({"model": opts.model, "max_tokens": opts.max_tokens, "messages": msgs});
    if !system.is_empty() {
        body["system"] = json!(system.join("\n\n"));
    }
    if !tools.is_empty() {
        body["tools"] = tools
            .iter()
            .map(|t| json!({"name": t.name, "description": t.description, "input_schema": t.parameters}))
            .collect();
    }
    if let Some(t) = opts.temperature {
        body["temperature"] = json!(t);
    }
    if stream {
        body["stream"] = json!(true);
    }
    body
}

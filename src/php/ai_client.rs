//! `Aisle\AiClient`: zval <-> JSON conversion and error mapping only; the
//! logic is in `crate::ai`.
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ArrayKey, ZendCallable, ZendHashTable, Zval};
use ext_php_rs::zend::ExecutorGlobals;
use serde_json::{Map, Number, Value};
use zeroize::Zeroizing;

use super::errors::{exception, AiException, AI_REASONS};
use super::vault::PhpVault;
use crate::ai::{self, AiError, Options};

#[php_class]
#[php(name = "Aisle\\AiClient")]
#[php(flags = ClassFlags::Final)]
pub struct PhpAiClient {
    options: Options,
    client: Arc<reqwest::Client>,
}

#[php_impl]
impl PhpAiClient {
    pub fn __construct(options: &ZendHashTable) -> PhpResult<Self> {
        let options = Options::from_json(&table_to_json(options, 0, false).map_err(to_php)?).map_err(to_php)?;
        // Built here, in the worker (objects never exist before PHP-FPM forks).
        let client = ai::http_client(&options).map_err(to_php)?;
        Ok(Self { options, client })
    }

    /// One chat turn. With $onDelta the response is streamed and $onDelta(string $text)
    /// is called on this thread for each text fragment.
    pub fn chat(
        &self,
        vault: &PhpVault,
        keyEnvelope: &str,
        keyContext: BinarySlice<u8>,
        messages: &ZendHashTable,
        tools: Option<&ZendHashTable>,
        onDelta: Option<ZendCallable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let messages = ai::parse_messages(&table_to_json(messages, 0, false).map_err(to_php)?).map_err(to_php)?;
        let tools = match tools {
            Some(t) => ai::parse_tools(&table_to_json(t, 0, false).map_err(to_php)?).map_err(to_php)?,
            None => Vec::new(),
        };
        if keyEnvelope.trim().is_empty() {
            return Err(to_php(AiError::NoKey("no AI key is configured".into())));
        }
        let plain = vault
            .inner()
            .decrypt(keyEnvelope, &keyContext)
            .map_err(|e| to_php(AiError::NoKey(format!("cannot decrypt the AI key: {e}"))))?;
        let key = Zeroizing::new(
            std::str::from_utf8(&plain)
                .map_err(|_| to_php(AiError::NoKey("the decrypted AI key is not UTF-8 text".into())))?
                .to_owned(),
        );
        drop(plain);

        let mut call = |delta: &str| onDelta.as_ref().is_some_and(|cb| cb.try_call(vec![&delta]).is_ok());
        let on_delta: Option<&mut dyn FnMut(&str) -> bool> = if onDelta.is_some() { Some(&mut call) } else { None };
        match ai::chat(&self.options, &self.client, key, &messages, &tools, on_delta) {
            Ok(result) => result_to_php(result),
            // The callable threw: return and let the engine raise its exception unchanged.
            Err(AiError::Cancelled) if ExecutorGlobals::has_exception() => Ok(ZendHashTable::new()),
            Err(e) => Err(to_php(e)),
        }
    }

    /// "openai" or "anthropic".
    pub fn provider(&self) -> &'static str {
        self.options.provider.name()
    }

    pub fn model(&self) -> String {
        self.options.model.clone()
    }
}

fn to_php(err: AiError) -> PhpException {
    exception::<AiException>(AI_REASONS, err.reason(), err.to_string())
}

const MAX_DEPTH: usize = 64;

fn zval_to_json(z: &Zval, depth: usize) -> Result<Value, AiError> {
    if z.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = z.bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = z.long() {
        return Ok(Value::from(n));
    }
    if let Some(f) = z.double() {
        return Number::from_f64(f).map(Value::Number).ok_or_else(|| AiError::BadRequest("NAN and INF are not JSON".into()));
    }
    if let Some(s) = z.zend_str() {
        return s
            .as_str()
            .map(|s| Value::String(s.to_owned()))
            .map_err(|_| AiError::BadRequest("strings must be valid UTF-8".into()));
    }
    if let Some(t) = z.array() {
        return table_to_json(t, depth + 1, false);
    }
    // A stdClass is how PHP code spells a JSON object that must stay an object
    // even when empty, e.g. a tool schema's `"properties": {}`.
    if let Some(obj) = z.object() {
        if std::ptr::eq(obj.get_class_entry(), ext_php_rs::zend::ce::stdclass()) {
            let props = obj
                .get_properties()
                .map_err(|_| AiError::BadRequest("cannot read the properties of a stdClass".into()))?;
            return table_to_json(props, depth + 1, true);
        }
    }
    Err(AiError::BadRequest(
        "only null, bool, int, float, string, array and stdClass values are accepted".into(),
    ))
}

/// A list (keys 0..n-1) becomes a JSON array, anything else (or a stdClass) an object.
fn table_to_json(t: &ZendHashTable, depth: usize, as_object: bool) -> Result<Value, AiError> {
    if depth > MAX_DEPTH {
        return Err(AiError::BadRequest(format!("arrays nested deeper than {MAX_DEPTH} levels")));
    }
    if !as_object && t.has_sequential_keys() {
        return t.values().map(|v| zval_to_json(v, depth)).collect::<Result<Vec<_>, _>>().map(Value::Array);
    }
    let mut m = Map::new();
    for (k, v) in t {
        let key = match k {
            ArrayKey::Long(n) => n.to_string(),
            ArrayKey::String(s) => s,
            ArrayKey::Str(s) => s.to_owned(),
            ArrayKey::ZendString(s) => s
                .as_str()
                .map(str::to_owned)
                .map_err(|_| AiError::BadRequest("array keys must be valid UTF-8".into()))?,
        };
        m.insert(key, zval_to_json(v, depth)?);
    }
    Ok(Value::Object(m))
}

fn json_to_zval(v: &Value) -> PhpResult<Zval> {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => z.set_long(i),
            None => z.set_double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => z.set_string(s, false)?,
        Value::Array(a) => {
            let mut t = ZendHashTable::new();
            for item in a {
                t.push(json_to_zval(item)?)?;
            }
            z.set_hashtable(t);
        }
        Value::Object(m) => {
            let mut t = ZendHashTable::new();
            for (k, item) in m {
                t.insert(k.as_str(), json_to_zval(item)?)?;
            }
            z.set_hashtable(t);
        }
    }
    Ok(z)
}

fn result_to_php(r: ai::ChatResult) -> PhpResult<ZBox<ZendHashTable>> {
    let mut calls = ZendHashTable::new();
    for c in &r.tool_calls {
        let mut call = ZendHashTable::new();
        call.insert("id", c.id.as_str())?;
        call.insert("name", c.name.as_str())?;
        call.insert("arguments", json_to_zval(&c.arguments)?)?;
        calls.push(call)?;
    }
    let mut usage = ZendHashTable::new();
    usage.insert("input_tokens", i64::try_from(r.input_tokens).unwrap_or(i64::MAX))?;
    usage.insert("output_tokens", i64::try_from(r.output_tokens).unwrap_or(i64::MAX))?;
    let mut out = ZendHashTable::new();
    out.insert("text", r.text)?;
    out.insert("tool_calls", calls)?;
    out.insert("usage", usage)?;
    out.insert("stop_reason", r.stop_reason)?;
    Ok(out)
}

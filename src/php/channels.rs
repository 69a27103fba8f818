//! `Aisle\Channels\Signature` and `Aisle\Channels\GraphClient`: zval <-> Rust and error
//! mapping only; the logic is in `crate::channels`. App secrets and access tokens arrive as
//! Vault envelopes and are decrypted here, in Rust, for the moment of use.
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::errors::{exception, ChannelException, CHANNEL_REASONS};
use super::vault::PhpVault;
use crate::channels::{self, ChannelError, GraphOptions, Outgoing};

#[php_class]
#[php(name = "Aisle\\Channels\\Signature")]
#[php(flags = ClassFlags::Final)]
pub struct PhpSignature;

#[php_impl]
impl PhpSignature {
    /// Meta's X-Hub-Signature-256 over the raw body, with the app secret sealed in `$secretEnvelope`.
    pub fn verify(
        body: BinarySlice<u8>,
        header: Option<String>,
        vault: &PhpVault,
        secretEnvelope: &str,
        secretContext: BinarySlice<u8>,
    ) -> PhpResult<bool> {
        let secret = open(vault, secretEnvelope, &secretContext, "app secret")?;
        Ok(channels::verify(&body, header.as_deref(), secret.as_bytes()))
    }

    /// The same check with the app secret given in plain (tools, tests).
    pub fn verify_plain(body: BinarySlice<u8>, header: Option<String>, appSecret: BinarySlice<u8>) -> bool {
        channels::verify(&body, header.as_deref(), &appSecret)
    }
}

#[php_class]
#[php(name = "Aisle\\Channels\\GraphClient")]
#[php(flags = ClassFlags::Final)]
pub struct PhpGraphClient {
    options: GraphOptions,
    client: Arc<reqwest::Client>,
}

#[php_impl]
impl PhpGraphClient {
    pub fn __construct(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        let options = match options {
            Some(t) => GraphOptions::from_json(&flat_json(t, "options")?).map_err(to_php)?,
            None => GraphOptions::default(),
        };
        // Built here, in the worker (objects never exist before PHP-FPM forks).
        let client = channels::http_client(&options).map_err(to_php)?;
        Ok(Self { options, client })
    }

    /// Sends one text message; returns ['message_id' => 'wamid.…' | 'm_…', 'status' => 200].
    pub fn send(
        &self,
        vault: &PhpVault,
        tokenEnvelope: &str,
        tokenContext: BinarySlice<u8>,
        message: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let msg = Outgoing::from_json(&flat_json(message, "message")?).map_err(to_php)?;
        let token = open(vault, tokenEnvelope, &tokenContext, "access token")?;
        let sent = channels::send(&self.options, &self.client, token, &msg).map_err(to_php)?;
        let mut out = ZendHashTable::new();
        out.insert("message_id", sent.message_id)?;
        out.insert("status", i64::from(sent.status))?;
        Ok(out)
    }

    pub fn base_url(&self) -> String {
        self.options.base_url.clone()
    }

    pub fn version(&self) -> String {
        self.options.version.clone()
    }
}

fn open(vault: &PhpVault, envelope: &str, context: &[u8], what: &str) -> PhpResult<Zeroizing<String>> {
    if envelope.trim().is_empty() {
        return Err(to_php(ChannelError::NoSecret(format!("no {what} is configured"))));
    }
    let plain = vault
        .inner()
        .decrypt(envelope, context)
        .map_err(|e| to_php(ChannelError::NoSecret(format!("cannot decrypt the {what}: {e}"))))?;
    let text = std::str::from_utf8(&plain)
        .map_err(|_| to_php(ChannelError::NoSecret(format!("the decrypted {what} is not UTF-8 text"))))?;
    Ok(Zeroizing::new(text.to_owned()))
}

fn to_php(err: ChannelError) -> PhpException {
    exception::<ChannelException>(CHANNEL_REASONS, err.reason(), err.to_string())
}

/// A one-level array of strings, integers, booleans and nulls as a JSON object.
fn flat_json(t: &ZendHashTable, what: &str) -> PhpResult<Value> {
    let bad = |m: String| to_php(ChannelError::BadRequest(m));
    let mut m = Map::new();
    for (k, v) in t {
        let key = match k {
            ArrayKey::String(s) => s,
            ArrayKey::Str(s) => s.to_owned(),
            ArrayKey::ZendString(s) => s.as_str().map(str::to_owned).map_err(|_| bad(format!("{what} keys must be UTF-8")))?,
            ArrayKey::Long(_) => return Err(bad(format!("{what} must be an array with string keys"))),
        };
        m.insert(key.clone(), scalar(v).ok_or_else(|| bad(format!("{what} key '{key}' must be a string, integer, boolean or null")))??);
    }
    Ok(Value::Object(m))
}

fn scalar(z: &Zval) -> Option<PhpResult<Value>> {
    if z.is_null() {
        return Some(Ok(Value::Null));
    }
    if let Some(b) = z.bool() {
        return Some(Ok(Value::Bool(b)));
    }
    if let Some(n) = z.long() {
        return Some(Ok(Value::from(n)));
    }
    z.zend_str().map(|s| {
        s.as_str()
            .map(|s| Value::String(s.to_owned()))
            .map_err(|_| to_php(ChannelError::BadRequest("strings must be valid UTF-8".into())))
    })
}

//! Online activation: trade a license key for a signed token, trusting only
//! the signature, never the server's word.
use std::time::Duration;

use serde::Deserialize;

use super::{license_key, site, token, LicenseError};
use crate::net;

pub const MAX_TIMEOUT_MS: u64 = 120_000;
/// A token answer is well under 1 KiB; anything near this is not our server.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

pub struct ActivateRequest<'a> {
    pub server_url: &'a str,
    pub license_key: &'a str,
    pub site_url: &'a str,
    pub timeout_ms: u64,
    /// Base64 public key the returned token must verify with; `None` = the compiled-in vendor key.
    pub public_key: Option<&'a str>,
}

#[derive(Deserialize)]
struct Granted {
    token: String,
}

#[derive(Deserialize)]
struct Refused {
    error: String,
    #[serde(default)]
    message: Option<String>,
}

enum Failure {
    Timeout,
    Other(reqwest::Error),
    TooLarge,
}

/// Returns a token that verifies for the site. Input mistakes (a mistyped
/// license key, a site or server URL without a host) are `malformed` and cost
/// no network call.
pub fn activate(req: &ActivateRequest<'_>) -> Result<String, LicenseError> {
    let license_key = license_key::normalize(req.license_key).map_err(LicenseError::Malformed)?;
    let host = site::normalize_host(req.site_url)
        .ok_or_else(|| LicenseError::Malformed(format!("site URL '{}' has no host", req.site_url)))?;
    let url = endpoint(req.server_url)?;
    let key = match req.public_key {
        Some(k) => token::cached_public_key(k)?,
        None => token::vendor_public_key()?,
    };
    let timeout_ms = req.timeout_ms.clamp(1, MAX_TIMEOUT_MS);
    let timeout = Duration::from_millis(timeout_ms);
    let client = net::client().map_err(|e| LicenseError::Network(e.to_string()))?;
    let body = serde_json::json!({ "license_key": license_key, "site": host });

    let exchange = async {
        let resp = client.post(url).timeout(timeout).json(&body).send().await.map_err(Failure::Other)?;
        let status = resp.status();
        let mut resp = resp;
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(Failure::Other)? {
            if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(Failure::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, bytes))
    };
    // The outer timeout bounds everything (DNS, connect, TLS, body) by one deadline.
    let bounded = async { tokio::time::timeout(timeout, exchange).await.unwrap_or(Err(Failure::Timeout)) };
    let (status, bytes) = match net::block_on(bounded).map_err(|e| LicenseError::Network(e.to_string()))? {
        Ok(ok) => ok,
        Err(Failure::Timeout) => return Err(LicenseError::Timeout(timeout_ms)),
        Err(Failure::TooLarge) => {
            return Err(LicenseError::InvalidResponse(format!("answer larger than {MAX_RESPONSE_BYTES} bytes")))
        }
        Err(Failure::Other(e)) if e.is_timeout() => return Err(LicenseError::Timeout(timeout_ms)),
        Err(Failure::Other(e)) if e.is_body() || e.is_decode() => {
            return Err(LicenseError::InvalidResponse(format!("cannot read the answer: {}", error_chain(&e))))
        }
        Err(Failure::Other(e)) => return Err(LicenseError::Network(error_chain(&e))),
    };

    if status.is_success() {
        let granted: Granted = serde_json::from_slice(&bytes)
            .map_err(|_| LicenseError::InvalidResponse(format!("HTTP {status} without a {{\"token\": …}} JSON body")))?;
        let claims = token::decode(&granted.token, &key).map_err(|e| match e {
            LicenseError::BadSignature => {
                LicenseError::InvalidResponse("the token is not signed by the vendor key".into())
            }
            other => LicenseError::InvalidResponse(format!("the token does not verify: {other}")),
        })?;
        if !site::host_matches(&claims.site, &host) {
            return Err(LicenseError::InvalidResponse(format!(
                "the token is for '{}', not for '{host}'",
                claims.site
            )));
        }
        return Ok(granted.token);
    }
    if status.is_client_error() {
        if let Ok(refused) = serde_json::from_slice::<Refused>(&bytes) {
            let reason: String = refused.error.chars().filter(|c| !c.is_control()).take(64).collect();
            let message = match refused.message {
                Some(m) => format!("{reason} ({})", m.chars().filter(|c| !c.is_control()).take(300).collect::<String>()),
                None => reason,
            };
            return Err(LicenseError::Rejected(message));
        }
    }
    Err(LicenseError::InvalidResponse(format!(
        "HTTP {status} from {}: is this an aisle-license server?",
        req.server_url
    )))
}

fn endpoint(server_url: &str) -> Result<reqwest::Url, LicenseError> {
    let base = server_url.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(&format!("{base}/v1/activate"))
        .map_err(|e| LicenseError::Malformed(format!("server URL '{server_url}': {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(LicenseError::Malformed(format!("server URL '{server_url}' must be http(s)://host[:port][/path]")));
    }
    Ok(url)
}

/// reqwest's top-level message ("error sending request") hides the cause.
fn error_chain(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

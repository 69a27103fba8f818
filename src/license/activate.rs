//! Online activation: trade a license key for a signed token, trusting only
//! the signature, never the server's word.
use std::time::Duration;

use serde::Deserialize;

use super::{license_key, site, token, LicenseError};
use crate::net;
use crate::net::response::error_chain;

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

/// The normalized inputs of a request to the server; checked before any network call.
struct Prepared {
    license_key: String,
    host: String,
    timeout_ms: u64,
}

fn prepare(req: &ActivateRequest<'_>) -> Result<Prepared, LicenseError> {
    let license_key = license_key::normalize(req.license_key).map_err(LicenseError::Malformed)?;
    let host = site::normalize_host(req.site_url)
        .ok_or_else(|| LicenseError::Malformed(format!("site URL '{}' has no host", req.site_url)))?;
    Ok(Prepared { license_key, host, timeout_ms: req.timeout_ms.clamp(1, MAX_TIMEOUT_MS) })
}

/// POSTs `{"license_key","site"}` to `<server>/v1/<path>`. Returns the body of
/// a 2xx answer; a 4xx with the server's JSON refusal is `rejected`.
fn post(server_url: &str, path: &str, p: &Prepared) -> Result<Vec<u8>, LicenseError> {
    let url = endpoint(server_url, path)?;
    let timeout = Duration::from_millis(p.timeout_ms);
    let client = net::client().map_err(|e| LicenseError::Network(e.to_string()))?;
    let body = serde_json::json!({ "license_key": p.license_key, "site": p.host });

    let exchange = async {
        let mut resp = client.post(url).timeout(timeout).json(&body).send().await.map_err(Failure::Other)?;
        let status = resp.status();
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
        Err(Failure::Timeout) => return Err(LicenseError::Timeout(p.timeout_ms)),
        Err(Failure::TooLarge) => {
            return Err(LicenseError::InvalidResponse(format!("answer larger than {MAX_RESPONSE_BYTES} bytes")))
        }
        Err(Failure::Other(e)) if e.is_timeout() => return Err(LicenseError::Timeout(p.timeout_ms)),
        Err(Failure::Other(e)) if e.is_body() || e.is_decode() => {
            return Err(LicenseError::InvalidResponse(format!("cannot read the answer: {}", error_chain(&e))))
        }
        Err(Failure::Other(e)) => return Err(LicenseError::Network(error_chain(&e))),
    };
    if status.is_success() {
        return Ok(bytes);
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
    Err(LicenseError::InvalidResponse(format!("HTTP {status} from {server_url}: is this an aisle-license server?")))
}

/// Returns a token that verifies for the site. Input mistakes (a mistyped
/// license key, a site or server URL without a host) are `malformed` and cost
/// no network call.
pub fn activate(req: &ActivateRequest<'_>) -> Result<String, LicenseError> {
    let prepared = prepare(req)?;
    endpoint(req.server_url, "activate")?;
    let key = match req.public_key {
        Some(k) => token::cached_public_key(k)?,
        None => token::vendor_public_key()?,
    };
    let bytes = post(req.server_url, "activate", &prepared)?;
    let granted: Granted = serde_json::from_slice(&bytes)
        .map_err(|_| LicenseError::InvalidResponse("a success without a {\"token\": …} JSON body".into()))?;
    let claims = token::decode(&granted.token, &key).map_err(|e| match e {
        LicenseError::BadSignature => LicenseError::InvalidResponse("the token is not signed by the vendor key".into()),
        other => LicenseError::InvalidResponse(format!("the token does not verify: {other}")),
    })?;
    if !site::host_matches(&claims.site, &prepared.host) {
        return Err(LicenseError::InvalidResponse(format!(
            "the token is for '{}', not for '{}'",
            claims.site, prepared.host
        )));
    }
    Ok(granted.token)
}

/// Frees the seat this site holds (e.g. when the plugin is uninstalled or the
/// store moves). `true` if a seat was freed, `false` if the site held none.
pub fn deactivate(req: &ActivateRequest<'_>) -> Result<bool, LicenseError> {
    let prepared = prepare(req)?;
    let bytes = post(req.server_url, "deactivate", &prepared)?;
    let answer: Deactivated = serde_json::from_slice(&bytes)
        .map_err(|_| LicenseError::InvalidResponse("a success without a {\"deactivated\": bool} JSON body".into()))?;
    Ok(answer.deactivated)
}

#[derive(Deserialize)]
struct Deactivated {
    deactivated: bool,
}

fn endpoint(server_url: &str, path: &str) -> Result<reqwest::Url, LicenseError> {
    let base = server_url.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(&format!("{base}/v1/{path}"))
        .map_err(|e| LicenseError::Malformed(format!("server URL '{server_url}': {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(LicenseError::Malformed(format!("server URL '{server_url}' must be http(s)://host[:port][/path]")));
    }
    Ok(url)
}


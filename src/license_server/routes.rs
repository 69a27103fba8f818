//! HTTP API: `POST /v1/activate`, `POST /v1/deactivate`, `GET /v1/health`.
//! Every answer, errors included, is JSON: `{"error": reason, "message": …}`
//! with a 4xx/5xx status on failure.
use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ed25519_dalek::SigningKey;
use serde::Deserialize;
use serde_json::json;

use super::db::{Db, Refusal};
use crate::license::{license_key, site, token, unix_now, Payload};

/// A request is two short strings; 4 KiB leaves room for whitespace and nothing else.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

pub struct ServerState {
    pub db: Db,
    pub key: SigningKey,
    /// Tokens live at most this long (and never past the license's expiry):
    /// sites refresh them by re-activating, which is how a revocation reaches them.
    pub token_days: u32,
}

#[derive(Deserialize)]
struct SiteRequest {
    license_key: String,
    site: String,
}

/// A JSON error answer; small, so handlers can pass it around in `Result`s.
struct ApiError {
    status: StatusCode,
    reason: &'static str,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.reason, "message": self.message }))).into_response()
    }
}

fn error(status: StatusCode, reason: &'static str, message: impl Into<String>) -> ApiError {
    ApiError { status, reason, message: message.into() }
}

fn refusal(r: &Refusal) -> ApiError {
    let status = match r {
        Refusal::UnknownKey => StatusCode::NOT_FOUND,
        Refusal::Revoked | Refusal::Expired => StatusCode::FORBIDDEN,
        Refusal::SeatsExhausted(_) => StatusCode::CONFLICT,
        Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, r.code(), r.to_string())
}

/// Reads and checks the body shared by activate and deactivate.
fn parse(body: Result<Bytes, BytesRejection>) -> Result<(String, String), ApiError> {
    let body = body.map_err(|rej| {
        let status = rej.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            error(status, "too_large", format!("the request body is limited to {MAX_BODY_BYTES} bytes"))
        } else {
            error(status, "bad_request", rej.body_text())
        }
    })?;
    let req: SiteRequest = serde_json::from_slice(&body).map_err(|e| {
        error(StatusCode::BAD_REQUEST, "bad_json", format!("expected {{\"license_key\": \"…\", \"site\": \"…\"}}: {e}"))
    })?;
    let key = license_key::normalize(&req.license_key)
        .map_err(|m| error(StatusCode::BAD_REQUEST, "malformed_key", m))?;
    let host = site::normalize_host(&req.site)
        .filter(|h| !h.contains('*'))
        .ok_or_else(|| error(StatusCode::BAD_REQUEST, "bad_site", "site must be a host or a site URL"))?;
    Ok((key, host))
}

/// Runs blocking SQLite work off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the request handler failed"))
}

async fn activate(
    State(state): State<Arc<ServerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (key, host) = parse(body)?;
    let now = unix_now();
    let st = Arc::clone(&state);
    let h = host.clone();
    let record = match blocking(move || st.db.activate(&key, &h, now)).await? {
        Ok(Ok(record)) => record,
        Ok(Err(r)) => {
            eprintln!("activate {host}: refused, {}", r.code());
            return Err(refusal(&r));
        }
        Err(e) => {
            eprintln!("activate {host}: {e}");
            return Err(refusal(&Refusal::Internal));
        }
    };
    let exp = record.expires_at.min(now + i64::from(state.token_days) * 86_400);
    let claims = Payload {
        v: token::TOKEN_VERSION,
        lid: record.id.clone(),
        site: host.clone(),
        plan: record.plan.clone(),
        features: record.features.clone(),
        iat: now,
        exp,
        grace_days: record.grace_days,
    };
    match token::encode(&claims, &state.key) {
        Ok(token) => {
            eprintln!("activate {host}: {} ({}/{} seats)", record.id, record.sites.len(), record.seats);
            Ok(Json(json!({
                "token": token,
                "license_id": record.id,
                "site": host,
                "plan": record.plan,
                "expires_at": exp,
                "license_expires_at": record.expires_at,
                "seats": record.seats,
                "seats_used": record.sites.len(),
            }))
            .into_response())
        }
        Err(e) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())),
    }
}

async fn deactivate(
    State(state): State<Arc<ServerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (key, host) = parse(body)?;
    let st = Arc::clone(&state);
    let h = host.clone();
    match blocking(move || st.db.deactivate(&key, &h)).await? {
        Ok(Ok(freed)) => Ok(Json(json!({ "deactivated": freed, "site": host })).into_response()),
        Ok(Err(r)) => Err(refusal(&r)),
        Err(e) => {
            eprintln!("deactivate {host}: {e}");
            Err(refusal(&Refusal::Internal))
        }
    }
}

async fn health() -> Response {
    Json(json!({ "status": "ok", "version": crate::build_info::VERSION })).into_response()
}

pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route("/v1/activate", post(activate))
        .route("/v1/deactivate", post(deactivate))
        .route("/v1/health", get(health))
        .method_not_allowed_fallback(|| async {
            error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "see the aisle-license README for the API")
        })
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<ServerState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}

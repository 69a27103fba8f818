//! Outbound HTTP for license activation, AI providers and Meta's Graph API.
//!
//! PHP-FPM forks workers after the extension loads, and a tokio runtime or a
//! connection pool must never cross a fork. Both are therefore created lazily,
//! on first use, and tagged with the pid that created them: a forked child that
//! inherits a tagged copy builds its own instead of touching the parent's.
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use thiserror::Error;

pub mod response;

#[derive(Debug, Error)]
pub enum NetError {
    #[error("cannot start the HTTP runtime: {0}")]
    Runtime(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

struct PerProcess<T> {
    pid: u32,
    value: Arc<T>,
}

static RUNTIME: Mutex<Option<PerProcess<tokio::runtime::Runtime>>> = Mutex::new(None);
static CLIENT: Mutex<Option<PerProcess<reqwest::Client>>> = Mutex::new(None);

fn per_process<T, E>(
    slot: &Mutex<Option<PerProcess<T>>>,
    make: impl FnOnce() -> Result<T, E>,
) -> Result<Arc<T>, E> {
    let pid = std::process::id();
    let mut guard = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(existing) = guard.as_ref() {
        if existing.pid == pid {
            return Ok(Arc::clone(&existing.value));
        }
    }
    // Inherited across fork: never drop the parent's copy here (its threads and
    // sockets are not ours), just forget it.
    if let Some(stale) = guard.take() {
        std::mem::forget(stale);
    }
    let value = Arc::new(make()?);
    *guard = Some(PerProcess { pid, value: Arc::clone(&value) });
    Ok(value)
}

/// Runs a future to completion on this process's runtime, from the calling
/// (PHP) thread. The runtime is single-threaded: no zval ever leaves the thread.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, NetError> {
    let runtime = per_process(&RUNTIME, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| NetError::Runtime(e.to_string()))
    })?;
    Ok(runtime.block_on(future))
}

/// The shared HTTP client (connection pool, rustls with the Mozilla roots).
/// Per-request timeouts are set by callers.
pub fn client() -> Result<Arc<reqwest::Client>, NetError> {
    per_process(&CLIENT, || {
        reqwest::Client::builder()
            .user_agent(concat!("aisle/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| NetError::Client(e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_and_client_are_reused_within_a_process() {
        assert_eq!(block_on(async { 1 + 1 }).unwrap(), 2);
        let a = client().unwrap();
        let b = client().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }
}

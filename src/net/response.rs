//! What every outbound caller (AI providers, Meta's Graph API, the license
//! server) does the same way: a client with its own connect timeout, a body
//! read under one deadline and a size cap, and reqwest errors explained. Each
//! caller maps the outcome onto its own error enum.
use std::sync::Arc;
use std::time::Duration;

use tokio::time::{timeout_at, Instant};

use super::{block_on, client, NetError};

/// The connect timeout every shared client uses (reqwest sets it per client).
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 5_000;

/// The shared client, or a dedicated one when a caller wants another connect timeout.
pub fn client_with_connect_timeout(connect_timeout_ms: u64) -> Result<Arc<reqwest::Client>, NetError> {
    if connect_timeout_ms == DEFAULT_CONNECT_TIMEOUT_MS {
        return client();
    }
    reqwest::Client::builder()
        .user_agent(concat!("aisle/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_millis(connect_timeout_ms))
        .build()
        .map(Arc::new)
        .map_err(|e| NetError::Client(e.to_string()))
}

#[derive(Debug)]
pub enum ReadError {
    Runtime(NetError),
    /// The deadline passed before the body ended.
    Deadline,
    /// The connection broke while reading; the text says why.
    Broken(String),
    /// The body grew past the cap (in bytes).
    TooLarge(usize),
}

/// Reads the whole body, giving up at `deadline` or once it exceeds `max` bytes.
pub fn read_capped(mut resp: reqwest::Response, deadline: Instant, max: usize) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        // The future is created inside the async block: tokio timers need the runtime.
        let chunk = block_on(async { timeout_at(deadline, resp.chunk()).await })
            .map_err(ReadError::Runtime)?
            .map_err(|_| ReadError::Deadline)?
            .map_err(|e| ReadError::Broken(error_chain(&e)))?;
        match chunk {
            Some(bytes) if body.len() + bytes.len() > max => return Err(ReadError::TooLarge(max)),
            Some(bytes) => body.extend_from_slice(&bytes),
            None => return Ok(body),
        }
    }
}

/// What a failed send means, for the caller's own error type.
#[derive(Debug, PartialEq, Eq)]
pub enum SendError {
    ConnectTimeout,
    Timeout,
    /// The request could not be built (a bad URL or header): the caller's input.
    Invalid(String),
    Network(String),
}

pub fn classify(e: &reqwest::Error) -> SendError {
    if e.is_timeout() {
        return if e.is_connect() { SendError::ConnectTimeout } else { SendError::Timeout };
    }
    if e.is_builder() {
        return SendError::Invalid(error_chain(e));
    }
    SendError::Network(error_chain(e))
}

/// reqwest's own message is terse ("error sending request"); the causes say why.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        out.push_str(": ");
        out.push_str(&s.to_string());
        src = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A one-shot HTTP server answering with `body`, for the read tests.
    fn serve(body: Vec<u8>) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = write!(s, "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = s.write_all(&body);
            }
        });
        format!("http://{addr}/")
    }

    fn get(url: &str) -> reqwest::Response {
        let c = client().unwrap();
        block_on(async { c.get(url).send().await }).unwrap().unwrap()
    }

    #[test]
    fn a_body_under_the_cap_is_read_whole_and_one_over_is_refused() {
        let deadline = block_on(async { Instant::now() + Duration::from_secs(5) }).unwrap();
        let ok = read_capped(get(&serve(vec![b'a'; 1000])), deadline, 1000).unwrap();
        assert_eq!(ok.len(), 1000);
        assert!(matches!(read_capped(get(&serve(vec![b'a'; 1001])), deadline, 1000), Err(ReadError::TooLarge(1000))));
    }

    #[test]
    fn a_connection_refused_is_a_network_error_with_its_cause() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let c = client().unwrap();
        let e = block_on(async { c.get(format!("http://127.0.0.1:{port}/")).send().await }).unwrap().unwrap_err();
        match classify(&e) {
            SendError::Network(text) => assert!(text.contains("error sending request"), "{text}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn another_connect_timeout_gets_its_own_client() {
        let shared = client().unwrap();
        assert!(Arc::ptr_eq(&shared, &client_with_connect_timeout(DEFAULT_CONNECT_TIMEOUT_MS).unwrap()));
        assert!(!Arc::ptr_eq(&shared, &client_with_connect_timeout(250).unwrap()));
    }
}

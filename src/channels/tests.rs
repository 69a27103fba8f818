use serde_json::json;
use zeroize::Zeroizing;

use super::signature::sign;
use super::*;

const SECRET: &[u8] = b"app-secret-0123456789";

fn body() -> Vec<u8> {
    br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"from":"15551234567","id":"wamid.A","type":"text","text":{"body":"hi"}}]}}]}]}"#.to_vec()
}

#[test]
fn rfc4231_case_2_matches() {
    // HMAC-SHA256 test vector 2 of RFC 4231 (key "Jefe").
    let header = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert!(verify(b"what do ya want for nothing?", Some(header), b"Jefe"));
    assert_eq!(sign(b"what do ya want for nothing?", b"Jefe"), header);
}

#[test]
fn a_meta_signature_verifies() {
    let b = body();
    let h = sign(&b, SECRET);
    assert!(verify(&b, Some(&h), SECRET));
    assert!(verify(&b, Some(&h.to_uppercase().replacen("SHA256=", "sha256=", 1)), SECRET), "hex case does not matter");
    assert!(verify(&b, Some(&format!("  {h} ")), SECRET), "surrounding spaces are tolerated");
}

#[test]
fn every_single_byte_change_of_the_body_is_rejected() {
    let b = body();
    let h = sign(&b, SECRET);
    for i in 0..b.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut t = b.clone();
            t[i] ^= flip;
            assert!(!verify(&t, Some(&h), SECRET), "body byte {i} ^ {flip:#x} accepted");
        }
    }
    let mut longer = b.clone();
    longer.push(b' ');
    assert!(!verify(&longer, Some(&h), SECRET));
    assert!(!verify(&b[..b.len() - 1], Some(&h), SECRET));
}

#[test]
fn every_single_byte_change_of_the_signature_is_rejected() {
    let b = body();
    let h = sign(&b, SECRET);
    let bytes = h.as_bytes();
    for i in 0..bytes.len() {
        for c in (0x20u8..0x7f).filter(|c| *c != bytes[i]) {
            let mut t = bytes.to_vec();
            t[i] = c;
            let t = String::from_utf8(t).unwrap();
            // Only a change of hex case in the digest still names the same bytes.
            let same_digest = i >= 7 && t[7..].eq_ignore_ascii_case(&h[7..]);
            let same_prefix_case = i < 7 && t[..7].eq_ignore_ascii_case("sha256=");
            if same_digest || same_prefix_case {
                continue;
            }
            assert!(!verify(&b, Some(&t), SECRET), "signature byte {i} -> {:?} accepted", c as char);
        }
    }
}

#[test]
fn missing_malformed_and_wrong_secret_are_rejected() {
    let b = body();
    let h = sign(&b, SECRET);
    assert!(!verify(&b, None, SECRET));
    assert!(!verify(&b, Some(""), SECRET));
    assert!(!verify(&b, Some(&h[7..]), SECRET), "no sha256= prefix");
    assert!(!verify(&b, Some(&h.replace("sha256=", "sha1=")), SECRET));
    assert!(!verify(&b, Some(&h[..h.len() - 2]), SECRET), "truncated digest");
    assert!(!verify(&b, Some(&format!("{h}00")), SECRET), "digest too long");
    assert!(!verify(&b, Some(&h), b"another-secret"));
    assert!(!verify(&b, Some(&sign(&b, b"")), b""), "an empty secret never verifies");
    assert!(!verify(&b, Some("sha256=ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"), SECRET));
}

#[test]
fn options_validate_base_and_version() {
    let o = GraphOptions::from_json(&json!({})).unwrap();
    assert_eq!(o.base_url, DEFAULT_GRAPH_BASE);
    assert_eq!(o.version, DEFAULT_GRAPH_VERSION);
    for ok in ["http://127.0.0.1:9999", "http://localhost:1", "http://[::1]:80/", "https://graph.example.com"] {
        assert!(GraphOptions::from_json(&json!({ "base_url": ok })).is_ok(), "{ok}");
    }
    for bad in ["http://graph.facebook.com", "http://10.0.0.1", "ftp://127.0.0.1", "not a url"] {
        let e = GraphOptions::from_json(&json!({ "base_url": bad })).unwrap_err();
        assert_eq!(e.reason(), "bad_request", "{bad}");
    }
    for bad in ["24.0", "v24", "v24.0.1", "v2x.0", "v24.0/../x"] {
        assert!(GraphOptions::from_json(&json!({ "version": bad })).is_err(), "{bad}");
    }
    assert!(GraphOptions::from_json(&json!({ "timeout": 5 })).is_err(), "unknown option");
}

#[test]
fn request_shapes_follow_each_api() {
    let wa = Outgoing::from_json(&json!({"channel":"whatsapp","sender_id":"1098","to":"+15551234567","text":"Hi *there*"})).unwrap();
    let o = GraphOptions::default();
    assert_eq!(wa.url(&o), format!("{DEFAULT_GRAPH_BASE}/{DEFAULT_GRAPH_VERSION}/1098/messages"));
    assert_eq!(wa.body()["messaging_product"], "whatsapp");
    assert_eq!(wa.body()["to"], "15551234567");
    assert_eq!(wa.body()["text"]["body"], "Hi *there*");
    let m = Outgoing::from_json(&json!({"channel":"messenger","to":"6789","text":"Hello"})).unwrap();
    assert_eq!(m.url(&o), format!("{DEFAULT_GRAPH_BASE}/{DEFAULT_GRAPH_VERSION}/me/messages"));
    assert_eq!(m.body(), json!({"recipient":{"id":"6789"},"messaging_type":"RESPONSE","message":{"text":"Hello"}}));
    let long = "a".repeat(1001);
    let e = Outgoing::from_json(&json!({"channel":"instagram","to":"1","text":long})).unwrap_err();
    assert!(e.to_string().contains("1000"), "{e}");
    assert!(Outgoing::from_json(&json!({"channel":"whatsapp","to":"1","text":"x"})).is_err(), "no phone number id");
    assert!(Outgoing::from_json(&json!({"channel":"messenger","sender_id":"../x","to":"1","text":"x"})).is_err());
    assert!(Outgoing::from_json(&json!({"channel":"sms","to":"1","text":"x"})).is_err());
    assert!(Outgoing::from_json(&json!({"channel":"messenger","to":"1","text":"  "})).is_err());
}

#[test]
fn graph_error_bodies_become_clear_errors() {
    let e = graph_error(
        401,
        br#"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbCdEf"}}"#,
    );
    assert_eq!(e.reason(), "rejected");
    assert!(!e.retryable());
    assert_eq!(
        e.to_string(),
        "the Graph API answered HTTP 401 (error code 190, OAuthException): Error validating access token: Session has expired [fbtrace_id AbCdEf]"
    );
    assert_eq!(graph_error(429, br#"{"error":{"message":"slow down","type":"OAuthException","code":4}}"#).reason(), "rate_limited");
    let e = graph_error(502, b"<html>Bad Gateway</html>");
    assert_eq!(e.reason(), "server_error");
    assert!(e.retryable());
    assert!(e.to_string().contains("HTTP 502 (error code 0, no Graph error body): <html>Bad Gateway</html>"), "{e}");
}

/// A one-shot HTTP server on loopback answering `status` with `body`; returns its base URL
/// and a receiver for the raw request it got.
fn serve_once(status: u16, body: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    tx.send(text).unwrap();
                    break;
                }
            }
        }
        let resp = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
        s.write_all(resp.as_bytes()).unwrap();
    });
    (format!("http://{addr}"), rx)
}

#[test]
fn send_posts_the_documented_request_and_reads_the_id() {
    let (base, rx) = serve_once(200, r#"{"messaging_product":"whatsapp","contacts":[{"input":"15551234567","wa_id":"15551234567"}],"messages":[{"id":"wamid.OUT1"}]}"#);
    let opts = GraphOptions::from_json(&json!({ "base_url": base, "version": "v24.0" })).unwrap();
    let client = http_client(&opts).unwrap();
    let msg = Outgoing::from_json(&json!({"channel":"whatsapp","sender_id":"1098","to":"15551234567","text":"Hello"})).unwrap();
    let sent = send(&opts, &client, Zeroizing::new("EAAG-token".into()), &msg).unwrap();
    assert_eq!(sent, Sent { message_id: "wamid.OUT1".into(), status: 200 });
    let req = rx.recv().unwrap();
    assert!(req.starts_with("POST /v24.0/1098/messages HTTP/1.1"), "{req}");
    assert!(req.to_ascii_lowercase().contains("authorization: bearer eaag-token"), "{req}");
    assert!(req.contains(r#""messaging_product":"whatsapp""#), "{req}");
}

#[test]
fn send_maps_a_graph_error_and_hides_the_token() {
    let (base, _rx) = serve_once(400, r#"{"error":{"message":"Invalid token EAAG-token","type":"OAuthException","code":190,"fbtrace_id":"X1"}}"#);
    let opts = GraphOptions::from_json(&json!({ "base_url": base })).unwrap();
    let client = http_client(&opts).unwrap();
    let msg = Outgoing::from_json(&json!({"channel":"messenger","to":"42","text":"Hello"})).unwrap();
    let e = send(&opts, &client, Zeroizing::new("EAAG-token".into()), &msg).unwrap_err();
    assert_eq!(e.reason(), "rejected");
    assert!(!e.to_string().contains("EAAG-token"), "{e}");
    assert!(e.to_string().contains("HTTP 400 (error code 190"), "{e}");
}

#[test]
fn status_and_code_round_trip_through_the_message() {
    let e = graph_error(403, br#"{"error":{"message":"(#10) answer (code 12)","type":"OAuthException","code":10,"fbtrace_id":"T"}}"#);
    assert_eq!(status_and_code(&e.to_string()), (403, 10));
    assert_eq!(status_and_code(&graph_error(500, b"").to_string()), (500, 0));
    assert_eq!(status_and_code(&ChannelError::Timeout(5).to_string()), (0, 0));
}

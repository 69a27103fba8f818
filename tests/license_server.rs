//! The activation server end to end over real HTTP, and the activation client against it.
use std::net::SocketAddr;
use std::sync::Arc;

use aisle::license::{self, license_key, unix_now, ActivateRequest, License};
use aisle::license_server::{keys, Db, NewLicense, ServerState};
use ed25519_dalek::SigningKey;
use serde_json::{json, Value};

struct Server {
    addr: SocketAddr,
    db: Db,
    public_key: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("licenses.sqlite")).unwrap();
    let key = SigningKey::from_bytes(&[42u8; 32]);
    let public_key = keys::public_key_b64(&key);
    let state = Arc::new(ServerState { db: db.clone(), key, token_days: 30 });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready_tx.send(listener.local_addr().unwrap()).unwrap();
            aisle::license_server::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = ready_rx.recv().unwrap();
    Server { addr, db, public_key, stop: Some(stop), thread: Some(thread), _dir: dir }
}

fn add(db: &Db, seats: u32) -> String {
    let new = NewLicense { plan: "pro".into(), features: vec!["ai".into()], seats, days: 365, grace_days: 14 };
    db.add(&new, unix_now()).unwrap().license_key
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

async fn post(addr: SocketAddr, path: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let json = resp.json::<Value>().await.unwrap_or(Value::Null);
    (status, json)
}

fn activate_json(addr: SocketAddr, key: &str, site: &str) -> (u16, Value) {
    rt().block_on(post(addr, "/v1/activate", json!({ "license_key": key, "site": site }).to_string()))
}

#[test]
fn fifty_concurrent_activations_never_exceed_three_seats() {
    let server = start();
    let key = add(&server.db, 3);
    let addr = server.addr;
    let results = rt().block_on(async {
        let barrier = Arc::new(tokio::sync::Barrier::new(50));
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let key = key.clone();
                let barrier = Arc::clone(&barrier);
                tokio::spawn(async move {
                    barrier.wait().await;
                    let site = format!("shop{i}.example.com");
                    let (status, body) =
                        post(addr, "/v1/activate", json!({ "license_key": key, "site": site }).to_string()).await;
                    (site, status, body)
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let granted: Vec<_> = results.iter().filter(|(_, s, _)| *s == 200).collect();
    assert_eq!(granted.len(), 3, "{results:?}");
    for (_, status, body) in &results {
        if *status != 200 {
            assert_eq!((*status, body["error"].as_str()), (409, Some("seats_exhausted")), "{body}");
        }
    }
    let mut sites: Vec<_> = granted.iter().map(|(s, _, _)| s.clone()).collect();
    sites.sort();
    sites.dedup();
    assert_eq!(sites.len(), 3);
    for (site, _, body) in &granted {
        let token = body["token"].as_str().unwrap();
        let lic = License::verify(token, site, Some(&server.public_key), None).unwrap();
        assert_eq!(lic.status(), license::Status::Active);
        assert!(lic.has("ai"));
    }
    let mut stored = server.db.get(&key).unwrap().unwrap().sites;
    stored.sort();
    assert_eq!(stored, sites);

    // Re-activating a seated site uses no new seat, even written differently.
    let again = format!("https://WWW.{}/shop", sites[0]);
    let (status, body) = activate_json(addr, &key, &again);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seats_used"], 3);
    // Deactivation frees a seat for another site.
    let (status, body) = rt().block_on(post(
        addr,
        "/v1/deactivate",
        json!({ "license_key": key, "site": sites[0] }).to_string(),
    ));
    assert_eq!((status, body["deactivated"].as_bool()), (200, Some(true)), "{body}");
    assert_eq!(activate_json(addr, &key, "newshop.example.com").0, 200);
    assert_eq!(activate_json(addr, &key, "another.example.com").0, 409);
    // Development hosts never take a seat.
    assert_eq!(activate_json(addr, &key, "http://localhost:8080").0, 200);
}

#[test]
fn database_transactions_hold_under_thread_contention() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("l.sqlite")).unwrap();
    let key = add(&db, 3);
    let barrier = Arc::new(std::sync::Barrier::new(50));
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let (db, key, barrier) = (db.clone(), key.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                db.activate(&key, &format!("s{i}.example.com"), unix_now()).unwrap().is_ok()
            })
        })
        .collect();
    let ok = handles.into_iter().map(|h| h.join().unwrap()).filter(|ok| *ok).count();
    assert_eq!(ok, 3);
    assert_eq!(db.get(&key).unwrap().unwrap().sites.len(), 3);
}

#[test]
fn refusals_and_bad_requests_are_clear_json() {
    let server = start();
    let addr = server.addr;
    let revoked = add(&server.db, 1);
    assert!(server.db.revoke(&revoked, unix_now()).unwrap());
    let expired = add(&server.db, 1);
    assert!(server.db.set_expiry(&expired, unix_now() - 1).unwrap());
    let unknown = license_key::generate();

    for (key, status, reason) in [(&revoked, 403, "revoked"), (&expired, 403, "expired"), (&unknown, 404, "unknown_key")] {
        let (s, body) = activate_json(addr, key, "example.com");
        assert_eq!((s, body["error"].as_str()), (status, Some(reason)), "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (s, body) = activate_json(addr, "AISLE-0000-0000-0000-0000-0000", "example.com");
    assert_eq!((s, body["error"].as_str()), (400, Some("malformed_key")));
    let (s, body) = activate_json(addr, &unknown, "https:///nohost");
    assert_eq!((s, body["error"].as_str()), (400, Some("bad_site")));

    let rt = rt();
    for bad in ["{", "[]", "{\"license_key\": 1, \"site\": \"x\"}", "", "\u{feff}{}"] {
        let (s, body) = rt.block_on(post(addr, "/v1/activate", bad.to_owned()));
        assert_eq!((s, body["error"].as_str()), (400, Some("bad_json")), "{bad:?}: {body}");
    }
    let (s, body) = rt.block_on(post(addr, "/v1/activate", vec![b' '; 64 * 1024]));
    assert_eq!((s, body["error"].as_str()), (413, Some("too_large")), "{body}");
    let (s, body) = rt.block_on(post(addr, "/v2/nothing", "{}"));
    assert_eq!((s, body["error"].as_str()), (404, Some("not_found")));
    let resp = rt.block_on(reqwest::get(format!("http://{addr}/v1/activate"))).unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(rt.block_on(resp.json::<Value>()).unwrap()["error"], "method_not_allowed");
    let health = rt.block_on(async { reqwest::get(format!("http://{addr}/v1/health")).await?.json::<Value>().await }).unwrap();
    assert_eq!(health["status"], "ok");
}

#[test]
fn client_activation_verifies_what_the_server_returns() {
    let server = start();
    let key = add(&server.db, 2);
    let url = format!("http://{}", server.addr);
    let request = |license_key: &'static str, site: &'static str, public_key: Option<&'static str>| ActivateRequest {
        server_url: Box::leak(url.clone().into_boxed_str()),
        license_key,
        site_url: site,
        timeout_ms: 5000,
        public_key,
    };
    let key: &'static str = Box::leak(key.to_lowercase().replace('-', " ").into_boxed_str());
    let pk: &'static str = Box::leak(server.public_key.clone().into_boxed_str());
    let token = license::activate(&request(key, "https://www.shop.example/", Some(pk))).unwrap();
    let lic = License::verify(&token, "shop.example", Some(pk), None).unwrap();
    assert_eq!(lic.payload().site, "shop.example");

    // Signed by the server's key, but not the one this client trusts.
    let other = keys::public_key_b64(&SigningKey::from_bytes(&[1u8; 32]));
    let other: &'static str = Box::leak(other.into_boxed_str());
    let err = license::activate(&request(key, "shop.example", Some(other))).unwrap_err();
    assert_eq!(err.reason(), "invalid_response", "{err}");

    let err = license::activate(&request(key, "second.example", Some(pk))).map(|_| ()).and_then(|()| {
        license::activate(&request(key, "third.example", Some(pk))).map(|_| ())
    });
    let err = err.unwrap_err();
    assert_eq!(err.reason(), "rejected");
    assert!(err.to_string().contains("seats_exhausted"), "{err}");
    assert!(license::deactivate(&request(key, "https://second.example/", None)).unwrap());
    assert!(!license::deactivate(&request(key, "second.example", None)).unwrap());
    assert!(license::activate(&request(key, "third.example", Some(pk))).is_ok());
    let silent = ActivateRequest { server_url: "http://127.0.0.1:9", ..request(key, "x.example", None) };
    assert_eq!(license::deactivate(&silent).unwrap_err().reason(), "network");
}

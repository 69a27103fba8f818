use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::SigningKey;

use super::token::encode;
use super::*;

const DAY: i64 = 86_400;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn pubkey(k: &SigningKey) -> String {
    STANDARD.encode(k.verifying_key().to_bytes())
}

fn claims(site: &str) -> Payload {
    Payload {
        v: 1,
        lid: "lic_1".into(),
        site: site.into(),
        plan: "pro".into(),
        features: vec!["ai".into(), "leads".into()],
        iat: 1_700_000_000,
        exp: 1_700_000_000 + 30 * DAY,
        grace_days: 7,
    }
}

#[test]
fn round_trip_and_status_over_time() {
    let k = key();
    let token = encode(&claims("example.com"), &k).unwrap();
    let pk = pubkey(&k);
    let c = claims("example.com");
    let at = |now| License::verify(&token, "https://www.Example.com/shop", Some(&pk), Some(now)).unwrap();
    assert_eq!(at(c.iat).status(), Status::Active);
    assert!(at(c.iat).has("ai"));
    assert!(!at(c.iat).has("nope"));
    assert_eq!(at(c.exp - 1).status(), Status::Active);
    assert_eq!(at(c.exp).status(), Status::Grace);
    assert!(at(c.exp).has("leads"));
    assert_eq!(at(c.exp + 7 * DAY - 1).status(), Status::Grace);
    assert_eq!(at(c.exp + 7 * DAY).status(), Status::Expired);
    assert!(!at(c.exp + 7 * DAY).has("ai"));
    assert_eq!(at(c.iat).payload(), &c);
    assert!(!at(c.iat).is_development());
}

#[test]
fn site_rules() {
    let k = key();
    let pk = pubkey(&k);
    let exact = encode(&claims("shop.example.com"), &k).unwrap();
    let wild = encode(&claims("*.example.com"), &k).unwrap();
    let v = |t: &str, site: &str| License::verify(t, site, Some(&pk), Some(1_700_000_000));
    assert!(v(&exact, "http://shop.example.com:8080/x").is_ok());
    assert_eq!(v(&exact, "example.com").unwrap_err().reason(), "wrong_site");
    assert_eq!(v(&exact, "").unwrap_err().reason(), "wrong_site");
    assert!(v(&wild, "example.com").is_ok());
    assert!(v(&wild, "a.b.example.com").is_ok());
    assert_eq!(v(&wild, "example.org").unwrap_err().reason(), "wrong_site");
    let dev = v(&exact, "http://mystore.test/").unwrap();
    assert!(dev.is_development());
    assert_eq!(dev.host(), "mystore.test");
}

#[test]
fn tampering_and_bad_keys() {
    let k = key();
    let pk = pubkey(&k);
    let token = encode(&claims("example.com"), &k).unwrap();
    for i in 0..token.len() {
        let mut bytes = token.clone().into_bytes();
        bytes[i] ^= 0x01;
        let Ok(t) = String::from_utf8(bytes) else { continue };
        let err = License::verify(&t, "example.com", Some(&pk), None).unwrap_err();
        assert!(matches!(err.reason(), "bad_signature" | "malformed"), "byte {i}: {err}");
    }
    let other = pubkey(&SigningKey::from_bytes(&[8u8; 32]));
    assert_eq!(License::verify(&token, "example.com", Some(&other), None).unwrap_err().reason(), "bad_signature");
    for bad in ["", "abc", "AAAA", &STANDARD.encode([0u8; 32])] {
        let err = License::verify(&token, "example.com", Some(bad), None).unwrap_err();
        assert_eq!(err.reason(), "bad_key", "{bad:?}: {err}");
    }
    for bad in ["", ".", "a.b", &format!("{token}.x"), &"A".repeat(20_000)] {
        assert_eq!(License::verify(bad, "example.com", Some(&pk), None).unwrap_err().reason(), "malformed");
    }
}

#[test]
fn signed_but_invalid_claims_are_malformed() {
    let k = key();
    let pk = pubkey(&k);
    let sign_raw = |json: &str| {
        use ed25519_dalek::Signer;
        let sig = k.sign(json.as_bytes());
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}", e.encode(json), e.encode(sig.to_bytes()))
    };
    for json in [
        "not json",
        r#"{"v":2,"lid":"l","site":"example.com","plan":"p","iat":1,"exp":2}"#,
        r#"{"v":1,"lid":"l","site":"Example.com","plan":"p","iat":1,"exp":2}"#,
        r#"{"v":1,"lid":"l","site":"example.com","plan":"p","iat":3,"exp":2}"#,
        r#"{"v":1,"lid":"l","site":"example.com","plan":"p","iat":1,"exp":9223372036854775807,"grace_days":9}"#,
        r#"{"v":1,"lid":"","site":"example.com","plan":"p","iat":1,"exp":2}"#,
    ] {
        let err = License::verify(&sign_raw(json), "example.com", Some(&pk), None).unwrap_err();
        assert_eq!(err.reason(), "malformed", "{json}: {err}");
    }
}

#[test]
fn compiled_in_key_is_valid() {
    assert!(token::vendor_public_key().is_ok());
    assert!(matches!(VENDOR_KEY_SOURCE, "vendor" | "development"));
}

#[test]
fn activate_refuses_bad_input_before_any_network_call() {
    let req = |key: &'static str, site: &'static str, server: &'static str| ActivateRequest {
        server_url: server,
        license_key: key,
        site_url: site,
        timeout_ms: 100,
        public_key: None,
    };
    let good = license_key::generate();
    let good: &'static str = Box::leak(good.into_boxed_str());
    // An unroutable server would time out; malformed input must fail first.
    for r in [
        req("AISLE-0000-0000-0000-0000-0000", "example.com", "http://10.255.255.1"),
        req(good, "", "http://10.255.255.1"),
        req(good, "example.com", "ftp://x"),
        req(good, "example.com", "not a url"),
    ] {
        assert_eq!(activate(&r).unwrap_err().reason(), "malformed");
    }
}

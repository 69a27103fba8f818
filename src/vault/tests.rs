use super::*;

fn vault() -> Vault {
    Vault::from_key(&[7u8; 32], "k1").unwrap()
}

#[test]
fn round_trip_and_fresh_nonce() {
    let v = vault();
    let a = v.encrypt(b"secret", b"ctx").unwrap();
    let b = v.encrypt(b"secret", b"ctx").unwrap();
    assert_ne!(a, b);
    assert!(a.starts_with("aisle:v1:k1:"));
    assert_eq!(v.decrypt(&a, b"ctx").unwrap().as_slice(), b"secret");
}

#[test]
fn wrong_context_and_tamper_fail() {
    let v = vault();
    let env = v.encrypt(b"secret", b"ctx").unwrap();
    assert_eq!(v.decrypt(&env, b"other").unwrap_err(), VaultError::AuthFailed);
    for i in 0..env.len() {
        let mut bytes = env.clone().into_bytes();
        bytes[i] ^= 0x01;
        let Ok(tampered) = String::from_utf8(bytes) else { continue };
        let err = v.decrypt(&tampered, b"ctx").unwrap_err();
        assert!(
            matches!(err.reason(), "auth_failed" | "malformed" | "unknown_key"),
            "byte {i}: {err:?}"
        );
    }
}

#[test]
fn rotation_keeps_old_envelopes() {
    let old = vault();
    let env = old.encrypt(b"s", b"c").unwrap();
    let new = old.with_key(&[9u8; 32], "k2").unwrap();
    assert!(new.needs_rotation(&env).unwrap());
    let rotated = new.rotate(&env, b"c").unwrap();
    assert!(rotated.starts_with("aisle:v1:k2:"));
    assert!(!new.needs_rotation(&rotated).unwrap());
    assert_eq!(new.decrypt(&env, b"c").unwrap().as_slice(), b"s");
    assert_eq!(old.decrypt(&rotated, b"c").unwrap_err(), VaultError::UnknownKey("k2".into()));
    assert_eq!(new.with_key(&[1u8; 32], "k1").unwrap_err().reason(), "bad_key");
}

#[test]
fn secret_derivation_is_stable() {
    let a = derive_key_from_secret(b"0123456789abcdef-wordpress-salts").unwrap();
    let b = derive_key_from_secret(b"0123456789abcdef-wordpress-salts").unwrap();
    assert_eq!(*a, *b);
    assert_eq!(derive_key_from_secret(b"short").unwrap_err().reason(), "bad_key");
}

#[test]
fn key_file_text() {
    use base64::Engine;
    let k = base64::engine::general_purpose::STANDARD.encode([3u8; 32]);
    let v = Vault::from_keyring_text(&format!("# comment\n\nnew:{k}\nold:{k}\n")).unwrap();
    assert_eq!(v.key_ids(), vec!["new", "old"]);
    assert_eq!(Vault::from_keyring_text("# none\n").unwrap_err().reason(), "no_key");
    assert_eq!(Vault::from_keyring_text("a:AAAA\n").unwrap_err().reason(), "bad_key");
    assert_eq!(Vault::from_keyring_text(&format!("a:{k}\na:{k}")).unwrap_err().reason(), "bad_key");
}

#[test]
fn environment_forms() {
    use base64::Engine;
    let k = base64::engine::general_purpose::STANDARD.encode([5u8; 32]);
    assert_eq!(Vault::from_environment(Some(&k), None).unwrap().active_key_id(), "env");
    assert_eq!(Vault::from_environment(Some(&format!("prod:{k}")), None).unwrap().active_key_id(), "prod");
    assert_eq!(Vault::from_environment(None, None).unwrap_err().reason(), "no_key");
    assert_eq!(Vault::from_environment(Some(""), Some("")).unwrap_err().reason(), "no_key");
}

#[test]
fn malformed_envelopes() {
    let v = vault();
    for bad in ["", "aisle:", "aisle:v2:k1:AAAA", "aisle:v1:k 1:AAAA", "aisle:v1:k1", "aisle:v1:k1:***", "aisle:v1:k1:AAAA", "nope"] {
        assert_eq!(v.decrypt(bad, b"").unwrap_err().reason(), "malformed", "{bad}");
    }
    assert_eq!(v.decrypt("aisle:v1:zz:", b"").unwrap_err().reason(), "malformed");
}

#[test]
fn debug_hides_keys() {
    let s = format!("{:?}", vault());
    assert!(s.contains("k1") && !s.contains("7, 7"));
}

use std::process::Command;

fn main() {
    let revision = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=AISLE_GIT_REVISION={revision}");
    println!(
        "cargo:rustc-env=AISLE_BUILD_PROFILE={}",
        std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into())
    );
    vendor_license_key();
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
}

/// The vendor's Ed25519 public key that `Aisle\License::verify()` trusts by
/// default. A vendor builds with `AISLE_LICENSE_PUBLIC_KEY=<base64>`; without
/// it, the development key committed in keys/ is compiled in (and reported as
/// such by `php --ri aisle`), so a development build can never pass for a
/// release built with the real key.
fn vendor_license_key() {
    const DEV_KEY_FILE: &str = "keys/dev-license.pub";
    println!("cargo:rerun-if-env-changed=AISLE_LICENSE_PUBLIC_KEY");
    println!("cargo:rerun-if-changed={DEV_KEY_FILE}");
    let (key, source) = match std::env::var("AISLE_LICENSE_PUBLIC_KEY") {
        Ok(k) if !k.trim().is_empty() => (k.trim().to_owned(), "vendor"),
        _ => match std::fs::read_to_string(DEV_KEY_FILE) {
            Ok(k) => (k.trim().to_owned(), "development"),
            Err(e) => panic!("AISLE_LICENSE_PUBLIC_KEY is not set and {DEV_KEY_FILE} cannot be read: {e}"),
        },
    };
    // Validate here so a mistyped key fails the build instead of every verify().
    let ok = key.len() == 44
        && key.ends_with('=')
        && !key[..43].ends_with('=')
        && key[..43].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    assert!(ok, "the license public key must be the base64 of 32 bytes (44 characters), got {key:?}");
    println!("cargo:rustc-env=AISLE_LICENSE_PUBLIC_KEY_B64={key}");
    println!("cargo:rustc-env=AISLE_LICENSE_KEY_SOURCE={source}");
}

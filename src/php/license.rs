//! `Aisle\License`: zval <-> Rust only; the logic is in `crate::license`.
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;

use crate::license::{self, ActivateRequest, License, LicenseError};

#[php_class]
#[php(name = "Aisle\\License")]
#[php(flags = ClassFlags::Final)]
pub struct PhpLicense {
    inner: License,
}

/// Tokens and URLs are text; invalid UTF-8 is the caller's input error, not a TypeError.
fn text<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, LicenseError> {
    std::str::from_utf8(bytes).map_err(|_| LicenseError::Malformed(format!("{what} is not UTF-8 text")))
}

#[php_impl]
impl PhpLicense {
    pub fn verify(
        token: BinarySlice<u8>,
        siteUrl: BinarySlice<u8>,
        publicKey: Option<String>,
        now: Option<i64>,
    ) -> PhpResult<Self> {
        let site = std::str::from_utf8(&siteUrl).unwrap_or("");
        Ok(Self { inner: License::verify(text(&token, "the token")?, site, publicKey.as_deref(), now)? })
    }

    #[php(defaults(timeoutMs = 5000))]
    pub fn activate(
        serverUrl: &str,
        licenseKey: &str,
        siteUrl: &str,
        timeoutMs: i64,
        publicKey: Option<String>,
    ) -> PhpResult<String> {
        let request = ActivateRequest {
            server_url: serverUrl,
            license_key: licenseKey,
            site_url: siteUrl,
            timeout_ms: u64::try_from(timeoutMs).unwrap_or(1),
            public_key: publicKey.as_deref(),
        };
        Ok(license::activate(&request)?)
    }

    /// Frees this site's seat on the license server; true if it held one.
    #[php(defaults(timeoutMs = 5000))]
    pub fn deactivate(serverUrl: &str, licenseKey: &str, siteUrl: &str, timeoutMs: i64) -> PhpResult<bool> {
        let request = ActivateRequest {
            server_url: serverUrl,
            license_key: licenseKey,
            site_url: siteUrl,
            timeout_ms: u64::try_from(timeoutMs).unwrap_or(1),
            public_key: None,
        };
        Ok(license::deactivate(&request)?)
    }

    /// The canonical form of a typed license key; `malformed` if it has a typo.
    pub fn normalize_key(licenseKey: &str) -> PhpResult<String> {
        Ok(license::license_key::normalize(licenseKey).map_err(LicenseError::Malformed)?)
    }

    /// Base64 public key compiled into this build.
    pub fn vendor_public_key() -> &'static str {
        license::VENDOR_PUBLIC_KEY_B64
    }

    pub fn status(&self) -> &'static str {
        self.inner.status().as_str()
    }

    pub fn license_id(&self) -> String {
        self.inner.payload().lid.clone()
    }

    pub fn plan(&self) -> String {
        self.inner.payload().plan.clone()
    }

    pub fn site(&self) -> String {
        self.inner.payload().site.clone()
    }

    pub fn host(&self) -> String {
        self.inner.host().to_owned()
    }

    pub fn features(&self) -> Vec<String> {
        self.inner.payload().features.clone()
    }

    pub fn has(&self, feature: &str) -> bool {
        self.inner.has(feature)
    }

    pub fn issued_at(&self) -> i64 {
        self.inner.payload().iat
    }

    pub fn expires_at(&self) -> i64 {
        self.inner.payload().exp
    }

    pub fn grace_days(&self) -> i64 {
        i64::from(self.inner.payload().grace_days)
    }

    pub fn grace_ends_at(&self) -> i64 {
        self.inner.payload().grace_ends_at()
    }

    pub fn is_development(&self) -> bool {
        self.inner.is_development()
    }
}

impl From<LicenseError> for PhpException {
    fn from(err: LicenseError) -> Self {
        super::errors::exception::<super::errors::LicenseException>(super::errors::LICENSE_REASONS, err.reason(), err.to_string())
    }
}

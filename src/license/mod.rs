//! Licenses: Ed25519-signed tokens verified offline, online activation, and
//! the human-typeable license keys customers enter.
mod activate;
mod error;
pub mod license_key;
pub mod site;
pub mod token;

use std::time::{SystemTime, UNIX_EPOCH};

pub use activate::{activate, deactivate, ActivateRequest, MAX_TIMEOUT_MS};
pub use error::LicenseError;
pub use token::{Payload, VENDOR_KEY_SOURCE, VENDOR_PUBLIC_KEY_B64};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Grace,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Grace => "grace",
            Self::Expired => "expired",
        }
    }
}

/// A token whose signature and site have been checked.
#[derive(Debug, Clone)]
pub struct License {
    payload: Payload,
    host: String,
    development: bool,
    /// The caller's clock, when it pinned one; otherwise the system clock is read on each question.
    now: Option<i64>,
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl License {
    /// `public_key`: base64 Ed25519 key; `None` trusts the key compiled into this build.
    pub fn verify(token: &str, site_url: &str, public_key: Option<&str>, now: Option<i64>) -> Result<Self, LicenseError> {
        let key = match public_key {
            Some(k) => token::cached_public_key(k)?,
            None => token::vendor_public_key()?,
        };
        let payload = token::decode(token, &key)?;
        let host = site::normalize_host(site_url).ok_or_else(|| LicenseError::WrongSite {
            licensed: payload.site.clone(),
            actual: format!("{site_url} (no host in this URL)"),
        })?;
        let development = site::is_development_host(&host);
        if !development && !site::host_matches(&payload.site, &host) {
            return Err(LicenseError::WrongSite { licensed: payload.site, actual: host });
        }
        Ok(Self { payload, host, development, now })
    }

    fn now(&self) -> i64 {
        self.now.unwrap_or_else(unix_now)
    }

    pub fn status(&self) -> Status {
        let now = self.now();
        if now < self.payload.exp {
            Status::Active
        } else if now < self.payload.grace_ends_at() {
            Status::Grace
        } else {
            Status::Expired
        }
    }

    /// Features are honoured during grace, so a lapsed renewal never breaks a
    /// store overnight; none once expired.
    pub fn has(&self, feature: &str) -> bool {
        self.status() != Status::Expired && self.payload.features.iter().any(|f| f == feature)
    }

    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The normalized host of the site URL that was verified.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// True when the site is a development host, accepted whatever the token's site.
    pub fn is_development(&self) -> bool {
        self.development
    }
}

#[cfg(test)]
mod tests;

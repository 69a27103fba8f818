//! The one place where domain errors become PHP exceptions.
//!
//! Every exception class carries a stable integer code (`getCode()`) and maps it
//! back to its reason string with `reason()`. The reason is derived from the
//! engine-owned `code` property instead of a Rust `String` field, which would
//! leak in ext-php-rs (issue 738).
use std::ffi::c_char;

use ext_php_rs::class::RegisteredClass;
use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::zend_read_property;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};
use ext_php_rs::zend::ce;

/// Reasons per exception class; code = class base + position + 1. Append only:
/// codes are part of the public contract.
pub const GENERAL_REASONS: (i32, &[&str]) = (0, &["invalid_argument", "internal"]);
pub const VAULT_REASONS: (i32, &[&str]) =
    (1000, &["malformed", "unknown_key", "auth_failed", "bad_key", "no_key"]);
pub const LICENSE_REASONS: (i32, &[&str]) = (
    2000,
    &["malformed", "bad_signature", "wrong_site", "network", "timeout", "rejected", "invalid_response", "bad_key"],
);
pub const CATALOG_REASONS: (i32, &[&str]) = (3000, &["invalid_argument", "io", "index", "too_large"]);
pub const AI_REASONS: (i32, &[&str]) =
    (4000, &["network", "timeout", "http_status", "invalid_response", "bad_request", "no_key"]);
pub const CHANNEL_REASONS: (i32, &[&str]) = (
    6000,
    &["bad_request", "no_secret", "network", "timeout", "rate_limited", "server_error", "rejected", "invalid_response"],
);

pub const KNOWLEDGE_REASONS: (i32, &[&str]) =
    (5000, &["unsupported", "encrypted", "too_large", "malformed", "timeout", "invalid_argument", "io", "index"]);

const ALL_REASONS: [(i32, &[&str]); 7] =
    [GENERAL_REASONS, VAULT_REASONS, LICENSE_REASONS, CATALOG_REASONS, AI_REASONS, KNOWLEDGE_REASONS, CHANNEL_REASONS];

pub fn code_for(table: (i32, &[&str]), reason: &str) -> i32 {
    let (base, reasons) = table;
    reasons
        .iter()
        .position(|r| *r == reason)
        .map_or(base, |i| base + i as i32 + 1)
}

pub fn reason_for(code: i64) -> &'static str {
    for (base, reasons) in ALL_REASONS {
        let offset = code - i64::from(base);
        if offset >= 1 && offset <= reasons.len() as i64 {
            return reasons[(offset - 1) as usize];
        }
    }
    "unknown"
}

/// Builds a PHP exception of class `T` with the code of `reason` in `table`.
///
/// A NUL byte in the message (messages quote the caller's input) is written as `\0`: the engine takes
/// the message as a C string, and ext-php-rs throws a bare `\Error` instead of `T` when it cannot
/// make one (found by the fuzzer, tests/fuzz/regressions/).
pub fn exception<T: RegisteredClass>(table: (i32, &[&str]), reason: &str, message: String) -> PhpException {
    let message = if message.contains('\0') { message.replace('\0', "\\0") } else { message };
    PhpException::new(message, code_for(table, reason), T::get_metadata().ce())
}

/// Reads a property that \Exception declares (`code`, `message`) and hands it to `get`
/// while the value is alive (it may live in `rv`, a local, or in the object).
fn read_exception_property<T>(
    obj: &mut ext_php_rs::types::ZendObject,
    name: &[u8],
    get: impl FnOnce(&Zval) -> Option<T>,
) -> Option<T> {
    let mut rv = Zval::new();
    // SAFETY: `obj` is a live exception object owned by the engine; the scope is
    // \Exception, which declares the property, so the protected read is allowed.
    let value = unsafe {
        zend_read_property(
            std::ptr::from_ref(ce::exception()).cast_mut(),
            std::ptr::from_mut(obj),
            name.as_ptr().cast::<c_char>(),
            name.len(),
            true,
            &raw mut rv,
        )
    };
    // SAFETY: zend_read_property returns either &rv or a pointer into the object's properties.
    unsafe { value.as_ref() }.and_then(get)
}

fn read_code(obj: &mut ext_php_rs::types::ZendObject) -> i64 {
    read_exception_property(obj, b"code", Zval::long).unwrap_or(0)
}

fn read_message(obj: &mut ext_php_rs::types::ZendObject) -> String {
    read_exception_property(obj, b"message", Zval::string).unwrap_or_default()
}

macro_rules! exception_class {
    ($struct_name:ident, $php_name:literal, $parent:meta) => {
        #[php_class]
        #[php(name = $php_name)]
        #[php($parent)]
        #[derive(Default)]
        pub struct $struct_name;

        #[php_impl]
        impl $struct_name {
            /// The stable machine-readable reason, e.g. "auth_failed".
            pub fn reason(self_: &mut ZendClassObject<$struct_name>) -> &'static str {
                reason_for(read_code(&mut self_.std))
            }
        }
    };
}

exception_class!(AisleException, "Aisle\\Exception", extends(ce = ce::exception, stub = "\\Exception"));
exception_class!(VaultException, "Aisle\\VaultException", extends(AisleException));
exception_class!(LicenseException, "Aisle\\LicenseException", extends(AisleException));
exception_class!(CatalogException, "Aisle\\CatalogException", extends(AisleException));
exception_class!(AiException, "Aisle\\AiException", extends(AisleException));
exception_class!(KnowledgeException, "Aisle\\KnowledgeException", extends(AisleException));

/// Graph API failures. Besides reason(), the HTTP status and Graph's own error code, read
/// back from the engine-owned message, so PHP can tell a retry (429, 5xx) from a stop.
#[php_class]
#[php(name = "Aisle\\ChannelException")]
#[php(extends(AisleException))]
#[derive(Default)]
pub struct ChannelException;

#[php_impl]
impl ChannelException {
    /// The stable machine-readable reason, e.g. "rate_limited".
    pub fn reason(self_: &mut ZendClassObject<ChannelException>) -> &'static str {
        reason_for(read_code(&mut self_.std))
    }

    /// The Graph API's HTTP status, 0 when no answer came (network, timeout, bad request).
    pub fn http_status(self_: &mut ZendClassObject<ChannelException>) -> i64 {
        i64::from(crate::channels::status_and_code(&read_message(&mut self_.std)).0)
    }

    /// Graph's `error.code` (190 expired token, 4/80007/130429 rate limits, …), 0 when none.
    pub fn graph_code(self_: &mut ZendClassObject<ChannelException>) -> i64 {
        crate::channels::status_and_code(&read_message(&mut self_.std)).1
    }

    /// True for failures worth another attempt later: network, timeout, 429 and 5xx.
    pub fn retryable(self_: &mut ZendClassObject<ChannelException>) -> bool {
        matches!(reason_for(read_code(&mut self_.std)), "network" | "timeout" | "rate_limited" | "server_error")
    }
}

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .class::<AisleException>()
        .class::<VaultException>()
        .class::<LicenseException>()
        .class::<CatalogException>()
        .class::<AiException>()
        .class::<KnowledgeException>()
        .class::<ChannelException>()
}

impl From<crate::knowledge::KnowledgeError> for PhpException {
    fn from(err: crate::knowledge::KnowledgeError) -> Self {
        exception::<KnowledgeException>(KNOWLEDGE_REASONS, err.reason(), err.to_string())
    }
}

impl From<crate::vault::VaultError> for PhpException {
    fn from(err: crate::vault::VaultError) -> Self {
        exception::<VaultException>(VAULT_REASONS, err.reason(), err.to_string())
    }
}

//! Aisle's native core. Domain modules are pure Rust with no PHP types;
//! `php` is the thin FFI layer, compiled only with the `php` feature.
pub mod ai;
pub mod build_info;
pub mod catalog;
pub mod feeds;
pub mod channels;
pub mod knowledge;
pub mod lang;
pub mod license;
pub mod license_server;
pub mod memory;
pub mod net;
pub mod redact;
pub mod vault;

#[cfg(feature = "php")]
mod php;

//! Aisle's native core. Domain modules are pure Rust with no PHP types;
//! `php` is the thin FFI layer, compiled only with the `php` feature.
pub mod build_info;
pub mod catalog;
pub mod net;
pub mod vault;

#[cfg(feature = "php")]
mod php;

//! The vendor side of licensing (used by the `aisle-license` binary, never by
//! the PHP extension): signing keys, the license database and the activation
//! server.
pub mod db;
pub mod keys;
pub mod routes;

pub use db::{Db, DbError, LicenseRecord, NewLicense, Refusal};
pub use routes::{router, serve, ServerState};

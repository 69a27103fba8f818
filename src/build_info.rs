//! Facts about this build, set by build.rs; shown by `php --ri aisle` and `aisle-license --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const GIT_REVISION: &str = env!("AISLE_GIT_REVISION");
pub const PROFILE: &str = env!("AISLE_BUILD_PROFILE");
/// Capabilities compiled in; grows as domains land.
pub const FEATURES: &[&str] = &["vault", "license", "catalog", "search", "redact", "ai"];

//! The license database (SQLite). Every activation runs in a `BEGIN IMMEDIATE`
//! transaction: the write lock is taken before the seat count is read, so two
//! activations (threads or separate server processes) can never both see a
//! free last seat.
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use thiserror::Error;

use crate::license::site::is_development_host;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS licenses (
    id           TEXT PRIMARY KEY,
    license_key  TEXT NOT NULL UNIQUE,
    plan         TEXT NOT NULL,
    features     TEXT NOT NULL DEFAULT '[]',
    seats        INTEGER NOT NULL CHECK (seats >= 1),
    grace_days   INTEGER NOT NULL DEFAULT 14,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE TABLE IF NOT EXISTS activations (
    license_id   TEXT NOT NULL REFERENCES licenses(id),
    site         TEXT NOT NULL,
    activated_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    PRIMARY KEY (license_id, site)
);
";

#[derive(Debug, Error)]
pub enum DbError {
    #[error("license database {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("{0}")]
    Invalid(String),
}

/// Why an activation or deactivation is refused; `code()` is the wire reason.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("no license has this key")]
    UnknownKey,
    #[error("this license was revoked")]
    Revoked,
    #[error("this license expired; renew it to activate sites")]
    Expired,
    #[error("all {0} seats of this license are in use; deactivate a site first")]
    SeatsExhausted(u32),
    #[error("the license server's database failed")]
    Internal,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownKey => "unknown_key",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::SeatsExhausted(_) => "seats_exhausted",
            Self::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseRecord {
    pub id: String,
    pub license_key: String,
    pub plan: String,
    pub features: Vec<String>,
    pub seats: u32,
    pub grace_days: u32,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub sites: Vec<String>,
}

pub struct NewLicense {
    pub plan: String,
    pub features: Vec<String>,
    pub seats: u32,
    pub days: u32,
    pub grace_days: u32,
}

/// A database path; each operation opens its own connection, so the server
/// needs no lock of its own and several server processes may share the file.
#[derive(Debug, Clone)]
pub struct Db {
    path: PathBuf,
}

impl Db {
    /// Creates the schema if needed.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        let db = Self { path: path.to_owned() };
        let conn = db.connect()?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| db.err(e))?;
        conn.execute_batch(SCHEMA).map_err(|e| db.err(e))?;
        Ok(db)
    }

    fn err(&self, source: rusqlite::Error) -> DbError {
        DbError::Sqlite { path: self.path.display().to_string(), source }
    }

    fn connect(&self) -> Result<Connection, DbError> {
        let conn = Connection::open(&self.path).map_err(|e| self.err(e))?;
        // Writers queue behind BEGIN IMMEDIATE instead of failing with SQLITE_BUSY.
        conn.busy_timeout(Duration::from_secs(15)).map_err(|e| self.err(e))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| self.err(e))?;
        Ok(conn)
    }

    pub fn add(&self, new: &NewLicense, now: i64) -> Result<LicenseRecord, DbError> {
        if new.seats == 0 || new.days == 0 {
            return Err(DbError::Invalid("seats and days must be at least 1".into()));
        }
        if new.plan.is_empty() || new.plan.len() > 64 {
            return Err(DbError::Invalid("plan must be 1 to 64 bytes".into()));
        }
        if new.features.iter().any(|f| f.is_empty() || f.len() > 64) || new.features.len() > 64 {
            return Err(DbError::Invalid("features must be at most 64 names of 1 to 64 bytes".into()));
        }
        if new.grace_days > crate::license::token::MAX_GRACE_DAYS {
            return Err(DbError::Invalid("grace days must be at most 365".into()));
        }
        let mut id = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut id);
        let id: String = std::iter::once("lic_".to_owned()).chain(id.iter().map(|b| format!("{b:02x}"))).collect();
        let key = crate::license::license_key::generate();
        let expires_at = now + i64::from(new.days) * 86_400;
        let features = serde_json::to_string(&new.features).map_err(|e| DbError::Invalid(e.to_string()))?;
        let conn = self.connect()?;
        conn.execute(
            "INSERT INTO licenses (id, license_key, plan, features, seats, grace_days, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, key, new.plan, features, new.seats, new.grace_days, now, expires_at],
        )
        .map_err(|e| self.err(e))?;
        self.find(&conn, &key)?.ok_or_else(|| DbError::Invalid("the new license vanished".into()))
    }

    fn find(&self, conn: &Connection, key: &str) -> Result<Option<LicenseRecord>, DbError> {
        let row = conn
            .query_row(
                "SELECT id, license_key, plan, features, seats, grace_days, created_at, expires_at, revoked_at
                 FROM licenses WHERE license_key = ?1",
                [key],
                |r| {
                    Ok(LicenseRecord {
                        id: r.get(0)?,
                        license_key: r.get(1)?,
                        plan: r.get(2)?,
                        features: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                        seats: r.get(4)?,
                        grace_days: r.get(5)?,
                        created_at: r.get(6)?,
                        expires_at: r.get(7)?,
                        revoked_at: r.get(8)?,
                        sites: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(mut record) = row else { return Ok(None) };
        let mut stmt = conn
            .prepare("SELECT site FROM activations WHERE license_id = ?1 ORDER BY activated_at, site")
            .map_err(|e| self.err(e))?;
        record.sites = stmt
            .query_map([&record.id], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(Some(record))
    }

    pub fn get(&self, key: &str) -> Result<Option<LicenseRecord>, DbError> {
        self.find(&self.connect()?, key)
    }

    pub fn list(&self) -> Result<Vec<LicenseRecord>, DbError> {
        let conn = self.connect()?;
        let mut stmt = conn
            .prepare("SELECT license_key FROM licenses ORDER BY created_at, id")
            .map_err(|e| self.err(e))?;
        let keys: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        drop(stmt);
        keys.iter().filter_map(|k| self.find(&conn, k).transpose()).collect()
    }

    /// Revokes a license: no new activation, no token refresh. `false` if unknown.
    pub fn revoke(&self, key: &str, now: i64) -> Result<bool, DbError> {
        let conn = self.connect()?;
        let n = conn
            .execute(
                "UPDATE licenses SET revoked_at = COALESCE(revoked_at, ?2) WHERE license_key = ?1",
                params![key, now],
            )
            .map_err(|e| self.err(e))?;
        Ok(n == 1)
    }

    /// Moves the expiry (renewal, or a test making a license lapse).
    pub fn set_expiry(&self, key: &str, expires_at: i64) -> Result<bool, DbError> {
        let conn = self.connect()?;
        let n = conn
            .execute("UPDATE licenses SET expires_at = ?2 WHERE license_key = ?1", params![key, expires_at])
            .map_err(|e| self.err(e))?;
        Ok(n == 1)
    }

    /// Takes a seat for `site` (a normalized host), or re-uses the one it holds.
    /// Development hosts are served without taking a seat: the extension
    /// accepts them offline anyway.
    pub fn activate(&self, key: &str, site: &str, now: i64) -> Result<Result<LicenseRecord, Refusal>, DbError> {
        let mut conn = self.connect()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| self.err(e))?;
        let Some(record) = self.find(&tx, key)? else { return Ok(Err(Refusal::UnknownKey)) };
        if record.revoked_at.is_some() {
            return Ok(Err(Refusal::Revoked));
        }
        if record.expires_at <= now {
            return Ok(Err(Refusal::Expired));
        }
        if !is_development_host(site) {
            if record.sites.iter().any(|s| s == site) {
                tx.execute(
                    "UPDATE activations SET last_seen_at = ?3 WHERE license_id = ?1 AND site = ?2",
                    params![record.id, site, now],
                )
                .map_err(|e| self.err(e))?;
            } else {
                if record.sites.len() >= record.seats as usize {
                    return Ok(Err(Refusal::SeatsExhausted(record.seats)));
                }
                tx.execute(
                    "INSERT INTO activations (license_id, site, activated_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
                    params![record.id, site, now],
                )
                .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(self.find(&conn, key)?.ok_or(Refusal::Internal))
    }

    /// Frees the seat `site` holds. `Ok(Ok(false))` when it held none.
    pub fn deactivate(&self, key: &str, site: &str) -> Result<Result<bool, Refusal>, DbError> {
        let mut conn = self.connect()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| self.err(e))?;
        let Some(record) = self.find(&tx, key)? else { return Ok(Err(Refusal::UnknownKey)) };
        let n = tx
            .execute("DELETE FROM activations WHERE license_id = ?1 AND site = ?2", params![record.id, site])
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(Ok(n == 1))
    }
}

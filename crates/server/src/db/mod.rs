//! Storage: one code path over SQLite and PostgreSQL through sqlx's `Any` driver. Queries are
//! checked at run time (no database at build time) and use `$N` placeholders, which both
//! backends accept. All SQL lives under this module.

pub mod audit;
pub mod backup;
pub mod events;
pub mod identity;
pub mod jobs;
pub mod lifecycle;
pub mod limits;
mod pg_array;
pub mod policy;
pub mod portfolio;
pub mod rematch;
pub mod retention;
pub mod scans;
pub mod sessions;
pub mod sla;
pub mod types;
pub mod ui;
pub mod webhooks;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL `{0}`: use `sqlite://PATH` or `postgres://…`")]
    UnsupportedUrl(String),
    /// Connecting failed.
    #[error("cannot open the database: {0}")]
    Connect(sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Query(sqlx::Error),
    /// A named row is missing or a value is invalid.
    #[error("{0}")]
    Invalid(String),
    /// A stored text names no value of its enum.
    #[error("the database holds an {0}")]
    UnknownValue(#[from] types::UnknownValue),
    /// A value could not be written as JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An `Idempotency-Key` was used before with a different request.
    #[error("the idempotency key was already used with a different request")]
    IdempotencyConflict,
}

/// A column that did not decode because its text names no value is an
/// [`DbError::UnknownValue`]; any other error stays a query error.
impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::ColumnDecode { index, source } => {
                match source.downcast::<types::UnknownValue>() {
                    Ok(unknown) => DbError::UnknownValue(*unknown),
                    Err(source) => DbError::Query(sqlx::Error::ColumnDecode { index, source }),
                }
            }
            other => DbError::Query(other),
        }
    }
}

/// The pool, and for SQLite a gate that lets one writer in at a time (SQLite has a single
/// writer anyway; queueing here avoids `database is locked` when a read transaction upgrades).
#[derive(Debug, Clone)]
pub struct Db {
    /// The connection pool.
    pub pool: AnyPool,
    /// Which backend the pool talks to.
    pub backend: Backend,
    write_gate: Arc<tokio::sync::Mutex<()>>,
}

/// Held while a write transaction runs (a no-op on PostgreSQL).
pub struct WriteGuard<'a>(#[allow(dead_code)] Option<tokio::sync::MutexGuard<'a, ()>>);

impl Db {
    /// Opens (creating a SQLite file if needed) the database at `url`.
    pub async fn connect(url: &str, pool_size: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalise_url(url)?;
        let options: AnyConnectOptions = url.parse().map_err(DbError::Connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(pool_size.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                             PRAGMA cache_size = -65536;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Db {
            pool,
            backend,
            write_gate: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// Applies every migration not applied yet (forward only), then hashes the audit rows
    /// written before the audit chain existed (once; see [`audit::seal`]).
    pub async fn migrate(&self) -> Result<(), DbError> {
        let source = match self.backend {
            Backend::Sqlite => Embedded(SQLITE_MIGRATIONS),
            Backend::Postgres => Embedded(POSTGRES_MIGRATIONS),
        };
        let migrator = Migrator::new(source).await.map_err(DbError::Migrate)?;
        migrator.run(&self.pool).await.map_err(DbError::Migrate)?;
        // Rows written before the audit chain existed get their hashes once.
        let sealed = audit::seal(self).await?;
        if sealed > 0 {
            tracing::info!(
                rows = sealed,
                "audit rows written before the chain were hashed"
            );
        }
        Ok(())
    }

    /// The highest migration applied, or `None` when the database was never migrated.
    pub async fn schema_version(&self) -> Result<Option<i64>, DbError> {
        let applied: Option<i64> =
            match sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await
            {
                Ok(v) => v,
                // No migrations table: never migrated.
                Err(sqlx::Error::Database(_)) => None,
                Err(e) => return Err(e.into()),
            };
        Ok(applied)
    }

    /// Waits for the right to write (SQLite only).
    pub async fn write_gate(&self) -> WriteGuard<'_> {
        match self.backend {
            Backend::Sqlite => WriteGuard(Some(self.write_gate.lock().await)),
            Backend::Postgres => WriteGuard(None),
        }
    }

    /// Connections open, and how many of them are idle.
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> Result<Backend, DbError> {
        normalise_url(url).map(|(b, _)| b)
    }

    /// Its name in manifests and messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The highest schema version (migration number) this binary knows.
pub fn latest_schema_version() -> i64 {
    SQLITE_MIGRATIONS
        .iter()
        .chain(POSTGRES_MIGRATIONS)
        .map(|(v, _, _)| *v)
        .max()
        .unwrap_or(0)
}

/// `sqlite:` URLs get `mode=rwc` so the file is created on first start; a bare path is taken as
/// a SQLite file.
fn normalise_url(url: &str) -> Result<(Backend, String), DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    let url = if url.starts_with("sqlite:") {
        url.to_owned()
    } else if !url.contains("://") {
        format!("sqlite://{url}")
    } else {
        return Err(DbError::UnsupportedUrl(url.to_owned()));
    };
    let url = if url.contains("mode=") || url.contains(":memory:") {
        url
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    Ok((Backend::Sqlite, url))
}

type Embedded0 = &'static [(i64, &'static str, &'static str)];

const SQLITE_MIGRATIONS: Embedded0 = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "lifecycle webhooks sessions",
        include_str!("../../migrations/sqlite/0002_lifecycle_webhooks_sessions.sql"),
    ),
    (
        3,
        "finding ids by scan",
        include_str!("../../migrations/sqlite/0003_finding_ids_by_scan.sql"),
    ),
    (
        4,
        "uploads",
        include_str!("../../migrations/sqlite/0004_uploads.sql"),
    ),
    (
        5,
        "triage events",
        include_str!("../../migrations/sqlite/0005_triage_events.sql"),
    ),
    (
        6,
        "audit chain",
        include_str!("../../migrations/sqlite/0006_audit_chain.sql"),
    ),
    (
        7,
        "jobs and limits",
        include_str!("../../migrations/sqlite/0007_jobs_and_limits.sql"),
    ),
    (
        8,
        "team policies",
        include_str!("../../migrations/sqlite/0008_team_policies.sql"),
    ),
];
const POSTGRES_MIGRATIONS: Embedded0 = &[
    (
        1,
        "init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "lifecycle webhooks sessions",
        include_str!("../../migrations/postgres/0002_lifecycle_webhooks_sessions.sql"),
    ),
    (
        3,
        "finding ids by scan",
        include_str!("../../migrations/postgres/0003_finding_ids_by_scan.sql"),
    ),
    (
        4,
        "uploads",
        include_str!("../../migrations/postgres/0004_uploads.sql"),
    ),
    (
        5,
        "triage events",
        include_str!("../../migrations/postgres/0005_triage_events.sql"),
    ),
    (
        6,
        "audit chain",
        include_str!("../../migrations/postgres/0006_audit_chain.sql"),
    ),
    (
        7,
        "jobs and limits",
        include_str!("../../migrations/postgres/0007_jobs_and_limits.sql"),
    ),
    (
        8,
        "team policies",
        include_str!("../../migrations/postgres/0008_team_policies.sql"),
    ),
];

/// Migrations compiled into the binary, so the server needs no files beside it.
#[derive(Debug)]
struct Embedded(Embedded0);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> futures_core::future::BoxFuture<'s, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The current time as RFC 3339 UTC with milliseconds; stored as text so it sorts and reads the
/// same on both backends.
pub fn now() -> String {
    rfc3339(std::time::SystemTime::now())
}

/// A time as stored: RFC 3339 UTC with milliseconds (see [`now`]).
pub fn rfc3339(t: std::time::SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

/// Rows per multi-row statement: with at most 11 parameters a row, well under both backends'
/// bind-parameter limits.
pub(crate) const BATCH: usize = 500;

/// `(…), (…)` for `rows` rows of `cols` parameters numbered from `first`. SQLite gets
/// anonymous `?` (the driver looks numbered ones up by name, which is quadratic in a long
/// statement).
pub(crate) fn placeholders(backend: Backend, cols: usize, rows: usize, first: usize) -> String {
    let mut sql = String::with_capacity(rows * cols * 6);
    let mut n = first;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// Whether an error is a uniqueness violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.code().as_deref() == Some("23505")
                || d.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(placeholders(Backend::Postgres, 2, 2, 3), "($3,$4),($5,$6)");
        assert_eq!(placeholders(Backend::Sqlite, 2, 1, 3), "(?,?)");
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        let (b, u) = normalise_url("sqlite://x.db").unwrap_or((Backend::Postgres, String::new()));
        assert_eq!(b, Backend::Sqlite);
        assert_eq!(u, "sqlite://x.db?mode=rwc");
        let (_, u) = normalise_url("data/x.db").unwrap_or((Backend::Postgres, String::new()));
        assert_eq!(u, "sqlite://data/x.db?mode=rwc");
        assert!(normalise_url("mysql://x").is_err());
    }
}

//! `trusca server backup` and `restore`: a directory `trusca-backup-<UTC time>/` holding the
//! compressed database dump and a [`Manifest`] (schema version, files with size and SHA-256,
//! row counts). Restore checks all of it before it touches the database, refuses a backup of a
//! newer schema, and migrates an older one forward after restoring it.

pub mod manifest;
pub mod postgres;
pub mod prune;
pub mod schedule;
pub mod sqlite;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use manifest::Manifest;

use crate::db::{audit, latest_schema_version, now, Backend, Db, DbError};

/// Backup directories are named `trusca-backup-<UTC time>`.
pub const DIR_PREFIX: &str = "trusca-backup-";

/// Why a backup or restore failed. Nothing carries the database password.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database could not be opened or queried.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Reading a SQLite file failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: std::io::Error,
    },
    /// `pg_dump` or `pg_restore` is not installed.
    #[error(
        "`{0}` was not found: install the PostgreSQL client tools (Debian: `apt-get install \
         postgresql-client`) in a version at least that of the server"
    )]
    ToolMissing(String),
    /// `pg_dump` or `pg_restore` failed.
    #[error("{tool} failed ({status}): {stderr}")]
    Tool {
        /// The tool.
        tool: String,
        /// Its exit status.
        status: String,
        /// Its standard error, password removed.
        stderr: String,
    },
    /// The manifest is missing, unreadable or inconsistent.
    #[error("not a usable backup: {0}")]
    Manifest(String),
    /// A file does not match the manifest, or the dump is damaged.
    #[error("the backup is damaged, nothing was restored: {0}")]
    Corrupt(String),
    /// The backup's schema is newer than this binary.
    #[error(
        "the backup has schema version {backup}, but this trusca knows schema versions up to \
         {known}: upgrade trusca to a release that knows schema version {backup}, then restore"
    )]
    NewerSchema {
        /// The backup's schema version.
        backup: i64,
        /// The newest this binary knows.
        known: i64,
    },
    /// The backup's audit log was changed out of band (its hash chain is broken).
    #[error(
        "the backup's audit log was changed out of band: {0}; nothing was restored (restore it \
         anyway with --accept-broken-audit-chain)"
    )]
    AuditChain(String),
    /// Anything else (wrong backend, no database, …).
    #[error("{0}")]
    Invalid(String),
}

impl BackupError {
    /// An I/O error on a path.
    pub fn io(path: &Path, source: std::io::Error) -> BackupError {
        BackupError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Db(DbError::Query(e))
    }
}

/// A live database's schema version (`None`: never migrated) and rows per table.
pub type LiveState = (Option<i64>, BTreeMap<String, i64>);

/// What a backend's dump produced.
#[derive(Debug)]
pub struct Dumped {
    /// The dump file's name in the backup directory.
    pub file: String,
    /// Rows per table, in the dumped state.
    pub tables: BTreeMap<String, i64>,
    /// The highest migration applied.
    pub schema_version: i64,
    /// PostgreSQL: the dumped schema.
    pub pg_schema: Option<String>,
}

/// A finished backup.
#[derive(Debug)]
pub struct Created {
    /// Its directory.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

/// Backs up the database at `database_url` into a new directory under `out`. The work is done
/// in a hidden `.trusca-backup-….partial` directory renamed into place when the manifest is
/// written, so a backup interrupted half-way is never taken for one.
pub async fn create(
    database_url: &str,
    out: &Path,
    automatic: bool,
) -> Result<Created, BackupError> {
    let backend = Backend::of_url(database_url)?;
    std::fs::create_dir_all(out).map_err(|e| BackupError::io(out, e))?;
    let created_at = now();
    let name = format!("{DIR_PREFIX}{}", compact_time(&created_at));
    let work = out.join(format!(".{name}.partial-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&work).map_err(|e| BackupError::io(&work, e))?;
    let result = async {
        let dumped = match backend {
            Backend::Sqlite => {
                let path = sqlite::db_path(database_url)?;
                let work = work.clone();
                blocking("backup", move || sqlite::dump(&path, &work)).await?
            }
            Backend::Postgres => postgres::dump(database_url, &work).await?,
        };
        let entry = {
            let work = work.clone();
            let file = dumped.file.clone();
            blocking("backup", move || manifest::entry(&work, &file)).await?
        };
        let m = Manifest {
            format_version: manifest::FORMAT_VERSION,
            created_at: created_at.clone(),
            backend: backend.name().to_owned(),
            schema_version: dumped.schema_version,
            trusca_version: env!("CARGO_PKG_VERSION").to_owned(),
            files: vec![entry],
            tables: dumped.tables,
            automatic,
            pg_schema: dumped.pg_schema,
        };
        let (work, out, name) = (work.clone(), out.to_path_buf(), name.clone());
        blocking("backup", move || {
            m.write(&work)?;
            let dir = free_name(&out, &name);
            std::fs::rename(&work, &dir).map_err(|e| BackupError::io(&dir, e))?;
            Ok(Created { dir, manifest: m })
        })
        .await
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&work);
    }
    result
}

/// `2024-05-01T12:00:00.123Z` → `20240501T120000Z`.
fn compact_time(rfc3339: &str) -> String {
    let secs = rfc3339.split('.').next().unwrap_or(rfc3339);
    let mut s: String = secs.chars().filter(|c| *c != '-' && *c != ':').collect();
    if !s.ends_with('Z') {
        s.push('Z');
    }
    s
}

/// `out/name`, or `out/name-2`, `-3`, … if taken (two backups in one second).
fn free_name(out: &Path, name: &str) -> PathBuf {
    let mut dir = out.join(name);
    let mut n = 2;
    while dir.exists() {
        dir = out.join(format!("{name}-{n}"));
        n += 1;
    }
    dir
}

/// The state of the database a restore would replace.
#[derive(Debug)]
struct Current {
    where_: String,
    state: Option<LiveState>,
}

async fn current(database_url: &str, backend: Backend) -> Result<Current, BackupError> {
    Ok(match backend {
        Backend::Sqlite => {
            let path = sqlite::db_path(database_url)?;
            let where_ = format!("SQLite file {}", path.display());
            let state = blocking("restore", move || sqlite::current(&path)).await?;
            Current { where_, state }
        }
        Backend::Postgres => {
            let target = postgres::Target::parse(database_url)?;
            let (schema, state) = postgres::current(database_url).await?;
            Current {
                where_: format!("PostgreSQL {}, schema `{schema}`", target.describe()),
                state,
            }
        }
    })
}

/// Restores the backup in `dir` into the database at `database_url`. Without `confirm` it only
/// checks the backup and describes what it would do. Returns the text to print. A backup whose
/// audit log's hash chain is broken is refused (see [`restore_with`]).
///
/// The server must not be running against that database meanwhile.
pub async fn restore(database_url: &str, dir: &Path, confirm: bool) -> Result<String, BackupError> {
    restore_with(
        database_url,
        dir,
        Restore {
            confirm,
            accept_broken_chain: false,
        },
    )
    .await
}

/// How to restore.
#[derive(Debug, Clone, Copy, Default)]
pub struct Restore {
    /// Really replace the data (else only check and describe).
    pub confirm: bool,
    /// Restore a backup whose audit log's hash chain is broken, saying so loudly, instead of
    /// refusing it.
    pub accept_broken_chain: bool,
}

/// [`restore`], with the choice to accept a broken audit chain. The chain of the restored data
/// is verified before it replaces anything (a backup older than the chain has none; its rows are
/// hashed by the migration that follows).
pub async fn restore_with(
    database_url: &str,
    dir: &Path,
    how: Restore,
) -> Result<String, BackupError> {
    let confirm = how.confirm;
    let m = Manifest::read(dir)?;
    let backend = Backend::of_url(database_url)?;
    if m.backend != backend.name() {
        return Err(BackupError::Invalid(format!(
            "this is a {} backup; the target database is {}: restore it into a {} database",
            m.backend,
            backend.name(),
            m.backend
        )));
    }
    let known = latest_schema_version();
    if m.schema_version > known {
        return Err(BackupError::NewerSchema {
            backup: m.schema_version,
            known,
        });
    }
    {
        let m = m.clone();
        let dir = dir.to_path_buf();
        blocking("restore", move || m.verify(&dir)).await?;
    }
    let cur = current(database_url, backend).await?;
    let mut text = describe(dir, &m, known, &cur);
    if !confirm {
        text.push_str("\nNothing was changed. Stop the server, then run again with --confirm.");
        return Ok(text);
    }
    let chain = match backend {
        Backend::Sqlite => {
            let path = sqlite::db_path(database_url)?;
            let (m2, dir2) = (m.clone(), dir.to_path_buf());
            let accept = how.accept_broken_chain;
            blocking("restore", move || {
                sqlite::restore(&path, &dir2, &m2, accept)
            })
            .await?
        }
        Backend::Postgres => {
            postgres::restore(database_url, dir, &m, how.accept_broken_chain).await?
        }
    };
    let broken = chain.and_then(|r| r.broken).map(|b| b.to_string());
    let db = Db::connect(database_url, 1).await?;
    let migrated = db.migrate().await;
    let recorded = match migrated {
        Ok(()) => record_restore(&db, dir, &m, broken.as_deref()).await,
        Err(e) => Err(e),
    };
    db.pool.close().await;
    recorded?;
    let _ = writeln!(text, "\nRestored.");
    if let Some(b) = &broken {
        let _ = writeln!(
            text,
            "WARNING: THE RESTORED AUDIT LOG WAS CHANGED OUT OF BAND: {b}. It was restored as \
             it is because of --accept-broken-audit-chain; `trusca server audit verify` will \
             keep reporting it."
        );
    }
    if m.schema_version < known {
        let _ = writeln!(
            text,
            "The backup had schema version {}; migrations {}..={known} were applied after \
             restoring it.",
            m.schema_version,
            m.schema_version + 1
        );
    }
    Ok(text.trim_end().to_owned())
}

/// Appends `backup.restore` to the restored audit log: the restore replaced the log with the
/// backup's, and this row says when that happened, from which backup, and whether that log's
/// chain was broken.
async fn record_restore(
    db: &Db,
    dir: &Path,
    m: &Manifest,
    broken_chain: Option<&str>,
) -> Result<(), DbError> {
    let mut conn = db.pool.acquire().await.map_err(DbError::Query)?;
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let detail = serde_json::json!({
        "taken_at": m.created_at,
        "schema_version": m.schema_version,
        "trusca_version": m.trusca_version,
        "automatic": m.automatic,
    });
    let mut detail = detail;
    if let Some(b) = broken_chain {
        detail["audit_chain_broken"] = serde_json::Value::from(b);
    }
    audit::audit(
        &mut conn,
        &audit::Audit {
            actor: "cli",
            action: "backup.restore",
            target: &format!("backup:{name}"),
            team_id: None,
            request_id: None,
            detail: Some(detail.to_string()),
        },
    )
    .await
    .map(|_| ())
    .map_err(DbError::Query)
}

/// Runs blocking file work (`what`: "backup" or "restore") off the async runtime.
async fn blocking<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BackupError::Invalid(format!("the {what} task failed: {e}")))?
}

/// The dry run's account: what the backup holds and what it would replace.
fn describe(dir: &Path, m: &Manifest, known: i64, cur: &Current) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "Backup:    {}", dir.display());
    let _ = writeln!(
        t,
        "Taken:     {} by trusca {}{}",
        m.created_at,
        m.trusca_version,
        if m.automatic { " (automatic)" } else { "" }
    );
    let _ = writeln!(t, "Backend:   {}", m.backend);
    let schema = if m.schema_version < known {
        format!(
            "{} (older than this trusca's {known}: migrated forward after the restore)",
            m.schema_version
        )
    } else {
        m.schema_version.to_string()
    };
    let _ = writeln!(t, "Schema:    {schema}");
    let bytes = m.total_bytes();
    let _ = writeln!(
        t,
        "Files:     {} ({bytes} bytes), sizes and SHA-256 verified",
        m.files.len()
    );
    let _ = writeln!(t, "Target:    {}", cur.where_);
    match &cur.state {
        None => {
            let _ = writeln!(t, "Replaces:  nothing (no database there yet)");
        }
        Some((version, _)) => {
            let v = version.map_or("none".to_owned(), |v| v.to_string());
            let _ = writeln!(
                t,
                "Replaces:  all of its data (schema version {v}); rows now → rows in the backup:"
            );
        }
    }
    let now = cur.state.as_ref().map(|(_, c)| c);
    let mut names: Vec<&String> = m.tables.keys().collect();
    if let Some(now) = now {
        names.extend(now.keys().filter(|k| !m.tables.contains_key(*k)));
    }
    names.sort();
    for name in names {
        let backup = m.tables.get(name).map_or("-".to_owned(), i64::to_string);
        let live = now
            .and_then(|c| c.get(name))
            .map_or("-".to_owned(), i64::to_string);
        let _ = writeln!(t, "  {name:<24} {live:>10} → {backup}");
    }
    t.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_names_are_compact_utc() {
        assert_eq!(compact_time("2024-05-01T12:00:00.123Z"), "20240501T120000Z");
        assert_eq!(compact_time("2024-05-01T12:00:00Z"), "20240501T120000Z");
    }
}

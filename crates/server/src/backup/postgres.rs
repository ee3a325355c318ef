//! PostgreSQL: `pg_dump --format=custom` of the schema the URL's search path points at, taken in
//! the snapshot the row counts were read in; and a restore that keeps the old data until the
//! new one is complete.
//!
//! The connection is handed to `pg_dump`/`pg_restore` through `PG*` environment variables, never
//! on their command line, so the password shows up neither in the process list nor in logs.

use std::path::Path;
use std::process::Stdio;

use sqlx::Connection;

use super::{BackupError, Dumped, LiveState, Manifest};
use crate::chain::Report;
use crate::db::audit;
use crate::db::backup::{
    change_schemas, current_schema, export_snapshot, quote_ident, row_counts, schema_exists,
    schema_version, SchemaChange, AUDIT_CHAIN_VERSION,
};
use crate::db::{Backend, Db};

/// The dump inside a backup (custom format, compressed by `pg_dump`).
pub const DUMP_FILE: &str = "trusca.pgdump";

/// Where a `postgres://` URL points, as libpq environment variables.
#[derive(Debug, Clone, Default)]
pub struct Target {
    env: Vec<(&'static str, String)>,
    password: Option<String>,
    database: String,
    shown: String,
}

impl Target {
    /// Reads a `postgres://user:password@host:port/db?…` URL.
    pub fn parse(url: &str) -> Result<Target, BackupError> {
        let u = url::Url::parse(url)
            .map_err(|e| BackupError::Invalid(format!("cannot read the database URL: {e}")))?;
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let mut t = Target::default();
        let mut host = u
            .host_str()
            .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_owned());
        let mut port = u.port().map(|p| p.to_string());
        let mut user = (!u.username().is_empty()).then(|| decode(u.username()));
        t.password = u.password().map(decode);
        t.database = decode(u.path().trim_start_matches('/'));
        for (k, v) in u.query_pairs() {
            let v = v.into_owned();
            match k.as_ref() {
                "host" => host = Some(v),
                "port" => port = Some(v),
                "user" => user = Some(v),
                "password" => t.password = Some(v),
                "dbname" => t.database = v,
                "sslmode" => t.env.push(("PGSSLMODE", v)),
                "sslrootcert" => t.env.push(("PGSSLROOTCERT", v)),
                "sslcert" => t.env.push(("PGSSLCERT", v)),
                "sslkey" => t.env.push(("PGSSLKEY", v)),
                _ => {}
            }
        }
        t.shown = format!(
            "database `{}` on {}:{}",
            if t.database.is_empty() {
                "(default)"
            } else {
                &t.database
            },
            host.as_deref().unwrap_or("localhost"),
            port.as_deref().unwrap_or("5432")
        );
        if let Some(h) = host {
            t.env.push(("PGHOST", h));
        }
        if let Some(p) = port {
            t.env.push(("PGPORT", p));
        }
        if let Some(u) = user {
            t.env.push(("PGUSER", u));
        }
        if let Some(p) = &t.password {
            t.env.push(("PGPASSWORD", p.clone()));
        }
        Ok(t)
    }

    /// `database `x` on host:port` (no user, no password).
    pub fn describe(&self) -> &str {
        &self.shown
    }

    /// `--dbname=` for the tools: a conninfo string naming only the database.
    fn dbname_arg(&self) -> Option<String> {
        (!self.database.is_empty()).then(|| {
            format!(
                "--dbname=dbname='{}'",
                self.database.replace('\\', "\\\\").replace('\'', "\\'")
            )
        })
    }

    /// Runs a PostgreSQL client tool; its standard error (without the password) is the error.
    async fn run(&self, tool: &str, args: &[String]) -> Result<(), BackupError> {
        let out = tokio::process::Command::new(tool)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("PGCONNECT_TIMEOUT", "30")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => BackupError::ToolMissing(tool.to_owned()),
                _ => BackupError::Invalid(format!("cannot run {tool}: {e}")),
            })?;
        if out.status.success() {
            return Ok(());
        }
        let mut stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        if let Some(p) = self.password.as_deref().filter(|p| !p.is_empty()) {
            stderr = stderr.replace(p, "***");
        }
        Err(BackupError::Tool {
            tool: tool.to_owned(),
            status: out.status.to_string(),
            stderr,
        })
    }
}

/// The schema the URL's connections resolve unqualified names in.
async fn target_schema(conn: &mut sqlx::AnyConnection) -> Result<String, BackupError> {
    current_schema(conn).await?.ok_or_else(|| {
        BackupError::Invalid(
            "the database URL's search_path names no existing schema: create it first".into(),
        )
    })
}

/// Dumps the target schema into `dir/DUMP_FILE`, with its row counts and schema version read in
/// the same snapshot.
pub async fn dump(url: &str, dir: &Path) -> Result<Dumped, BackupError> {
    let target = Target::parse(url)?;
    let db = Db::connect(url, 1).await?;
    let result = async {
        let mut tx = db.pool.begin().await?;
        let snapshot = export_snapshot(&mut tx).await?;
        let schema = target_schema(&mut tx).await?;
        let version = schema_version(&mut tx, Backend::Postgres, Some(&schema))
            .await?
            .ok_or_else(|| {
                BackupError::Invalid(format!(
                    "schema `{schema}` of {} is not a trusca database",
                    target.describe()
                ))
            })?;
        let tables = row_counts(&mut tx, Backend::Postgres, Some(&schema)).await?;
        let mut args = vec![
            "--format=custom".to_owned(),
            "--no-password".to_owned(),
            format!("--schema={}", quote_ident(&schema)),
            format!("--snapshot={snapshot}"),
            format!("--file={}", dir.join(DUMP_FILE).display()),
        ];
        args.extend(target.dbname_arg());
        target.run("pg_dump", &args).await?;
        tx.rollback().await?;
        Ok(Dumped {
            file: DUMP_FILE.to_owned(),
            tables,
            schema_version: version,
            pg_schema: Some(schema),
        })
    }
    .await;
    db.pool.close().await;
    result
}

/// What a restore would replace: the target schema, its schema version and row counts.
pub async fn current(url: &str) -> Result<(String, Option<LiveState>), BackupError> {
    let db = Db::connect(url, 1).await?;
    let result = async {
        let mut conn = db.pool.acquire().await?;
        let Some(schema) = current_schema(&mut conn).await? else {
            return Ok(("(none)".to_owned(), None));
        };
        let version = schema_version(&mut conn, Backend::Postgres, Some(&schema)).await?;
        let counts = row_counts(&mut conn, Backend::Postgres, Some(&schema)).await?;
        Ok((schema, Some((version, counts))))
    }
    .await;
    db.pool.close().await;
    result
}

/// Replaces the target schema with the backup's.
///
/// The dump recreates the schema it was taken from (`src`); the target (`tgt`) may have another
/// name. In one transaction the target is renamed aside (and a schema named `src`, if another
/// one exists, parked); `pg_restore --single-transaction` recreates `src`; its row counts are
/// checked against the manifest; then in one transaction `src` takes the target's name, the
/// parked schema gets its name back and the old data is dropped. If anything fails before that
/// last step, the renames are undone and the old data is as it was.
pub async fn restore(
    url: &str,
    backup_dir: &Path,
    manifest: &Manifest,
    accept_broken_chain: bool,
) -> Result<Option<Report>, BackupError> {
    let target = Target::parse(url)?;
    let src = manifest
        .pg_schema
        .clone()
        .ok_or_else(|| BackupError::Manifest("the manifest names no PostgreSQL schema".into()))?;
    let file = backup_dir.join(manifest.file(DUMP_FILE)?.name.as_str());
    let db = Db::connect(url, 1).await?;
    let mut conn = db.pool.acquire().await?.detach();
    db.pool.close().await;
    let tgt = target_schema(&mut conn).await?;
    let token = uuid::Uuid::new_v4().simple().to_string();
    let prev = format!("trusca_prev_{}", &token[..12]);
    let park = format!("trusca_park_{}", &token[..12]);
    let parked = src != tgt && schema_exists(&mut conn, &src).await?;

    let mut aside = vec![SchemaChange::Rename(tgt.clone(), prev.clone())];
    if parked {
        aside.push(SchemaChange::Rename(src.clone(), park.clone()));
    }
    // pg_dump does not recreate `public`; an empty schema to restore into covers it, and the
    // dump's `DROP SCHEMA IF EXISTS` replaces it for any other name.
    aside.push(SchemaChange::Create(src.clone()));
    change_schemas(&mut conn, &aside).await?;

    let restored = async {
        let mut args = vec![
            "--format=custom".to_owned(),
            "--clean".to_owned(),
            "--if-exists".to_owned(),
            "--no-owner".to_owned(),
            "--single-transaction".to_owned(),
            "--exit-on-error".to_owned(),
            "--no-password".to_owned(),
        ];
        args.extend(target.dbname_arg());
        args.push(file.display().to_string());
        target.run("pg_restore", &args).await?;
        let counts = row_counts(&mut conn, Backend::Postgres, Some(&src)).await?;
        if counts != manifest.tables {
            return Err(BackupError::Corrupt(
                "the restored row counts differ from the manifest".into(),
            ));
        }
        let mut chain = None;
        if manifest.schema_version >= AUDIT_CHAIN_VERSION {
            let table = |t: &str| format!("{}.{}", quote_ident(&src), quote_ident(t));
            let report =
                audit::verify_on(&mut conn, &table("audit_log"), &table("audit_chain")).await?;
            if let (Some(b), false) = (&report.broken, accept_broken_chain) {
                return Err(BackupError::AuditChain(b.to_string()));
            }
            chain = Some(report);
        }
        let mut swap = Vec::new();
        if src != tgt {
            swap.push(SchemaChange::Rename(src.clone(), tgt.clone()));
        }
        if parked {
            swap.push(SchemaChange::Rename(park.clone(), src.clone()));
        }
        swap.push(SchemaChange::Drop(prev.clone()));
        change_schemas(&mut conn, &swap).await?;
        Ok(chain)
    }
    .await;

    let chain = match restored {
        Ok(chain) => chain,
        Err(e) => {
            let e = undo(&mut conn, &src, &tgt, &prev, &park, parked, e).await;
            let _ = conn.close().await;
            return Err(e);
        }
    };
    let _ = conn.close().await;
    Ok(chain)
}

/// Puts the schemas back as they were after a restore failed with `e`: the half-restored one
/// dropped, the parked one and the target renamed back. Returns the error to report.
async fn undo(
    conn: &mut sqlx::AnyConnection,
    src: &str,
    tgt: &str,
    prev: &str,
    park: &str,
    parked: bool,
    e: BackupError,
) -> BackupError {
    let mut back = vec![SchemaChange::Drop(src.to_owned())];
    if parked {
        back.push(SchemaChange::Rename(park.to_owned(), src.to_owned()));
    }
    back.push(SchemaChange::Rename(prev.to_owned(), tgt.to_owned()));
    match change_schemas(conn, &back).await {
        Ok(()) => e,
        Err(undo) => BackupError::Invalid(format!(
            "{e}; undoing the restore failed too ({undo}): the previous data is in schema \
             `{prev}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_libpq_variables() {
        let t = Target::parse(
            "postgres://ana:s%40cret@db.example:6543/trusca?sslmode=require&options=-c%20search_path%3Dx",
        )
        .expect("parse");
        let get = |k: &str| t.env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("PGHOST"), Some("db.example"));
        assert_eq!(get("PGPORT"), Some("6543"));
        assert_eq!(get("PGUSER"), Some("ana"));
        assert_eq!(get("PGPASSWORD"), Some("s@cret"));
        assert_eq!(get("PGSSLMODE"), Some("require"));
        assert_eq!(t.database, "trusca");
        assert_eq!(t.describe(), "database `trusca` on db.example:6543");
        assert!(!t.describe().contains("cret"));
        assert_eq!(t.dbname_arg().as_deref(), Some("--dbname=dbname='trusca'"));
    }
}

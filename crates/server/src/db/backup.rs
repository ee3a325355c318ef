//! SQL for backup and restore: the table catalogue, row counts, the applied schema version, the
//! PostgreSQL snapshot a dump is taken in, and schema renames. The same questions are asked of
//! a SQLite backup file through rusqlite (the `file_*` functions), which copies it with the
//! online backup API.

use std::collections::BTreeMap;

use sqlx::{AnyConnection, Row};

use super::Backend;
use crate::chain::{Report, StoredRow, Verifier};

/// The migrations table sqlx keeps; its highest successful version is the schema version.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

const SQLITE_TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table' \
     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
const POSTGRES_TABLES: &str = "SELECT table_name::text AS name FROM information_schema.tables \
     WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name";
const SCHEMA_VERSION: &str = "SELECT MAX(version) AS v FROM _sqlx_migrations WHERE success";

/// `name` as a double-quoted SQL identifier (both backends).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of the database (SQLite) or of `schema` (PostgreSQL), from the catalogue, so a
/// table added by a later migration is covered without a change here.
pub async fn tables(
    conn: &mut AnyConnection,
    backend: Backend,
    schema: Option<&str>,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = match backend {
        Backend::Sqlite => sqlx::query(SQLITE_TABLES).fetch_all(&mut *conn).await?,
        Backend::Postgres => {
            sqlx::query(POSTGRES_TABLES)
                .bind(schema.unwrap_or("public"))
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect()
}

/// Rows in each table (of `schema`, on PostgreSQL).
pub async fn row_counts(
    conn: &mut AnyConnection,
    backend: Backend,
    schema: Option<&str>,
) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    let mut out = BTreeMap::new();
    for table in tables(conn, backend, schema).await? {
        let qualified = match (backend, schema) {
            (Backend::Postgres, Some(s)) => format!("{}.{}", quote_ident(s), quote_ident(&table)),
            _ => quote_ident(&table),
        };
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {qualified}"))
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        out.insert(table, n);
    }
    Ok(out)
}

/// The highest migration applied, or `None` for a database never migrated.
pub async fn schema_version(
    conn: &mut AnyConnection,
    backend: Backend,
    schema: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    if !tables(conn, backend, schema)
        .await?
        .iter()
        .any(|t| t == MIGRATIONS_TABLE)
    {
        return Ok(None);
    }
    let sql = match (backend, schema) {
        (Backend::Postgres, Some(s)) => SCHEMA_VERSION.replace(
            MIGRATIONS_TABLE,
            &format!("{}.{MIGRATIONS_TABLE}", quote_ident(s)),
        ),
        _ => SCHEMA_VERSION.to_owned(),
    };
    sqlx::query(&sql)
        .fetch_one(&mut *conn)
        .await?
        .try_get::<Option<i64>, _>("v")
}

/// The schema unqualified names resolve to (the first of the search path that exists), on
/// PostgreSQL.
pub async fn current_schema(conn: &mut AnyConnection) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT current_schema()::text AS s")
        .fetch_one(conn)
        .await?
        .try_get("s")
}

/// Whether a schema of that name exists (PostgreSQL).
pub async fn schema_exists(conn: &mut AnyConnection, name: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM pg_catalog.pg_namespace WHERE nspname = $1")
            .bind(name)
            .fetch_one(conn)
            .await?
            .try_get("n")?;
    Ok(n > 0)
}

/// Makes the open transaction a read-only repeatable-read snapshot and exports it, so that
/// `pg_dump --snapshot` sees exactly what this transaction counts. Call it first in the
/// transaction.
pub async fn export_snapshot(conn: &mut AnyConnection) -> Result<String, sqlx::Error> {
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_export_snapshot() AS s")
        .fetch_one(conn)
        .await?
        .try_get("s")
}

/// One step of a schema swap.
#[derive(Debug, Clone)]
pub enum SchemaChange {
    /// `ALTER SCHEMA from RENAME TO to`.
    Rename(String, String),
    /// `CREATE SCHEMA name` (empty).
    Create(String),
    /// `DROP SCHEMA IF EXISTS name CASCADE`.
    Drop(String),
}

/// Applies schema changes in one transaction (PostgreSQL DDL is transactional): all or none.
pub async fn change_schemas(
    conn: &mut AnyConnection,
    changes: &[SchemaChange],
) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut tx = conn.begin().await?;
    for change in changes {
        let sql = match change {
            SchemaChange::Rename(from, to) => format!(
                "ALTER SCHEMA {} RENAME TO {}",
                quote_ident(from),
                quote_ident(to)
            ),
            SchemaChange::Create(name) => format!("CREATE SCHEMA {}", quote_ident(name)),
            SchemaChange::Drop(name) => {
                format!("DROP SCHEMA IF EXISTS {} CASCADE", quote_ident(name))
            }
        };
        sqlx::query(&sql).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// `PRAGMA integrity_check` of a SQLite file: `Ok(())` when it says `ok`, else its findings.
pub fn file_integrity(conn: &rusqlite::Connection) -> Result<Result<(), String>, rusqlite::Error> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if lines.len() == 1 && lines[0] == "ok" {
        Ok(())
    } else {
        Err(lines.join("; "))
    })
}

/// Rows in each table of a SQLite file, from its catalogue.
pub fn file_row_counts(
    conn: &rusqlite::Connection,
) -> Result<BTreeMap<String, i64>, rusqlite::Error> {
    let tables = {
        let mut stmt = conn.prepare(SQLITE_TABLES)?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        names
    };
    let mut out = BTreeMap::new();
    for table in tables {
        let n: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM {}", quote_ident(&table)),
            [],
            |r| r.get(0),
        )?;
        out.insert(table, n);
    }
    Ok(out)
}

/// The highest migration applied to a SQLite file, or `None` if it was never migrated.
pub fn file_schema_version(conn: &rusqlite::Connection) -> Result<Option<i64>, rusqlite::Error> {
    let has: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [MIGRATIONS_TABLE],
        |r| r.get(0),
    )?;
    if has == 0 {
        return Ok(None);
    }
    conn.query_row(SCHEMA_VERSION, [], |r| r.get(0))
}

/// Leaves a SQLite file in rollback-journal mode, so that it is one self-contained file (the
/// server switches it back to WAL when it opens it).
pub fn file_journal_delete(conn: &rusqlite::Connection) -> Result<(), rusqlite::Error> {
    conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })
    .map(|_| ())
}

/// The schema version that added the audit log's hash chain; older databases have none.
pub const AUDIT_CHAIN_VERSION: i64 = 6;

/// Walks the audit log's hash chain in a SQLite file (see [`crate::chain`]).
pub fn file_audit_report(conn: &rusqlite::Connection) -> Result<Report, rusqlite::Error> {
    let checkpoint: Option<(i64, String)> = conn
        .query_row(
            "SELECT checkpoint_id, checkpoint_hash FROM audit_chain WHERE id = 1",
            [],
            |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<String>>(1)?)),
        )
        .map(|(id, hash)| id.zip(hash))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, target, team_id, request_id, detail, prev_hash, hash \
         FROM audit_log ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredRow {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            team_id: r.get(5)?,
            request_id: r.get(6)?,
            detail: r.get(7)?,
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
        })
    })?;
    let mut v = Verifier::new(checkpoint);
    for row in rows {
        if let Err(b) = v.push(&row?) {
            return Ok(v.broken(b));
        }
    }
    Ok(v.finish())
}

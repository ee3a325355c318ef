//! The audit log: appending a row to its hash chain ([`crate::chain`]), sealing the rows written
//! before the chain existed, moving the checkpoint, and verifying the whole log.
//!
//! Appends are serialised so that the chain never forks: on PostgreSQL each one locks the row of
//! `audit_chain` (`SELECT … FOR UPDATE`) until its transaction ends, so appends from several
//! server instances queue there; on SQLite the write gate and SQLite's single writer do the
//! same. The previous hash is read after the lock is taken, from the newest row.

use sqlx::{AnyConnection, Connection, Row};

use super::{now, Backend, Db, DbError};
use crate::chain::{self, Entry, Report, StoredRow, Verifier};

/// One row to append to the audit log.
#[derive(Debug, Clone)]
pub struct Audit<'a> {
    /// Who did it (a username, or `cli` for server-side administration).
    pub actor: &'a str,
    /// What was done (`scan.upload`, `triage.set`, `key.create`, …).
    pub action: &'a str,
    /// What it was done to.
    pub target: &'a str,
    /// The team concerned, when there is one.
    pub team_id: Option<i64>,
    /// The request id, for API calls.
    pub request_id: Option<&'a str>,
    /// Extra context as JSON text (never secrets).
    pub detail: Option<String>,
}

/// Rows read per query while verifying or sealing.
const PAGE: i64 = 2000;

/// The columns a [`StoredRow`] is read from.
const ROW_COLUMNS: &str =
    "id, at, actor, action, target, team_id, request_id, detail, prev_hash, hash";

/// The backend a connection talks to.
fn backend_of(conn: &AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Takes the chain's lock for the rest of the transaction (PostgreSQL; SQLite writers are one
/// at a time already).
async fn lock(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if backend_of(conn) == Backend::Postgres {
        sqlx::query("SELECT id FROM audit_chain WHERE id = 1 FOR UPDATE")
            .fetch_optional(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The hash of the newest row, or [`chain::GENESIS`] for an empty log.
async fn last_hash(conn: &mut AnyConnection) -> Result<String, sqlx::Error> {
    let last: Option<Option<String>> =
        sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(last.flatten().unwrap_or_else(|| chain::GENESIS.to_owned()))
}

/// Appends an audit row to the chain and returns its id. Call it inside the transaction of the
/// write it records: the row and the write commit together, and the chain's lock is held until
/// then. On a connection outside a transaction it makes one of its own.
pub async fn audit(conn: &mut AnyConnection, a: &Audit<'_>) -> Result<i64, sqlx::Error> {
    // A savepoint inside the caller's transaction, or a transaction of its own.
    let mut tx = conn.begin().await?;
    lock(&mut tx).await?;
    if !sealed(&mut tx).await? {
        seal_in(&mut tx).await?;
    }
    let prev = last_hash(&mut tx).await?;
    let at = now();
    let entry = Entry {
        at: &at,
        actor: a.actor,
        action: a.action,
        target: a.target,
        team_id: a.team_id,
        request_id: a.request_id,
        detail: a.detail.as_deref(),
    };
    let hash = chain::hash(&entry, &prev);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor, action, target, team_id, request_id, detail, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&at)
    .bind(a.actor)
    .bind(a.action)
    .bind(a.target)
    .bind(a.team_id)
    .bind(a.request_id)
    .bind(a.detail.as_deref())
    .bind(&prev)
    .bind(&hash)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether the rows written before the chain have been hashed.
async fn sealed(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let at: Option<Option<String>> =
        sqlx::query_scalar("SELECT sealed_at FROM audit_chain WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(at.flatten().is_some())
}

/// Hashes, in id order, the rows written before the chain existed (ids up to
/// `audit_chain.legacy_upto`, as the migration found them), then marks the chain sealed; the
/// database lets these rows be given their hashes this once and never changed again. Returns
/// how many rows were hashed. The chain's lock must be held.
async fn seal_in(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    let upto: i64 = sqlx::query_scalar("SELECT legacy_upto FROM audit_chain WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let mut prev = chain::GENESIS.to_owned();
    let mut after = 0i64;
    let mut sealed = 0u64;
    loop {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3"
        );
        let rows: Vec<StoredRow> = sqlx::query_as(&sql)
            .bind(after)
            .bind(upto)
            .bind(PAGE)
            .fetch_all(&mut *conn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            if let Some(stored) = &row.hash {
                // Hashed already (an interrupted seal cannot leave this, but a row that has one
                // keeps it).
                prev.clone_from(stored);
                continue;
            }
            let hash = chain::hash(&row.entry(), &prev);
            sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
                .bind(&prev)
                .bind(&hash)
                .bind(row.id)
                .execute(&mut *conn)
                .await?;
            prev = hash;
            sealed += 1;
        }
    }
    sqlx::query("UPDATE audit_chain SET sealed_at = $1 WHERE id = 1")
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(sealed)
}

/// Hashes the rows written before the chain existed, once (see the migration that added the
/// chain); a no-op on a sealed log. Returns how many rows were hashed now.
pub async fn seal(db: &Db) -> Result<u64, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    lock(&mut tx).await?;
    if sealed(&mut tx).await? {
        return Ok(0);
    }
    let n = seal_in(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// Moves the checkpoint to the newest row: from then on, deleting that row or any before it is
/// found by [`verify`] even when the rest of the chain is intact. Returns the row.
pub async fn checkpoint(db: &Db) -> Result<Option<i64>, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    lock(&mut tx).await?;
    let newest = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let Some(newest) = newest else {
        return Ok(None);
    };
    let id: i64 = newest.try_get("id")?;
    let hash: Option<String> = newest.try_get("hash")?;
    let Some(hash) = hash else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE audit_chain SET checkpoint_id = $1, checkpoint_hash = $2, checkpoint_at = $3 \
         WHERE id = 1 AND (checkpoint_id IS NULL OR checkpoint_id < $1)",
    )
    .bind(id)
    .bind(&hash)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// The checkpoint (row id and hash), if one was taken. `table` is the chain table's name,
/// qualified where needed.
pub async fn checkpoint_of(
    conn: &mut AnyConnection,
    table: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let sql = format!("SELECT checkpoint_id, checkpoint_hash FROM {table} WHERE id = 1");
    let row = sqlx::query(&sql).fetch_optional(&mut *conn).await?;
    let Some(row) = row else { return Ok(None) };
    let id: Option<i64> = row.try_get("checkpoint_id")?;
    let hash: Option<String> = row.try_get("checkpoint_hash")?;
    Ok(id.zip(hash))
}

/// Walks the whole log (`table`, qualified where needed; its chain table is `chain_table`) and
/// reports the first break.
pub async fn verify_on(
    conn: &mut AnyConnection,
    table: &str,
    chain_table: &str,
) -> Result<Report, sqlx::Error> {
    let checkpoint = checkpoint_of(conn, chain_table).await?;
    let mut v = Verifier::new(checkpoint);
    let mut after = i64::MIN;
    loop {
        let sql = format!("SELECT {ROW_COLUMNS} FROM {table} WHERE id > $1 ORDER BY id LIMIT $2");
        let rows: Vec<StoredRow> = sqlx::query_as(&sql)
            .bind(after)
            .bind(PAGE)
            .fetch_all(&mut *conn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            if let Err(b) = v.push(row) {
                return Ok(v.broken(b));
            }
        }
    }
    Ok(v.finish())
}

/// Walks the whole audit log of the database and reports the first break.
pub async fn verify(db: &Db) -> Result<Report, DbError> {
    let mut conn = db.pool.acquire().await?;
    Ok(verify_on(&mut conn, "audit_log", "audit_chain").await?)
}

//! A team's policy kept on the server (`team_policies`: its `trusca.toml` text, validated by the
//! caller), and the exceptions of it found expired (`policy_expiries`), each audited once.

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::audit::{audit, Audit};
use super::{now, Db, DbError};

/// A team's stored policy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredPolicy {
    /// The `trusca.toml` text.
    pub config: String,
    /// Who set it.
    pub updated_by: String,
    /// When (RFC 3339).
    pub updated_at: String,
}

/// The policy team `team_id` keeps on the server, if any.
pub async fn get(db: &Db, team_id: i64) -> Result<Option<StoredPolicy>, DbError> {
    let row =
        sqlx::query("SELECT config, updated_by, updated_at FROM team_policies WHERE team_id = $1")
            .bind(team_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row
        .map(|r| {
            Ok::<_, sqlx::Error>(StoredPolicy {
                config: r.try_get("config")?,
                updated_by: r.try_get("updated_by")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .transpose()?)
}

/// What a change of policy is audited with: the text's size, digest and number of exceptions
/// (the text itself is in `team_policies`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// Bytes of the text.
    pub bytes: usize,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Its `[[exceptions]]`.
    pub exceptions: usize,
}

impl Change {
    /// The change to `text`, which has `exceptions` exceptions.
    pub fn of(text: &str, exceptions: usize) -> Change {
        Change {
            bytes: text.len(),
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
            exceptions,
        }
    }
}

/// Stores team `team_id`'s policy text (already validated) and audits it (`policy.set`).
pub async fn set(
    db: &Db,
    team_id: i64,
    config: &str,
    change: &Change,
    actor: &str,
    request_id: Option<&str>,
) -> Result<StoredPolicy, DbError> {
    let at = now();
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO team_policies (team_id, config, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (team_id) DO UPDATE SET config = excluded.config, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(team_id)
    .bind(config)
    .bind(actor)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "policy.set",
            target: "policy",
            team_id: Some(team_id),
            request_id,
            detail: Some(crate::json::text(change)?),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StoredPolicy {
        config: config.to_owned(),
        updated_by: actor.to_owned(),
        updated_at: at,
    })
}

/// An exception found expired.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Expired {
    /// The license or advisory id it names.
    pub id: String,
    /// The package it names, as written.
    pub package: String,
    /// Its last day (`YYYY-MM-DD`).
    pub expires: String,
    /// Its reason.
    pub reason: String,
}

/// Records the exceptions of team `team_id`'s policy found expired, in the transaction of the
/// upload that found them; each one not recorded before is audited as
/// `policy.exception_expired`. Returns how many were new.
pub async fn record_expired(
    conn: &mut AnyConnection,
    team_id: i64,
    expired: &[Expired],
    actor: &str,
    request_id: Option<&str>,
) -> Result<u64, DbError> {
    let mut new = 0;
    for e in expired {
        let done = sqlx::query(
            "INSERT INTO policy_expiries (team_id, exception_id, package, expires, recorded_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(team_id)
        .bind(&e.id)
        .bind(&e.package)
        .bind(&e.expires)
        .bind(now())
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            continue;
        }
        audit(
            conn,
            &Audit {
                actor,
                action: "policy.exception_expired",
                target: &format!("exception:{}/{}", e.id, e.package),
                team_id: Some(team_id),
                request_id,
                detail: Some(crate::json::text(e)?),
            },
        )
        .await?;
        new += 1;
    }
    Ok(new)
}

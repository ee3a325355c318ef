//! Forgetting what is kept only for a while: idempotency records past their retention, and web
//! sessions that expired (a user who never signs in again would otherwise leave them behind).

use std::time::{Duration, SystemTime};

use super::{Db, DbError};

/// What one [`sweep`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Idempotency records older than the retention.
    pub idempotency: u64,
    /// Expired sessions.
    pub sessions: u64,
}

/// Removes, as of `at`, the idempotency records older than `idempotency_for` and the sessions
/// that expired. A key used again after its record went is a new request.
pub async fn sweep(db: &Db, at: SystemTime, idempotency_for: Duration) -> Result<Swept, DbError> {
    let cutoff = super::rfc3339(
        at.checked_sub(idempotency_for)
            .unwrap_or(SystemTime::UNIX_EPOCH),
    );
    let _gate = db.write_gate().await;
    let idempotency = sqlx::query("DELETE FROM idempotency WHERE created_at < $1")
        .bind(&cutoff)
        .execute(&db.pool)
        .await?
        .rows_affected();
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(super::rfc3339(at))
        .execute(&db.pool)
        .await?
        .rows_affected();
    Ok(Swept {
        idempotency,
        sessions,
    })
}

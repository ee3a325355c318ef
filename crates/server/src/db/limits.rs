//! Failed authentications per client address, shared by every server on the database (the
//! `auth_failures` table): a window of [`WINDOW`] starts at a client's first failure, and the
//! client is refused once it failed `limit` times within it.

use std::time::{Duration, SystemTime};

use sqlx::Row;

use super::{rfc3339, Db, DbError};

/// The window of the failed-authentication limit.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Seconds until `client` may try again at `now`, when it has failed `limit` times within the
/// current window; `None` when it may try now.
pub async fn blocked(
    db: &Db,
    client: &str,
    limit: u32,
    now: SystemTime,
) -> Result<Option<u64>, DbError> {
    let row = sqlx::query("SELECT window_start, failures FROM auth_failures WHERE client = $1")
        .bind(client)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let failures: i64 = row.try_get("failures")?;
    let start: String = row.try_get("window_start")?;
    let Ok(start) = humantime::parse_rfc3339_weak(&start) else {
        return Ok(None);
    };
    let elapsed = now.duration_since(start).unwrap_or_default();
    if failures >= i64::from(limit) && elapsed < WINDOW {
        return Ok(Some((WINDOW - elapsed).as_secs().max(1)));
    }
    Ok(None)
}

/// Counts one failure of `client` at `now`: in its current window, or in a new one when the
/// last started [`WINDOW`] ago or more.
pub async fn record_failure(db: &Db, client: &str, now: SystemTime) -> Result<(), DbError> {
    let at = rfc3339(now);
    let expired = rfc3339(now.checked_sub(WINDOW).unwrap_or(SystemTime::UNIX_EPOCH));
    let _gate = db.write_gate().await;
    sqlx::query(
        "INSERT INTO auth_failures (client, window_start, failures) VALUES ($1, $2, 1) \
         ON CONFLICT (client) DO UPDATE SET \
         failures = CASE WHEN auth_failures.window_start <= $3 THEN 1 \
                         ELSE auth_failures.failures + 1 END, \
         window_start = CASE WHEN auth_failures.window_start <= $3 THEN excluded.window_start \
                             ELSE auth_failures.window_start END",
    )
    .bind(client)
    .bind(&at)
    .bind(&expired)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Forgets the windows that ended before `now`. Returns how many.
pub async fn sweep(db: &Db, now: SystemTime) -> Result<u64, DbError> {
    let expired = rfc3339(now.checked_sub(WINDOW).unwrap_or(SystemTime::UNIX_EPOCH));
    let _gate = db.write_gate().await;
    Ok(
        sqlx::query("DELETE FROM auth_failures WHERE window_start <= $1")
            .bind(expired)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

//! Leases on scheduled jobs (the `jobs` table), so that several servers on one database run
//! each job once per schedule: [`take`] is one conditional update that only one server can win,
//! [`renew`] keeps the lease while the job runs, [`finish`] sets the next due time and lets go.
//! Times are RFC 3339 UTC text, which compares as the times do.

use std::time::SystemTime;

use sqlx::Row;

use super::{rfc3339, Db, DbError};

/// Whether to take a job only when it is due, or whenever nobody holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// When `due_at` has passed (the schedule).
    Due,
    /// Now, unless another server holds it (someone asked for it); a job this holder holds
    /// already is taken again.
    Now,
}

/// Takes job `name` for `holder` until `until`, when it is free (never held, let go, or its
/// lease ran out) and, for [`When::Due`], due at `now`. A job seen for the first time is
/// created due at `first_due`. Returns whether `holder` got it.
pub async fn take(
    db: &Db,
    name: &str,
    holder: &str,
    now: SystemTime,
    until: SystemTime,
    first_due: SystemTime,
    when: When,
) -> Result<bool, DbError> {
    let now = rfc3339(now);
    let _gate = db.write_gate().await;
    sqlx::query("INSERT INTO jobs (name, due_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(rfc3339(first_due))
        .execute(&db.pool)
        .await?;
    let free = match when {
        When::Due => "(holder IS NULL OR lease_until < $3) AND due_at <= $3",
        When::Now => "(holder IS NULL OR lease_until < $3 OR holder = $1)",
    };
    let sql = format!(
        "UPDATE jobs SET holder = $1, lease_until = $2, last_started_at = $3 \
         WHERE name = $4 AND {free}"
    );
    let taken = sqlx::query(&sql)
        .bind(holder)
        .bind(rfc3339(until))
        .bind(&now)
        .bind(name)
        .execute(&db.pool)
        .await?
        .rows_affected();
    Ok(taken == 1)
}

/// Extends `holder`'s lease on `name` to `until`; false when it no longer holds it (its lease
/// ran out and another server took the job).
pub async fn renew(db: &Db, name: &str, holder: &str, until: SystemTime) -> Result<bool, DbError> {
    let _gate = db.write_gate().await;
    let renewed = sqlx::query("UPDATE jobs SET lease_until = $1 WHERE name = $2 AND holder = $3")
        .bind(rfc3339(until))
        .bind(name)
        .bind(holder)
        .execute(&db.pool)
        .await?
        .rows_affected();
    Ok(renewed == 1)
}

/// Lets go of `name` after a run that ended at `now` (with `error`, if it failed); the job is
/// next due at `next_due`. Nothing happens when `holder` no longer holds it.
pub async fn finish(
    db: &Db,
    name: &str,
    holder: &str,
    now: SystemTime,
    next_due: SystemTime,
    error: Option<&str>,
) -> Result<(), DbError> {
    let _gate = db.write_gate().await;
    sqlx::query(
        "UPDATE jobs SET holder = NULL, lease_until = NULL, due_at = $1, last_finished_at = $2, \
         last_error = $3 WHERE name = $4 AND holder = $5",
    )
    .bind(rfc3339(next_due))
    .bind(rfc3339(now))
    .bind(error)
    .bind(name)
    .bind(holder)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobState {
    /// When it is next due.
    pub due_at: String,
    /// Who holds it now.
    pub holder: Option<String>,
    /// When the last run started.
    pub last_started_at: Option<String>,
    /// When the last run finished.
    pub last_finished_at: Option<String>,
    /// Why the last run failed.
    pub last_error: Option<String>,
}

/// The state of job `name`, if it was ever scheduled.
pub async fn state(db: &Db, name: &str) -> Result<Option<JobState>, DbError> {
    let row = sqlx::query(
        "SELECT due_at, holder, last_started_at, last_finished_at, last_error FROM jobs \
         WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row
        .map(|r| {
            Ok::<_, sqlx::Error>(JobState {
                due_at: r.try_get("due_at")?,
                holder: r.try_get("holder")?,
                last_started_at: r.try_get("last_started_at")?,
                last_finished_at: r.try_get("last_finished_at")?,
                last_error: r.try_get("last_error")?,
            })
        })
        .transpose()?)
}

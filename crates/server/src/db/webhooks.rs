//! Webhooks of a team and their deliveries (the outbox that `events::enqueue` fills): admin
//! writes with their audit rows, listings, and the claim/record steps of the delivery worker.
//!
//! Several server instances may share one PostgreSQL database, so due deliveries are claimed by
//! a conditional UPDATE that pushes their `next_attempt_at` forward by a lease: a row another
//! instance claimed first is no longer due, and PostgreSQL re-checks the condition after
//! waiting for that instance's row lock, so only one instance gets it.

use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::{audit, Audit};
use super::{now, Db, DbError};

/// The event of a test delivery (`POST …/webhooks/{id}/test`); it cannot be subscribed to.
pub const PING: &str = "ping";
/// Attempts after which a delivery is given up (`failed`).
pub const MAX_ATTEMPTS: i64 = 8;

/// A webhook as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Webhook {
    /// Row id.
    pub id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The events it is subscribed to.
    pub events: Vec<String>,
    /// When it was created.
    pub created_at: String,
    /// When it was deleted; deleted webhooks get no new deliveries.
    pub disabled_at: Option<String>,
}

/// A webhook to create.
#[derive(Debug)]
pub struct NewWebhook<'a> {
    /// The team it belongs to.
    pub team_id: i64,
    /// An http(s) URL (validated by the caller).
    pub url: &'a str,
    /// Event names (validated by the caller).
    pub events: &'a [String],
    /// The HMAC secret.
    pub secret: &'a str,
    /// Who creates it, for the audit log.
    pub actor: &'a str,
    /// The request id, for the audit log.
    pub request_id: Option<&'a str>,
}

const WEBHOOK_COLUMNS: &str = "id, url, events, created_at, disabled_at";

fn webhook(r: &AnyRow) -> Result<Webhook, sqlx::Error> {
    let events: String = r.try_get("events")?;
    Ok(Webhook {
        id: r.try_get("id")?,
        url: r.try_get("url")?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        created_at: r.try_get("created_at")?,
        disabled_at: r.try_get("disabled_at")?,
    })
}

/// Creates a webhook and audits it (`webhook.create`; the secret is not recorded).
pub async fn create(db: &Db, w: NewWebhook<'_>) -> Result<Webhook, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(&format!(
        "INSERT INTO webhooks (team_id, url, secret, events, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING {WEBHOOK_COLUMNS}"
    ))
    .bind(w.team_id)
    .bind(w.url)
    .bind(w.secret)
    .bind(w.events.join(","))
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let created = webhook(&row)?;
    audit(
        &mut tx,
        &Audit {
            actor: w.actor,
            action: "webhook.create",
            target: &format!("webhook:{}", created.id),
            team_id: Some(w.team_id),
            request_id: w.request_id,
            detail: Some(json!({ "url": created.url, "events": created.events }).to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// The webhooks of a team, active and deleted, oldest first.
pub async fn list(db: &Db, team_id: i64) -> Result<Vec<Webhook>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE team_id = $1 ORDER BY id"
    ))
    .bind(team_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(webhook).collect::<Result<_, _>>()?)
}

/// One webhook of a team.
pub async fn get(db: &Db, team_id: i64, id: i64) -> Result<Option<Webhook>, DbError> {
    Ok(sqlx::query(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE team_id = $1 AND id = $2"
    ))
    .bind(team_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(webhook)
    .transpose()?)
}

/// Deletes (disables) an active webhook of a team, gives up its pending deliveries, and audits
/// it (`webhook.delete`). Returns false when there is no such active webhook.
pub async fn disable(
    db: &Db,
    team_id: i64,
    id: i64,
    actor: &str,
    request_id: Option<&str>,
) -> Result<bool, DbError> {
    let at = now();
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE webhooks SET disabled_at = $1 \
         WHERE team_id = $2 AND id = $3 AND disabled_at IS NULL",
    )
    .bind(&at)
    .bind(team_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'webhook deleted' \
         WHERE webhook_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "webhook.delete",
            target: &format!("webhook:{id}"),
            team_id: Some(team_id),
            request_id,
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Queues a `ping` delivery to one active webhook and audits it (`webhook.test`). Returns the
/// delivery's idempotency key, or `None` when there is no such active webhook.
pub async fn enqueue_ping(
    db: &Db,
    team_id: i64,
    id: i64,
    actor: &str,
    request_id: Option<&str>,
) -> Result<Option<String>, DbError> {
    let at = now();
    let key = format!("{PING}:{id}:{}", uuid::Uuid::new_v4().simple());
    let payload = json!({
        "event": PING,
        "id": key,
        "occurred_at": at,
        "team_id": team_id,
        "data": { "webhook_id": id },
    })
    .to_string();
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO webhook_deliveries \
         (webhook_id, event, idem_key, payload, status, attempts, next_attempt_at, created_at) \
         SELECT id, $1, $2, $3, 'pending', 0, $4, $4 FROM webhooks \
         WHERE team_id = $5 AND id = $6 AND disabled_at IS NULL",
    )
    .bind(PING)
    .bind(&key)
    .bind(&payload)
    .bind(&at)
    .bind(team_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "webhook.test",
            target: &format!("webhook:{id}"),
            team_id: Some(team_id),
            request_id,
            detail: Some(serde_json::json!({ "delivery": key }).to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(key))
}

/// A delivery of a webhook, as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Row id.
    pub id: i64,
    /// Event name.
    pub event: String,
    /// The idempotency key, sent as `X-Trusca-Delivery`.
    pub delivery: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// The receiver's last HTTP status, if any.
    pub response_status: Option<i64>,
    /// The last error, if any.
    pub last_error: Option<String>,
    /// Queued (RFC 3339).
    pub created_at: String,
    /// Last attempt, if any.
    pub last_attempt_at: Option<String>,
    /// The next attempt, while pending.
    pub next_attempt_at: Option<String>,
}

/// The delivery columns as stored.
#[derive(Debug, sqlx::FromRow)]
struct DeliveryColumns {
    id: i64,
    event: String,
    idem_key: String,
    status: String,
    attempts: i64,
    response_status: Option<i64>,
    last_error: Option<String>,
    created_at: String,
    last_attempt_at: Option<String>,
    next_attempt_at: String,
}

impl From<DeliveryColumns> for Delivery {
    fn from(c: DeliveryColumns) -> Self {
        Delivery {
            next_attempt_at: (c.status == "pending").then_some(c.next_attempt_at),
            id: c.id,
            event: c.event,
            delivery: c.idem_key,
            status: c.status,
            attempts: c.attempts,
            response_status: c.response_status,
            last_error: c.last_error,
            created_at: c.created_at,
            last_attempt_at: c.last_attempt_at,
        }
    }
}

/// A page of a webhook's deliveries, newest first, and how many there are in all.
pub async fn deliveries(
    db: &Db,
    webhook_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<Delivery>), DbError> {
    let total: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = $1")
            .bind(webhook_id)
            .fetch_one(&db.pool)
            .await?
            .try_get("n")?;
    let rows: Vec<DeliveryColumns> = sqlx::query_as(
        "SELECT id, event, idem_key, status, attempts, response_status, last_error, created_at, \
         last_attempt_at, next_attempt_at FROM webhook_deliveries WHERE webhook_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(webhook_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok((total, rows.into_iter().map(Delivery::from).collect()))
}

/// A delivery claimed by this instance, with what is needed to send it.
#[derive(Debug, Clone)]
pub struct Due {
    /// Delivery row id.
    pub id: i64,
    /// The webhook's URL.
    pub url: String,
    /// The webhook's HMAC secret.
    pub secret: String,
    /// Event name.
    pub event: String,
    /// The idempotency key, sent as `X-Trusca-Delivery`.
    pub idem_key: String,
    /// The body, sent byte for byte.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
    /// The lease this claim holds (the row's `next_attempt_at` now).
    pub lease_until: String,
}

/// Claims up to `limit` pending deliveries due at `now` (RFC 3339) for active webhooks, oldest
/// first, by moving their next attempt to `lease_until`. The claiming UPDATE re-checks that
/// each row is still due, so a delivery another instance claimed meanwhile is skipped.
pub async fn claim_due(
    db: &Db,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> Result<Vec<Due>, DbError> {
    let rows = sqlx::query(
        "SELECT d.id, w.url, w.secret, d.event, d.idem_key, d.payload, d.attempts \
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.disabled_at IS NULL \
         ORDER BY d.next_attempt_at, d.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut candidates = Vec::with_capacity(rows.len());
    for r in &rows {
        candidates.push(Due {
            id: r.try_get("id")?,
            url: r.try_get("url")?,
            secret: r.try_get("secret")?,
            event: r.try_get("event")?,
            idem_key: r.try_get("idem_key")?,
            payload: r.try_get("payload")?,
            attempts: r.try_get("attempts")?,
            lease_until: lease_until.to_owned(),
        });
    }
    // Ids come from our own database as integers, so they are written into the SQL directly.
    let ids: Vec<String> = candidates.iter().map(|d| d.id.to_string()).collect();
    let sql = format!(
        "UPDATE webhook_deliveries SET next_attempt_at = $1 \
         WHERE status = 'pending' AND next_attempt_at <= $2 AND id IN ({}) RETURNING id",
        ids.join(", ")
    );
    let _gate = db.write_gate().await;
    let won: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(lease_until)
        .bind(now)
        .fetch_all(&db.pool)
        .await?;
    candidates.retain(|d| won.contains(&d.id));
    Ok(candidates)
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered {
        /// The status it answered.
        status: u16,
    },
    /// Another answer or no answer; retried at `retry_at` (RFC 3339) unless attempts run out.
    Failed {
        /// The status, when the receiver answered.
        status: Option<u16>,
        /// What went wrong (never the URL).
        error: String,
        /// When to try again.
        retry_at: String,
    },
}

/// The state a delivery is left in after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered.
    Delivered,
    /// Failed; will be retried.
    Retry,
    /// Failed for the last time.
    Failed,
}

impl Outcome {
    /// The label used in metrics and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Retry => "retry",
            Outcome::Failed => "failed",
        }
    }
}

/// Records attempts made at `at` on claimed deliveries, in one transaction. A delivery whose
/// claim was lost (its lease ran out and another instance took it) is left alone: its outcome
/// is `None`.
pub async fn record(
    db: &Db,
    at: &str,
    attempts: &[(Due, Attempt)],
) -> Result<Vec<Option<Outcome>>, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let mut outcomes = Vec::with_capacity(attempts.len());
    for (due, attempt) in attempts {
        let made = due.attempts + 1;
        let (outcome, status, error, next) = match attempt {
            Attempt::Delivered { status } => (Outcome::Delivered, Some(*status), None, at),
            Attempt::Failed {
                status,
                error,
                retry_at,
            } => {
                let outcome = if made >= MAX_ATTEMPTS {
                    Outcome::Failed
                } else {
                    Outcome::Retry
                };
                (outcome, *status, Some(error.as_str()), retry_at.as_str())
            }
        };
        let new_status = match outcome {
            Outcome::Delivered => "delivered",
            Outcome::Retry => "pending",
            Outcome::Failed => "failed",
        };
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = $2, last_attempt_at = $3, \
             response_status = $4, last_error = $5, next_attempt_at = $6 \
             WHERE id = $7 AND status = 'pending' AND next_attempt_at = $8",
        )
        .bind(new_status)
        .bind(made)
        .bind(at)
        .bind(status.map(i64::from))
        .bind(error)
        .bind(next)
        .bind(due.id)
        .bind(&due.lease_until)
        .execute(&mut *tx)
        .await?;
        outcomes.push((done.rows_affected() == 1).then_some(outcome));
    }
    tx.commit().await?;
    Ok(outcomes)
}

//! Events for webhooks, written to an outbox (`webhook_deliveries`) in the same transaction as
//! the change that raised them, so an event is never lost nor sent for a change rolled back.
//! The delivery worker reads the outbox.

use serde::Serialize;
use sqlx::AnyConnection;
use trusca_core::vulns::SeverityLevel;

use super::{now, DbError};
use crate::rows::Summary;

/// A scan was stored.
pub const SCAN_COMPLETED: &str = "scan.completed";
/// A finding appeared in a project (on upload or by re-match).
pub const FINDING_NEW: &str = "finding.new";
/// An open finding passed its remediation due date.
pub const SLA_BREACHED: &str = "sla.breached";
/// Every event a webhook can subscribe to.
pub const EVENTS: [&str; 3] = [SCAN_COMPLETED, FINDING_NEW, SLA_BREACHED];

/// The data of `scan.completed`.
#[derive(Debug, Serialize)]
pub struct ScanCompleted<'a> {
    /// Project name.
    pub project: &'a str,
    /// Team name.
    pub team: &'a str,
    /// The stored scan.
    pub scan_id: i64,
    /// Its counts.
    pub summary: &'a Summary,
}

/// The data of `finding.new`.
#[derive(Debug, Serialize)]
pub struct FindingNew<'a> {
    /// Project name.
    pub project: &'a str,
    /// Team name.
    pub team: &'a str,
    /// The affected component.
    pub purl: &'a str,
    /// Its package.
    pub package: &'a str,
    /// Its version.
    pub version: &'a str,
    /// Primary advisory id.
    pub advisory_id: &'a str,
    /// Other ids.
    pub aliases: &'a [String],
    /// How severe it is.
    pub severity: SeverityLevel,
    /// CVSS base score.
    pub score: Option<f64>,
    /// The lowest fixing version.
    pub fixed_in: Option<&'a str>,
    /// One-line summary.
    pub summary: Option<&'a str>,
    /// When the project first had it.
    pub first_seen_at: &'a str,
}

/// The data of `sla.breached`.
#[derive(Debug, Serialize)]
pub struct SlaBreached<'a> {
    /// Project name.
    pub project: &'a str,
    /// The affected component.
    pub purl: &'a str,
    /// The advisory.
    pub advisory_id: &'a str,
    /// How severe it is.
    pub severity: SeverityLevel,
    /// When the project first had it.
    pub first_seen_at: &'a str,
    /// When it was due.
    pub due_at: &'a str,
    /// Whole days since it was due.
    pub days_overdue: i64,
}

/// The body of every delivery.
#[derive(Debug, Serialize)]
struct Envelope<'a, T> {
    event: &'a str,
    id: &'a str,
    occurred_at: &'a str,
    team_id: i64,
    data: T,
}

/// Queues one delivery of an event to every active webhook of `team_id` subscribed to it.
///
/// `idem_key` names the occurrence (`finding.new:<project>:<purl>:<advisory>:<first seen>`): an
/// occurrence queued twice is delivered once. The body sent is
/// `{"event", "id" (= idem_key), "occurred_at", "team_id", "data"}`. Returns the deliveries
/// queued now.
pub async fn enqueue(
    conn: &mut AnyConnection,
    team_id: i64,
    event: &str,
    idem_key: &str,
    data: impl Serialize,
) -> Result<u64, DbError> {
    let at = now();
    let payload = crate::json::text(&Envelope {
        event,
        id: idem_key,
        occurred_at: &at,
        team_id,
        data,
    })?;
    // `events` is a comma-separated list; match whole names only.
    let done = sqlx::query(
        "INSERT INTO webhook_deliveries \
         (webhook_id, event, idem_key, payload, status, attempts, next_attempt_at, created_at) \
         SELECT id, $1, $2, $3, 'pending', 0, $4, $4 FROM webhooks \
         WHERE team_id = $5 AND disabled_at IS NULL AND (',' || events || ',') LIKE $6 \
         ON CONFLICT (webhook_id, idem_key) DO NOTHING",
    )
    .bind(event)
    .bind(idem_key)
    .bind(&payload)
    .bind(&at)
    .bind(team_id)
    .bind(format!("%,{event},%"))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};
    use sqlx::Row;

    use super::*;
    use crate::db::Db;

    #[tokio::test]
    async fn an_occurrence_is_queued_once_per_subscribed_webhook() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("e.db").display());
        let db = Db::connect(&url, 1).await.expect("open");
        db.migrate().await.expect("migrate");
        let mut conn = db.pool.acquire().await.expect("connection");
        sqlx::query("INSERT INTO teams (id, name, created_at) VALUES (1, 'a', 'now')")
            .execute(&mut *conn)
            .await
            .expect("team");
        for (url, events) in [
            ("http://127.0.0.1:1/a", "scan.completed,finding.new"),
            ("http://127.0.0.1:1/b", "sla.breached"),
            ("http://127.0.0.1:1/c", "finding.newer"),
        ] {
            sqlx::query(
                "INSERT INTO webhooks (team_id, url, secret, events, created_at) \
                 VALUES (1, $1, 's', $2, 'now')",
            )
            .bind(url)
            .bind(events)
            .execute(&mut *conn)
            .await
            .expect("webhook");
        }
        let first = enqueue(&mut conn, 1, FINDING_NEW, "k1", json!({"x": 1}))
            .await
            .expect("enqueue");
        let again = enqueue(&mut conn, 1, FINDING_NEW, "k1", json!({"x": 1}))
            .await
            .expect("enqueue again");
        let other_team = enqueue(&mut conn, 2, FINDING_NEW, "k2", json!({}))
            .await
            .expect("enqueue other team");
        assert_eq!((first, again, other_team), (1, 0, 0));
        let row = sqlx::query("SELECT payload, status FROM webhook_deliveries")
            .fetch_one(&mut *conn)
            .await
            .expect("row");
        let payload: String = row.get("payload");
        let payload: Value = serde_json::from_str(&payload).expect("json");
        assert_eq!(payload["event"], "finding.new");
        assert_eq!(payload["id"], "k1");
        assert_eq!(row.get::<String, _>("status"), "pending");
    }
}

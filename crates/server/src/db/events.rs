//! Events for webhooks, written to an outbox (`webhook_deliveries`) in the same transaction as
//! the change that raised them, so an event is never lost nor sent for a change rolled back.
//! The delivery worker reads the outbox.

use serde_json::{json, Value};
use sqlx::AnyConnection;

use super::now;

/// A scan was stored.
pub const SCAN_COMPLETED: &str = "scan.completed";
/// A finding appeared in a project (on upload or by re-match).
pub const FINDING_NEW: &str = "finding.new";
/// An open finding passed its remediation due date.
pub const SLA_BREACHED: &str = "sla.breached";
/// Every event a webhook can subscribe to.
pub const EVENTS: [&str; 3] = [SCAN_COMPLETED, FINDING_NEW, SLA_BREACHED];

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
    data: Value,
) -> Result<u64, sqlx::Error> {
    let at = now();
    let payload = json!({
        "event": event,
        "id": idem_key,
        "occurred_at": at,
        "team_id": team_id,
        "data": data,
    })
    .to_string();
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

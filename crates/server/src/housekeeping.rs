//! The sweep, run hourly by one server ([`crate::scheduler`]): records kept only for a while
//! ([`crate::db::retention`], and the windows of the failed-authentication limit) are removed,
//! and the audit log's checkpoint moves to its newest row ([`crate::db::audit::checkpoint`]).

use std::time::{Duration, SystemTime};

use crate::db::{audit, limits, retention, Db};

/// One sweep; `idempotency_for` is how long idempotency records are kept.
pub async fn sweep(db: &Db, idempotency_for: Duration) -> Result<(), String> {
    let now = SystemTime::now();
    let swept = retention::sweep(db, now, idempotency_for)
        .await
        .map_err(|e| format!("sweep of expired records failed: {e}"))?;
    if swept != retention::Swept::default() {
        tracing::info!(
            idempotency_records = swept.idempotency,
            sessions = swept.sessions,
            "expired records removed"
        );
    }
    limits::sweep(db, now)
        .await
        .map_err(|e| format!("sweep of failure windows failed: {e}"))?;
    audit::checkpoint(db)
        .await
        .map_err(|e| format!("the audit checkpoint failed: {e}"))?;
    Ok(())
}

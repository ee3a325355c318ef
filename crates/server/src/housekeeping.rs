//! The background sweep of records kept only for a while (see [`crate::db::retention`]): at
//! start, then every hour.

use std::time::{Duration, SystemTime};

use crate::db::{retention, Db};

/// How often the sweep runs.
const EVERY: Duration = Duration::from_secs(3600);

/// Sweeps until the process ends; `idempotency_for` is how long idempotency records are kept.
pub async fn run(db: Db, idempotency_for: Duration) {
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match retention::sweep(&db, SystemTime::now(), idempotency_for).await {
            Ok(s) if s == retention::Swept::default() => {}
            Ok(s) => tracing::info!(
                idempotency_records = s.idempotency,
                sessions = s.sessions,
                "expired records removed"
            ),
            Err(e) => tracing::warn!(error = %e, "sweep of expired records failed"),
        }
    }
}

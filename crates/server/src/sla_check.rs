//! The background breach check: every few minutes, raises `sla.breached` for open findings
//! that passed their due date (see [`crate::db::sla::check_breaches`]).

use std::time::{Duration, SystemTime};

use crate::db::{sla, Db};

/// How often the check runs.
const EVERY: Duration = Duration::from_secs(5 * 60);

/// Checks for breaches until the process ends, waking the webhook worker when any is raised.
pub async fn run(db: Db) {
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match sla::check_breaches(&db, SystemTime::now()).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(breaches = n, "remediation SLAs breached");
                crate::webhooks::wake();
            }
            Err(e) => tracing::warn!(error = %e, "SLA breach check failed"),
        }
    }
}

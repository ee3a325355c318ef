//! The breach check, run every few minutes by one server ([`crate::scheduler`]): raises
//! `sla.breached` for open findings that passed their due date (see
//! [`crate::db::sla::check_breaches`]).

use std::time::SystemTime;

use crate::db::{sla, Db};

/// One check, waking the webhook worker when a breach was raised.
pub async fn check(db: &Db) -> Result<(), String> {
    match sla::check_breaches(db, SystemTime::now()).await {
        Ok(0) => Ok(()),
        Ok(n) => {
            tracing::info!(breaches = n, "remediation SLAs breached");
            crate::webhooks::wake();
            Ok(())
        }
        Err(e) => {
            tracing::warn!(error = %e, "SLA breach check failed");
            Err(e.to_string())
        }
    }
}

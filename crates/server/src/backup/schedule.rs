//! Automatic backups taken by the running server: one when the newest automatic backup in the
//! directory is older than the interval (so restarts do not multiply them), then one every
//! interval, each followed by pruning. Failures are logged and retried later.

use std::time::{Duration, SystemTime};

use crate::config::BackupSchedule;

/// How soon a failed backup is tried again (or the interval, if shorter).
const RETRY: Duration = Duration::from_secs(3600);

/// Runs forever; spawn it.
pub async fn run(database_url: String, schedule: BackupSchedule) {
    let every = schedule.every.max(Duration::from_secs(60));
    loop {
        let dir = schedule.dir.clone();
        let newest = tokio::task::spawn_blocking(move || super::prune::newest_automatic(&dir))
            .await
            .ok()
            .flatten();
        // Due `every` after the newest automatic backup (a time too far to represent: never).
        let wait = newest.map_or(Duration::ZERO, |newest| {
            newest.checked_add(every).map_or(every, |due| {
                due.duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO)
            })
        });
        tokio::time::sleep(wait).await;
        match super::create(&database_url, &schedule.dir, true).await {
            Ok(done) => tracing::info!(
                dir = %done.dir.display(),
                bytes = done.manifest.total_bytes(),
                "automatic backup written"
            ),
            Err(e) => {
                tracing::error!(error = %e, dir = %schedule.dir.display(), "automatic backup failed");
                tokio::time::sleep(RETRY.min(every)).await;
                continue;
            }
        }
        let dir = schedule.dir.clone();
        let days = schedule.retention_days;
        let pruned =
            tokio::task::spawn_blocking(move || super::prune::prune(&dir, days, SystemTime::now()))
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r.map_err(|e| e.to_string()));
        match pruned {
            Ok(removed) => {
                for path in removed {
                    tracing::info!(dir = %path.display(), "old automatic backup removed");
                }
            }
            Err(e) => tracing::error!(error = %e, "pruning automatic backups failed"),
        }
    }
}

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
        let due = super::prune::newest_automatic(&schedule.dir)
            .map_or(SystemTime::now(), |newest| newest + every);
        let wait = due
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        tokio::time::sleep(wait).await;
        match super::create(&database_url, &schedule.dir, true).await {
            Ok(done) => tracing::info!(
                dir = %done.dir.display(),
                bytes = done.manifest.files.iter().map(|f| f.bytes).sum::<u64>(),
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
                .await;
        match pruned {
            Ok(Ok(removed)) => {
                for path in removed {
                    tracing::info!(dir = %path.display(), "old automatic backup removed");
                }
            }
            Ok(Err(e)) => tracing::error!(error = %e, "pruning automatic backups failed"),
            Err(e) => tracing::error!(error = %e, "pruning automatic backups failed"),
        }
    }
}

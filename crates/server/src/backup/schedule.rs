//! Automatic backups taken by the running servers (`--backup-dir`), run by one server per
//! interval ([`crate::scheduler`]). The first is due when the newest automatic backup in the
//! directory is older than the interval (so restarts do not multiply them); each is followed by
//! pruning.

use std::time::{Duration, SystemTime};

use crate::config::BackupSchedule;

/// When the first automatic backup is due: an interval after the newest automatic backup in
/// the directory, else now.
pub fn first_due(schedule: &BackupSchedule, now: SystemTime) -> SystemTime {
    let every = schedule.every.max(Duration::from_secs(60));
    super::prune::newest_automatic(&schedule.dir)
        .and_then(|newest| newest.checked_add(every))
        .unwrap_or(now)
}

/// One automatic backup, then the pruning of old ones.
pub async fn backup_once(database_url: &str, schedule: &BackupSchedule) -> Result<(), String> {
    match super::create(database_url, &schedule.dir, true).await {
        Ok(done) => tracing::info!(
            dir = %done.dir.display(),
            bytes = done.manifest.total_bytes(),
            "automatic backup written"
        ),
        Err(e) => {
            tracing::error!(error = %e, dir = %schedule.dir.display(), "automatic backup failed");
            return Err(e.to_string());
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
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, "pruning automatic backups failed");
            Err(e)
        }
    }
}

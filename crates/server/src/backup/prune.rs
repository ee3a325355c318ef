//! Retention: automatic backups older than N days are removed; manual backups and directories
//! without a valid manifest never are.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{BackupError, Manifest, DIR_PREFIX};

/// The backups in `dir` (directories named `trusca-backup-…` with a valid manifest) and when
/// each was taken.
pub fn list(dir: &Path) -> Result<Vec<(PathBuf, Manifest, SystemTime)>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(BackupError::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| BackupError::io(dir, e))?;
        let path = entry.path();
        let named = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(DIR_PREFIX));
        if !named || !path.is_dir() {
            continue;
        }
        let Ok(m) = Manifest::read(&path) else {
            continue;
        };
        let Ok(at) = humantime::parse_rfc3339(&m.created_at) else {
            continue;
        };
        out.push((path, m, at));
    }
    out.sort_by_key(|(_, _, at)| *at);
    Ok(out)
}

/// When the newest automatic backup in `dir` was taken.
pub fn newest_automatic(dir: &Path) -> Option<SystemTime> {
    list(dir)
        .ok()?
        .into_iter()
        .filter(|(_, m, _)| m.automatic)
        .map(|(_, _, at)| at)
        .max()
}

/// Removes the automatic backups in `dir` taken more than `retention_days` before `now`, and
/// returns what it removed.
pub fn prune(
    dir: &Path,
    retention_days: u32,
    now: SystemTime,
) -> Result<Vec<PathBuf>, BackupError> {
    let keep = Duration::from_secs(u64::from(retention_days) * 86_400);
    let cutoff = now.checked_sub(keep).unwrap_or(SystemTime::UNIX_EPOCH);
    let mut removed = Vec::new();
    for (path, m, at) in list(dir)? {
        if m.automatic && at < cutoff {
            std::fs::remove_dir_all(&path).map_err(|e| BackupError::io(&path, e))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

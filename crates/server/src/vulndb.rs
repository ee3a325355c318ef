//! The server's own vulnerability database (the core's redb file, `--vuln-db`): a handle that a
//! refresh swaps without a restart, the refresh itself (update from a mirror or import from
//! files, then a re-match of every project), and the schedule that refreshes it.
//!
//! A missing database is not an error: uploads are then stored with the findings their
//! documents carry, and the server says so once at start and in `/health`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;
use trusca_core::progress::NoProgress;
use trusca_core::vulns::db::{Db as VulnStore, DbError as VulnStoreError};
use trusca_core::vulns::import::{self, ImportLimits};
use trusca_core::vulns::update::{self, UpdateOptions};

use crate::db::rematch::{self, RematchSummary};
use crate::db::{Db, DbError};

/// The default database file, in the working directory (beside the default SQLite file).
pub const DEFAULT_PATH: &str = "trusca-server-vulns.db";

/// The database file and the open handle, swapped whole by [`VulnDb::reload`]. A file replaced
/// by another process (`trusca server db update` beside a running server) is noticed by its
/// modification time and size and opened again on the next [`VulnDb::get`].
#[derive(Debug)]
pub struct VulnDb {
    path: PathBuf,
    current: RwLock<Option<Opened>>,
    /// Held by the refresh that is rebuilding the file: one at a time.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Debug, Clone)]
struct Opened {
    db: Arc<VulnStore>,
    stamp: Option<(SystemTime, u64)>,
}

/// The modification time and size of a file, when it can be read.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl VulnDb {
    /// Opens the database at `path` if there is one; logs once when there is none (or it cannot
    /// be read), and the server then matches nothing itself.
    pub fn open(path: &Path) -> VulnDb {
        let file_stamp = stamp(path);
        let current = match VulnStore::open(path) {
            Ok(db) => {
                tracing::info!(
                    path = %path.display(),
                    records = db.info().records,
                    built = %db.info().built_rfc3339(),
                    "vulnerability database opened"
                );
                Some(Opened {
                    db: Arc::new(db),
                    stamp: file_stamp,
                })
            }
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    "no server-side vulnerability matching until `trusca server db update` runs"
                );
                None
            }
        };
        VulnDb {
            path: path.to_owned(),
            current: RwLock::new(current),
            refreshing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Whether a refresh is rebuilding the database now.
    pub fn refreshing(&self) -> bool {
        self.refreshing.try_lock().is_err()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database as it is now, if there is one; opened again first when the file was
    /// replaced since. A handle given out stays valid after a swap.
    pub fn get(&self) -> Option<Arc<VulnStore>> {
        let current = match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let now = stamp(&self.path);
        match current {
            Some(o) if o.stamp == now => Some(o.db),
            // Replaced (or created) since: take the new file; keep the old one if it is not
            // readable yet.
            current if now.is_some() => self.reload().ok().or(current.map(|o| o.db)),
            current => current.map(|o| o.db),
        }
    }

    /// Opens the file again and makes it the current database.
    pub fn reload(&self) -> Result<Arc<VulnStore>, VulnStoreError> {
        let file_stamp = stamp(&self.path);
        let db = Arc::new(VulnStore::open(&self.path)?);
        let mut guard = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Some(Opened {
            db: db.clone(),
            stamp: file_stamp,
        });
        Ok(db)
    }

    /// What `/health` shows: whether matching is on, and the data's build time and size.
    pub fn state(&self) -> Status {
        let database = self.get().map(|db| Loaded {
            built_at: db.info().built_rfc3339(),
            records: db.info().records,
            source: db.info().source.clone(),
        });
        Status {
            loaded: database.is_some(),
            database,
        }
    }

    /// [`VulnDb::state`] as the JSON document `/health` shows.
    pub fn status(&self) -> serde_json::Value {
        serde_json::to_value(self.state()).unwrap_or_default()
    }
}

/// The state of the database: `{"loaded": false}`, or `true` with what was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Whether matching is on.
    pub loaded: bool,
    /// What is loaded, if anything.
    #[serde(flatten)]
    pub database: Option<Loaded>,
}

/// A loaded database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loaded {
    /// When its data was built (RFC 3339).
    pub built_at: String,
    /// Records in it.
    pub records: u64,
    /// Where its data came from.
    pub source: String,
}

/// Where a refresh takes its records from.
#[derive(Debug, Clone)]
pub enum Source {
    /// `update`: OSV bulk data from a mirror (HTTP(S), `file://`, a directory).
    Update {
        /// The mirror.
        mirror: String,
        /// Only these ecosystems (empty: all the mirror offers).
        ecosystems: Vec<String>,
    },
    /// `import`: zips, record files and directories on disk.
    Import(Vec<PathBuf>),
}

impl Source {
    /// The source as recorded in `vuln_db_refreshes` and shown to super admins; a mirror URL's
    /// user name and password are left out.
    pub fn describe(&self) -> String {
        match self {
            Source::Update { mirror, .. } => format!("update {}", without_credentials(mirror)),
            Source::Import(paths) => {
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                format!("import {}", list.join(", "))
            }
        }
    }
}

/// A URL without its user name and password (`https://***@mirror.example/osv`); anything
/// else as it is.
fn without_credentials(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_password(None);
            let _ = u.set_username("***");
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// `text` with the user name and password of `mirror` (as they appear in its URLs) left out.
fn redact(text: &str, mirror: &str) -> String {
    match url::Url::parse(mirror) {
        Ok(u) if !u.username().is_empty() || u.password().is_some() => {
            let userinfo = match u.password() {
                Some(p) => format!("{}:{p}@", u.username()),
                None => format!("{}@", u.username()),
            };
            text.replace(&userinfo, "***@")
        }
        _ => text.to_owned(),
    }
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshSummary {
    /// Records in the new database.
    pub records: u64,
    /// The re-match.
    pub rematch: RematchSummary,
    /// Wall-clock seconds, update and re-match.
    pub seconds: f64,
}

impl RefreshSummary {
    /// One line for people.
    pub fn line(&self) -> String {
        let failed = if self.rematch.failed > 0 {
            format!(" ({} failed, see the log)", self.rematch.failed)
        } else {
            String::new()
        };
        format!(
            "{} records; re-matched {} projects{failed}: {} new findings, {} resolved; {:.1} s",
            self.records,
            self.rematch.projects,
            self.rematch.new_findings,
            self.rematch.resolved_findings,
            self.seconds
        )
    }
}

/// Why a refresh failed. The previous database stays in use.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// Fetching or importing the records failed.
    #[error("{0}")]
    Fetch(String),
    /// The new file could not be opened.
    #[error(transparent)]
    Open(#[from] VulnStoreError),
    /// Recording the refresh failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Rebuilds the database from `source`, swaps it in, re-matches every project
/// ([`crate::rematch::run`]) and records the refresh in `vuln_db_refreshes` (its failure too). A
/// refresh started while another runs waits for it.
pub async fn refresh(
    db: &Db,
    vulns: &VulnDb,
    source: Source,
    actor: &str,
) -> Result<RefreshSummary, RefreshError> {
    let _one_at_a_time = vulns.refreshing.lock().await;
    refresh_holding_lock(db, vulns, source, actor).await
}

/// [`refresh`] for a caller that already holds `vulns.refreshing`.
async fn refresh_holding_lock(
    db: &Db,
    vulns: &VulnDb,
    source: Source,
    actor: &str,
) -> Result<RefreshSummary, RefreshError> {
    let start = Instant::now();
    let id = rematch::refresh_started(db, &source.describe()).await?;
    let result = rebuild_and_rematch(db, vulns, source, actor).await;
    let seconds = start.elapsed().as_secs_f64();
    match result {
        Ok((records, summary)) => {
            rematch::refresh_finished(db, id, records, &summary, actor).await?;
            Ok(RefreshSummary {
                records,
                rematch: summary,
                seconds,
            })
        }
        Err(e) => {
            rematch::refresh_failed(db, id, &e.to_string(), actor).await?;
            Err(e)
        }
    }
}

async fn rebuild_and_rematch(
    db: &Db,
    vulns: &VulnDb,
    source: Source,
    actor: &str,
) -> Result<(u64, RematchSummary), RefreshError> {
    let path = vulns.path().to_owned();
    let records = tokio::task::spawn_blocking(move || rebuild(&path, source))
        .await
        .map_err(|e| RefreshError::Fetch(format!("the update task failed: {e}")))??;
    let store = vulns.reload()?;
    let summary = crate::rematch::run(db, store, actor).await;
    if summary.new_findings > 0 {
        crate::webhooks::wake();
    }
    Ok((records, summary))
}

fn rebuild(path: &Path, source: Source) -> Result<u64, RefreshError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| RefreshError::Fetch(format!("cannot create `{}`: {e}", dir.display())))?;
    }
    let info = match source {
        Source::Update { mirror, ecosystems } => {
            let options = UpdateOptions {
                mirror,
                ecosystems,
                limits: ImportLimits::default(),
            };
            // Errors name the URLs fetched: recorded, logged and shown without credentials.
            update::update(path, &options, &NoProgress)
                .map_err(|e| RefreshError::Fetch(redact(&e.to_string(), &options.mirror)))?
                .1
        }
        Source::Import(paths) => {
            import::import(path, &paths, ImportLimits::default(), &NoProgress)
                .map_err(|e| RefreshError::Fetch(e.to_string()))?
                .1
        }
    };
    Ok(info.records)
}

/// A refresh is already running (here or at another server on the database).
#[derive(Debug, thiserror::Error)]
#[error("a refresh of the vulnerability database is running")]
pub struct Busy;

/// The name of the refresh job in the `jobs` table.
pub const JOB: &str = "vuln-db-refresh";

/// Starts a refresh from the configured mirror (`--db-mirror`, else the public OSV bucket) in
/// the background, for a super admin's request (API or web page); returns its source as
/// recorded. It takes the refresh job's lease (see [`crate::scheduler`]), so it is refused while
/// a refresh runs at any server on the database, and the next scheduled one is due a whole
/// interval after it. Its outcome lands in `vuln_db_refreshes`, the audit log and the server
/// log.
pub async fn start_refresh(
    state: &crate::state::AppState,
    actor: &str,
    ecosystems: Vec<String>,
) -> Result<String, Busy> {
    // Taken before the answer, so a status read right after it shows the refresh running.
    let Ok(one_at_a_time) = state.vulns.refreshing.clone().try_lock_owned() else {
        return Err(Busy);
    };
    let jobs = crate::scheduler::Schedules::of(&state.config);
    let now = SystemTime::now();
    let taken = crate::db::jobs::take(
        &state.db,
        JOB,
        &state.instance,
        now,
        now + jobs.lease,
        now,
        crate::db::jobs::When::Now,
    )
    .await;
    match taken {
        Ok(true) => {}
        Ok(false) => return Err(Busy),
        Err(e) => {
            tracing::warn!(error = %e, "cannot take the refresh job; refreshing anyway");
        }
    }
    let source = Source::Update {
        mirror: state.config.mirror(),
        ecosystems,
    };
    let described = source.describe();
    let (db, vulns, actor) = (state.db.clone(), state.vulns.clone(), actor.to_owned());
    let instance = state.instance.clone();
    let every = jobs.refresh.unwrap_or(Duration::from_secs(24 * 3600));
    tokio::spawn(async move {
        let work = async {
            let _one_at_a_time = one_at_a_time;
            refresh_holding_lock(&db, &vulns, source, &actor).await
        };
        let outcome = crate::scheduler::with_lease(&db, JOB, &instance, jobs.lease, work).await;
        let error = match &outcome {
            Ok(summary) => {
                tracing::info!(summary = %summary.line(), actor, "vulnerability database refreshed");
                None
            }
            Err(e) => {
                tracing::error!(error = %e, actor, "vulnerability database refresh failed");
                Some(e.to_string())
            }
        };
        let now = SystemTime::now();
        if let Err(e) =
            crate::db::jobs::finish(&db, JOB, &instance, now, now + every, error.as_deref()).await
        {
            tracing::warn!(error = %e, "cannot let go of the refresh job");
        }
    });
    Ok(described)
}

/// How long to wait before the first scheduled refresh: at once when there is no database or
/// it is older than `every`, else `every` after start.
pub fn first_delay(vulns: &VulnDb, every: Duration) -> Duration {
    match vulns.get() {
        Some(db) if db.info().age() < every => every,
        _ => Duration::ZERO,
    }
}

/// One scheduled refresh from `mirror` (run by [`crate::scheduler`] when the job is due).
pub async fn scheduled(db: &Db, vulns: &VulnDb, mirror: &str) -> Result<(), String> {
    let source = Source::Update {
        mirror: mirror.to_owned(),
        ecosystems: Vec::new(),
    };
    match refresh(db, vulns, source, "scheduler").await {
        Ok(summary) => {
            tracing::info!(summary = %summary.line(), "vulnerability database refreshed");
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, "vulnerability database refresh failed");
            Err(e.to_string())
        }
    }
}

/// When the newest successful refresh recorded in the database started, if there is one.
async fn last_refresh(db: &Db) -> Result<Option<SystemTime>, DbError> {
    let started = rematch::last_success(db).await?;
    Ok(started.and_then(|s| humantime::parse_rfc3339_weak(&s).ok()))
}

/// Brings this server's own database file up to the newest refresh another server made (the
/// refresh job runs at one server per schedule; servers with a file of their own rebuild it
/// from the mirror, without a re-match, which that refresh did). A file shared by the servers is
/// already new and is left alone. Returns whether the file was rebuilt.
pub async fn follow(db: &Db, vulns: &VulnDb, mirror: &str) -> Result<bool, String> {
    let Some(refreshed) = last_refresh(db).await.map_err(|e| e.to_string())? else {
        return Ok(false);
    };
    // The build time is kept in whole seconds: a file built within the second the refresh
    // started counts as built by it.
    let built = vulns
        .get()
        .map(|d| SystemTime::UNIX_EPOCH + Duration::from_secs(d.info().built_unix + 1));
    if built.is_some_and(|b| b > refreshed) {
        return Ok(false);
    }
    let Ok(_one_at_a_time) = vulns.refreshing.try_lock() else {
        return Ok(false);
    };
    let path = vulns.path().to_owned();
    let source = Source::Update {
        mirror: mirror.to_owned(),
        ecosystems: Vec::new(),
    };
    let records = tokio::task::spawn_blocking(move || rebuild(&path, source))
        .await
        .map_err(|e| format!("the update task failed: {e}"))?
        .map_err(|e| e.to_string())?;
    vulns.reload().map_err(|e| e.to_string())?;
    tracing::info!(
        records,
        "vulnerability database brought up to another server's refresh"
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_credentials_are_not_recorded() {
        let update = |mirror: &str| Source::Update {
            mirror: mirror.into(),
            ecosystems: Vec::new(),
        };
        assert_eq!(
            update("https://bot:s3cret@osv.example/osv").describe(),
            "update https://***@osv.example/osv"
        );
        assert_eq!(
            update("https://token@osv.example/").describe(),
            "update https://***@osv.example/"
        );
        assert_eq!(
            update("https://osv.example/osv").describe(),
            "update https://osv.example/osv"
        );
        assert_eq!(update("/srv/osv").describe(), "update /srv/osv");
    }

    #[test]
    fn fetch_errors_are_recorded_without_credentials() {
        let mirror = "https://bot:s3cret@osv.example/osv";
        let text = "download of `https://bot:s3cret@osv.example/osv/npm/all.zip` failed: \
                    error sending request for url (https://bot:s3cret@osv.example/osv/npm/all.zip)";
        let clean = redact(text, mirror);
        assert!(
            !clean.contains("s3cret") && !clean.contains("bot"),
            "{clean}"
        );
        assert!(
            clean.contains("https://***@osv.example/osv/npm/all.zip"),
            "{clean}"
        );
        assert_eq!(redact("no URL here", "/srv/osv"), "no URL here");
    }
}

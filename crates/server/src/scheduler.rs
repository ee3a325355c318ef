//! Scheduled work, run once per schedule across every server sharing the database.
//!
//! Each job (vulnerability-database refresh and re-match, SLA breach check, sweep, automatic
//! backup) has a row in `jobs` ([`crate::db::jobs`]). Every server looks every [`Schedules::poll`]
//! for due jobs; the one whose conditional update wins holds the job's lease, renews it while it
//! works, then sets the next due time and lets go. A server that dies mid-job stops renewing;
//! when its lease runs out, another server takes the job over. Webhook deliveries need no job:
//! each delivery is claimed by one server ([`crate::webhooks`]). Servers with their own copy of
//! the vulnerability database bring it up to a refresh another server made
//! ([`crate::vulndb::follow`]).

use std::future::Future;
use std::time::{Duration, SystemTime};

use tokio::task::JoinHandle;

use crate::config::{BackupSchedule, Config};
use crate::db::jobs::{self, When};
use crate::db::Db;
use crate::state::AppState;

/// How long a lease lasts without being renewed.
pub const LEASE: Duration = Duration::from_secs(5 * 60);
/// How often each server looks for due jobs.
pub const POLL: Duration = Duration::from_secs(30);
/// The SLA breach check's interval.
pub const SLA_CHECK: Duration = Duration::from_secs(5 * 60);
/// The sweep's interval.
pub const SWEEP: Duration = Duration::from_secs(3600);
/// How soon a failed run is tried again (or the interval, if shorter).
pub const RETRY: Duration = Duration::from_secs(3600);
/// How long a server waits before trying again to bring its database file up to another
/// server's refresh after that failed.
const FOLLOW_RETRY: Duration = Duration::from_secs(10 * 60);

/// The job names in the `jobs` table.
pub mod names {
    /// Vulnerability-database refresh and re-match.
    pub const REFRESH: &str = crate::vulndb::JOB;
    /// The SLA breach check.
    pub const SLA_CHECK: &str = "sla-check";
    /// Idempotency records, sessions, failure windows; the audit checkpoint.
    pub const SWEEP: &str = "sweep";
    /// Automatic backups.
    pub const BACKUP: &str = "backup";
}

/// What runs when.
#[derive(Debug, Clone)]
pub struct Schedules {
    /// Between refreshes of the vulnerability database (`None`: never).
    pub refresh: Option<Duration>,
    /// Between SLA breach checks.
    pub sla_check: Duration,
    /// Between sweeps.
    pub sweep: Duration,
    /// Automatic backups, when configured.
    pub backup: Option<BackupSchedule>,
    /// How long a lease lasts without renewal (a job whose server died is taken over after it).
    pub lease: Duration,
    /// How often this server looks for due jobs.
    pub poll: Duration,
}

impl Schedules {
    /// The schedules a configuration asks for.
    pub fn of(config: &Config) -> Schedules {
        Schedules {
            refresh: (config.db_refresh_hours > 0)
                .then(|| Duration::from_secs(config.db_refresh_hours.saturating_mul(3600))),
            sla_check: SLA_CHECK,
            sweep: SWEEP,
            backup: config.backup.clone(),
            lease: LEASE,
            poll: POLL,
        }
    }
}

/// A job: its name, interval, and when it is first due if it was never scheduled.
struct Job {
    name: &'static str,
    every: Duration,
    first_due: SystemTime,
}

/// Starts this server's part of the scheduled work (and its webhook delivery worker); the
/// handles end the tasks when aborted.
pub fn start(state: &AppState, schedules: Schedules) -> Vec<JoinHandle<()>> {
    let mut tasks = Vec::new();
    let now = SystemTime::now();
    tasks.push(tokio::spawn(crate::webhooks::run(
        state.db.clone(),
        state.metrics.clone(),
        state.config.webhook_targets,
    )));
    if let Some(every) = schedules.refresh {
        let first_due = now + crate::vulndb::first_delay(&state.vulns, every);
        let job = Job {
            name: names::REFRESH,
            every,
            first_due,
        };
        let (db, vulns, mirror) = (state.db.clone(), state.vulns.clone(), state.config.mirror());
        tasks.push(spawn_job(state, &schedules, job, move || {
            let (db, vulns, mirror) = (db.clone(), vulns.clone(), mirror.clone());
            async move { crate::vulndb::scheduled(&db, &vulns, &mirror).await }
        }));
        tasks.push(tokio::spawn(follow(state.clone(), schedules.poll)));
    }
    let db = state.db.clone();
    let job = Job {
        name: names::SLA_CHECK,
        every: schedules.sla_check,
        first_due: now,
    };
    tasks.push(spawn_job(state, &schedules, job, move || {
        let db = db.clone();
        async move { crate::sla_check::check(&db).await }
    }));
    let (db, keep) = (state.db.clone(), state.config.idempotency_retention);
    let job = Job {
        name: names::SWEEP,
        every: schedules.sweep,
        first_due: now,
    };
    tasks.push(spawn_job(state, &schedules, job, move || {
        let db = db.clone();
        async move { crate::housekeeping::sweep(&db, keep).await }
    }));
    if let Some(backup) = schedules.backup.clone() {
        tracing::info!(dir = %backup.dir.display(), hours = backup.every.as_secs() / 3600,
                       "automatic backups on");
        let job = Job {
            name: names::BACKUP,
            every: backup.every,
            first_due: crate::backup::schedule::first_due(&backup, now),
        };
        let url = state.config.database_url.clone();
        tasks.push(spawn_job(state, &schedules, job, move || {
            let (url, backup) = (url.clone(), backup.clone());
            async move { crate::backup::schedule::backup_once(&url, &backup).await }
        }));
    }
    tasks
}

fn spawn_job<F, Fut>(state: &AppState, s: &Schedules, job: Job, work: F) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    tokio::spawn(run(
        state.db.clone(),
        state.instance.clone(),
        job,
        s.lease,
        s.poll,
        work,
    ))
}

/// Runs `job` whenever it is due and this server gets it, until the task ends.
async fn run<F, Fut>(db: Db, holder: String, job: Job, lease: Duration, poll: Duration, work: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    loop {
        let now = SystemTime::now();
        let taken = jobs::take(
            &db,
            job.name,
            &holder,
            now,
            now + lease,
            job.first_due,
            When::Due,
        )
        .await;
        match taken {
            Ok(true) => {
                let outcome = with_lease(&db, job.name, &holder, lease, work()).await;
                let now = SystemTime::now();
                let next = match &outcome {
                    Ok(()) => job.every,
                    Err(_) => RETRY.min(job.every),
                };
                let error = outcome.err();
                if let Err(e) =
                    jobs::finish(&db, job.name, &holder, now, now + next, error.as_deref()).await
                {
                    tracing::warn!(job = job.name, error = %e, "cannot let go of a job");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(job = job.name, error = %e, "cannot look for due jobs"),
        }
        tokio::time::sleep(poll).await;
    }
}

/// Runs `work` while renewing `holder`'s lease on job `name` every third of `lease`.
pub async fn with_lease<T>(
    db: &Db,
    name: &str,
    holder: &str,
    lease: Duration,
    work: impl Future<Output = T>,
) -> T {
    let mut work = std::pin::pin!(work);
    let mut renew = tokio::time::interval((lease / 3).max(Duration::from_millis(10)));
    renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is immediate; the lease was just taken.
    renew.tick().await;
    loop {
        tokio::select! {
            out = &mut work => return out,
            _ = renew.tick() => {
                match jobs::renew(db, name, holder, SystemTime::now() + lease).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(job = name, "lost the lease of a running job"),
                    Err(e) => tracing::warn!(job = name, error = %e, "cannot renew a lease"),
                }
            }
        }
    }
}

/// Brings this server's vulnerability database up to other servers' refreshes (see
/// [`crate::vulndb::follow`]), looking every `poll`.
async fn follow(state: AppState, poll: Duration) {
    let mirror = state.config.mirror();
    loop {
        let wait = match crate::vulndb::follow(&state.db, &state.vulns, &mirror).await {
            Ok(_) => poll,
            Err(e) => {
                tracing::warn!(error = %e, "cannot bring the vulnerability database up to date");
                FOLLOW_RETRY.max(poll)
            }
        };
        tokio::time::sleep(wait).await;
    }
}

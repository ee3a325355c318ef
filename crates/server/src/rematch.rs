//! Re-matching every project's latest scan against a new vulnerability database.
//!
//! Each project's stored document is read back, parsed and matched again (CPU work on the
//! blocking pool, several projects at a time); its latest scan's findings and counts are then
//! replaced and the lifecycle applied in one transaction per project
//! ([`rematch::replace_findings`]). A project that fails is logged and counted, and the
//! others go on.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex};

use trusca_core::vulns::db::Db as VulnStore;

use crate::db::lifecycle::Changes;
use crate::db::rematch::{self, RematchSummary, Target};
use crate::db::{Db, DbError};
use crate::ingest;
use crate::rows::Ingest;

/// Re-matches every project that has a scan against `store`. `actor` names who asked, for the
/// audit log.
pub async fn run(db: &Db, store: Arc<VulnStore>, actor: &str) -> RematchSummary {
    let targets = match rematch::targets(db).await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "re-match: cannot list the projects");
            return RematchSummary {
                failed: 1,
                ..RematchSummary::default()
            };
        }
    };
    let queue = Arc::new(Mutex::new(VecDeque::from(targets)));
    // Matching is CPU work: a worker per core keeps the cores busy while others wait on the
    // database; the matcher itself also spreads one project over the cores.
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(2, 8);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let queue = queue.clone();
        let db = db.clone();
        let store = store.clone();
        let actor = actor.to_owned();
        tasks.spawn(async move {
            let mut sum = RematchSummary::default();
            loop {
                let next = match queue.lock() {
                    Ok(mut q) => q.pop_front(),
                    Err(poisoned) => poisoned.into_inner().pop_front(),
                };
                let Some(target) = next else { break };
                match project(&db, &store, &target, &actor).await {
                    Ok(Some(c)) => {
                        sum.projects += 1;
                        sum.new_findings += c.new;
                        sum.resolved_findings += c.resolved;
                    }
                    // A newer upload replaced the scan meanwhile; it was matched itself.
                    Ok(None) => {}
                    Err(e) => {
                        sum.failed += 1;
                        tracing::error!(
                            project = %target.name, team = %target.team, error = %e,
                            "re-match of a project failed"
                        );
                    }
                }
            }
            sum
        });
    }
    let mut total = RematchSummary::default();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(s) => {
                total.projects += s.projects;
                total.failed += s.failed;
                total.new_findings += s.new_findings;
                total.resolved_findings += s.resolved_findings;
            }
            Err(e) => {
                total.failed += 1;
                tracing::error!(error = %e, "a re-match worker failed");
            }
        }
    }
    total
}

/// Why one project's re-match failed.
#[derive(Debug, thiserror::Error)]
enum ProjectError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the stored document cannot be read: {0}")]
    Document(String),
    #[error("matching failed: {0}")]
    Match(String),
}

/// Re-matches one project. `None` when its latest scan changed since it was listed.
async fn project(
    db: &Db,
    store: &Arc<VulnStore>,
    t: &Target,
    actor: &str,
) -> Result<Option<Changes>, ProjectError> {
    let gz = rematch::document(db, t.scan_id).await?;
    let store = store.clone();
    let ingest = tokio::task::spawn_blocking(move || matched(&gz, &store))
        .await
        .map_err(|e| ProjectError::Match(e.to_string()))??;
    Ok(rematch::replace_findings(db, t, &ingest.findings, actor).await?)
}

/// The stored (gzipped) document, parsed and matched.
fn matched(gz: &[u8], store: &VulnStore) -> Result<Ingest, ProjectError> {
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut body)
        .map_err(|e| ProjectError::Document(e.to_string()))?;
    let mut ingest =
        ingest::parse(&body, usize::MAX).map_err(|e| ProjectError::Document(e.to_string()))?;
    ingest::apply_server_db(&mut ingest, store).map_err(|e| ProjectError::Match(e.to_string()))?;
    Ok(ingest)
}

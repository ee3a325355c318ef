//! Re-matching every project's latest scan against a new vulnerability database, and the
//! `vuln_db_refreshes` records of each refresh.
//!
//! Each project's stored document is read back, parsed and matched again (CPU work on the
//! blocking pool, several projects at a time); its latest scan's findings and counts are then
//! replaced and the lifecycle applied in one transaction per project. A project that fails is
//! logged and counted, and the others go on.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex};

use serde_json::json;
use sqlx::{AnyConnection, Row};
use trusca_core::vulns::db::Db as VulnStore;

use super::identity::{audit, Audit};
use super::lifecycle::{self, Changes, ProjectCtx};
use super::{now, scans, Backend, Db};
use crate::ingest::{self, FindingRow, Ingest, Summary};

/// What a re-match did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RematchSummary {
    /// Projects re-matched.
    pub projects: u64,
    /// Projects whose re-match failed (logged).
    pub failed: u64,
    /// Findings seen for the first time.
    pub new_findings: u64,
    /// Open findings no longer found.
    pub resolved_findings: u64,
}

/// A project with a latest scan.
#[derive(Debug, Clone)]
struct Target {
    id: i64,
    name: String,
    team_id: i64,
    team: String,
    scan_id: i64,
}

/// Re-matches every project that has a scan against `store`. `actor` names who asked, for the
/// audit log.
pub async fn run(db: &Db, store: Arc<VulnStore>, actor: &str) -> RematchSummary {
    let targets = match targets(db).await {
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

async fn targets(db: &Db) -> Result<Vec<Target>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.team_id, t.name AS team, p.latest_scan_id \
         FROM projects p JOIN teams t ON t.id = p.team_id \
         WHERE p.latest_scan_id IS NOT NULL ORDER BY p.id",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Target {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                team_id: r.try_get("team_id")?,
                team: r.try_get("team")?,
                scan_id: r.try_get("latest_scan_id")?,
            })
        })
        .collect()
}

/// Why one project's re-match failed.
#[derive(Debug, thiserror::Error)]
enum ProjectError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
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
    let gz: Vec<u8> = sqlx::query("SELECT document FROM scans WHERE id = $1")
        .bind(t.scan_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("document")?;
    let store = store.clone();
    let ingest = tokio::task::spawn_blocking(move || matched(&gz, &store))
        .await
        .map_err(|e| ProjectError::Match(e.to_string()))??;
    let summary = ingest.summary();

    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    // Takes the project row (PostgreSQL) so an upload of this project waits, and checks the
    // scan is still the latest.
    let still_latest = sqlx::query(
        "UPDATE projects SET latest_scan_id = latest_scan_id WHERE id = $1 AND latest_scan_id = $2",
    )
    .bind(t.id)
    .bind(t.scan_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if still_latest == 0 {
        return Ok(None);
    }
    if !same_findings(&mut tx, t.scan_id, &ingest.findings).await? {
        rewrite_findings(&mut tx, db.backend, t.scan_id, &ingest, &summary).await?;
    }
    let ctx = ProjectCtx {
        id: t.id,
        name: &t.name,
        team_id: t.team_id,
        team: &t.team,
    };
    let changes = lifecycle::apply(&mut tx, db.backend, ctx, &ingest.findings, &now()).await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "scan.rematch",
            target: &format!("project:{}/scan:{}", t.name, t.scan_id),
            team_id: Some(t.team_id),
            request_id: None,
            detail: Some(
                json!({
                    "findings": summary.findings,
                    "new": changes.new,
                    "resolved": changes.resolved,
                })
                .to_string(),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(changes))
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

/// Records the start of a refresh; returns its row id.
pub async fn refresh_started(db: &Db, source: &str) -> Result<i64, sqlx::Error> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO vuln_db_refreshes (started_at, source) VALUES ($1, $2) RETURNING id",
    )
    .bind(now())
    .bind(source)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// Records a refresh that finished, with its counts, and audits it.
pub async fn refresh_finished(
    db: &Db,
    id: i64,
    records: u64,
    summary: &RematchSummary,
    actor: &str,
) -> Result<(), sqlx::Error> {
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE vuln_db_refreshes SET finished_at = $1, records = $2, projects = $3, \
         new_findings = $4, resolved_findings = $5 WHERE id = $6",
    )
    .bind(now())
    .bind(count(records))
    .bind(count(summary.projects))
    .bind(count(summary.new_findings))
    .bind(count(summary.resolved_findings))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "vulndb.refresh",
            target: &format!("vuln_db_refresh:{id}"),
            team_id: None,
            request_id: None,
            detail: Some(
                json!({
                    "records": records,
                    "projects": summary.projects,
                    "failed_projects": summary.failed,
                    "new_findings": summary.new_findings,
                    "resolved_findings": summary.resolved_findings,
                })
                .to_string(),
            ),
        },
    )
    .await?;
    tx.commit().await
}

/// Records a refresh that failed, and audits it.
pub async fn refresh_failed(db: &Db, id: i64, error: &str, actor: &str) -> Result<(), sqlx::Error> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE vuln_db_refreshes SET finished_at = $1, error = $2 WHERE id = $3")
        .bind(now())
        .bind(error)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "vulndb.refresh",
            target: &format!("vuln_db_refresh:{id}"),
            team_id: None,
            request_id: None,
            detail: Some(json!({ "error": error }).to_string()),
        },
    )
    .await?;
    tx.commit().await
}

/// The most recent refreshes, newest first, as JSON (for `trusca server db status`).
pub async fn recent_refreshes(db: &Db, limit: i64) -> Result<Vec<serde_json::Value>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, started_at, finished_at, source, records, projects, new_findings, \
         resolved_findings, error FROM vuln_db_refreshes ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "started_at": r.try_get::<String, _>("started_at")?,
                "finished_at": r.try_get::<Option<String>, _>("finished_at")?,
                "source": r.try_get::<String, _>("source")?,
                "records": r.try_get::<Option<i64>, _>("records")?,
                "projects": r.try_get::<Option<i64>, _>("projects")?,
                "new_findings": r.try_get::<Option<i64>, _>("new_findings")?,
                "resolved_findings": r.try_get::<Option<i64>, _>("resolved_findings")?,
                "error": r.try_get::<Option<String>, _>("error")?,
            }))
        })
        .collect()
}

/// Whether the scan's stored findings are exactly `findings` (same ids, aliases, components,
/// severities, scores, fixes and summaries), so a re-match need not rewrite them.
async fn same_findings(
    conn: &mut AnyConnection,
    scan_id: i64,
    findings: &[FindingRow],
) -> Result<bool, sqlx::Error> {
    type Key = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let key = |f: &FindingRow| -> Key {
        (
            f.advisory_id.clone(),
            f.aliases.join(" "),
            f.purl.clone(),
            f.version.clone(),
            f.severity.clone(),
            f.score.map(|s| format!("{s:.1}")),
            f.fixed_in.clone(),
            f.summary.clone(),
        )
    };
    let rows = sqlx::query(
        "SELECT advisory_id, aliases, purl, version, severity, score, fixed_in, summary \
         FROM findings WHERE scan_id = $1",
    )
    .bind(scan_id)
    .fetch_all(&mut *conn)
    .await?;
    if rows.len() != findings.len() {
        return Ok(false);
    }
    let mut stored = Vec::with_capacity(rows.len());
    for r in &rows {
        let score: Option<f64> = r.try_get("score")?;
        stored.push((
            r.try_get("advisory_id")?,
            r.try_get("aliases")?,
            r.try_get("purl")?,
            r.try_get("version")?,
            r.try_get("severity")?,
            score.map(|s| format!("{s:.1}")),
            r.try_get("fixed_in")?,
            r.try_get("summary")?,
        ));
    }
    let mut now: Vec<Key> = findings.iter().map(key).collect();
    stored.sort();
    now.sort();
    Ok(stored == now)
}

/// Replaces the scan's findings (and their ids) with the re-matched ones and updates its counts.
async fn rewrite_findings(
    conn: &mut AnyConnection,
    backend: Backend,
    scan_id: i64,
    ingest: &Ingest,
    summary: &Summary,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM finding_ids WHERE scan_id = $1")
        .bind(scan_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM findings WHERE scan_id = $1")
        .bind(scan_id)
        .execute(&mut *conn)
        .await?;
    scans::insert_findings(conn, backend, scan_id, &ingest.findings).await?;
    sqlx::query(
        "UPDATE scans SET finding_count = $1, critical_count = $2, high_count = $3, \
         medium_count = $4, low_count = $5, unknown_count = $6 WHERE id = $7",
    )
    .bind(summary.findings)
    .bind(summary.critical)
    .bind(summary.high)
    .bind(summary.medium)
    .bind(summary.low)
    .bind(summary.unknown)
    .bind(scan_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

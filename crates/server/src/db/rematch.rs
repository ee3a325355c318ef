//! The SQL of a re-match (see [`crate::rematch`]): the projects to re-match, a scan's stored
//! document, and the replacement of a scan's findings with their lifecycle; and the
//! `vuln_db_refreshes` records of each refresh.

use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, Row};

use super::audit::{audit, Audit};
use super::lifecycle::{self, Changes, ProjectCtx};
use super::types::TextEnum;
use super::{now, scans, Backend, Db, DbError};
use crate::rows::{FindingRow, Summary};

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
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Target {
    /// Project row id.
    pub id: i64,
    /// Project name.
    pub name: String,
    /// Team row id.
    pub team_id: i64,
    /// Team name.
    pub team: String,
    /// The latest scan.
    #[sqlx(rename = "latest_scan_id")]
    pub scan_id: i64,
}

/// Every project that has a scan, by id.
pub async fn targets(db: &Db) -> Result<Vec<Target>, DbError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.name, p.team_id, t.name AS team, p.latest_scan_id \
         FROM projects p JOIN teams t ON t.id = p.team_id \
         WHERE p.latest_scan_id IS NOT NULL ORDER BY p.id",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// The stored (gzipped) document of a scan.
pub async fn document(db: &Db, scan_id: i64) -> Result<Vec<u8>, DbError> {
    Ok(sqlx::query("SELECT document FROM scans WHERE id = $1")
        .bind(scan_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("document")?)
}

/// Makes `findings` the findings of the target's scan (rewritten only when they changed) and
/// applies the project's lifecycle, audited as `scan.rematch` by `actor`, in one transaction.
/// `None` when the scan is no longer the project's latest (a newer upload was matched itself).
pub async fn replace_findings(
    db: &Db,
    t: &Target,
    findings: &[FindingRow],
    actor: &str,
) -> Result<Option<Changes>, DbError> {
    let summary = Summary::of_findings(findings);
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
    if !same_findings(&mut tx, t.scan_id, findings).await? {
        rewrite_findings(&mut tx, db.backend, t.scan_id, findings, &summary).await?;
    }
    let ctx = ProjectCtx {
        id: t.id,
        name: &t.name,
        team_id: t.team_id,
        team: &t.team,
    };
    let changes = lifecycle::apply(&mut tx, db.backend, ctx, findings, &now()).await?;
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

/// Records the start of a refresh; returns its row id.
pub async fn refresh_started(db: &Db, source: &str) -> Result<i64, DbError> {
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
) -> Result<(), DbError> {
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
    Ok(tx.commit().await?)
}

/// Records a refresh that failed, and audits it.
pub async fn refresh_failed(db: &Db, id: i64, error: &str, actor: &str) -> Result<(), DbError> {
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
    Ok(tx.commit().await?)
}

/// One refresh of the vulnerability database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Refresh {
    /// Row id.
    pub id: i64,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it ended, once it has.
    pub finished_at: Option<String>,
    /// Where its records came from.
    pub source: String,
    /// Records in the new database, once done.
    pub records: Option<i64>,
    /// Projects re-matched, once done.
    pub projects: Option<i64>,
    /// Findings seen for the first time, once done.
    pub new_findings: Option<i64>,
    /// Open findings no longer found, once done.
    pub resolved_findings: Option<i64>,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// The most recent refreshes, newest first.
pub async fn recent_refreshes(db: &Db, limit: i64) -> Result<Vec<Refresh>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, started_at, finished_at, source, records, projects, new_findings, \
         resolved_findings, error FROM vuln_db_refreshes ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// When the newest refresh that finished without error started (RFC 3339), if there is one.
pub async fn last_success(db: &Db) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT started_at FROM vuln_db_refreshes \
         WHERE finished_at IS NOT NULL AND error IS NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?)
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
            f.severity.text().to_owned(),
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
    findings: &[FindingRow],
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
    scans::insert_findings(conn, backend, scan_id, findings).await?;
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

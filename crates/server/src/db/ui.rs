//! Read-only queries of the web pages that the API has no equivalent for: per-project open
//! findings and license tiers, finding lifecycle dates, triage history, a team's keys, recent
//! webhook deliveries, and the audit log page by page.

use std::collections::{BTreeMap, HashMap};

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use trusca_core::model::Tier;
use trusca_core::vulns::SeverityLevel;

use super::portfolio::{TeamScope, TriageRecord};
use super::sla;
use super::types;
use super::{Db, DbError};

/// `(team, project)`: the key of per-project figures.
pub type ProjectKey = (String, String);

/// Open findings of each project's latest scan: those without a closing triage state.
pub async fn open_findings(
    db: &Db,
    scope: &TeamScope,
) -> Result<HashMap<ProjectKey, i64>, DbError> {
    let sql = format!(
        "SELECT t.name AS team, p.name AS project, COUNT(*) AS n \
         FROM projects p JOIN teams t ON t.id = p.team_id \
         JOIN findings f ON f.scan_id = p.latest_scan_id \
         LEFT JOIN triage tr ON tr.project_id = p.id AND tr.purl = f.purl \
              AND tr.advisory_id = f.advisory_id \
         WHERE {} AND (tr.state IS NULL OR tr.state NOT IN ({})) \
         GROUP BY t.name, p.name",
        scope.condition("p.team_id"),
        sla::closed_states_sql()
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(|r| Ok(((r.try_get("team")?, r.try_get("project")?), r.try_get("n")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Components of each project's latest scan by license tier (`unknown` when none was given),
/// as stored with the scan.
pub async fn license_tiers(
    db: &Db,
    scope: &TeamScope,
) -> Result<HashMap<ProjectKey, BTreeMap<Tier, i64>>, DbError> {
    let sql = format!(
        "SELECT t.name AS team, p.name AS project, s.license_tiers \
         FROM projects p JOIN teams t ON t.id = p.team_id \
         JOIN scans s ON s.id = p.latest_scan_id WHERE {}",
        scope.condition("p.team_id")
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let key = (r.try_get("team")?, r.try_get("project")?);
        let text: Option<String> = r.try_get("license_tiers")?;
        let tiers = serde_json::from_str(text.as_deref().unwrap_or("{}"))?;
        out.insert(key, tiers);
    }
    Ok(out)
}

/// `(purl, advisory id)`: the key of a finding within a project.
pub type FindingKey = (String, String);

/// One finding's life in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// Component purl.
    pub purl: String,
    /// Advisory id.
    pub advisory_id: String,
    /// Severity when last seen.
    pub severity: SeverityLevel,
    /// First seen (RFC 3339).
    pub first_seen_at: String,
    /// When it disappeared, if it did.
    pub resolved_at: Option<String>,
}

impl FromRow<'_, AnyRow> for Lifecycle {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Lifecycle {
            purl: r.try_get("purl")?,
            advisory_id: r.try_get("advisory_id")?,
            severity: types::get(r, "severity")?,
            first_seen_at: r.try_get("first_seen_at")?,
            resolved_at: r.try_get("resolved_at")?,
        })
    }
}

/// The recorded lifecycle of the findings a project had and no longer has (resolved), most
/// recently first seen first.
pub async fn resolved(db: &Db, project_id: i64) -> Result<Vec<Lifecycle>, DbError> {
    Ok(sqlx::query_as(
        "SELECT purl, advisory_id, severity, first_seen_at, resolved_at \
         FROM project_findings WHERE project_id = $1 AND resolved_at IS NOT NULL \
         ORDER BY first_seen_at DESC, advisory_id, purl",
    )
    .bind(project_id)
    .fetch_all(&db.pool)
    .await?)
}

/// When each finding of a project first appeared in an upload (the time of the earliest scan
/// that has it), for findings the lifecycle table does not know.
pub async fn first_uploaded(
    db: &Db,
    project_id: i64,
) -> Result<HashMap<FindingKey, String>, DbError> {
    let rows = sqlx::query(
        "SELECT f.purl, f.advisory_id, MIN(s.created_at) AS seen \
         FROM findings f JOIN scans s ON s.id = f.scan_id \
         WHERE s.project_id = $1 GROUP BY f.purl, f.advisory_id",
    )
    .bind(project_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            Ok((
                (r.try_get("purl")?, r.try_get("advisory_id")?),
                r.try_get("seen")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// One recorded triage decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageEvent {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What was decided.
    pub record: TriageRecord,
}

/// The triage decisions of one finding (project, component purl, primary advisory id), newest
/// first, from the audit rows that recorded them (a row whose detail is not such a record is
/// left out).
pub async fn triage_history(
    db: &Db,
    project_id: i64,
    purl: &str,
    advisory_id: &str,
) -> Result<Vec<TriageEvent>, DbError> {
    let rows = sqlx::query(
        "SELECT a.at, a.actor, a.detail FROM triage_events e \
         JOIN audit_log a ON a.id = e.audit_id \
         WHERE e.project_id = $1 AND e.purl = $2 AND e.advisory_id = $3 \
         ORDER BY e.audit_id DESC LIMIT 200",
    )
    .bind(project_id)
    .bind(purl)
    .bind(advisory_id)
    .fetch_all(&db.pool)
    .await?;
    let mut events = Vec::with_capacity(rows.len());
    for r in &rows {
        let detail: Option<String> = r.try_get("detail")?;
        let Some(record) = detail.and_then(|d| serde_json::from_str(&d).ok()) else {
            continue;
        };
        events.push(TriageEvent {
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            record,
        });
    }
    Ok(events)
}

/// An API key as the team page lists it (never its hash).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyInfo {
    /// Public prefix.
    pub prefix: String,
    /// Owner id.
    pub user_id: i64,
    /// Owner name.
    pub username: String,
    /// The team it is bound to.
    pub team_id: Option<i64>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last used, if ever.
    pub last_used_at: Option<String>,
    /// Revoked, if it was.
    pub revoked_at: Option<String>,
}

/// The keys bound to a team and the unbound keys of its members; active ones first.
pub async fn team_keys(db: &Db, team_id: i64) -> Result<Vec<KeyInfo>, DbError> {
    Ok(sqlx::query_as(
        "SELECT k.prefix, k.user_id, u.username, k.team_id, k.created_at, k.last_used_at, \
         k.revoked_at FROM api_keys k JOIN users u ON u.id = k.user_id \
         WHERE k.team_id = $1 OR (k.team_id IS NULL AND k.user_id IN \
               (SELECT user_id FROM memberships WHERE team_id = $1)) \
         ORDER BY CASE WHEN k.revoked_at IS NULL THEN 0 ELSE 1 END, u.username, k.id",
    )
    .bind(team_id)
    .fetch_all(&db.pool)
    .await?)
}

/// One delivery of an event to a webhook.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryInfo {
    /// The webhook's URL.
    pub url: String,
    /// Event name.
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// Queued (RFC 3339).
    pub created_at: String,
    /// Last attempt, if any.
    pub last_attempt_at: Option<String>,
    /// The receiver's last HTTP status, if any.
    pub response_status: Option<i64>,
    /// The last error, if any.
    pub last_error: Option<String>,
}

/// The latest deliveries of a team's webhooks, newest first.
pub async fn deliveries(db: &Db, team_id: i64, limit: i64) -> Result<Vec<DeliveryInfo>, DbError> {
    Ok(sqlx::query_as(
        "SELECT w.url, d.event, d.status, d.attempts, d.created_at, d.last_attempt_at, \
         d.response_status, d.last_error \
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE w.team_id = $1 ORDER BY d.id DESC LIMIT $2",
    )
    .bind(team_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// One audit-log row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    /// Row id (the page cursor).
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// The team's name, when there is one.
    pub team: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// JSON context.
    pub detail: Option<String>,
}

/// Up to `limit` audit rows older than `before` (all when `None`), newest first.
pub async fn audit_page(
    db: &Db,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, a.actor, a.action, a.target, t.name AS team, a.request_id, a.detail \
         FROM audit_log a LEFT JOIN teams t ON t.id = a.team_id \
         WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

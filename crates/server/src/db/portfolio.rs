//! Team views: projects, findings with their triage, and the cross-project queries ("who uses
//! package X", "who is affected by advisory Y"), always over each project's latest scan and
//! always limited to the caller's teams.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use trusca_core::model::Scope;
use trusca_core::vulns::SeverityLevel;

use super::audit::{audit, Audit};
use super::scans::{StoredScan, SCAN_COLUMNS};
use super::types::{self, TextEnum};
use super::{now, Db, DbError};
use crate::rows::TriageState;
use trusca_core::model::purl;

/// Which teams a query may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamScope {
    /// Every team (super admins without a team filter).
    All,
    /// Only these teams.
    Teams(Vec<i64>),
}

impl TeamScope {
    /// A SQL condition on `column`. Team ids come from our own database as integers, so they
    /// are written into the SQL directly.
    pub(crate) fn condition(&self, column: &str) -> String {
        match self {
            TeamScope::All => "1 = 1".into(),
            TeamScope::Teams(ids) if ids.is_empty() => "1 = 0".into(),
            TeamScope::Teams(ids) => {
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                format!("{column} IN ({})", list.join(", "))
            }
        }
    }
}

/// A project row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRef {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Latest scan id.
    pub latest_scan_id: Option<i64>,
}

/// A project of a team, by name.
pub async fn project(db: &Db, team_id: i64, name: &str) -> Result<Option<ProjectRef>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, name, latest_scan_id FROM projects WHERE team_id = $1 AND name = $2",
    )
    .bind(team_id)
    .bind(name)
    .fetch_optional(&db.pool)
    .await?)
}

/// A project with its latest scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectSummary {
    /// Team name.
    pub team: String,
    /// Project name.
    pub name: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// The latest scan, once there is one.
    pub latest_scan: Option<StoredScan>,
}

/// Projects with their latest scan summary, sorted by team and name; only the project with
/// id `only` when given.
pub async fn projects(
    db: &Db,
    scope: &TeamScope,
    only: Option<i64>,
) -> Result<Vec<ProjectSummary>, DbError> {
    let only = only.map_or(String::new(), |id| format!(" AND p.id = {id}"));
    let sql = format!(
        "SELECT t.name AS team, p.name AS project, p.created_at AS project_created_at, \
         p.latest_scan_id, {SCAN_COLUMNS} \
         FROM projects p JOIN teams t ON t.id = p.team_id \
         LEFT JOIN scans s ON s.id = p.latest_scan_id \
         WHERE {}{only} ORDER BY t.name, p.name",
        scope.condition("p.team_id")
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let latest = match r.try_get::<Option<i64>, _>("latest_scan_id")? {
                Some(_) => Some(StoredScan::from_row(r)?),
                None => None,
            };
            Ok(ProjectSummary {
                team: r.try_get("team")?,
                name: r.try_get("project")?,
                created_at: r.try_get("project_created_at")?,
                latest_scan: latest,
            })
        })
        .collect()
}

/// Which findings of a project to list, by lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingState {
    /// The findings of a scan (the latest unless another is named).
    Open,
    /// Findings that were in an earlier scan and are no longer found.
    Resolved,
    /// Both.
    All,
}

/// Where a finding is in its project's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LifecycleState {
    /// Found by the latest scan.
    Open,
    /// No longer found.
    Resolved,
}

/// A finding of a project, with its triage and lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectFinding {
    /// Primary advisory id.
    #[serde(rename = "id")]
    pub advisory_id: String,
    /// The affected component.
    pub purl: String,
    /// Its version.
    pub version: String,
    /// How severe it is (for a resolved finding, when last seen).
    pub severity: SeverityLevel,
    /// What the scan says of it; a resolved finding's scan may be gone.
    #[serde(flatten)]
    pub scanned: Option<ScanFinding>,
    /// The project's triage of it, if any.
    pub triage: Option<Triage>,
    /// Open or resolved.
    pub state: LifecycleState,
    /// When the project first had it, where recorded.
    pub first_seen_at: Option<String>,
    /// When a scan last had it, where recorded.
    pub last_seen_at: Option<String>,
    /// When it disappeared (resolved findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
}

impl ProjectFinding {
    /// Whether the finding goes by `id`, as primary id or alias.
    pub fn is_named(&self, id: &str) -> bool {
        self.advisory_id == id
            || self
                .scanned
                .as_ref()
                .is_some_and(|s| s.aliases.iter().any(|a| a == id))
    }
}

/// What a scan's finding row says beyond its id, component and severity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanFinding {
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    /// CVSS base score.
    pub score: Option<f64>,
    /// The lowest fixing version.
    pub fixed_in: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
}

/// A triage decision as a finding shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Triage {
    /// The VEX state.
    pub state: TriageState,
    /// The VEX justification.
    pub justification: Option<String>,
    /// Free text.
    pub comment: Option<String>,
    /// Who decided.
    pub by: Option<String>,
    /// When (RFC 3339).
    pub at: Option<String>,
}

/// The triage columns of a findings query (`state`, `justification`, `comment`, `username`,
/// `updated_at`): `None` when the finding was not triaged.
fn triage(r: &AnyRow) -> Result<Option<Triage>, sqlx::Error> {
    let Some(state) = types::get_optional(r, "state")? else {
        return Ok(None);
    };
    Ok(Some(Triage {
        state,
        justification: r.try_get("justification")?,
        comment: r.try_get("comment")?,
        by: r.try_get("username")?,
        at: r.try_get("updated_at")?,
    }))
}

/// The lifecycle columns of a findings query.
#[derive(Debug, sqlx::FromRow)]
struct LifecycleColumns {
    first_seen_at: Option<String>,
    last_seen_at: Option<String>,
    resolved_at: Option<String>,
}

/// The columns every findings query selects.
#[derive(Debug)]
struct FindingColumns {
    advisory_id: String,
    purl: String,
    severity: SeverityLevel,
    triage: Option<Triage>,
    lifecycle: LifecycleColumns,
}

impl FromRow<'_, AnyRow> for FindingColumns {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(FindingColumns {
            advisory_id: r.try_get("advisory_id")?,
            purl: r.try_get("purl")?,
            severity: types::get(r, "severity")?,
            triage: triage(r)?,
            lifecycle: LifecycleColumns::from_row(r)?,
        })
    }
}

impl FindingColumns {
    fn into_finding(self, version: String, scanned: Option<ScanFinding>) -> ProjectFinding {
        let LifecycleColumns {
            first_seen_at,
            last_seen_at,
            resolved_at,
        } = self.lifecycle;
        ProjectFinding {
            advisory_id: self.advisory_id,
            purl: self.purl,
            version,
            severity: self.severity,
            scanned,
            triage: self.triage,
            state: if resolved_at.is_some() {
                LifecycleState::Resolved
            } else {
                LifecycleState::Open
            },
            first_seen_at,
            last_seen_at,
            resolved_at,
        }
    }
}

/// Findings of one scan with the project's triage of each and their lifecycle
/// (`first_seen_at`, `last_seen_at`, and `resolved_at` for a resolved one): with
/// [`FindingState::Open`] the findings of `scan_id`, with `Resolved` the project's resolved
/// findings (their lifecycle, severity and triage: the scan that had them may be gone), with
/// `All` both.
pub async fn findings(
    db: &Db,
    project_id: i64,
    scan_id: Option<i64>,
    state: FindingState,
) -> Result<Vec<ProjectFinding>, DbError> {
    let mut items = Vec::new();
    if let (Some(scan_id), FindingState::Open | FindingState::All) = (scan_id, state) {
        items.extend(open_findings(db, project_id, scan_id).await?);
    }
    if matches!(state, FindingState::Resolved | FindingState::All) {
        items.extend(resolved_findings(db, project_id).await?);
    }
    Ok(items)
}

async fn open_findings(
    db: &Db,
    project_id: i64,
    scan_id: i64,
) -> Result<Vec<ProjectFinding>, DbError> {
    let rows = sqlx::query(
        "SELECT f.advisory_id, f.aliases, f.purl, f.version, f.severity, f.score, f.fixed_in, \
         f.summary, tr.state, tr.justification, tr.comment, tr.updated_at, u.username, \
         pf.first_seen_at, pf.last_seen_at, pf.resolved_at \
         FROM findings f \
         LEFT JOIN triage tr ON tr.project_id = $1 AND tr.purl = f.purl \
              AND tr.advisory_id = f.advisory_id \
         LEFT JOIN users u ON u.id = tr.updated_by \
         LEFT JOIN project_findings pf ON pf.project_id = $1 AND pf.purl = f.purl \
              AND pf.advisory_id = f.advisory_id \
         WHERE f.scan_id = $2 ORDER BY f.id",
    )
    .bind(project_id)
    .bind(scan_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r: &AnyRow| {
            let aliases: String = r.try_get("aliases")?;
            let scanned = ScanFinding {
                aliases: aliases.split_whitespace().map(str::to_owned).collect(),
                score: r.try_get("score")?,
                fixed_in: r.try_get("fixed_in")?,
                summary: r.try_get("summary")?,
            };
            Ok(FindingColumns::from_row(r)?.into_finding(r.try_get("version")?, Some(scanned)))
        })
        .collect()
}

async fn resolved_findings(db: &Db, project_id: i64) -> Result<Vec<ProjectFinding>, DbError> {
    let rows = sqlx::query(
        "SELECT pf.purl, pf.advisory_id, pf.severity, pf.first_seen_at, pf.last_seen_at, \
         pf.resolved_at, tr.state, tr.justification, tr.comment, tr.updated_at, u.username \
         FROM project_findings pf \
         LEFT JOIN triage tr ON tr.project_id = pf.project_id AND tr.purl = pf.purl \
              AND tr.advisory_id = pf.advisory_id \
         LEFT JOIN users u ON u.id = tr.updated_by \
         WHERE pf.project_id = $1 AND pf.resolved_at IS NOT NULL \
         ORDER BY pf.resolved_at DESC, pf.purl, pf.advisory_id",
    )
    .bind(project_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r: &AnyRow| {
            let columns = FindingColumns::from_row(r)?;
            let version = purl::parts(&columns.purl).version.unwrap_or_default();
            Ok(columns.into_finding(version, None))
        })
        .collect()
}

/// A component of a project's latest scan, for "who uses package X".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentUser {
    /// Team name.
    pub team: String,
    /// Project name.
    pub project: String,
    /// The project's latest scan.
    pub scan_id: i64,
    /// Component name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// Its purl.
    pub purl: String,
    /// Where it is needed.
    pub scope: Scope,
    /// Whether it is a direct dependency, where known.
    pub direct: Option<bool>,
    /// Where it was declared, where known.
    pub location: Option<String>,
}

impl FromRow<'_, AnyRow> for ComponentUser {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ComponentUser {
            team: r.try_get("team")?,
            project: r.try_get("project")?,
            scan_id: r.try_get("scan_id")?,
            name: r.try_get("name")?,
            version: r.try_get("version")?,
            purl: r.try_get("purl")?,
            scope: types::get(r, "scope")?,
            direct: types::get_flag(r, "direct")?,
            location: r.try_get("location")?,
        })
    }
}

/// Which projects use a package (by exact purl, purl without version, or name) and at which
/// versions, over each project's latest scan.
pub async fn component_users(
    db: &Db,
    scope: &TeamScope,
    purl: Option<&str>,
    name: Option<&str>,
) -> Result<Vec<ComponentUser>, DbError> {
    let (filter, value, package) = match (purl, name) {
        // A purl with a version (or qualifiers) names one artifact; without, every version of
        // the package.
        (Some(p), _) => {
            let parts = purl::parts(p);
            if parts.narrowed {
                (
                    "c.package = $2 AND c.purl = $1",
                    p.to_owned(),
                    Some(parts.package),
                )
            } else {
                ("c.package = $1", parts.package, None)
            }
        }
        (None, Some(n)) => ("c.name = $1", n.to_owned(), None),
        (None, None) => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT t.name AS team, p.name AS project, p.latest_scan_id AS scan_id, c.name, \
         c.version, c.purl, c.scope, c.direct, c.location \
         FROM components c JOIN projects p ON c.scan_id = p.latest_scan_id \
         JOIN teams t ON t.id = p.team_id \
         WHERE {filter} AND {} ORDER BY t.name, p.name, c.purl, c.location",
        scope.condition("p.team_id")
    );
    let mut query = sqlx::query_as(&sql).bind(value);
    if let Some(package) = package {
        query = query.bind(package);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// A project whose latest scan an advisory affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffectedProject {
    /// Team name.
    pub team: String,
    /// Project name.
    pub project: String,
    /// The project's latest scan.
    pub scan_id: i64,
    /// The finding's primary advisory id.
    pub advisory_id: String,
    /// The affected component.
    pub purl: String,
    /// Its version.
    pub version: String,
    /// How severe it is.
    pub severity: SeverityLevel,
    /// The lowest fixing version.
    pub fixed_in: Option<String>,
    /// The project's triage state of it, if any.
    pub triage_state: Option<TriageState>,
}

impl FromRow<'_, AnyRow> for AffectedProject {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(AffectedProject {
            team: r.try_get("team")?,
            project: r.try_get("project")?,
            scan_id: r.try_get("scan_id")?,
            advisory_id: r.try_get("advisory_id")?,
            purl: r.try_get("purl")?,
            version: r.try_get("version")?,
            severity: types::get(r, "severity")?,
            fixed_in: r.try_get("fixed_in")?,
            triage_state: types::get_optional(r, "state")?,
        })
    }
}

/// Which projects' latest scans are affected by an advisory, found by its id or any alias.
pub async fn advisory_projects(
    db: &Db,
    scope: &TeamScope,
    advisory: &str,
) -> Result<Vec<AffectedProject>, DbError> {
    let sql = format!(
        "SELECT DISTINCT t.name AS team, p.name AS project, p.latest_scan_id AS scan_id, \
         f.advisory_id, f.purl, f.version, f.severity, f.fixed_in, tr.state \
         FROM finding_ids fi JOIN projects p ON fi.scan_id = p.latest_scan_id \
         JOIN teams t ON t.id = p.team_id \
         JOIN findings f ON f.scan_id = fi.scan_id AND f.advisory_id = fi.advisory_id \
              AND f.purl = fi.purl \
         LEFT JOIN triage tr ON tr.project_id = p.id AND tr.purl = f.purl \
              AND tr.advisory_id = f.advisory_id \
         WHERE fi.alias = $1 AND {} ORDER BY t.name, p.name, f.purl",
        scope.condition("p.team_id")
    );
    Ok(sqlx::query_as(&sql)
        .bind(advisory)
        .fetch_all(&db.pool)
        .await?)
}

/// A triage decision to record.
#[derive(Debug)]
pub struct TriageSet<'a> {
    /// Project.
    pub project: &'a ProjectRef,
    /// Team of the project.
    pub team_id: i64,
    /// Component purl.
    pub purl: &'a str,
    /// Advisory id as given (an alias is resolved to the finding's primary id).
    pub advisory: &'a str,
    /// VEX state.
    pub state: TriageState,
    /// VEX justification.
    pub justification: Option<&'a str>,
    /// Free text.
    pub comment: Option<&'a str>,
    /// Who.
    pub user_id: i64,
    /// Their name, for the audit log.
    pub actor: &'a str,
    /// Request id.
    pub request_id: &'a str,
}

/// A recorded triage decision: the API's answer, and the detail of its `triage.set` audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageRecord {
    /// Project name.
    pub project: String,
    /// The finding's primary advisory id.
    pub advisory_id: String,
    /// The affected component.
    pub purl: String,
    /// The VEX state.
    pub state: TriageState,
    /// The VEX justification.
    pub justification: Option<String>,
    /// Free text.
    pub comment: Option<String>,
    /// Who decided.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// Records a triage state for (project, purl, advisory); it applies to every scan of the
/// project, later ones included. `None` when the project has no such finding.
pub async fn set_triage(db: &Db, t: TriageSet<'_>) -> Result<Option<TriageRecord>, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(
        "SELECT fi.advisory_id FROM finding_ids fi JOIN scans s ON s.id = fi.scan_id \
         WHERE s.project_id = $1 AND fi.purl = $2 AND fi.alias = $3 \
         ORDER BY fi.scan_id DESC LIMIT 1",
    )
    .bind(t.project.id)
    .bind(t.purl)
    .bind(t.advisory)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let advisory_id: String = row.try_get("advisory_id")?;
    let at = now();
    sqlx::query(
        "INSERT INTO triage (project_id, purl, advisory_id, state, justification, comment, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (project_id, purl, advisory_id) DO UPDATE SET state = excluded.state, \
         justification = excluded.justification, comment = excluded.comment, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(t.project.id)
    .bind(t.purl)
    .bind(&advisory_id)
    .bind(t.state.text())
    .bind(t.justification)
    .bind(t.comment)
    .bind(t.user_id)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    let record = TriageRecord {
        project: t.project.name.clone(),
        advisory_id,
        purl: t.purl.to_owned(),
        state: t.state,
        justification: t.justification.map(str::to_owned),
        comment: t.comment.map(str::to_owned),
        by: t.actor.to_owned(),
        at,
    };
    let audit_id = audit(
        &mut tx,
        &Audit {
            actor: t.actor,
            action: "triage.set",
            target: &format!("project:{}/finding:{}", t.project.name, record.advisory_id),
            team_id: Some(t.team_id),
            request_id: Some(t.request_id),
            detail: Some(crate::json::text(&record)?),
        },
    )
    .await?;
    sqlx::query(
        "INSERT INTO triage_events (audit_id, project_id, purl, advisory_id) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(audit_id)
    .bind(t.project.id)
    .bind(t.purl)
    .bind(&record.advisory_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(record))
}

/// A member of a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Member {
    /// Username.
    pub username: String,
    /// `team_admin` or `developer`.
    pub role: String,
}

/// The members of a team.
pub async fn members(db: &Db, team_id: i64) -> Result<Vec<Member>, DbError> {
    Ok(sqlx::query_as(
        "SELECT u.username, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.team_id = $1 ORDER BY u.username",
    )
    .bind(team_id)
    .fetch_all(&db.pool)
    .await?)
}

/// An audit-log row as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    /// Row id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// The request id, for API calls.
    pub request_id: Option<String>,
    /// Context as JSON text.
    pub detail: Option<String>,
}

/// The latest audit rows, newest first.
pub async fn audit_log(db: &Db, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, at, actor, action, target, request_id, detail FROM audit_log \
         ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// A user as the organisation list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    /// Username.
    pub username: String,
    /// `super_admin` or `user`.
    pub role: String,
    /// Created (RFC 3339).
    pub created_at: String,
}

/// Every user with their organisation role.
pub async fn users(db: &Db) -> Result<Vec<User>, DbError> {
    Ok(
        sqlx::query_as("SELECT username, role, created_at FROM users ORDER BY username")
            .fetch_all(&db.pool)
            .await?,
    )
}

/// The owner of an active key and the team it is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyOwner {
    /// The owning user.
    pub user_id: i64,
    /// The team the key is bound to, if any.
    pub team_id: Option<i64>,
}

/// Who owns an active key, by prefix (for revocation rights).
pub async fn key_owner(db: &Db, prefix: &str) -> Result<Option<KeyOwner>, DbError> {
    Ok(sqlx::query_as(
        "SELECT user_id, team_id FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL",
    )
    .bind(prefix)
    .fetch_optional(&db.pool)
    .await?)
}

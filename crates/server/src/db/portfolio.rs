//! Team views: projects, findings with their triage, and the cross-project queries ("who uses
//! package X", "who is affected by advisory Y"), always over each project's latest scan and
//! always limited to the caller's teams.

use serde_json::{json, Value};
use sqlx::Row;

use super::identity::{audit, Audit};
use super::scans::{scan_json, SCAN_COLUMNS};
use super::{now, Db};
use crate::error::ApiError;

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
#[derive(Debug, Clone)]
pub struct ProjectRef {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Latest scan id.
    pub latest_scan_id: Option<i64>,
}

/// A project of a team, by name.
pub async fn project(db: &Db, team_id: i64, name: &str) -> Result<Option<ProjectRef>, sqlx::Error> {
    sqlx::query("SELECT id, name, latest_scan_id FROM projects WHERE team_id = $1 AND name = $2")
        .bind(team_id)
        .bind(name)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| {
            Ok(ProjectRef {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                latest_scan_id: r.try_get("latest_scan_id")?,
            })
        })
        .transpose()
}

/// Projects with their latest scan summary, sorted by team and name; only the project with
/// id `only` when given.
pub async fn projects(
    db: &Db,
    scope: &TeamScope,
    only: Option<i64>,
) -> Result<Vec<Value>, sqlx::Error> {
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
                Some(_) => scan_json(r)?,
                None => Value::Null,
            };
            Ok(json!({
                "team": r.try_get::<String, _>("team")?,
                "name": r.try_get::<String, _>("project")?,
                "created_at": r.try_get::<String, _>("project_created_at")?,
                "latest_scan": latest,
            }))
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
) -> Result<Vec<Value>, sqlx::Error> {
    let mut items = Vec::new();
    if let (Some(scan_id), FindingState::Open | FindingState::All) = (scan_id, state) {
        items.extend(open_findings(db, project_id, scan_id).await?);
    }
    if matches!(state, FindingState::Resolved | FindingState::All) {
        items.extend(resolved_findings(db, project_id).await?);
    }
    Ok(items)
}

async fn open_findings(db: &Db, project_id: i64, scan_id: i64) -> Result<Vec<Value>, sqlx::Error> {
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
        .map(|r| {
            let aliases: String = r.try_get("aliases")?;
            let mut item = json!({
                "id": r.try_get::<String, _>("advisory_id")?,
                "aliases": aliases.split_whitespace().collect::<Vec<_>>(),
                "purl": r.try_get::<String, _>("purl")?,
                "version": r.try_get::<String, _>("version")?,
                "severity": r.try_get::<String, _>("severity")?,
                "score": r.try_get::<Option<f64>, _>("score")?,
                "fixed_in": r.try_get::<Option<String>, _>("fixed_in")?,
                "summary": r.try_get::<Option<String>, _>("summary")?,
                "triage": triage_json(r)?,
            });
            add_lifecycle(&mut item, r)?;
            Ok(item)
        })
        .collect()
}

async fn resolved_findings(db: &Db, project_id: i64) -> Result<Vec<Value>, sqlx::Error> {
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
        .map(|r| {
            let purl: String = r.try_get("purl")?;
            let mut item = json!({
                "id": r.try_get::<String, _>("advisory_id")?,
                "version": version_of(&purl),
                "purl": purl,
                "severity": r.try_get::<String, _>("severity")?,
                "triage": triage_json(r)?,
            });
            add_lifecycle(&mut item, r)?;
            Ok(item)
        })
        .collect()
}

/// The triage columns of a findings query, as JSON (`null` when not triaged).
fn triage_json(r: &sqlx::any::AnyRow) -> Result<Value, sqlx::Error> {
    Ok(match r.try_get::<Option<String>, _>("state")? {
        Some(state) => json!({
            "state": state,
            "justification": r.try_get::<Option<String>, _>("justification")?,
            "comment": r.try_get::<Option<String>, _>("comment")?,
            "by": r.try_get::<Option<String>, _>("username")?,
            "at": r.try_get::<Option<String>, _>("updated_at")?,
        }),
        None => Value::Null,
    })
}

/// Adds `state`, `first_seen_at`, `last_seen_at` and (when resolved) `resolved_at`.
fn add_lifecycle(item: &mut Value, r: &sqlx::any::AnyRow) -> Result<(), sqlx::Error> {
    let resolved: Option<String> = r.try_get("resolved_at")?;
    if let Some(obj) = item.as_object_mut() {
        obj.insert(
            "state".into(),
            if resolved.is_some() {
                "resolved"
            } else {
                "open"
            }
            .into(),
        );
        obj.insert(
            "first_seen_at".into(),
            r.try_get::<Option<String>, _>("first_seen_at")?.into(),
        );
        obj.insert(
            "last_seen_at".into(),
            r.try_get::<Option<String>, _>("last_seen_at")?.into(),
        );
        if let Some(at) = resolved {
            obj.insert("resolved_at".into(), at.into());
        }
    }
    Ok(())
}

/// The version part of a purl (`pkg:npm/a@1.0?x` → `1.0`), empty when it has none.
fn version_of(purl: &str) -> String {
    let package = crate::ingest::package_of(purl);
    let end = purl.find(['?', '#']).unwrap_or(purl.len());
    purl.get(package.len()..end)
        .and_then(|rest| rest.strip_prefix('@'))
        .unwrap_or("")
        .to_owned()
}

/// Which projects use a package (by exact purl, purl without version, or name) and at which
/// versions, over each project's latest scan.
pub async fn component_users(
    db: &Db,
    scope: &TeamScope,
    purl: Option<&str>,
    name: Option<&str>,
) -> Result<Vec<Value>, sqlx::Error> {
    let (filter, value) = match (purl, name) {
        // A purl with a version names one version; without, every version of the package.
        (Some(p), _) if crate::ingest::package_of(p) != p => ("c.package = $2 AND c.purl = $1", p),
        (Some(p), _) => ("c.package = $1", p),
        (None, Some(n)) => ("c.name = $1", n),
        (None, None) => return Ok(Vec::new()),
    };
    let package = crate::ingest::package_of(value);
    let sql = format!(
        "SELECT t.name AS team, p.name AS project, p.latest_scan_id AS scan_id, c.name, \
         c.version, c.purl, c.scope, c.direct, c.location \
         FROM components c JOIN projects p ON c.scan_id = p.latest_scan_id \
         JOIN teams t ON t.id = p.team_id \
         WHERE {filter} AND {} ORDER BY t.name, p.name, c.purl, c.location",
        scope.condition("p.team_id")
    );
    let mut query = sqlx::query(&sql).bind(value);
    if filter.contains("$2") {
        query = query.bind(package);
    }
    let rows = query.fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "team": r.try_get::<String, _>("team")?,
                "project": r.try_get::<String, _>("project")?,
                "scan_id": r.try_get::<i64, _>("scan_id")?,
                "name": r.try_get::<String, _>("name")?,
                "version": r.try_get::<Option<String>, _>("version")?,
                "purl": r.try_get::<String, _>("purl")?,
                "scope": r.try_get::<String, _>("scope")?,
                "direct": r.try_get::<Option<i64>, _>("direct")?.map(|d| d != 0),
                "location": r.try_get::<Option<String>, _>("location")?,
            }))
        })
        .collect()
}

/// Which projects' latest scans are affected by an advisory, found by its id or any alias.
pub async fn advisory_projects(
    db: &Db,
    scope: &TeamScope,
    advisory: &str,
) -> Result<Vec<Value>, sqlx::Error> {
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
    let rows = sqlx::query(&sql).bind(advisory).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "team": r.try_get::<String, _>("team")?,
                "project": r.try_get::<String, _>("project")?,
                "scan_id": r.try_get::<i64, _>("scan_id")?,
                "advisory_id": r.try_get::<String, _>("advisory_id")?,
                "purl": r.try_get::<String, _>("purl")?,
                "version": r.try_get::<String, _>("version")?,
                "severity": r.try_get::<String, _>("severity")?,
                "fixed_in": r.try_get::<Option<String>, _>("fixed_in")?,
                "triage_state": r.try_get::<Option<String>, _>("state")?,
            }))
        })
        .collect()
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
    pub state: &'a str,
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

/// Records a triage state for (project, purl, advisory); it applies to every scan of the
/// project, later ones included. `None` when the project has no such finding.
pub async fn set_triage(db: &Db, t: TriageSet<'_>) -> Result<Option<Value>, ApiError> {
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
    .bind(t.state)
    .bind(t.justification)
    .bind(t.comment)
    .bind(t.user_id)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    let result = json!({
        "project": t.project.name,
        "advisory_id": advisory_id,
        "purl": t.purl,
        "state": t.state,
        "justification": t.justification,
        "comment": t.comment,
        "by": t.actor,
        "at": at,
    });
    audit(
        &mut tx,
        &Audit {
            actor: t.actor,
            action: "triage.set",
            target: &format!("project:{}/finding:{advisory_id}", t.project.name),
            team_id: Some(t.team_id),
            request_id: Some(t.request_id),
            detail: Some(result.to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(result))
}

/// The members of a team.
pub async fn members(db: &Db, team_id: i64) -> Result<Vec<Value>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.username, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.team_id = $1 ORDER BY u.username",
    )
    .bind(team_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "username": r.try_get::<String, _>("username")?,
                "role": r.try_get::<String, _>("role")?,
            }))
        })
        .collect()
}

/// The latest audit rows, newest first.
pub async fn audit_log(db: &Db, limit: i64) -> Result<Vec<Value>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, target, request_id, detail FROM audit_log \
         ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "at": r.try_get::<String, _>("at")?,
                "actor": r.try_get::<String, _>("actor")?,
                "action": r.try_get::<String, _>("action")?,
                "target": r.try_get::<String, _>("target")?,
                "request_id": r.try_get::<Option<String>, _>("request_id")?,
                "detail": r.try_get::<Option<String>, _>("detail")?,
            }))
        })
        .collect()
}

/// Every user with their organisation role.
pub async fn users(db: &Db) -> Result<Vec<Value>, sqlx::Error> {
    let rows = sqlx::query("SELECT username, role, created_at FROM users ORDER BY username")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "username": r.try_get::<String, _>("username")?,
                "role": r.try_get::<String, _>("role")?,
                "created_at": r.try_get::<String, _>("created_at")?,
            }))
        })
        .collect()
}

/// The team a key belongs to, by prefix (for revocation rights).
pub async fn key_owner(db: &Db, prefix: &str) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    sqlx::query("SELECT user_id, team_id FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL")
        .bind(prefix)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get("user_id")?, r.try_get("team_id")?)))
        .transpose()
}

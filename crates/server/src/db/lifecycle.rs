//! The finding lifecycle of a project (`project_findings`): given every finding the project has
//! now, new ones are recorded (and announced as `finding.new`), present ones marked seen (and
//! reopened if they had been resolved), and open ones no longer present resolved. Used by an
//! upload and by a re-match, inside their transactions.

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};
use trusca_core::vulns::SeverityLevel;

use super::events::{self, FindingNew, FINDING_NEW};
use super::types::{self, TextEnum};
use super::{placeholders, Backend, DbError, BATCH};
use crate::rows::FindingRow;

/// The project the findings belong to.
#[derive(Debug, Clone, Copy)]
pub struct ProjectCtx<'a> {
    /// Project row id.
    pub id: i64,
    /// Project name, for events.
    pub name: &'a str,
    /// Team row id.
    pub team_id: i64,
    /// Team name, for events.
    pub team: &'a str,
}

/// What [`apply`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// Findings seen for the first time.
    pub new: u64,
    /// Resolved findings that came back.
    pub reopened: u64,
    /// Open findings no longer present.
    pub resolved: u64,
}

/// Brings the project's lifecycle rows up to date with `findings` (every finding it has now)
/// at time `at` (RFC 3339, [`super::now`]): a handful of batched statements whatever the
/// number of findings, plus one event per new finding when a webhook of the team listens for
/// `finding.new`. The caller holds the project row (or the SQLite write gate) so two updates
/// of one project do not interleave.
pub async fn apply(
    conn: &mut AnyConnection,
    backend: Backend,
    project: ProjectCtx<'_>,
    findings: &[FindingRow],
    at: &str,
) -> Result<Changes, DbError> {
    // (purl, advisory) → whether it is open, and its severity, for every row the project has.
    let rows = sqlx::query(
        "SELECT purl, advisory_id, severity, resolved_at FROM project_findings \
         WHERE project_id = $1",
    )
    .bind(project.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut known: HashMap<(String, String), bool> = HashMap::with_capacity(rows.len());
    let mut severities: HashMap<(String, String), SeverityLevel> =
        HashMap::with_capacity(rows.len());
    for r in &rows {
        let resolved: Option<String> = r.try_get("resolved_at")?;
        let key: (String, String) = (r.try_get("purl")?, r.try_get("advisory_id")?);
        severities.insert(key.clone(), types::get(r, "severity")?);
        known.insert(key, resolved.is_none());
    }

    // The current findings, one per (purl, advisory), with the worst severity seen.
    let mut current: HashMap<(&str, &str), (&FindingRow, SeverityLevel)> = HashMap::new();
    for f in findings {
        let entry = current
            .entry((f.purl.as_str(), f.advisory_id.as_str()))
            .or_insert((f, f.severity));
        entry.1 = entry.1.max(f.severity);
    }
    let mut current: Vec<(&FindingRow, SeverityLevel)> = current.into_values().collect();
    current.sort_by(|a, b| (&a.0.purl, &a.0.advisory_id).cmp(&(&b.0.purl, &b.0.advisory_id)));

    let mut changes = Changes::default();
    let mut new = Vec::new();
    for (f, _) in &current {
        match known.remove(&(f.purl.clone(), f.advisory_id.clone())) {
            None => new.push(*f),
            Some(false) => changes.reopened += 1,
            Some(true) => {}
        }
    }
    changes.new = new.len() as u64;
    // What is left of `known` is absent now; the open ones among them get resolved.
    let mut gone: Vec<(String, String)> = known
        .into_iter()
        .filter_map(|(key, open)| open.then_some(key))
        .collect();
    gone.sort();

    // Nothing new, gone, reopened or re-rated (a re-match of unchanged data): one statement moves
    // the last-seen time of the open rows instead of an upsert of every row.
    let unchanged = new.is_empty()
        && gone.is_empty()
        && changes.reopened == 0
        && current.iter().all(|(f, severity)| {
            severities
                .get(&(f.purl.clone(), f.advisory_id.clone()))
                .is_some_and(|s| s == severity)
        });
    let upserts: &[(&FindingRow, SeverityLevel)] = if unchanged {
        sqlx::query(
            "UPDATE project_findings SET last_seen_at = $1 \
             WHERE project_id = $2 AND resolved_at IS NULL",
        )
        .bind(at)
        .bind(project.id)
        .execute(&mut *conn)
        .await?;
        &[]
    } else {
        &current
    };
    for chunk in upserts.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO project_findings (project_id, purl, advisory_id, severity, \
             first_seen_at, last_seen_at) VALUES {} \
             ON CONFLICT (project_id, purl, advisory_id) DO UPDATE SET \
             severity = excluded.severity, last_seen_at = excluded.last_seen_at, \
             resolved_at = NULL",
            placeholders(backend, 6, chunk.len(), 1)
        );
        let mut q = sqlx::query(&sql);
        for (f, severity) in chunk {
            q = q
                .bind(project.id)
                .bind(f.purl.as_str())
                .bind(f.advisory_id.as_str())
                .bind(severity.text())
                .bind(at)
                .bind(at);
        }
        q.execute(&mut *conn).await?;
    }

    for chunk in gone.chunks(BATCH) {
        let sql = format!(
            "UPDATE project_findings SET resolved_at = $1 WHERE project_id = $2 \
             AND resolved_at IS NULL AND (purl, advisory_id) IN (VALUES {})",
            placeholders(backend, 2, chunk.len(), 3)
        );
        let sql = if backend == Backend::Sqlite {
            // Anonymous parameters throughout (see `placeholders`).
            sql.replacen("$1", "?", 1).replacen("$2", "?", 1)
        } else {
            sql
        };
        let mut q = sqlx::query(&sql).bind(at).bind(project.id);
        for (purl, advisory) in chunk {
            q = q.bind(purl.as_str()).bind(advisory.as_str());
        }
        changes.resolved += q.execute(&mut *conn).await?.rows_affected();
    }

    if !new.is_empty() && has_listener(conn, project.team_id, FINDING_NEW).await? {
        for f in new {
            let key = format!(
                "{FINDING_NEW}:{}:{}:{}:{at}",
                project.id, f.purl, f.advisory_id
            );
            let data = FindingNew {
                project: project.name,
                team: project.team,
                purl: &f.purl,
                package: &f.package,
                version: &f.version,
                advisory_id: &f.advisory_id,
                aliases: &f.aliases,
                severity: f.severity,
                score: f.score,
                fixed_in: f.fixed_in.as_deref(),
                summary: f.summary.as_deref(),
                first_seen_at: at,
            };
            events::enqueue(conn, project.team_id, FINDING_NEW, &key, &data).await?;
        }
    }
    Ok(changes)
}

/// Whether an active webhook of the team subscribes to `event` (so events need not be built
/// for teams nobody listens to).
async fn has_listener(
    conn: &mut AnyConnection,
    team_id: i64,
    event: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM webhooks WHERE team_id = $1 AND disabled_at IS NULL \
         AND (',' || events || ',') LIKE $2",
    )
    .bind(team_id)
    .bind(format!("%,{event},%"))
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

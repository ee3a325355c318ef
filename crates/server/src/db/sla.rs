//! Remediation SLAs: days to fix per severity, per team. A finding is due `days` after it was
//! first seen; findings of `unknown` severity have no due date. Open findings past their due
//! date are listed per team, and [`check_breaches`] raises `sla.breached` for each once.

use std::time::{Duration, SystemTime};

use sqlx::Row;
use trusca_core::vulns::SeverityLevel;

use super::audit::{audit, Audit};
use super::events::{self, SlaBreached, SLA_BREACHED};
use super::types::{self, sql_list, TextEnum};
use super::{Db, DbError};
use crate::rows::TriageState;

/// The most days a policy may give (ten years).
pub const MAX_DAYS: i64 = 3650;

/// [`TriageState::CLOSED`] as an SQL list: `'not_affected', 'false_positive', 'fixed'`.
pub fn closed_states_sql() -> String {
    sql_list(&TriageState::CLOSED)
}

/// Breaches raised per transaction by [`check_breaches`].
const BREACH_BATCH: usize = 500;

/// Days to fix by severity when a team has set nothing, most severe first.
pub const DEFAULT_DAYS: [(SeverityLevel, i64); 4] = [
    (SeverityLevel::Critical, 7),
    (SeverityLevel::High, 30),
    (SeverityLevel::Medium, 90),
    (SeverityLevel::Low, 180),
];

/// A team's days to fix per severity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlaPolicy {
    /// Days for critical findings.
    pub critical: i64,
    /// Days for high findings.
    pub high: i64,
    /// Days for medium findings.
    pub medium: i64,
    /// Days for low findings.
    pub low: i64,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        let mut policy = SlaPolicy {
            critical: 0,
            high: 0,
            medium: 0,
            low: 0,
        };
        for (severity, days) in DEFAULT_DAYS {
            policy.set(severity, days);
        }
        policy
    }
}

impl SlaPolicy {
    /// Days to fix a finding of `severity`, or `None` when it has no SLA (`unknown`).
    pub fn days(&self, severity: SeverityLevel) -> Option<i64> {
        match severity {
            SeverityLevel::Critical => Some(self.critical),
            SeverityLevel::High => Some(self.high),
            SeverityLevel::Medium => Some(self.medium),
            SeverityLevel::Low => Some(self.low),
            SeverityLevel::Unknown => None,
        }
    }

    /// Sets the days for one severity; `false` when the severity has no SLA.
    pub fn set(&mut self, severity: SeverityLevel, days: i64) -> bool {
        let slot = match severity {
            SeverityLevel::Critical => &mut self.critical,
            SeverityLevel::High => &mut self.high,
            SeverityLevel::Medium => &mut self.medium,
            SeverityLevel::Low => &mut self.low,
            SeverityLevel::Unknown => return false,
        };
        *slot = days;
        true
    }

    /// Checks every severity's days are within `1..=MAX_DAYS`; the message names each bad one.
    pub fn validate(&self) -> Result<(), String> {
        let bad: Vec<String> = DEFAULT_DAYS
            .iter()
            .filter_map(|(severity, _)| {
                let days = self.days(*severity)?;
                (!(1..=MAX_DAYS).contains(&days)).then(|| format!("`{}` ({days})", severity.text()))
            })
            .collect();
        if bad.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "days to fix must be between 1 and {MAX_DAYS}: {}",
                bad.join(", ")
            ))
        }
    }

    /// When a finding of `severity` first seen at `first_seen` (RFC 3339) is due, as RFC 3339;
    /// `None` for `unknown` severity or an unreadable time.
    pub fn due_at(&self, first_seen: &str, severity: SeverityLevel) -> Option<String> {
        let due = self.due_time(first_seen, severity)?;
        Some(super::rfc3339(due))
    }

    /// [`SlaPolicy::due_at`] as a time, for comparisons.
    pub fn due_time(&self, first_seen: &str, severity: SeverityLevel) -> Option<SystemTime> {
        let days = u64::try_from(self.days(severity)?).ok()?;
        let seen = humantime::parse_rfc3339_weak(first_seen).ok()?;
        seen.checked_add(Duration::from_secs(days.checked_mul(86_400)?))
    }
}

/// The policy of a team: its own rows over the defaults.
pub async fn policy(db: &Db, team_id: i64) -> Result<SlaPolicy, DbError> {
    let rows = sqlx::query("SELECT severity, days FROM sla_policies WHERE team_id = $1")
        .bind(team_id)
        .fetch_all(&db.pool)
        .await?;
    let mut policy = SlaPolicy::default();
    for row in rows {
        let days: i64 = row.try_get("days")?;
        policy.set(types::get(&row, "severity")?, days);
    }
    Ok(policy)
}

/// Replaces a team's policy (validated first) and audits it (`sla.set`).
pub async fn set_policy(
    db: &Db,
    team_id: i64,
    policy: &SlaPolicy,
    actor: &str,
    request_id: Option<&str>,
) -> Result<(), DbError> {
    policy.validate().map_err(DbError::Invalid)?;
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    for (severity, _) in DEFAULT_DAYS {
        let days = policy.days(severity).unwrap_or_default();
        sqlx::query(
            "INSERT INTO sla_policies (team_id, severity, days) VALUES ($1, $2, $3) \
             ON CONFLICT (team_id, severity) DO UPDATE SET days = excluded.days",
        )
        .bind(team_id)
        .bind(severity.text())
        .bind(days)
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "sla.set",
            target: "sla",
            team_id: Some(team_id),
            request_id,
            detail: serde_json::to_string(policy).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An open finding past its due date.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overdue {
    /// Project id (not serialised).
    #[serde(skip)]
    pub project_id: i64,
    /// Project name.
    pub project: String,
    /// The affected component.
    pub purl: String,
    /// The advisory.
    pub advisory_id: String,
    /// Its severity.
    pub severity: SeverityLevel,
    /// When the finding first appeared in the project.
    pub first_seen_at: String,
    /// When it was due.
    pub due_at: String,
    /// Whole days since it was due.
    pub days_overdue: i64,
    /// When `sla.breached` was raised for it, if it was.
    pub sla_breached_at: Option<String>,
}

/// Open findings of a team's projects past their due date at `now` under `policy`, most overdue
/// first. Findings triaged `not_affected`, `false_positive` or `fixed` are left out;
/// `unbreached_only` keeps those not yet reported as breached.
pub async fn overdue(
    db: &Db,
    team_id: i64,
    policy: &SlaPolicy,
    now: SystemTime,
    unbreached_only: bool,
) -> Result<Vec<Overdue>, DbError> {
    // A finding is overdue when first seen before `now - days` of its severity. Times are
    // fixed-width RFC 3339 UTC text, so comparing the text compares the times.
    let mut cutoffs = Vec::new();
    let mut late = Vec::new();
    for (n, (severity, _)) in DEFAULT_DAYS.into_iter().enumerate() {
        let days = u64::try_from(policy.days(severity).unwrap_or_default()).unwrap_or_default();
        let cutoff = now
            .checked_sub(Duration::from_secs(days.saturating_mul(86_400)))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        cutoffs.push(super::rfc3339(cutoff));
        late.push(format!(
            "(pf.severity = '{}' AND pf.first_seen_at < ${})",
            severity.text(),
            n + 2
        ));
    }
    let late = late.join(" OR ");
    let breached = if unbreached_only {
        " AND pf.sla_breached_at IS NULL"
    } else {
        ""
    };
    let closed = closed_states_sql();
    let sql = format!(
        "SELECT pf.project_id, p.name, pf.purl, pf.advisory_id, pf.severity, pf.first_seen_at, \
         pf.sla_breached_at FROM project_findings pf JOIN projects p ON p.id = pf.project_id \
         LEFT JOIN triage tr ON tr.project_id = pf.project_id AND tr.purl = pf.purl \
              AND tr.advisory_id = pf.advisory_id \
         WHERE p.team_id = $1 AND pf.resolved_at IS NULL{breached} \
         AND (tr.state IS NULL OR tr.state NOT IN ({closed})) AND ({late})"
    );
    let mut query = sqlx::query(&sql).bind(team_id);
    for cutoff in &cutoffs {
        query = query.bind(cutoff);
    }
    let rows = query.fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let severity: SeverityLevel = types::get(r, "severity")?;
        let first_seen_at: String = r.try_get("first_seen_at")?;
        let Some(due) = policy.due_time(&first_seen_at, severity) else {
            continue;
        };
        let Ok(late) = now.duration_since(due) else {
            continue;
        };
        out.push(Overdue {
            project_id: r.try_get("project_id")?,
            project: r.try_get("name")?,
            purl: r.try_get("purl")?,
            advisory_id: r.try_get("advisory_id")?,
            severity,
            first_seen_at,
            due_at: super::rfc3339(due),
            days_overdue: i64::try_from(late.as_secs() / 86_400).unwrap_or(i64::MAX),
            sla_breached_at: r.try_get("sla_breached_at")?,
        });
    }
    out.sort_by(|a, b| {
        (&a.due_at, &a.project, &a.purl, &a.advisory_id).cmp(&(
            &b.due_at,
            &b.project,
            &b.purl,
            &b.advisory_id,
        ))
    });
    Ok(out)
}

/// Marks every overdue open finding not yet breached as breached at `now` and queues its
/// `sla.breached` event in the same transaction; the conditional update makes each breach
/// raised exactly once, also with several server instances. Returns the breaches raised.
pub async fn check_breaches(db: &Db, now: SystemTime) -> Result<u64, DbError> {
    let at = super::rfc3339(now);
    let teams = sqlx::query("SELECT id FROM teams ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let mut raised = 0;
    for team in &teams {
        let team_id: i64 = team.try_get("id")?;
        let team_policy = policy(db, team_id).await?;
        let due = overdue(db, team_id, &team_policy, now, true).await?;
        for chunk in due.chunks(BREACH_BATCH) {
            let _gate = db.write_gate().await;
            let mut tx = db.pool.begin().await?;
            for f in chunk {
                let done = sqlx::query(
                    "UPDATE project_findings SET sla_breached_at = $1 \
                     WHERE project_id = $2 AND purl = $3 AND advisory_id = $4 \
                     AND sla_breached_at IS NULL AND resolved_at IS NULL",
                )
                .bind(&at)
                .bind(f.project_id)
                .bind(&f.purl)
                .bind(&f.advisory_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    continue;
                }
                let key = format!(
                    "{SLA_BREACHED}:{}:{}:{}",
                    f.project_id, f.purl, f.advisory_id
                );
                let data = SlaBreached {
                    project: &f.project,
                    purl: &f.purl,
                    advisory_id: &f.advisory_id,
                    severity: f.severity,
                    first_seen_at: &f.first_seen_at,
                    due_at: &f.due_at,
                    days_overdue: f.days_overdue,
                };
                events::enqueue(&mut tx, team_id, SLA_BREACHED, &key, &data).await?;
                raised += 1;
            }
            tx.commit().await?;
        }
    }
    Ok(raised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_days() {
        let p = SlaPolicy::default();
        assert_eq!((p.critical, p.high, p.medium, p.low), (7, 30, 90, 180));
        for (severity, days) in DEFAULT_DAYS {
            assert_eq!(p.days(severity), Some(days));
        }
        assert_eq!(p.days(SeverityLevel::Unknown), None);
    }

    #[test]
    fn due_dates_add_the_days_of_the_severity() {
        let mut p = SlaPolicy::default();
        assert_eq!(
            p.due_at("2026-01-01T00:00:00.000Z", SeverityLevel::Critical)
                .as_deref(),
            Some("2026-01-08T00:00:00.000Z")
        );
        assert!(p.set(SeverityLevel::High, 1));
        assert!(!p.set(SeverityLevel::Unknown, 1));
        assert_eq!(
            p.due_at("2026-02-28T12:30:00.000Z", SeverityLevel::High)
                .as_deref(),
            Some("2026-03-01T12:30:00.000Z")
        );
        assert_eq!(
            p.due_at("2026-01-01T00:00:00.000Z", SeverityLevel::Unknown),
            None
        );
        assert_eq!(p.due_at("not a time", SeverityLevel::Low), None);
    }

    #[test]
    fn days_must_be_positive_and_at_most_ten_years() {
        let mut p = SlaPolicy::default();
        assert!(p.validate().is_ok());
        p.set(SeverityLevel::Critical, 0);
        p.set(SeverityLevel::Low, MAX_DAYS + 1);
        let message = p.validate().err().unwrap_or_default();
        assert!(message.contains("`critical` (0)"), "{message}");
        assert!(message.contains("`low` (3651)"), "{message}");
        p.set(SeverityLevel::Critical, 1);
        p.set(SeverityLevel::Low, MAX_DAYS);
        assert!(p.validate().is_ok());
    }
}

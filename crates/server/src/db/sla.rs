//! Remediation SLAs: days to fix per severity, per team. A finding is due `days` after it was
//! first seen; findings of `unknown` severity have no due date.

use std::time::{Duration, SystemTime};

use sqlx::Row;

use super::Db;

/// Days to fix by severity when a team has set nothing.
pub const DEFAULT_DAYS: [(&str, i64); 4] =
    [("critical", 7), ("high", 30), ("medium", 90), ("low", 180)];

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
        SlaPolicy {
            critical: 7,
            high: 30,
            medium: 90,
            low: 180,
        }
    }
}

impl SlaPolicy {
    /// Days to fix a finding of `severity`, or `None` when it has no SLA (`unknown`).
    pub fn days(&self, severity: &str) -> Option<i64> {
        match severity {
            "critical" => Some(self.critical),
            "high" => Some(self.high),
            "medium" => Some(self.medium),
            "low" => Some(self.low),
            _ => None,
        }
    }

    /// Sets the days for one severity; `false` when the severity has no SLA.
    pub fn set(&mut self, severity: &str, days: i64) -> bool {
        let slot = match severity {
            "critical" => &mut self.critical,
            "high" => &mut self.high,
            "medium" => &mut self.medium,
            "low" => &mut self.low,
            _ => return false,
        };
        *slot = days;
        true
    }

    /// When a finding of `severity` first seen at `first_seen` (RFC 3339) is due, as RFC 3339;
    /// `None` for `unknown` severity or an unreadable time.
    pub fn due_at(&self, first_seen: &str, severity: &str) -> Option<String> {
        let due = self.due_time(first_seen, severity)?;
        Some(humantime::format_rfc3339_millis(due).to_string())
    }

    /// [`SlaPolicy::due_at`] as a time, for comparisons.
    pub fn due_time(&self, first_seen: &str, severity: &str) -> Option<SystemTime> {
        let days = u64::try_from(self.days(severity)?).ok()?;
        let seen = humantime::parse_rfc3339_weak(first_seen).ok()?;
        seen.checked_add(Duration::from_secs(days.checked_mul(86_400)?))
    }
}

/// The policy of a team: its own rows over the defaults.
pub async fn policy(db: &Db, team_id: i64) -> Result<SlaPolicy, sqlx::Error> {
    let rows = sqlx::query("SELECT severity, days FROM sla_policies WHERE team_id = $1")
        .bind(team_id)
        .fetch_all(&db.pool)
        .await?;
    let mut policy = SlaPolicy::default();
    for row in rows {
        let severity: String = row.try_get("severity")?;
        let days: i64 = row.try_get("days")?;
        policy.set(&severity, days);
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_days() {
        let p = SlaPolicy::default();
        for (severity, days) in DEFAULT_DAYS {
            assert_eq!(p.days(severity), Some(days));
        }
        assert_eq!(p.days("unknown"), None);
    }

    #[test]
    fn due_dates_add_the_days_of_the_severity() {
        let mut p = SlaPolicy::default();
        assert_eq!(
            p.due_at("2026-01-01T00:00:00.000Z", "critical").as_deref(),
            Some("2026-01-08T00:00:00.000Z")
        );
        assert!(p.set("high", 1));
        assert!(!p.set("unknown", 1));
        assert_eq!(
            p.due_at("2026-02-28T12:30:00.000Z", "high").as_deref(),
            Some("2026-03-01T12:30:00.000Z")
        );
        assert_eq!(p.due_at("2026-01-01T00:00:00.000Z", "unknown"), None);
        assert_eq!(p.due_at("not a time", "low"), None);
    }
}

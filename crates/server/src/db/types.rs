//! The text form of the enums stored in text columns (severity, license tier, scope, triage
//! state, upload kind): one table per enum, used to bind values and to read rows ([`get`]). A
//! stored text that names no value is an [`UnknownValue`], which reaches callers as
//! [`super::DbError::UnknownValue`].

use sqlx::any::AnyRow;
use sqlx::Row;
use trusca_core::model::Scope;
use trusca_core::model::Tier;
use trusca_core::vulns::SeverityLevel;

use crate::rows::{SourceKind, TriageState};

/// An enum stored as text.
pub trait TextEnum: Copy + PartialEq + 'static {
    /// What the column holds, for messages.
    const WHAT: &'static str;
    /// Every value, in the enum's order.
    const ALL: &'static [Self];

    /// The stored text of the value.
    fn text(self) -> &'static str;

    /// The value stored as `text`.
    fn parse(text: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.text() == text)
            .ok_or_else(|| UnknownValue {
                what: Self::WHAT,
                value: text.to_owned(),
            })
    }
}

/// A stored text that names no value of its enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`")]
pub struct UnknownValue {
    /// What the column holds.
    pub what: &'static str,
    /// The text found.
    pub value: String,
}

impl TextEnum for SeverityLevel {
    const WHAT: &'static str = "severity";
    const ALL: &'static [Self] = &[
        SeverityLevel::Unknown,
        SeverityLevel::Low,
        SeverityLevel::Medium,
        SeverityLevel::High,
        SeverityLevel::Critical,
    ];

    fn text(self) -> &'static str {
        match self {
            SeverityLevel::Unknown => "unknown",
            SeverityLevel::Low => "low",
            SeverityLevel::Medium => "medium",
            SeverityLevel::High => "high",
            SeverityLevel::Critical => "critical",
        }
    }
}

impl TextEnum for Tier {
    const WHAT: &'static str = "license tier";
    const ALL: &'static [Self] = &[
        Tier::Permissive,
        Tier::Conditional,
        Tier::Unknown,
        Tier::Forbidden,
    ];

    fn text(self) -> &'static str {
        match self {
            Tier::Permissive => "permissive",
            Tier::Conditional => "conditional",
            Tier::Unknown => "unknown",
            Tier::Forbidden => "forbidden",
        }
    }
}

impl TextEnum for Scope {
    const WHAT: &'static str = "scope";
    const ALL: &'static [Self] = &[Scope::Runtime, Scope::Dev, Scope::Optional];

    fn text(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Dev => "dev",
            Scope::Optional => "optional",
        }
    }
}

impl TextEnum for TriageState {
    const WHAT: &'static str = "triage state";
    const ALL: &'static [Self] = &[
        TriageState::InTriage,
        TriageState::NotAffected,
        TriageState::Affected,
        TriageState::Fixed,
        TriageState::FalsePositive,
    ];

    fn text(self) -> &'static str {
        match self {
            TriageState::InTriage => "in_triage",
            TriageState::NotAffected => "not_affected",
            TriageState::Affected => "affected",
            TriageState::Fixed => "fixed",
            TriageState::FalsePositive => "false_positive",
        }
    }
}

impl TextEnum for SourceKind {
    const WHAT: &'static str = "document kind";
    const ALL: &'static [Self] = &[SourceKind::Trusca, SourceKind::Cyclonedx];

    fn text(self) -> &'static str {
        match self {
            SourceKind::Trusca => "trusca",
            SourceKind::Cyclonedx => "cyclonedx",
        }
    }
}

/// Values as an SQL list (`'a', 'b'`); the texts are constants of this module.
pub fn sql_list<T: TextEnum>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| format!("'{}'", v.text()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A text column read as an enum.
pub fn get<T: TextEnum>(row: &AnyRow, column: &str) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    T::parse(&text).map_err(|e| unknown(column, e))
}

/// A nullable text column read as an optional enum.
pub fn get_optional<T: TextEnum>(row: &AnyRow, column: &str) -> Result<Option<T>, sqlx::Error> {
    let text: Option<String> = row.try_get(column)?;
    text.as_deref()
        .map(T::parse)
        .transpose()
        .map_err(|e| unknown(column, e))
}

/// A nullable integer column read as a flag: 0 is false, any other number true.
pub fn get_flag(row: &AnyRow, column: &str) -> Result<Option<bool>, sqlx::Error> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(|n| n != 0))
}

/// The decode error of `column`, carrying the [`UnknownValue`] that
/// [`super::DbError::UnknownValue`] is made from.
fn unknown(column: &str, e: UnknownValue) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: TextEnum + serde::Serialize + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::parse(v.text()), Ok(*v));
            // The stored text is the name the API shows.
            assert_eq!(serde_json::to_value(v).ok(), Some(v.text().into()));
        }
        assert!(T::parse("bogus").is_err());
    }

    #[test]
    fn every_value_reads_back_as_written_and_as_serialised() {
        round_trips::<SeverityLevel>();
        round_trips::<Tier>();
        round_trips::<Scope>();
        round_trips::<TriageState>();
        round_trips::<SourceKind>();
    }

    #[test]
    fn severities_are_listed_in_their_order() {
        assert!(SeverityLevel::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[tokio::test]
    async fn an_unknown_stored_text_is_an_error_of_its_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = crate::db::Db::connect(&url, 1).await.expect("open");
        db.migrate().await.expect("migrate");
        for sql in [
            "INSERT INTO teams (id, name, created_at) VALUES (1, 't', 'now')",
            "INSERT INTO projects (id, team_id, name, created_at) VALUES (1, 1, 'p', 'now')",
            "INSERT INTO project_findings (project_id, purl, advisory_id, severity, \
             first_seen_at, last_seen_at, resolved_at) \
             VALUES (1, 'pkg:npm/a@1', 'A', 'dire', 'now', 'now', 'now')",
        ] {
            sqlx::query(sql).execute(&db.pool).await.expect("insert");
        }
        match crate::db::ui::resolved(&db, 1).await {
            Err(crate::db::DbError::UnknownValue(e)) => {
                assert_eq!((e.what, e.value.as_str()), ("severity", "dire"));
            }
            other => panic!("expected an unknown severity, got {other:?}"),
        }
    }

    #[test]
    fn lists_quote_each_text() {
        assert_eq!(
            sql_list(&[TriageState::Fixed, TriageState::NotAffected]),
            "'fixed', 'not_affected'"
        );
    }
}

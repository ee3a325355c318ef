//! The text form of the enums stored in text columns (severity, license tier, scope, triage
//! state, upload kind): one table per enum, used to bind values and to decode rows. A stored
//! text that names no value is an [`UnknownValue`], which reaches callers as
//! [`super::DbError::UnknownValue`].

use trusca_core::licenses::Tier;
use trusca_core::model::Scope;
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

/// A text column read for a [`TextEnum`] enum (`#[sqlx(try_from = "Text")]`).
#[derive(Debug, sqlx::Type)]
#[sqlx(transparent)]
pub struct Text(String);

/// A nullable text column read for an optional [`TextEnum`] enum
/// (`#[sqlx(try_from = "NullableText")]`).
#[derive(Debug, sqlx::Type)]
#[sqlx(transparent)]
pub struct NullableText(Option<String>);

/// A nullable integer column read as a flag (`#[sqlx(try_from = "Flag")]`): 0 is false, any
/// other number true.
#[derive(Debug, sqlx::Type)]
#[sqlx(transparent)]
pub struct Flag(Option<i64>);

impl From<Flag> for Option<bool> {
    fn from(f: Flag) -> Self {
        f.0.map(|n| n != 0)
    }
}

macro_rules! decode_stored {
    ($($t:ty),*) => {$(
        impl TryFrom<Text> for $t {
            type Error = UnknownValue;
            fn try_from(t: Text) -> Result<Self, UnknownValue> {
                <$t as TextEnum>::parse(&t.0)
            }
        }

        impl TryFrom<NullableText> for Option<$t> {
            type Error = UnknownValue;
            fn try_from(t: NullableText) -> Result<Self, UnknownValue> {
                t.0.as_deref().map(<$t as TextEnum>::parse).transpose()
            }
        }
    )*};
}

decode_stored!(SeverityLevel, Tier, Scope, TriageState, SourceKind);

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

    #[test]
    fn lists_quote_each_text() {
        assert_eq!(
            sql_list(&[TriageState::Fixed, TriageState::NotAffected]),
            "'fixed', 'not_affected'"
        );
    }
}

//! Finding filters (`--ignore-unfixed`, `--severity`): what is left out of the result and the
//! gate, recorded so a reader knows the result was narrowed. A malicious package is never left
//! out: it has no fix and must not pass by a filter.

use serde::{Deserialize, Serialize};

use super::{Category, Finding, SeverityLevel};

/// What to leave out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// Leave out findings no version fixes (`--ignore-unfixed`, `--only-fixed`).
    pub ignore_unfixed: bool,
    /// Keep only these severities (`--severity`); empty keeps every severity.
    pub severities: Vec<SeverityLevel>,
}

impl FindingFilter {
    /// Whether the filter leaves anything out.
    pub fn is_active(&self) -> bool {
        self.ignore_unfixed || !self.severities.is_empty()
    }

    fn keeps(&self, f: &Finding) -> bool {
        if f.category == Category::Malicious {
            return true;
        }
        if self.ignore_unfixed && f.fixed_in.is_none() {
            return false;
        }
        self.severities.is_empty() || self.severities.contains(&f.severity)
    }
}

/// The filters a result was narrowed by, and how many findings they left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppliedFilters {
    /// Findings without a fixed version were left out.
    pub ignore_unfixed: bool,
    /// Only these severities were kept (every severity when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<SeverityLevel>,
    /// How many findings were left out.
    pub hidden: usize,
}

/// Leaves out of `findings` what `filter` does not keep; `None` when the filter is inactive.
pub fn apply(findings: &mut Vec<Finding>, filter: &FindingFilter) -> Option<AppliedFilters> {
    if !filter.is_active() {
        return None;
    }
    let before = findings.len();
    findings.retain(|f| filter.keeps(f));
    let mut severities = filter.severities.clone();
    severities.sort();
    severities.dedup();
    Some(AppliedFilters {
        ignore_unfixed: filter.ignore_unfixed,
        severities,
        hidden: before - findings.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sample;

    #[test]
    fn unfixed_and_severities_are_left_out_and_counted() {
        let mut findings = sample().findings;
        let all = findings.len();
        let applied = apply(
            &mut findings,
            &FindingFilter {
                ignore_unfixed: true,
                severities: vec![
                    SeverityLevel::Critical,
                    SeverityLevel::Medium,
                    SeverityLevel::Low,
                ],
            },
        )
        .expect("active");
        let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-4"]);
        assert_eq!(applied.hidden, all - 2);
        assert!(apply(&mut findings, &FindingFilter::default()).is_none());
    }

    #[test]
    fn malicious_packages_are_never_left_out() {
        let mut findings = sample().findings;
        findings[4].category = Category::Malicious;
        apply(
            &mut findings,
            &FindingFilter {
                ignore_unfixed: true,
                severities: vec![SeverityLevel::Critical],
            },
        );
        assert!(findings.iter().any(|f| f.id == "OSV-2024-5"));
    }
}

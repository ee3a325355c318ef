//! The rows an upload becomes (components, findings and their counts) and the triage states a
//! finding can be given: `ingest` fills these from a document, `db` stores and reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trusca_core::diag::Diagnostic;
use trusca_core::inventory::ScannedFile;
use trusca_core::model::Scope;
use trusca_core::model::Tier;
use trusca_core::vulns::{Category, SeverityLevel};

/// What kind of document was uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The trusca JSON result.
    Trusca,
    /// A CycloneDX JSON SBOM.
    Cyclonedx,
}

impl SourceKind {
    /// The media type of the stored document.
    pub fn media_type(self) -> &'static str {
        match self {
            SourceKind::Trusca => "application/json",
            SourceKind::Cyclonedx => "application/vnd.cyclonedx+json",
        }
    }
}

/// One component row.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// The package URL as given (empty when the document has none).
    pub purl: String,
    /// The purl without version, qualifiers and subpath (`pkg:npm/lodash`), for "who uses X".
    pub package: String,
    /// The OSV ecosystem name, where known.
    pub ecosystem: Option<String>,
    /// Name.
    pub name: String,
    /// Version.
    pub version: Option<String>,
    /// Where it is needed.
    pub scope: Scope,
    /// Whether it is a direct dependency, where known.
    pub direct: Option<bool>,
    /// `file:line` where it was declared, where known.
    pub location: Option<String>,
    /// The concluded license expression.
    pub license: Option<String>,
    /// The policy tier of that license.
    pub license_tier: Option<Tier>,
}

/// One finding row.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    /// Primary advisory id.
    pub advisory_id: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    /// The affected component's purl.
    pub purl: String,
    /// The affected package.
    pub package: String,
    /// The affected version.
    pub version: String,
    /// How severe it is.
    pub severity: SeverityLevel,
    /// CVSS base score.
    pub score: Option<f64>,
    /// The lowest fixing version.
    pub fixed_in: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// What kind of advisory it is (policy treats malicious and informational ones apart); not
    /// stored, a re-match reads it from the document again.
    pub category: Category,
}

/// An upload, parsed.
#[derive(Debug, Clone)]
pub struct Ingest {
    /// What it was.
    pub kind: SourceKind,
    /// The commit scanned, where given.
    pub commit: Option<String>,
    /// The producing tool, where given (`trusca 0.1.0`).
    pub tool: Option<String>,
    /// The project name the document gives (scan target, or CycloneDX `metadata.component`).
    pub name: Option<String>,
    /// Components.
    pub components: Vec<Component>,
    /// Findings.
    pub findings: Vec<FindingRow>,
    /// The dependency files a trusca result read (empty for an SBOM), for policy.
    pub files: Vec<ScannedFile>,
    /// The problems a trusca result reports (empty for an SBOM), for policy.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the document's maker checked the components for vulnerabilities: a trusca result
    /// made with a vulnerability database, an SBOM with a `vulnerabilities` section.
    pub vulns_checked: bool,
}

/// Counts shown as a scan's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Summary {
    /// Components.
    #[sqlx(rename = "component_count")]
    pub components: i64,
    /// Findings.
    #[sqlx(rename = "finding_count")]
    pub findings: i64,
    /// Critical findings.
    #[sqlx(rename = "critical_count")]
    pub critical: i64,
    /// High findings.
    #[sqlx(rename = "high_count")]
    pub high: i64,
    /// Medium findings.
    #[sqlx(rename = "medium_count")]
    pub medium: i64,
    /// Low findings.
    #[sqlx(rename = "low_count")]
    pub low: i64,
    /// Findings without a known severity.
    #[sqlx(rename = "unknown_count")]
    pub unknown: i64,
    /// Components whose license tier is `forbidden`.
    #[sqlx(rename = "forbidden_license_count")]
    pub forbidden_licenses: i64,
}

impl Summary {
    /// The counts of a set of findings (components and licenses left at zero).
    pub fn of_findings(findings: &[FindingRow]) -> Summary {
        let mut s = Summary {
            findings: findings.len() as i64,
            ..Summary::default()
        };
        for f in findings {
            *match f.severity {
                SeverityLevel::Critical => &mut s.critical,
                SeverityLevel::High => &mut s.high,
                SeverityLevel::Medium => &mut s.medium,
                SeverityLevel::Low => &mut s.low,
                SeverityLevel::Unknown => &mut s.unknown,
            } += 1;
        }
        s
    }
}

impl Ingest {
    /// The summary counts.
    pub fn summary(&self) -> Summary {
        Summary {
            components: self.components.len() as i64,
            forbidden_licenses: self
                .components
                .iter()
                .filter(|c| c.license_tier == Some(Tier::Forbidden))
                .count() as i64,
            ..Summary::of_findings(&self.findings)
        }
    }

    /// Components by license tier (`unknown` where none is given).
    pub fn license_tiers(&self) -> BTreeMap<Tier, i64> {
        let mut tiers = BTreeMap::new();
        for c in &self.components {
            *tiers
                .entry(c.license_tier.unwrap_or(Tier::Unknown))
                .or_insert(0) += 1;
        }
        tiers
    }
}

/// The VEX state a finding is given by triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageState {
    /// Being looked at.
    InTriage,
    /// The vulnerability does not affect the project (a justification says why).
    NotAffected,
    /// The project is affected.
    Affected,
    /// Fixed in the project.
    Fixed,
    /// Not a real finding.
    FalsePositive,
}

impl TriageState {
    /// The states that close a finding: it no longer counts as open nor falls under the SLA.
    pub const CLOSED: [TriageState; 3] = [
        TriageState::NotAffected,
        TriageState::FalsePositive,
        TriageState::Fixed,
    ];

    /// Whether the state closes the finding (see [`TriageState::CLOSED`]).
    pub fn is_closed(self) -> bool {
        Self::CLOSED.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: SeverityLevel) -> FindingRow {
        FindingRow {
            advisory_id: "A".into(),
            aliases: Vec::new(),
            purl: "pkg:npm/a@1".into(),
            package: "pkg:npm/a".into(),
            version: "1".into(),
            severity,
            score: None,
            fixed_in: None,
            summary: None,
            category: Category::Vulnerability,
        }
    }

    #[test]
    fn findings_are_counted_by_severity() {
        let s = Summary::of_findings(&[
            finding(SeverityLevel::Critical),
            finding(SeverityLevel::Critical),
            finding(SeverityLevel::Unknown),
            finding(SeverityLevel::Low),
        ]);
        assert_eq!(
            (s.findings, s.critical, s.unknown, s.low, s.high),
            (4, 2, 1, 1, 0)
        );
    }
}

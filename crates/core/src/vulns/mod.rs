//! Vulnerabilities: OSV records, the local database, and matching packages against it.

use serde::{Deserialize, Serialize};

pub mod db;
pub mod import;
pub mod osv;
pub mod update;

/// How bad a finding is, as a bucket.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SeverityLevel {
    /// No score known.
    Unknown,
    /// CVSS 0.1–3.9.
    Low,
    /// CVSS 4.0–6.9.
    Medium,
    /// CVSS 7.0–8.9.
    High,
    /// CVSS 9.0–10.0.
    Critical,
}

/// One known vulnerability affecting one package occurrence; aliases collapsed into one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The primary advisory id.
    pub id: String,
    /// Every other id of the same vulnerability (CVE, GHSA, …), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The purl of the affected package.
    pub purl: String,
    /// The affected package's name.
    pub package: String,
    /// The affected version.
    pub version: String,
    /// Where the package was found.
    pub location: crate::model::Location,
    /// One-line summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The severity bucket.
    pub severity: SeverityLevel,
    /// The base score (0.0–10.0), where a vector gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The CVSS vector the score came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// The lowest version on the package's line that fixes it ("upgrade to").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_in: Option<String>,
    /// For a transitive package: the chain of purls from the direct dependency to bump.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub introduced_by: Vec<String>,
    /// Reference URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

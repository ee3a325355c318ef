//! OSV records (the Open Source Vulnerability schema), read tolerantly: unknown fields are
//! ignored, and a record that does not fit is an error for that record only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// The record id (`GHSA-…`, `RUSTSEC-…`, `PYSEC-…`, `GO-…`, `CVE-…`).
    pub id: String,
    /// When the record last changed (RFC 3339).
    #[serde(default)]
    pub modified: Option<String>,
    /// When it was first published (RFC 3339).
    #[serde(default)]
    pub published: Option<String>,
    /// Set when the record was withdrawn: such records are never reported.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Ids of related but different vulnerabilities.
    #[serde(default)]
    pub related: Vec<String>,
    /// A one-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// The full description (Markdown).
    #[serde(default)]
    pub details: Option<String>,
    /// Severity scores of the whole record.
    #[serde(default)]
    pub severity: Vec<SeverityScore>,
    /// The affected packages and versions.
    #[serde(default)]
    pub affected: Vec<Affected>,
    /// Links to advisories, fixes, reports.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Database-specific data (for example a GitHub `severity` word).
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// A severity score: a CVSS vector or another scheme's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector or score text.
    pub score: String,
}

/// One affected package with its ranges and versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The package; absent on records that only name git ranges.
    #[serde(default)]
    pub package: Option<AffectedPackage>,
    /// Severity specific to this package.
    #[serde(default)]
    pub severity: Vec<SeverityScore>,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Explicitly listed affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Ecosystem-specific data (for example affected Go symbols).
    #[serde(default)]
    pub ecosystem_specific: Option<serde_json::Value>,
    /// Database-specific data.
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// The package an `affected` entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedPackage {
    /// The OSV ecosystem, possibly with a `:suffix` (`Debian:11`).
    pub ecosystem: String,
    /// The package name as the ecosystem spells it.
    pub name: String,
    /// The package URL, where given.
    #[serde(default)]
    pub purl: Option<String>,
}

/// A range of affected versions, as a sequence of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The repository, for `GIT` ranges.
    #[serde(default)]
    pub repo: Option<String>,
    /// The events in order.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Database-specific data.
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// One range event; exactly one field is set in a valid record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The version (or commit) where the vulnerability was introduced; `0` for "all before".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// The first version that is no longer affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The last version that is still affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// An upper bound past which the range says nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `FIX`, `REPORT`, `WEB`, `PACKAGE`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub url: String,
}

/// Any other top-level data in a record (kept out of the typed fields).
pub type Extra = BTreeMap<String, serde_json::Value>;

impl Vulnerability {
    /// Parses one record from JSON text.
    pub fn from_json(text: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_record_and_ignores_unknown_fields() {
        let text = br#"{"id": "GHSA-xxxx", "schema_version": "1.6.0", "aliases": ["CVE-1"],
            "affected": [{"package": {"ecosystem": "npm", "name": "x"},
                          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}],
                          "versions": ["1.0.0"]}],
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "whatever": {"nested": true}}"#;
        let v = Vulnerability::from_json(text).expect("parses");
        assert_eq!(v.id, "GHSA-xxxx");
        assert_eq!(
            v.affected[0].ranges[0].events[1].fixed.as_deref(),
            Some("1.2.3")
        );
        assert!(Vulnerability::from_json(br#"{"id": 7}"#).is_err());
    }
}

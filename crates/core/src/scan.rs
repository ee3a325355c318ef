//! The result of a scan: what was scanned, the components found, their licenses and known
//! vulnerabilities, the policy verdict, and what went wrong.
//!
//! [`Scan`] is one serde type, the single source for every output format and for upload. Its
//! JSON form is the versioned trusca result documented in `docs/json-format.md`. The pipeline
//! fills it and puts every list in its documented order once ([`Scan::sort`]).

use serde::{Deserialize, Serialize};

use crate::coverage::Coverage;
use crate::diag::Diagnostic;
use crate::inventory::ScannedFile;
use crate::model::{Detection, Package};
use crate::policy::{self, PolicyResult, Subject};
use crate::source::Target;
use crate::vulns::{self, Finding, VulnCheck};

/// The version of the JSON result format; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one scan found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scan {
    /// The version of this format ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that produced it.
    pub tool: Tool,
    /// What was scanned.
    pub target: Target,
    /// When the scan ran (RFC 3339, UTC); fixed with `--reproducible`.
    pub generated_at: String,
    /// The dependency files read, sorted by path.
    pub files: Vec<ScannedFile>,
    /// Every package occurrence, sorted by ecosystem, name, version and location.
    pub packages: Vec<Package>,
    /// Known vulnerabilities of the packages, most severe first.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// What to bump: per direct dependency with findings, the upgrade that removes the most.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remediation: Vec<vulns::remediation::Remediation>,
    /// The filters (`--ignore-unfixed`, `--severity`) that left findings out, when any did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<vulns::filter::AppliedFilters>,
    /// What vulnerability matching covered; `None` when it did not run (no database).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vuln_check: Option<VulnCheck>,
    /// What the scan covered and what it did not: scanners, database, packages checked and not
    /// checked per ecosystem with the reason, licenses known, files read and failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Licenses detected for the scanned project itself (its own LICENSE files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub project_licenses: Vec<Detection>,
    /// The policy verdict, when policy was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyResult>,
    /// Problems met on the way, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The tool that produced a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    /// Always `trusca`.
    pub name: String,
    /// The version that ran.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "trusca".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

impl Scan {
    /// An empty scan of `target` at `generated_at`, by this trusca.
    pub fn new(target: Target, generated_at: String) -> Scan {
        Scan {
            schema_version: SCHEMA_VERSION,
            tool: Tool::default(),
            target,
            generated_at,
            files: Vec::new(),
            packages: Vec::new(),
            findings: Vec::new(),
            remediation: Vec::new(),
            filters: None,
            vuln_check: None,
            coverage: None,
            project_licenses: Vec::new(),
            policy: None,
            diagnostics: Vec::new(),
        }
    }

    /// Puts every list in its documented order: files by path, packages by ecosystem, name,
    /// version and location, findings most severe first, diagnostics by file and line (each
    /// kept once).
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.packages.sort_by(|a, b| {
            (a.ecosystem, &a.name, &a.version, &a.location).cmp(&(
                b.ecosystem,
                &b.name,
                &b.version,
                &b.location,
            ))
        });
        vulns::sort_findings(&mut self.findings);
        self.diagnostics.sort();
        self.diagnostics.dedup();
    }

    /// The parts of the scan that policy judges.
    pub fn subject(&self) -> Subject<'_> {
        Subject {
            files: &self.files,
            packages: &self.packages,
            findings: &self.findings,
            diagnostics: &self.diagnostics,
        }
    }

    /// Why the scan itself failed, if it did ([`policy::failure`]; `strict`: any unreadable
    /// dependency file counts): what makes the decision `error`, also where policy was not
    /// evaluated (`trusca sbom`).
    pub fn failure(&self, strict: bool) -> Option<String> {
        policy::failure(&self.subject(), strict)
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    format_rfc3339(std::time::SystemTime::now())
}

/// An instant as RFC 3339 UTC, to the second (`2024-01-31T12:00:00Z`).
pub fn format_rfc3339(t: std::time::SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The JSON Schema of the trusca result ([`Scan`]), derived from the types themselves.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Scan)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/trusca-result.schema.json` is what the types say; regenerate with
    /// `TRUSCA_UPDATE_SCHEMA=1 cargo test -p trusca-core result_schema`.
    #[test]
    fn result_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/trusca-result.schema.json");
        let want = format!(
            "{}\n",
            serde_json::to_string_pretty(&json_schema()).unwrap_or_default()
        );
        if std::env::var_os("TRUSCA_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &want).expect("write schema");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/trusca-result.schema.json is out of date: run `TRUSCA_UPDATE_SCHEMA=1 cargo test -p trusca-core result_schema`"
        );
    }
}

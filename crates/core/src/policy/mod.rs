//! Policy: license tiers, the vulnerability threshold, exceptions, and the pass/fail decision.
//!
//! [`evaluate`] is a function of the packages, the findings and the [`Policy`] (the rules from
//! `trusca.toml` and the command line, already merged): it returns the verdict and the
//! diagnostics about the rules themselves (expired or unused exceptions).

use serde::{Deserialize, Serialize};

use crate::model::Location;

pub mod eval;
pub mod rules;
pub mod vex;

pub use eval::{evaluate, failure, Evaluation, Policy, Subject};
pub use rules::{Date, Exception, FailOn, PackageSpec, UnknownLicense, UnknownSeverity};

/// The verdict of a scan for CI: exit 0, 1 or 2.
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
pub enum Decision {
    /// Nothing violates policy.
    Pass,
    /// A forbidden license or a vulnerability at or above the threshold, not excepted.
    Fail,
    /// The scan itself failed.
    Error,
}

/// What a violation is about.
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
pub enum ViolationKind {
    /// A malicious package: always a violation, listed first.
    Malicious,
    /// A license in the forbidden tier, or unknown where policy requires one.
    License,
    /// A vulnerability at or above the threshold (or of unknown severity), or an informational
    /// advisory of a kind policy fails on.
    Vulnerability,
}

impl ViolationKind {
    /// The kebab-case name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::License => "license",
            ViolationKind::Vulnerability => "vulnerability",
            ViolationKind::Malicious => "malicious",
        }
    }
}

/// One reason the decision is `fail`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Violation {
    /// License or vulnerability.
    pub kind: ViolationKind,
    /// The license id or advisory id.
    pub id: String,
    /// The purl of the package.
    pub purl: String,
    /// Where the package was found.
    pub location: Location,
    /// Why it violates policy, in one sentence.
    pub reason: String,
}

/// A violation that an exception in `trusca.toml` covered.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Waiver {
    /// What would have failed the scan.
    pub violation: Violation,
    /// The exception's reason.
    pub reason: String,
    /// The last day the exception applies, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
}

/// An exception in `trusca.toml` whose expiry date has passed: it no longer applies.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct ExpiredException {
    /// The license or advisory id it named.
    pub id: String,
    /// The package it named, as written.
    pub package: String,
    /// Its reason.
    pub reason: String,
    /// The last day it applied.
    pub expires: Date,
    /// The line of the exception in the configuration file.
    pub line: u32,
}

/// The outcome of policy evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyResult {
    /// The verdict.
    pub decision: Decision,
    /// Why the decision is `error`, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The vulnerability threshold that was applied.
    pub fail_on: FailOn,
    /// What made it fail, sorted.
    #[serde(default)]
    pub violations: Vec<Violation>,
    /// Violations an exception covered, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waived: Vec<Waiver>,
    /// Exceptions that have expired, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expired: Vec<ExpiredException>,
}

//! Policy: license tiers, the vulnerability threshold, exceptions, and the pass/fail decision.

use serde::{Deserialize, Serialize};

use crate::model::Location;

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
    /// A license in the forbidden tier.
    License,
    /// A vulnerability at or above the threshold.
    Vulnerability,
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

/// The outcome of policy evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyResult {
    /// The verdict.
    pub decision: Decision,
    /// What made it fail, sorted.
    #[serde(default)]
    pub violations: Vec<Violation>,
}

//! What a VEX statement said of a finding: the status and its justification, kept on the
//! finding (the statements themselves are read by `policy::vex`).

use serde::{Deserialize, Serialize};

/// What a VEX statement says of a vulnerability in a product.
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
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    /// The product is not affected: the finding is suppressed.
    NotAffected,
    /// The product contains a fix: the finding is suppressed.
    Fixed,
    /// Not known yet: the finding is kept and annotated.
    UnderInvestigation,
    /// The product is affected: the finding is kept.
    Affected,
}

impl VexStatus {
    /// The OpenVEX spelling (`not_affected`).
    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
            VexStatus::Affected => "affected",
        }
    }

    /// Whether a finding with this status is left out of the gate.
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

/// What a VEX statement said of a finding.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct VexAnnotation {
    /// The status.
    pub status: VexStatus,
    /// The justification, where the statement gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The impact statement or detail, where the statement gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The VEX file.
    pub file: String,
    /// The statement in that file (`statements[2]`).
    pub statement: String,
}

impl VexAnnotation {
    /// Whether the finding is left out of the gate.
    pub fn suppresses(&self) -> bool {
        self.status.suppresses()
    }
}

//! The result of a scan: what was scanned, the components found, and what went wrong.
//!
//! [`Scan`] is one serde type, the single source for every output format and for upload. Its
//! JSON form is the versioned trusca result documented in `docs/json-format.md`.

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::inventory::Kind;
use crate::model::{Ecosystem, Package};

/// The version of the JSON result format; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one scan found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Problems met on the way, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The tool that produced a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// A short name for the project: the directory or repository name.
    pub name: String,
    /// The directory as given, or the git URL (without credentials).
    pub location: String,
    /// Whether it was a local directory or a git URL.
    pub kind: TargetKind,
    /// The branch, tag or commit asked for with `--ref`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The commit scanned, when the target is (inside) a git checkout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// Local directory or remote repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// A directory on this machine.
    Directory,
    /// A git repository cloned for the scan.
    Git,
}

/// One dependency file that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedFile {
    /// The path relative to the scan root, with `/` separators.
    pub path: String,
    /// The format it was read as (`Cargo.lock`).
    pub format: String,
    /// The ecosystem of its packages.
    pub ecosystem: Ecosystem,
    /// Lockfile or manifest.
    pub kind: Kind,
    /// How many packages it gave (0 when it could not be parsed).
    pub packages: usize,
    /// Whether its packages were left out because a lockfile pins the same ecosystem.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub superseded: bool,
}

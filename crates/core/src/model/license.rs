//! What is known of a package's license, and the policy tier of a license.

use serde::{Deserialize, Serialize};

/// How acceptable a license is, from best to worst for shipping.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// May be shipped freely (MIT, Apache-2.0, BSD, ISC, …).
    Permissive,
    /// May be shipped under conditions (LGPL, MPL, EPL, …).
    Conditional,
    /// Not known to policy: needs a look.
    #[default]
    Unknown,
    /// Must not be shipped (AGPL, GPL, SSPL, BUSL by default).
    Forbidden,
}

impl Tier {
    /// Every tier, from best to worst for shipping.
    pub const ALL: [Tier; 4] = [
        Tier::Permissive,
        Tier::Conditional,
        Tier::Unknown,
        Tier::Forbidden,
    ];

    /// The kebab-case name, as JSON and `trusca.toml` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Permissive => "permissive",
            Tier::Conditional => "conditional",
            Tier::Unknown => "unknown",
            Tier::Forbidden => "forbidden",
        }
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tier {
    type Err = String;

    /// The kebab-case name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tier::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| format!("unknown tier `{s}`"))
    }
}

/// A license found in a file by text or by an `SPDX-License-Identifier` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Detection {
    /// The SPDX expression identified.
    pub license: String,
    /// How sure the match is, 0.0–1.0 (1.0 for an explicit identifier line).
    pub confidence: f64,
    /// The file: relative to the scan root, or in a package store outside the tree its store's
    /// name and the path inside it (`cargo-registry:serde-1.0.130/LICENSE-MIT`).
    pub file: String,
}

/// Where a declared license was read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DeclaredSource {
    /// A field of the lockfile (`package-lock.json`'s `license`).
    Lockfile,
    /// The metadata of a package installed in the scanned tree (`node_modules/*/package.json`,
    /// a virtual environment's `METADATA`, a vendored `Cargo.toml`).
    Installed,
    /// The package's own manifest in the scanned tree (a workspace member's `Cargo.toml`).
    Manifest,
    /// The metadata in a package store on the machine (the cargo registry, the Go module cache,
    /// the local Maven repository, …).
    PackageStore,
    /// The SBOM that was scanned.
    Sbom,
}

impl DeclaredSource {
    /// The kebab-case name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredSource::Lockfile => "lockfile",
            DeclaredSource::Installed => "installed",
            DeclaredSource::Manifest => "manifest",
            DeclaredSource::PackageStore => "package-store",
            DeclaredSource::Sbom => "sbom",
        }
    }
}

/// What is known of one package's license.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LicenseInfo {
    /// The license the package metadata declares, normalised to an SPDX expression
    /// (`LicenseRef-…` carrying the raw text where it cannot be mapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// The declared text as written, kept when it could not be mapped to SPDX ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_text: Option<String>,
    /// The metadata file the declared license was read from: relative to the scan root, or for a
    /// package store outside the tree the store's name and the path inside it
    /// (`cargo-registry:serde-1.0.130/Cargo.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_in: Option<String>,
    /// What kind of metadata declared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_source: Option<DeclaredSource>,
    /// Licenses detected in the package's own license files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detected: Vec<Detection>,
    /// The license trusca concludes: the declared one, else what was detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concluded: Option<String>,
    /// The policy tier of the concluded license.
    pub tier: Tier,
}

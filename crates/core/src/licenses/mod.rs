//! Licenses: declared (package metadata) and detected (license texts), as SPDX expressions,
//! classified into policy tiers.

use serde::{Deserialize, Serialize};

pub mod corpus;
pub mod declared;
pub mod detect;
pub mod expr;
pub mod matcher;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

pub use expr::{normalize, tier, Normalized};

use crate::diag::Diagnostic;
use crate::model::{Ecosystem, Package};
use crate::scan::Scan;

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

/// A license found in a file by text or by an `SPDX-License-Identifier` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Detection {
    /// The SPDX expression identified.
    pub license: String,
    /// How sure the match is, 0.0–1.0 (1.0 for an explicit identifier line).
    pub confidence: f64,
    /// The file, relative to the scan root.
    pub file: String,
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
    /// The metadata file the declared license was read from, relative to the scan root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_in: Option<String>,
    /// Licenses detected in the package's own license files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detected: Vec<Detection>,
    /// The license trusca concludes: the declared one, else what was detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concluded: Option<String>,
    /// The policy tier of the concluded license.
    pub tier: Tier,
}

/// Fills in what is known of the licenses of every package in `scan`, and the project's own
/// licenses: declared licenses from package metadata in the tree under `root`, detected licenses
/// from license files (and `SPDX-License-Identifier:` lines in first-party files), the concluded
/// license and its tier under the built-in table with `overrides` (license id → tier, as in
/// `[licenses.tiers]` of `trusca.toml`).
///
/// The concluded license is the declared one when it maps to SPDX ids; else what was detected
/// (several licenses found in a package's files are joined with `AND`, since the files do not say
/// whether they are alternatives); else the declared `LicenseRef-`.
pub fn apply(scan: &mut Scan, root: &Path, overrides: &BTreeMap<String, Tier>) {
    let tree = detect::walk(root);
    let mut diagnostics: Vec<Diagnostic> = tree.diagnostics.clone();

    let (project, project_diags) = detect::first_party(&tree);
    diagnostics.extend(project_diags);

    let read: Vec<(Vec<declared::Record>, Vec<Diagnostic>)> = tree
        .metadata
        .par_iter()
        .map(|(path, rel, kind)| declared::read(path, rel, *kind))
        .collect();
    let mut records = Vec::new();
    for (r, d) in read {
        records.extend(r);
        diagnostics.extend(d);
    }

    // License files in each package's own directory (and its `licenses/` folder).
    let mut files_by_dir: HashMap<&str, Vec<&(std::path::PathBuf, String)>> = HashMap::new();
    for f in &tree.license_files {
        let dir = f.1.rsplit_once('/').map_or("", |(d, _)| d);
        files_by_dir.entry(dir).or_default().push(f);
        if let Some(parent) = dir
            .strip_suffix("/licenses")
            .or_else(|| dir.strip_suffix("/LICENSES"))
        {
            files_by_dir.entry(parent).or_default().push(f);
        }
    }
    let detected: Vec<(Vec<Detection>, Vec<Diagnostic>)> = records
        .par_iter()
        .map(|r| {
            let mut found = Vec::new();
            let mut diags = Vec::new();
            let mut files: Vec<&(std::path::PathBuf, String)> = r
                .dir
                .as_deref()
                .and_then(|d| files_by_dir.get(d))
                .cloned()
                .unwrap_or_default();
            if let Some(lf) = &r.license_file {
                if let Some(f) = tree.license_files.iter().find(|f| &f.1 == lf) {
                    files.push(f);
                } else if let Ok(resolved) = root.join(lf).canonicalize() {
                    // A `license-file` with another name (`LICENSE-THIRD-PARTY.txt`).
                    if resolved.starts_with(root.canonicalize().unwrap_or_default()) {
                        let (d, diag) = detect::detect_file(&resolved, lf);
                        found.extend(d);
                        diags.extend(diag);
                    }
                }
            }
            files.sort_by(|a, b| a.1.cmp(&b.1));
            files.dedup_by(|a, b| a.1 == b.1);
            for (path, rel) in files {
                let (d, diag) = detect::detect_file(path, rel);
                found.extend(d);
                diags.extend(diag);
            }
            (found, diags)
        })
        .collect();

    let mut by_key: HashMap<(Ecosystem, String), Vec<(declared::Record, Vec<Detection>)>> =
        HashMap::new();
    for (r, (d, diags)) in records.into_iter().zip(detected) {
        diagnostics.extend(diags);
        by_key
            .entry((r.ecosystem, name_key(r.ecosystem, &r.name)))
            .or_default()
            .push((r, d));
    }

    for pkg in &mut scan.packages {
        let candidates = by_key
            .get(&(pkg.ecosystem, name_key(pkg.ecosystem, &pkg.name)))
            .map(Vec::as_slice)
            .unwrap_or_default();
        pkg.license = Some(license_info(pkg, candidates, overrides));
    }

    scan.project_licenses = project;
    // Several license files can hold the same texts; keep each (file, license) once.
    scan.project_licenses
        .dedup_by(|a, b| a.file == b.file && a.license == b.license);
    diagnostics.sort();
    diagnostics.dedup();
    scan.diagnostics.extend(diagnostics);
    scan.diagnostics
        .sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
}

/// Names as each ecosystem compares them: Python names normalised per PEP 503, Composer names
/// lowercase, the rest as written.
fn name_key(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPI => {
            let mut out = String::new();
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !out.ends_with('-') {
                        out.push('-');
                    }
                } else {
                    out.push(c.to_ascii_lowercase());
                }
            }
            out
        }
        Ecosystem::Packagist => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

fn same_version(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |v: &str| v.trim().trim_start_matches('v').to_owned();
    match (a, b) {
        (Some(a), Some(b)) => norm(a) == norm(b),
        _ => false,
    }
}

/// Puts together what the matching metadata records say about one package.
fn license_info(
    pkg: &Package,
    candidates: &[(declared::Record, Vec<Detection>)],
    overrides: &BTreeMap<String, Tier>,
) -> LicenseInfo {
    let mut matching: Vec<&(declared::Record, Vec<Detection>)> = candidates
        .iter()
        .filter(|(r, _)| same_version(r.version.as_deref(), pkg.version.as_deref()))
        .collect();
    if matching.is_empty() && pkg.version.is_none() && candidates.len() == 1 {
        // An unpinned requirement and exactly one installed copy: that is the one in use.
        matching = candidates.iter().collect();
    }
    // Installed metadata first, then lockfile fields.
    matching.sort_by_key(|(r, _)| !r.installed);
    let declared = matching
        .iter()
        .find_map(|(r, _)| r.declared.as_ref().map(|d| (d.clone(), r.source.clone())));
    let mut detected: Vec<Detection> = Vec::new();
    for (_, d) in &matching {
        for x in d {
            if !detected
                .iter()
                .any(|y| y.file == x.file && y.license == x.license)
            {
                detected.push(x.clone());
            }
        }
    }
    let concluded = conclude(declared.as_ref().map(|(d, _)| d), &detected);
    let tier = concluded
        .as_deref()
        .map_or(Tier::Unknown, |c| expr::tier(c, overrides));
    LicenseInfo {
        declared: declared.as_ref().map(|(d, _)| d.expression.clone()),
        declared_text: declared.as_ref().and_then(|(d, _)| d.raw.clone()),
        declared_in: declared.map(|(_, src)| src),
        detected,
        concluded,
        tier,
    }
}

/// The declared expression when it maps to SPDX ids, else the detected licenses (`AND`), else the
/// declared `LicenseRef-`.
fn conclude(declared: Option<&Normalized>, detected: &[Detection]) -> Option<String> {
    if let Some(d) = declared.filter(|d| d.is_spdx()) {
        return Some(d.expression.clone());
    }
    let mut ids: Vec<&str> = Vec::new();
    for d in detected {
        if !ids.contains(&d.license.as_str()) {
            ids.push(&d.license);
        }
    }
    if !ids.is_empty() {
        let joined = ids
            .iter()
            .map(|i| {
                if i.contains(" OR ") {
                    format!("({i})")
                } else {
                    (*i).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        return Some(expr::parse_canonical(&joined).unwrap_or(joined));
    }
    declared.map(|d| d.expression.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_names_compare_normalised() {
        assert_eq!(
            name_key(Ecosystem::PyPI, "Zope.Interface"),
            "zope-interface"
        );
        assert_eq!(name_key(Ecosystem::PyPI, "a__b"), "a-b");
        assert_eq!(name_key(Ecosystem::Npm, "React"), "React");
    }

    #[test]
    fn concluded_prefers_spdx_declared_then_detected() {
        let det = |l: &str| Detection {
            license: l.into(),
            confidence: 0.99,
            file: "LICENSE".into(),
        };
        let mit = normalize("MIT");
        let custom = normalize("custom terms");
        assert_eq!(
            conclude(mit.as_ref(), &[det("Apache-2.0")]).as_deref(),
            Some("MIT")
        );
        assert_eq!(
            conclude(custom.as_ref(), &[det("Apache-2.0"), det("MIT")]).as_deref(),
            Some("Apache-2.0 AND MIT")
        );
        assert_eq!(
            conclude(custom.as_ref(), &[]).as_deref(),
            Some("LicenseRef-custom-terms")
        );
        assert_eq!(conclude(None, &[]), None);
    }
}

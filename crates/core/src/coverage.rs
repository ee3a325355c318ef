//! What a scan covered, and what it did not: which scanners ran, the vulnerability database
//! used, the packages checked and not checked per ecosystem (with the reason), the licenses
//! known, and the dependency files read and failed. A reader of a passing result sees here
//! exactly what the pass rests on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Severity};
use crate::inventory::ScannedFile;
use crate::model::{Ecosystem, Package};

/// One kind of check a scan can run (`--scanners`, `[scan] scanners`).
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
pub enum ScannerKind {
    /// Known vulnerabilities, from the local OSV database.
    Vuln,
    /// Licenses, from package metadata and license texts.
    License,
}

impl ScannerKind {
    /// Every scanner; the default set.
    pub const ALL: [ScannerKind; 2] = [ScannerKind::Vuln, ScannerKind::License];

    /// The name as written on the command line and in `trusca.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScannerKind::Vuln => "vuln",
            ScannerKind::License => "license",
        }
    }
}

impl std::str::FromStr for ScannerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ScannerKind::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim())
            .ok_or_else(|| format!("unknown scanner `{s}` (known: `vuln`, `license`)"))
    }
}

/// Why packages were not checked for vulnerabilities.
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
pub enum NotCheckedReason {
    /// The vulnerability scanner was turned off (`--scanners`).
    ScannerOff,
    /// No usable vulnerability database.
    NoDatabase,
    /// The database holds no advisories of the package's ecosystem.
    EcosystemNotInDatabase,
    /// The file does not pin an exact version, so no range can be matched.
    NoVersion,
}

impl NotCheckedReason {
    /// A short phrase for people.
    pub fn describe(self) -> &'static str {
        match self {
            NotCheckedReason::ScannerOff => "vulnerability scanner off",
            NotCheckedReason::NoDatabase => "no vulnerability database",
            NotCheckedReason::EcosystemNotInDatabase => "ecosystem not in the database",
            NotCheckedReason::NoVersion => "no pinned version",
        }
    }
}

/// The vulnerability database a scan used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DatabaseCoverage {
    /// The database file (the home directory written as `~`).
    pub path: String,
    /// When it was built (RFC 3339, UTC).
    pub built: String,
    /// Its age in whole days at the time of the scan.
    pub age_days: u64,
    /// The OSV ecosystems it holds advisories of, sorted.
    pub ecosystems: Vec<String>,
}

/// Vulnerability coverage of one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcosystemCoverage {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// Package occurrences found.
    pub packages: usize,
    /// Occurrences matched against the database.
    pub checked: usize,
    /// Occurrences not matched, by reason (only reasons with a count).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_checked: BTreeMap<NotCheckedReason, usize>,
}

/// What vulnerability matching covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VulnCoverage {
    /// The database, when one could be used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseCoverage>,
    /// Package occurrences matched against the database.
    pub checked: usize,
    /// Package occurrences not matched, for any reason.
    pub not_checked: usize,
    /// Per ecosystem, sorted.
    pub ecosystems: Vec<EcosystemCoverage>,
    /// Components of an SBOM target that could not be matched (a CPE only, no purl, a purl type
    /// trusca does not know); counted in `not_checked`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unidentified: Vec<crate::source::sbom::Unidentified>,
}

/// What license identification covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LicenseCoverage {
    /// Package occurrences with a concluded license.
    pub known: usize,
    /// Package occurrences whose license is not known.
    pub unknown: usize,
    /// Package occurrences whose license came from a package store (on the machine or in the
    /// tree: `deps/`, `Pods/`).
    #[serde(default)]
    pub from_package_stores: usize,
    /// The kinds of package store that were there to read (`cargo`, `go`, `python`, …), sorted;
    /// `None` when reading them was turned off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_stores: Option<Vec<String>>,
}

/// The dependency files of a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileCoverage {
    /// Files read (including manifests superseded by a lockfile).
    pub read: usize,
    /// Files that could not be read or parsed, by path (relative to the scan root), sorted.
    #[serde(default)]
    pub failed: Vec<String>,
    /// Files read only in part: malformed entries skipped, or bytes that are not UTF-8 read as
    /// replacement characters; sorted. Their other entries are in the result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<String>,
}

/// What a scan covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Coverage {
    /// The scanners that ran.
    pub scanners: Vec<ScannerKind>,
    /// The dependency files.
    pub files: FileCoverage,
    /// Vulnerability matching, per ecosystem (not checked when the scanner is off).
    pub vulnerabilities: VulnCoverage,
    /// License identification; absent when the license scanner is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<LicenseCoverage>,
}

impl Coverage {
    /// Whether everything found was checked: every file read, every package matched against
    /// the database.
    pub fn is_complete(&self) -> bool {
        self.files.failed.is_empty() && self.vulnerabilities.not_checked == 0
    }
}

/// The dependency files read and failed: a file fails when an error diagnostic names it.
pub fn files(files: &[ScannedFile], diagnostics: &[Diagnostic]) -> FileCoverage {
    let with = |f: &ScannedFile, what: &dyn Fn(&Diagnostic) -> bool| {
        diagnostics
            .iter()
            .any(|d| d.file.as_deref() == Some(&f.path) && what(d))
    };
    let mut failed: Vec<String> = files
        .iter()
        .filter(|f| with(f, &|d| d.severity == Severity::Error))
        .map(|f| f.path.clone())
        .collect();
    failed.sort();
    failed.dedup();
    let mut partial: Vec<String> = files
        .iter()
        .filter(|f| !failed.contains(&f.path) && with(f, &is_partial_read))
        .map(|f| f.path.clone())
        .collect();
    partial.sort();
    partial.dedup();
    FileCoverage {
        read: files.len() - failed.len(),
        failed,
        partial,
    }
}

/// Whether a warning about a dependency file means part of it was left out or read as
/// something else: a malformed entry skipped, bytes that are not UTF-8.
pub fn is_partial_read(d: &Diagnostic) -> bool {
    d.severity == Severity::Warning && matches!(d.code, Code::ParseError | Code::InvalidUtf8)
}

/// Vulnerability coverage of `packages`: with a database holding `held` ecosystems (OSV names),
/// or with none (`None`: the reason is `why_not`).
pub fn vulnerabilities(
    packages: &[Package],
    held: Option<&[String]>,
    why_not: NotCheckedReason,
    database: Option<DatabaseCoverage>,
) -> VulnCoverage {
    let mut by_ecosystem: BTreeMap<Ecosystem, EcosystemCoverage> = BTreeMap::new();
    for p in packages {
        let entry = by_ecosystem
            .entry(p.ecosystem)
            .or_insert_with(|| EcosystemCoverage {
                ecosystem: p.ecosystem,
                packages: 0,
                checked: 0,
                not_checked: BTreeMap::new(),
            });
        entry.packages += 1;
        let reason = match held {
            None => Some(why_not),
            Some(held) if !held.iter().any(|e| e == p.ecosystem.osv_name()) => {
                Some(NotCheckedReason::EcosystemNotInDatabase)
            }
            Some(_) if !is_pinned(p) => Some(NotCheckedReason::NoVersion),
            Some(_) => None,
        };
        match reason {
            Some(r) => *entry.not_checked.entry(r).or_default() += 1,
            None => entry.checked += 1,
        }
    }
    let ecosystems: Vec<EcosystemCoverage> = by_ecosystem.into_values().collect();
    VulnCoverage {
        database,
        checked: ecosystems.iter().map(|e| e.checked).sum(),
        not_checked: ecosystems
            .iter()
            .map(|e| e.not_checked.values().sum::<usize>())
            .sum(),
        ecosystems,
        unidentified: Vec::new(),
    }
}

/// Adds the components of an SBOM target that could not be matched to `coverage`.
pub fn add_unidentified(
    coverage: &mut VulnCoverage,
    unidentified: &[crate::source::sbom::Unidentified],
) {
    coverage.not_checked += unidentified.len();
    coverage.unidentified.extend(unidentified.iter().cloned());
}

/// Whether a package has an exact release version to match (not only a git commit).
pub fn is_pinned(p: &Package) -> bool {
    p.release_version().is_some()
}

/// License coverage: a package's license is known when one was concluded.
impl LicenseCoverage {
    /// Where licenses came from besides the tree, for people: `205 from package stores
    /// (cargo)`, `no package store found`, `package stores not read`.
    pub fn stores_summary(&self) -> String {
        match &self.package_stores {
            None => "package stores not read".to_owned(),
            Some(kinds) if kinds.is_empty() => "no package store found".to_owned(),
            Some(kinds) => format!(
                "{} from package stores ({})",
                self.from_package_stores,
                kinds.join(", ")
            ),
        }
    }
}

/// What license identification covered: `from_package_stores` of the packages had their
/// license from a package store, and `package_stores` are the kinds there were to read (`None`
/// when reading them was off).
pub fn licenses(
    packages: &[Package],
    from_package_stores: usize,
    package_stores: Option<Vec<String>>,
) -> LicenseCoverage {
    let known = packages
        .iter()
        .filter(|p| p.license.as_ref().is_some_and(|l| l.concluded.is_some()))
        .count();
    LicenseCoverage {
        known,
        unknown: packages.len() - known,
        from_package_stores,
        package_stores,
    }
}

/// A path with the user's home directory written as `~`, so results do not carry the user name.
pub fn display_path(path: &std::path::Path) -> String {
    if let Some(home) = dirs::home_dir() {
        if let Ok(rest) = path.strip_prefix(&home) {
            return format!("~/{}", rest.display());
        }
    }
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn pkg(eco: Ecosystem, name: &str, version: Option<&str>) -> Package {
        Package::new(
            eco,
            name,
            version,
            Location {
                file: "f".into(),
                line: None,
            },
        )
    }

    #[test]
    fn an_ecosystem_the_database_lacks_is_not_checked() {
        let packages = [
            pkg(Ecosystem::Cargo, "serde", Some("1.0.0")),
            pkg(Ecosystem::Cargo, "anyhow", None),
            pkg(Ecosystem::Npm, "left-pad", Some("1.3.0")),
        ];
        let held = ["crates.io".to_owned()];
        let c = vulnerabilities(&packages, Some(&held), NotCheckedReason::NoDatabase, None);
        assert_eq!((c.checked, c.not_checked), (1, 2));
        let npm = &c.ecosystems[1];
        assert_eq!(npm.ecosystem, Ecosystem::Npm);
        assert_eq!(
            npm.not_checked
                .get(&NotCheckedReason::EcosystemNotInDatabase),
            Some(&1)
        );
        let cargo = &c.ecosystems[0];
        assert_eq!(
            cargo.not_checked.get(&NotCheckedReason::NoVersion),
            Some(&1)
        );
    }

    #[test]
    fn without_a_database_nothing_is_checked() {
        let packages = [pkg(Ecosystem::Cargo, "serde", Some("1.0.0"))];
        let c = vulnerabilities(&packages, None, NotCheckedReason::ScannerOff, None);
        assert_eq!((c.checked, c.not_checked), (0, 1));
        assert_eq!(
            c.ecosystems[0]
                .not_checked
                .get(&NotCheckedReason::ScannerOff),
            Some(&1)
        );
    }

    #[test]
    fn scanners_parse_by_name() {
        assert_eq!("vuln".parse::<ScannerKind>(), Ok(ScannerKind::Vuln));
        assert!("secret".parse::<ScannerKind>().is_err());
    }
}

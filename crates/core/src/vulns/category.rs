//! What kind of advisory a record is: a vulnerability, a malicious package, or one of RustSec's
//! informational kinds (unmaintained, unsound, notice), which are reported apart and do not fail
//! a scan unless policy says so.

use serde::{Deserialize, Serialize};

use super::osv::{Affected, Vulnerability};

/// The kind of a finding.
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
pub enum Category {
    /// A package published to do harm (OSV `MAL-` records, the malicious-packages data set,
    /// advisories of embedded malicious code). Listed first; always fails a scan.
    Malicious,
    /// A security vulnerability.
    #[default]
    Vulnerability,
    /// Unsound code: undefined behaviour reachable through a safe interface (RustSec).
    Unsound,
    /// No longer maintained (RustSec).
    Unmaintained,
    /// Something worth knowing that is not a vulnerability (RustSec `notice`).
    Notice,
}

impl Category {
    /// Every category, in the order findings list them.
    pub const ALL: [Category; 5] = [
        Category::Malicious,
        Category::Vulnerability,
        Category::Unsound,
        Category::Unmaintained,
        Category::Notice,
    ];

    /// The kebab-case name, as JSON and `trusca.toml` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Malicious => "malicious",
            Category::Vulnerability => "vulnerability",
            Category::Unsound => "unsound",
            Category::Unmaintained => "unmaintained",
            Category::Notice => "notice",
        }
    }

    /// Whether it is one of the informational kinds, which fail a scan only when named in
    /// `[vulns] fail_on_informational`.
    pub fn is_informational(self) -> bool {
        matches!(
            self,
            Category::Unsound | Category::Unmaintained | Category::Notice
        )
    }

    /// The informational category of RustSec's `informational` word.
    fn informational(word: &str) -> Option<Category> {
        match word.trim().to_ascii_lowercase().as_str() {
            "unsound" => Some(Category::Unsound),
            "unmaintained" => Some(Category::Unmaintained),
            "notice" => Some(Category::Notice),
            _ => None,
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

/// The CWE of embedded malicious code, as GitHub tags its malware advisories.
const MALICIOUS_CWE: &str = "CWE-506";

/// Whether a record reports a malicious package: an OSV `MAL-` id, the malicious-packages data
/// set's `malicious-packages-origins`, or the embedded-malicious-code CWE.
pub fn is_malicious(record: &Vulnerability) -> bool {
    if record.id.starts_with("MAL-") {
        return true;
    }
    let Some(specific) = &record.database_specific else {
        return false;
    };
    specific.get("malicious-packages-origins").is_some()
        || specific
            .get("cwe_ids")
            .and_then(|c| c.as_array())
            .is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(MALICIOUS_CWE)))
}

/// The informational kind an `affected` entry declares (RustSec writes it in the entry's
/// `database_specific.informational`).
pub fn informational(affected: &Affected) -> Option<Category> {
    let word = affected
        .database_specific
        .as_ref()?
        .get("informational")?
        .as_str()?;
    Category::informational(word)
}

/// The category of a record for the entries that matched the package.
pub fn classify(record: &Vulnerability, affected: &[&Affected]) -> Category {
    if is_malicious(record) {
        return Category::Malicious;
    }
    affected
        .iter()
        .find_map(|a| informational(a))
        .unwrap_or(Category::Vulnerability)
}

/// The category of a group of aliased records: malicious when any is, a vulnerability when any
/// is, else the informational kind they share (the first).
pub fn of_group(categories: impl IntoIterator<Item = Category>) -> Category {
    categories
        .into_iter()
        .min_by_key(|c| match c {
            Category::Malicious => 0,
            Category::Vulnerability => 1,
            _ => 2,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Vulnerability {
        Vulnerability::from_json(json.as_bytes()).expect("valid record")
    }

    #[test]
    fn malicious_records_are_recognised_three_ways() {
        assert!(is_malicious(&record(r#"{"id": "MAL-2024-1"}"#)));
        assert!(is_malicious(&record(
            r#"{"id": "X-1", "database_specific": {"malicious-packages-origins": [{"source": "ghsa-malware"}]}}"#
        )));
        assert!(is_malicious(&record(
            r#"{"id": "GHSA-x", "database_specific": {"cwe_ids": ["CWE-79", "CWE-506"]}}"#
        )));
        assert!(!is_malicious(&record(
            r#"{"id": "GHSA-y", "database_specific": {"cwe_ids": ["CWE-79"]}}"#
        )));
    }

    #[test]
    fn rustsec_informational_kinds_are_categories() {
        let r = record(
            r#"{"id": "RUSTSEC-2020-0001", "affected": [{"package": {"ecosystem": "crates.io", "name": "a"},
                "database_specific": {"informational": "unsound", "cvss": null}}]}"#,
        );
        let affected: Vec<&Affected> = r.affected.iter().collect();
        assert_eq!(classify(&r, &affected), Category::Unsound);
        assert!(Category::Unsound.is_informational());
        let plain = record(
            r#"{"id": "RUSTSEC-2020-0002", "affected": [{"package": {"ecosystem": "crates.io", "name": "a"},
                "database_specific": {"informational": null}}]}"#,
        );
        let affected: Vec<&Affected> = plain.affected.iter().collect();
        assert_eq!(classify(&plain, &affected), Category::Vulnerability);
    }

    #[test]
    fn a_group_is_as_serious_as_its_most_serious_record() {
        assert_eq!(
            of_group([Category::Unsound, Category::Vulnerability]),
            Category::Vulnerability
        );
        assert_eq!(
            of_group([Category::Vulnerability, Category::Malicious]),
            Category::Malicious
        );
        assert_eq!(of_group([Category::Notice]), Category::Notice);
        assert_eq!(
            "unmaintained".parse::<Category>(),
            Ok(Category::Unmaintained)
        );
    }
}

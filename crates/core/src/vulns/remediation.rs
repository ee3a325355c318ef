//! What to bump: for each direct dependency, the findings reached through it (its own and its
//! transitive packages', from the introduced-by paths) and the smallest upgrade of it that
//! removes the most of them: the highest of the fixed versions of its own findings, since each
//! lower fixed version leaves some of them. A transitive package's fix is reached by upgrading
//! the direct dependency to a release that pulls it in, which the lockfile does not tell; those
//! findings count in the total, not in what the upgrade fixes. Findings a VEX statement
//! suppresses are left out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Finding;
use crate::model::purl::Purl;
use crate::version::{compare, Scheme};

/// The upgrade advice for one direct dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Remediation {
    /// The direct dependency's purl.
    pub purl: String,
    /// Its name.
    pub package: String,
    /// Its version.
    pub version: String,
    /// The version to upgrade it to; `None` when none of its own findings has a fix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_to: Option<String>,
    /// How many of the findings reached through it that upgrade removes.
    pub fixes: usize,
    /// How many findings are reached through it (its own and its transitive packages').
    pub findings: usize,
    /// How many of them no known version fixes.
    pub without_fix: usize,
}

/// The advice for every direct dependency with findings, the one that fixes most first.
pub fn remediation(findings: &[Finding]) -> Vec<Remediation> {
    let mut by_direct: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        if f.vex.as_ref().is_some_and(|v| v.suppresses()) {
            continue;
        }
        let direct = match (f.direct, f.introduced_by.first()) {
            (Some(true), _) => f.purl.as_str(),
            (_, Some(d)) => d.as_str(),
            _ => continue,
        };
        by_direct.entry(direct).or_default().push(f);
    }
    let mut out: Vec<Remediation> = by_direct
        .into_iter()
        .map(|(purl, reached)| advice(purl, &reached))
        .collect();
    out.sort_by(|a, b| (b.fixes, b.findings, &a.package).cmp(&(a.fixes, a.findings, &b.package)));
    out
}

fn advice(purl: &str, reached: &[&Finding]) -> Remediation {
    let own: Vec<&&Finding> = reached.iter().filter(|f| f.purl == purl).collect();
    let (package, version) = match (own.first(), purl.parse::<Purl>()) {
        (Some(f), _) => (f.package.clone(), f.version.clone()),
        (None, Ok(p)) => (p.native_name(), p.version().unwrap_or_default().to_owned()),
        (None, Err(_)) => (purl.to_owned(), String::new()),
    };
    let scheme = own.first().map(|f| Scheme::for_ecosystem(f.ecosystem));
    let upgrade_to = scheme.and_then(|scheme| {
        own.iter()
            .filter_map(|f| f.fixed_in.as_deref())
            .max_by(|a, b| compare(scheme, a, b))
            .map(str::to_owned)
    });
    let fixes = match (&upgrade_to, scheme) {
        (Some(target), Some(scheme)) => own
            .iter()
            .filter(|f| {
                f.fixed_in
                    .as_deref()
                    .is_some_and(|v| compare(scheme, v, target).is_le())
            })
            .count(),
        _ => 0,
    };
    Remediation {
        purl: purl.to_owned(),
        package,
        version,
        upgrade_to,
        fixes,
        findings: reached.len(),
        without_fix: reached.iter().filter(|f| f.fixed_in.is_none()).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Ecosystem;
    use crate::testing::{finding, package};
    use crate::vulns::SeverityLevel;

    #[test]
    fn the_highest_own_fix_removes_the_most_and_transitive_ones_count() {
        let sqlx = package(Ecosystem::Cargo, "sqlx", "0.5.9", "Cargo.lock", 1).with_direct(true);
        let mut rsa = package(Ecosystem::Cargo, "rsa", "0.9.0", "Cargo.lock", 9).with_direct(false);
        rsa.introduced_by = vec![sqlx.purl.to_string()].into();
        let high = SeverityLevel::High;
        let mut findings = vec![
            finding(&sqlx, "RUSTSEC-1", &[], high, None, Some("0.8.1")),
            finding(&sqlx, "RUSTSEC-2", &[], high, None, Some("0.6.0")),
            finding(&sqlx, "RUSTSEC-3", &[], high, None, Some("0.10.0")),
            finding(&rsa, "RUSTSEC-4", &[], high, None, None),
        ];
        findings[3].introduced_by = vec![sqlx.purl.to_string()];
        let advice = remediation(&findings);
        assert_eq!(advice.len(), 1);
        let a = &advice[0];
        assert_eq!((a.package.as_str(), a.version.as_str()), ("sqlx", "0.5.9"));
        // 0.10.0 is above 0.8.1 in SemVer order, not in text order.
        assert_eq!(a.upgrade_to.as_deref(), Some("0.10.0"));
        assert_eq!((a.fixes, a.findings, a.without_fix), (3, 4, 1));
    }

    #[test]
    fn a_direct_dependency_with_only_transitive_findings_has_no_upgrade() {
        let app = package(Ecosystem::Npm, "app-lib", "1.0.0", "package-lock.json", 1);
        let mut dep = package(Ecosystem::Npm, "minimist", "0.0.8", "package-lock.json", 5);
        dep.introduced_by = vec![app.purl.to_string()].into();
        let mut f = finding(
            &dep,
            "GHSA-x",
            &[],
            SeverityLevel::Critical,
            None,
            Some("1.2.6"),
        );
        f.introduced_by = vec![app.purl.to_string()];
        let advice = remediation(&[f]);
        assert_eq!(advice[0].package, "app-lib");
        assert_eq!(advice[0].upgrade_to, None);
        assert_eq!((advice[0].fixes, advice[0].findings), (0, 1));
    }
}

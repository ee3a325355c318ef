//! Test support: scans with licenses and findings for the policy, report and SBOM tests, built
//! by hand while license identification and vulnerability matching fill them in elsewhere.

use crate::config::Config;
use crate::coverage::{self, Coverage, DatabaseCoverage, NotCheckedReason, ScannerKind};
use crate::inventory::{Kind, ScannedFile};
use crate::model::{Ecosystem, LicenseInfo, Location, Package, Shared, Tier};
use crate::policy::{self, Date, FailOn, PolicyResult};
use crate::scan::{Scan, Tool};
use crate::source::{Target, TargetKind};
use crate::vulns::{Finding, SeverityLevel};

/// A package at a lockfile line with a concluded license in a tier.
pub fn package(eco: Ecosystem, name: &str, version: &str, file: &str, line: u32) -> Package {
    Package::new(
        eco,
        name,
        Some(version),
        Location {
            file: file.into(),
            line: Some(line),
        },
    )
}

/// Sets the concluded license and its tier.
pub fn licensed(mut p: Package, license: &str, tier: Tier) -> Package {
    p.license = Some(Shared::new(LicenseInfo {
        declared: Some(license.into()),
        detected: Vec::new(),
        concluded: Some(license.into()),
        tier,
        ..LicenseInfo::default()
    }));
    p
}

/// A finding on a package.
pub fn finding(
    p: &Package,
    id: &str,
    aliases: &[&str],
    severity: SeverityLevel,
    score: Option<f64>,
    fixed_in: Option<&str>,
) -> Finding {
    Finding {
        id: id.into(),
        category: crate::vulns::Category::Vulnerability,
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        purl: p.purl.to_string(),
        package: p.name.to_string(),
        version: p.version.as_deref().unwrap_or_default().to_owned(),
        location: p.location.clone(),
        summary: Some(format!("{id} in {}", p.name)),
        severity,
        score,
        vector: score.map(|_| "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()),
        fixed_in: fixed_in.map(str::to_owned),
        introduced_by: Vec::new(),
        references: vec![crate::vulns::FindingReference {
            kind: "advisory".into(),
            url: format!("https://advisories.example/{id}"),
        }],
        ecosystem: p.ecosystem,
        direct: p.direct,
        vex: None,
    }
}

/// A scan of the given packages and findings, with fixed metadata.
pub fn scan(packages: Vec<Package>, findings: Vec<Finding>) -> Scan {
    let mut files: Vec<ScannedFile> = packages
        .iter()
        .map(|p| ScannedFile {
            path: p.location.file.to_string(),
            format: "package-lock.json".into(),
            ecosystem: p.ecosystem,
            kind: Kind::Lockfile,
            packages: 1,
            superseded: false,
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let mut scan = Scan::new(
        Target {
            name: "demo".into(),
            location: "demo".into(),
            kind: TargetKind::Directory,
            reference: None,
            commit: None,
            subdirectory: None,
            image: None,
            distro: None,
        },
        "2024-05-01T12:00:00Z".into(),
    );
    scan.tool = Tool {
        name: "trusca".into(),
        version: "0.0.0-test".into(),
    };
    scan.files = files;
    scan.packages = packages;
    scan.findings = findings;
    scan.coverage = Some(coverage_of(&scan));
    scan
}

/// Coverage as the pipeline computes it, with a database built on 2024-05-01 that holds every
/// ecosystem of the scan but PyPI.
pub fn coverage_of(scan: &Scan) -> Coverage {
    let mut held: Vec<String> = scan
        .packages
        .iter()
        .map(|p| p.ecosystem.osv_name().to_owned())
        .filter(|e| e != "PyPI")
        .collect();
    held.sort();
    held.dedup();
    let database = DatabaseCoverage {
        path: "~/.cache/trusca/osv.db".into(),
        built: "2024-05-01T00:00:00Z".into(),
        age_days: 0,
        ecosystems: held.clone(),
    };
    Coverage {
        scanners: ScannerKind::ALL.to_vec(),
        files: coverage::files(&scan.files, &scan.diagnostics),
        vulnerabilities: coverage::vulnerabilities(
            &scan.packages,
            Some(&held),
            NotCheckedReason::NoDatabase,
            Some(database),
        ),
        licenses: Some(coverage::licenses(&scan.packages, 0, Some(Vec::new()))),
    }
}

/// A small scan of real packages matched against the fixture records
/// ([`crate::vulns::tests::packages_with_findings`]).
pub fn scan_with_findings() -> Scan {
    let packages = crate::vulns::tests::packages_with_findings();
    let matches = crate::vulns::find(&packages, &crate::vulns::tests::fixture_advisories())
        .expect("in-memory lookups never fail");
    let mut scan = Scan::new(
        Target {
            name: "t".into(),
            location: ".".into(),
            kind: TargetKind::Directory,
            reference: None,
            commit: None,
            subdirectory: None,
            image: None,
            distro: None,
        },
        "2024-05-01T12:00:00Z".into(),
    );
    scan.packages = packages;
    scan.findings = matches.findings;
    scan.vuln_check = Some(matches.check);
    scan.coverage = Some(coverage_of(&scan));
    scan
}

/// A scan with something of everything: forbidden, conditional, permissive and unknown licenses;
/// findings of each severity, one with aliases, one without a fix.
pub fn sample() -> Scan {
    let lock = "web/package-lock.json";
    let chart = licensed(
        package(Ecosystem::Npm, "chart-engine", "2.1.0", lock, 40),
        "GPL-3.0-only",
        Tier::Forbidden,
    );
    let left = licensed(
        package(Ecosystem::Npm, "left-pad", "1.3.0", lock, 55),
        "MIT",
        Tier::Permissive,
    );
    let scoped = licensed(
        package(Ecosystem::Npm, "@acme/ui|kit", "0.4.0", lock, 12),
        "MPL-2.0",
        Tier::Conditional,
    );
    let serde = licensed(
        package(Ecosystem::Cargo, "serde", "1.0.130", "Cargo.lock", 7),
        "MIT OR Apache-2.0",
        Tier::Permissive,
    );
    let odd = licensed(
        package(Ecosystem::PyPI, "oddlib", "0.1", "requirements.txt", 3),
        "LicenseRef-custom",
        Tier::Unknown,
    );
    let findings = vec![
        finding(
            &left,
            "GHSA-aaaa-bbbb-cccc",
            &["CVE-2024-0001"],
            SeverityLevel::Critical,
            Some(9.8),
            Some("1.3.1"),
        ),
        finding(
            &serde,
            "RUSTSEC-2024-0002",
            &[],
            SeverityLevel::High,
            Some(7.5),
            Some("1.0.131"),
        ),
        finding(
            &scoped,
            "GHSA-dddd-eeee-ffff",
            &["CVE-2024-0003"],
            SeverityLevel::Medium,
            Some(5.3),
            None,
        ),
        finding(
            &odd,
            "PYSEC-2024-4",
            &[],
            SeverityLevel::Low,
            Some(2.1),
            Some("0.2"),
        ),
        finding(&odd, "OSV-2024-5", &[], SeverityLevel::Unknown, None, None),
    ];
    scan(vec![chart, left, scoped, serde, odd], findings)
}

/// Evaluates the policy of a `trusca.toml` text on a scan as the pipeline does (with the command
/// line's threshold `fail_on`, on the day `today`): the verdict and the diagnostics go into the
/// scan, and the verdict is returned.
pub fn judge(scan: &mut Scan, config: &str, fail_on: Option<FailOn>, today: Date) -> PolicyResult {
    let config = Config::parse(config, "trusca.toml").expect("valid config");
    let policy = crate::settings::policy_of(&config, fail_on, today);
    let evaluation = policy::evaluate(&scan.subject(), &policy);
    scan.diagnostics.extend(evaluation.diagnostics);
    scan.diagnostics.sort();
    scan.policy = Some(evaluation.result.clone());
    evaluation.result
}

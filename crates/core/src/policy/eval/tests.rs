//! Policy decisions on hand-built scans.

use super::*;
use crate::diag::Severity;
use crate::model::Ecosystem;
use crate::scan::Scan;
use crate::testing::{self, licensed, package};

fn day(s: &str) -> Date {
    s.parse().expect("date")
}

fn run(scan: &mut Scan, text: &str, fail_on: Option<FailOn>) -> PolicyResult {
    testing::judge(scan, text, fail_on, day("2025-06-01"))
}

fn ids(r: &PolicyResult) -> Vec<&str> {
    r.violations.iter().map(|v| v.id.as_str()).collect()
}

#[test]
fn a_clean_scan_passes() {
    let mut scan = testing::scan(
        vec![licensed(
            package(Ecosystem::Npm, "a", "1.0.0", "package-lock.json", 3),
            "MIT",
            Tier::Permissive,
        )],
        vec![],
    );
    let r = run(&mut scan, "", None);
    assert_eq!(r.decision, Decision::Pass);
    assert_eq!(r.fail_on, FailOn::High);
    assert!(r.violations.is_empty());
}

#[test]
fn forbidden_license_and_findings_at_the_threshold_fail() {
    let mut scan = testing::sample();
    let r = run(&mut scan, "", None);
    assert_eq!(r.decision, Decision::Fail);
    assert_eq!(
        ids(&r),
        [
            "GPL-3.0-only",
            "GHSA-aaaa-bbbb-cccc",
            "OSV-2024-5",
            "RUSTSEC-2024-0002"
        ]
    );
    assert!(r.violations[2].reason.contains("no severity is known"));
    let gpl = &r.violations[0];
    assert_eq!(gpl.kind, ViolationKind::License);
    assert_eq!(gpl.location.line, Some(40));
    assert_eq!(
        gpl.reason,
        "license `GPL-3.0-only` is in the forbidden tier"
    );
    assert!(r.violations[1].reason.contains("fixed in 1.3.1"));
}

#[test]
fn the_threshold_comes_from_the_command_line_then_the_file() {
    let mut scan = testing::sample();
    let r = run(&mut scan, "fail_on = \"critical\"", None);
    assert_eq!(
        ids(&r),
        ["GPL-3.0-only", "GHSA-aaaa-bbbb-cccc", "OSV-2024-5"],
        "unknown severity fails at every threshold"
    );
    let r = run(&mut scan, "fail_on = \"critical\"", Some(FailOn::Low));
    assert_eq!(r.fail_on, FailOn::Low);
    assert_eq!(r.violations.len(), 6);
    let r = run(&mut scan, "", Some(FailOn::None));
    assert_eq!(ids(&r), ["GPL-3.0-only"]);
}

#[test]
fn fail_on_none_with_no_forbidden_license_passes() {
    let mut scan = testing::sample();
    let r = run(
        &mut scan,
        "[licenses.tiers]\n\"GPL-3.0-only\" = \"conditional\"\n",
        Some(FailOn::None),
    );
    assert_eq!(r.decision, Decision::Pass);
}

#[test]
fn deny_and_allow_lists_override_tiers() {
    let mut scan = testing::sample();
    let r = run(
        &mut scan,
        "[licenses]\nallow = [\"GPL-3.0-only\"]\ndeny = [\"mit\"]\n",
        Some(FailOn::None),
    );
    assert_eq!(ids(&r), ["MIT"]);
    assert_eq!(
        r.violations[0].reason,
        "license `MIT` is denied in `trusca.toml`"
    );
    let r = run(
        &mut scan,
        "[licenses.tiers]\n\"MPL-2.0\" = \"forbidden\"\n\"GPL-3.0-only\" = \"permissive\"\n",
        Some(FailOn::None),
    );
    assert_eq!(ids(&r), ["MPL-2.0"]);
}

#[test]
fn exceptions_waive_by_license_advisory_or_alias() {
    let mut scan = testing::sample();
    let r = run(
        &mut scan,
        r#"
[[exceptions]]
id = "GPL-3.0-only"
package = "chart-engine"
reason = "dual-licensed"
expires = 2025-06-01

[[exceptions]]
id = "cve-2024-0001"
package = "left-pad@1.3.0"
reason = "not reachable"

[[exceptions]]
id = "RUSTSEC-2024-0002"
package = "pkg:cargo/serde"
reason = "patched locally"

[[exceptions]]
id = "OSV-2024-5"
package = "oddlib"
reason = "not reachable"
"#,
        None,
    );
    assert_eq!(r.decision, Decision::Pass, "{:#?}", r.violations);
    assert_eq!(r.waived.len(), 4);
    let reasons: Vec<&str> = r.waived.iter().map(|w| w.reason.as_str()).collect();
    assert!(reasons.contains(&"dual-licensed"));
    assert!(scan
        .diagnostics
        .iter()
        .all(|d| d.code != Code::ExceptionUnused && d.code != Code::ExceptionExpired));
}

#[test]
fn exceptions_for_another_package_or_version_do_not_apply() {
    let mut scan = testing::sample();
    let r = run(
        &mut scan,
        r#"
[[exceptions]]
id = "GPL-3.0-only"
package = "chart-engine@9.9.9"
reason = "other version"

[[exceptions]]
id = "GHSA-aaaa-bbbb-cccc"
package = "right-pad"
reason = "other package"
"#,
        None,
    );
    assert_eq!(r.decision, Decision::Fail);
    assert!(r.waived.is_empty());
    let unused: Vec<_> = scan
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ExceptionUnused)
        .collect();
    assert_eq!(unused.len(), 2);
    assert_eq!(unused[0].severity, Severity::Note);
    assert_eq!(unused[0].file.as_deref(), Some("trusca.toml"));
    assert_eq!(unused[0].line, Some(2));
}

#[test]
fn an_expired_exception_no_longer_applies_and_is_reported() {
    let mut scan = testing::sample();
    let r = run(
        &mut scan,
        r#"
[[exceptions]]
id = "GPL-3.0-only"
package = "chart-engine"
reason = "until the rewrite"
expires = 2025-05-31
"#,
        Some(FailOn::None),
    );
    assert_eq!(r.decision, Decision::Fail);
    assert_eq!(ids(&r), ["GPL-3.0-only"]);
    assert_eq!(r.expired.len(), 1);
    assert_eq!(r.expired[0].expires.to_string(), "2025-05-31");
    assert_eq!(r.expired[0].line, 2);
    let d = scan
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ExceptionExpired)
        .expect("expired reported");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        "the exception for `GPL-3.0-only` in `chart-engine` expired on 2025-05-31 and no longer applies"
    );
    assert!(scan
        .diagnostics
        .iter()
        .all(|d| d.code != Code::ExceptionUnused));
}

#[test]
fn a_scan_that_read_nothing_is_an_error() {
    let mut scan = testing::sample();
    scan.packages.clear();
    scan.findings.clear();
    let paths: Vec<String> = scan.files.iter().map(|f| f.path.clone()).collect();
    for p in paths {
        scan.diagnostics
            .push(Diagnostic::error(Code::ParseError, "broken").in_file(p, Some(1)));
    }
    let r = run(&mut scan, "", None);
    assert_eq!(r.decision, Decision::Error);
    assert_eq!(r.error.as_deref(), Some("no dependency file could be read"));
}

#[test]
fn an_error_outranks_violations() {
    let mut scan = testing::sample();
    scan.diagnostics.push(Diagnostic::error(
        Code::TargetUnusable,
        "the target is gone",
    ));
    let r = run(&mut scan, "", None);
    assert_eq!(r.decision, Decision::Error);
    assert!(!r.violations.is_empty());
}

#[test]
fn the_result_serialises_in_kebab_case() {
    let mut scan = testing::sample();
    let r = run(&mut scan, "", None);
    let v = serde_json::to_value(&r).expect("json");
    assert_eq!(v["decision"], "fail");
    assert_eq!(v["fail_on"], "high");
    assert_eq!(v["violations"][0]["kind"], "license");
}

#[test]
fn unknown_severity_can_be_mapped_or_ignored() {
    let mut scan = testing::sample();
    let unknown = |r: &PolicyResult| r.violations.iter().any(|v| v.id == "OSV-2024-5");
    assert!(unknown(&run(&mut scan, "", Some(FailOn::Critical))));
    assert!(!unknown(&run(&mut scan, "", Some(FailOn::None))));
    let ignore = "[vulns]\nunknown_severity = \"ignore\"\n";
    assert!(!unknown(&run(&mut scan, ignore, Some(FailOn::Low))));
    let as_medium = "[vulns]\nunknown_severity = \"medium\"\n";
    assert!(unknown(&run(&mut scan, as_medium, Some(FailOn::Medium))));
    let r = run(&mut scan, as_medium, Some(FailOn::High));
    assert!(!unknown(&r));
}

#[test]
fn malicious_packages_fail_at_any_threshold_and_informational_ones_only_when_named() {
    let mut scan = testing::sample();
    let left = scan.packages[1].clone();
    let mut malicious = testing::finding(
        &left,
        "MAL-2024-9",
        &[],
        crate::vulns::SeverityLevel::Unknown,
        None,
        None,
    );
    malicious.category = crate::vulns::Category::Malicious;
    let mut unsound = testing::finding(
        &left,
        "RUSTSEC-2024-7",
        &[],
        crate::vulns::SeverityLevel::Unknown,
        None,
        None,
    );
    unsound.category = crate::vulns::Category::Unsound;
    scan.findings = vec![malicious, unsound];
    let r = run(&mut scan, "", Some(FailOn::None));
    assert_eq!(ids(&r), ["MAL-2024-9", "GPL-3.0-only"]);
    assert_eq!(r.violations[0].kind, ViolationKind::Malicious);
    let r = run(
        &mut scan,
        "[vulns]\nfail_on_informational = [\"unsound\"]\n",
        Some(FailOn::None),
    );
    assert_eq!(ids(&r), ["MAL-2024-9", "GPL-3.0-only", "RUSTSEC-2024-7"]);
}

#[test]
fn dev_packages_and_unknown_licenses_follow_the_license_settings() {
    let mut scan = testing::sample();
    scan.findings.clear();
    scan.packages[0].scope = crate::model::Scope::Dev;
    let r = run(&mut scan, "", None);
    assert!(ids(&r).is_empty(), "a dev-only GPL package does not fail");
    let r = run(&mut scan, "[licenses]\ninclude_dev = true\n", None);
    assert_eq!(ids(&r), ["GPL-3.0-only"]);
    if let Some(l) = &mut scan.packages[2].license {
        l.concluded = None;
        l.declared = None;
        l.tier = Tier::Unknown;
    }
    let r = run(&mut scan, "", None);
    assert_eq!(r.decision, Decision::Pass);
    let r = run(&mut scan, "[licenses]\nunknown = \"fail\"\n", None);
    assert_eq!(ids(&r), ["NOASSERTION"]);
}

#[test]
fn the_projects_own_license_is_not_held_to_the_dependency_policy() {
    let mut scan = testing::sample();
    scan.findings.clear();
    let r = run(&mut scan, "", None);
    assert_eq!(ids(&r), ["GPL-3.0-only"]);
    // The same package as a workspace member (a path source of `.`): the project itself.
    scan.packages[0].source = Some(crate::model::PackageSource::Path { path: ".".into() });
    let r = run(&mut scan, "[licenses]\nunknown = \"fail\"\n", None);
    assert!(!ids(&r).contains(&"GPL-3.0-only"), "{:?}", ids(&r));
    // A path dependency elsewhere is still a dependency.
    scan.packages[0].source = Some(crate::model::PackageSource::Path {
        path: "../vendored".into(),
    });
    let r = run(&mut scan, "", None);
    assert_eq!(ids(&r), ["GPL-3.0-only"]);
}

#[test]
fn strict_makes_one_unreadable_file_an_error() {
    let mut scan = testing::sample();
    scan.findings.clear();
    scan.diagnostics
        .push(Diagnostic::error(Code::ParseError, "broken").in_file("Cargo.lock", Some(1)));
    let r = run(
        &mut scan,
        "[licenses.tiers]\n\"GPL-3.0-only\" = \"permissive\"\n",
        None,
    );
    assert_eq!(r.decision, Decision::Pass);
    let r = run(
        &mut scan,
        "strict = true\n[licenses.tiers]\n\"GPL-3.0-only\" = \"permissive\"\n",
        None,
    );
    assert_eq!(r.decision, Decision::Error);
    assert!(r.error.as_deref().is_some_and(|e| e.contains("Cargo.lock")));
}

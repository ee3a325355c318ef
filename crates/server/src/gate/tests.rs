//! The gate's decisions on uploads of both kinds.

use trusca_core::model::Scope;
use trusca_core::policy::Decision;
use trusca_core::vulns::{Category, SeverityLevel};

use super::*;

fn component(name: &str, license: Option<&str>, tier: Option<Tier>) -> Component {
    Component {
        purl: format!("pkg:npm/{name}@1.0.0"),
        package: format!("pkg:npm/{name}"),
        ecosystem: Some("npm".into()),
        name: name.into(),
        version: Some("1.0.0".into()),
        scope: Scope::Runtime,
        direct: Some(true),
        location: Some("package-lock.json:7".into()),
        license: license.map(str::to_owned),
        license_tier: tier,
    }
}

fn finding(name: &str, id: &str, aliases: &[&str], severity: SeverityLevel) -> FindingRow {
    FindingRow {
        advisory_id: id.into(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        purl: format!("pkg:npm/{name}@1.0.0"),
        package: format!("pkg:npm/{name}"),
        version: "1.0.0".into(),
        severity,
        score: None,
        fixed_in: Some("1.0.1".into()),
        summary: None,
        category: Category::Vulnerability,
    }
}

fn upload(kind: SourceKind, components: Vec<Component>, findings: Vec<FindingRow>) -> Ingest {
    Ingest {
        kind,
        commit: None,
        tool: None,
        name: None,
        components,
        findings,
        files: Vec::new(),
        diagnostics: Vec::new(),
        vulns_checked: kind == SourceKind::Trusca,
    }
}

fn policy(text: &str) -> TeamPolicy {
    match TeamPolicy::stored(text) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn day(s: &str) -> Date {
    s.parse().unwrap_or(Date {
        year: 2000,
        month: 1,
        day: 1,
    })
}

#[test]
fn the_teams_license_settings_decide() {
    let sbom = upload(
        SourceKind::Cyclonedx,
        vec![
            component("gpl", Some("GPL-3.0-only"), None),
            component("mit", Some("MIT"), None),
        ],
        Vec::new(),
    );
    let today = day("2026-06-01");
    let v = judge(&sbom, &TeamPolicy::builtin(), true, today);
    assert_eq!(v.source, PolicySource::Default);
    let v = judge(
        &sbom,
        &policy("[licenses]\ndeny = [\"MIT\"]\n"),
        true,
        today,
    );
    assert_eq!(v.result.decision, Decision::Fail);
    assert_eq!(v.source, PolicySource::Team);
    assert!(v.result.violations.iter().any(|x| x.id == "MIT"));
    let waived = policy(
        "[licenses]\ndeny = [\"MIT\"]\n[[exceptions]]\nid = \"MIT\"\npackage = \"mit\"\n\
         reason = \"cleared by legal\"\n",
    );
    let v = judge(&sbom, &waived, true, today);
    assert!(v.result.violations.iter().all(|x| x.id != "MIT"), "{v:?}");
    assert_eq!(v.result.waived.len(), 1);
}

#[test]
fn an_expired_exception_no_longer_applies_and_is_reported() {
    let result = upload(
        SourceKind::Trusca,
        vec![component("lodash", Some("MIT"), Some(Tier::Permissive))],
        vec![finding(
            "lodash",
            "GHSA-1",
            &["CVE-2024-1"],
            SeverityLevel::High,
        )],
    );
    let text = "[[exceptions]]\nid = \"CVE-2024-1\"\npackage = \"lodash\"\n\
                reason = \"not reachable\"\nexpires = 2026-03-31\n";
    let before = judge(&result, &policy(text), true, day("2026-03-31"));
    assert_eq!(before.result.decision, Decision::Pass, "{before:?}");
    let after = judge(&result, &policy(text), true, day("2026-04-01"));
    assert_eq!(after.result.decision, Decision::Fail);
    assert_eq!(
        after.expired(),
        [Expired {
            id: "CVE-2024-1".into(),
            package: "lodash".into(),
            expires: "2026-03-31".into(),
            reason: "not reachable".into(),
        }]
    );
}

#[test]
fn the_threshold_and_malicious_packages() {
    let result = upload(
        SourceKind::Trusca,
        vec![component("a", None, None)],
        vec![finding("a", "GHSA-1", &[], SeverityLevel::High)],
    );
    let today = day("2026-06-01");
    assert_eq!(
        judge(&result, &policy("fail_on = \"critical\"\n"), true, today)
            .result
            .decision,
        Decision::Pass
    );
    let mut malicious = result.clone();
    malicious.findings[0].category = Category::Malicious;
    assert_eq!(
        judge(&malicious, &policy("fail_on = \"none\"\n"), true, today)
            .result
            .decision,
        Decision::Fail
    );
}

#[test]
fn unchecked_components_are_an_error_unless_the_policy_skips_the_check() {
    let sbom = upload(
        SourceKind::Cyclonedx,
        vec![component("mit", Some("MIT"), None)],
        Vec::new(),
    );
    let today = day("2026-06-01");
    let v = judge(&sbom, &TeamPolicy::builtin(), false, today);
    assert_eq!(v.result.decision, Decision::Error);
    assert!(v
        .result
        .error
        .as_deref()
        .is_some_and(|e| e.contains("vulnerability database")));
    let v = judge(&sbom, &policy("fail_open = true\n"), false, today);
    assert!(v.fail_open);
    let licenses_only = policy("[scan]\nscanners = [\"license\"]\n");
    assert_eq!(
        judge(&sbom, &licenses_only, false, today).result.decision,
        Decision::Pass
    );
}

#[test]
fn a_result_made_without_a_vulnerability_database_needs_the_servers() {
    let mut result = upload(
        SourceKind::Trusca,
        vec![component("a", None, None)],
        Vec::new(),
    );
    let today = day("2026-06-01");
    assert_eq!(
        judge(&result, &TeamPolicy::builtin(), false, today)
            .result
            .decision,
        Decision::Pass
    );
    result.vulns_checked = false;
    assert_eq!(
        judge(&result, &TeamPolicy::builtin(), false, today)
            .result
            .decision,
        Decision::Error
    );
    assert_eq!(
        judge(&result, &TeamPolicy::builtin(), true, today)
            .result
            .decision,
        Decision::Pass
    );
}

#[test]
fn a_result_made_without_license_checks_is_not_held_to_them() {
    let result = upload(
        SourceKind::Trusca,
        vec![component("gpl", Some("GPL-3.0-only"), None)],
        Vec::new(),
    );
    let strict = policy("[licenses]\ndeny = [\"GPL-3.0-only\"]\nunknown = \"fail\"\n");
    assert_eq!(
        judge(&result, &strict, true, day("2026-06-01"))
            .result
            .decision,
        Decision::Pass
    );
}

#[test]
fn every_problem_of_a_text_is_given_with_its_line() {
    let Err(problems) = validate("fail_on = \"sometimes\"\n\n[[exceptions]]\nid = \"X\"\n") else {
        panic!("an invalid text passed");
    };
    assert!(problems.len() >= 2, "{problems:?}");
    assert_eq!(problems[0].line, 1);
    assert!(
        problems.iter().any(|p| p.line == 3 || p.line == 4),
        "{problems:?}"
    );
}

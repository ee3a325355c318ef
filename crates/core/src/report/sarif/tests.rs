//! SARIF: schema validity (offline, against `fixtures/schemas/sarif-schema-2.1.0.json`),
//! snapshots, locations, fingerprints.

use std::path::PathBuf;

use serde_json::Value;

use super::*;
use crate::policy::Date;
use crate::testing;

fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("SARIF schema present");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .offline()
        .build(&schema)
        .expect("SARIF schema compiles offline")
}

fn errors(doc: &Value) -> Vec<String> {
    validator()
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn evaluated(config: &str) -> Scan {
    let mut scan = testing::sample();
    let today: Date = "2025-06-01".parse().expect("date");
    testing::judge(&mut scan, config, None, today);
    scan
}

const WAIVER: &str = r#"
[[exceptions]]
id = "CVE-2024-0001"
package = "left-pad"
reason = "Only used at build time"
"#;

fn render(scan: &Scan) -> String {
    let mut out = Vec::new();
    write(scan, &mut out).expect("write to Vec");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn sarif_is_valid_against_the_schema() {
    for scan in [
        testing::sample(),
        evaluated(WAIVER),
        testing::scan(Vec::new(), Vec::new()),
    ] {
        let doc: Value = serde_json::from_str(&render(&scan)).expect("JSON");
        let errs = errors(&doc);
        assert!(errs.is_empty(), "{errs:#?}");
    }
}

#[test]
fn schema_validation_rejects_a_broken_log() {
    let mut doc = to_value(&evaluated(""));
    doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!errors(&doc).is_empty());
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!(render(&evaluated(WAIVER)));
}

#[test]
fn rules_are_per_advisory_and_per_license_with_security_severity() {
    let doc = to_value(&evaluated(""));
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "trusca");
    // A real project address or none: never a placeholder.
    let info = run["tool"]["driver"].get("informationUri");
    assert_eq!(info.and_then(|v| v.as_str()), information_uri());
    assert!(info.is_none_or(|v| !v.as_str().unwrap_or_default().contains(".example")));
    for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
        let uri = rule["helpUri"].as_str().unwrap_or_default();
        if rule["id"]
            .as_str()
            .is_some_and(|id| !id.starts_with("license/"))
        {
            assert!(uri.starts_with("https://"), "{rule}");
        }
    }
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "GHSA-aaaa-bbbb-cccc",
            "GHSA-dddd-eeee-ffff",
            "OSV-2024-5",
            "PYSEC-2024-4",
            "RUSTSEC-2024-0002",
            "license/GPL-3.0-only"
        ]
    );
    assert_eq!(rules[0]["properties"]["security-severity"], "9.8");
    assert!(rules[2]["properties"].get("security-severity").is_none());
    assert!(rules[0]["help"]["text"]
        .as_str()
        .expect("help")
        .contains("left-pad@1.3.0: upgrade to 1.3.1"));
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    assert_eq!(run["properties"]["decision"], "fail");
}

#[test]
fn results_sit_on_the_lockfile_line() {
    let doc = to_value(&evaluated(""));
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let gpl = results
        .iter()
        .find(|r| r["ruleId"] == "license/GPL-3.0-only")
        .expect("license result");
    let loc = &gpl["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "web/package-lock.json");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 40);
    assert_eq!(gpl["level"], "error");
    assert_eq!(gpl["properties"]["policy"], "violation");
}

#[test]
fn waived_results_carry_a_suppression() {
    let doc = to_value(&evaluated(WAIVER));
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "GHSA-aaaa-bbbb-cccc")
        .expect("result");
    assert_eq!(r["suppressions"][0]["kind"], "external");
    assert_eq!(
        r["suppressions"][0]["justification"],
        "Only used at build time"
    );
    assert_eq!(r["properties"]["policy"], "waived");
}

#[test]
fn fingerprints_are_stable_and_ignore_the_line() {
    let a = to_value(&evaluated(""));
    let mut moved = evaluated("");
    for p in &mut moved.packages {
        p.location.line = p.location.line.map(|l| l + 10);
    }
    for f in &mut moved.findings {
        f.location.line = f.location.line.map(|l| l + 10);
    }
    let b = to_value(&moved);
    let prints = |doc: &Value| -> Vec<String> {
        doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["ruleId"] != "license/GPL-3.0-only")
            .map(|r| {
                r["partialFingerprints"]["trusca/v1"]
                    .as_str()
                    .expect("fp")
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(prints(&a), prints(&b));
    let mut unique = prints(&a);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), prints(&a).len());
    assert_eq!(fingerprint(&["x", "y"]), fingerprint(&["x", "y"]));
    assert_ne!(fingerprint(&["xy", ""]), fingerprint(&["x", "y"]));
}

#[test]
fn uris_are_encoded() {
    let a = artifact("my dir/pack#age.lock");
    assert_eq!(a.uri, "my%20dir/pack%23age.lock");
    assert_eq!(a.uri_base_id, Some(SRCROOT));
    let abs = artifact("/tmp/x y/Cargo.lock");
    assert_eq!(abs.uri, "file:///tmp/x%20y/Cargo.lock");
    assert_eq!(abs.uri_base_id, None);
    assert_eq!(artifact("a:b").uri, "a%3Ab");
    assert_eq!(artifact("C:/x/y.lock").uri, "file:///C:/x/y.lock");
}

#[test]
fn uris_are_relative_to_the_repository_root_and_coverage_is_reported() {
    let mut scan = evaluated("");
    scan.target.subdirectory = Some("services/api".into());
    scan.coverage = Some(crate::coverage::Coverage {
        scanners: vec![crate::coverage::ScannerKind::Vuln],
        files: crate::coverage::FileCoverage {
            read: 2,
            failed: vec!["broken/Cargo.lock".into()],
            partial: vec!["web/yarn.lock".into()],
        },
        vulnerabilities: crate::coverage::vulnerabilities(
            &scan.packages,
            Some(&["npm".to_owned()]),
            crate::coverage::NotCheckedReason::NoDatabase,
            None,
        ),
        licenses: None,
    });
    let doc = to_value(&scan);
    assert!(errors(&doc).is_empty(), "{:?}", errors(&doc));
    let run = &doc["runs"][0];
    let uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert!(uri.starts_with("services/api/"), "{uri}");
    assert!(run["originalUriBaseIds"].get(SRCROOT).is_some());
    assert_eq!(
        run["properties"]["coverage"]["files"]["failed"][0],
        "broken/Cargo.lock"
    );
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(notes.iter().any(|n| n["level"] == "error"
        && n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "services/api/broken/Cargo.lock"));
    assert!(notes.iter().any(|n| n["message"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("crates.io packages were not checked"))));
    assert!(notes.iter().any(|n| n["level"] == "warning"
        && n["message"]["text"] == "web/yarn.lock was read only in part"));
}

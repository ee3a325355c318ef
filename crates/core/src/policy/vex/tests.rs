use super::*;
use crate::model::{Ecosystem, Location, Package};
use crate::testing::finding;
use crate::vulns::{Finding, SeverityLevel};

fn read(doc: &str) -> (Vec<Statement>, Vec<Diagnostic>) {
    parse(doc.as_bytes(), "vex.json").expect("readable")
}

fn flysystem() -> Finding {
    let p = Package::new(
        Ecosystem::Packagist,
        "league/flysystem",
        Some("1.0.8"),
        Location::new("composer.lock", Some(10)),
    );
    finding(
        &p,
        "GHSA-9f46-5r25-5wfm",
        &["CVE-2021-32708"],
        SeverityLevel::High,
        Some(8.1),
        Some("1.1.4"),
    )
}

const OPENVEX: &str = r#"{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://vex.example/doc-1", "author": "Security", "timestamp": "2024-01-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2021-32708"},
     "products": [{"@id": "pkg:composer/league/flysystem"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": {"name": "CVE-2000-0001"}, "products": [{"@id": "pkg:npm/left-pad@1.0.0"}],
     "status": "affected"},
    {"vulnerability": {"name": "CVE-2000-0002"}, "status": "fixed"},
    {"vulnerability": {"name": "CVE-2000-0003"}, "products": ["pkg:npm/x@1"], "status": "maybe"},
    {"vulnerability": {"name": "CVE-2000-0004"}, "products": ["pkg:npm/x@1"], "status": "not_affected"},
    {"vulnerability": 7, "products": ["pkg:npm/x@1"], "status": "fixed"}
  ]
}"#;

#[test]
fn openvex_statements_are_read_and_bad_ones_named() {
    let (statements, diags) = read(OPENVEX);
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0].status, VexStatus::NotAffected);
    assert_eq!(statements[0].entry, "statements[0]");
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("statements[2]: `products` is missing"));
    assert!(messages[1].contains("unknown `status` `maybe`"));
    assert!(messages[2].contains("needs a `justification`"));
    assert!(messages[3].contains("`vulnerability` is neither"));
    assert!(diags.iter().all(|d| d.file.as_deref() == Some("vex.json")));
}

#[test]
fn not_affected_suppresses_by_alias_and_unversioned_purl() {
    let (statements, _) = read(OPENVEX);
    let mut findings = vec![flysystem()];
    let unused = apply(&mut findings, &statements);
    let vex = findings[0].vex.as_ref().expect("annotated");
    assert!(vex.suppresses());
    assert_eq!(
        vex.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(vex.file, "vex.json");
    // The `affected` statement about left-pad matched nothing.
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].code, Code::VexUnused);
    assert!(unused[0].message.contains("CVE-2000-0001"));
}

#[test]
fn product_purls_match_with_and_without_version_and_qualifiers() {
    let f: crate::model::purl::Purl = "pkg:npm/%40scope/a@1.2.3?arch=x86".parse().expect("purl");
    for (product, want) in [
        ("pkg:npm/%40scope/a", true),
        ("pkg:npm/%40scope/a@1.2.3", true),
        ("pkg:npm/%40scope/a@1.2.3?arch=x86", true),
        ("pkg:npm/%40scope/a@1.2.3?repository_url=r.example", true),
        ("pkg:npm/%40scope/a@1.2.3?arch=arm", false),
        ("pkg:npm/%40scope/a@1.2.4", false),
        ("pkg:npm/a@1.2.3", false),
        ("not a purl", false),
    ] {
        assert_eq!(apply::product_matches(product, &f), want, "{product}");
    }
}

#[test]
fn later_statements_win_and_under_investigation_annotates() {
    let doc = r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
        {"vulnerability": {"name": "GHSA-9f46-5r25-5wfm"}, "products": [{"@id": "pkg:composer/league/flysystem@1.0.8"}],
         "status": "fixed"},
        {"vulnerability": {"name": "CVE-2021-32708"}, "products": [{"@id": "pkg:composer/league/flysystem@1.0.8"}],
         "status": "under_investigation"}]}"#;
    let (statements, diags) = read(doc);
    assert!(diags.is_empty(), "{diags:?}");
    let mut findings = vec![flysystem()];
    let unused = apply(&mut findings, &statements);
    assert!(unused.is_empty(), "{unused:?}");
    let vex = findings[0].vex.as_ref().expect("annotated");
    assert_eq!(vex.status, VexStatus::UnderInvestigation);
    assert!(!vex.suppresses());
}

#[test]
fn cyclonedx_vex_resolves_refs_to_component_purls() {
    let doc = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
      "components": [{"bom-ref": "fly", "name": "flysystem", "purl": "pkg:composer/league/flysystem@1.0.8"}],
      "vulnerabilities": [
        {"id": "CVE-2021-32708", "analysis": {"state": "false_positive", "detail": "not used"},
         "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#fly"}]},
        {"id": "CVE-2000-1", "analysis": {"state": "resolved"}, "affects": [{"ref": "pkg:npm/a@1"}]},
        {"id": "CVE-2000-2", "analysis": {"state": "exploitable"}, "affects": [{"ref": "nowhere"}]},
        {"id": "CVE-2000-3", "analysis": {"state": "in_triage"}},
        {"id": "CVE-2000-4"}
      ]}"#;
    let (statements, diags) = read(doc);
    assert_eq!(statements.len(), 2);
    assert_eq!(
        statements[0].products,
        ["pkg:composer/league/flysystem@1.0.8"]
    );
    assert_eq!(statements[0].status, VexStatus::NotAffected);
    assert_eq!(statements[1].status, VexStatus::Fixed);
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(diags[0]
        .message
        .starts_with("vulnerabilities[2]: affects[0]"));
    assert!(diags[1].message.contains("`affects` is missing"));
}

#[test]
fn csaf_product_status_resolves_the_product_tree() {
    let doc = r#"{"document": {"category": "csaf_vex", "title": "x"},
      "product_tree": {
        "branches": [{"category": "vendor", "name": "league", "branches": [
          {"category": "product_version", "name": "1.0.8",
           "product": {"product_id": "FLY-108", "name": "flysystem 1.0.8",
                       "product_identification_helper": {"purl": "pkg:composer/league/flysystem@1.0.8"}}}]}],
        "full_product_names": [{"product_id": "APP", "name": "app"}],
        "relationships": [{"category": "default_component_of", "product_reference": "FLY-108",
          "relates_to_product_reference": "APP",
          "full_product_name": {"product_id": "APP:FLY-108", "name": "flysystem in app"}}]
      },
      "vulnerabilities": [
        {"cve": "CVE-2021-32708",
         "product_status": {"known_not_affected": ["APP:FLY-108"], "under_investigation": ["APP"]},
         "flags": [{"label": "vulnerable_code_not_in_execute_path", "product_ids": ["APP:FLY-108"]}]},
        {"cve": "CVE-2000-1", "product_status": {"known_not_affected": ["FLY-108"]}},
        {"product_status": {"fixed": ["FLY-108"]}}
      ]}"#;
    let (statements, diags) = read(doc);
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert_eq!(
        statements[0].justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(
        statements[0].products,
        ["pkg:composer/league/flysystem@1.0.8"]
    );
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("`APP` has no purl"));
    assert!(messages[1].contains("without a flag"));
    assert!(messages[2].contains("neither `cve` nor `ids`"));
    let mut findings = vec![flysystem()];
    apply(&mut findings, &statements);
    assert!(findings[0]
        .vex
        .as_ref()
        .is_some_and(VexAnnotation::suppresses));
}

#[test]
fn unreadable_documents_are_refused_naming_what_is_wrong() {
    for (doc, want) in [
        (&b"{\"statements\": [ {\"vulnerab"[..], "invalid JSON"),
        (b"{\"statements\": 3}", "`statements` is not an array"),
        (
            b"{\"bomFormat\": \"CycloneDX\"}",
            "`vulnerabilities` is missing",
        ),
        (
            b"{\"document\": {\"category\": \"csaf_security_advisory\"}}",
            "not `csaf_vex`",
        ),
        (b"{\"hello\": 1}", "not an OpenVEX"),
        (b"{\"statements\": [], \"x\": \"\xc3\x28\"}", "UTF-8"),
        (b"[]", "not an OpenVEX"),
    ] {
        let err = parse(doc, "v.json").expect_err("refused");
        assert!(err.contains(want), "{err} should contain {want}");
    }
    let deep = format!(
        "{{\"statements\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(parse(deep.as_bytes(), "v.json")
        .expect_err("deep")
        .contains("recursion"));
}

#[test]
fn an_unreadable_file_suppresses_nothing_and_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("broken.vex.json");
    std::fs::write(&path, "{not json").expect("write");
    let (statements, diags) = load(&[path, dir.path().join("missing.json")]);
    assert!(statements.is_empty());
    assert_eq!(diags.len(), 2);
    assert!(diags
        .iter()
        .all(|d| d.severity == crate::diag::Severity::Error && d.code == Code::VexUnreadable));
    assert!(diags[0]
        .file
        .as_deref()
        .is_some_and(|f| f.ends_with("broken.vex.json")));
}

#[test]
fn escape_sequences_in_ids_are_escaped_in_messages() {
    let (statements, _) = read(
        r#"{"statements": [{"vulnerability": {"name": "CVE-1\u001b[31m"},
            "products": ["pkg:npm/x@1"], "status": "affected"}]}"#,
    );
    let unused = apply(&mut [], &statements);
    assert!(
        unused[0].message.contains("\\u{1b}"),
        "{}",
        unused[0].message
    );
}

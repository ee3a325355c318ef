//! SBOMs as scan targets: a tree and the SBOMs trusca writes of it give the same findings, in
//! every SBOM format; components without a purl are listed as not checked; a broken SBOM is
//! exit 2 with the file named.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixture, osv_database, trusca, trusca_matching};

/// A database imported from `fixtures/osv-records`.
fn database(dir: &Path) -> PathBuf {
    osv_database(dir, "osv-records")
}

fn scan(db: &Path, target: &str, scanners: &str) -> Value {
    let out = trusca_matching(db)
        .args([
            "scan",
            "-f",
            "json",
            "--fail-on",
            "none",
            "--scanners",
            scanners,
            target,
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Each finding as (advisory, purl, fixed in).
fn findings(v: &Value) -> BTreeSet<(String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default().to_owned(),
                f["purl"].as_str().unwrap_or_default().to_owned(),
                f["fixed_in"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_tree_and_the_sboms_written_of_it_give_the_same_findings() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let tree = fixture("e2e/fixtures/locks-many-with-insecure");
    let of_tree = scan(&db, &tree.to_string_lossy(), "vuln");
    let want = findings(&of_tree);
    assert!(want.len() >= 2, "{want:?}");

    for (format, file) in [
        ("cyclonedx", "bom.json"),
        ("cyclonedx-xml", "bom.xml"),
        ("spdx", "sbom.spdx.json"),
    ] {
        let path = tmp.path().join(file);
        let out = trusca()
            .args(["sbom", "-f", format, "-o"])
            .arg(&path)
            .arg(&tree)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Detected from the content, and named with `sbom:` alike.
        for target in [
            path.to_string_lossy().into_owned(),
            format!("sbom:{}", path.display()),
        ] {
            let of_sbom = scan(&db, &target, "vuln");
            assert_eq!(findings(&of_sbom), want, "{format}");
            assert_eq!(of_sbom["target"]["kind"], "sbom");
            assert_eq!(
                of_sbom["packages"].as_array().map(Vec::len),
                of_tree["packages"].as_array().map(Vec::len),
                "{format}"
            );
        }
    }
}

#[test]
fn components_without_a_purl_are_not_checked_and_licenses_are_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let bom = tmp.path().join("vendor.cdx.json");
    std::fs::write(
        &bom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.4","components":[
            {"name":"openssl","version":"1.1.1","cpe":"cpe:2.3:a:openssl:openssl:1.1.1:*:*:*:*:*:*:*"},
            {"name":"minimist","version":"1.2.0","purl":"pkg:npm/minimist@1.2.0",
             "licenses":[{"license":{"id":"MIT"}}]}]}"#,
    )
    .expect("write");
    let v = scan(&db, &bom.to_string_lossy(), "vuln,license");
    let vulns = &v["coverage"]["vulnerabilities"];
    assert_eq!(vulns["unidentified"][0]["name"], "openssl");
    assert_eq!(vulns["unidentified"][0]["reason"], "CPE only, no purl");
    assert_eq!(vulns["not_checked"], 1);
    assert_eq!(v["packages"][0]["license"]["concluded"], "MIT");
    assert_eq!(v["packages"][0]["license"]["declared_source"], "sbom");
    assert!(findings(&v)
        .iter()
        .any(|(_, purl, _)| purl == "pkg:npm/minimist@1.2.0"));
}

#[test]
fn an_unreadable_sbom_is_exit_2_naming_the_file_and_field() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bom = tmp.path().join("broken.json");
    std::fs::write(&bom, r#"{"bomFormat":"CycloneDX","specVersion":"7.0"}"#).expect("write");
    let out = trusca()
        .arg("scan")
        .arg(format!("sbom:{}", bom.display()))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.json") && err.contains("specVersion"),
        "{err}"
    );

    let out = trusca()
        .arg("scan")
        .arg(format!(
            "sbom:{}",
            tmp.path().join("missing.json").display()
        ))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

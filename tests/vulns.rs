//! Vulnerability matching end to end: a database built with `trusca db import` from real OSV
//! records, the cases another scanner reports on the e2e fixtures, exit codes and outputs.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixture, osv_database, trusca_matching};

/// A database imported from `fixtures/osv-records` (real records, see fixtures/README.md).
fn database(dir: &Path) -> PathBuf {
    osv_database(dir, "osv-records")
}

/// The format for an e2e fixture whose file name is not the canonical one.
fn format_of(file: &str) -> &str {
    match file {
        f if f.contains("package-lock") => "package-lock.json",
        f if f.contains("yarn.lock") => "yarn.lock",
        f if f.contains("requirements") => "requirements.txt",
        f if f.ends_with(".csproj") => "<project>.csproj",
        f => f,
    }
}

fn scan_json(db: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let out = trusca_matching(db)
        .args(["scan", "-f", "json"])
        .args(extra)
        .output()
        .expect("runs");
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v)
}

#[test]
fn finds_what_another_scanner_reports_on_the_e2e_fixtures() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let root = fixture("e2e");
    let expected: Value = serde_json::from_slice(
        &std::fs::read(root.join("expected-findings.json")).expect("expected"),
    )
    .expect("json");
    let mut checked = 0;
    for case in expected["cases"].as_array().expect("cases") {
        let rel = case["fixture"].as_str().expect("fixture");
        let path = root.join(rel);
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let lockfile = format!("{}:{}", format_of(name), path.display());
        let (code, v) = scan_json(&db, &["--lockfile", &lockfile, "--fail-on", "none"]);
        assert_eq!(code, Some(0), "{rel}");
        for want in case["expected_findings"].as_array().expect("findings") {
            for id in want["must_include_ids"].as_array().expect("ids") {
                let id = id.as_str().expect("id");
                let found = v["findings"].as_array().expect("findings").iter().any(|f| {
                    f["package"] == want["name"]
                        && f["version"] == want["version"]
                        && (f["id"] == id
                            || f["aliases"]
                                .as_array()
                                .is_some_and(|a| a.iter().any(|x| x == id)))
                });
                assert!(
                    found,
                    "{rel}: {} {} should have {id}",
                    want["name"], want["version"]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 16, "{checked} expectations checked");
}

#[test]
fn fail_on_sets_the_exit_code_and_outputs_carry_findings() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let lock = fixture("e2e/fixtures/locks-insecure/composer.lock");
    let arg = format!("composer.lock:{}", lock.display());
    let (code, v) = scan_json(&db, &["--lockfile", &arg, "--fail-on", "low"]);
    assert_eq!(code, Some(1));
    assert_eq!(v["policy"]["decision"], "fail");
    assert!(v["policy"]["violations"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    let (code, _) = scan_json(&db, &["--lockfile", &arg, "--fail-on", "none"]);
    assert_eq!(code, Some(0));

    // CycloneDX with a `vulnerabilities` array.
    let out = trusca_matching(&db)
        .args([
            "scan",
            "--fail-on",
            "none",
            "-f",
            "cyclonedx",
            "--lockfile",
            &arg,
        ])
        .output()
        .expect("runs");
    let bom: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        bom["vulnerabilities"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{bom}"
    );

    // The table lists the finding with its fix.
    let out = trusca_matching(&db)
        .args([
            "scan",
            "--fail-on",
            "none",
            "-f",
            "table",
            "--lockfile",
            &arg,
        ])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("GHSA-9f46-5r25-5wfm") || table.contains("league/flysystem"),
        "{table}"
    );
}

#[test]
fn without_a_database_the_scan_is_an_error_that_says_how_to_get_one() {
    let dir = fixture("scan/mixed");
    let tmp = tempfile::tempdir().expect("tmp");
    let out = trusca_matching(&tmp.path().join("none/osv.db"))
        .args(["scan", "-f", "json"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("vulnerabilities were not checked"),
        "{stderr}"
    );
    assert!(stderr.contains("trusca db update"), "{stderr}");
    assert!(stderr.contains("--scanners license"), "{stderr}");
    // Everything else is still written.
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["policy"]["decision"], "error");
    assert_eq!(v["packages"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["coverage"]["vulnerabilities"]["checked"], 0);
    assert_eq!(
        v["coverage"]["vulnerabilities"]["ecosystems"][0]["not_checked"]["no-database"],
        5
    );
}

#[test]
fn a_failed_first_download_is_an_error_and_writes_nothing() {
    // A mirror on a closed local port: the download fails at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let tmp = tempfile::tempdir().expect("tmp");
    let out = trusca_matching(&tmp.path().join("osv.db"))
        .env("TRUSCA_OFFLINE", "0")
        .env("TRUSCA_DB_MIRROR", format!("http://127.0.0.1:{port}/"))
        .args(["scan", "-f", "json"])
        .arg(fixture("scan/mixed"))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["diagnostics"]
        .as_array()
        .expect("diags")
        .iter()
        .any(|d| d["code"] == "vuln-db-unavailable" && d["severity"] == "error"));
    assert!(!tmp.path().join("osv.db").exists(), "nothing half-written");
}

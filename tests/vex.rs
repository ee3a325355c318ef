//! VEX in, end to end: `--vex` and `[vulns] vex` suppress `not_affected` findings from the
//! gate while JSON and SARIF keep them with the statement's file and justification; a statement
//! matching nothing is a warning; an unreadable VEX file suppresses nothing.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixture, osv_database, trusca_matching};

fn database(dir: &Path) -> PathBuf {
    osv_database(dir, "osv-records")
}

/// A project with `composer.lock` (league/flysystem 1.0.8, GHSA-9f46-5r25-5wfm) and the VEX
/// documents of `fixtures/vex`.
fn project(dir: &Path) -> PathBuf {
    let root = dir.join("project");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::copy(
        fixture("e2e/fixtures/locks-insecure/composer.lock"),
        root.join("composer.lock"),
    )
    .expect("copy");
    root
}

fn scan(db: &Path, root: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = trusca_matching(db)
        .args(["scan", "--scanners", "vuln", "--fail-on", "low"])
        .args(extra)
        .arg(root)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn each_vex_format_keeps_a_not_affected_finding_out_of_the_gate() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let root = project(tmp.path());
    let (code, out, _) = scan(&db, &root, &["-f", "json"]);
    assert_eq!(code, Some(1), "without VEX the finding fails the scan");
    let before: Value = serde_json::from_str(&out).expect("json");
    let total = before["findings"].as_array().map_or(0, Vec::len);

    for (file, justification) in [
        ("openvex.json", "vulnerable_code_not_in_execute_path"),
        ("cyclonedx-vex.json", "code_not_reachable"),
        ("csaf-vex.json", "vulnerable_code_not_in_execute_path"),
    ] {
        let vex = fixture("vex").join(file);
        let (code, out, err) = scan(&db, &root, &["-f", "json", "--vex", &vex.to_string_lossy()]);
        let v: Value = serde_json::from_str(&out).expect("json");
        let findings = v["findings"].as_array().expect("findings");
        assert_eq!(
            findings.len(),
            total,
            "{file}: suppressed findings stay in the result"
        );
        let suppressed: Vec<&Value> = findings
            .iter()
            .filter(|f| f["id"] == "GHSA-9f46-5r25-5wfm")
            .collect();
        assert_eq!(suppressed.len(), 1, "{file}");
        assert_eq!(suppressed[0]["vex"]["status"], "not_affected", "{file}");
        assert_eq!(
            suppressed[0]["vex"]["justification"], justification,
            "{file}"
        );
        let violations = v["policy"]["violations"].as_array().expect("violations");
        assert!(
            violations.iter().all(|x| x["id"] != "GHSA-9f46-5r25-5wfm"),
            "{file}: {violations:?}"
        );
        // The other statement of each document names a package the project does not have.
        assert!(
            err.contains("matched no finding") && err.contains(file),
            "{file}: {err}"
        );
        let _ = code;
    }
}

#[test]
fn sarif_carries_the_suppression_and_config_vex_applies() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let root = project(tmp.path());
    std::fs::copy(fixture("vex/openvex.json"), root.join("openvex.json")).expect("copy");
    std::fs::write(
        root.join("trusca.toml"),
        "[vulns]\nvex = [\"openvex.json\"]\n",
    )
    .expect("write");
    let (_, out, _) = scan(&db, &root, &["-f", "sarif"]);
    let sarif: Value = serde_json::from_str(&out).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "GHSA-9f46-5r25-5wfm")
        .expect("kept in SARIF");
    assert_eq!(r["properties"]["policy"], "vex");
    let justification = r["suppressions"][0]["justification"]
        .as_str()
        .unwrap_or_default();
    assert!(
        justification.contains("openvex.json")
            && justification.contains("vulnerable_code_not_in_execute_path"),
        "{justification}"
    );
}

#[test]
fn an_unreadable_vex_file_suppresses_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let root = project(tmp.path());
    let broken = tmp.path().join("broken.vex.json");
    std::fs::write(&broken, "{\"statements\": [").expect("write");
    let (code, out, err) = scan(
        &db,
        &root,
        &["-f", "json", "--vex", &broken.to_string_lossy()],
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    assert!(v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .all(|f| f.get("vex").is_none()));
    assert!(
        err.contains("broken.vex.json") && err.contains("invalid JSON"),
        "{err}"
    );
    assert_ne!(code, Some(0));
}

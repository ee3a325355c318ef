//! Policy end to end: `trusca.toml` loading and validation, `--fail-on`, `--config`, exit codes,
//! and the SARIF and Markdown formats on a plain scan.

use std::path::Path;

use serde_json::Value;

use crate::support::{fixture, scrub, trusca};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = trusca().args(args).output().expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: scrub(&String::from_utf8_lossy(&out.stderr)),
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).expect("JSON on stdout")
}

#[test]
fn a_clean_scan_passes_with_exit_0_and_records_the_policy() {
    let dir = fixture("scan/mixed");
    let r = run(&["scan", path(&dir), "-f", "json", "--reproducible"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["policy"]["decision"], "pass");
    assert_eq!(v["policy"]["fail_on"], "high");
    assert_eq!(v["policy"]["violations"], serde_json::json!([]));
}

#[test]
fn fail_on_none_is_accepted_and_recorded() {
    let dir = fixture("scan/mixed");
    let r = run(&["scan", path(&dir), "-f", "json", "--fail-on", "none"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(json(&r)["policy"]["fail_on"], "none");
}

#[test]
fn fail_on_rejects_an_unknown_severity_with_exit_2() {
    let dir = fixture("scan/mixed");
    let r = run(&["scan", path(&dir), "--fail-on", "severe"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("critical, high, medium, low, none"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_config_exits_2_pointing_at_each_line() {
    let dir = fixture("policy/bad-config");
    let r = run(&["scan", path(&dir), "-f", "json"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty(), "nothing is scanned: {}", r.stdout);
    insta::assert_snapshot!("bad_config_stderr", r.stderr);
}

#[test]
fn config_flag_reads_another_file_and_a_missing_one_is_an_error() {
    let dir = fixture("scan/mixed");
    let bad = fixture("policy/bad-config/trusca.toml");
    let r = run(&["scan", path(&dir), "--config", path(&bad)]);
    assert_eq!(r.code, Some(2));
    assert!(r
        .stderr
        .contains("trusca.toml:2: `fail_open` must be `true` or `false`, not a string"));

    let r = run(&["scan", path(&dir), "--config", "does-not-exist.toml"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("cannot read `does-not-exist.toml`"),
        "{}",
        r.stderr
    );

    let good = fixture("policy/expired/trusca.toml");
    let r = run(&["scan", path(&dir), "-f", "json", "--config", path(&good)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(json(&r)["policy"]["fail_on"], "critical");
}

#[test]
fn an_expired_exception_is_reported_and_an_unused_one_noted() {
    let dir = fixture("policy/expired");
    let r = run(&["scan", path(&dir), "-f", "json", "--reproducible"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains(
        "warning: trusca.toml:4: the exception for `GPL-3.0-only` in `serde` expired on 2020-12-31 and no longer applies [exception-expired]"
    ), "{}", r.stderr);
    assert!(r.stderr.contains(
        "note: trusca.toml:10: the exception for `RUSTSEC-2099-0001` in `pkg:cargo/serde` matched nothing in this scan [exception-unused]"
    ), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["policy"]["fail_on"], "critical");
    assert_eq!(v["policy"]["expired"][0]["id"], "GPL-3.0-only");
    assert_eq!(v["policy"]["expired"][0]["expires"], "2020-12-31");
    assert_eq!(v["policy"]["expired"][0]["line"], 4);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"exception-expired"));
}

#[test]
fn nested_config_files_are_reported_and_not_obeyed() {
    let dir = fixture("policy/nested");
    let r = run(&["scan", path(&dir), "-f", "json"]);
    // The nested file has an unknown key and `fail_on = "none"`: neither is read.
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["policy"]["fail_on"], "high");
    let nested: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "nested-config-ignored")
        .map(|d| d["file"].as_str().expect("file"))
        .collect();
    assert_eq!(nested, ["sub/trusca.toml", "vendor/.truscaignore"]);
    assert!(r.stderr.contains(
        "warning: sub/trusca.toml: configuration file below the scan root was not obeyed [nested-config-ignored]"
    ), "{}", r.stderr);
}

#[test]
fn scan_exclude_in_config_prunes_the_walk() {
    let dir = fixture("policy/exclude");
    let r = run(&["scan", path(&dir), "-f", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let files: Vec<String> = json(&r)["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect();
    assert_eq!(files, ["Cargo.lock"]);
}

#[test]
fn nothing_readable_is_an_error_with_exit_2() {
    let dir = fixture("scan/broken");
    let r = run(&["scan", path(&dir), "-f", "json"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(json(&r)["policy"]["decision"], "error");
    assert!(r.stderr.contains("no dependency file could be read"));
}

#[test]
fn fail_open_turns_an_error_into_a_loud_pass() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        fixture("scan/broken/Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .expect("copy");
    std::fs::write(tmp.path().join("trusca.toml"), "fail_open = true\n").expect("write");
    let r = run(&["scan", path(tmp.path()), "-f", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(json(&r)["policy"]["decision"], "error");
    assert!(
        r.stderr
            .contains("THE SCAN FAILED AND IS PASSING ONLY BECAUSE `fail_open = true`"),
        "{}",
        r.stderr
    );
}

#[test]
fn sarif_on_a_plain_scan() {
    let dir = fixture("scan/mixed");
    let r = run(&["scan", path(&dir), "-f", "sarif", "--fail-on", "medium"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "trusca");
    assert_eq!(run0["results"], serde_json::json!([]));
    assert_eq!(run0["properties"]["decision"], "pass");
    assert_eq!(run0["properties"]["fail-on"], "medium");
}

#[test]
fn markdown_on_a_plain_scan() {
    let dir = fixture("scan/mixed");
    let r = run(&["scan", path(&dir), "-f", "markdown"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!("markdown_mixed", r.stdout);
}

#[test]
fn sbom_obeys_scan_exclude_but_does_not_gate() {
    let dir = fixture("policy/exclude");
    let r = run(&["sbom", path(&dir), "--reproducible"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    let components = v["components"].as_array().expect("components");
    assert!(!components.is_empty());
    assert!(!r.stdout.contains("examples/"), "excluded by trusca.toml");
    assert!(v.get("policy").is_none());
}

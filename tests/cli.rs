//! The scan command: formats, exit codes and diagnostics.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{fixture, scrub, trusca};

fn json_of(args: &[&str]) -> Value {
    let out = trusca().args(args).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn json_lists_every_package_with_location_and_graph() {
    let dir = fixture("scan/mixed");
    let v = json_of(&[
        "scan",
        dir.to_str().expect("utf8"),
        "--format",
        "json",
        "--reproducible",
    ]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["generated_at"], "1970-01-01T00:00:00Z");
    assert_eq!(v["target"]["kind"], "directory");
    let files: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(files, ["Cargo.lock", "app/Cargo.lock"]);
    let packages = v["packages"].as_array().expect("packages");
    let derive = packages
        .iter()
        .find(|p| p["name"] == "serde_derive")
        .expect("serde_derive");
    assert_eq!(derive["direct"], false);
    assert_eq!(
        derive["introduced_by"],
        serde_json::json!(["pkg:cargo/serde@1.0.130"])
    );
    assert_eq!(derive["location"]["file"], "app/Cargo.lock");
    assert_eq!(derive["location"]["line"], 21);
    assert_eq!(derive["hashes"][0]["alg"], "sha256");
}

#[test]
fn reproducible_output_is_byte_identical() {
    let dir = fixture("scan/mixed");
    let run = || {
        trusca()
            .args([
                "scan",
                dir.to_str().expect("utf8"),
                "-f",
                "json",
                "--reproducible",
            ])
            .output()
            .expect("runs")
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn table_groups_by_ecosystem_with_counts() {
    let dir = fixture("scan/mixed");
    let out = trusca()
        .args(["scan", dir.to_str().expect("utf8"), "--format", "table"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("table_mixed", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn output_file_gets_the_result() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("out.json");
    trusca()
        .args([
            "scan",
            fixture("scan/mixed").to_str().expect("utf8"),
            "-f",
            "json",
            "-o",
        ])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let v: Value = serde_json::from_slice(&std::fs::read(&file).expect("written")).expect("json");
    assert!(!v["packages"].as_array().expect("packages").is_empty());
}

#[test]
fn missing_target_exits_2() {
    trusca()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`/definitely/not/here` is not a directory",
        ));
}

#[test]
fn broken_lockfile_alone_exits_2_with_file_and_line() {
    let dir = fixture("scan/broken");
    let out = trusca()
        .args(["scan", dir.to_str().expect("utf8"), "-f", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Cargo.lock:4"), "{stderr}");
    assert!(
        stderr.contains("no dependency file could be read"),
        "{stderr}"
    );
}

#[test]
fn broken_lockfile_beside_good_ones_is_a_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(tmp.path().join("bad")).expect("mkdir");
    std::fs::copy(
        fixture("scan/broken/Cargo.lock"),
        tmp.path().join("bad/Cargo.lock"),
    )
    .expect("copy");
    std::fs::copy(
        fixture("scan/mixed/app/Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .expect("copy");
    let out = trusca()
        .arg("scan")
        .arg(tmp.path())
        .args(["-f", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["code"], "parse-error");
    assert_eq!(v["diagnostics"][0]["file"], "bad/Cargo.lock");
    assert_eq!(v["diagnostics"][0]["line"], 4);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot parse as `Cargo.lock`"));
}

#[test]
fn invalid_utf8_lockfile_is_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("Cargo.lock"), b"version = 3\n\xff\xfe\n").expect("write");
    let out = trusca()
        .arg("scan")
        .arg(tmp.path())
        .args(["-f", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = scrub(&String::from_utf8_lossy(&out.stderr));
    assert!(
        stderr.contains("file is not valid UTF-8") && stderr.contains("[Cargo.lock:2:1]"),
        "{stderr}"
    );
}

#[test]
fn lockfile_flag_reads_a_file_with_any_name() {
    let path = fixture("lockfiles/crates.io/cargo-lock/two-packages-with-local.lock");
    let v = json_of(&[
        "scan",
        "--lockfile",
        &format!("cargo-lock:{}", path.display()),
        "-f",
        "json",
    ]);
    assert_eq!(v["packages"].as_array().expect("packages").len(), 2);
    trusca()
        .args(["scan", "--lockfile", "nope:x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown lockfile format `nope`"));
}

#[test]
fn empty_directory_passes_with_a_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    trusca()
        .arg("scan")
        .arg(tmp.path())
        .args(["-f", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("no dependency files found"));
}

#[test]
fn exclude_and_include_globs() {
    let dir = fixture("scan/mixed");
    let v = json_of(&[
        "scan",
        dir.to_str().expect("utf8"),
        "-f",
        "json",
        "--exclude",
        "app",
    ]);
    assert_eq!(v["files"].as_array().expect("files").len(), 1);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    trusca().args(["scan", "--format", "nope"]).assert().code(2);
    trusca().arg("--help").assert().success();
    trusca()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("trusca"));
}

#[test]
fn huge_garbage_lockfile_is_a_diagnostic() {
    let tmp = tempfile::tempdir().expect("tmp");
    // 50 MB that starts like JSON and never becomes valid.
    let mut body = b"{\"lockfileVersion\": 3, \"packages\": {\"x\": [".to_vec();
    body.resize(50 * 1024 * 1024, b'7');
    std::fs::write(tmp.path().join("package-lock.json"), &body).expect("write");
    std::fs::copy(
        fixture("scan/mixed/app/Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .expect("copy");
    let out = trusca()
        .arg("scan")
        .arg(tmp.path())
        .args(["-f", "json", "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["file"], "package-lock.json");
    assert_eq!(v["diagnostics"][0]["code"], "parse-error");
    assert_eq!(v["packages"].as_array().expect("packages").len(), 3);
}

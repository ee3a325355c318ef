//! Licenses in the scan result and the SBOMs, end to end.

use serde_json::Value;

use crate::support::{fixture, trusca};

fn run_json(args: &[&str]) -> Value {
    let out = trusca().args(args).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn scan_json_carries_declared_detected_and_concluded_licenses() {
    let dir = fixture("licenses/declared");
    let v = run_json(&["scan", dir.to_str().expect("utf8"), "--format", "json"]);
    let packages = v["packages"].as_array().expect("packages");
    let by_name = |n: &str| {
        packages
            .iter()
            .find(|p| p["name"] == n)
            .unwrap_or_else(|| panic!("{n} in scan"))
    };
    let ms = &by_name("ms")["license"];
    assert_eq!(ms["declared"], "MIT");
    assert_eq!(ms["concluded"], "MIT");
    assert_eq!(ms["tier"], "permissive");
    let errors = &by_name("github.com/pkg/errors")["license"];
    assert_eq!(errors["detected"][0]["license"], "MIT");
    assert_eq!(
        errors["detected"][0]["file"],
        "vendor/github.com/pkg/errors/LICENSE"
    );
    assert_eq!(by_name("nolicense")["license"]["tier"], "unknown");
}

#[test]
fn sboms_carry_licenses() {
    let dir = fixture("licenses/declared");
    let cdx = run_json(&["scan", dir.to_str().expect("utf8"), "--format", "cyclonedx"]);
    let with_licenses = cdx["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["licenses"].is_array())
        .count();
    assert_eq!(with_licenses, 3);
    let spdx = run_json(&["scan", dir.to_str().expect("utf8"), "--format", "spdx"]);
    let declared: Vec<&str> = spdx["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| p["licenseDeclared"].as_str())
        .collect();
    assert!(declared.contains(&"MIT"));
    assert!(declared.contains(&"NOASSERTION"));
}

/// The scan of `app/Cargo.lock` in the stores fixture, in `format`, with `extra` arguments.
fn app_scan_as(format: &str, extra: &[&str]) -> Value {
    let app = fixture("licenses/stores/app");
    let mut args = vec!["scan", app.to_str().expect("utf8"), "--format", format];
    args.extend_from_slice(extra);
    run_json(&args)
}

fn app_scan(extra: &[&str]) -> Value {
    app_scan_as("json", extra)
}

fn license_of<'v>(scan: &'v Value, name: &str) -> &'v Value {
    &scan["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} in scan"))["license"]
}

#[test]
fn package_stores_give_dependencies_their_licenses() {
    let cargo = fixture("licenses/stores/cargo");
    let store = format!("cargo={}", cargo.display());
    let v = app_scan(&["--package-store", &store]);
    let memchr = license_of(&v, "memchr");
    assert_eq!(memchr["declared"], "Unlicense OR MIT");
    assert_eq!(memchr["declared_source"], "package-store");
    assert_eq!(
        memchr["declared_in"],
        "cargo-registry:memchr-2.8.3/Cargo.toml"
    );
    assert_eq!(
        memchr["detected"][0]["file"],
        "cargo-registry:memchr-2.8.3/LICENSE-MIT"
    );
    assert_eq!(license_of(&v, "ryu")["concluded"], "Apache-2.0 OR BSL-1.0");
    assert_eq!(license_of(&v, "widget-core")["concluded"], "MPL-2.0");
    assert_eq!(license_of(&v, "not-fetched")["tier"], "unknown");
    // No path of this machine in the result: evidence names the store.
    let text = v.to_string();
    assert!(!text.contains(cargo.to_str().expect("utf8")), "{text}");
    let coverage = &v["coverage"]["licenses"];
    assert_eq!(coverage["known"], 3, "{coverage}");

    // Off: nothing is known of the registry crates.
    let off = app_scan(&["--no-package-stores"]);
    assert_eq!(license_of(&off, "memchr")["tier"], "unknown");
    // The environment's stores: `CARGO_HOME`.
    let out = trusca()
        .env("CARGO_HOME", &cargo)
        .args(["scan", "--format", "json"])
        .arg(fixture("licenses/stores/app"))
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(license_of(&v, "memchr")["concluded"], "Unlicense OR MIT");
    // `package_stores = false` in the configuration turns the environment's off too.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        fixture("licenses/stores/app/Cargo.lock"),
        dir.path().join("Cargo.lock"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("trusca.toml"),
        "[licenses]\npackage_stores = false\n",
    )
    .expect("write");
    let out = trusca()
        .env("CARGO_HOME", &cargo)
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(license_of(&v, "memchr")["tier"], "unknown");
}

#[test]
fn package_store_evidence_reaches_the_sboms() {
    let store = format!("cargo={}", fixture("licenses/stores/cargo").display());
    let cdx = app_scan_as("cyclonedx", &["--package-store", &store]);
    let memchr = cdx["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["name"] == "memchr")
        .expect("memchr");
    let evidence = &memchr["evidence"]["licenses"];
    assert_eq!(evidence[0]["license"]["id"], "MIT");
    assert_eq!(
        evidence[0]["license"]["properties"][0]["value"],
        "cargo-registry:memchr-2.8.3/LICENSE-MIT"
    );
    let props = memchr["properties"].as_array().expect("properties");
    assert!(props
        .iter()
        .any(|p| p["name"] == "trusca:license-declared-in"
            && p["value"] == "cargo-registry:memchr-2.8.3/Cargo.toml"));
    let spdx = app_scan_as("spdx", &["--package-store", &store]);
    let comments = spdx["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "memchr")
        .and_then(|p| p["licenseComments"].as_str())
        .expect("license comments");
    assert!(
        comments.starts_with(
            "Unlicense OR MIT declared in cargo-registry:memchr-2.8.3/Cargo.toml (package-store)"
        ),
        "{comments}"
    );
}

#[test]
fn bad_package_store_arguments_are_errors() {
    let app = fixture("licenses/stores/app");
    let out = trusca()
        .args(["scan", "--package-store", "npm=/tmp"])
        .arg(&app)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown package store `npm`"), "{stderr}");

    let out = trusca()
        .args(["scan", "--package-store", "cargo=/no/such/cargo/home"])
        .arg(&app)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("package store `cargo=/no/such/cargo/home` is not a directory"),
        "{stderr}"
    );
}

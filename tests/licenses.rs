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

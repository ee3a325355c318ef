//! What the server benchmarks share: the scan documents they upload or store.

use serde_json::{json, Value};

/// A trusca result for project `p<project>` with `components` npm packages and three findings;
/// `upload` varies the versions from one upload to the next.
pub fn document(project: usize, upload: usize, components: usize) -> Vec<u8> {
    let packages: Vec<Value> = (0..components)
        .map(|i| {
            let version = format!("1.{}.{}", i % 7, (upload + i) % 3);
            json!({
                "ecosystem": "npm", "name": format!("pkg-{i}"), "version": version,
                "purl": format!("pkg:npm/pkg-{i}@{version}"), "scope": "runtime",
                "direct": i < 50, "location": { "file": "package-lock.json", "line": i + 2 },
                "license": { "concluded": "MIT", "tier": "permissive" }
            })
        })
        .collect();
    let findings: Vec<Value> = (0..3)
        .map(|i| {
            let version = format!("1.{}.{}", i % 7, (upload + i) % 3);
            json!({
                "id": format!("GHSA-load-{i}"), "ecosystem": "npm", "aliases": [format!("CVE-2024-{}", 1000 + i)],
                "purl": format!("pkg:npm/pkg-{i}@{version}"), "package": format!("pkg-{i}"),
                "version": version, "location": { "file": "package-lock.json", "line": i + 2 },
                "severity": "high", "score": 7.5, "fixed_in": "2.0.0"
            })
        })
        .collect();
    json!({
        "schema_version": 1, "tool": { "name": "trusca", "version": "0.1.0" },
        "target": { "name": format!("p{project}"), "location": ".", "kind": "directory" },
        "generated_at": "2024-01-01T00:00:00Z", "files": [], "packages": packages,
        "findings": findings, "diagnostics": []
    })
    .to_string()
    .into_bytes()
}

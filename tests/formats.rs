//! Every output format of the binary, on a tree of several ecosystems: validated against the
//! official schemas (CycloneDX 1.5/1.6, SPDX 2.3, the trusca result schema) and snapshotted.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{fixture, fixture_copy, scrub, trusca};

fn load(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("schema is JSON")
}

fn cyclonedx_registry() -> &'static jsonschema::Registry<'static> {
    static REGISTRY: OnceLock<jsonschema::Registry<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut builder = jsonschema::Registry::new();
        for name in [
            "bom-1.5.schema.json",
            "bom-1.6.schema.json",
            "spdx.schema.json",
            "jsf-0.82.schema.json",
        ] {
            let uri = format!("http://cyclonedx.org/schema/{name}");
            builder = builder
                .add(uri.as_str(), load(&format!("fixtures/schemas/{name}")))
                .expect("registers");
        }
        builder.prepare().expect("registry prepares")
    })
}

pub(crate) fn validator(schema: &str) -> jsonschema::Validator {
    let options = jsonschema::options()
        .should_validate_formats(true)
        .offline();
    let options = if schema.starts_with("fixtures/schemas/bom-") {
        options
            .with_draft(jsonschema::Draft::Draft7)
            .with_registry(cyclonedx_registry())
    } else {
        options
    };
    options
        .build(&load(schema))
        .expect("schema compiles offline")
}

/// Scans a copy of the polyglot fixture outside any git checkout, so nothing depends on the
/// commit of this repository; the temp path is shown as `[TMP]`.
fn run(args: &[&str]) -> String {
    let (tmp, dir) = fixture_copy("scan/polyglot");
    let out = trusca()
        .env("TRUSCA_DB", tmp.path().join("no-db/osv.db"))
        .arg("scan")
        .arg(&dir)
        .args(["--reproducible", "--quiet"])
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .replace(&*tmp.path().to_string_lossy(), "[TMP]")
}

pub(crate) fn assert_valid(schema: &str, text: &str) {
    let doc: Value = serde_json::from_str(text).expect("JSON output");
    let v = validator(schema);
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema}: {errors:#?}");
}

#[test]
fn json_result_matches_its_published_schema() {
    let text = run(&["--format", "json"]);
    assert_valid("docs/trusca-result.schema.json", &text);
    let v: Value = serde_json::from_str(&text).expect("json");
    let ecosystems: std::collections::BTreeSet<&str> = v["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| p["ecosystem"].as_str())
        .collect();
    assert_eq!(ecosystems.len(), 7, "{ecosystems:?}");
    insta::assert_snapshot!("json_polyglot", scrub(&text));
}

#[test]
fn cyclonedx_json_validates_for_both_spec_versions() {
    for (version, schema) in [
        ("1.6", "fixtures/schemas/bom-1.6.schema.json"),
        ("1.5", "fixtures/schemas/bom-1.5.schema.json"),
    ] {
        let text = run(&["--format", "cyclonedx", "--spec-version", version]);
        assert_valid(schema, &text);
        let v: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["specVersion"], version);
        assert!(v["components"].as_array().expect("components").len() > 40);
    }
    insta::assert_snapshot!(
        "cyclonedx_1_6_polyglot",
        scrub(&run(&["--format", "cyclonedx"]))
    );
}

#[test]
fn spdx_json_validates() {
    let text = run(&["--format", "spdx"]);
    assert_valid("fixtures/schemas/spdx-2.3.schema.json", &text);
    insta::assert_snapshot!("spdx_polyglot", scrub(&text));
}

#[test]
fn cyclonedx_xml_is_written_for_both_spec_versions() {
    for version in ["1.6", "1.5"] {
        let text = run(&["--format", "cyclonedx-xml", "--spec-version", version]);
        assert!(text.starts_with("<?xml"), "{text}");
        assert!(text.contains(&format!(
            "xmlns=\"http://cyclonedx.org/schema/bom/{version}\""
        )));
    }
    insta::assert_snapshot!(
        "cyclonedx_xml_1_6_polyglot",
        scrub(&run(&["--format", "cyclonedx-xml"]))
    );
}

#[test]
fn sbom_command_defaults_to_cyclonedx_json() {
    let dir = fixture("scan/polyglot");
    let out = trusca()
        .arg("sbom")
        .arg(&dir)
        .arg("--reproducible")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
}

#[test]
fn table_shows_every_ecosystem() {
    insta::assert_snapshot!("table_polyglot", run(&["--format", "table"]));
}

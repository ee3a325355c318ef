//! `package.json`, the npm package manifest: the package it describes, by `name` and `version`.
//!
//! This follows the upstream test data this project checks against (osv-scalibr's conventions):
//! a `package.json` is reported as the one package it declares, which is how installed packages
//! (`node_modules/*/package.json`) are found. It is first-party when it is a project's own
//! manifest, so it carries a path source and no directness. Files without both a name and a
//! version, Visual Studio Code extension manifests (`engines.vscode` or `contributes`) and Unity
//! packages (`unity`) use the same file name for something else and report nothing.
//! Declared dependency ranges are not reported as packages: the lockfile beside a manifest pins
//! them, and the lockfile extractors read this file for the direct dependencies they need.

use std::path::Path;

use serde_json::Value;

use super::lines::LineFinder;
use super::npm_shared;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "package.json",
    slug: "package-json",
    ecosystem: Ecosystem::Npm,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "package.json"),
    extract,
};

fn text_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn is_vscode_extension(v: &Value) -> bool {
    v.get("engines")
        .and_then(Value::as_object)
        .is_some_and(|e| e.contains_key("vscode"))
        || v.get("contributes").is_some_and(|c| !c.is_null())
}

fn is_unity_package(v: &Value) -> bool {
    text_field(v, "unity").is_some()
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let manifest: Value = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    if !manifest.is_object() {
        return Err(ParseError::new(
            "a package.json must hold an object",
            Some(1),
        ));
    }
    let (Some(name), Some(version)) = (
        text_field(&manifest, "name"),
        text_field(&manifest, "version"),
    ) else {
        return Ok(Extracted::default());
    };
    if is_vscode_extension(&manifest) || is_unity_package(&manifest) {
        return Ok(Extracted::default());
    }
    let line = LineFinder::new(input.text).first("\"name\"");
    let package = Package::new(
        Ecosystem::Npm,
        name,
        Some(version),
        npm_shared::location(input, line),
    )
    .with_source(PackageSource::Path { path: ".".into() });
    Ok(vec![package].into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "package.json",
            path: Path::new("package.json"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir(
            "npm/package-json",
            &EXTRACTOR,
            &[(
                "duplicate-keys.json",
                "upstream lists `dependencies` entries only with an option the other cases run \
                 without; here a manifest reports its own package only",
            )],
        );
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/npm/package-json/deps/accepts/package.json"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn own_package_is_first_party_at_its_name_line() {
        let out = run("{\n  \"version\": \"1.0.0\",\n  \"name\": \"app\",\n  \"dependencies\": {\"a\": \"^1\"}\n}")
            .expect("parses");
        assert_eq!(out.packages.len(), 1);
        let p = &out.packages[0];
        assert_eq!(
            (p.name.as_str(), p.version.as_deref()),
            ("app", Some("1.0.0"))
        );
        assert_eq!(p.location.line, Some(3));
        assert_eq!(p.direct, None);
        assert_eq!(p.source, Some(PackageSource::Path { path: ".".into() }));
    }

    #[test]
    fn editor_extensions_and_unity_packages_are_not_npm_packages() {
        let vscode = r#"{"name": "x", "version": "1.0.0", "engines": {"vscode": "*"}}"#;
        let unity = r#"{"name": "x", "version": "1.0.0", "unity": "2020.3"}"#;
        let nameless = r#"{"version": "1.0.0"}"#;
        for text in [vscode, unity, nameless] {
            assert!(run(text).expect("parses").packages.is_empty(), "{text}");
        }
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = run("{\n  \"name\": \"a\",\n  oops\n}").expect_err("invalid");
        assert_eq!(err.line, Some(3));
    }
}

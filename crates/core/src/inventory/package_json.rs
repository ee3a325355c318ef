//! `package.json`, the npm package manifest: the package it describes and the dependencies it
//! declares.
//!
//! The package itself (by `name` and `version`) is reported as first-party, with a path source
//! and no directness, as osv-scalibr does. The entries of `dependencies`, `devDependencies`,
//! `optionalDependencies` and `peerDependencies` are reported as direct dependencies with their
//! declared range in `requirement`, and a version only when the range is one exact version: a
//! project without a lockfile still shows what it asks for, as unpinned. Where a lockfile sits
//! beside or above the manifest, the scan drops these in favour of the pinned versions.
//! Visual Studio Code extension manifests (`engines.vscode` or `contributes`) and Unity packages
//! (`unity`) use the same file name for something else and report nothing.

use std::path::Path;

use serde_json::Value;

use super::lines::LineFinder;
use super::npm_shared;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Package, PackageSource, Scope};

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
    if is_vscode_extension(&manifest) || is_unity_package(&manifest) {
        return Ok(Extracted::default());
    }
    let mut packages = Vec::new();
    let mut lines = LineFinder::new(input.text);
    if let (Some(name), Some(version)) = (
        text_field(&manifest, "name"),
        text_field(&manifest, "version"),
    ) {
        let line = lines.first("\"name\"");
        packages.push(
            Package::new(
                Ecosystem::Npm,
                name,
                Some(version),
                npm_shared::location(input, line),
            )
            .with_source(PackageSource::Path { path: ".".into() }),
        );
    }
    for (section, scope, group) in [
        ("dependencies", Scope::Runtime, None),
        ("devDependencies", Scope::Dev, Some("dev")),
        ("optionalDependencies", Scope::Optional, Some("optional")),
        ("peerDependencies", Scope::Optional, Some("peer")),
    ] {
        let Some(deps) = manifest.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (key, range) in deps {
            let Some(range) = range.as_str() else {
                continue;
            };
            let line = lines.next(&format!("\"{key}\""));
            let mut pkg = declared(key, range.trim(), npm_shared::location(input, line))
                .with_scope(scope)
                .with_direct(true);
            if let Some(g) = group {
                pkg.add_group(g);
            }
            // The same name in two sections (a peer also listed as dev) is one package.
            if !packages
                .iter()
                .any(|p: &Package| p.name == pkg.name && p.scope <= scope && p.direct == Some(true))
            {
                packages.push(pkg);
            }
        }
    }
    Ok(packages.into())
}

/// A declared dependency: `npm:` aliases name the real package; `file:`, `link:` and
/// `workspace:` ranges are local; git and tarball URLs are sources; an exact version pins.
fn declared(key: &str, range: &str, location: crate::model::Location) -> Package {
    if let Some(alias) = range.strip_prefix("npm:") {
        let (name, range) = npm_shared::split_name_at(alias).unwrap_or((alias, ""));
        return declared(name, range, location);
    }
    for local in ["file:", "link:", "workspace:", "portal:"] {
        if let Some(path) = range.strip_prefix(local) {
            return Package::new(Ecosystem::Npm, key, None, location)
                .with_requirement(range)
                .with_source(PackageSource::Path { path: path.into() });
        }
    }
    if range.contains("://") || range.starts_with("git+") || range.starts_with("github:") {
        let (url, commit) = range
            .split_once('#')
            .map_or((range, None), |(u, c)| (u, Some(c)));
        let commit = commit.filter(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()));
        return Package::new(Ecosystem::Npm, key, None, location)
            .with_requirement(range)
            .with_source(PackageSource::Git {
                url: url.into(),
                commit: commit.map(Into::into),
            });
    }
    let exact = range
        .strip_prefix('=')
        .unwrap_or(range)
        .trim_start_matches('v');
    let is_exact = !exact.is_empty()
        && exact.split(['-', '+']).next().is_some_and(|core| {
            let parts: Vec<&str> = core.split('.').collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        });
    Package::new(Ecosystem::Npm, key, is_exact.then_some(exact), location).with_requirement(range)
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

    /// Upstream reads `package.json` as the metadata of one installed package: its view is the
    /// package itself, without the declared dependencies this extractor also reports.
    fn extract_as_upstream(input: &Input<'_>) -> Result<Extracted, ParseError> {
        let mut out = extract(input)?;
        out.packages.retain(|p| p.direct.is_none());
        Ok(out)
    }

    #[test]
    fn matches_upstream_fixtures() {
        let upstream_view = Extractor {
            extract: extract_as_upstream,
            ..EXTRACTOR
        };
        testing::check_fixture_dir(
            "npm/package-json",
            &upstream_view,
            &[(
                "duplicate-keys.json",
                "upstream lists `dependencies` entries only with an option the other cases run \
                 without",
            )],
        );
    }

    #[test]
    fn declared_dependencies_are_direct_and_unpinned_unless_exact() {
        let text = r#"{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {"left-pad": "^1.3.0", "exact": "2.0.1", "alias": "npm:real@~1.2.0",
                   "local": "file:../local", "forked": "git+https://git.example/f.git#0123456789abcdef0123456789abcdef01234567"},
  "devDependencies": {"mocha": "9.2.0"},
  "optionalDependencies": {"fsevents": "*"},
  "peerDependencies": {"react": ">=17"}
}"#;
        let out = run(text).expect("parses");
        let get = |n: &str| {
            out.packages
                .iter()
                .find(|p| p.name == n)
                .unwrap_or_else(|| panic!("{n}"))
        };
        assert_eq!(get("left-pad").version, None);
        assert_eq!(get("left-pad").requirement.as_deref(), Some("^1.3.0"));
        assert_eq!(get("left-pad").direct, Some(true));
        assert_eq!(get("left-pad").location.line, Some(4));
        assert_eq!(get("exact").version.as_deref(), Some("2.0.1"));
        assert_eq!(get("real").requirement.as_deref(), Some("~1.2.0"));
        assert_eq!(
            get("local").source,
            Some(PackageSource::Path {
                path: "../local".into()
            })
        );
        assert!(matches!(
            &get("forked").source,
            Some(PackageSource::Git {
                commit: Some(_),
                ..
            })
        ));
        assert_eq!(get("mocha").scope, Scope::Dev);
        assert_eq!(get("mocha").version.as_deref(), Some("9.2.0"));
        assert_eq!(get("fsevents").scope, Scope::Optional);
        assert_eq!(get("react").groups, ["peer"]);
        assert_eq!(out.packages.len(), 9);
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
        assert_eq!(out.packages.len(), 2);
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

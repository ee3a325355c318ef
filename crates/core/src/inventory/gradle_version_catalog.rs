//! `gradle/libs.versions.toml`: a Gradle version catalog, the declared libraries of a build
//! (`[libraries]`, with versions inline or by reference into `[versions]`).
//!
//! Every library is reported as a direct, declared dependency. A plain version is reported as
//! the version; a rich version uses `strictly`, then `require`, then `prefer`; a dynamic or
//! range version goes to the requirement. `[bundles]` and `[plugins]` are not libraries.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::{Spanned, Value};

use super::lines::line_of_offset;
use super::ranges;
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "gradle/libs.versions.toml",
    slug: "gradle-version-catalog",
    ecosystem: Ecosystem::Maven,
    kind: Kind::Manifest,
    matches,
    extract,
};

/// `*.versions.toml` directly inside a `gradle` directory (`libs.versions.toml` by default).
fn matches(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".versions.toml"))
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "gradle")
}

#[derive(Deserialize)]
struct Catalog {
    #[serde(default)]
    versions: BTreeMap<String, Value>,
    #[serde(default)]
    libraries: BTreeMap<String, Spanned<Value>>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let catalog: Catalog =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let mut out = Extracted::default();
    let mut found: Vec<(usize, Package)> = Vec::new();
    for (alias, decl) in &catalog.libraries {
        let start = decl.span().start;
        let line = line_of_offset(input.text, start);
        let warn = |msg: String| {
            Diagnostic::warning(Code::ParseError, msg).in_file(input.display, Some(line))
        };
        let Some((name, version)) = library(decl.get_ref(), &catalog.versions) else {
            out.diagnostics.push(warn(format!(
                "skipped library `{alias}`: no `module`, `group` and `name`, or `group:name:version`"
            )));
            continue;
        };
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        let mut pkg = match version {
            VersionDecl::Plain(raw) => {
                let (version, requirement) = ranges::maven(&raw);
                let mut pkg = Package::new(Ecosystem::Maven, &name, version.as_deref(), location);
                if let Some(req) = requirement {
                    pkg = pkg.with_requirement(req);
                }
                pkg
            }
            VersionDecl::MissingRef(r) => {
                out.diagnostics.push(warn(format!(
                    "library `{alias}` refers to version `{r}`, which `[versions]` does not define"
                )));
                Package::new(Ecosystem::Maven, &name, None, location)
            }
            VersionDecl::None => Package::new(Ecosystem::Maven, &name, None, location),
        };
        pkg.direct = Some(true);
        found.push((start, pkg));
    }
    // The table is read sorted by alias; report in file order.
    found.sort_by_key(|(start, _)| *start);
    out.packages = found.into_iter().map(|(_, p)| p).collect();
    Ok(out)
}

enum VersionDecl {
    Plain(String),
    MissingRef(String),
    None,
}

/// The `group:artifact` name and version of one `[libraries]` entry.
fn library(decl: &Value, versions: &BTreeMap<String, Value>) -> Option<(String, VersionDecl)> {
    match decl {
        Value::String(s) => {
            let mut parts = s.split(':');
            let (group, artifact) = (parts.next()?, parts.next()?);
            let version = parts.next();
            if group.is_empty() || artifact.is_empty() || parts.next().is_some() {
                return None;
            }
            let version = version
                .filter(|v| !v.is_empty())
                .map_or(VersionDecl::None, |v| VersionDecl::Plain(v.to_owned()));
            Some((format!("{group}:{artifact}"), version))
        }
        Value::Table(t) => {
            let name = match (t.get("module"), t.get("group"), t.get("name")) {
                (Some(Value::String(module)), _, _) => {
                    let (g, a) = module.split_once(':')?;
                    (!g.is_empty() && !a.is_empty() && !a.contains(':')).then(|| module.clone())?
                }
                (None, Some(Value::String(g)), Some(Value::String(a)))
                    if !g.is_empty() && !a.is_empty() =>
                {
                    format!("{g}:{a}")
                }
                _ => return None,
            };
            let version = match t.get("version") {
                None => VersionDecl::None,
                Some(v) => version_of(v, versions),
            };
            Some((name, version))
        }
        _ => None,
    }
}

/// A version as written: a string, a `{ ref = ... }` into `[versions]`, or a rich version.
fn version_of(v: &Value, versions: &BTreeMap<String, Value>) -> VersionDecl {
    match v {
        Value::String(s) => VersionDecl::Plain(s.clone()),
        Value::Table(t) => {
            if let Some(Value::String(r)) = t.get("ref") {
                return match versions.get(r) {
                    // A `[versions]` entry is itself a string or a rich version, never a ref.
                    Some(v @ (Value::String(_) | Value::Table(_))) if !is_ref(v) => {
                        version_of(v, versions)
                    }
                    _ => VersionDecl::MissingRef(r.clone()),
                };
            }
            ["strictly", "require", "prefer"]
                .iter()
                .find_map(|k| match t.get(*k) {
                    Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                    _ => None,
                })
                .map_or(VersionDecl::None, VersionDecl::Plain)
        }
        _ => VersionDecl::None,
    }
}

fn is_ref(v: &Value) -> bool {
    matches!(v, Value::Table(t) if t.contains_key("ref"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "gradle/libs.versions.toml",
            path: Path::new("gradle/libs.versions.toml"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Maven/gradle-version-catalog", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures()
                .join("lockfiles/Maven/gradle-version-catalog/libs.versions.toml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn matches_catalogs_in_gradle_directory() {
        assert!(matches(Path::new("gradle/libs.versions.toml")));
        assert!(matches(Path::new("x/gradle/deps.versions.toml")));
        assert!(!matches(Path::new("libs.versions.toml")));
    }

    #[test]
    fn file_order_lines_and_ranges() {
        let text = "[versions]\nk = \"1.9\"\n\n[libraries]\nz = \"g:z:1.0\"\n\
                    a = { module = \"g:a\", version.ref = \"k\" }\n\
                    r = { group = \"g\", name = \"r\", version = \"[1.0,2.0)\" }\n\
                    d = \"g:d:1.+\"\nm = { module = \"g:m\", version.ref = \"nope\" }\nbad = 3\n";
        let out = run(text).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.requirement.as_deref(),
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("g:z", Some("1.0"), None, Some(5)),
                ("g:a", Some("1.9"), None, Some(6)),
                ("g:r", Some("1.0"), Some("[1.0,2.0)"), Some(7)),
                ("g:d", None, Some("1.+"), Some(8)),
                ("g:m", None, None, Some(9)),
            ]
        );
        assert!(out.packages.iter().all(|p| p.direct == Some(true)));
        let warned: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(warned, [Some(10), Some(9)]);
    }

    #[test]
    fn syntax_error_names_the_line() {
        let err = run("[versions]\na = \"1\"\n[libraries\n").expect_err("broken table header");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

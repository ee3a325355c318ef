//! `pyproject.toml` as a manifest: the requirements a Python project declares.
//!
//! Read: PEP 621 `project.dependencies` (runtime) and `project.optional-dependencies` (extras:
//! optional, or development for names such as `dev` and `test`), PEP 735 `dependency-groups`
//! (development), Poetry's `tool.poetry.dependencies` (runtime, or optional with `optional =
//! true`), `tool.poetry.dev-dependencies` and `tool.poetry.group.<name>.dependencies`
//! (development), and the development lists of PDM and uv. Every entry is a direct dependency;
//! it has a version only when pinned exactly (`==1.0`, or a bare Poetry version), and its
//! specifier goes to `requirement`. Extra, group and Poetry group names go to `groups`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::{Spanned, Value};

use super::python::{git_source, parse_requirement, pinned_version, scope_of_group};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "pyproject.toml",
    slug: "pyproject-toml",
    ecosystem: Ecosystem::PyPI,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "pyproject.toml"),
    extract,
};

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Pyproject {
    project: Option<Project>,
    #[serde(default)]
    dependency_groups: BTreeMap<String, Vec<Spanned<Value>>>,
    tool: Option<Tool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Project {
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<Poetry>,
    pdm: Option<DevLists>,
    uv: Option<UvTool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Poetry {
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    group: BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct DevLists {
    #[serde(default)]
    dev_dependencies: BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct UvTool {
    #[serde(default)]
    dev_dependencies: Vec<Spanned<String>>,
}

struct Collector<'a> {
    input: &'a Input<'a>,
    out: Extracted,
}

impl Collector<'_> {
    fn location(&self, span_start: usize) -> Location {
        Location {
            file: self.input.display.into(),
            line: Some(super::lines::line_of_offset(self.input.text, span_start)),
        }
    }

    /// Adds a PEP 508 requirement string.
    fn requirement(&mut self, text: &Spanned<String>, scope: Scope, group: Option<&str>) {
        let location = self.location(text.span().start);
        let req = match parse_requirement(text.get_ref()) {
            Ok(r) => r,
            Err(msg) => {
                self.out.diagnostics.push(
                    Diagnostic::warning(Code::ParseError, format!("skipped requirement: {msg}"))
                        .in_file(self.input.display, location.line),
                );
                return;
            }
        };
        let mut pkg = Package::new(
            Ecosystem::PyPI,
            req.name,
            pinned_version(req.specifier),
            location,
        )
        .with_requirement(req.specifier)
        .with_scope(scope)
        .with_direct(true);
        if let Some(url) = req.url {
            pkg.source = Some(if url.starts_with("git+") {
                git_source(url)
            } else if url.contains("://") {
                PackageSource::Url {
                    url: url.to_owned().into(),
                }
            } else {
                PackageSource::Path {
                    path: url.to_owned().into(),
                }
            });
        }
        if let Some(g) = group {
            pkg.add_group(g);
        }
        self.out.packages.push(pkg);
    }

    /// Adds a Poetry dependency: a constraint string, a table, or a list of tables.
    fn poetry(&mut self, name: &str, value: &Spanned<Value>, scope: Scope, group: Option<&str>) {
        if name.eq_ignore_ascii_case("python") {
            return;
        }
        let location = self.location(value.span().start);
        let table = match value.get_ref() {
            Value::Table(t) => Some(t),
            _ => None,
        };
        let constraint = match value.get_ref() {
            Value::String(s) => Some(s.as_str()),
            Value::Table(t) => t.get("version").and_then(Value::as_str),
            _ => None,
        };
        let optional = table
            .and_then(|t| t.get("optional"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let scope = if optional && scope == Scope::Runtime {
            Scope::Optional
        } else {
            scope
        };
        let mut pkg = Package::new(
            Ecosystem::PyPI,
            name,
            constraint.and_then(poetry_pin),
            location,
        )
        .with_scope(scope)
        .with_direct(true);
        if let Some(c) = constraint {
            pkg = pkg.with_requirement(c);
        }
        if let Some(t) = table {
            let text = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
            pkg.source = if let Some(url) = text("git") {
                let commit = text("rev").filter(|r| super::python::looks_like_commit(r));
                Some(PackageSource::Git {
                    url: url.into(),
                    commit: commit.map(Into::into),
                })
            } else if let Some(path) = text("path") {
                Some(PackageSource::Path { path: path.into() })
            } else {
                text("url").map(|url| PackageSource::Url { url: url.into() })
            };
        }
        if let Some(g) = group {
            pkg.add_group(g);
        }
        self.out.packages.push(pkg);
    }
}

/// A Poetry constraint pins a version when it is `==V` or a bare version `V`.
fn poetry_pin(constraint: &str) -> Option<&str> {
    let c = constraint.trim();
    if let Some(v) = pinned_version(c) {
        return Some(v);
    }
    let bare = c.starts_with(|ch: char| ch.is_ascii_digit())
        && !c.contains(['*', ',', '|', '<', '>', '^', '~', '=', '!', ' ']);
    bare.then_some(c)
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let doc: Pyproject =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let mut c = Collector {
        input,
        out: Extracted::default(),
    };
    if let Some(project) = &doc.project {
        for d in &project.dependencies {
            c.requirement(d, Scope::Runtime, None);
        }
        for (extra, list) in &project.optional_dependencies {
            let scope = scope_of_group(extra);
            for d in list {
                c.requirement(d, scope, Some(extra));
            }
        }
    }
    for (group, list) in &doc.dependency_groups {
        for entry in list {
            // `{ include-group = "..." }` entries repeat another group's requirements.
            if let Value::String(s) = entry.get_ref() {
                let spanned = Spanned::new(entry.span(), s.clone());
                c.requirement(&spanned, Scope::Dev, Some(group));
            }
        }
    }
    if let Some(tool) = &doc.tool {
        if let Some(poetry) = &tool.poetry {
            for (name, value) in &poetry.dependencies {
                c.poetry(name, value, Scope::Runtime, None);
            }
            for (name, value) in &poetry.dev_dependencies {
                c.poetry(name, value, Scope::Dev, Some("dev"));
            }
            for (group, g) in &poetry.group {
                let scope = if group == "main" {
                    Scope::Runtime
                } else {
                    Scope::Dev
                };
                let group = (group != "main").then_some(group.as_str());
                for (name, value) in &g.dependencies {
                    c.poetry(name, value, scope, group);
                }
            }
        }
        if let Some(pdm) = &tool.pdm {
            for (group, list) in &pdm.dev_dependencies {
                for d in list {
                    c.requirement(d, Scope::Dev, Some(group));
                }
            }
        }
        if let Some(uv) = &tool.uv {
            for d in &uv.dev_dependencies {
                c.requirement(d, Scope::Dev, Some("dev"));
            }
        }
    }
    c.out.packages.sort_by_key(|p| p.location.line);
    Ok(c.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "pyproject.toml",
            path: Path::new("pyproject.toml"),
            text,
        })
    }

    fn versions(out: &Extracted) -> Vec<(&str, Option<&str>, Option<&str>)> {
        out.packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.requirement.as_deref(),
                )
            })
            .collect()
    }

    #[test]
    fn matches_upstream_fixtures() {
        let why = "upstream reports the bound of a lone `>=` as the version; a manifest range \
                   is no version, so we keep it in `requirement` (see `ranges_are_requirements`)";
        testing::check_fixture_dir(
            "PyPI/pyproject-toml",
            &EXTRACTOR,
            &[
                ("simple_deps.toml", why),
                ("env_markers.toml", why),
                ("extras_syntax.toml", why),
            ],
        );
    }

    #[test]
    fn ranges_are_requirements() {
        let dir = testing::repo_fixtures().join("lockfiles/PyPI/pyproject-toml");
        let out = testing::run_file(&EXTRACTOR, &dir.join("simple_deps.toml")).expect("parses");
        assert_eq!(
            versions(&out),
            [
                ("requests", Some("2.32.0"), Some("==2.32.0")),
                ("flask", None, Some(">=3.0.0")),
                ("numpy", None, None),
            ]
        );
        assert_eq!(out.packages[0].location.line, Some(9));
        assert!(out.packages.iter().all(|p| p.direct == Some(true)));
        let out = testing::run_file(&EXTRACTOR, &dir.join("env_markers.toml")).expect("parses");
        assert_eq!(
            versions(&out),
            [
                ("requests", None, Some(">=2.20.0")),
                ("importlib-metadata", Some("6.0.0"), Some("==6.0.0")),
            ]
        );
        let out = testing::run_file(&EXTRACTOR, &dir.join("extras_syntax.toml")).expect("parses");
        assert_eq!(
            versions(&out),
            [
                ("flask", Some("3.1.1"), Some("==3.1.1")),
                ("requests", None, Some(">=2.20.0")),
            ]
        );
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/PyPI/pyproject-toml/env_markers.toml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn groups_extras_and_poetry() {
        let text = r#"[project]
name = "app"
dependencies = ["lib @ git+https://git.example/o/lib.git@0123456789abcdef"]

[project.optional-dependencies]
cache = ["redis==5.0.0"]
test = ["pytest>=8"]

[dependency-groups]
lint = ["ruff==0.5.0", { include-group = "test" }]

[tool.poetry.dependencies]
python = "^3.10"
requests = "2.31.0"
httpx = { version = "^0.27", optional = true }
local = { path = "../local" }

[tool.poetry.group.docs.dependencies]
sphinx = "~7.0"
"#;
        let out = run(text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(
            get("lib").source,
            Some(PackageSource::Git {
                url: "https://git.example/o/lib.git".into(),
                commit: Some("0123456789abcdef".into())
            })
        );
        assert_eq!(
            (get("redis").scope, get("redis").groups.as_slice()),
            (Scope::Optional, &["cache".to_owned()][..])
        );
        assert_eq!(get("pytest").scope, Scope::Dev);
        assert_eq!(get("ruff").scope, Scope::Dev);
        assert_eq!(get("ruff").groups, ["lint"]);
        assert_eq!(get("ruff").location.line, Some(10));
        assert!(out.packages.iter().all(|p| p.name != "python"));
        assert_eq!(get("requests").version.as_deref(), Some("2.31.0"));
        assert_eq!(get("requests").location.line, Some(14));
        assert_eq!(get("httpx").scope, Scope::Optional);
        assert_eq!(get("httpx").version, None);
        assert_eq!(get("httpx").requirement.as_deref(), Some("^0.27"));
        assert_eq!(
            get("local").source,
            Some(PackageSource::Path {
                path: "../local".into()
            })
        );
        assert_eq!(
            (get("sphinx").scope, get("sphinx").groups.as_slice()),
            (Scope::Dev, &["docs".to_owned()][..])
        );
    }

    #[test]
    fn bad_entries_are_skipped_or_located() {
        let out =
            run("[project]\ndependencies = [\n  \"ok==1\",\n  \"==2\",\n]\n").expect("parses");
        assert_eq!(out.packages.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(4));
        let err = run("[project]\ndependencies = [\n  3,\n]\n").expect_err("not a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

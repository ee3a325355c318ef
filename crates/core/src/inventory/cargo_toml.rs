//! `Cargo.toml`: the crates a Rust package or workspace declares.
//!
//! The package itself (`[package]` name and version) is reported first, with a path source.
//! Then every dependency of `[dependencies]`, `[dev-dependencies]` (group `dev`),
//! `[build-dependencies]` (group `build`), their `[target.'cfg(..)'.*]` variants and
//! `[workspace.dependencies]`, all direct; dev and build dependencies are dev packages, optional
//! ones optional packages. A `package = "..."` key renames the dependency to the crate it
//! really is. The declared requirement is kept as written; following upstream's convention, a
//! requirement that is a bare version (`"1.2.3"`, `"0.3"`, `"=1.2.3"`) is also the version.
//! `workspace = true` takes the entry from the `[workspace.dependencies]` of this file or of the
//! nearest ancestor `Cargo.toml` that has one. A git dependency records its repository, and its
//! `rev` as the commit when that is a full commit id. A dependency with neither a requirement
//! nor a pinned commit (a path dependency, a git branch or tag) has nothing to match against and
//! is not reported, as upstream does.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::{Spanned, Value};

use super::lines::line_of_offset;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Cargo.toml",
    slug: "cargo-toml",
    ecosystem: Ecosystem::Cargo,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "Cargo.toml"),
    extract,
};

/// How many directories up a `workspace = true` dependency is looked for.
const MAX_WORKSPACE_DEPTH: usize = 8;
/// The largest ancestor `Cargo.toml` read for workspace dependencies.
const MAX_WORKSPACE_BYTES: u64 = 1024 * 1024;

type Deps = BTreeMap<Spanned<String>, Spanned<Value>>;

#[derive(Deserialize)]
struct Manifest {
    package: Option<PackageTable>,
    // Not `#[serde(flatten)]` with `DepTables`: flattening loses the spans of keys.
    #[serde(default)]
    dependencies: Deps,
    #[serde(default, rename = "dev-dependencies", alias = "dev_dependencies")]
    dev_dependencies: Deps,
    #[serde(default, rename = "build-dependencies", alias = "build_dependencies")]
    build_dependencies: Deps,
    #[serde(default)]
    target: BTreeMap<String, DepTables>,
    workspace: Option<Workspace>,
}

#[derive(Deserialize)]
struct PackageTable {
    name: Spanned<String>,
    version: Option<Value>,
}

#[derive(Deserialize, Default)]
struct DepTables {
    #[serde(default)]
    dependencies: Deps,
    #[serde(default, rename = "dev-dependencies", alias = "dev_dependencies")]
    dev_dependencies: Deps,
    #[serde(default, rename = "build-dependencies", alias = "build_dependencies")]
    build_dependencies: Deps,
}

#[derive(Deserialize)]
struct Workspace {
    #[serde(default)]
    dependencies: Deps,
    package: Option<WorkspacePackage>,
}

#[derive(Deserialize)]
struct WorkspacePackage {
    version: Option<String>,
}

/// Only the workspace part of an ancestor manifest.
#[derive(Deserialize)]
struct AncestorManifest {
    workspace: Option<AncestorWorkspace>,
}

#[derive(Deserialize)]
struct AncestorWorkspace {
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
}

/// What one dependency entry says.
#[derive(Default)]
struct Spec {
    version: Option<String>,
    git: Option<String>,
    rev: Option<String>,
    path: Option<String>,
    package: Option<String>,
    optional: bool,
    workspace: bool,
}

fn spec_of(name: &str, value: &Value) -> Result<Spec, String> {
    let table = match value {
        Value::String(v) => {
            return Ok(Spec {
                version: Some(v.clone()),
                ..Spec::default()
            })
        }
        Value::Table(t) => t,
        _ => return Err(format!("dependency `{name}` must be a string or a table")),
    };
    let string = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` of dependency `{name}` must be a string")),
        }
    };
    let flag = |key: &str| -> Result<bool, String> {
        match table.get(key) {
            None => Ok(false),
            Some(Value::Boolean(b)) => Ok(*b),
            Some(_) => Err(format!("`{key}` of dependency `{name}` must be a boolean")),
        }
    };
    Ok(Spec {
        version: string("version")?,
        git: string("git")?,
        rev: string("rev")?,
        path: string("path")?,
        package: string("package")?,
        optional: flag("optional")?,
        workspace: flag("workspace")?,
    })
}

/// Fills a `workspace = true` entry from the workspace's own entry for the same key.
fn inherit(spec: &mut Spec, from: &Spec) {
    spec.version.clone_from(&from.version);
    spec.git.clone_from(&from.git);
    spec.rev.clone_from(&from.rev);
    spec.path.clone_from(&from.path);
    if spec.package.is_none() {
        spec.package.clone_from(&from.package);
    }
}

/// The version a requirement names when it is a bare version (`1.2.3`, `0.3`, `=1.2.3`).
fn bare_version(requirement: &str) -> Option<&str> {
    let v = requirement.trim();
    let v = v.strip_prefix('=').map_or(v, str::trim);
    let core = v.split(['-', '+']).next().unwrap_or(v);
    let parts: Vec<&str> = core.split('.').collect();
    let bare = (1..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    bare.then_some(v)
}

fn is_full_commit(rev: &str) -> bool {
    rev.len() == 40 && rev.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

/// The `[workspace.dependencies]` of the nearest ancestor manifest that has a workspace.
fn ancestor_workspace(path: &Path) -> Option<BTreeMap<String, Value>> {
    let mut dir = path.parent()?.parent();
    for _ in 0..MAX_WORKSPACE_DEPTH {
        let d = dir?;
        let candidate = d.join("Cargo.toml");
        let small = std::fs::metadata(&candidate).is_ok_and(|m| m.len() <= MAX_WORKSPACE_BYTES);
        if small {
            if let Ok(text) = std::fs::read_to_string(&candidate) {
                if let Ok(AncestorManifest {
                    workspace: Some(ws),
                }) = toml::from_str(&text)
                {
                    return Some(ws.dependencies);
                }
            }
        }
        dir = d.parent();
    }
    None
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let manifest: Manifest =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let line = |offset: usize| Some(line_of_offset(input.text, offset));
    let location = |offset: usize| Location {
        file: input.display.into(),
        line: line(offset),
    };
    let mut packages = Vec::new();

    if let Some(pkg) = &manifest.package {
        let version = match &pkg.version {
            Some(Value::String(v)) => Some(v.clone()),
            _ => manifest
                .workspace
                .as_ref()
                .and_then(|w| w.package.as_ref())
                .and_then(|p| p.version.clone()),
        };
        packages.push(
            Package::new(
                Ecosystem::Cargo,
                pkg.name.get_ref(),
                version.as_deref(),
                location(pkg.name.span().start),
            )
            .with_source(PackageSource::Path { path: ".".into() }),
        );
    }

    let own_workspace: Option<&Deps> = manifest.workspace.as_ref().map(|w| &w.dependencies);
    let mut ancestor: Option<Option<BTreeMap<String, Value>>> = None;
    // (table, group, whether it is the workspace's own table)
    let mut tables: Vec<(&Deps, Option<&str>, bool)> = vec![
        (&manifest.dependencies, None, false),
        (&manifest.dev_dependencies, Some("dev"), false),
        (&manifest.build_dependencies, Some("build"), false),
    ];
    for t in manifest.target.values() {
        tables.push((&t.dependencies, None, false));
        tables.push((&t.dev_dependencies, Some("dev"), false));
        tables.push((&t.build_dependencies, Some("build"), false));
    }
    if let Some(ws) = own_workspace {
        tables.push((ws, None, true));
    }

    // Workspace entries this file's own package inherits are reported once, where used.
    let mut inherited_here: HashSet<&str> = HashSet::new();
    let mut found = Vec::new();
    for (table, group, is_workspace) in tables {
        for (key, value) in table {
            if is_workspace && inherited_here.contains(key.get_ref().as_str()) {
                continue;
            }
            let at = key.span().start;
            let mut spec = spec_of(key.get_ref(), value.get_ref())
                .map_err(|m| ParseError::new(m, line(value.span().start)))?;
            if spec.workspace {
                let from_own = own_workspace
                    .and_then(|ws| ws.iter().find(|(k, _)| k.get_ref() == key.get_ref()))
                    .map(|(_, v)| v.get_ref().clone());
                if from_own.is_some() {
                    inherited_here.insert(key.get_ref().as_str());
                }
                let from = from_own.or_else(|| {
                    ancestor
                        .get_or_insert_with(|| ancestor_workspace(input.path))
                        .as_ref()
                        .and_then(|ws| ws.get(key.get_ref()).cloned())
                });
                if let Some(Ok(ws_spec)) = from.map(|v| spec_of(key.get_ref(), &v)) {
                    inherit(&mut spec, &ws_spec);
                }
            }
            let commit = spec
                .rev
                .clone()
                .filter(|r| spec.git.is_some() && is_full_commit(r));
            if spec.version.is_none() && commit.is_none() {
                continue;
            }
            let name = spec
                .package
                .clone()
                .unwrap_or_else(|| key.get_ref().clone());
            let requirement = spec.version.clone().unwrap_or_default();
            let mut pkg = Package::new(
                Ecosystem::Cargo,
                &name,
                bare_version(&requirement),
                location(at),
            )
            .with_requirement(requirement.clone())
            .with_direct(true);
            if let Some(group) = group {
                pkg = pkg.with_scope(Scope::Dev).with_group(group);
            } else if spec.optional {
                pkg = pkg.with_scope(Scope::Optional).with_group("optional");
            }
            if let Some(url) = &spec.git {
                pkg.source = Some(PackageSource::Git {
                    url: url.clone().into(),
                    commit: commit.map(Into::into),
                });
            } else if let Some(path) = &spec.path {
                pkg.source = Some(PackageSource::Path {
                    path: path.clone().into(),
                });
            }
            found.push((at, pkg));
        }
    }
    // Tables are visited by kind; report in file order.
    found.sort_by_key(|(at, _)| *at);
    packages.extend(found.into_iter().map(|(_, p)| p));
    Ok(packages.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "Cargo.toml",
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ParseError> {
        run_at(Path::new("/nonexistent/dir/Cargo.toml"), text)
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("crates.io/cargo-toml", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/crates.io/cargo-toml/two-dependencies.toml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn tables_scopes_renames_and_lines() {
        let text = r#"[package]
name = "app"
version = "0.1.0"

[dependencies]
serde = { version = "1.0.100", features = ["derive"] }
log = "^0.4"
fast = { package = "real-fast", version = "2", optional = true }
pinned = { git = "https://git.example/pinned", rev = "4c115873c86ad5bd0ac6d962db70ca53bf8fb874" }
branch = { git = "https://git.example/branch", branch = "main" }
local = { path = "../local" }

[dev-dependencies]
tempfile = "3"

[target.'cfg(unix)'.build-dependencies]
cc = "1.0"

[dependencies.tabled]
version = "0.3"
"#;
        let out = run(text).expect("parses");
        let names: Vec<&str> = out.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "app",
                "serde",
                "log",
                "real-fast",
                "pinned",
                "tempfile",
                "cc",
                "tabled"
            ]
        );
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(get("app").direct, None);
        let serde = get("serde");
        assert_eq!(
            (serde.version.as_deref(), serde.location.line),
            (Some("1.0.100"), Some(6))
        );
        assert_eq!(serde.direct, Some(true));
        let log = get("log");
        assert_eq!(
            (log.version.as_deref(), log.requirement.as_deref()),
            (None, Some("^0.4"))
        );
        assert_eq!(get("real-fast").scope, Scope::Optional);
        assert_eq!(
            get("pinned").source,
            Some(PackageSource::Git {
                url: "https://git.example/pinned".into(),
                commit: Some("4c115873c86ad5bd0ac6d962db70ca53bf8fb874".into()),
            })
        );
        assert_eq!(get("pinned").version, None);
        assert_eq!(
            (get("tempfile").scope, get("tempfile").groups.as_slice()),
            (Scope::Dev, ["dev".to_owned()].as_slice())
        );
        assert_eq!(get("cc").groups, ["build"]);
        assert_eq!(get("tabled").location.line, Some(19));
    }

    #[test]
    fn workspace_dependencies_are_inherited() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nmembers = [\"member\"]\n[workspace.dependencies]\nanyhow = \"1.0.75\"\n",
        )
        .expect("write");
        let member = dir.path().join("member").join("Cargo.toml");
        let text = "[package]\nname = \"member\"\nversion.workspace = true\n[dependencies]\nanyhow = { workspace = true }\nother = { workspace = true }\n";
        let out = run_at(&member, text).expect("parses");
        let names: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect();
        assert_eq!(names, [("member", None), ("anyhow", Some("1.0.75"))]);

        let root = "[workspace.package]\nversion = \"2.0.0\"\n[workspace.dependencies]\nrand = \"0.8.5\"\n[package]\nname = \"root\"\nversion.workspace = true\n[dependencies]\nrand.workspace = true\n";
        let out = run(root).expect("parses");
        let names: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect();
        assert_eq!(names, [("root", Some("2.0.0")), ("rand", Some("0.8.5"))]);
        assert_eq!(out.packages[1].location.line, Some(9));
    }

    #[test]
    fn wrong_types_name_the_line() {
        let err = run("[package]\nname = \"a\"\nversion = \"0.1.0\"\n[dependencies]\nregex = { git = { x = 1 } }\n")
            .expect_err("git must be a string");
        assert_eq!(err.line, Some(5), "{err}");
    }
}

//! `package-lock.json` and `npm-shrinkwrap.json` (lockfile versions 1 to 3): every installed
//! package with its version, integrity hash, git commit, dev/optional/bundled flags and the
//! dependency graph.
//!
//! Versions 2 and 3 list packages in `packages`, keyed by their install path
//! (`node_modules/a/node_modules/b`); version 1 nests `dependencies` trees, which are read into the
//! same paths. A package's dependencies are found the way Node resolves them: in the nearest
//! `node_modules` folder up its path. The root's (and workspaces') dependencies are the direct
//! ones; a version 1 file does not record them, so they come from the `package.json` beside it
//! when there is one. A package installed at several paths is reported once per version.
//! When a `package-lock.json` has an `npm-shrinkwrap.json` beside it, npm uses the shrinkwrap,
//! so the lockfile reports nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::lines::LineFinder;
use super::npm_shared::{self, OrderedMap};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::{Ecosystem, Hash, Package, PackageSource, Scope};

/// The registration of `package-lock.json`.
pub const EXTRACTOR: Extractor = Extractor {
    format: "package-lock.json",
    slug: "package-lock-json",
    ecosystem: Ecosystem::Npm,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "package-lock.json"),
    extract,
};

/// The registration of `npm-shrinkwrap.json`, the same format published with a package.
pub const SHRINKWRAP_EXTRACTOR: Extractor = Extractor {
    format: "npm-shrinkwrap.json",
    slug: "npm-shrinkwrap-json",
    ecosystem: Ecosystem::Npm,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "npm-shrinkwrap.json"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    packages: Option<OrderedMap<V2Package>>,
    dependencies: Option<OrderedMap<V1Dependency>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct V2Package {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    dev: bool,
    optional: bool,
    dev_optional: bool,
    in_bundle: bool,
    link: bool,
    dependencies: OrderedMap<serde_json::Value>,
    optional_dependencies: OrderedMap<serde_json::Value>,
    peer_dependencies: OrderedMap<serde_json::Value>,
    dev_dependencies: OrderedMap<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Dependency {
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    dev: bool,
    optional: bool,
    bundled: bool,
    requires: OrderedMap<serde_json::Value>,
    dependencies: OrderedMap<V1Dependency>,
}

/// One entry at an install path, whatever the lockfile version.
struct Entry {
    path: String,
    line: Option<u32>,
    name: String,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    scope: Scope,
    groups: Vec<&'static str>,
    /// Names it depends on (resolved from its path).
    deps: Vec<String>,
    /// Root, workspace or link: not a package of its own.
    first_party: bool,
    /// For a link, the path it points to.
    link_target: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    if file_name_is(input.path, "package-lock.json") && has_shrinkwrap_beside(input.path) {
        let mut out = Extracted::default();
        out.diagnostics.push(
            Diagnostic::new(
                Severity::Note,
                Code::Unsupported,
                "`npm-shrinkwrap.json` beside this file takes precedence; its packages are reported instead",
            )
            .in_file(input.display, None),
        );
        return Ok(out);
    }
    let mut finder = LineFinder::new(input.text);
    let (entries, v1) = match (&lock.packages, &lock.dependencies) {
        (Some(packages), _) => (v2_entries(packages, &mut finder), false),
        (None, Some(deps)) => {
            let mut out = Vec::new();
            v1_entries(deps, "", &mut finder, &mut out);
            (out, true)
        }
        (None, None) => return Ok(Extracted::default()),
    };
    Ok(build(input, entries, v1).into())
}

fn has_shrinkwrap_beside(path: &Path) -> bool {
    path.parent()
        .is_some_and(|dir| dir.join("npm-shrinkwrap.json").is_file())
}

fn names(maps: &[&OrderedMap<serde_json::Value>]) -> Vec<String> {
    maps.iter()
        .flat_map(|m| m.iter().map(|(k, _)| k.to_owned()))
        .collect()
}

/// The package name at an install path: what follows the last `node_modules/` (or the last path
/// segment, with its scope).
fn name_from_path(path: &str) -> String {
    if let Some(i) = path.rfind("node_modules/") {
        return path[i + "node_modules/".len()..].to_owned();
    }
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or(path);
    match parts.next() {
        Some(scope) if scope.starts_with('@') => format!("{scope}/{last}"),
        _ => last.to_owned(),
    }
}

fn v2_entries(packages: &OrderedMap<V2Package>, finder: &mut LineFinder<'_>) -> Vec<Entry> {
    packages
        .iter()
        .map(|(path, p)| {
            let line = finder.next(&format!("\"{path}\":"));
            let mut groups = Vec::new();
            let scope = if p.dev {
                groups.push("dev");
                Scope::Dev
            } else if p.optional {
                groups.push("optional");
                Scope::Optional
            } else if p.dev_optional {
                groups.extend(["dev", "optional"]);
                Scope::Dev
            } else {
                Scope::Runtime
            };
            if p.in_bundle {
                groups.push("bundled");
            }
            let first_party = path.is_empty();
            let mut sections = vec![
                &p.dependencies,
                &p.optional_dependencies,
                &p.peer_dependencies,
            ];
            if first_party || !path.contains("node_modules/") {
                sections.push(&p.dev_dependencies);
            }
            Entry {
                path: path.to_owned(),
                line,
                name: p
                    .name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| name_from_path(path)),
                version: p.version.clone(),
                resolved: p.resolved.clone(),
                integrity: p.integrity.clone(),
                scope,
                groups,
                deps: names(&sections),
                first_party,
                link_target: p.link.then(|| p.resolved.clone().unwrap_or_default()),
            }
        })
        .collect()
}

fn v1_entries(
    deps: &OrderedMap<V1Dependency>,
    parent: &str,
    finder: &mut LineFinder<'_>,
    out: &mut Vec<Entry>,
) {
    for (key, d) in deps.iter() {
        let path = if parent.is_empty() {
            format!("node_modules/{key}")
        } else {
            format!("{parent}/node_modules/{key}")
        };
        let line = finder.next(&format!("\"{key}\": {{"));
        let mut groups = Vec::new();
        if d.dev {
            groups.push("dev");
        }
        if d.optional {
            groups.push("optional");
        }
        if d.bundled {
            groups.push("bundled");
        }
        let scope = if d.dev {
            Scope::Dev
        } else if d.optional {
            Scope::Optional
        } else {
            Scope::Runtime
        };
        // An alias is written `npm:real-name@version` (or without a version, when malformed).
        let raw = d.version.clone().unwrap_or_default();
        let (name, version) = match raw.strip_prefix("npm:") {
            Some(spec) => match npm_shared::split_name_at(spec) {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None if !spec.is_empty() => (spec.to_owned(), String::new()),
                None => (key.to_owned(), String::new()),
            },
            None => (key.to_owned(), raw.clone()),
        };
        out.push(Entry {
            path: path.clone(),
            line,
            name,
            version: Some(version),
            resolved: d.resolved.clone(),
            integrity: d.integrity.clone(),
            scope,
            groups,
            deps: d.requires.iter().map(|(k, _)| k.to_owned()).collect(),
            first_party: false,
            link_target: None,
        });
        v1_entries(&d.dependencies, &path, finder, out);
    }
}

/// Finds the entry a dependency `name` of the entry at `from` resolves to: the nearest
/// `node_modules/<name>` up the path, following links.
fn resolve(
    index: &HashMap<&str, usize>,
    entries: &[Entry],
    from: &str,
    name: &str,
) -> Option<usize> {
    let mut dir = from;
    loop {
        let candidate = if dir.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{dir}/node_modules/{name}")
        };
        if let Some(&i) = index.get(candidate.as_str()) {
            return follow_link(index, entries, i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

fn follow_link(index: &HashMap<&str, usize>, entries: &[Entry], mut i: usize) -> Option<usize> {
    // Links point at folders, never at other links; a few hops are plenty.
    for _ in 0..4 {
        match entries.get(i)?.link_target.as_deref() {
            Some(target) => i = *index.get(target)?,
            None => return Some(i),
        }
    }
    None
}

fn build(input: &Input<'_>, entries: Vec<Entry>, v1: bool) -> Vec<Package> {
    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.as_str(), i))
        .collect();
    let link_targets: HashSet<&str> = entries
        .iter()
        .filter_map(|e| e.link_target.as_deref())
        .collect();
    let is_project = |e: &Entry| e.first_party || link_targets.contains(e.path.as_str());

    // Direct dependencies: those of the root and of workspaces (version 1: the manifest beside it).
    let mut direct: HashSet<usize> = HashSet::new();
    let mut know_direct = !v1;
    for e in entries.iter().filter(|e| is_project(e)) {
        for d in &e.deps {
            if let Some(t) = resolve(&index, &entries, &e.path, d) {
                direct.insert(t);
            }
        }
    }
    if v1 {
        if let Some(roots) = npm_shared::neighbour_manifest_roots(input.path) {
            know_direct = true;
            for (name, _, _) in roots {
                if let Some(t) = resolve(&index, &entries, "", &name) {
                    direct.insert(t);
                }
            }
        }
    }
    let required: HashSet<usize> = entries
        .iter()
        .flat_map(|e| {
            e.deps
                .iter()
                .filter_map(|d| resolve(&index, &entries, &e.path, d))
        })
        .collect();

    // One package per entry that is installed code (not the root, a workspace or a link).
    let mut slot: Vec<Option<usize>> = vec![None; entries.len()];
    let mut packages = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.first_party || e.link_target.is_some() {
            continue;
        }
        let mut version = e.version.clone().filter(|v| !v.is_empty());
        let mut source = None;
        if let Some(v) = version.as_deref() {
            if let Some(path) = v.strip_prefix("file:") {
                source = Some(PackageSource::Path {
                    path: path.to_owned().into(),
                });
                version = None;
            }
        }
        // Version 1 writes a git dependency's URL as its version; version 2 as `resolved`.
        let git_ref = if v1 {
            e.version.as_deref()
        } else {
            e.resolved.as_deref()
        };
        if let Some(url) = git_ref.filter(|_| source.is_none()) {
            if let Some(commit) = npm_shared::commit_of(url) {
                source = Some(npm_shared::git_source(url, &commit));
                if v1 {
                    version = None;
                }
            }
        }
        if source.is_none() && !e.path.contains("node_modules/") {
            source = Some(PackageSource::Path {
                path: e.path.clone().into(),
            });
        }
        let mut p = Package::new(
            Ecosystem::Npm,
            &e.name,
            version.as_deref(),
            npm_shared::location(input, e.line),
        )
        .with_scope(e.scope);
        for g in &e.groups {
            p.add_group(g);
        }
        p.source = source;
        if let Some(sri) = &e.integrity {
            p.hashes
                .extend(sri.split_whitespace().filter_map(Hash::from_sri));
        }
        if is_project(e) {
            // A workspace member is first-party; its directness is not a question.
        } else if know_direct {
            p.direct = Some(direct.contains(&i));
        } else if !e.path.contains("/node_modules/") && !required.contains(&i) {
            // Version 1 without a manifest: a top-level package nothing else needs must be direct;
            // a nested one never is.
            p.direct = Some(true);
        } else if e.path.contains("/node_modules/") {
            p.direct = Some(false);
        }
        slot[i] = Some(packages.len());
        packages.push(p);
    }
    // Edges, as purls.
    let purls: Vec<Option<String>> = slot
        .iter()
        .map(|s| {
            s.and_then(|s| packages.get(s))
                .map(|p: &Package| p.purl.to_string())
        })
        .collect();
    for (i, e) in entries.iter().enumerate() {
        let Some(s) = slot[i] else { continue };
        let deps: Vec<String> = e
            .deps
            .iter()
            .filter_map(|d| resolve(&index, &entries, &e.path, d))
            .filter_map(|t| purls.get(t).cloned().flatten())
            .collect();
        if let Some(p) = packages.get_mut(s) {
            for d in deps {
                if !p.dependencies.contains(&d) {
                    p.dependencies.push(d);
                }
            }
        }
    }
    npm_shared::merge_duplicates(packages).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "package-lock.json",
                path: Path::new("/nonexistent/package-lock.json"),
                text,
            })
            .expect("parses")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("npm/package-lock-json", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        for f in ["commits.v2.json", "nested-dependencies-dup.v1.json"] {
            let sample = std::fs::read_to_string(
                testing::repo_fixtures()
                    .join("lockfiles/npm/package-lock-json")
                    .join(f),
            )
            .expect("fixture");
            testing::check_hostile(&EXTRACTOR, &sample);
        }
    }

    #[test]
    fn shrinkwrap_has_its_own_name() {
        assert!((SHRINKWRAP_EXTRACTOR.matches)(Path::new(
            "a/npm-shrinkwrap.json"
        )));
        assert!(!(SHRINKWRAP_EXTRACTOR.matches)(Path::new(
            "a/package-lock.json"
        )));
    }

    #[test]
    fn package_lock_beside_a_shrinkwrap_reports_nothing() {
        let dir = testing::repo_fixtures().join("lockfiles/npm/package-lock-json/both");
        let out = testing::run_file(&EXTRACTOR, &dir.join("package-lock.json")).expect("parses");
        assert!(out.packages.is_empty());
        assert_eq!(out.diagnostics.len(), 1);
        let out = testing::run_file(&SHRINKWRAP_EXTRACTOR, &dir.join("npm-shrinkwrap.json"))
            .expect("parses");
        assert_eq!(out.packages.len(), 2);
    }

    const V3: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "workspaces": ["packages/a"],
      "dependencies": { "b": "^1.0.0", "alias": "npm:c@^2.0.0" },
      "devDependencies": { "d": "^1.0.0" }
    },
    "node_modules/a": {
      "resolved": "packages/a",
      "link": true
    },
    "node_modules/alias": {
      "name": "c",
      "version": "2.0.0",
      "integrity": "sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU="
    },
    "node_modules/b": {
      "version": "1.0.0",
      "dependencies": { "c": "^1.0.0" }
    },
    "node_modules/b/node_modules/c": {
      "version": "1.0.0"
    },
    "node_modules/c": {
      "version": "3.0.0"
    },
    "node_modules/d": {
      "version": "1.0.0",
      "dev": true,
      "resolved": "git+ssh://git@git.example/o/d.git#0a2d2506c1fe299691fc5db53a2097db3bd615bc"
    },
    "packages/a": {
      "name": "a",
      "version": "0.1.0",
      "dependencies": { "c": "^3.0.0" }
    }
  }
}"#;

    #[test]
    fn v3_graph_direct_scope_and_lines() {
        let out = run(V3);
        let get = |n: &str, v: &str| {
            out.packages
                .iter()
                .find(|p| p.name == n && p.version.as_deref() == Some(v))
                .unwrap_or_else(|| panic!("{n}@{v} present"))
        };
        assert_eq!(out.packages.len(), 6, "{:?}", out.packages);
        assert_eq!(get("b", "1.0.0").direct, Some(true));
        assert_eq!(get("b", "1.0.0").dependencies, ["pkg:npm/c@1.0.0"]);
        assert_eq!(get("c", "1.0.0").direct, Some(false));
        assert_eq!(get("c", "1.0.0").introduced_by, ["pkg:npm/b@1.0.0"]);
        // The alias resolves to its real name; the workspace's dependency is direct too.
        assert_eq!(get("c", "2.0.0").direct, Some(true));
        assert_eq!(get("c", "2.0.0").hashes[0].alg, "sha1");
        assert_eq!(get("c", "3.0.0").direct, Some(true));
        assert_eq!(get("d", "1.0.0").scope, Scope::Dev);
        assert_eq!(get("d", "1.0.0").groups, ["dev"]);
        assert_eq!(
            get("d", "1.0.0").source,
            Some(PackageSource::Git {
                url: "ssh://git@git.example/o/d.git".into(),
                commit: Some("0a2d2506c1fe299691fc5db53a2097db3bd615bc".into())
            })
        );
        assert_eq!(get("b", "1.0.0").location.line, Some(20));
        assert_eq!(get("a", "0.1.0").direct, None);
        assert!(matches!(
            get("a", "0.1.0").source,
            Some(PackageSource::Path { .. })
        ));
    }

    #[test]
    fn v1_nested_tree_and_flags() {
        let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "requires": { "b": "^2.0.0" },
      "dependencies": {
        "b": { "version": "2.0.0", "dev": true, "optional": true }
      }
    },
    "b": { "version": "1.0.0" }
  }
}"#;
        let out = run(text);
        let get = |n: &str, v: &str| {
            out.packages
                .iter()
                .find(|p| p.name == n && p.version.as_deref() == Some(v))
                .expect("present")
        };
        assert_eq!(get("a", "1.0.0").dependencies, ["pkg:npm/b@2.0.0"]);
        assert_eq!(get("a", "1.0.0").direct, Some(true));
        assert_eq!(get("b", "2.0.0").direct, Some(false));
        assert_eq!(get("b", "2.0.0").groups, ["dev", "optional"]);
        assert_eq!(get("b", "2.0.0").scope, Scope::Dev);
        assert_eq!(get("b", "2.0.0").location.line, Some(8));
        assert_eq!(get("b", "1.0.0").location.line, Some(11));
    }

    #[test]
    fn v1_aliases_name_the_real_package() {
        let text = r#"{"lockfileVersion": 1, "dependencies": {
  "w": {"version": "npm:string-width@4.2.0"},
  "c": {"version": "npm:@babel/code-frame"},
  "e": {"version": "npm:"}
}}"#;
        let got: Vec<_> = run(text)
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("string-width".into(), Some("4.2.0".into())),
                ("@babel/code-frame".into(), None),
                ("e".into(), None)
            ]
        );
    }

    #[test]
    fn duplicates_merge_to_the_widest_scope() {
        let text = r#"{"lockfileVersion": 2, "packages": {
  "": {"dependencies": {"x": "1"}},
  "node_modules/x": {"version": "1.0.0", "dependencies": {"y": "1"}},
  "node_modules/x/node_modules/y": {"version": "1.0.0", "dev": true},
  "node_modules/z/node_modules/y": {"version": "1.0.0"}
}}"#;
        let out = run(text);
        let y: Vec<_> = out.packages.iter().filter(|p| p.name == "y").collect();
        assert_eq!(y.len(), 1);
        assert_eq!(y[0].scope, Scope::Runtime);
        assert!(y[0].groups.is_empty());
    }

    #[test]
    fn type_errors_name_the_line() {
        let text = "{\n  \"lockfileVersion\": 2,\n  \"packages\": {\n    \"node_modules/a\": {\"version\": 1}\n  }\n}";
        let err = EXTRACTOR
            .run(&Input {
                display: "package-lock.json",
                path: Path::new("package-lock.json"),
                text,
            })
            .expect_err("version must be a string");
        assert_eq!(err.line, Some(4), "{err}");
    }

    #[test]
    fn a_real_v3_lockfile_has_a_connected_graph() {
        testing::check_realworld_graph(&EXTRACTOR, "louislam_uptime-kuma/package-lock.json");
    }
}

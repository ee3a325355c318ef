//! `bun.lock`, bun's text lockfile: JSON with comments and trailing commas. Every entry of
//! `packages` is a tuple whose first element is `name@version` (or `name@github:o/r#commit`,
//! `name@file:path`, `name@workspace:path`); the object among the rest holds the package's
//! dependencies, and for registry packages the fourth element is its integrity.
//!
//! Keys are install paths (`parent/child` for a nested copy), so a dependency resolves to the
//! nearest key up the parent's path. The workspaces' dependencies are the direct ones, and their
//! dev/optional sections give scopes that spread over the graph. A git package's version is not
//! recorded, only its commit. A `workspace:` entry is one of the project's own packages (a path
//! source of `.`), never a registry package. A package installed at several paths is one entry
//! per path in the file and is reported once, merged as for `package-lock.json`.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::lines::LineFinder;
use super::npm_shared::{self, OrderedMap};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "bun.lock",
    slug: "bun-lock",
    ecosystem: Ecosystem::Npm,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "bun.lock"),
    extract,
};

#[derive(Deserialize, Default)]
#[serde(default)]
struct BunLock {
    workspaces: OrderedMap<Workspace>,
    packages: OrderedMap<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Workspace {
    dependencies: OrderedMap<Value>,
    optional_dependencies: OrderedMap<Value>,
    peer_dependencies: OrderedMap<Value>,
    dev_dependencies: OrderedMap<Value>,
}

/// The dependency names listed in a tuple's info object.
fn dependency_names(info: Option<&Value>) -> Vec<String> {
    let Some(info) = info else { return Vec::new() };
    ["dependencies", "optionalDependencies", "peerDependencies"]
        .iter()
        .filter_map(|s| info.get(s).and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect()
}

/// The key a dependency `name` of the package at `from` resolves to: `from/name`, then the same
/// up each parent, then the top level.
fn resolve(keys: &std::collections::HashMap<&str, usize>, from: &str, name: &str) -> Option<usize> {
    let mut dir = from;
    loop {
        let candidate = if dir.is_empty() {
            name.to_owned()
        } else {
            format!("{dir}/{name}")
        };
        if let Some(&i) = keys.get(candidate.as_str()) {
            return Some(i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let json = npm_shared::jsonc_to_json(input.text);
    let lock: BunLock = serde_json::from_str(&json).map_err(|e| ParseError::json(&e))?;
    let mut finder = LineFinder::new(input.text);

    let mut packages = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    let mut deps: Vec<Vec<String>> = Vec::new();
    let mut workspace_members: Vec<usize> = Vec::new();
    for (key, tuple) in lock.packages.iter() {
        let line = finder
            .next(&format!("\"{key}\": ["))
            .or_else(|| finder.first(&format!("\"{key}\"")));
        let Some(spec) = tuple.get(0).and_then(Value::as_str) else {
            return Err(ParseError::new(
                format!("package `{key}` is not a tuple starting with `name@version`"),
                line,
            ));
        };
        let (name, rest) = npm_shared::split_name_at(spec).unwrap_or((spec, ""));
        let (version, commit) = match rest.split_once('#') {
            Some((v, c)) if !c.is_empty() => (v, Some(c)),
            _ => (rest, None),
        };
        let mut source = None;
        let mut version = Some(version);
        let mut first_party = false;
        if let Some(commit) = commit {
            source = Some(npm_shared::git_source(rest, commit));
            version = None;
        } else if let Some(path) = version.and_then(|v| v.strip_prefix("file:")) {
            source = Some(PackageSource::Path {
                path: path.to_owned().into(),
            });
            version = None;
        } else if version.is_some_and(|v| v.starts_with("workspace:")) {
            source = Some(PackageSource::Path { path: ".".into() });
            version = None;
            first_party = true;
        }
        let mut p = Package::new(
            Ecosystem::Npm,
            name,
            version,
            npm_shared::location(input, line),
        );
        p.source = source;
        let items = tuple.as_array().map(Vec::as_slice).unwrap_or_default();
        // A registry package: [spec, registry, info, integrity].
        if items.get(1).is_some_and(Value::is_string) {
            if let Some(sri) = items.get(3).and_then(Value::as_str) {
                p.hashes
                    .extend(sri.split_whitespace().filter_map(Hash::from_sri));
            }
        }
        let info = items.iter().skip(1).find(|v| v.is_object());
        if first_party {
            workspace_members.push(packages.len());
        }
        keys.push(key);
        deps.push(dependency_names(info));
        packages.push(p);
    }

    let index: std::collections::HashMap<&str, usize> =
        keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let edges: Vec<Vec<usize>> = keys
        .iter()
        .zip(&deps)
        .map(|(key, names)| {
            let mut out: Vec<usize> = Vec::new();
            for name in names {
                if let Some(t) = resolve(&index, key, name) {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            out
        })
        .collect();
    let mut roots: Vec<(usize, Scope)> = Vec::new();
    for (_, ws) in lock.workspaces.iter() {
        for (section, scope) in [
            (&ws.dependencies, Scope::Runtime),
            (&ws.peer_dependencies, Scope::Runtime),
            (&ws.optional_dependencies, Scope::Optional),
            (&ws.dev_dependencies, Scope::Dev),
        ] {
            for (name, _) in section.iter() {
                if let Some(t) = index.get(name) {
                    roots.push((*t, scope));
                }
            }
        }
    }
    npm_shared::spread_scopes(&mut packages, &edges, &roots);
    let purls: Vec<String> = packages.iter().map(|p| p.purl.to_string()).collect();
    let knows_direct = !lock.workspaces.0.is_empty();
    for (i, p) in packages.iter_mut().enumerate() {
        p.dependencies = edges[i]
            .iter()
            .filter_map(|&t| purls.get(t).cloned())
            .collect();
        if knows_direct && !workspace_members.contains(&i) {
            p.direct = Some(roots.iter().any(|(r, _)| *r == i));
        }
    }
    Ok(npm_shared::merge_duplicates(packages).0.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "bun.lock",
            path: Path::new("bun.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("npm/bun-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        for f in ["commits.json5", "nested-dependencies-dup.json5"] {
            let sample = std::fs::read_to_string(
                testing::repo_fixtures()
                    .join("lockfiles/npm/bun-lock")
                    .join(f),
            )
            .expect("fixture");
            testing::check_hostile(&EXTRACTOR, &sample);
        }
    }

    #[test]
    fn nested_keys_resolve_and_dev_scope_spreads() {
        let text = r#"{
  "lockfileVersion": 1,
  // the root
  "workspaces": {
    "": {
      "dependencies": { "a": "^1.0.0", },
      "devDependencies": { "b": "^1.0.0", },
    },
  },
  "packages": {
    "a": ["a@1.0.0", "", { "dependencies": { "c": "^2.0.0" } }, "sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU="],
    "a/c": ["c@2.0.0", "", {}, ""],
    "b": ["b@1.0.0", "", { "dependencies": { "c": "^1.0.0" } }, ""],
    "c": ["c@1.0.0", "", {}, ""],
    "g": ["g@github:o/g#0a2d250", {}, "o-g-0a2d250"],
  },
}"#;
        let out = run(text).expect("parses");
        let get = |k: usize| &out.packages[k];
        assert_eq!(get(0).direct, Some(true));
        assert_eq!(get(0).dependencies, ["pkg:npm/c@2.0.0"]);
        assert_eq!(get(0).hashes.len(), 1);
        assert_eq!(get(0).location.line, Some(11));
        assert_eq!(get(1).scope, Scope::Runtime);
        assert_eq!(get(1).introduced_by, ["pkg:npm/a@1.0.0"]);
        assert_eq!(get(2).scope, Scope::Dev);
        assert_eq!(get(3).scope, Scope::Dev);
        assert_eq!(get(3).direct, Some(false));
        assert_eq!(get(4).version, None);
        assert_eq!(
            get(4).source,
            Some(PackageSource::Git {
                url: "github:o/g".into(),
                commit: Some("0a2d250".into())
            })
        );
    }

    /// Issue 18: in a workspace's `bun.lock` (the shape of a FastAPI project template with
    /// `frontend/` and `packages/react-email/`), `workspace:` entries are the project's own, and a
    /// package nested under several parents is reported once.
    #[test]
    fn workspaces_are_own_and_nested_copies_merge() {
        let text = std::fs::read_to_string(
            testing::repo_fixtures().join("inventory/bun-workspace/bun.lock"),
        )
        .expect("fixture");
        let out = run(&text).expect("parses");
        let own: Vec<_> = out
            .packages
            .iter()
            .filter(|p| p.is_project())
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(own, ["emails", "frontend"]);
        let ident: Vec<_> = out
            .packages
            .iter()
            .filter(|p| p.name == "@babel/helper-validator-identifier")
            .collect();
        assert_eq!(ident.len(), 2, "7.29.7 once, 7.28.5 once");
        assert_eq!(ident[1].version.as_deref(), Some("7.28.5"));
        assert_eq!(ident[1].scope, Scope::Runtime, "runtime through one parent");
        assert_eq!(ident[1].location.line, Some(34), "the first occurrence");
        let mut purls: Vec<_> = out.packages.iter().map(|p| p.purl.as_str()).collect();
        let n = purls.len();
        purls.sort_unstable();
        purls.dedup();
        assert_eq!(purls.len(), n, "one entry per purl");
    }

    #[test]
    fn bad_tuple_is_an_error_at_its_line() {
        let text = "{\n  \"packages\": {\n    \"a\": [1, \"\"],\n  }\n}";
        let err = run(text).expect_err("bad tuple");
        assert_eq!(err.line, Some(3));
    }
}

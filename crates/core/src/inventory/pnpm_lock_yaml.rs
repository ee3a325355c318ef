//! `pnpm-lock.yaml` (lockfile versions 5 to 9): every package with its version, integrity,
//! git commit or tarball, dev/optional scope and dependency edges.
//!
//! Package keys changed over the versions: `/name/1.0.0_peer@2.0.0` (v5), `/name@1.0.0(peer@2.0.0)`
//! (v6) and `name@1.0.0` (v9, with the peer variants and edges moved to `snapshots`). A `name` or
//! `version` field in the entry wins over the key (tarball, git and `file:` packages). Importers
//! (or the top-level `dependencies` of a single-project file) give the direct dependencies; v9
//! has no `dev` flags, so scopes spread from the importers' sections over the graph.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_yaml_ng::Value;

use super::lines::LineFinder;
use super::npm_shared::{self, OrderedMap};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "pnpm-lock.yaml",
    slug: "pnpm-lock-yaml",
    ecosystem: Ecosystem::Npm,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "pnpm-lock.yaml"),
    extract,
};

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Lockfile {
    lockfile_version: Value,
    importers: OrderedMap<Importer>,
    #[serde(flatten)]
    root: Importer,
    packages: OrderedMap<PnpmPackage>,
    snapshots: OrderedMap<Snapshot>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Importer {
    dependencies: OrderedMap<Value>,
    optional_dependencies: OrderedMap<Value>,
    dev_dependencies: OrderedMap<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PnpmPackage {
    resolution: Value,
    name: Value,
    version: Value,
    dev: Option<bool>,
    optional: bool,
    dependencies: OrderedMap<Value>,
    optional_dependencies: OrderedMap<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Snapshot {
    dependencies: OrderedMap<Value>,
    optional_dependencies: OrderedMap<Value>,
}

/// A scalar as text (YAML may read `1.0` as a number).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The version an importer or package dependency points at: a plain string, or the `version` of
/// a `{specifier, version}` map (v6 and later).
fn dep_ref(v: &Value) -> Option<String> {
    scalar(v).or_else(|| v.get("version").and_then(scalar))
}

/// `name@version` where the version is followed by a peer suffix `(` or nothing; the last `@`
/// that fits, as in `@scope/name@1.0.0(peer@2.0.0)`.
fn parse_name_at_version(value: &str) -> Option<(&str, &str)> {
    let mut positions: Vec<usize> = value.match_indices('@').map(|(i, _)| i).collect();
    positions.reverse();
    for at in positions {
        if at == 0 {
            continue;
        }
        let rest = &value[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        if end > 0 && matches!(rest.as_bytes().get(end), None | Some(b'(')) {
            return Some((&value[..at], &rest[..end]));
        }
    }
    None
}

/// The name and version a package key encodes (empty when it encodes none), or an error for a
/// key that is not a dependency path at all.
fn name_and_version(key: &str, lockfile_version: f64) -> Result<(String, String), String> {
    if key.starts_with("file:") {
        return Ok((String::new(), String::new()));
    }
    if lockfile_version >= 9.0 {
        let key = key.trim_matches('\'');
        return Ok(match npm_shared::split_name_at(key) {
            Some((name, version)) => (name.to_owned(), version.to_owned()),
            None => (key.to_owned(), String::new()),
        });
    }
    let parts: Vec<&str> = key.split('/').collect();
    let rest = match parts.get(1..) {
        Some(rest) if !rest.is_empty() => rest,
        _ => return Err(format!("invalid dependency path `{key}`")),
    };
    let (mut name, rest) = match rest {
        [scope, name, rest @ ..] if scope.starts_with('@') => (format!("{scope}/{name}"), rest),
        [name, rest @ ..] => ((*name).to_owned(), rest),
        [] => return Err(format!("invalid dependency path `{key}`")),
    };
    let mut version = rest.first().map_or(String::new(), |v| (*v).to_owned());
    if version.is_empty() {
        match parse_name_at_version(&name) {
            Some((n, v)) => {
                version = v.to_owned();
                name = n.to_owned();
            }
            None => return Ok((String::new(), String::new())),
        }
    }
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok((String::new(), String::new()));
    }
    if let Some((v, _peers)) = version.split_once('_') {
        version = v.to_owned();
    }
    Ok((name, version))
}

/// The line of a package key under `packages:` (indented, maybe quoted).
fn key_line(finder: &mut LineFinder<'_>, key: &str) -> Option<u32> {
    for needle in [
        format!("\n  {key}:"),
        format!("\n  '{key}':"),
        format!("\n  \"{key}\":"),
    ] {
        if let Some(line) = finder.next(&needle) {
            // The needle starts at the newline that ends the previous line.
            return Some(line + 1);
        }
    }
    None
}

fn lockfile_version(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Removes the peer suffix of a version reference: `1.0.0(react@18.0.0)` or `1.0.0_react@18.0.0`.
fn strip_peers(reference: &str, lockfile_version: f64) -> &str {
    let r = reference.split('(').next().unwrap_or(reference);
    if lockfile_version < 6.0 {
        r.split('_').next().unwrap_or(r)
    } else {
        r
    }
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let has_content = input
        .text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !has_content {
        return Ok(Extracted::default());
    }
    let lock: Lockfile = serde_yaml_ng::from_str(input.text).map_err(|e| ParseError::yaml(&e))?;
    let version = lockfile_version(&lock.lockfile_version);
    let mut finder = LineFinder::new(input.text);

    let mut packages: Vec<Package> = Vec::new();
    let mut entries: Vec<&PnpmPackage> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut by_name_version: HashMap<(String, String), usize> = HashMap::new();
    let mut has_dev_flags = false;
    for (key, pkg) in lock.packages.iter() {
        let line = key_line(&mut finder, key);
        let (mut name, key_version) =
            name_and_version(key, version).map_err(|msg| ParseError::new(msg, line))?;
        if let Some(n) = scalar(&pkg.name).filter(|n| !n.is_empty()) {
            name = n;
        }
        let final_version = scalar(&pkg.version)
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| key_version.clone());
        if name.is_empty() || final_version.is_empty() {
            continue;
        }
        let mut p = Package::new(
            Ecosystem::Npm,
            &name,
            Some(&final_version),
            npm_shared::location(input, line),
        );
        has_dev_flags |= pkg.dev.is_some();
        if pkg.dev == Some(true) {
            p = p.with_scope(Scope::Dev).with_group("dev");
        } else if pkg.optional {
            p = p.with_scope(Scope::Optional).with_group("optional");
        }
        let res = &pkg.resolution;
        let text = |k: &str| res.get(k).and_then(scalar);
        if let Some(sri) = text("integrity") {
            p.hashes
                .extend(sri.split_whitespace().filter_map(Hash::from_sri));
        }
        let tarball = text("tarball");
        let commit = text("commit").or_else(|| {
            tarball
                .as_deref()
                .filter(|t| t.starts_with("https://codeload.github.com/"))
                .and_then(npm_shared::commit_of)
        });
        p.source = match (commit, text("repo"), tarball, text("directory")) {
            (Some(commit), repo, tarball, _) => Some(PackageSource::Git {
                url: repo.or(tarball).unwrap_or_default().into(),
                commit: Some(commit.into()),
            }),
            (None, _, Some(t), _) if t.starts_with("file:") => Some(PackageSource::Path {
                path: t.trim_start_matches("file:").to_owned().into(),
            }),
            (None, _, Some(t), _) => Some(PackageSource::Url { url: t.into() }),
            (None, _, None, Some(dir)) => Some(PackageSource::Path { path: dir.into() }),
            _ => None,
        };
        let i = packages.len();
        by_key.insert(key, i);
        by_name_version
            .entry((name.clone(), key_version))
            .or_insert(i);
        by_name_version.entry((name, final_version)).or_insert(i);
        packages.push(p);
        entries.push(pkg);
    }

    let resolve = |name: &str, reference: &str| -> Option<usize> {
        if reference.starts_with("link:") {
            return None;
        }
        if let Some(&i) = by_key
            .get(reference)
            .or_else(|| by_key.get(format!("/{reference}").as_str()))
        {
            return Some(i);
        }
        let stripped = strip_peers(reference, version);
        if stripped.starts_with('/') {
            let (n, v) = name_and_version(stripped, version.min(8.0)).ok()?;
            return by_name_version.get(&(n, v)).copied();
        }
        if let Some(&i) = by_name_version.get(&(name.to_owned(), stripped.to_owned())) {
            return Some(i);
        }
        // A v9 alias points at `real-name@version`.
        let (n, v) = npm_shared::split_name_at(stripped)?;
        by_name_version.get(&(n.to_owned(), v.to_owned())).copied()
    };

    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    let mut add_edges = |from: usize, deps: [&OrderedMap<Value>; 2]| {
        for (name, v) in deps.into_iter().flat_map(OrderedMap::iter) {
            if let Some(t) = dep_ref(v).and_then(|r| resolve(name, &r)) {
                if let Some(list) = edges.get_mut(from) {
                    if !list.contains(&t) {
                        list.push(t);
                    }
                }
            }
        }
    };
    for (i, pkg) in entries.iter().enumerate() {
        add_edges(i, [&pkg.dependencies, &pkg.optional_dependencies]);
    }
    for (key, snap) in lock.snapshots.iter() {
        let base = strip_peers(key.trim_matches('\''), version);
        let from = by_key.get(base).copied().or_else(|| {
            let (n, v) = npm_shared::split_name_at(base)?;
            by_name_version.get(&(n.to_owned(), v.to_owned())).copied()
        });
        if let Some(from) = from {
            add_edges(from, [&snap.dependencies, &snap.optional_dependencies]);
        }
    }

    let mut roots: Vec<(usize, Scope)> = Vec::new();
    let importers = std::iter::once(&lock.root).chain(lock.importers.iter().map(|(_, imp)| imp));
    for imp in importers {
        for (section, scope) in [
            (&imp.dependencies, Scope::Runtime),
            (&imp.optional_dependencies, Scope::Optional),
            (&imp.dev_dependencies, Scope::Dev),
        ] {
            for (name, v) in section.iter() {
                if let Some(t) = dep_ref(v).and_then(|r| resolve(name, &r)) {
                    roots.push((t, scope));
                }
            }
        }
    }
    if !has_dev_flags {
        npm_shared::spread_scopes(&mut packages, &edges, &roots);
    }
    let purls: Vec<String> = packages.iter().map(|p| p.purl.to_string()).collect();
    let knows_direct = !roots.is_empty();
    for (i, p) in packages.iter_mut().enumerate() {
        p.dependencies = edges[i]
            .iter()
            .filter_map(|&t| purls.get(t).cloned())
            .collect();
        if knows_direct {
            p.direct = Some(roots.iter().any(|(r, _)| *r == i));
        }
    }
    Ok(packages.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "pnpm-lock.yaml",
            path: Path::new("pnpm-lock.yaml"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("npm/pnpm-lock-yaml", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        for f in ["peer-dependencies-advanced.v9.yaml", "commits.yaml"] {
            let sample = std::fs::read_to_string(
                testing::repo_fixtures()
                    .join("lockfiles/npm/pnpm-lock-yaml")
                    .join(f),
            )
            .expect("fixture");
            testing::check_hostile(&EXTRACTOR, &sample);
        }
    }

    #[test]
    fn key_forms_of_every_version() {
        let kv = |k: &str, v: f64| name_and_version(k, v).expect("valid");
        assert_eq!(kv("/acorn/8.7.0", 5.4), ("acorn".into(), "8.7.0".into()));
        assert_eq!(
            kv("/@s/a/1.0.0_react@18.0.0", 5.4),
            ("@s/a".into(), "1.0.0".into())
        );
        assert_eq!(
            kv("/@s/a@1.0.0(react@18.0.0)", 6.0),
            ("@s/a".into(), "1.0.0".into())
        );
        assert_eq!(kv("@s/a@1.0.0", 9.0), ("@s/a".into(), "1.0.0".into()));
        assert!(name_and_version("nopath", 5.4).is_err());
    }

    #[test]
    fn v9_importers_give_direct_and_dev_scope() {
        let text = "lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(b@2.0.0)
    devDependencies:
      c:
        specifier: ^1.0.0
        version: 1.0.0

packages:

  a@1.0.0:
    resolution: {integrity: sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU=}

  b@2.0.0:
    resolution: {integrity: sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU=}

  c@1.0.0:
    resolution: {integrity: sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU=}

snapshots:

  a@1.0.0(b@2.0.0):
    dependencies:
      b: 2.0.0

  b@2.0.0: {}

  c@1.0.0: {}
";
        let out = run(text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(get("a").direct, Some(true));
        assert_eq!(get("a").location.line, Some(17));
        assert_eq!(get("a").dependencies, ["pkg:npm/b@2.0.0"]);
        assert_eq!(get("b").direct, Some(false));
        assert_eq!(get("b").scope, Scope::Runtime);
        assert_eq!(get("b").introduced_by, ["pkg:npm/a@1.0.0"]);
        assert_eq!(get("c").scope, Scope::Dev);
        assert_eq!(get("c").groups, ["dev"]);
        assert_eq!(get("c").hashes.len(), 1);
    }

    #[test]
    fn v5_dev_flags_and_git_commits() {
        let text = "lockfileVersion: 5.4

dependencies:
  a: 1.0.0

packages:

  /a/1.0.0:
    resolution: {integrity: sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU=}
    dependencies:
      g: git.example/o/g/0a2d2506c1fe299691fc5db53a2097db3bd615bc
    dev: false

  git.example/o/g/0a2d2506c1fe299691fc5db53a2097db3bd615bc:
    resolution: {commit: 0a2d2506c1fe299691fc5db53a2097db3bd615bc, repo: https://git.example/o/g.git, type: git}
    name: g
    version: 2.0.0
    dev: true
";
        let out = run(text).expect("parses");
        let g = out
            .packages
            .iter()
            .find(|p| p.name == "g")
            .expect("present");
        assert_eq!(g.scope, Scope::Dev);
        assert_eq!(g.location.line, Some(14));
        assert_eq!(
            g.source,
            Some(PackageSource::Git {
                url: "https://git.example/o/g.git".into(),
                commit: Some("0a2d2506c1fe299691fc5db53a2097db3bd615bc".into())
            })
        );
        assert_eq!(out.packages[0].dependencies, std::slice::from_ref(&g.purl));
    }

    #[test]
    fn invalid_key_is_an_error_at_its_line() {
        let text = "lockfileVersion: 5.3\n\npackages:\n\n  invalidpath:\n    dev: false\n";
        let err = run(text).expect_err("invalid path");
        assert_eq!(err.line, Some(5));
    }

    #[test]
    fn a_real_v9_lockfile_has_a_connected_graph() {
        testing::check_realworld_graph(&EXTRACTOR, "CycloneDX_cdxgen/pnpm-lock.yaml");
    }
}

//! `conan.lock`: the Conan lockfile for C and C++ packages.
//!
//! Conan 1 lockfiles (`version` 0.4 and the older 0.0–0.3 layouts) hold a `graph_lock.nodes` map
//! of numbered nodes, each with a reference (`ref`, or `pref` in old files) of the shape
//! `name/version@user/channel#revision` and the ids of the nodes it `requires` or
//! `build_requires`. The node that points at the consumer's `conanfile` is the project itself and
//! is not reported; its requirements are the direct dependencies, and packages reached only
//! through `build_requires` are development (build-time) packages.
//!
//! Conan 2 lockfiles (`version` 0.5 and later) only list resolved references under `requires`,
//! `build_requires` and `python_requires`; they carry no graph, so `direct` is left unknown.
//! References without a name (a bare version) are skipped, as upstream tools do.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::lines::LineFinder;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "conan.lock",
    slug: "conan-lock",
    ecosystem: Ecosystem::ConanCenter,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "conan.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    graph_lock: Option<GraphLock>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    build_requires: Vec<String>,
    #[serde(default)]
    python_requires: Vec<String>,
}

#[derive(Deserialize)]
struct GraphLock {
    #[serde(default)]
    nodes: BTreeMap<String, Node>,
}

#[derive(Deserialize)]
struct Node {
    #[serde(rename = "ref")]
    reference: Option<String>,
    pref: Option<String>,
    path: Option<String>,
    context: Option<String>,
    #[serde(default)]
    requires: Requires,
    #[serde(default)]
    build_requires: Requires,
}

/// Node ids: a list in current files, a map from reference to node id in the oldest ones.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Requires {
    #[default]
    None,
    Ids(Vec<String>),
    ByRef(BTreeMap<String, String>),
}

impl Node {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref().or(self.pref.as_deref())
    }
}

impl Requires {
    fn ids(&self) -> Vec<&str> {
        match self {
            Requires::None => Vec::new(),
            Requires::Ids(ids) => ids.iter().map(String::as_str).collect(),
            Requires::ByRef(map) => map.values().map(String::as_str).collect(),
        }
    }
}

/// The parts of a `name/version@user/channel#rrev%timestamp:package_id#prev` reference that
/// identify a package.
#[derive(Debug, PartialEq, Eq)]
struct Reference<'a> {
    name: &'a str,
    version: &'a str,
}

fn parse_reference(reference: &str) -> Option<Reference<'_>> {
    let recipe = reference.split(':').next().unwrap_or(reference);
    let recipe = recipe.split('%').next().unwrap_or(recipe);
    let recipe = recipe.split('#').next().unwrap_or(recipe);
    let recipe = recipe.split('@').next().unwrap_or(recipe);
    let (name, version) = recipe.trim().split_once('/')?;
    (!name.is_empty()).then_some(Reference { name, version })
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Option<Lockfile> =
        serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let Some(lock) = lock else {
        return Err(ParseError::new("the lockfile is `null`", Some(1)));
    };
    let finder = LineFinder::new(input.text);
    let mut packages = match &lock.graph_lock {
        Some(graph) if !graph.nodes.is_empty() => from_graph(input, &finder, graph),
        _ => from_lists(input, &finder, &lock),
    };
    packages.sort_by_key(|p| p.location.line);
    Ok(packages.into())
}

fn location(input: &Input<'_>, finder: &LineFinder<'_>, reference: &str) -> Location {
    Location {
        file: input.display.into(),
        line: finder.first(&format!("\"{reference}\"")),
    }
}

/// Conan 2: flat lists of references.
fn from_lists(input: &Input<'_>, finder: &LineFinder<'_>, lock: &Lockfile) -> Vec<Package> {
    let lists = [
        (&lock.requires, "requires", Scope::Runtime),
        (&lock.build_requires, "build-requires", Scope::Dev),
        (&lock.python_requires, "python-requires", Scope::Dev),
    ];
    let mut packages = Vec::new();
    for (list, group, scope) in lists {
        for reference in list {
            let Some(r) = parse_reference(reference) else {
                continue;
            };
            let pkg = Package::new(
                Ecosystem::ConanCenter,
                r.name,
                Some(r.version),
                location(input, finder, reference),
            )
            .with_scope(scope)
            .with_group(group);
            packages.push(pkg);
        }
    }
    packages
}

/// Conan 1: the node graph.
fn from_graph(input: &Input<'_>, finder: &LineFinder<'_>, graph: &GraphLock) -> Vec<Package> {
    // The consumer's own node points at its conanfile (or, in the oldest layout, has no reference).
    let is_root = |node: &Node| node.path.is_some() || node.reference().is_none();

    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut packages: Vec<Package> = Vec::new();
    for (id, node) in &graph.nodes {
        if is_root(node) {
            continue;
        }
        let Some(reference) = node.reference() else {
            continue;
        };
        let Some(r) = parse_reference(reference) else {
            continue;
        };
        index.insert(id.as_str(), packages.len());
        packages.push(Package::new(
            Ecosystem::ConanCenter,
            r.name,
            Some(r.version),
            location(input, finder, reference),
        ));
    }

    // Edges, direct dependencies, and which packages the runtime graph reaches.
    let mut runtime_roots = Vec::new();
    let mut build_roots = Vec::new();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    let mut build_edges: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    for (id, node) in &graph.nodes {
        let requires: Vec<usize> = node
            .requires
            .ids()
            .iter()
            .filter_map(|d| index.get(d).copied())
            .collect();
        let build: Vec<usize> = node
            .build_requires
            .ids()
            .iter()
            .filter_map(|d| index.get(d).copied())
            .collect();
        match index.get(id.as_str()) {
            Some(&i) => {
                edges[i] = requires;
                build_edges[i] = build;
            }
            None if is_root(node) => {
                runtime_roots.extend(requires);
                build_roots.extend(build);
            }
            None => {}
        }
    }
    let mut direct = vec![false; packages.len()];
    for &i in runtime_roots.iter().chain(&build_roots) {
        direct[i] = true;
    }
    // Anything the runtime requirements reach is runtime; the rest is build-time only.
    let mut runtime = vec![false; packages.len()];
    let mut stack = runtime_roots;
    while let Some(i) = stack.pop() {
        if let Some(seen) = runtime.get_mut(i) {
            if !*seen {
                *seen = true;
                stack.extend(edges.get(i).into_iter().flatten().copied());
            }
        }
    }
    let has_graph = graph.nodes.values().any(is_root);
    for (i, node) in graph
        .nodes
        .iter()
        .filter_map(|(id, n)| Some((*index.get(id.as_str())?, n)))
    {
        let deps: Vec<String> = edges[i]
            .iter()
            .chain(&build_edges[i])
            .map(|&d| packages[d].purl.to_string())
            .collect();
        let pkg = &mut packages[i];
        pkg.dependencies = deps.into();
        if has_graph {
            pkg.direct = Some(direct[i]);
            if !runtime[i] {
                pkg.scope = Scope::Dev;
                pkg.add_group("build-requires");
            }
        }
        if node.context.as_deref() == Some("build") {
            pkg.scope = Scope::Dev;
        }
    }
    packages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "conan.lock",
            path: Path::new("conan.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("ConanCenter/conan-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        for fixture in ["nested-dependencies.v1.json", "nested-dependencies.v2.json"] {
            let sample = std::fs::read_to_string(
                testing::repo_fixtures()
                    .join("lockfiles/ConanCenter/conan-lock")
                    .join(fixture),
            )
            .expect("fixture");
            testing::check_hostile(&EXTRACTOR, &sample);
        }
    }

    #[test]
    fn references_lose_user_channel_and_revisions() {
        let r = parse_reference("zlib/1.2.11@bincrafters/testing#5f49:1972#5884");
        assert_eq!(
            r,
            Some(Reference {
                name: "zlib",
                version: "1.2.11"
            })
        );
        assert_eq!(
            parse_reference("ninja/1.11.1#a2f0%1667050636.338").map(|r| r.version),
            Some("1.11.1")
        );
        assert_eq!(parse_reference("1.2.3#abc"), None);
    }

    #[test]
    fn v1_graph_gives_direct_edges_and_build_scope() {
        let text = r#"{
 "graph_lock": {
  "nodes": {
   "0": {"ref": "app/1.0", "path": "conanfile.py", "requires": ["1"], "build_requires": ["3"]},
   "1": {"ref": "libpng/1.6.39", "requires": ["2"]},
   "2": {"ref": "zlib/1.2.13#abc"},
   "3": {"ref": "cmake/3.25.0", "requires": ["4"]},
   "4": {"ref": "openssl/3.0.0"}
  }
 },
 "version": "0.4"
}"#;
        let out = run(text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(out.packages.len(), 4);
        assert_eq!(get("libpng").direct, Some(true));
        assert_eq!(get("zlib").direct, Some(false));
        assert_eq!(get("libpng").dependencies, ["pkg:conan/zlib@1.2.13"]);
        assert_eq!(get("zlib").introduced_by, ["pkg:conan/libpng@1.6.39"]);
        assert_eq!(get("zlib").scope, Scope::Runtime);
        assert_eq!(get("cmake").scope, Scope::Dev);
        assert_eq!(get("cmake").direct, Some(true));
        assert_eq!(get("openssl").scope, Scope::Dev);
        assert_eq!(get("openssl").groups, ["build-requires"]);
        assert_eq!(get("zlib").location.line, Some(6));
    }

    #[test]
    fn v2_lists_give_groups_and_scope() {
        let text = r#"{
    "version": "0.5",
    "requires": ["zlib/1.2.13#13c9%1667396813.733"],
    "build_requires": ["ninja/1.11.1#a2f0%1667050636.338"],
    "python_requires": ["pyreq/0.1"]
}"#;
        let out = run(text).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.scope,
                    p.groups.join(","),
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("zlib", Scope::Runtime, "requires".into(), Some(3)),
                ("ninja", Scope::Dev, "build-requires".into(), Some(4)),
                ("pyreq", Scope::Dev, "python-requires".into(), Some(5)),
            ]
        );
        assert_eq!(out.packages[0].direct, None);
    }

    #[test]
    fn type_errors_name_the_line() {
        let err =
            run("{\n \"version\": \"0.5\",\n \"requires\": [3]\n}").expect_err("not a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

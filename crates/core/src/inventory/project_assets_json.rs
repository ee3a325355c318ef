//! `obj/project.assets.json`: NuGet's restore output for one project, with every resolved
//! package (`libraries`, keyed `Name/Version`), the graph per target framework (`targets`) and
//! the project's own references (`project.frameworks.*.dependencies`).
//!
//! Libraries of type `package` are reported (project references are first-party). The project's
//! references are the direct dependencies; a reference with `suppressParent: All`
//! (`PrivateAssets="all"`) is a dev dependency, and so is every package reached only through
//! such references. `sha512` (base64) becomes a hash.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use serde::Deserialize;

use super::deps_json::TargetEntry;
use super::json_order::{ObjectKeyLines, OrderedMap};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "obj/project.assets.json",
    slug: "project-assets-json",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "project.assets.json"),
    extract,
};

#[derive(Deserialize)]
struct Assets {
    #[serde(default)]
    targets: OrderedMap<OrderedMap<TargetEntry>>,
    #[serde(default)]
    libraries: OrderedMap<Library>,
    project: Option<Project>,
}

#[derive(Deserialize)]
struct Library {
    #[serde(rename = "type", default)]
    kind: String,
    sha512: Option<String>,
}

#[derive(Deserialize)]
struct Project {
    #[serde(default)]
    frameworks: OrderedMap<Framework>,
}

#[derive(Deserialize)]
struct Framework {
    #[serde(default)]
    dependencies: OrderedMap<Reference>,
}

/// A project reference: an object in current files, a bare version range in old ones.
#[derive(Deserialize)]
#[serde(untagged)]
enum Reference {
    Full {
        target: Option<String>,
        #[serde(rename = "suppressParent")]
        suppress_parent: Option<String>,
    },
    Range(#[allow(dead_code)] String),
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let assets: Assets = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let mut lines = ObjectKeyLines::new(input.text);
    lines.next("libraries");
    let mut packages: Vec<Package> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (key, lib) in assets.libraries.iter() {
        let line = lines.next(key);
        if lib.kind != "package" {
            continue;
        }
        let Some((name, version)) = key
            .split_once('/')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
        else {
            continue;
        };
        let location = Location {
            file: input.display.into(),
            line,
        };
        let mut pkg = Package::new(Ecosystem::NuGet, name, Some(version), location);
        if let Some(hash) = lib
            .sha512
            .as_deref()
            .and_then(|h| Hash::from_sri(&format!("sha512-{h}")))
        {
            pkg.hashes.push(hash);
        }
        let at = packages.len();
        index.insert((name.to_ascii_lowercase(), version.to_owned()), at);
        by_name
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(at);
        packages.push(pkg);
    }

    // Edges: within a target, a dependency resolves to the version of that name in the target.
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    for (_target, entries) in assets.targets.iter() {
        let resolved: HashMap<String, usize> = entries
            .iter()
            .filter_map(|(key, _)| {
                let (n, v) = key.split_once('/')?;
                Some((
                    n.to_ascii_lowercase(),
                    *index.get(&(n.to_ascii_lowercase(), v.to_owned()))?,
                ))
            })
            .collect();
        for (key, entry) in entries.iter() {
            let Some(&from) = key
                .split_once('/')
                .and_then(|(n, v)| index.get(&(n.to_ascii_lowercase(), v.to_owned())))
            else {
                continue;
            };
            for (dep, _range) in entry.dependencies.iter() {
                if let (Some(&to), Some(list)) =
                    (resolved.get(&dep.to_ascii_lowercase()), edges.get_mut(from))
                {
                    if !list.contains(&to) {
                        list.push(to);
                    }
                }
            }
        }
    }

    // Direct references, and whether each is private (build-time only).
    let mut runtime_roots: Vec<usize> = Vec::new();
    let mut dev_roots: Vec<usize> = Vec::new();
    let mut has_project = false;
    if let Some(project) = &assets.project {
        has_project = true;
        for (_fw, framework) in project.frameworks.iter() {
            for (name, reference) in framework.dependencies.iter() {
                let (is_package, private) = match reference {
                    Reference::Full {
                        target,
                        suppress_parent,
                    } => (
                        target
                            .as_deref()
                            .is_none_or(|t| t.eq_ignore_ascii_case("package")),
                        suppress_parent
                            .as_deref()
                            .is_some_and(|s| s.trim().eq_ignore_ascii_case("all")),
                    ),
                    Reference::Range(_) => (true, false),
                };
                if !is_package {
                    continue;
                }
                for &at in by_name
                    .get(&name.to_ascii_lowercase())
                    .into_iter()
                    .flatten()
                {
                    if private {
                        dev_roots.push(at);
                    } else {
                        runtime_roots.push(at);
                    }
                }
            }
        }
    }
    let runtime = reachable(&runtime_roots, &edges);
    let dev = reachable(&dev_roots, &edges);
    let direct: HashSet<usize> = runtime_roots.iter().chain(&dev_roots).copied().collect();
    let purls: Vec<String> = packages.iter().map(|p| p.purl.to_string()).collect();
    for (i, pkg) in packages.iter_mut().enumerate() {
        if has_project {
            pkg.direct = Some(direct.contains(&i));
            if !runtime.contains(&i) && dev.contains(&i) {
                pkg.scope = Scope::Dev;
            }
        }
        pkg.dependencies = edges
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|&to| purls.get(to).cloned())
            .collect();
    }
    Ok(packages.into())
}

fn reachable(roots: &[usize], edges: &[Vec<usize>]) -> HashSet<usize> {
    let mut seen: HashSet<usize> = roots.iter().copied().collect();
    let mut queue: VecDeque<usize> = roots.iter().copied().collect();
    while let Some(i) = queue.pop_front() {
        for &j in edges.get(i).into_iter().flatten() {
            if seen.insert(j) {
                queue.push_back(j);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn fixture() -> std::path::PathBuf {
        testing::repo_fixtures()
            .join("lockfiles/NuGet/project-assets-json/valid/project.assets.json")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/project-assets-json", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(fixture()).expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn direct_dev_and_edges() {
        let out = testing::run_file(&EXTRACTOR, &fixture()).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        let sourcelink = get("Microsoft.SourceLink.GitHub");
        assert_eq!(
            (sourcelink.direct, sourcelink.scope),
            (Some(true), Scope::Dev)
        );
        assert_eq!(
            sourcelink.dependencies,
            [
                "pkg:nuget/Microsoft.Build.Tasks.Git@1.0.0-beta2-19351-01",
                "pkg:nuget/Microsoft.SourceLink.Common@1.0.0-beta2-19351-01"
            ]
        );
        let git = get("Microsoft.Build.Tasks.Git");
        assert_eq!((git.direct, git.scope), (Some(false), Scope::Dev));
        let process = get("System.Diagnostics.Process");
        assert_eq!(
            (process.direct, process.scope),
            (Some(true), Scope::Runtime)
        );
        let runtime = get("System.Runtime");
        assert_eq!(
            (runtime.direct, runtime.scope),
            (Some(false), Scope::Runtime)
        );
        assert!(!runtime.introduced_by.is_empty());
        assert!(out.packages.iter().all(|p| p.name != "NuGet.Frameworks"));
        assert!(get("System.IO")
            .hashes
            .first()
            .is_some_and(|h| h.alg == "sha512"));
    }

    #[test]
    fn lines_point_at_library_entries() {
        let text = std::fs::read_to_string(fixture()).expect("fixture");
        let out = testing::run_file(&EXTRACTOR, &fixture()).expect("parses");
        let first = &out.packages[0];
        let want = text
            .lines()
            .position(|l| {
                l.contains(&format!(
                    "\"{}/{}\": {{",
                    first.name,
                    first.version.as_deref().unwrap_or("")
                )) && l.starts_with("    \"")
            })
            .map(|i| i as u32 + 1);
        assert!(first.location.line > Some(458), "{:?}", first.location.line);
        assert_eq!(first.location.line, want);
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = EXTRACTOR
            .run(&Input {
                display: "project.assets.json",
                path: Path::new("project.assets.json"),
                text: "{\n\"libraries\": {\n\"A/1\": { \"type\": [] }\n}}",
            })
            .expect_err("type must be a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

//! `Manifest.toml`: the Julia package manager's lockfile.
//!
//! Format 2 (`manifest_format = "2.0"`) keeps the packages under `[[deps.Name]]`; format 1 has
//! them at the top level as `[[Name]]`. Each entry has a `uuid`, usually a `version` and a
//! `git-tree-sha1` (reported as a `sha1` hash: Pkg verifies the package tree against it), and
//! `deps`, the names (or a name → uuid table) of what it depends on, which become edges.
//! Entries without a version are standard-library packages shipped with Julia and are skipped,
//! as upstream tools skip them. `repo-url` gives a git source, `path` a path source. When a
//! `Project.toml` sits beside the manifest, its `[deps]` mark the direct dependencies.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::lines::LineFinder;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Manifest.toml",
    slug: "manifest-toml",
    ecosystem: Ecosystem::Julia,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "Manifest.toml") || file_name_is(p, "JuliaManifest.toml"),
    extract,
};

/// The largest neighbouring `Project.toml` read to find direct dependencies.
const MAX_PROJECT_BYTES: u64 = 1024 * 1024;

#[derive(Deserialize)]
struct Entry {
    uuid: Option<String>,
    version: Option<String>,
    #[serde(rename = "git-tree-sha1")]
    git_tree_sha1: Option<String>,
    #[serde(rename = "repo-url")]
    repo_url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    deps: Deps,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Deps {
    #[default]
    None,
    Names(Vec<String>),
    ByName(HashMap<String, String>),
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut doc: toml::Table =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let v2 = doc.contains_key("manifest_format");
    let table = if v2 {
        match doc.remove("deps") {
            Some(toml::Value::Table(t)) => t,
            Some(_) => return Err(ParseError::new("`deps` is not a table", None)),
            None => toml::Table::new(),
        }
    } else {
        doc
    };

    let mut finder = LineFinder::new(input.text);
    let mut entries: Vec<(String, Entry, Option<u32>)> = Vec::new();
    for (name, value) in table {
        let toml::Value::Array(items) = value else {
            continue;
        };
        for item in items {
            let entry: Entry = item.try_into().map_err(|e: toml::de::Error| {
                let line = finder.first(&header(v2, &name));
                ParseError::new(format!("invalid entry `{name}`: {}", e.message()), line)
            })?;
            let line = finder.next(&header(v2, &name));
            entries.push((name.clone(), entry, line));
        }
    }
    entries.sort_by_key(|(_, _, line)| *line);

    let direct = direct_names(input.path);
    let mut packages = Vec::new();
    let mut deps_of = Vec::new();
    for (name, entry, line) in &entries {
        let Some(version) = entry.version.as_deref() else {
            continue;
        };
        let location = Location {
            file: input.display.into(),
            line: *line,
        };
        let mut pkg = Package::new(Ecosystem::Julia, name, Some(version), location);
        if let Some(sha) = &entry.git_tree_sha1 {
            pkg.hashes.push(Hash::new("sha1", sha));
        }
        pkg.source = match (&entry.repo_url, &entry.path) {
            (Some(url), _) => Some(PackageSource::Git {
                url: url.clone().into(),
                commit: None,
            }),
            (None, Some(path)) => Some(PackageSource::Path {
                path: path.clone().into(),
            }),
            (None, None) => None,
        };
        if let Some(direct) = &direct {
            pkg.direct = Some(direct.iter().any(|d| d == name));
        }
        packages.push(pkg);
        deps_of.push(entry);
    }

    // Edges by name, or by uuid where the manifest disambiguates with a table.
    let by_name: HashMap<&str, &str> = packages
        .iter()
        .map(|p| (p.name.as_str(), p.purl.as_str()))
        .collect();
    let by_uuid: HashMap<&str, &str> = deps_of
        .iter()
        .zip(&packages)
        .filter_map(|(e, p)| Some((e.uuid.as_deref()?, p.purl.as_str())))
        .collect();
    let edges: Vec<Vec<String>> = deps_of
        .iter()
        .map(|e| match &e.deps {
            Deps::None => Vec::new(),
            Deps::Names(names) => names
                .iter()
                .filter_map(|n| by_name.get(n.as_str()).map(|p| (*p).to_owned()))
                .collect(),
            Deps::ByName(map) => {
                let mut deps: Vec<String> = map
                    .values()
                    .filter_map(|u| by_uuid.get(u.as_str()).map(|p| (*p).to_owned()))
                    .collect();
                deps.sort();
                deps
            }
        })
        .collect();
    for (pkg, deps) in packages.iter_mut().zip(edges) {
        pkg.dependencies = deps.into();
    }
    Ok(packages.into())
}

fn header(v2: bool, name: &str) -> String {
    if v2 {
        format!("[[deps.{name}]]")
    } else {
        format!("[[{name}]]")
    }
}

/// The `[deps]` names of the project file beside the manifest, when there is one.
fn direct_names(manifest: &Path) -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct Project {
        #[serde(default)]
        deps: toml::Table,
    }
    let dir = manifest.parent()?;
    let path = ["JuliaProject.toml", "Project.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())?;
    if std::fs::metadata(&path).ok()?.len() > MAX_PROJECT_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let project: Project = toml::from_str(&text).ok()?;
    Some(project.deps.keys().cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "Manifest.toml",
            path: Path::new("no-such-dir/Manifest.toml"),
            text,
        })
    }

    const V2: &str = r#"julia_version = "1.10.0"
manifest_format = "2.0"

[[deps.JSON]]
deps = ["Dates", "Parsers"]
git-tree-sha1 = "31E996F0A15C7B280BA9F76636B3FF9E2AE58C9A"
uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
version = "0.21.4"

[[deps.Dates]]
uuid = "ade2ca70-3891-5945-98fb-dc099432e06a"

[[deps.Parsers]]
deps = { PrecompileTools = "aea7be01-6a6a-4083-8856-8a6e6704d82a" }
uuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
version = "2.8.1"
repo-url = "https://git.example/Parsers.jl"

[[deps.PrecompileTools]]
uuid = "aea7be01-6a6a-4083-8856-8a6e6704d82a"
version = "1.2.0"
path = "../PrecompileTools"
"#;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Julia/manifest-toml", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        testing::check_hostile(&EXTRACTOR, V2);
    }

    #[test]
    fn v2_edges_hashes_sources_and_lines() {
        let out = run(V2).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.location.line))
            .collect();
        assert_eq!(
            got,
            [
                ("JSON", Some(4)),
                ("Parsers", Some(13)),
                ("PrecompileTools", Some(19))
            ]
        );
        let json = &out.packages[0];
        assert_eq!(json.dependencies, ["pkg:julia/Parsers@2.8.1"]);
        assert_eq!(
            json.hashes,
            [Hash::new(
                "sha1",
                "31e996f0a15c7b280ba9f76636b3ff9e2ae58c9a"
            )]
        );
        assert_eq!(json.direct, None);
        assert_eq!(
            out.packages[1].dependencies,
            ["pkg:julia/PrecompileTools@1.2.0"]
        );
        assert!(matches!(
            out.packages[1].source,
            Some(PackageSource::Git { .. })
        ));
        assert_eq!(
            out.packages[2].source,
            Some(PackageSource::Path {
                path: "../PrecompileTools".into()
            })
        );
    }

    #[test]
    fn v1_layout_is_read() {
        let text = "[[JSON]]\ndeps = [\"Parsers\"]\nuuid = \"682c\"\nversion = \"0.21.4\"\n\n\
                    [[Parsers]]\nuuid = \"69de\"\nversion = \"2.8.1\"\n";
        let out = run(text).expect("parses");
        assert_eq!(out.packages.len(), 2);
        assert_eq!(out.packages[0].dependencies, ["pkg:julia/Parsers@2.8.1"]);
        assert_eq!(out.packages[1].location.line, Some(6));
    }

    #[test]
    fn project_beside_the_manifest_marks_direct() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("Project.toml"),
            "[deps]\nJSON = \"682c06a0-de6a-54ab-a142-c8b1cf79cde6\"\n",
        )
        .expect("write");
        let path = dir.path().join("Manifest.toml");
        let out = EXTRACTOR
            .run(&Input {
                display: "Manifest.toml",
                path: &path,
                text: V2,
            })
            .expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(get("JSON").direct, Some(true));
        assert_eq!(get("Parsers").direct, Some(false));
        assert_eq!(get("PrecompileTools").introduced_by.len(), 2);
    }

    #[test]
    fn type_errors_name_the_line() {
        let text = "manifest_format = \"2.0\"\n\n[[deps.JSON]]\nversion = 3\n";
        let err = run(text).expect_err("version must be a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

//! `packages.lock.json`: NuGet's lock file, the resolved packages of each target framework.
//!
//! A package resolved for several frameworks is reported once. `type: Direct` (and `Project`,
//! a project reference) marks a direct dependency, `Transitive`/`CentralTransitive` an indirect
//! one. A `Project` entry is one of the repository's own projects (a `<ProjectReference>`), not a
//! NuGet package: it is reported as the project's own (a path source of `.`); each entry's `dependencies` become edges to the package of that name resolved for the
//! same framework; `contentHash` (base64 SHA-512) becomes a hash.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::json_order::{ObjectKeyLines, OrderedMap};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "packages.lock.json",
    slug: "packages-lock-json",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "packages.lock.json"),
    extract,
};

#[derive(Deserialize)]
struct LockFile {
    #[serde(default)]
    dependencies: OrderedMap<OrderedMap<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
    #[serde(rename = "contentHash")]
    content_hash: Option<String>,
    #[serde(default)]
    dependencies: OrderedMap<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: LockFile = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let mut lines = ObjectKeyLines::new(input.text);
    let mut packages: Vec<Package> = Vec::new();
    // (lowercase name, version) -> index in `packages`
    let mut index: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut edges: Vec<(usize, String, String)> = Vec::new(); // (from, framework, dep name)
    let mut resolved_in: HashMap<(String, String), usize> = HashMap::new(); // (framework, name)
    for (framework, entries) in lock.dependencies.iter() {
        lines.next(framework);
        for (name, entry) in entries.iter() {
            let line = lines.next(name);
            let kind = entry.kind.as_deref().unwrap_or_default();
            let version = entry
                .resolved
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty());
            let key = (name.to_ascii_lowercase(), version.map(str::to_owned));
            let at = *index.entry(key).or_insert_with(|| {
                let location = Location {
                    file: input.display.into(),
                    line,
                };
                let mut pkg = Package::new(Ecosystem::NuGet, name, version, location);
                if let Some(hash) = entry
                    .content_hash
                    .as_deref()
                    .and_then(|h| Hash::from_sri(&format!("sha512-{h}")))
                {
                    pkg.hashes.push(hash);
                }
                if kind.eq_ignore_ascii_case("Project") {
                    pkg.source = Some(PackageSource::Path { path: ".".into() });
                }
                pkg.direct = Some(false);
                packages.push(pkg);
                packages.len() - 1
            });
            if kind.eq_ignore_ascii_case("Direct") || kind.eq_ignore_ascii_case("Project") {
                if let Some(p) = packages.get_mut(at) {
                    p.direct = Some(true);
                }
            }
            resolved_in.insert((framework.to_owned(), name.to_ascii_lowercase()), at);
            for (dep, _range) in entry.dependencies.iter() {
                edges.push((at, framework.to_owned(), dep.to_ascii_lowercase()));
            }
        }
    }
    for (from, framework, dep) in edges {
        let Some(purl) = resolved_in
            .get(&(framework, dep))
            .and_then(|&to| packages.get(to))
            .map(|p| p.purl.to_string())
        else {
            continue;
        };
        if let Some(p) = packages.get_mut(from) {
            if !p.dependencies.contains(&purl) {
                p.dependencies.push(purl);
            }
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
            display: "packages.lock.json",
            path: Path::new("packages.lock.json"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/packages-lock-json", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures()
                .join("lockfiles/NuGet/packages-lock-json/valid/packages.lock.json"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn graph_hashes_and_frameworks() {
        let text = r#"{
  "version": 1,
  "dependencies": {
    "net6.0": {
      "A": {
        "type": "Direct",
        "requested": "[1.0.0, )",
        "resolved": "1.0.0",
        "contentHash": "r/FRbGu/EsyaOBlXI2pG9nVaJTU=",
        "dependencies": { "B": "2.0.0" }
      },
      "B": { "type": "Transitive", "resolved": "2.0.0" },
      "Lib": { "type": "Project", "dependencies": { "A": "[1.0.0, )" } }
    },
    "net8.0": {
      "A": { "type": "Direct", "resolved": "1.0.0", "dependencies": { "B": "2.1.0" } },
      "B": { "type": "Transitive", "resolved": "2.1.0" }
    }
  }
}"#;
        let out = run(text).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.direct,
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", Some("1.0.0"), Some(true), Some(5)),
                ("B", Some("2.0.0"), Some(false), Some(12)),
                ("Lib", None, Some(true), Some(13)),
                ("B", Some("2.1.0"), Some(false), Some(17)),
            ]
        );
        assert_eq!(
            out.packages[0].dependencies,
            ["pkg:nuget/B@2.0.0", "pkg:nuget/B@2.1.0"]
        );
        assert_eq!(out.packages[0].hashes[0].alg, "sha512");
        assert_eq!(out.packages[1].introduced_by, ["pkg:nuget/A@1.0.0"]);
        assert!(matches!(
            out.packages[2].source,
            Some(PackageSource::Path { .. })
        ));
    }

    /// Issue 18: `"core": { "type": "Project" }` (a `<ProjectReference>`, as in
    /// `src/Admin/packages.lock.json` of a multi-project solution) is the repository's own
    /// project, not a NuGet package named `core`.
    #[test]
    fn project_references_are_the_projects_own() {
        let text = std::fs::read_to_string(
            testing::repo_fixtures().join("inventory/dotnet-project-refs/packages.lock.json"),
        )
        .expect("fixture");
        let out = run(&text).expect("parses");
        let own: Vec<_> = out
            .packages
            .iter()
            .filter(|p| p.is_project())
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(own, ["core", "data", "sharedweb"]);
        let third_party: Vec<_> = out
            .packages
            .iter()
            .filter(|p| !p.is_project())
            .map(|p| p.display_name())
            .collect();
        assert_eq!(
            third_party,
            [
                "AspNetCore.HealthChecks.SqlServer@8.0.2",
                "Microsoft.Data.SqlClient@5.2.2",
                "Dapper@2.1.66"
            ]
        );
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("{\n\"dependencies\": {\n\"net6.0\": {\n\"A\": { \"resolved\": 1 }\n}}}")
            .expect_err("resolved must be a string");
        assert_eq!(err.line, Some(4), "{err}");
    }
}

//! `<app>.deps.json`: the dependency manifest .NET writes next to a built application, listing
//! every library the app loads (`libraries`, keyed `Name/Version`) and, per target, what each
//! library depends on (`targets`).
//!
//! Packages and project references are reported (upstream tools report both); a project's
//! dependencies are the direct ones. `targets` give the edges, `sha512` the hashes. A library
//! key without a `/version` is skipped with a warning.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::json_order::{ObjectKeyLines, OrderedMap};
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "<app>.deps.json",
    slug: "deps-json",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Lockfile,
    matches: |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.len() > ".deps.json".len() && n.ends_with(".deps.json"))
    },
    extract,
};

#[derive(Deserialize)]
struct DepsFile {
    #[serde(default)]
    targets: OrderedMap<OrderedMap<TargetEntry>>,
    #[serde(default)]
    libraries: OrderedMap<Library>,
}

#[derive(Deserialize)]
pub(crate) struct TargetEntry {
    #[serde(default)]
    pub dependencies: OrderedMap<String>,
}

#[derive(Deserialize)]
struct Library {
    #[serde(rename = "type", default)]
    kind: String,
    sha512: Option<String>,
    path: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let file: DepsFile = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let mut out = Extracted::default();
    let mut lines = ObjectKeyLines::new(input.text);
    // Library keys also appear under `targets`; their own entries follow `"libraries"`.
    lines.next("libraries");
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut projects: Vec<usize> = Vec::new();
    for (key, lib) in file.libraries.iter() {
        let line = lines.next(key);
        let Some((name, version)) = key
            .split_once('/')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
        else {
            out.diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!("skipped library `{key}`: its key is not `name/version`"),
                )
                .in_file(input.display, line),
            );
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
            .filter(|h| h.starts_with("sha512-"))
            .and_then(Hash::from_sri)
        {
            pkg.hashes.push(hash);
        }
        if lib.kind == "project" {
            pkg.source = Some(PackageSource::Path {
                path: lib.path.clone().unwrap_or_else(|| name.to_owned()).into(),
            });
            projects.push(out.packages.len());
        } else {
            pkg.direct = Some(false);
        }
        index.insert(
            (name.to_ascii_lowercase(), version.to_owned()),
            out.packages.len(),
        );
        out.packages.push(pkg);
    }
    for (_target, entries) in file.targets.iter() {
        for (key, entry) in entries.iter() {
            let Some(&from) = key
                .split_once('/')
                .and_then(|(n, v)| index.get(&(n.to_ascii_lowercase(), v.to_owned())))
            else {
                continue;
            };
            for (dep, version) in entry.dependencies.iter() {
                let Some(&to) = index.get(&(dep.to_ascii_lowercase(), version.clone())) else {
                    continue;
                };
                let Some(purl) = out.packages.get(to).map(|p| p.purl.to_string()) else {
                    continue;
                };
                if projects.contains(&from) {
                    if let Some(p) = out.packages.get_mut(to) {
                        if p.direct.is_some() {
                            p.direct = Some(true);
                        }
                    }
                }
                if let Some(p) = out.packages.get_mut(from) {
                    if !p.dependencies.contains(&purl) {
                        p.dependencies.push(purl);
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/deps-json", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/NuGet/deps-json/valid"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn matches_deps_json_files() {
        assert!((EXTRACTOR.matches)(Path::new("bin/App.deps.json")));
        assert!(!(EXTRACTOR.matches)(Path::new(".deps.json")));
    }

    #[test]
    fn projects_give_direct_dependencies_and_edges() {
        let path = testing::repo_fixtures().join("lockfiles/NuGet/deps-json/valid");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        let app = get("TestLibrary");
        assert_eq!(app.direct, None);
        assert!(matches!(app.source, Some(PackageSource::Path { .. })));
        assert_eq!(
            app.dependencies,
            ["pkg:nuget/Microsoft.Extensions.DependencyInjection@6.0.0"]
        );
        let di = get("Microsoft.Extensions.DependencyInjection");
        assert_eq!(di.direct, Some(true));
        assert_eq!(di.location.line, Some(57));
        assert_eq!(di.hashes[0].alg, "sha512");
        assert_eq!(get("AWSSDK.Core").direct, Some(false));
        assert_eq!(get("AWSSDK.Core").location.line, Some(50));
    }

    #[test]
    fn bad_keys_warn_and_type_errors_name_the_line() {
        let path = testing::repo_fixtures().join("lockfiles/NuGet/deps-json/nopackagename");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(57));
        let err = EXTRACTOR
            .run(&Input {
                display: "a.deps.json",
                path: Path::new("a.deps.json"),
                text: "{\n\"libraries\": {\n\"A/1\": { \"type\": 3 }\n}}",
            })
            .expect_err("type must be a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

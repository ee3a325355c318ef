//! `poetry.lock` (lock versions 1.x and 2.x): every locked package with its dependency edges.
//!
//! The scope comes from the package's `groups` (lock 2.x) or `category` (1.x): only non-main
//! groups make it a development package, `optional = true` an optional one. Group names other
//! than `main` go to `groups`. The lockfile does not record which packages the project asks for,
//! so `direct` stays unknown. Hashes come from `files` (2.x) or `[metadata.files]` (1.x); git,
//! URL, file and directory sources are kept.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::python::normalize;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "poetry.lock",
    slug: "poetry-lock",
    ecosystem: Ecosystem::PyPI,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "poetry.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    files: HashMap<String, Vec<File>>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Spanned<String>,
    version: String,
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    groups: Option<Vec<String>>,
    source: Option<Source>,
    #[serde(default)]
    dependencies: toml::Table,
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    resolved_reference: Option<String>,
}

#[derive(Deserialize)]
struct File {
    hash: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let meta_files = lock.metadata.map(|m| m.files).unwrap_or_default();
    let mut packages: Vec<Package> = lock
        .package
        .iter()
        .map(|p| {
            let line = super::lines::line_of_offset(input.text, p.name.span().start);
            let location = Location {
                file: input.display.into(),
                line: Some(line),
            };
            let name = p.name.get_ref();
            let mut pkg = Package::new(Ecosystem::PyPI, name, Some(&p.version), location);
            let groups: Vec<&str> = match (&p.groups, &p.category) {
                (Some(groups), _) => groups.iter().map(String::as_str).collect(),
                (None, Some(category)) => vec![category.as_str()],
                (None, None) => Vec::new(),
            };
            let main = groups.is_empty() || groups.contains(&"main");
            pkg.scope = if p.optional {
                Scope::Optional
            } else if main {
                Scope::Runtime
            } else {
                Scope::Dev
            };
            for g in groups.iter().filter(|g| **g != "main") {
                pkg.add_group(g);
            }
            pkg.source = p.source.as_ref().and_then(source_of);
            let files = if p.files.is_empty() {
                meta_files
                    .get(name)
                    .or_else(|| meta_files.get(&normalize(name)))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            } else {
                &p.files
            };
            for file in files {
                if let Some((alg, digest)) = file.hash.as_deref().and_then(|h| h.split_once(':')) {
                    let hash = Hash::new(alg, digest);
                    if !pkg.hashes.contains(&hash) {
                        pkg.hashes.push(hash);
                    }
                }
            }
            pkg
        })
        .collect();

    // Dependencies name packages; a name locked at two versions (split by markers) links to both.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in lock.package.iter().enumerate() {
        by_name
            .entry(normalize(p.name.get_ref()))
            .or_default()
            .push(i);
    }
    for (i, p) in lock.package.iter().enumerate() {
        let mut deps = Vec::new();
        for name in p.dependencies.keys() {
            for &j in by_name.get(&normalize(name)).into_iter().flatten() {
                let purl = packages[j].purl.to_string();
                if !deps.contains(&purl) {
                    deps.push(purl);
                }
            }
        }
        packages[i].dependencies = deps.into();
    }
    Ok(packages.into())
}

/// Git checkouts keep the resolved commit; URL and local sources are kept as written. A
/// `legacy` (alternative index) source is recorded as its URL.
fn source_of(source: &Source) -> Option<PackageSource> {
    let url = source.url.clone()?;
    match source.kind.as_deref() {
        Some("git") => Some(PackageSource::Git {
            url: url.into(),
            commit: source.resolved_reference.as_deref().map(Into::into),
        }),
        Some("directory" | "file") => Some(PackageSource::Path { path: url.into() }),
        _ => Some(PackageSource::Url { url: url.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "poetry.lock",
            path: Path::new("poetry.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("PyPI/poetry-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/PyPI/poetry-lock/multiple-packages.v2.lock"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn groups_scope_edges_and_lines() {
        let path =
            testing::repo_fixtures().join("lockfiles/PyPI/poetry-lock/multiple-packages.v2.lock");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(get("async-timeout").scope, Scope::Optional);
        assert_eq!(get("faker").scope, Scope::Dev);
        assert_eq!(get("faker").groups, ["dev", "test"]);
        assert_eq!(get("six").scope, Scope::Runtime);
        assert_eq!(get("six").groups, ["dev", "test"]);
        assert_eq!(get("factory-boy").dependencies, ["pkg:pypi/faker@33.3.0"]);
        assert_eq!(get("async-timeout").location.line, Some(4));
        assert_eq!(get("six").direct, None);
    }

    #[test]
    fn v1_hashes_categories_and_sources() {
        let text = r#"
[[package]]
name = "Emoji"
version = "2.0.0"
category = "dev"
optional = false

[[package]]
name = "lib"
version = "0.1.0"
category = "main"
optional = false

[package.source]
type = "git"
url = "https://git.example/lib.git"
reference = "main"
resolved_reference = "abc123"

[metadata.files]
Emoji = [
    {file = "emoji-2.0.0.tar.gz", hash = "sha256:AA11"},
]
"#;
        let out = run(text).expect("parses");
        assert_eq!(out.packages[0].scope, Scope::Dev);
        assert_eq!(out.packages[0].hashes, [Hash::new("sha256", "aa11")]);
        assert_eq!(out.packages[0].location.line, Some(3));
        assert_eq!(
            out.packages[1].source,
            Some(PackageSource::Git {
                url: "https://git.example/lib.git".into(),
                commit: Some("abc123".into())
            })
        );
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("[[package]]\nname = \"a\"\nversion = 3\n").expect_err("bad version");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

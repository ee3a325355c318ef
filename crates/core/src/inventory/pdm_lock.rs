//! `pdm.lock`: every locked package with its groups, dependency edges, hashes and sources.
//!
//! A package in the `default` group is runtime; otherwise its groups decide (development names
//! such as `dev` or `test` make it a development package, any other group an optional one). Group
//! names other than `default` go to `groups`. Dependencies are PEP 508 strings, linked by name.
//! The lockfile does not say which packages the project asks for, so `direct` stays unknown.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::python::{normalize, parse_requirement, scope_of_group};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "pdm.lock",
    slug: "pdm-lock",
    ecosystem: Ecosystem::PyPI,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "pdm.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    files: Vec<File>,
    git: Option<String>,
    revision: Option<String>,
    url: Option<String>,
    path: Option<String>,
}

#[derive(Deserialize)]
struct File {
    hash: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let mut packages: Vec<Package> = lock
        .package
        .iter()
        .map(|p| {
            let line = super::lines::line_of_offset(input.text, p.name.span().start);
            let location = Location {
                file: input.display.into(),
                line: Some(line),
            };
            let mut pkg = Package::new(
                Ecosystem::PyPI,
                p.name.get_ref(),
                p.version.as_deref(),
                location,
            );
            let others: Vec<&String> = p.groups.iter().filter(|g| *g != "default").collect();
            pkg.scope = if p.groups.is_empty() || others.len() < p.groups.len() {
                Scope::Runtime
            } else if others.iter().any(|g| scope_of_group(g) == Scope::Optional) {
                Scope::Optional
            } else {
                Scope::Dev
            };
            for g in others {
                pkg.add_group(g);
            }
            pkg.source = source_of(p);
            for file in &p.files {
                if let Some((alg, digest)) = file.hash.as_deref().and_then(|h| h.split_once(':')) {
                    pkg.hashes.push(Hash::new(alg, digest));
                }
            }
            pkg
        })
        .collect();

    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in lock.package.iter().enumerate() {
        by_name
            .entry(normalize(p.name.get_ref()))
            .or_default()
            .push(i);
    }
    for (i, p) in lock.package.iter().enumerate() {
        let mut deps = Vec::new();
        for requirement in &p.dependencies {
            let Ok(req) = parse_requirement(requirement) else {
                continue;
            };
            for &j in by_name.get(&normalize(req.name)).into_iter().flatten() {
                let purl = packages[j].purl.to_string();
                if j != i && !deps.contains(&purl) {
                    deps.push(purl);
                }
            }
        }
        packages[i].dependencies = deps.into();
    }
    Ok(packages.into())
}

fn source_of(p: &LockedPackage) -> Option<PackageSource> {
    if let Some(url) = &p.git {
        return Some(PackageSource::Git {
            url: url.clone().into(),
            commit: p.revision.as_deref().map(Into::into),
        });
    }
    if let Some(url) = &p.url {
        return Some(PackageSource::Url {
            url: url.clone().into(),
        });
    }
    p.path.as_ref().map(|path| PackageSource::Path {
        path: path.clone().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("PyPI/pdm-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/PyPI/pdm-lock/dev-dependency.toml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn groups_scope_edges_and_lines() {
        let dir = testing::repo_fixtures().join("lockfiles/PyPI/pdm-lock");
        let out = testing::run_file(&EXTRACTOR, &dir.join("dev-dependency.toml")).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(get("pyroute2").scope, Scope::Dev);
        assert_eq!(get("pyroute2").groups, ["dev"]);
        assert_eq!(get("pyroute2").location.line, Some(11));
        assert_eq!(
            get("pyroute2").dependencies,
            ["pkg:pypi/win-inet-pton@1.1.0"]
        );
        assert_eq!(get("toml").scope, Scope::Runtime);
        assert!(get("toml").groups.is_empty());
        assert_eq!(get("toml").hashes.len(), 2);

        let out =
            testing::run_file(&EXTRACTOR, &dir.join("optional-dependency.toml")).expect("parses");
        let pyroute2 = out
            .packages
            .iter()
            .find(|p| p.name == "pyroute2")
            .expect("present");
        assert_eq!(
            (pyroute2.scope, pyroute2.groups.as_slice()),
            (Scope::Optional, &["tmp".to_owned()][..])
        );

        let out = testing::run_file(&EXTRACTOR, &dir.join("git-dependency.toml")).expect("parses");
        assert_eq!(
            out.packages[0].source,
            Some(PackageSource::Git {
                url: "https://github.com/uiri/toml.git".into(),
                commit: Some("65bab7582ce14c55cdeec2244c65ea23039c9e6f".into())
            })
        );
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = EXTRACTOR
            .run(&Input {
                display: "pdm.lock",
                path: Path::new("pdm.lock"),
                text: "[[package]]\nname = \"a\"\ngroups = \"default\"\n",
            })
            .expect_err("groups must be a list");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

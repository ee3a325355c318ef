//! Gleam `manifest.toml`: the Hex packages a Gleam project resolved.
//!
//! Each entry of the `packages` array is a package with its exact version; its `requirements`
//! that are locked in the same file are its dependencies, and the names in the `[requirements]`
//! table are the direct ones. A `hex` package records its `outer_checksum` (SHA-256), a `git`
//! package its `repo` and `commit`, a `local` package its `path`.
//!
//! Upstream's fixtures for this format are `gleam.toml` project files (`[dependencies]` and
//! `[dev-dependencies]` tables of requirements), so a file without a `packages` array is read
//! that way: every dependency is direct, with its requirement (and a version only when the
//! requirement is one exact version), dev dependencies in group `dev`, git dependencies with
//! their `ref` as the commit. Local path dependencies of such a file are first-party code and
//! are not reported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::lines::line_of_offset;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "manifest.toml",
    slug: "gleam-manifest-toml",
    ecosystem: Ecosystem::Hex,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "manifest.toml"),
    extract,
};

#[derive(Deserialize)]
struct Manifest {
    packages: Option<Vec<Locked>>,
    #[serde(default)]
    requirements: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: BTreeMap<Spanned<String>, Spanned<Requirement>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<Spanned<String>, Spanned<Requirement>>,
}

#[derive(Deserialize)]
struct Locked {
    name: Spanned<String>,
    version: String,
    #[serde(default)]
    requirements: Vec<String>,
    source: Option<String>,
    outer_checksum: Option<String>,
    repo: Option<String>,
    commit: Option<String>,
    path: Option<String>,
}

/// A declared dependency: a requirement string or a table.
#[derive(Deserialize)]
#[serde(untagged)]
enum Requirement {
    Range(String),
    Table {
        version: Option<String>,
        git: Option<String>,
        #[serde(rename = "ref")]
        reference: Option<String>,
        path: Option<String>,
    },
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let manifest: Manifest =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let location = |offset: usize| Location {
        file: input.display.into(),
        line: Some(line_of_offset(input.text, offset)),
    };
    let Some(locked) = manifest.packages else {
        return Ok(declared(manifest.dependencies, manifest.dev_dependencies, &location).into());
    };
    let direct: HashSet<&str> = manifest.requirements.keys().map(String::as_str).collect();
    let mut packages: Vec<Package> = locked
        .iter()
        .map(|p| {
            let mut pkg = Package::new(
                Ecosystem::Hex,
                p.name.get_ref(),
                Some(&p.version),
                location(p.name.span().start),
            );
            if !manifest.requirements.is_empty() {
                pkg.direct = Some(direct.contains(p.name.get_ref().as_str()));
            }
            match p.source.as_deref() {
                Some("git") => {
                    if let Some(repo) = &p.repo {
                        pkg.source = Some(PackageSource::Git {
                            url: repo.clone().into(),
                            commit: p.commit.as_deref().map(Into::into),
                        });
                    }
                }
                Some("local") => {
                    if let Some(path) = &p.path {
                        pkg.source = Some(PackageSource::Path {
                            path: path.clone().into(),
                        });
                    }
                }
                _ => {
                    if let Some(sum) = p.outer_checksum.as_deref().filter(|s| !s.is_empty()) {
                        pkg.hashes.push(Hash::new("sha256", sum));
                    }
                }
            }
            pkg
        })
        .collect();
    let by_name: HashMap<&str, String> = locked
        .iter()
        .zip(&packages)
        .map(|(l, p)| (l.name.get_ref().as_str(), p.purl.to_string()))
        .collect();
    let deps: Vec<Vec<String>> = locked
        .iter()
        .map(|l| {
            l.requirements
                .iter()
                .filter_map(|r| by_name.get(r.as_str()).cloned())
                .collect()
        })
        .collect();
    for (pkg, deps) in packages.iter_mut().zip(deps) {
        pkg.dependencies = deps.into();
    }
    Ok(packages.into())
}

/// The dependencies a `gleam.toml`-shaped file declares, in file order.
fn declared(
    deps: BTreeMap<Spanned<String>, Spanned<Requirement>>,
    dev: BTreeMap<Spanned<String>, Spanned<Requirement>>,
    location: &dyn Fn(usize) -> Location,
) -> Vec<Package> {
    let mut entries: Vec<_> = deps
        .into_iter()
        .map(|(k, v)| (k, v, false))
        .chain(dev.into_iter().map(|(k, v)| (k, v, true)))
        .collect();
    entries.sort_by_key(|(k, _, _)| k.span().start);
    let mut packages = Vec::new();
    for (name, req, is_dev) in entries {
        let loc = location(name.span().start);
        let mut pkg = match req.into_inner() {
            Requirement::Range(range) => {
                Package::new(Ecosystem::Hex, name.get_ref(), exact_version(&range), loc)
                    .with_requirement(range)
            }
            Requirement::Table { path: Some(_), .. } => continue,
            Requirement::Table {
                git: Some(url),
                reference,
                ..
            } => Package::new(Ecosystem::Hex, name.get_ref(), None, loc).with_source(
                PackageSource::Git {
                    url: url.into(),
                    commit: reference.map(Into::into),
                },
            ),
            Requirement::Table {
                version: Some(range),
                ..
            } => Package::new(Ecosystem::Hex, name.get_ref(), exact_version(&range), loc)
                .with_requirement(range),
            Requirement::Table { .. } => continue,
        };
        pkg.direct = Some(true);
        if is_dev {
            pkg = pkg.with_scope(Scope::Dev).with_group("dev");
        }
        packages.push(pkg);
    }
    packages
}

/// The version a requirement pins exactly (`1.2.3` or `== 1.2.3`), if it pins one.
fn exact_version(requirement: &str) -> Option<&str> {
    let v = requirement.trim();
    let v = v.strip_prefix("==").map_or(v, str::trim);
    let core = v.split(['-', '+']).next().unwrap_or(v);
    let parts: Vec<&str> = core.split('.').collect();
    let exact = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    exact.then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "manifest.toml",
            path: Path::new("manifest.toml"),
            text,
        })
    }

    /// Upstream reports a declared requirement in the version field; this view of the
    /// extractor does the same, so that the fixtures compare like with like while the real
    /// extractor keeps ranges out of `version`.
    fn extract_as_upstream(input: &Input<'_>) -> Result<Extracted, ParseError> {
        let mut out = extract(input)?;
        for p in &mut out.packages {
            if p.version.is_none() {
                p.version = p.requirement.clone();
            }
        }
        Ok(out)
    }

    #[test]
    fn matches_upstream_fixtures() {
        let upstream_view = Extractor {
            extract: extract_as_upstream,
            ..EXTRACTOR
        };
        testing::check_fixture_dir("Hex/gleam-manifest-toml", &upstream_view, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        testing::check_hostile(&EXTRACTOR, LOCKED);
        let sample = std::fs::read_to_string(
            testing::repo_fixtures()
                .join("lockfiles/Hex/gleam-manifest-toml/git-and-local-deps.toml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    const LOCKED: &str = r#"# This file was generated by Gleam

packages = [
  { name = "gleam_stdlib", version = "0.34.0", build_tools = ["gleam"], requirements = [], otp_app = "gleam_stdlib", source = "hex", outer_checksum = "1FB8454D2991E9B4C0C804544D8A9AD0F6184725E20D63C3155F0AEB4230B016" },
  { name = "gleeunit", version = "1.0.2", build_tools = ["gleam"], requirements = ["gleam_stdlib"], otp_app = "gleeunit", source = "hex", outer_checksum = "D364C87AFEB26BDB4FB8A5ABDE67D635DC9FA52D6AB68416044C35B096C6882D" },
  { name = "forked", version = "1.0.0", build_tools = ["gleam"], requirements = [], source = "git", repo = "https://git.example/forked", commit = "a8b3c5d82" },
  { name = "mine", version = "0.1.0", build_tools = ["gleam"], requirements = ["gleam_stdlib"], source = "local", path = "../mine" },
]

[requirements]
gleeunit = { version = ">= 1.0.0 and < 2.0.0" }
forked = { git = "https://git.example/forked", ref = "main" }
mine = { path = "../mine" }
"#;

    #[test]
    fn lockfile_shape_has_versions_graph_and_sources() {
        let out = run(LOCKED).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        let stdlib = get("gleam_stdlib");
        assert_eq!(stdlib.version.as_deref(), Some("0.34.0"));
        assert_eq!(stdlib.location.line, Some(4));
        assert_eq!(stdlib.direct, Some(false));
        assert_eq!(
            stdlib.hashes[0].value,
            "1fb8454d2991e9b4c0c804544d8a9ad0f6184725e20d63c3155f0aeb4230b016"
        );
        assert_eq!(stdlib.introduced_by, [get("gleeunit").purl.clone()]);
        assert_eq!(get("gleeunit").direct, Some(true));
        assert_eq!(
            get("forked").source,
            Some(PackageSource::Git {
                url: "https://git.example/forked".into(),
                commit: Some("a8b3c5d82".into())
            })
        );
        assert_eq!(
            get("mine").source,
            Some(PackageSource::Path {
                path: "../mine".into()
            })
        );
    }

    #[test]
    fn project_shape_keeps_ranges_as_requirements() {
        let text = "name = \"app\"\n\n[dependencies]\ngleam_stdlib = \">= 0.34.0 and < 2.0.0\"\npinned = \"1.2.3\"\nlocal = { path = \"../local\" }\n\n[dev-dependencies]\ngleeunit = \">= 1.0.0 and < 2.0.0\"\n";
        let out = run(text).expect("parses");
        let [stdlib, pinned, gleeunit] = out.packages.as_slice() else {
            panic!("{:?}", out.packages)
        };
        assert_eq!(stdlib.version, None);
        assert_eq!(stdlib.requirement.as_deref(), Some(">= 0.34.0 and < 2.0.0"));
        assert_eq!((stdlib.direct, stdlib.location.line), (Some(true), Some(4)));
        assert_eq!(pinned.version.as_deref(), Some("1.2.3"));
        assert_eq!(
            (gleeunit.scope, gleeunit.location.line),
            (Scope::Dev, Some(9))
        );
        assert_eq!(gleeunit.groups, ["dev"]);
    }

    #[test]
    fn type_errors_name_the_line() {
        let err =
            run("packages = [\n  { name = \"a\", version = 3 },\n]\n").expect_err("bad version");
        assert_eq!(err.line, Some(2), "{err}");
    }
}

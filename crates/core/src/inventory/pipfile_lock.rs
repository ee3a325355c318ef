//! `Pipfile.lock` (pipenv): the `default` and `develop` sections, each a map from package name
//! to its pinned `==` version, hashes and source.
//!
//! A package locked at the same version in both sections is reported once, as runtime; one only
//! in `develop` is a development package (group `develop`). Git entries carry their `ref` as the
//! commit and local `path`/`file` entries their path; they have no version. The project itself
//! (an editable `path = "."`) is not reported. The file has no graph.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Pipfile.lock",
    slug: "pipfile-lock",
    ecosystem: Ecosystem::PyPI,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "Pipfile.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    default: BTreeMap<String, Entry>,
    #[serde(default)]
    develop: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    #[serde(default)]
    hashes: Vec<String>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    file: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    if input.text.trim().is_empty() {
        return Ok(Extracted::default());
    }
    let lock: Lockfile = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let mut packages: Vec<Package> = Vec::new();
    for (section, entries, scope) in [
        ("default", &lock.default, Scope::Runtime),
        ("develop", &lock.develop, Scope::Dev),
    ] {
        let section_at = input.text.find(&format!("\"{section}\"")).unwrap_or(0);
        for (name, entry) in entries {
            let version = entry
                .version
                .as_deref()
                .map(|v| v.trim_start_matches('=').trim());
            let source = source_of(entry);
            if version.is_none() && source.is_none() {
                continue;
            }
            if matches!(&source, Some(PackageSource::Path { path }) if path == ".") {
                continue;
            }
            if scope == Scope::Dev
                && packages
                    .iter()
                    .any(|p| p.name == *name && p.version.as_deref() == version)
            {
                continue;
            }
            let line = find_key(input.text, section_at, name);
            let location = Location {
                file: input.display.into(),
                line,
            };
            let mut pkg = Package::new(Ecosystem::PyPI, name, version, location).with_scope(scope);
            if scope == Scope::Dev {
                pkg.add_group(section);
            }
            pkg.source = source;
            for h in &entry.hashes {
                if let Some((alg, digest)) = h.split_once(':') {
                    pkg.hashes.push(Hash::new(alg, digest));
                }
            }
            packages.push(pkg);
        }
    }
    Ok(packages.into())
}

fn source_of(entry: &Entry) -> Option<PackageSource> {
    if let Some(url) = &entry.git {
        return Some(PackageSource::Git {
            url: url.strip_prefix("git+").unwrap_or(url).to_owned().into(),
            commit: entry.reference.as_deref().map(Into::into),
        });
    }
    if let Some(file) = &entry.file {
        return Some(if file.contains("://") {
            PackageSource::Url {
                url: file.clone().into(),
            }
        } else {
            PackageSource::Path {
                path: file.clone().into(),
            }
        });
    }
    entry.path.as_ref().map(|path| PackageSource::Path {
        path: path.clone().into(),
    })
}

/// The line of `"name":` after the section's key (serde_json keeps no positions).
fn find_key(text: &str, from: usize, name: &str) -> Option<u32> {
    let needle = serde_json::to_string(name).ok()?;
    let rest = text.get(from..)?;
    let at = rest.find(&needle)?;
    Some(super::lines::line_of_offset(text, from + at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir(
            "PyPI/pipfile-lock",
            &EXTRACTOR,
            &[(
                "no-version.json",
                "upstream drops git entries, which have no version; we report them with their \
                 git source and commit (see `git_entries_keep_their_ref`)",
            )],
        );
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/PyPI/pipfile-lock/multiple-packages.json"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn git_entries_keep_their_ref() {
        let path = testing::repo_fixtures().join("lockfiles/PyPI/pipfile-lock/no-version.json");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        assert_eq!(out.packages.len(), 2);
        let m = &out.packages[0];
        assert_eq!(m.name, "markupsafe");
        assert_eq!(m.version, None);
        assert_eq!(m.location.line, Some(19));
        assert_eq!(
            m.source,
            Some(PackageSource::Git {
                url: "https://github.com/pallets/markupsafe".into(),
                commit: Some("b36054111bc1e8bbadb5d0d60158feb72926f467".into())
            })
        );
        assert_eq!(out.packages[1].scope, Scope::Dev);
        assert_eq!(out.packages[1].location.line, Some(26));
    }

    #[test]
    fn sections_give_scope_and_merge() {
        let path =
            testing::repo_fixtures().join("lockfiles/PyPI/pipfile-lock/multiple-packages.json");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let all = |n: &str| -> Vec<(Option<&str>, Scope)> {
            out.packages
                .iter()
                .filter(|p| p.name == n)
                .map(|p| (p.version.as_deref(), p.scope))
                .collect()
        };
        assert_eq!(all("itsdangerous"), [(Some("2.1.2"), Scope::Runtime)]);
        assert_eq!(
            all("pluggy"),
            [(Some("1.0.1"), Scope::Runtime), (Some("1.0.0"), Scope::Dev)]
        );
        let itsdangerous = out.packages.iter().find(|p| p.name == "itsdangerous");
        assert_eq!(itsdangerous.and_then(|p| p.location.line), Some(19));
        assert_eq!(itsdangerous.map(|p| p.hashes.len()), Some(2));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = EXTRACTOR
            .run(&Input {
                display: "Pipfile.lock",
                path: Path::new("Pipfile.lock"),
                text: "{\n\"default\": {\n\"a\": {\"version\": 3}\n}}",
            })
            .expect_err("version must be a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

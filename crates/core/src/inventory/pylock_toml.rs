//! `pylock.toml` (PEP 751): the standard Python lockfile, written by pip, uv and PDM.
//!
//! Every `[[packages]]` entry with a version is reported, with the hashes of its sdist, wheels or
//! archive, its VCS commit (`vcs.commit-id`) or archive/directory source, and its dependency
//! edges where the file lists them. Local directory entries without a version are the project
//! itself and are not reported. The format does not mark direct dependencies.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::python::normalize;
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "pylock.toml",
    slug: "pylock-toml",
    ecosystem: Ecosystem::PyPI,
    kind: Kind::Lockfile,
    matches,
    extract,
};

/// `pylock.toml` or a named lock `pylock.<name>.toml`.
fn matches(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("pylock.") && n.ends_with(".toml"))
}

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    packages: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    dependencies: Vec<Reference>,
    vcs: Option<Vcs>,
    directory: Option<Directory>,
    archive: Option<Dist>,
    sdist: Option<Dist>,
    #[serde(default)]
    wheels: Vec<Dist>,
}

#[derive(Deserialize)]
struct Reference {
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Vcs {
    url: Option<String>,
    path: Option<String>,
    commit_id: Option<String>,
}

#[derive(Deserialize)]
struct Directory {
    path: String,
}

#[derive(Deserialize)]
struct Dist {
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let kept: Vec<&LockedPackage> = lock
        .packages
        .iter()
        .filter(|p| p.version.is_some() || p.directory.is_none())
        .collect();
    let mut packages: Vec<Package> = kept
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
            pkg.source = source_of(p);
            for dist in p.archive.iter().chain(&p.sdist).chain(&p.wheels) {
                for (alg, digest) in &dist.hashes {
                    let hash = Hash::new(alg, digest);
                    if !pkg.hashes.contains(&hash) {
                        pkg.hashes.push(hash);
                    }
                }
            }
            pkg
        })
        .collect();

    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in kept.iter().enumerate() {
        by_name
            .entry(normalize(p.name.get_ref()))
            .or_default()
            .push(i);
    }
    for (i, p) in kept.iter().enumerate() {
        let mut deps = Vec::new();
        for r in &p.dependencies {
            let Some(name) = &r.name else { continue };
            for &j in by_name.get(&normalize(name)).into_iter().flatten() {
                let matches_version =
                    r.version.is_none() || kept[j].version.as_ref() == r.version.as_ref();
                let purl = packages[j].purl.to_string();
                if matches_version && !deps.contains(&purl) {
                    deps.push(purl);
                }
            }
        }
        packages[i].dependencies = deps.into();
    }
    Ok(packages.into())
}

fn source_of(p: &LockedPackage) -> Option<PackageSource> {
    if let Some(vcs) = &p.vcs {
        if let Some(url) = vcs.url.as_ref().or(vcs.path.as_ref()) {
            return Some(PackageSource::Git {
                url: url.clone().into(),
                commit: vcs.commit_id.as_deref().map(Into::into),
            });
        }
    }
    if let Some(dir) = &p.directory {
        return Some(PackageSource::Path {
            path: dir.path.clone().into(),
        });
    }
    let archive = p.archive.as_ref()?;
    match (&archive.url, &archive.path) {
        (Some(url), _) => Some(PackageSource::Url {
            url: url.clone().into(),
        }),
        (None, Some(path)) => Some(PackageSource::Path {
            path: path.clone().into(),
        }),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "pylock.toml",
            path: Path::new("pylock.toml"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("PyPI/pylock-toml", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/PyPI/pylock-toml/pdm-full.toml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn commits_hashes_lines_and_edges() {
        let path = testing::repo_fixtures().join("lockfiles/PyPI/pylock-toml/commits.toml");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(
            get("mleroc").source,
            Some(PackageSource::Git {
                url: "https://github.com/Veggente/mleroc.git".into(),
                commit: Some("735093f03c4d8be70bfaaae44074ac92d7419b6d".into())
            })
        );
        assert_eq!(get("click").location.line, Some(8));
        assert_eq!(
            get("click").hashes[0],
            Hash::new(
                "sha256",
                "27c491cc05d968d271d5a1db13e3b5a184636d9d930f148c50b038f0d0646202"
            )
        );
        assert!(out.packages.iter().all(|p| p.name != "net-inf-eval"));

        let out = run(
            "lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\n\
             dependencies = [{ name = \"B\" }]\n[[packages]]\nname = \"b\"\nversion = \"2\"\n\
             archive = { url = \"https://files.example/b-2.tar.gz\", hashes = { sha256 = \"ff\" } }\n",
        )
        .expect("parses");
        assert_eq!(out.packages[0].dependencies, ["pkg:pypi/b@2"]);
        assert_eq!(out.packages[1].location.line, Some(7));
        assert_eq!(
            out.packages[1].source,
            Some(PackageSource::Url {
                url: "https://files.example/b-2.tar.gz".into()
            })
        );
    }

    #[test]
    fn names_files_by_pattern() {
        assert!(matches(Path::new("a/pylock.toml")));
        assert!(matches(Path::new("pylock.dev.toml")));
        assert!(!matches(Path::new("pyproject.toml")));
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("[[packages]]\nname = \"a\"\nversion = 3\n").expect_err("bad version");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

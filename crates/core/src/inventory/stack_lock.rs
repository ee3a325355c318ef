//! `stack.yaml.lock`: the lockfile Stack writes for the extra dependencies of a Haskell project.
//!
//! Each `packages[].completed` entry pins one package: from Hackage as
//! `hackage: name-1.2.3@sha256:<cabal file digest>,<size>`, or from a git repository or an
//! archive URL with `name` and `version` fields beside `git`/`commit` or `url`. Git and URL
//! entries are reported with their source. The `snapshots` section (the resolver) names a package
//! set, not packages, and is not reported. The digests pin a cabal file revision and a source
//! tree, not a downloadable artifact, so they are not reported as package hashes. The file
//! records no dependency graph.

use std::path::Path;

use serde::Deserialize;

use super::lines::LineFinder;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "stack.yaml.lock",
    slug: "stack-yaml-lock",
    ecosystem: Ecosystem::Hackage,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "stack.yaml.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    packages: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    completed: Option<Completed>,
}

#[derive(Deserialize)]
struct Completed {
    hackage: Option<String>,
    name: Option<String>,
    version: Option<String>,
    git: Option<String>,
    hg: Option<String>,
    commit: Option<String>,
    url: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Option<Lockfile> =
        serde_yaml_ng::from_str(input.text).map_err(|e| ParseError::yaml(&e))?;
    let mut finder = LineFinder::new(input.text);
    let mut out = Extracted::default();
    for entry in lock.and_then(|l| l.packages).into_iter().flatten() {
        let Some(c) = entry.completed else {
            continue;
        };
        let anchor = c
            .hackage
            .as_deref()
            .or(c.commit.as_deref())
            .or(c.url.as_deref())
            .or(c.name.as_deref())
            .unwrap_or_default();
        let line = finder.next(anchor);
        let location = Location {
            file: input.display.into(),
            line,
        };
        let pkg = if let Some(hackage) = &c.hackage {
            let id = hackage.split('@').next().unwrap_or(hackage).trim();
            match split_name_version(id) {
                Some((name, version)) => {
                    Package::new(Ecosystem::Hackage, name, Some(version), location)
                }
                None => {
                    out.diagnostics.push(
                        Diagnostic::warning(
                            Code::ParseError,
                            format!("skipped `{hackage}`: not of the form `name-version`"),
                        )
                        .in_file(input.display, line),
                    );
                    continue;
                }
            }
        } else if let Some(name) = &c.name {
            let mut pkg = Package::new(Ecosystem::Hackage, name, c.version.as_deref(), location);
            pkg.source = match (&c.git, &c.hg, &c.url) {
                (Some(repo), _, _) | (None, Some(repo), _) => Some(PackageSource::Git {
                    url: repo.clone().into(),
                    commit: c.commit.as_deref().map(Into::into),
                }),
                (None, None, Some(url)) => Some(PackageSource::Url {
                    url: url.clone().into(),
                }),
                (None, None, None) => None,
            };
            pkg
        } else {
            continue;
        };
        out.packages.push(pkg);
    }
    Ok(out)
}

/// `postgresql-libpq-0.10.1.0` → (`postgresql-libpq`, `0.10.1.0`): the version is the last
/// hyphen-separated part (package name parts always contain a letter).
fn split_name_version(id: &str) -> Option<(&str, &str)> {
    let (name, version) = id.rsplit_once('-')?;
    let is_version = !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    (is_version && !name.is_empty()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "stack.yaml.lock",
            path: Path::new("stack.yaml.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Hackage/stack-yaml-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Hackage/stack-yaml-lock/valid"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn hackage_git_and_url_entries() {
        let text = "\
packages:
- completed:
    hackage: hasql-pool-1.0.1@sha256:3cfb,2302
    pantry-tree:
      sha256: d98e
      size: 799
  original:
    hackage: hasql-pool-1.0.1
- completed:
    name: servant
    version: 0.20.1
    git: https://git.example/servant.git
    commit: 0123abcd
    subdir: servant
  original:
    git: https://git.example/servant.git
    commit: 0123abcd
- completed:
    name: tarred
    version: '1.0'
    url: https://files.example/tarred-1.0.tar.gz
    sha256: ffff
snapshots:
- completed:
    url: https://snapshots.example/lts/22/41.yaml
  original: lts-22.41
";
        let out = run(text).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.location.line))
            .collect();
        assert_eq!(
            got,
            [
                ("hasql-pool", Some("1.0.1"), Some(3)),
                ("servant", Some("0.20.1"), Some(13)),
                ("tarred", Some("1.0"), Some(21)),
            ]
        );
        assert_eq!(
            out.packages[1].source,
            Some(PackageSource::Git {
                url: "https://git.example/servant.git".into(),
                commit: Some("0123abcd".into())
            })
        );
        assert_eq!(
            out.packages[2].source,
            Some(PackageSource::Url {
                url: "https://files.example/tarred-1.0.tar.gz".into()
            })
        );
    }

    #[test]
    fn names_split_at_the_last_hyphen() {
        assert_eq!(
            split_name_version("postgresql-libpq-0.10.1.0"),
            Some(("postgresql-libpq", "0.10.1.0"))
        );
        assert_eq!(split_name_version("base64"), None);
        assert_eq!(split_name_version("foo-bar"), None);
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("packages:\n- completed:\n    hackage: [1, 2]\n").expect_err("bad");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

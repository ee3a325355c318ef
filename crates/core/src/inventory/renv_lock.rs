//! `renv.lock`: the lockfile of R's renv, a JSON document whose `Packages` map pins every
//! package of the project library.
//!
//! Packages installed from a package repository (`"Source": "Repository"`, or a `Repository`
//! field) are reported as CRAN packages; a repository other than CRAN that `R.Repositories` names
//! with a URL becomes a URL source. Packages installed from GitHub, GitLab, Bitbucket or a git
//! remote are reported with a git source (the commit is `RemoteSha`), local installs with a path
//! source. Packages from anywhere else (Bioconductor, unknown origin) are skipped with a warning,
//! as upstream tools skip them. `Requirements` become dependency edges where the required package
//! is in the file (base packages such as `tools` are not). The file does not mark direct
//! dependencies. Its `Hash` is a digest of package metadata, not of an artifact, so it is not
//! reported as a package hash.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::lines::line_of_offset;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, PackageSource, SharedStr};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "renv.lock",
    slug: "renv-lock",
    ecosystem: Ecosystem::Cran,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "renv.lock"),
    extract,
};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Lockfile {
    #[serde(rename = "R")]
    r: Option<RSection>,
    #[serde(default)]
    packages: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RSection {
    #[serde(default)]
    repositories: Vec<Repository>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Repository {
    name: Option<String>,
    #[serde(rename = "URL")]
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Entry {
    package: Option<String>,
    version: Option<String>,
    source: Option<String>,
    repository: Option<String>,
    remote_host: Option<String>,
    remote_username: Option<String>,
    remote_repo: Option<String>,
    remote_url: Option<String>,
    remote_sha: Option<String>,
    #[serde(default)]
    requirements: Vec<String>,
}

/// Where an entry came from, as far as trusca reports it.
enum Origin {
    Registry(Option<PackageSource>),
    Other(PackageSource),
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let repositories: HashMap<&str, &str> = lock
        .r
        .iter()
        .flat_map(|r| &r.repositories)
        .filter_map(|r| Some((r.name.as_deref()?, r.url.as_deref()?)))
        .collect();
    let packages_at = key_offset(input.text, "Packages", 0).unwrap_or(0);

    let mut out = Extracted::default();
    let mut requirements = Vec::new();
    for (key, entry) in &lock.packages {
        let name = entry.package.as_deref().unwrap_or(key);
        let line =
            key_offset(input.text, key, packages_at).map(|at| line_of_offset(input.text, at));
        let origin = match origin(entry, &repositories) {
            Ok(origin) => origin,
            Err(why) => {
                out.diagnostics.push(
                    Diagnostic::warning(
                        Code::Unsupported,
                        format!("skipped `{name}`: {why}, not a CRAN package"),
                    )
                    .in_file(input.display, line),
                );
                continue;
            }
        };
        let location = Location {
            file: input.display.into(),
            line,
        };
        let mut pkg = Package::new(Ecosystem::Cran, name, entry.version.as_deref(), location);
        pkg.source = match origin {
            Origin::Registry(source) => source,
            Origin::Other(source) => Some(source),
        };
        requirements.push(&entry.requirements);
        out.packages.push(pkg);
    }

    let purls: HashMap<SharedStr, String> = out
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.purl.to_string()))
        .collect();
    for (pkg, reqs) in out.packages.iter_mut().zip(requirements) {
        pkg.dependencies = reqs
            .iter()
            .filter_map(|r| purls.get(r.as_str()).cloned())
            .collect();
    }
    Ok(out)
}

/// Classifies an entry by its `Source`, or says why it is not reported.
fn origin(entry: &Entry, repositories: &HashMap<&str, &str>) -> Result<Origin, String> {
    let source = entry.source.as_deref().unwrap_or_default();
    match source.to_ascii_lowercase().as_str() {
        "repository" | "" if entry.repository.is_some() => {
            let repo = entry.repository.as_deref().unwrap_or_default();
            let url = (repo != "CRAN")
                .then(|| repositories.get(repo))
                .flatten()
                .map(|url| PackageSource::Url {
                    url: (*url).to_owned().into(),
                });
            Ok(Origin::Registry(url))
        }
        "repository" => Ok(Origin::Registry(None)),
        "github" | "gitlab" | "bitbucket" | "git" => {
            let url = match (
                &entry.remote_url,
                &entry.remote_username,
                &entry.remote_repo,
            ) {
                (Some(url), _, _) => url.clone(),
                (None, Some(user), Some(repo)) => {
                    let host = match (source, entry.remote_host.as_deref()) {
                        (_, Some("api.github.com")) | ("GitHub", None) => "github.com",
                        (_, Some(host)) => host,
                        ("GitLab", None) => "gitlab.com",
                        (_, None) => "bitbucket.org",
                    };
                    format!("https://{host}/{user}/{repo}")
                }
                _ => return Err(format!("installed from {source} without a repository")),
            };
            Ok(Origin::Other(PackageSource::Git {
                url: url.into(),
                commit: entry.remote_sha.as_deref().map(Into::into),
            }))
        }
        "local" => Ok(Origin::Other(PackageSource::Path {
            path: entry.remote_url.clone().unwrap_or_default().into(),
        })),
        "" => Err("no source or repository recorded".to_owned()),
        _ => Err(format!("installed from `{source}`")),
    }
}

/// The byte offset of the first JSON object key `"key":` at or after `from`.
fn key_offset(text: &str, key: &str, from: usize) -> Option<usize> {
    let needle = format!("\"{key}\"");
    let mut at = from;
    while let Some(i) = text.get(at..).and_then(|rest| rest.find(&needle)) {
        let start = at + i;
        let after = start + needle.len();
        if text.get(after..)?.trim_start().starts_with(':') {
            return Some(start);
        }
        at = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "renv.lock",
            path: Path::new("renv.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir(
            "CRAN/renv-lock",
            &EXTRACTOR,
            &[(
                "with-mixed-sources.lock",
                "a package installed from GitHub is reported with its git source instead of \
                 being dropped: it is part of the project and belongs in the inventory",
            )],
        );
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/CRAN/renv-lock/with-mixed-sources.lock"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    const MIXED: &str = r#"{
  "R": {
    "Version": "4.3.1",
    "Repositories": [
      {"Name": "CRAN", "URL": "https://cran.example"},
      {"Name": "Internal", "URL": "https://r.internal.example"}
    ]
  },
  "Packages": {
    "markdown": {
      "Package": "markdown",
      "Version": "1.0",
      "Source": "Repository",
      "Repository": "CRAN",
      "Requirements": ["mime", "tools"]
    },
    "mime": {
      "Package": "mime",
      "Version": "0.12.1",
      "Source": "GitHub",
      "RemoteType": "github",
      "RemoteHost": "api.github.com",
      "RemoteUsername": "yihui",
      "RemoteRepo": "mime",
      "RemoteSha": "1763e0dc"
    },
    "ours": {
      "Package": "ours",
      "Version": "2.0",
      "Source": "Repository",
      "Repository": "Internal"
    },
    "Biobase": {
      "Package": "Biobase",
      "Version": "2.60.0",
      "Source": "Bioconductor"
    }
  }
}"#;

    #[test]
    fn sources_edges_and_lines() {
        let out = run(MIXED).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(out.packages.len(), 3);
        assert_eq!(get("markdown").source, None);
        assert_eq!(get("markdown").dependencies, ["pkg:cran/mime@0.12.1"]);
        assert_eq!(get("markdown").location.line, Some(10));
        assert_eq!(get("mime").location.line, Some(17));
        assert_eq!(
            get("mime").source,
            Some(PackageSource::Git {
                url: "https://github.com/yihui/mime".into(),
                commit: Some("1763e0dc".into())
            })
        );
        assert_eq!(
            get("ours").source,
            Some(PackageSource::Url {
                url: "https://r.internal.example".into()
            })
        );
        assert_eq!(get("markdown").direct, None);
    }

    #[test]
    fn other_origins_are_skipped_with_a_warning() {
        let out = run(MIXED).expect("parses");
        assert!(out.packages.iter().all(|p| p.name != "Biobase"));
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(33));
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("{\n \"Packages\": {\n  \"a\": {\"Version\": 1}\n }\n}").expect_err("bad");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

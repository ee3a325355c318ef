//! `paket.dependencies`: Paket's manifest for .NET, the declared NuGet packages (`nuget Name
//! [constraint]`) and remote files (`github owner/repo[:ref]`, `git URL [ref]`), in groups.
//!
//! Every entry is a direct dependency. As upstream tools do, the version of a `nuget` line is
//! the version in its constraint (`~> 2.6.3` gives `2.6.3`), the whole constraint being the
//! requirement; a `github` reference is the version unless it is a commit, which goes to the
//! git source. Groups are handled as in `paket.lock`.

use std::path::Path;

use super::paket_lock::apply_group;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "paket.dependencies",
    slug: "paket-dependencies",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "paket.dependencies"),
    extract,
};

const OPERATORS: [&str; 7] = ["~>", ">=", "<=", "==", "=", ">", "<"];

/// A commit id as Paket writes one: at least seven hex digits.
fn is_commit(s: &str) -> bool {
    s.len() >= 7 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

// A keyword-per-line format with comments and options and no published grammar or crate; it
// is read line by line.
fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut packages = Vec::new();
    let mut group = String::from("Main");
    for (i, raw) in input.text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let text = strip_comment(raw).trim();
        let mut words = text.split_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        let rest: Vec<&str> = words.collect();
        let pkg = match keyword {
            "group" => {
                if let Some(name) = rest.first() {
                    group = (*name).to_owned();
                }
                continue;
            }
            "nuget" => {
                let Some((name, constraint)) = rest.split_first() else {
                    continue;
                };
                let (version, requirement) = nuget_constraint(constraint);
                let pkg = Package::new(Ecosystem::NuGet, name, version, location);
                match requirement {
                    Some(r) => pkg.with_requirement(r),
                    None => pkg,
                }
            }
            "github" => {
                let Some(spec) = rest.first() else { continue };
                let (repo, reference) = match spec.split_once(':') {
                    Some((repo, r)) => (repo, Some(r).filter(|r| !r.is_empty())),
                    None => (*spec, None),
                };
                if repo.is_empty() {
                    continue;
                }
                let commit = reference.filter(|r| is_commit(r));
                let version = reference.filter(|r| !is_commit(r));
                Package::new(Ecosystem::NuGet, repo, version, location).with_source(
                    PackageSource::Git {
                        url: format!("https://github.com/{repo}").into(),
                        commit: commit.map(Into::into),
                    },
                )
            }
            "git" => {
                let Some(url) = rest.first() else { continue };
                let commit = rest
                    .get(1)
                    .filter(|r| is_commit(r))
                    .map(|c| (*c).to_owned());
                Package::new(Ecosystem::NuGet, url, None, location).with_source(
                    PackageSource::Git {
                        url: (*url).to_owned().into(),
                        commit: commit.map(Into::into),
                    },
                )
            }
            _ => continue,
        };
        let mut pkg = pkg.with_direct(true);
        apply_group(&mut pkg, &group);
        packages.push(pkg);
    }
    Ok(packages.into())
}

/// Cuts a `//` or `#` comment (Paket accepts both, with or without a space before).
fn strip_comment(line: &str) -> &str {
    let cut = [line.find("//"), line.find('#')]
        .into_iter()
        .flatten()
        .min();
    cut.map_or(line, |at| &line[..at])
}

/// The version and requirement of the words after a package name: operators and versions up to
/// the first option (`lowest_matching: true`, `framework: ...`).
fn nuget_constraint<'a>(words: &[&'a str]) -> (Option<&'a str>, Option<String>) {
    let taken: Vec<&str> = words
        .iter()
        .copied()
        .take_while(|w| !w.ends_with(':'))
        .collect();
    let version = taken
        .iter()
        .map(|w| {
            OPERATORS
                .iter()
                .fold(*w, |w, op| w.strip_prefix(op).unwrap_or(w))
        })
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    let requirement = (!taken.is_empty()).then(|| taken.join(" "));
    (version, requirement)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;
    use crate::model::Scope;

    fn run(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "paket.dependencies",
                path: Path::new("paket.dependencies"),
                text,
            })
            .expect("parses")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/paket-dependencies", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/NuGet/paket-dependencies/paket.dependencies"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn constraints_sources_groups_and_lines() {
        let out = run("source https://api.nuget.example/v3/index.json\n\
                       nuget A ~> 2.6.3 // c\n\
                       nuget B >= 1.0 < 2.0 framework: net6.0\n\
                       github o/r:30cd5366a4f3f25a443ca4cd62cd592fd16ac69 src/F.fs\n\
                       group Test\n  nuget A\n");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.requirement.as_deref(),
                    p.scope,
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "A",
                    Some("2.6.3"),
                    Some("~> 2.6.3"),
                    Scope::Runtime,
                    Some(2)
                ),
                (
                    "B",
                    Some("1.0"),
                    Some(">= 1.0 < 2.0"),
                    Scope::Runtime,
                    Some(3)
                ),
                ("o/r", None, None, Scope::Runtime, Some(4)),
                ("A", None, None, Scope::Dev, Some(6)),
            ]
        );
        assert_eq!(out.packages[3].groups, ["Test"]);
        assert!(out.packages.iter().all(|p| p.direct == Some(true)));
        assert_eq!(
            out.packages[2].source,
            Some(PackageSource::Git {
                url: "https://github.com/o/r".into(),
                commit: Some("30cd5366a4f3f25a443ca4cd62cd592fd16ac69".into())
            })
        );
    }
}

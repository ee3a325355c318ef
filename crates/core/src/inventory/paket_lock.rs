//! `paket.lock`: Paket's lock file for .NET, resolved packages in sections (`NUGET`, `GITHUB`,
//! `GIT`, `HTTP`) per dependency group (`GROUP name`), dependencies indented under each package.
//!
//! NuGet packages are reported with their version and, from the indented lines, edges to the
//! packages they depend on in the same group. A `GITHUB` or `GIT` remote is reported once per
//! pinned commit, named by the repository, with a git source. The group name (other than
//! `Main`) is the package's group; groups named `Build`, `Docs`, `Test` or `Tests` hold dev
//! dependencies. The lock file does not say which packages are direct.

use std::collections::HashMap;
use std::path::Path;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "paket.lock",
    slug: "paket-lock",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "paket.lock"),
    extract,
};

/// Whether a Paket group holds development dependencies, by the names Paket projects use.
pub(crate) fn is_dev_group(group: &str) -> bool {
    ["build", "docs", "test", "tests"]
        .iter()
        .any(|g| group.eq_ignore_ascii_case(g))
}

/// Records the group on a package (the default `Main` group is not recorded).
pub(crate) fn apply_group(pkg: &mut Package, group: &str) {
    if !group.eq_ignore_ascii_case("main") {
        pkg.add_group(group);
        if is_dev_group(group) {
            pkg.scope = Scope::Dev;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    NuGet,
    GitHub,
    Git,
    Other,
}

/// `Name (version)` with anything after the closing parenthesis (restrictions) ignored.
fn name_and_paren(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = s.split_once(" (")?;
    let (inside, _) = rest.split_once(')')?;
    let name = name.trim();
    (!name.is_empty()).then_some((name, inside.trim()))
}

// Paket's lock format is indentation-based text with no published grammar or crate; it is
// read line by line.
fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut packages: Vec<Package> = Vec::new();
    let mut section = Section::Other;
    let mut group = String::from("Main");
    let mut remote = String::new();
    let mut last: Option<usize> = None;
    let mut edges: Vec<(usize, String, String)> = Vec::new(); // (from, group, lowercase name)
    let mut nuget_index: HashMap<(String, String), usize> = HashMap::new();
    for (i, raw) in input.text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let location = || Location {
            file: input.display.into(),
            line: Some(line),
        };
        if indent == 0 {
            last = None;
            remote.clear();
            if let Some(name) = text.strip_prefix("GROUP ") {
                group = name.trim().to_owned();
                section = Section::Other;
            } else {
                section = match text {
                    "NUGET" => Section::NuGet,
                    "GITHUB" => Section::GitHub,
                    "GIT" => Section::Git,
                    _ => Section::Other,
                };
            }
            continue;
        }
        if let Some(r) = text.strip_prefix("remote:") {
            remote = r.trim().to_owned();
            last = None;
            continue;
        }
        match section {
            Section::NuGet if indent == 4 => {
                last = None;
                let Some((name, version)) = name_and_paren(text) else {
                    continue;
                };
                let mut pkg = Package::new(Ecosystem::NuGet, name, Some(version), location());
                apply_group(&mut pkg, &group);
                nuget_index.insert((group.clone(), name.to_ascii_lowercase()), packages.len());
                last = Some(packages.len());
                packages.push(pkg);
            }
            Section::NuGet if indent > 4 => {
                if let (Some(from), Some((dep, _))) = (last, name_and_paren(text)) {
                    edges.push((from, group.clone(), dep.to_ascii_lowercase()));
                }
            }
            Section::GitHub | Section::Git if indent >= 4 && !remote.is_empty() => {
                // GITHUB: `path/to/file (commit)`; GIT: `(commit)` or `(commit) build: ...`.
                let open = if text.starts_with('(') {
                    text.split_once('(')
                } else {
                    text.rsplit_once(" (")
                };
                let commit = open
                    .and_then(|(_, c)| c.split_once(')'))
                    .map(|(c, _)| c.trim().to_owned())
                    .filter(|c| !c.is_empty());
                let Some(commit) = commit else {
                    continue;
                };
                let url = if section == Section::GitHub {
                    format!("https://github.com/{remote}")
                } else {
                    remote.clone()
                };
                let known = packages.iter().any(|p| {
                    p.name == remote
                        && matches!(&p.source, Some(PackageSource::Git { commit: Some(c), .. }) if *c == commit)
                });
                if known {
                    continue;
                }
                let mut pkg = Package::new(Ecosystem::NuGet, &remote, None, location())
                    .with_source(PackageSource::Git {
                        url: url.into(),
                        commit: Some(commit.into()),
                    });
                apply_group(&mut pkg, &group);
                packages.push(pkg);
            }
            _ => {}
        }
    }
    for (from, group, dep) in edges {
        let Some(purl) = nuget_index
            .get(&(group, dep))
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

    const SAMPLE: &str = "\
RESTRICTION: || (== net6.0) (== netstandard2.0)
NUGET
  remote: https://api.nuget.example/v3/index.json
    FSharp.Core (6.0.1)
    Newtonsoft.Json (13.0.1) - restriction: >= netstandard2.0
      FSharp.Core (>= 4.7)
      Missing.Dep (>= 1.0)
GITHUB
  remote: fsharp/FAKE
    src/app/FakeLib/Globbing/Globbing.fs (0341a2e614eb2a7f34607cec914eb0ed83ce9add)
    src/app/Other.fs (0341a2e614eb2a7f34607cec914eb0ed83ce9add)
GROUP Build
NUGET
  remote: https://api.nuget.example/v3/index.json
    FAKE (5.16)
      FSharp.Core (>= 4.0)
    FSharp.Core (4.7.2)
";

    fn run(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "paket.lock",
                path: Path::new("paket.lock"),
                text,
            })
            .expect("parses")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/paket-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        testing::check_hostile(&EXTRACTOR, SAMPLE);
    }

    #[test]
    fn sections_groups_and_edges() {
        let out = run(SAMPLE);
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.scope,
                    p.groups.to_vec(),
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "FSharp.Core",
                    Some("6.0.1"),
                    Scope::Runtime,
                    vec![],
                    Some(4)
                ),
                (
                    "Newtonsoft.Json",
                    Some("13.0.1"),
                    Scope::Runtime,
                    vec![],
                    Some(5)
                ),
                ("fsharp/FAKE", None, Scope::Runtime, vec![], Some(10)),
                (
                    "FAKE",
                    Some("5.16"),
                    Scope::Dev,
                    vec!["Build".to_owned()],
                    Some(15)
                ),
                (
                    "FSharp.Core",
                    Some("4.7.2"),
                    Scope::Dev,
                    vec!["Build".to_owned()],
                    Some(17)
                ),
            ]
        );
        assert_eq!(
            out.packages[1].dependencies,
            ["pkg:nuget/FSharp.Core@6.0.1"]
        );
        assert_eq!(
            out.packages[3].dependencies,
            ["pkg:nuget/FSharp.Core@4.7.2"]
        );
        assert_eq!(
            out.packages[2].source,
            Some(PackageSource::Git {
                url: "https://github.com/fsharp/FAKE".into(),
                commit: Some("0341a2e614eb2a7f34607cec914eb0ed83ce9add".into())
            })
        );
    }
}

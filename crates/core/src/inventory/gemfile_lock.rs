//! `Gemfile.lock` (and `gems.locked`): the gems Bundler resolved, with their dependency graph.
//!
//! Every spec of a source section (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) is a package; a
//! platform suffix (`1.13.3-x86_64-linux`) is dropped from the version. A `GIT` section's
//! `revision` becomes the package's git source, a `PATH` section's `remote` its path source. The
//! names a spec lists below it are its dependencies, and the `DEPENDENCIES` section names the
//! direct ones. Other sections (`PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH`) are ignored.
//!
//! The format is indentation-based plain text, read line by line.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Gemfile.lock",
    slug: "gemfile-lock",
    ecosystem: Ecosystem::RubyGems,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "Gemfile.lock") || file_name_is(p, "gems.locked"),
    extract,
};

const SOURCE_SECTIONS: [&str; 4] = ["GEM", "GIT", "PATH", "PLUGIN SOURCE"];

/// A source section being read.
#[derive(Default)]
struct Section {
    name: String,
    remote: Option<String>,
    revision: Option<String>,
    /// Spec lines: (name, version, line, dependency names).
    specs: Vec<(String, String, u32, Vec<String>)>,
}

/// Splits `name (version-platform)` into name and version; `None` when there is no version.
fn spec_of(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    let version = inner.split('-').next().unwrap_or(inner).trim();
    (!name.is_empty() && !version.is_empty()).then_some((name.trim(), version))
}

/// The gem name of a dependency or `DEPENDENCIES` line: `name`, `name!`, `name (>= 1)`.
fn dep_name(line: &str) -> &str {
    let name = line.split(" (").next().unwrap_or(line).trim();
    name.strip_suffix('!').unwrap_or(name)
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut sections: Vec<Section> = Vec::new();
    let mut direct: Option<HashSet<String>> = None;
    let mut current: Option<String> = None;
    let mut diagnostics = Vec::new();
    for (i, raw) in input.text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let text = raw.trim_start_matches(' ');
        if indent == 0 {
            let name = text.trim().to_owned();
            if SOURCE_SECTIONS.contains(&name.as_str()) {
                sections.push(Section {
                    name: name.clone(),
                    ..Section::default()
                });
            } else if name == "DEPENDENCIES" {
                direct.get_or_insert_with(HashSet::new);
            }
            current = Some(name);
            continue;
        }
        let Some(section_name) = current.as_deref() else {
            return Err(ParseError::new(
                "indented entry before any section header",
                Some(line_no),
            ));
        };
        if section_name == "DEPENDENCIES" {
            if indent == 2 {
                direct
                    .get_or_insert_with(HashSet::new)
                    .insert(dep_name(text).to_owned());
            }
            continue;
        }
        if !SOURCE_SECTIONS.contains(&section_name) {
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        match indent {
            2 => {
                if let Some(remote) = text.strip_prefix("remote: ") {
                    // A GEM section may list several remotes; the first one names it.
                    section
                        .remote
                        .get_or_insert_with(|| remote.trim().to_owned());
                } else if let Some(rev) = text.strip_prefix("revision: ") {
                    section.revision = Some(rev.trim().to_owned());
                }
            }
            4 => match spec_of(text) {
                Some((name, version)) => {
                    section
                        .specs
                        .push((name.to_owned(), version.to_owned(), line_no, Vec::new()));
                }
                None => diagnostics.push(
                    Diagnostic::warning(
                        Code::ParseError,
                        format!("gem spec without a version skipped: `{}`", text.trim()),
                    )
                    .in_file(input.display, Some(line_no)),
                ),
            },
            6 => {
                if let Some(spec) = section.specs.last_mut() {
                    spec.3.push(dep_name(text).to_owned());
                }
            }
            _ => {}
        }
    }

    let mut packages = Vec::new();
    let mut deps_of = Vec::new();
    for section in &sections {
        let source = match section.name.as_str() {
            "GIT" => section.remote.as_ref().map(|url| PackageSource::Git {
                url: url.clone().into(),
                commit: section.revision.as_deref().map(Into::into),
            }),
            "PATH" => section.remote.as_ref().map(|path| PackageSource::Path {
                path: path.clone().into(),
            }),
            _ => None,
        };
        for (name, version, line, deps) in &section.specs {
            let mut pkg = Package::new(
                Ecosystem::RubyGems,
                name,
                Some(version),
                Location {
                    file: input.display.into(),
                    line: Some(*line),
                },
            );
            pkg.source = source.clone();
            if let Some(direct) = &direct {
                pkg.direct = Some(direct.contains(name));
            }
            packages.push(pkg);
            deps_of.push(deps);
        }
    }
    let mut by_name: HashMap<&str, &str> = HashMap::new();
    for p in &packages {
        by_name.entry(p.name.as_str()).or_insert(p.purl.as_str());
    }
    let resolved: Vec<Vec<String>> = deps_of
        .iter()
        .map(|deps| {
            deps.iter()
                .filter_map(|d| by_name.get(d.as_str()).map(|p| (*p).to_owned()))
                .collect()
        })
        .collect();
    for (pkg, deps) in packages.iter_mut().zip(resolved) {
        pkg.dependencies = deps.into();
    }
    Ok(Extracted {
        packages,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "Gemfile.lock",
            path: Path::new("Gemfile.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("RubyGems/gemfile-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/RubyGems/gemfile-lock/has-local-gem.lock"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    const SAMPLE: &str = "GIT
  remote: https://git.example/utils.git
  revision: 5904fc9a70683b8749aa2861257d0c8c01eae4aa
  specs:
    utils (2.0.0)
      rack (~> 2.0)

GEM
  remote: https://gems.example/
  specs:
    nokogiri (1.13.3-x86_64-linux)
      racc (~> 1.4)
    racc (1.6.0)
    rack (2.2.3)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  nokogiri (>= 1)
  utils!

BUNDLED WITH
   2.2.28
";

    #[test]
    fn graph_direct_platform_and_git_source() {
        let out = run(SAMPLE).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(get("nokogiri").version.as_deref(), Some("1.13.3"));
        assert_eq!(get("nokogiri").location.line, Some(11));
        assert_eq!(get("nokogiri").direct, Some(true));
        assert_eq!(get("utils").direct, Some(true));
        assert_eq!(get("racc").direct, Some(false));
        assert_eq!(get("nokogiri").dependencies, [get("racc").purl.clone()]);
        assert_eq!(get("racc").introduced_by, [get("nokogiri").purl.clone()]);
        assert_eq!(
            get("utils").source,
            Some(PackageSource::Git {
                url: "https://git.example/utils.git".into(),
                commit: Some("5904fc9a70683b8749aa2861257d0c8c01eae4aa".into()),
            })
        );
        assert_eq!(get("rack").source, None);
    }

    #[test]
    fn spec_without_version_is_a_warning() {
        let out = run("GEM\n  specs:\n    broken\n    ok (1.0)\n").expect("parses");
        assert_eq!(out.packages.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(3));
    }

    #[test]
    fn indented_line_before_a_section_is_an_error() {
        let err = run("\n    rack (1.0)\n").expect_err("no section");
        assert_eq!(err.line, Some(2));
    }
}

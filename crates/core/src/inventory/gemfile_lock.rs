//! `Gemfile.lock` (and `gems.locked`): the gems Bundler resolved, with their dependency graph.
//!
//! Every spec of a source section (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) is a package; a
//! platform suffix (`1.13.3-x86_64-linux`) is not part of the version but the purl's `platform`
//! qualifier, so each platform build of a gem is a component of its own. A `GIT` section's
//! `revision` becomes the package's git source, a `PATH` section's `remote` its path source. The
//! names a spec lists below it are its dependencies, and the `DEPENDENCIES` section names the
//! direct ones. Other sections (`PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH`) are ignored.
//!
//! The lockfile records no groups: where the `Gemfile` (`gems.rb` for `gems.locked`) is beside
//! it, a gem declared only in development or test groups is a development dependency, with its
//! groups, and scopes and groups flow down the graph (a gem any runtime gem reaches stays
//! runtime).
//!
//! The format is indentation-based plain text, read line by line.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::python::{propagate, scope_of_group, Roots};
use super::{file_name_is, gemfile, neighbour, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{purl, Ecosystem, Location, Package, PackageSource, Scope};

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
    /// Spec lines: (name, version, platform, line, dependency names).
    specs: Vec<Spec>,
}

/// One spec line of a source section and the dependency names listed below it.
struct Spec {
    name: String,
    version: String,
    platform: Option<String>,
    line: u32,
    deps: Vec<String>,
}

/// Splits `name (version-platform)` into name, version and platform; `None` when there is no
/// version. Gem versions hold no `-`, so the first one starts the platform.
fn spec_of(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let (name, rest) = line.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    let (version, platform) = match inner.split_once('-') {
        Some((v, p)) => (v.trim(), Some(p.trim()).filter(|p| !p.is_empty())),
        None => (inner.trim(), None),
    };
    (!name.is_empty() && !version.is_empty()).then_some((name.trim(), version, platform))
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
                Some((name, version, platform)) => section.specs.push(Spec {
                    name: name.to_owned(),
                    version: version.to_owned(),
                    platform: platform.map(str::to_owned),
                    line: line_no,
                    deps: Vec::new(),
                }),
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
                    spec.deps.push(dep_name(text).to_owned());
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
        for spec in &section.specs {
            let mut pkg = Package::new(
                Ecosystem::RubyGems,
                &spec.name,
                Some(&spec.version),
                Location {
                    file: input.display.into(),
                    line: Some(spec.line),
                },
            );
            if let Some(platform) = &spec.platform {
                pkg.purl = purl::for_package_qualified(
                    Ecosystem::RubyGems,
                    &spec.name,
                    Some(&spec.version),
                    &[("platform", platform)],
                )
                .into();
            }
            pkg.source = source.clone();
            if let Some(direct) = &direct {
                pkg.direct = Some(direct.contains(&spec.name));
            }
            packages.push(pkg);
            deps_of.push(&spec.deps);
        }
    }
    // A dependency on a gem locked for several platforms is an edge to each platform's build.
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in &packages {
        let purls = by_name.entry(p.name.as_str()).or_default();
        if !purls.contains(&p.purl.as_str()) {
            purls.push(p.purl.as_str());
        }
    }
    let resolved: Vec<Vec<String>> = deps_of
        .iter()
        .map(|deps| {
            deps.iter()
                .filter_map(|d| by_name.get(d.as_str()))
                .flatten()
                .map(|p| (*p).to_owned())
                .collect()
        })
        .collect();
    for (pkg, deps) in packages.iter_mut().zip(resolved) {
        pkg.dependencies = deps.into();
    }
    let manifest = if file_name_is(input.path, "gems.locked") {
        "gems.rb"
    } else {
        "Gemfile"
    };
    match neighbour::read_beside(input.path, input.display, manifest) {
        Ok(Some(text)) => apply_groups(&mut packages, &gemfile::groups(&text)),
        Ok(None) => {}
        Err(warning) => diagnostics.push(warning),
    }
    Ok(Extracted {
        packages,
        diagnostics,
    })
}

/// Gives the gems the scopes and groups of the Gemfile's declarations, spread down the graph.
fn apply_groups(packages: &mut [Package], declared: &gemfile::Groups) {
    let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_purl: HashMap<&str, usize> = HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        at.entry(p.name.as_str()).or_default().push(i);
        by_purl.entry(p.purl.as_str()).or_insert(i);
    }
    let edges: Vec<Vec<usize>> = packages
        .iter()
        .map(|p| {
            p.dependencies
                .iter()
                .filter_map(|d| by_purl.get(d.as_str()).copied())
                .collect()
        })
        .collect();
    let mut roots = Roots::default();
    for (name, groups) in declared {
        let targets = at.get(name.as_str()).cloned().unwrap_or_default();
        let dev = !groups.is_empty() && groups.iter().all(|g| scope_of_group(g) == Scope::Dev);
        for i in targets {
            if groups.is_empty() {
                roots.edges.push((i, Scope::Runtime, None));
            }
            for g in groups {
                let scope = if dev { Scope::Dev } else { Scope::Runtime };
                roots.edges.push((i, scope, Some(g.clone())));
            }
        }
    }
    for (p, reached) in packages.iter_mut().zip(propagate(&edges, &roots)) {
        if let Some((scope, groups)) = reached {
            p.scope = scope;
            for g in groups {
                p.add_group(&g);
            }
        }
    }
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

    /// Issue 18: a `Gemfile.lock` that locks a gem only as platform builds (the shape of a
    /// Rails app's lock with eight `PLATFORMS`) gives one purl per build, with the platform as a
    /// qualifier.
    #[test]
    fn platform_builds_are_distinct_components() {
        let text = std::fs::read_to_string(
            testing::repo_fixtures().join("inventory/rails-app/Gemfile.lock"),
        )
        .expect("fixture");
        let out = run(&text).expect("parses");
        let purls = |n: &str| -> Vec<&str> {
            out.packages
                .iter()
                .filter(|p| p.name == n)
                .map(|p| p.purl.as_str())
                .collect()
        };
        assert_eq!(
            purls("ffi"),
            [
                "pkg:gem/ffi@1.17.2?platform=aarch64-linux-gnu",
                "pkg:gem/ffi@1.17.2?platform=arm64-darwin",
                "pkg:gem/ffi@1.17.2?platform=x86_64-linux-gnu",
            ]
        );
        assert_eq!(
            purls("tailwindcss-ruby")[0],
            "pkg:gem/tailwindcss-ruby@4.1.8"
        );
        let mut all: Vec<&str> = out.packages.iter().map(|p| p.purl.as_str()).collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "every spec its own purl");
        let sassc = out
            .packages
            .iter()
            .find(|p| p.name == "sassc")
            .expect("sassc");
        assert_eq!(
            sassc.dependencies,
            purls("ffi"),
            "an edge to each platform build"
        );
        let ffi = out.packages.iter().find(|p| p.name == "ffi").expect("ffi");
        assert_eq!(ffi.version.as_deref(), Some("1.17.2"));
    }

    /// Issue 18: the `Gemfile` beside the lock (the shape of a Rails app's, with a
    /// `group :development, :test do` block and inline `groups:`) gives development scope to the
    /// gems declared only for development and test, and to what only they bring in.
    #[test]
    fn gemfile_groups_give_scopes() {
        let path = testing::repo_fixtures().join("inventory/rails-app/Gemfile.lock");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(get("debug").scope, Scope::Dev);
        assert_eq!(get("debug").groups, ["development", "test"]);
        assert_eq!(get("irb").scope, Scope::Dev, "only debug brings it in");
        assert_eq!(get("irb").groups, ["development", "test"]);
        assert_eq!(get("rails").scope, Scope::Runtime);
        assert!(get("rails").groups.is_empty());
        assert_eq!(get("racc").scope, Scope::Runtime);
        assert_eq!(get("sassc").scope, Scope::Runtime);
        assert_eq!(get("sassc").groups, ["production"]);
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn unreadable_gemfile_is_a_warning_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("Gemfile"), b"gem \"a\"\n\xff\xfe").expect("write");
        let lock = dir.path().join("Gemfile.lock");
        std::fs::write(&lock, SAMPLE).expect("write");
        let out = EXTRACTOR
            .run(&Input {
                display: "app/Gemfile.lock",
                path: &lock,
                text: SAMPLE,
            })
            .expect("parses");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].file.as_deref(), Some("app/Gemfile"));
        assert_eq!(out.packages.len(), 4, "the lock is still read");
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

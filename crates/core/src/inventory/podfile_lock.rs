//! `Podfile.lock`: the CocoaPods lockfile (YAML).
//!
//! `PODS` lists every resolved pod as `Name (1.2.3)`, either alone or as a one-key map whose
//! value lists the pod's own requirements (`Other (~> 2.0)`), which become edges. Subspecs are
//! listed and reported under their full name (`Texture/Core`), as upstream tools report them.
//! `DEPENDENCIES` names what the Podfile asks for: those pods are the direct dependencies.
//! `EXTERNAL SOURCES` and `CHECKOUT OPTIONS` give git (with the commit), path and podspec-URL
//! sources. `SPEC CHECKSUMS` are digests of podspecs, not of artifacts, and are not reported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde_yaml_ng::Value;

use super::lines::LineFinder;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource, SharedStr};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Podfile.lock",
    slug: "podfile-lock",
    ecosystem: Ecosystem::CocoaPods,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "Podfile.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(rename = "PODS", default)]
    pods: Vec<Value>,
    #[serde(rename = "DEPENDENCIES", default)]
    dependencies: Vec<String>,
    #[serde(rename = "EXTERNAL SOURCES", default)]
    external_sources: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(rename = "CHECKOUT OPTIONS", default)]
    checkout_options: BTreeMap<String, BTreeMap<String, Value>>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Option<Lockfile> =
        serde_yaml_ng::from_str(input.text).map_err(|e| ParseError::yaml(&e))?;
    let Some(lock) = lock else {
        return Ok(Extracted::default());
    };
    let mut finder = LineFinder::new(input.text);
    let direct: HashSet<&str> = lock.dependencies.iter().map(|d| name_of(d)).collect();

    let mut packages = Vec::new();
    let mut requirements: Vec<Vec<&str>> = Vec::new();
    for entry in &lock.pods {
        let (blob, deps) = match entry {
            Value::String(s) => (s.as_str(), Vec::new()),
            Value::Mapping(map) if map.len() == 1 => {
                let Some((Value::String(k), v)) = map.iter().next() else {
                    return Err(malformed(&mut finder, entry));
                };
                let deps = match v {
                    Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                (k.as_str(), deps)
            }
            _ => return Err(malformed(&mut finder, entry)),
        };
        let line = finder.next(&format!("- {blob}"));
        let Some((name, version)) = blob.trim().split_once(' ') else {
            return Err(ParseError::new(
                format!("pod `{blob}` has no version"),
                line,
            ));
        };
        let version = version.trim().trim_start_matches('(').trim_end_matches(')');
        let location = Location {
            file: input.display.into(),
            line,
        };
        let mut pkg = Package::new(Ecosystem::CocoaPods, name, Some(version), location);
        if !lock.dependencies.is_empty() {
            pkg.direct = Some(direct.contains(name));
        }
        pkg.source = source_of(name, &lock);
        packages.push(pkg);
        requirements.push(deps.into_iter().map(name_of).collect());
    }

    let purls: HashMap<SharedStr, String> = packages
        .iter()
        .map(|p| (p.name.clone(), p.purl.to_string()))
        .collect();
    for (pkg, reqs) in packages.iter_mut().zip(requirements) {
        pkg.dependencies = reqs.iter().filter_map(|r| purls.get(*r).cloned()).collect();
    }
    Ok(packages.into())
}

/// `Name (~> 1.0)` or `Name (from `../x`)` → `Name`.
fn name_of(requirement: &str) -> &str {
    let requirement = requirement.trim();
    requirement
        .split_once(' ')
        .map_or(requirement, |(name, _)| name)
}

fn malformed(finder: &mut LineFinder<'_>, entry: &Value) -> ParseError {
    let line = serde_yaml_ng::to_string(entry)
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| finder.first(l.trim())));
    ParseError::new("malformed `PODS` entry: expected `Name (version)`", line)
}

/// The external source of a pod or of the pod its subspec belongs to.
fn source_of(name: &str, lock: &Lockfile) -> Option<PackageSource> {
    let root = name.split('/').next().unwrap_or(name);
    let external = lock.external_sources.get(root)?;
    let get = |map: &BTreeMap<String, Value>, key: &str| {
        map.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    if let Some(url) = get(external, ":git") {
        let commit = lock
            .checkout_options
            .get(root)
            .and_then(|c| get(c, ":commit"))
            .or_else(|| get(external, ":commit"));
        return Some(PackageSource::Git {
            url: url.into(),
            commit: commit.map(Into::into),
        });
    }
    if let Some(path) = get(external, ":path") {
        return Some(PackageSource::Path { path: path.into() });
    }
    get(external, ":podspec").map(|url| PackageSource::Url { url: url.into() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "Podfile.lock",
            path: Path::new("Podfile.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("CocoaPods/podfile-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/CocoaPods/podfile-lock/valid"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    const LOCK: &str = "\
PODS:
  - Alamofire (5.8.1)
  - Texture/Core (3.1.0):
    - PINCache (~> 3.0)
  - PINCache (3.0.3)
  - Local (0.1.0):
    - Alamofire
  - Forked (2.0.0)

DEPENDENCIES:
  - Local (from `../Local`)
  - Texture/Core (~> 3)
  - Forked (from `https://git.example/forked.git`, commit `abc123`)

EXTERNAL SOURCES:
  Local:
    :path: \"../Local\"
  Forked:
    :commit: abc123
    :git: https://git.example/forked.git

CHECKOUT OPTIONS:
  Forked:
    :commit: abc123
    :git: https://git.example/forked.git

COCOAPODS: 1.15.2
";

    #[test]
    fn direct_edges_sources_and_lines() {
        let out = run(LOCK).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(out.packages.len(), 5);
        assert_eq!(get("Texture/Core").direct, Some(true));
        assert_eq!(get("Texture/Core").location.line, Some(3));
        assert_eq!(get("PINCache").direct, Some(false));
        assert_eq!(get("PINCache").location.line, Some(5));
        assert_eq!(
            get("Texture/Core").dependencies,
            ["pkg:cocoapods/PINCache@3.0.3"]
        );
        assert_eq!(
            get("Alamofire").introduced_by,
            ["pkg:cocoapods/Local@0.1.0"]
        );
        assert_eq!(
            get("Local").source,
            Some(PackageSource::Path {
                path: "../Local".into()
            })
        );
        assert_eq!(
            get("Forked").source,
            Some(PackageSource::Git {
                url: "https://git.example/forked.git".into(),
                commit: Some("abc123".into())
            })
        );
    }

    #[test]
    fn entries_without_a_version_are_errors_at_their_line() {
        let err = run("PODS:\n  - Good (1.0)\n  - Bad\n").expect_err("no version");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

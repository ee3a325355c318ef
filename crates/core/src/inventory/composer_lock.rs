//! `composer.lock`: the PHP packages Composer installed, runtime and dev.
//!
//! Entries of `packages` are runtime packages, entries of `packages-dev` dev packages (group
//! `dev`). A package's `require` names that are locked in the same file become its dependencies
//! (platform requirements such as `php` and `ext-*` are not packages). The `source` repository
//! and its `reference` are kept as the git source, with the reference as the commit when it is a
//! commit id (a tag name is not); a non-empty `dist.shasum` is recorded as a SHA-1 hash. The
//! lockfile does not say which packages the project requires itself, so `direct` is unknown.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::lines::LineFinder;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "composer.lock",
    slug: "composer-lock",
    ecosystem: Ecosystem::Packagist,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "composer.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    packages: Vec<LockedPackage>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
    source: Option<Source>,
    dist: Option<Dist>,
    #[serde(default)]
    require: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
}

#[derive(Deserialize)]
struct Dist {
    shasum: Option<String>,
}

/// A full or abbreviated hexadecimal commit id.
fn is_commit(reference: &str) -> bool {
    (7..=64).contains(&reference.len()) && reference.chars().all(|c| c.is_ascii_hexdigit())
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let mut finder = LineFinder::new(input.text);
    let entries = lock
        .packages
        .iter()
        .map(|p| (p, false))
        .chain(lock.packages_dev.iter().map(|p| (p, true)));
    let mut packages = Vec::new();
    for (p, dev) in entries.clone() {
        let name = json_escape(&p.name);
        let line = finder
            .next(&format!("\"name\": \"{name}\""))
            .or_else(|| finder.next(&format!("\"{name}\"")));
        let mut pkg = Package::new(
            Ecosystem::Packagist,
            &p.name,
            Some(&p.version),
            Location {
                file: input.display.into(),
                line,
            },
        );
        if dev {
            pkg = pkg.with_scope(Scope::Dev).with_group("dev");
        }
        if let Some(src) = &p.source {
            if let (Some("git"), Some(url)) = (src.kind.as_deref(), &src.url) {
                pkg.source = Some(PackageSource::Git {
                    url: url.clone().into(),
                    commit: src
                        .reference
                        .as_deref()
                        .filter(|r| is_commit(r))
                        .map(Into::into),
                });
            }
        }
        if let Some(sum) = p.dist.as_ref().and_then(|d| d.shasum.as_deref()) {
            if !sum.is_empty() {
                pkg.hashes.push(Hash::new("sha1", sum));
            }
        }
        packages.push(pkg);
    }
    let by_name: HashMap<&str, String> = packages
        .iter()
        .map(|p| (p.name.as_str(), p.purl.to_string()))
        .collect();
    let deps: Vec<Vec<String>> = entries
        .map(|(p, _)| {
            p.require
                .keys()
                .filter_map(|name| by_name.get(name.to_ascii_lowercase().as_str()).cloned())
                .collect()
        })
        .collect();
    for (pkg, deps) in packages.iter_mut().zip(deps) {
        pkg.dependencies = deps.into();
    }
    Ok(packages.into())
}

/// The JSON spelling of a name (quotes and backslashes escaped), to find its line.
fn json_escape(s: &str) -> String {
    serde_json::to_string(s)
        .map(|q| q.trim_matches('"').to_owned())
        .unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "composer.lock",
            path: Path::new("composer.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Packagist/composer-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Packagist/composer-lock/drupal-packages.json"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn dev_scope_edges_commit_and_lines() {
        let text = r#"{
  "packages": [
    {
      "name": "acme/app-lib",
      "version": "1.0.0",
      "source": {"type": "git", "url": "https://git.example/lib.git", "reference": "4c115873c86ad5bd0ac6d962db70ca53bf8fb874"},
      "dist": {"type": "zip", "url": "https://dist.example/x.zip", "shasum": "70B03B6C7868CED71ED0B3CA596AD83E76C2ADC0"},
      "require": {"php": "^8.1", "acme/util": "^2.0"}
    },
    {
      "name": "acme/util",
      "version": "2.1.0",
      "source": {"type": "git", "url": "https://git.example/util.git", "reference": "v2.1.0"}
    }
  ],
  "packages-dev": [
    {"name": "acme/test-kit", "version": "0.3.0"}
  ]
}"#;
        let out = run(text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        let lib = get("acme/app-lib");
        assert_eq!(lib.location.line, Some(4));
        assert_eq!(lib.dependencies, [get("acme/util").purl.clone()]);
        assert_eq!(
            lib.hashes,
            [Hash::new(
                "sha1",
                "70b03b6c7868ced71ed0b3ca596ad83e76c2adc0"
            )]
        );
        assert!(
            matches!(&lib.source, Some(PackageSource::Git { commit: Some(c), .. }) if c.starts_with("4c11"))
        );
        assert!(matches!(
            &get("acme/util").source,
            Some(PackageSource::Git { commit: None, .. })
        ));
        let kit = get("acme/test-kit");
        assert_eq!(
            (kit.scope, kit.groups.as_slice()),
            (Scope::Dev, ["dev".to_owned()].as_slice())
        );
        assert_eq!(kit.location.line, Some(17));
        assert_eq!(kit.direct, None);
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("{\n  \"packages\": [\n    {\"name\": 3, \"version\": \"1\"}\n  ]\n}")
            .expect_err("bad name");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

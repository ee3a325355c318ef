//! `Cargo.lock` (versions 1 to 4): every resolved crate, with the dependency graph.
//!
//! Packages without a `source` are workspace members (first-party); their dependencies are the
//! direct ones.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Cargo.lock",
    slug: "cargo-lock",
    ecosystem: Ecosystem::Cargo,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "Cargo.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Spanned<String>,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let mut packages: Vec<Package> = lock
        .package
        .iter()
        .map(|p| {
            let line = super::lines::line_of_offset(input.text, p.name.span().start);
            let location = Location {
                file: input.display.into(),
                line: Some(line),
            };
            let mut pkg = Package::new(
                Ecosystem::Cargo,
                p.name.get_ref(),
                Some(&p.version),
                location,
            );
            pkg.source = source_of(p.source.as_deref());
            if let Some(sum) = &p.checksum {
                pkg.hashes.push(Hash::new("sha256", sum));
            }
            pkg
        })
        .collect();

    // Resolve `name`, `name version` and `name version (source)` references to purls.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in lock.package.iter().enumerate() {
        by_name
            .entry(p.name.get_ref().as_str())
            .or_default()
            .push(i);
    }
    let resolve = |reference: &str| -> Option<usize> {
        let mut parts = reference.split_whitespace();
        let name = parts.next()?;
        let candidates = by_name.get(name)?;
        match parts.next() {
            None => candidates.first().copied(),
            Some(version) => candidates
                .iter()
                .copied()
                .find(|&i| lock.package[i].version == version),
        }
    };
    let mut direct = vec![false; packages.len()];
    for (i, p) in lock.package.iter().enumerate() {
        let deps: Vec<usize> = p.dependencies.iter().filter_map(|d| resolve(d)).collect();
        if p.source.is_none() {
            for &d in &deps {
                direct[d] = true;
            }
        }
        packages[i].dependencies = deps.iter().map(|&d| packages[d].purl.to_string()).collect();
    }
    for (pkg, direct) in packages.iter_mut().zip(direct) {
        if !matches!(pkg.source, Some(PackageSource::Path { .. })) {
            pkg.direct = Some(direct);
        }
    }
    Ok(packages.into())
}

/// `registry+URL` is a registry (the default one needs no mention), `git+URL#commit` a checkout,
/// no source at all a workspace member.
fn source_of(source: Option<&str>) -> Option<PackageSource> {
    let Some(source) = source else {
        return Some(PackageSource::Path { path: ".".into() });
    };
    if let Some(git) = source.strip_prefix("git+") {
        let (url, commit) = match git.split_once('#') {
            Some((url, commit)) => (url, Some(commit.to_owned())),
            None => (git, None),
        };
        return Some(PackageSource::Git {
            url: url.split('?').next().unwrap_or(url).to_owned().into(),
            commit: commit.map(Into::into),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("crates.io/cargo-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/crates.io/cargo-lock/many-packages.lock"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn graph_marks_direct_and_paths() {
        let text = r#"
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde", "log 0.4.0"]

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://index.crates.example/"
dependencies = ["itoa"]

[[package]]
name = "itoa"
version = "1.0.0"
source = "registry+https://index.crates.example/"

[[package]]
name = "log"
version = "0.4.0"
source = "git+https://git.example/log?rev=abc#abc123"
"#;
        let out = EXTRACTOR
            .run(&Input {
                display: "Cargo.lock",
                path: Path::new("Cargo.lock"),
                text,
            })
            .expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(get("app").direct, None);
        assert_eq!(get("serde").direct, Some(true));
        assert_eq!(get("itoa").direct, Some(false));
        assert_eq!(get("itoa").introduced_by, ["pkg:cargo/serde@1.0.0"]);
        assert_eq!(get("serde").location.line, Some(8));
        assert_eq!(
            get("log").source,
            Some(PackageSource::Git {
                url: "https://git.example/log".into(),
                commit: Some("abc123".into())
            })
        );
    }

    #[test]
    fn type_errors_name_the_line() {
        let text = "[[package]]\nname = \"a\"\nversion = 3\n";
        let err = EXTRACTOR
            .run(&Input {
                display: "Cargo.lock",
                path: Path::new("Cargo.lock"),
                text,
            })
            .expect_err("version must be a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

//! `pubspec.lock`: the Dart and Flutter packages pub resolved.
//!
//! Every entry of `packages` is a package. `dependency: direct main` and `direct dev` (and
//! `direct overridden`) are direct, `transitive` is not; `direct dev` packages are dev packages
//! (group `dev`). A `git` source records the repository and its `resolved-ref` commit, a `path`
//! source the directory, and an `sdk` source (packages shipped with the Flutter or Dart SDK,
//! never fetched from a registry) a path source `sdk:<name>`. The lockfile has no graph.

use std::path::Path;

use serde::Deserialize;
use serde_yaml_ng::{Mapping, Value};

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "pubspec.lock",
    slug: "pubspec-lock",
    ecosystem: Ecosystem::Pub,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "pubspec.lock"),
    extract,
};

#[derive(Deserialize)]
struct Lockfile {
    packages: Option<Mapping>,
}

#[derive(Deserialize)]
struct Entry {
    dependency: Option<String>,
    description: Option<Value>,
    source: Option<String>,
    version: Option<Value>,
}

/// A scalar as text (`version: 1.0` may be read as a number).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn field<'a>(description: Option<&'a Value>, key: &str) -> Option<&'a str> {
    description?.get(key)?.as_str()
}

/// Finds each package's key line, moving forward: a line that is exactly `name:` (indented).
struct KeyLines<'a> {
    lines: Vec<&'a str>,
    cursor: usize,
}

impl KeyLines<'_> {
    fn next(&mut self, name: &str) -> Option<u32> {
        let keys = [
            format!("{name}:"),
            format!("\"{name}\":"),
            format!("'{name}':"),
        ];
        let found = self
            .lines
            .iter()
            .enumerate()
            .skip(self.cursor)
            .find(|(_, l)| l.starts_with(' ') && keys.iter().any(|k| l.trim() == k))?
            .0;
        self.cursor = found + 1;
        u32::try_from(found + 1).ok()
    }
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let lock: Lockfile = serde_yaml_ng::from_str(input.text).map_err(|e| ParseError::yaml(&e))?;
    let mut key_lines = KeyLines {
        lines: input.text.lines().collect(),
        cursor: 0,
    };
    let mut packages = Vec::new();
    for (key, value) in lock.packages.unwrap_or_default() {
        let Some(name) = scalar(&key) else {
            return Err(ParseError::new("package names must be strings", None));
        };
        let line = key_lines.next(&name);
        let entry: Entry = serde_yaml_ng::from_value(value).map_err(|e| {
            ParseError::new(format!("invalid entry for package `{name}`: {e}"), line)
        })?;
        let version = entry.version.as_ref().and_then(scalar);
        let mut pkg = Package::new(
            Ecosystem::Pub,
            &name,
            version.as_deref(),
            Location {
                file: input.display.into(),
                line,
            },
        );
        match entry.dependency.as_deref() {
            Some("direct dev") => {
                pkg = pkg
                    .with_direct(true)
                    .with_scope(Scope::Dev)
                    .with_group("dev")
            }
            Some(d) if d.starts_with("direct") => pkg = pkg.with_direct(true),
            Some("transitive") => pkg = pkg.with_direct(false),
            _ => {}
        }
        let desc = entry.description.as_ref();
        pkg.source = match entry.source.as_deref() {
            Some("git") => field(desc, "url").map(|url| PackageSource::Git {
                url: url.to_owned().into(),
                commit: field(desc, "resolved-ref").map(Into::into),
            }),
            Some("path") => field(desc, "path").map(|path| PackageSource::Path {
                path: path.to_owned().into(),
            }),
            Some("sdk") => Some(PackageSource::Path {
                path: format!("sdk:{}", desc.and_then(Value::as_str).unwrap_or("unknown")).into(),
            }),
            _ => None,
        };
        packages.push(pkg);
    }
    Ok(packages.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "pubspec.lock",
            path: Path::new("pubspec.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Pub/pubspec-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Pub/pubspec-lock/source-git.lock"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn direct_dev_sources_and_lines() {
        let text = r#"packages:
  build_runner:
    dependency: "direct dev"
    description:
      name: build_runner
      url: "https://pub.example"
    source: hosted
    version: "2.2.1"
  name:
    dependency: transitive
    description:
      path: "."
      ref: main
      resolved-ref: "406b9b038b2c1d779f1e7bf609c8c248be247372"
      url: "https://git.example/name.git"
    source: git
    version: "0.1.2"
  flutter:
    dependency: "direct main"
    description: flutter
    source: sdk
    version: "0.0.0"
"#;
        let out = run(text).expect("parses");
        let [dev, git, sdk] = out.packages.as_slice() else {
            panic!("{:?}", out.packages)
        };
        assert_eq!(
            (dev.scope, dev.direct, dev.location.line),
            (Scope::Dev, Some(true), Some(2))
        );
        assert_eq!(dev.groups, ["dev"]);
        assert_eq!((git.direct, git.location.line), (Some(false), Some(9)));
        assert_eq!(
            git.source,
            Some(PackageSource::Git {
                url: "https://git.example/name.git".into(),
                commit: Some("406b9b038b2c1d779f1e7bf609c8c248be247372".into()),
            })
        );
        assert_eq!((sdk.scope, sdk.direct), (Scope::Runtime, Some(true)));
        assert_eq!(
            sdk.source,
            Some(PackageSource::Path {
                path: "sdk:flutter".into()
            })
        );
    }

    #[test]
    fn bad_entry_names_the_line() {
        let err =
            run("packages:\n  a:\n    version: \"1\"\n  b:\n    source: [1]\n").expect_err("bad");
        assert_eq!(err.line, Some(4), "{err}");
        let err = run("packages:\n  a: [\n").expect_err("syntax");
        assert!(err.line.is_some(), "{err}");
    }
}

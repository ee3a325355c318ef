//! `Package.resolved`: the Swift Package Manager's lockfile.
//!
//! Version 1 lists `object.pins[]` with a `repositoryURL`; versions 2 and 3 list `pins[]` with
//! a `location` and a `kind`. Each pin's `state` holds the resolved `version` and `revision`.
//! Swift packages are named by their repository URL without scheme and `.git`
//! (`github.com/apple/swift-nio`), as OSV's SwiftURL ecosystem names them. A pin on a branch or
//! a bare revision has no version and is reported with a git source at that commit; a local
//! checkout (`localSourceControl`) gets a path source; a registry pin is named by its identity.
//! The file records no graph and does not mark direct dependencies.

use std::path::Path;

use serde::Deserialize;

use super::lines::LineFinder;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Package.resolved",
    slug: "package-resolved",
    ecosystem: Ecosystem::SwiftUrl,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "Package.resolved"),
    extract,
};

#[derive(Deserialize)]
struct Resolved {
    object: Option<Object>,
    #[serde(default)]
    pins: Vec<Pin>,
}

#[derive(Deserialize)]
struct Object {
    #[serde(default)]
    pins: Vec<Pin>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pin {
    identity: Option<String>,
    package: Option<String>,
    kind: Option<String>,
    location: Option<String>,
    #[serde(rename = "repositoryURL")]
    repository_url: Option<String>,
    state: Option<State>,
}

#[derive(Deserialize)]
struct State {
    version: Option<String>,
    revision: Option<String>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let resolved: Resolved = serde_json::from_str(input.text).map_err(|e| ParseError::json(&e))?;
    let pins = resolved
        .object
        .map(|o| o.pins)
        .unwrap_or_default()
        .into_iter()
        .chain(resolved.pins);
    let mut finder = LineFinder::new(input.text);
    let mut packages = Vec::new();
    for pin in pins {
        let url = pin
            .location
            .as_deref()
            .or(pin.repository_url.as_deref())
            .unwrap_or_default()
            .trim();
        let identity = pin.identity.as_deref().or(pin.package.as_deref());
        let kind = pin.kind.as_deref().unwrap_or_default();
        let name = match (kind, identity) {
            ("registry", Some(id)) => id.to_owned(),
            _ if !url.is_empty() => name_of(url),
            (_, Some(id)) => id.to_owned(),
            (_, None) => continue,
        };
        let anchor = if url.is_empty() {
            identity.unwrap_or_default()
        } else {
            url
        };
        let location = Location {
            file: input.display.into(),
            line: finder.next(&format!("\"{anchor}\"")),
        };
        let state = pin.state.as_ref();
        let version = state.and_then(|s| s.version.as_deref());
        let mut pkg = Package::new(Ecosystem::SwiftUrl, &name, version, location);
        if kind == "localSourceControl" {
            pkg.source = Some(PackageSource::Path {
                path: url.to_owned().into(),
            });
        } else if version.is_none() && !url.is_empty() {
            pkg.source = Some(PackageSource::Git {
                url: url.to_owned().into(),
                commit: state.and_then(|s| s.revision.as_deref()).map(Into::into),
            });
        }
        packages.push(pkg);
    }
    Ok(packages.into())
}

/// `https://github.com/apple/swift-nio.git` and `git@github.com:apple/swift-nio.git` →
/// `github.com/apple/swift-nio`.
fn name_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    // Drop credentials (`user@`) and turn the scp-like `host:path` into `host/path`.
    let rest = match rest.split_once('@') {
        Some((user, host)) if !user.contains('/') => host,
        _ => rest,
    };
    let rest = if url.contains("://") {
        rest.to_owned()
    } else {
        rest.replacen(':', "/", 1)
    };
    let rest = rest.trim_end_matches('/');
    rest.strip_suffix(".git").unwrap_or(rest).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "Package.resolved",
            path: Path::new("Package.resolved"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("SwiftURL/package-resolved", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/SwiftURL/package-resolved/valid"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn urls_become_names() {
        assert_eq!(
            name_of("https://github.com/apple/swift-nio.git"),
            "github.com/apple/swift-nio"
        );
        assert_eq!(
            name_of("git@github.com:apple/swift-nio.git"),
            "github.com/apple/swift-nio"
        );
        assert_eq!(
            name_of("ssh://git@git.example/team/lib/"),
            "git.example/team/lib"
        );
    }

    #[test]
    fn version_1_and_branch_pins() {
        let text = r#"{
  "object": {
    "pins": [
      {
        "package": "swift-log",
        "repositoryURL": "https://github.com/apple/swift-log.git",
        "state": {"branch": null, "revision": "5d66", "version": "1.4.2"}
      },
      {
        "package": "Edge",
        "repositoryURL": "https://git.example/edge.git",
        "state": {"branch": "main", "revision": "abc123", "version": null}
      }
    ]
  },
  "version": 1
}"#;
        let out = run(text).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.location.line))
            .collect();
        assert_eq!(
            got,
            [
                ("github.com/apple/swift-log", Some("1.4.2"), Some(6)),
                ("git.example/edge", None, Some(11)),
            ]
        );
        assert_eq!(out.packages[0].source, None);
        assert_eq!(
            out.packages[1].source,
            Some(PackageSource::Git {
                url: "https://git.example/edge.git".into(),
                commit: Some("abc123".into())
            })
        );
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("{\n  \"pins\": [\n    {\"location\": 5}\n  ]\n}").expect_err("bad");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

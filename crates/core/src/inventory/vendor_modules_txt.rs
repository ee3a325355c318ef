//! `vendor/modules.txt`: the Go modules copied into a `vendor` directory by `go mod vendor`.
//!
//! Each `# module version` header is followed by `## explicit` annotations and the import paths
//! of the packages vendored from it. A module is reported once, at its header line, when at
//! least one package of it is vendored. A `=> module version` replacement reports the
//! replacement; a `=> ./dir` replacement keeps the original module and version, with a path
//! source. Headers whose path or version is not a valid module (a version whose major does not
//! match a `/vN` path suffix, a version that is not semantic) are skipped, as the go command
//! would reject them.

use std::collections::HashSet;
use std::path::Path;

use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "vendor/modules.txt",
    slug: "vendor-modules-txt",
    ecosystem: Ecosystem::Go,
    kind: Kind::Lockfile,
    matches: |p: &Path| {
        super::file_name_is(p, "modules.txt")
            && p.parent()
                .is_some_and(|dir| super::file_name_is(dir, "vendor"))
    },
    extract,
};

/// A module header waiting for its first vendored package.
struct Header {
    name: String,
    version: String,
    local: Option<String>,
    line: u32,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut packages = Vec::new();
    let mut seen = HashSet::new();
    let mut pending: Option<Header> = None;
    for (i, raw) in input.text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if let Some(rest) = line.strip_prefix("# ") {
            pending = parse_header(rest, line_no);
            continue;
        }
        if line.is_empty() || line.starts_with('#') || !is_import_path(line) {
            continue;
        }
        let Some(h) = pending.take() else {
            continue;
        };
        if !seen.insert((h.name.clone(), h.version.clone())) {
            continue;
        }
        let mut pkg = Package::new(
            Ecosystem::Go,
            &h.name,
            Some(&h.version),
            Location {
                file: input.display.into(),
                line: Some(h.line),
            },
        );
        if let Some(path) = h.local {
            pkg = pkg.with_source(PackageSource::Path { path: path.into() });
        }
        packages.push(pkg);
    }
    Ok(packages.into())
}

fn parse_header(rest: &str, line: u32) -> Option<Header> {
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let header = |name: &str, version: &str, local: Option<String>| {
        check_module(name, version).then(|| Header {
            name: name.to_owned(),
            version: version.strip_prefix('v').unwrap_or(version).to_owned(),
            local,
            line,
        })
    };
    match fields.iter().position(|f| *f == "=>") {
        None => match fields.as_slice() {
            [name, version] => header(name, version, None),
            _ => None,
        },
        Some(arrow) => match (fields.get(..arrow)?, fields.get(arrow + 1..)?) {
            (_, [name, version]) => header(name, version, None),
            ([name, version], [dir]) if is_local_path(dir) => {
                header(name, version, Some((*dir).to_owned()))
            }
            _ => None,
        },
    }
}

fn is_local_path(path: &str) -> bool {
    ["./", "../", "/", ".\\", "..\\"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// An import path: slash-separated non-empty elements of the characters Go allows.
fn is_import_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.ends_with('/')
        && path.split('/').all(|e| {
            !e.is_empty()
                && e != "."
                && e != ".."
                && !e.starts_with('-')
                && e.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~+".contains(c))
        })
}

/// A module path and version the go command accepts: the path is an import path whose first
/// element looks like a host name, the version is canonical semver, and the major version
/// agrees with the path (`/vN` or gopkg.in `.vN` suffix; `+incompatible` only without one).
fn check_module(path: &str, version: &str) -> bool {
    let first = path.split('/').next().unwrap_or_default();
    if !is_import_path(path)
        || !first.contains('.')
        || first
            .chars()
            .any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
    {
        return false;
    }
    let Some(major) = semver_major(version) else {
        return false;
    };
    let incompatible = version.ends_with("+incompatible");
    match path_major(path) {
        Some(n) => !incompatible && major == n,
        None => {
            if incompatible {
                major >= 2
            } else {
                major <= 1
            }
        }
    }
}

/// The major version a path suffix demands: `/v2` → 2, gopkg.in `pkg.v3` → 3.
fn path_major(path: &str) -> Option<u64> {
    let last = path.rsplit('/').next()?;
    if path.starts_with("gopkg.in/") {
        let (_, v) = last.rsplit_once(".v")?;
        return v.parse().ok();
    }
    let n: u64 = last.strip_prefix('v')?.parse().ok()?;
    (n >= 2 && !last.starts_with("v0") && !last.starts_with("v1")).then_some(n)
}

/// The major of a canonical semantic version `vMAJOR.MINOR.PATCH[-pre][+incompatible]`.
fn semver_major(version: &str) -> Option<u64> {
    let v = version.strip_prefix('v')?;
    let v = match v.split_once('+') {
        Some((v, "incompatible")) => v,
        Some(_) => return None,
        None => v,
    };
    let (core, pre) = match v.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (v, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    let [major, minor, patch] = nums.as_slice() else {
        return None;
    };
    let numeric = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    if !(numeric(major) && numeric(minor) && numeric(patch)) {
        return None;
    }
    if let Some(pre) = pre {
        let ok = pre
            .split('.')
            .all(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok {
            return None;
        }
    }
    major.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "vendor/modules.txt",
                path: Path::new("vendor/modules.txt"),
                text,
            })
            .expect("never fails")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Go/vendor-modules-txt", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures()
                .join("lockfiles/Go/vendor-modules-txt/valid/vendor/modules.txt"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn matches_only_inside_vendor() {
        assert!((EXTRACTOR.matches)(Path::new("a/vendor/modules.txt")));
        assert!(!(EXTRACTOR.matches)(Path::new("a/modules.txt")));
        assert!(!(EXTRACTOR.matches)(Path::new("vendor/x/modules.txt")));
    }

    #[test]
    fn header_line_and_local_source() {
        let out = run("# example.com/a v1.0.0 => ../a\n## explicit\nexample.com/a\n\n# example.com/b v0.1.0\n## explicit\nexample.com/b/pkg\n");
        let [a, b] = out.packages.as_slice() else {
            panic!("{:?}", out.packages)
        };
        assert_eq!(
            (a.name.as_str(), a.location.line),
            ("example.com/a", Some(1))
        );
        assert_eq!(
            a.source,
            Some(PackageSource::Path {
                path: "../a".into()
            })
        );
        assert_eq!(
            (b.version.as_deref(), b.location.line),
            (Some("0.1.0"), Some(5))
        );
    }

    #[test]
    fn module_checks_follow_major_versions() {
        assert!(check_module("git.example/x/y/v2", "v2.1.0"));
        assert!(!check_module("git.example/x/y/v2", "v1.0.0"));
        assert!(check_module("gopkg.in/yaml.v3", "v3.0.1"));
        assert!(check_module("git.example/x/y", "v2.0.0+incompatible"));
        assert!(!check_module("git.example/x/y", "v2.0.0"));
        assert!(!check_module("git.example/x/y", "v1.02.0"));
        assert!(!check_module("nodot/y", "v1.0.0"));
    }
}

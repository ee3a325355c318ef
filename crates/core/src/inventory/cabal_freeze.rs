//! `cabal.project.freeze`: the file `cabal freeze` writes to pin a Haskell project's build plan.
//!
//! It is in cabal's project-file syntax: `field: value` lines, a value continuing on indented
//! lines, `--` comments. The `constraints` field lists comma-separated constraints such as
//! `any.aeson ==2.2.1.0`; each pinned package is reported with its line. Flag settings
//! (`zlib -bundled-c-zlib`) and `installed` constraints (packages shipped with the compiler) pin
//! no version from Hackage and are skipped, as upstream tools skip them. Constraints qualified
//! for a package's `setup` script are build-time (`Dev`, group `setup`). The file records no graph.
//!
//! Parsed by hand: no maintained crate reads cabal's file syntax, and the part needed is a
//! few lines of splitting.

use std::path::Path;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "cabal.project.freeze",
    slug: "cabal-project-freeze",
    ecosystem: Ecosystem::Hackage,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "cabal.project.freeze"),
    extract,
};

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut packages = Vec::new();
    let mut in_constraints = false;
    for (idx, raw) in input.text.lines().enumerate() {
        let line_no = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let line = raw.split("--").next().unwrap_or_default();
        if line.trim().is_empty() {
            continue;
        }
        let value = if line.starts_with([' ', '\t']) {
            if !in_constraints {
                continue;
            }
            line
        } else {
            match line.split_once(':') {
                Some((field, value)) if field.trim().eq_ignore_ascii_case("constraints") => {
                    in_constraints = true;
                    value
                }
                _ => {
                    in_constraints = false;
                    continue;
                }
            }
        };
        for constraint in value.split(',') {
            if let Some(pkg) = package_of(constraint, input.display, line_no) {
                packages.push(pkg);
            }
        }
    }
    Ok(packages.into())
}

/// One constraint: `[qualifier.]name ==version`; anything else pins nothing.
fn package_of(constraint: &str, file: &str, line: u32) -> Option<Package> {
    let constraint = constraint.trim();
    let (target, rest) = constraint.split_once(char::is_whitespace)?;
    let version = rest.trim().strip_prefix("==")?.trim();
    if version.is_empty() || version.contains(char::is_whitespace) {
        return None;
    }
    // Package names never contain dots, so the qualifier is everything before the last one.
    let (qualifier, name) = target.rsplit_once('.').unwrap_or(("", target));
    if name.is_empty() {
        return None;
    }
    let location = Location {
        file: file.into(),
        line: Some(line),
    };
    let pkg = Package::new(Ecosystem::Hackage, name, Some(version), location);
    let is_setup = qualifier
        .rsplit([':', '.'])
        .next()
        .is_some_and(|q| q == "setup");
    Some(if is_setup {
        pkg.with_scope(Scope::Dev).with_group("setup")
    } else {
        pkg
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "cabal.project.freeze",
                path: Path::new("cabal.project.freeze"),
                text,
            })
            .expect("never fails")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Hackage/cabal-project-freeze", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Hackage/cabal-project-freeze/valid"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn lines_flags_installed_and_setup() {
        let text = "active-repositories: hackage.example:merge\n\
                    constraints: any.aeson ==2.2.1.0,\n\
                    \x20            zlib -bundled-c-zlib +pkg-config,\n\
                    \x20            any.base installed, -- the compiler's own\n\
                    \x20            lens:setup.Cabal ==3.10.1.0, any.text ==2.0.2\n\
                    index-state: hackage.example 2024-01-01T00:00:00Z\n\
                    \x20            any.ignored ==1.0\n";
        let out = run(text);
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.location.line,
                    p.scope,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("aeson", Some("2.2.1.0"), Some(2), Scope::Runtime),
                ("Cabal", Some("3.10.1.0"), Some(5), Scope::Dev),
                ("text", Some("2.0.2"), Some(5), Scope::Runtime),
            ]
        );
        assert_eq!(out.packages[1].groups, ["setup"]);
        assert_eq!(out.packages[0].direct, None);
    }
}

//! `packages.config`: the package list of an old-style (.NET Framework) NuGet project, one
//! `<package id version>` element each.
//!
//! Every package is reported as declared directly (the file lists transitive packages too, but
//! does not tell them apart, so `direct` is left unknown); `developmentDependency="true"`
//! makes a dev dependency. Entries without an id or a version are skipped.

use std::path::Path;

use super::xml_tree;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "packages.config",
    slug: "packages-config",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "packages.config"),
    extract,
};

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let root = xml_tree::parse(input.text)?;
    let mut out = Extracted::default();
    for entry in root.children_ci("package") {
        let line = entry.line(input.text);
        let id = entry.attr_ci("id").map(str::trim).unwrap_or_default();
        let version = entry.attr_ci("version").map(str::trim).unwrap_or_default();
        if id.is_empty() || version.is_empty() {
            out.diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    "skipped a `<package>` without an `id` or a `version`",
                )
                .in_file(input.display, Some(line)),
            );
            continue;
        }
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        let mut pkg = Package::new(Ecosystem::NuGet, id, Some(version), location);
        if entry
            .attr_ci("developmentDependency")
            .is_some_and(|d| d.trim().eq_ignore_ascii_case("true"))
        {
            pkg.scope = Scope::Dev;
        }
        out.packages.push(pkg);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "packages.config",
            path: Path::new("packages.config"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/packages-config", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/NuGet/packages-config/valid"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn development_dependencies_are_dev() {
        let out = run("<packages>\n  <package id=\"A\" version=\"1.0\" />\n  \
                       <package id=\"B\" version=\"2.0\" developmentDependency=\"true\" />\n\
                       <package id=\"C\" />\n</packages>")
        .expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.scope, p.location.line))
            .collect();
        assert_eq!(
            got,
            [("A", Scope::Runtime, Some(2)), ("B", Scope::Dev, Some(3))]
        );
        assert_eq!(out.diagnostics[0].line, Some(4));
        assert_eq!(out.packages[0].purl, "pkg:nuget/A@1.0");
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err =
            run("<packages>\n<package id=\"A\" version=\"1\">\n</packages>").expect_err("bad");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

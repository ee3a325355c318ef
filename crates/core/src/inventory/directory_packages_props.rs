//! `Directory.Packages.props`: NuGet central package management, the versions a repository's
//! projects use (`<PackageVersion Include Version>`), and packages every project references
//! (`<GlobalPackageReference Include Version>`).
//!
//! A `PackageVersion` pins a version without saying that any project uses it, so `direct` is
//! left unknown; a `GlobalPackageReference` is a direct development dependency of every project
//! (MSBuild makes it private, as for analyzers). Entries without an `Include` or a `Version`
//! are skipped.

use std::path::{Path, PathBuf};

use super::xml_tree::{self, Element};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Directory.Packages.props",
    slug: "directory-packages-props",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "Directory.Packages.props"),
    extract,
};

/// The file name MSBuild looks for.
pub(crate) const FILE_NAME: &str = "Directory.Packages.props";

/// One central entry: package id, version as written, element.
pub(crate) struct CentralEntry<'a> {
    pub id: &'a str,
    pub version: &'a str,
    pub global: bool,
    pub element: &'a Element,
}

/// Every `PackageVersion` and `GlobalPackageReference` in the document, in file order.
pub(crate) fn entries(root: &Element) -> Vec<CentralEntry<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(el) = stack.pop() {
        let global = el.name.eq_ignore_ascii_case("GlobalPackageReference");
        if global || el.name.eq_ignore_ascii_case("PackageVersion") {
            let id = el.attr_ci("Include").map(str::trim).unwrap_or_default();
            let version = el
                .attr_ci("Version")
                .or_else(|| el.child_ci("Version").map(Element::trimmed))
                .map(str::trim)
                .unwrap_or_default();
            out.push(CentralEntry {
                id,
                version,
                global,
                element: el,
            });
        }
        stack.extend(el.children.iter().rev());
    }
    out
}

/// The nearest `Directory.Packages.props` at or above `dir` (MSBuild's lookup), at most
/// `max_levels` directories up.
pub(crate) fn find_upwards(dir: &Path, max_levels: usize) -> Option<PathBuf> {
    dir.ancestors()
        .take(max_levels)
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let root = xml_tree::parse(input.text)?;
    let mut out = Extracted::default();
    for entry in entries(&root) {
        let line = entry.element.line(input.text);
        if entry.id.is_empty() || entry.version.is_empty() {
            out.diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!(
                        "skipped a `<{}>` without an `Include` or a `Version`",
                        entry.element.name
                    ),
                )
                .in_file(input.display, Some(line)),
            );
            continue;
        }
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        let (version, requirement) = super::ranges::nuget(entry.version);
        let mut pkg = Package::new(Ecosystem::NuGet, entry.id, version.as_deref(), location);
        if let Some(r) = requirement {
            pkg = pkg.with_requirement(r);
        }
        if entry.global {
            pkg.direct = Some(true);
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
            display: FILE_NAME,
            path: Path::new(FILE_NAME),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/directory-packages-props", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = r#"<Project>
  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Newtonsoft.Json" Version="13.0.1" />
    <GlobalPackageReference Include="StyleCop.Analyzers" Version="1.1.118" />
  </ItemGroup>
</Project>"#;
        testing::check_hostile(&EXTRACTOR, sample);
    }

    #[test]
    fn versions_and_global_references() {
        let out = run(r#"<Project>
  <ItemGroup>
    <PackageVersion Include="A" Version="1.0" />
    <PackageVersion Include="B"><Version>[2.0,3.0)</Version></PackageVersion>
    <GlobalPackageReference Include="G" Version="3.0" />
    <PackageVersion Include="" Version="1" />
    <PackageReference Include="Ignored" Version="1" />
  </ItemGroup>
</Project>"#)
        .expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.requirement.as_deref(),
                    p.direct,
                    p.scope,
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", Some("1.0"), None, None, Scope::Runtime, Some(3)),
                (
                    "B",
                    Some("2.0"),
                    Some("[2.0,3.0)"),
                    None,
                    Scope::Runtime,
                    Some(4)
                ),
                ("G", Some("3.0"), None, Some(true), Scope::Dev, Some(5)),
            ]
        );
        assert_eq!(out.diagnostics[0].line, Some(6));
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err = run("<Project>\n<ItemGroup>\n</Project>").expect_err("bad");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

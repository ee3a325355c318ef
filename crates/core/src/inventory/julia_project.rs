//! `Project.toml`: a Julia project or package manifest (the declared side; `Manifest.toml`
//! pins versions).
//!
//! The project itself is reported when it has a `name` (with its `version`, as a path package),
//! as upstream tools report it. Every `[deps]` entry is a direct runtime dependency,
//! `[weakdeps]` an optional one, and `[extras]` a development one (grouped under the
//! `[targets]` that use it, such as `test`); none is pinned, and the `[compat]` entry for the
//! name becomes its requirement.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::lines::line_of_offset;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "Project.toml",
    slug: "project-toml",
    ecosystem: Ecosystem::Julia,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "Project.toml") || file_name_is(p, "JuliaProject.toml"),
    extract,
};

#[derive(Deserialize)]
struct Project {
    name: Option<Spanned<String>>,
    version: Option<String>,
    #[serde(default)]
    deps: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    weakdeps: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    extras: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    compat: BTreeMap<String, String>,
    #[serde(default)]
    targets: BTreeMap<String, Vec<String>>,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let project: Project =
        toml::from_str(input.text).map_err(|e| ParseError::toml(&e, input.text))?;
    let location = |span_start: usize| Location {
        file: input.display.into(),
        line: Some(line_of_offset(input.text, span_start)),
    };

    let mut deps = Vec::new();
    let sections = [
        (&project.deps, Scope::Runtime),
        (&project.weakdeps, Scope::Optional),
        (&project.extras, Scope::Dev),
    ];
    for (section, scope) in sections {
        for name in section.keys() {
            let mut pkg = Package::new(
                Ecosystem::Julia,
                name.get_ref(),
                None,
                location(name.span().start),
            )
            .with_scope(scope)
            .with_direct(true);
            if let Some(range) = project.compat.get(name.get_ref()) {
                pkg = pkg.with_requirement(range.as_str());
            }
            if scope == Scope::Dev {
                for (target, members) in &project.targets {
                    if members.iter().any(|m| m == name.get_ref()) {
                        pkg.add_group(target);
                    }
                }
            }
            deps.push(pkg);
        }
    }
    deps.sort_by_key(|p| p.location.line);

    let mut packages = Vec::with_capacity(deps.len() + 1);
    if let Some(name) = &project.name {
        let mut own = Package::new(
            Ecosystem::Julia,
            name.get_ref(),
            project.version.as_deref(),
            location(name.span().start),
        )
        .with_source(PackageSource::Path { path: ".".into() });
        own.dependencies = deps.iter().map(|p| p.purl.to_string()).collect();
        packages.push(own);
    }
    packages.extend(deps);
    Ok(packages.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "Project.toml",
            path: Path::new("Project.toml"),
            text,
        })
    }

    const PROJECT: &str = r#"name = "MyPkg"
uuid = "1e83bf80-4336-4d27-bf5d-d5a4f845583c"
version = "0.3.0"

[deps]
JSON = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
Dates = "ade2ca70-3891-5945-98fb-dc099432e06a"

[weakdeps]
Plots = "91a5bcdd-55d7-5caf-9e0b-520d859cae80"

[compat]
JSON = "0.21"
julia = "1.6"

[extras]
Test = "8dfed614-e22c-5e08-85e1-65c5234f0b40"

[targets]
test = ["Test"]
"#;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Julia/project-toml", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        testing::check_hostile(&EXTRACTOR, PROJECT);
    }

    #[test]
    fn deps_compat_scopes_and_lines() {
        let out = run(PROJECT).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.requirement.as_deref(),
                    p.scope,
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("MyPkg", Some("0.3.0"), None, Scope::Runtime, Some(1)),
                ("JSON", None, Some("0.21"), Scope::Runtime, Some(6)),
                ("Dates", None, None, Scope::Runtime, Some(7)),
                ("Plots", None, None, Scope::Optional, Some(10)),
                ("Test", None, None, Scope::Dev, Some(17)),
            ]
        );
        assert_eq!(out.packages[4].groups, ["test"]);
        assert_eq!(out.packages[1].direct, Some(true));
        assert_eq!(out.packages[0].dependencies.len(), 4);
    }

    #[test]
    fn type_errors_name_the_line() {
        let err = run("name = \"A\"\n[deps]\nJSON = 1\n").expect_err("uuid must be a string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

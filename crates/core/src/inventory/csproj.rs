//! MSBuild project files (`*.csproj`, `*.vbproj`, `*.fsproj`): the NuGet packages a project
//! references with `<PackageReference>`.
//!
//! The package id comes from `Include` (or `Update`, which sets the version of a reference
//! made elsewhere); the version from the `Version` attribute or child element, `VersionOverride`
//! winning, with `$(Property)` references resolved from the project's `<PropertyGroup>`s.
//! Under central package management the version is absent and comes from the nearest
//! `Directory.Packages.props` above the project on disk. References that end up with no version
//! are skipped, as upstream tools do. Every reference is direct; `PrivateAssets="all"` marks a
//! build-time (dev) dependency.
//!
//! A `Condition` on a reference or an enclosing element is evaluated where the project file
//! decides it ([`msbuild_condition`]): a reference whose condition is false is not reported. One
//! that depends on what the file does not set (`$(Configuration)`, an imported property) is
//! reported, with a note saying so.

use std::collections::HashMap;
use std::path::Path;

use super::directory_packages_props;
use super::msbuild_condition::{self, Context, Decision};
use super::ranges;
use super::xml_tree::{self, Element};
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "<project>.csproj",
    slug: "csproj",
    ecosystem: Ecosystem::NuGet,
    kind: Kind::Manifest,
    matches,
    extract,
};

/// How many directories up `Directory.Packages.props` is looked for.
const MAX_PROPS_LEVELS: usize = 16;
/// The largest `Directory.Packages.props` read.
const MAX_PROPS_BYTES: u64 = 8 * 1024 * 1024;

fn matches(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "csproj" | "vbproj" | "fsproj"))
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let root = xml_tree::parse(input.text)?;
    let mut out = Extracted::default();
    let properties = properties(&root);
    let dir = input.path.parent().unwrap_or(Path::new(""));
    let literal = literal_properties(&root, dir, input.display);
    let cx = Context {
        properties: &literal,
        dir,
        depth: input.display.matches('/').count(),
    };
    let mut central: Option<HashMap<String, String>> = None;
    let mut index: HashMap<String, usize> = HashMap::new();
    for (reference, conditions) in conditioned(&root, "PackageReference") {
        let line = reference.line(input.text);
        let mut undecided = None;
        let mut disabled = false;
        for condition in conditions {
            match msbuild_condition::evaluate(condition, &cx) {
                Decision::Decided(false) => disabled = true,
                Decision::Decided(true) => {}
                Decision::Undecided => undecided = undecided.or(Some(condition)),
            }
        }
        if disabled {
            continue;
        }
        let warn = |msg: String| {
            Diagnostic::warning(Code::ParseError, msg).in_file(input.display, Some(line))
        };
        let include = reference
            .attr_ci("Include")
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let update = reference
            .attr_ci("Update")
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let Some(id) = include.or(update) else {
            out.diagnostics.push(warn(
                "skipped a `<PackageReference>` without `Include` or `Update`".into(),
            ));
            continue;
        };
        let written = ["VersionOverride", "Version"].iter().find_map(|k| {
            reference
                .attr_ci(k)
                .or_else(|| reference.child_ci(k).map(Element::trimmed))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        });
        let version = match written {
            Some(v) => Some(expand(v, &properties)),
            None => central
                .get_or_insert_with(|| central_versions(input))
                .get(&id.to_ascii_lowercase())
                .cloned(),
        };
        // `Update` changes a reference made earlier in the file.
        if include.is_none() {
            if let (Some(&at), Some(v)) = (index.get(&id.to_ascii_lowercase()), &version) {
                if let Some(pkg) = out.packages.get_mut(at) {
                    *pkg = package(input, id, v, pkg.location.line.unwrap_or(line), pkg.scope);
                }
                continue;
            }
        }
        let Some(version) = version else {
            out.diagnostics.push(warn(format!(
                "skipped `{id}`: no version here or in a `Directory.Packages.props` above"
            )));
            continue;
        };
        let private = reference
            .attr_ci("PrivateAssets")
            .or_else(|| reference.child_ci("PrivateAssets").map(Element::trimmed))
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("all"));
        let scope = if private { Scope::Dev } else { Scope::Runtime };
        if let Some(condition) = undecided {
            out.diagnostics.push(
                Diagnostic::note(
                    Code::Unsupported,
                    format!(
                        "`{id}` is reported although its condition `{}` is not decided by the \
                         project file",
                        condition.trim()
                    ),
                )
                .in_file(input.display, Some(line)),
            );
        }
        index.insert(id.to_ascii_lowercase(), out.packages.len());
        out.packages.push(package(input, id, &version, line, scope));
    }
    Ok(out)
}

/// Elements with this name anywhere below `root`, in document order, each with the `Condition`
/// attributes of its enclosing elements and its own, outermost first.
fn conditioned<'a>(root: &'a Element, name: &str) -> Vec<(&'a Element, Vec<&'a str>)> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Element, Vec<&str>)> = vec![(root, Vec::new())];
    while let Some((el, mut conditions)) = stack.pop() {
        if let Some(c) = el.attr_ci("Condition").filter(|c| !c.trim().is_empty()) {
            conditions.push(c);
        }
        if el.name.eq_ignore_ascii_case(name) {
            out.push((el, conditions.clone()));
        }
        stack.extend(el.children.iter().rev().map(|c| (c, conditions.clone())));
    }
    out
}

/// The properties the project file sets for certain, in document order (later ones winning,
/// `$(…)` expanded from earlier ones), by lowercase name: those under a condition the file
/// decides as true, and none under a false or undecided one (an undecided one makes its property
/// unknown from there on).
fn literal_properties(root: &Element, dir: &Path, display: &str) -> HashMap<String, String> {
    let mut map: HashMap<String, String> = HashMap::new();
    let depth = display.matches('/').count();
    for (group, conditions) in conditioned(root, "PropertyGroup") {
        for p in &group.children {
            let mut all = conditions.clone();
            all.extend(p.attr_ci("Condition").filter(|c| !c.trim().is_empty()));
            let cx = Context {
                properties: &map,
                dir,
                depth,
            };
            let decisions: Vec<Decision> = all
                .iter()
                .map(|c| msbuild_condition::evaluate(c, &cx))
                .collect();
            let key = p.name.to_ascii_lowercase();
            if decisions.contains(&Decision::Decided(false)) {
                continue;
            }
            if decisions.contains(&Decision::Undecided) {
                map.remove(&key);
                continue;
            }
            let value = expand(p.trimmed(), &map);
            map.insert(key, value);
        }
    }
    map
}

fn package(input: &Input<'_>, id: &str, version: &str, line: u32, scope: Scope) -> Package {
    let location = Location {
        file: input.display.into(),
        line: Some(line),
    };
    let (pinned, requirement) = if version.contains("$(") {
        (None, Some(version.to_owned()))
    } else {
        ranges::nuget(version)
    };
    let mut pkg = Package::new(Ecosystem::NuGet, id, pinned.as_deref(), location)
        .with_direct(true)
        .with_scope(scope);
    if let Some(r) = requirement {
        pkg = pkg.with_requirement(r);
    }
    pkg
}

/// Elements with this name anywhere below `root`, in document order.
fn descendants<'a>(root: &'a Element, name: &str) -> Vec<&'a Element> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(el) = stack.pop() {
        if el.name.eq_ignore_ascii_case(name) {
            out.push(el);
        }
        stack.extend(el.children.iter().rev());
    }
    out
}

/// The project's own properties (`<PropertyGroup><Name>value</Name>`), later definitions winning.
fn properties(root: &Element) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for group in descendants(root, "PropertyGroup") {
        for p in &group.children {
            map.insert(p.name.to_ascii_lowercase(), p.trimmed().to_owned());
        }
    }
    map
}

/// Replaces `$(Name)` with the property's value, a few levels deep; unknown ones stay.
fn expand(value: &str, properties: &HashMap<String, String>) -> String {
    let mut current = value.to_owned();
    for _ in 0..8 {
        if !current.contains("$(") {
            break;
        }
        let mut out = String::new();
        let mut rest = current.as_str();
        while let Some(start) = rest.find("$(") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            match properties.get(&name.to_ascii_lowercase()) {
                Some(v) => out.push_str(v),
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = &after[end + 1..];
            if out.len() > 64 * 1024 {
                return out;
            }
        }
        out.push_str(rest);
        if out == current {
            break;
        }
        current = out;
    }
    current
}

/// Versions from the nearest `Directory.Packages.props`, by lowercase package id.
fn central_versions(input: &Input<'_>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Some(dir) = input.path.parent() else {
        return map;
    };
    let Some(path) = directory_packages_props::find_upwards(dir, MAX_PROPS_LEVELS) else {
        return map;
    };
    if std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_PROPS_BYTES) {
        return map;
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return map;
    };
    let text = String::from_utf8_lossy(&bytes);
    let Ok(root) = xml_tree::parse(&text) else {
        return map;
    };
    let properties = properties(&root);
    for entry in directory_packages_props::entries(&root) {
        if !entry.global && !entry.id.is_empty() && !entry.version.is_empty() {
            map.insert(
                entry.id.to_ascii_lowercase(),
                expand(entry.version, &properties),
            );
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "app.csproj",
            path: Path::new("/nonexistent/app.csproj"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("NuGet/csproj", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><V>2.0</V></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="LiteDB" Version="5.0.12" />
    <PackageReference Include="Serilog"><Version>$(V)</Version></PackageReference>
  </ItemGroup>
</Project>"#;
        testing::check_hostile(&EXTRACTOR, sample);
    }

    #[test]
    fn matches_project_extensions() {
        assert!(matches(Path::new("src/App.csproj")));
        assert!(matches(Path::new("App.fsproj")));
        assert!(matches(Path::new("App.vbproj")));
        assert!(!matches(Path::new("App.csproj.user")));
    }

    #[test]
    fn forms_properties_update_and_private_assets() {
        let out = run(r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><SerilogVersion>2.10.0</SerilogVersion></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="A" Version="1.0" />
    <PackageReference Include="B">
      <Version>$(SerilogVersion)</Version>
    </PackageReference>
    <PackageReference Include="C" Version="[1.0,2.0)" PrivateAssets="All" />
    <PackageReference Include="D" Version="1.*" />
    <PackageReference Update="A" Version="1.5" />
    <PackageReference Include="E" Version="$(Unknown)" />
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
                    p.scope,
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", Some("1.5"), None, Scope::Runtime, Some(4)),
                ("B", Some("2.10.0"), None, Scope::Runtime, Some(5)),
                ("C", Some("1.0"), Some("[1.0,2.0)"), Scope::Dev, Some(8)),
                ("D", None, Some("1.*"), Scope::Runtime, Some(9)),
                ("E", None, Some("$(Unknown)"), Scope::Runtime, Some(11)),
            ]
        );
        assert!(out.packages.iter().all(|p| p.direct == Some(true)));
    }

    #[test]
    fn central_versions_come_from_directory_packages_props() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("src/App")).expect("mkdir");
        std::fs::write(
            dir.path().join(directory_packages_props::FILE_NAME),
            r#"<Project><ItemGroup><PackageVersion Include="Newtonsoft.Json" Version="13.0.1" /></ItemGroup></Project>"#,
        )
        .expect("write");
        let text = "<Project>\n<ItemGroup>\n<PackageReference Include=\"newtonsoft.json\" />\n\
                    <PackageReference Include=\"Missing\" />\n</ItemGroup>\n</Project>";
        let path = dir.path().join("src/App/App.csproj");
        let out = EXTRACTOR
            .run(&Input {
                display: "src/App/App.csproj",
                path: &path,
                text,
            })
            .expect("parses");
        assert_eq!(out.packages.len(), 1);
        assert_eq!(out.packages[0].version.as_deref(), Some("13.0.1"));
        assert_eq!(out.packages[0].location.line, Some(3));
        assert_eq!(out.diagnostics[0].line, Some(4));
    }

    /// Issue 18: a package added only when a property the project sets to `false` is `'true'`
    /// (the shape of an Aspire AppHost project with a disabled community plugin) is not
    /// reported; one under a condition the file does not decide is, with a note.
    #[test]
    fn conditions_the_project_decides() {
        let dir = testing::repo_fixtures().join("inventory/dotnet-apphost");
        let path = dir.join("AppHost/AppHost.csproj");
        let text = std::fs::read_to_string(&path).expect("fixture");
        let out = EXTRACTOR
            .run(&Input {
                display: "AppHost/AppHost.csproj",
                path: &path,
                text: &text,
            })
            .expect("parses");
        let names: Vec<_> = out.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Aspire.Hosting.AppHost",
                "Aspire.Hosting.SqlServer",
                "Aspire.Hosting.Redis",
                "Microsoft.Extensions.Logging.Debug",
                "Aspire.Hosting.Testing",
            ]
        );
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        let note = &out.diagnostics[0];
        assert_eq!(note.severity, crate::diag::Severity::Note);
        assert!(
            note.message.contains("Microsoft.Extensions.Logging.Debug"),
            "{}",
            note.message
        );
        assert!(
            note.message.contains("$(Configuration)"),
            "{}",
            note.message
        );
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err = run("<Project>\n<ItemGroup>\n</Project>").expect_err("bad");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

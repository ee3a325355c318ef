//! `gradle/verification-metadata.xml`: Gradle's dependency verification file, which lists every
//! resolved component (`<component group name version>`) with checksums of its artifacts.
//!
//! Each component is reported once, with the SHA-256/SHA-512 (and older SHA-1/MD5) checksums of
//! its artifacts as hashes. The file does not record the graph or which components are direct.

use std::path::Path;

use super::xml_tree::{self, Element};
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Hash, Location, Package};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "gradle/verification-metadata.xml",
    slug: "gradle-verification-metadata",
    ecosystem: Ecosystem::Maven,
    kind: Kind::Lockfile,
    matches,
    extract,
};

/// `verification-metadata.xml` directly inside a `gradle` directory.
fn matches(path: &Path) -> bool {
    super::file_name_is(path, "verification-metadata.xml")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "gradle")
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let root = xml_tree::parse(input.text)?;
    let mut out = Extracted::default();
    let components = root.child("components").into_iter();
    for component in components.flat_map(|c| c.children_named("component")) {
        out.packages
            .push(package(input, component, &mut out.diagnostics));
    }
    Ok(out)
}

fn package(input: &Input<'_>, component: &Element, diags: &mut Vec<Diagnostic>) -> Package {
    let line = component.line(input.text);
    let group = component.attr("group").unwrap_or_default();
    let name = component.attr("name").unwrap_or_default();
    let version = component.attr("version");
    // Upstream tools still report a component with a missing coordinate; so does trusca, with
    // a warning, so that nothing verified by Gradle goes unlisted.
    for (attr, value) in [
        ("group", Some(group)),
        ("name", Some(name)),
        ("version", version),
    ] {
        if value.is_none_or(str::is_empty) {
            diags.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!("component has no `{attr}` attribute"),
                )
                .in_file(input.display, Some(line)),
            );
        }
    }
    let location = Location {
        file: input.display.into(),
        line: Some(line),
    };
    let mut pkg = Package::new(
        Ecosystem::Maven,
        &format!("{group}:{name}"),
        version,
        location,
    );
    for artifact in component.children_named("artifact") {
        for sum in &artifact.children {
            let alg = sum.name.as_str();
            if !matches!(alg, "sha256" | "sha512" | "sha1" | "md5") {
                continue;
            }
            if let Some(value) = sum.attr("value").filter(|v| is_hex(v)) {
                let hash = Hash::new(alg, value);
                if !pkg.hashes.contains(&hash) {
                    pkg.hashes.push(hash);
                }
            }
        }
    }
    pkg
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Maven/gradle-verification-metadata", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures()
                .join("lockfiles/Maven/gradle-verification-metadata/multiple-versions.xml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn matches_only_under_gradle_directory() {
        assert!(matches(Path::new("app/gradle/verification-metadata.xml")));
        assert!(!matches(Path::new("app/verification-metadata.xml")));
    }

    #[test]
    fn reports_hashes_and_lines() {
        let text = r#"<verification-metadata>
  <components>
    <component
        group="g" name="a" version="1">
      <artifact name="a-1.jar">
        <pgp value="0123"/>
        <sha256 value="AB12"/>
      </artifact>
      <artifact name="a-1.pom"><sha512 value="cd34"/><sha256 value="ab12"/></artifact>
    </component>
    <component group="g" version="2"/>
  </components>
</verification-metadata>"#;
        let out = EXTRACTOR
            .run(&Input {
                display: "gradle/verification-metadata.xml",
                path: Path::new("gradle/verification-metadata.xml"),
                text,
            })
            .expect("parses");
        let a = &out.packages[0];
        assert_eq!(a.location.line, Some(3));
        assert_eq!(
            a.hashes,
            [Hash::new("sha256", "ab12"), Hash::new("sha512", "cd34")]
        );
        assert_eq!(out.packages[1].name, "g:");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(11));
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err = EXTRACTOR
            .run(&Input {
                display: "v.xml",
                path: Path::new("v.xml"),
                text: "<verification-metadata>\n<components>\n</verification-metadata>",
            })
            .expect_err("mismatched tags");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

//! `gradle.lockfile`: Gradle's dependency locking file, one resolved module a line
//! (`group:artifact:version=configuration,...`, plus a closing `empty=` line).
//!
//! Every module is reported with its configurations as groups; a module used only by test
//! configurations is a dev dependency. The file does not say which modules are direct.

use std::path::Path;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "gradle.lockfile",
    slug: "gradle-lockfile",
    ecosystem: Ecosystem::Maven,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "gradle.lockfile"),
    extract,
};

// A line-oriented format with no grammar beyond `coordinates=configurations`: no parser crate
// fits, so it is split by hand.
fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut out = Extracted::default();
    for (i, raw) in input.text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with("empty=") {
            continue;
        }
        let (coordinates, configurations) = text.split_once('=').unwrap_or((text, ""));
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            out.diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!("skipped a line that is not `group:artifact:version`: `{text}`"),
                )
                .in_file(input.display, Some(line)),
            );
            continue;
        };
        if group.is_empty() || artifact.is_empty() || version.is_empty() {
            out.diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!("skipped a line with an empty coordinate: `{text}`"),
                )
                .in_file(input.display, Some(line)),
            );
            continue;
        }
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        let mut pkg = Package::new(
            Ecosystem::Maven,
            &format!("{group}:{artifact}"),
            Some(version),
            location,
        );
        let configurations: Vec<&str> = configurations
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        for c in &configurations {
            pkg.add_group(c);
        }
        if !configurations.is_empty() && configurations.iter().all(|c| is_test_configuration(c)) {
            pkg.scope = Scope::Dev;
        }
        out.packages.push(pkg);
    }
    Ok(out)
}

/// `testCompileClasspath`, `androidTestRuntimeClasspath`, `integrationTestImplementation`, ...
fn is_test_configuration(name: &str) -> bool {
    name.starts_with("test") || name.contains("Test")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "gradle.lockfile",
                path: Path::new("gradle.lockfile"),
                text,
            })
            .expect("parses")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Maven/gradle-lockfile", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Maven/gradle-lockfile/5-pkg"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn test_only_configurations_are_dev() {
        let out = run(
            "# c\na:b:1=testRuntimeClasspath,androidTestCompileClasspath\n\
             a:c:2=runtimeClasspath,testRuntimeClasspath\nempty=\n",
        );
        let [b, c] = out.packages.as_slice() else {
            panic!("two packages: {:?}", out.packages);
        };
        assert_eq!((b.name.as_str(), b.scope), ("a:b", Scope::Dev));
        assert_eq!(
            b.groups,
            ["androidTestCompileClasspath", "testRuntimeClasspath"]
        );
        assert_eq!(b.location.line, Some(2));
        assert_eq!((c.scope, c.location.line), (Scope::Runtime, Some(3)));
        assert_eq!(c.direct, None);
        assert_eq!(c.purl, "pkg:maven/a/c@2");
    }

    #[test]
    fn bad_lines_are_skipped_with_a_warning() {
        let out = run("a:b=x\n:b:1=x\nok:pkg:1=\n");
        assert_eq!(out.packages.len(), 1);
        let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(1), Some(2)]);
    }
}

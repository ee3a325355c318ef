//! Test support: runs an extractor over the upstream-shaped fixtures and their expected lists,
//! and over hostile variants of each fixture.
//!
//! Fixtures live in `fixtures/lockfiles/<Ecosystem>/<format>/` (a copy of a subset of
//! `../shared/data/lockfiles`); when `../shared/data` is present its fixtures are checked too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Extractor, Input};

#[derive(Deserialize)]
struct Expected {
    fixture: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    test: String,
    #[serde(default)]
    expect_error: bool,
    packages: Option<Vec<ExpectedPackage>>,
}

#[derive(Deserialize)]
struct ExpectedPackage {
    name: String,
    version: String,
}

/// The repository's fixture root.
pub(crate) fn repo_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// `../shared/data` beside the checkout, when it is there.
pub(crate) fn shared_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.is_dir().then_some(p)
}

/// Reads a fixture file into an [`Input`] and runs the extractor on it.
pub(crate) fn run_file(
    extractor: &Extractor,
    path: &Path,
) -> Result<super::Extracted, super::ParseError> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes);
    let display = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("fixture");
    extractor.run(&Input {
        display,
        path,
        text: &text,
    })
}

/// Checks every `*.expected.json` in `<root>/lockfiles/<dir>` for the repo copy and the shared
/// data. A fixture passes when one of its cases matches: the same multiset of (name, version),
/// with an empty expected version meaning "unpinned", or an error where one is expected.
/// `skip` lists fixture names with a documented reason for deviating from upstream.
pub(crate) fn check_fixture_dir(dir: &str, extractor: &Extractor, skip: &[(&str, &str)]) {
    let mut roots = vec![repo_fixtures().join("lockfiles").join(dir)];
    if let Some(shared) = shared_data() {
        roots.push(shared.join("lockfiles").join(dir));
    } else {
        eprintln!("skipped: ../shared/data is not present; checking the repository copy only");
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for root in roots {
        for expected_path in expected_files(&root) {
            let text = std::fs::read_to_string(&expected_path).expect("readable expected file");
            let expected: Expected = serde_json::from_str(&text).expect("valid expected file");
            if skip.iter().any(|(name, _)| *name == expected.fixture) {
                continue;
            }
            let fixture = expected_path
                .parent()
                .expect("has parent")
                .join(&expected.fixture);
            checked += 1;
            let got = run_file(extractor, &fixture);
            let ok = expected
                .cases
                .iter()
                .any(|case| match (&got, case.expect_error) {
                    (Err(_), true) => true,
                    (Ok(out), false) => {
                        let want = case.packages.as_deref().unwrap_or_default();
                        multiset(want.iter().map(|p| (p.name.clone(), p.version.clone())))
                            == multiset(out.packages.iter().map(|p| {
                                (
                                    p.name.to_string(),
                                    p.version.clone().map(String::from).unwrap_or_default(),
                                )
                            }))
                    }
                    _ => false,
                });
            if !ok {
                let got = match &got {
                    Ok(out) => format!(
                        "{:?}",
                        out.packages
                            .iter()
                            .map(|p| format!("{}@{}", p.name, p.version.as_deref().unwrap_or("")))
                            .collect::<Vec<_>>()
                    ),
                    Err(e) => format!("error: {e} (line {:?})", e.line),
                };
                let cases: Vec<_> = expected.cases.iter().map(|c| c.test.as_str()).collect();
                failures.push(format!(
                    "{}\n    cases {cases:?}\n    got {got}",
                    fixture.display()
                ));
            }
        }
    }
    assert!(checked > 0, "no expected files under {dir}");
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn multiset(items: impl Iterator<Item = (String, String)>) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for item in items {
        *m.entry(item).or_insert(0) += 1;
    }
    m
}

fn expected_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".expected.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Parses a real-world lockfile from `../shared/data/lockfiles/_realworld/<rel>` (skipped when
/// the shared data is absent) and checks its graph: many packages, each with a line, several
/// direct ones, and nearly every transitive package reached from a direct one.
pub(crate) fn check_realworld_graph(extractor: &Extractor, rel: &str) {
    let Some(shared) = shared_data() else {
        eprintln!("skipped: ../shared/data is not present");
        return;
    };
    let path = shared.join("lockfiles/_realworld").join(rel);
    let out = run_file(extractor, &path).expect("parses");
    assert!(out.packages.len() > 100, "{}", out.packages.len());
    assert!(out.packages.iter().all(|p| p.location.line.is_some()));
    let direct = out
        .packages
        .iter()
        .filter(|p| p.direct == Some(true))
        .count();
    assert!(direct > 5, "{direct} direct");
    let orphans = out
        .packages
        .iter()
        .filter(|p| p.direct == Some(false) && p.introduced_by.is_empty())
        .count();
    assert!(orphans * 20 < out.packages.len(), "{orphans} unreached");
}

/// Feeds hostile variants of a valid sample to the extractor: truncated at many points, with
/// types swapped, with a huge value, and as arbitrary bytes. Each must come back as packages or a
/// [`super::ParseError`]; a panic fails the test. Errors must carry a line when the input has more
/// than one line, so users can find the problem.
pub(crate) fn check_hostile(extractor: &Extractor, sample: &str) {
    let run = |text: &str| {
        extractor.run(&Input {
            display: "hostile",
            path: Path::new("hostile"),
            text,
        })
    };
    // Truncations at char boundaries, at up to 200 evenly spaced points.
    let step = (sample.len() / 200).max(1);
    for cut in (0..sample.len()).step_by(step) {
        if sample.is_char_boundary(cut) {
            let _ = run(&sample[..cut]);
        }
    }
    // Quotes, brackets and colons swapped for other structure.
    for (from, to) in [
        ("\"", "["),
        ("\"", ""),
        (":", "{"),
        ("=", "= ["),
        ("{", "\""),
    ] {
        let _ = run(&sample.replacen(from, to, 3));
    }
    // Numbers where strings are expected and vice versa.
    let _ = run(&sample.replace("\"1", "1").replace(": \"", ": 7, \"x\": \""));
    // A huge value.
    let huge = "x".repeat(2 * 1024 * 1024);
    let _ = run(&sample.replacen("\"", &format!("\"{huge}"), 1));
    // Garbage, and garbage lines between valid ones.
    let _ = run("\u{0}\u{1}\u{fffd}garbage\n{{[[\n");
    let _ = run(&sample
        .lines()
        .flat_map(|l| [l, "\u{fffd}\t]]}}"])
        .collect::<Vec<_>>()
        .join("\n"));
    // Deep nesting.
    let _ = run(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
    let _ = run(&"- ".repeat(50_000));
}

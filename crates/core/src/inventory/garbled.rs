//! Every fixture of every format with one byte replaced by 0xFF, read as the inventory reads a
//! file: nothing panics, the bad byte is reported with its file and line, a file that gives
//! nothing says why, and most files of several packages still give packages.

use std::path::{Path, PathBuf};

use super::testing::repo_fixtures;
use super::{by_format, collect, for_path, ExplicitFile, Extractor, Inventory, Sources};
use crate::diag::{Code, Severity};
use crate::progress::NoProgress;
use crate::walk::WalkOptions;

/// Each fixture file with the extractor its directory is checked with.
fn fixtures() -> Vec<(PathBuf, &'static Extractor)> {
    let mut out = Vec::new();
    let root = repo_fixtures().join("lockfiles");
    for eco in std::fs::read_dir(&root).expect("fixture root").flatten() {
        for dir in std::fs::read_dir(eco.path())
            .expect("ecosystem dir")
            .flatten()
        {
            let Some(extractor) = extractor_of(&dir.path()) else {
                panic!("no extractor for {}", dir.path().display());
            };
            for file in std::fs::read_dir(dir.path()).expect("format dir").flatten() {
                let path = file.path();
                let name = path.to_string_lossy();
                if path.is_file() && !name.ends_with(".expected.json") {
                    out.push((path, extractor));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The extractor of a fixture directory: named by its slug, else by the `parse_as` file name
/// its expected files give.
fn extractor_of(dir: &Path) -> Option<&'static Extractor> {
    let slug = dir.file_name()?.to_str()?;
    if let Some(e) = by_format(slug) {
        return Some(e);
    }
    std::fs::read_dir(dir).ok()?.flatten().find_map(|f| {
        let text = std::fs::read_to_string(f.path()).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let parse_as = v.get("parse_as")?.as_str()?.replace(['<', '>'], "");
        for_path(Path::new(&parse_as))
    })
}

/// Reads `bytes` as a file named like `original`, in a directory of its own, with `extractor`.
fn read_as(original: &Path, bytes: &[u8], extractor: &'static Extractor) -> (Inventory, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = original.file_name().expect("file name");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let explicit = [ExplicitFile {
        extractor,
        path: path.clone(),
    }];
    let options = WalkOptions::default();
    let sources = Sources {
        walk: None,
        walk_options: &options,
        explicit: &explicit,
    };
    let inventory = collect(&sources, &NoProgress).expect("no glob");
    (inventory, path.to_string_lossy().replace('\\', "/"))
}

/// The 1-based line of a byte offset.
fn line_of(bytes: &[u8], offset: usize) -> u32 {
    let newlines = bytes[..offset].iter().filter(|b| **b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

#[test]
fn one_bad_byte_is_reported_and_most_files_still_give_their_packages() {
    let mut with_packages = 0;
    let mut still = 0;
    let mut lost = Vec::new();
    for (path, extractor) in fixtures() {
        let bytes = std::fs::read(&path).expect("fixture");
        let (before, _) = read_as(&path, &bytes, extractor);

        // A byte inside a name or value: the first letter or digit past the middle.
        let Some(at) = (bytes.len() / 2..bytes.len()).find(|&i| bytes[i].is_ascii_alphanumeric())
        else {
            continue;
        };
        let mut garbled = bytes.clone();
        garbled[at] = 0xFF;
        let (after, display) = read_as(&path, &garbled, extractor);
        let warned = after.diagnostics.iter().any(|d| {
            d.code == Code::InvalidUtf8
                && d.severity == Severity::Warning
                && d.file.as_deref() == Some(display.as_str())
                && d.line == Some(line_of(&garbled, at))
        });
        assert!(
            warned,
            "{}: no warning at line {}: {:?}",
            path.display(),
            line_of(&garbled, at),
            after.diagnostics
        );
        if after.packages.is_empty() {
            assert!(
                after
                    .diagnostics
                    .iter()
                    .any(|d| d.file.as_deref() == Some(display.as_str())),
                "{}: no package and no reason",
                path.display()
            );
        }
        // A file of one package may well lose it: the byte was in it.
        if before.packages.len() > 1 {
            with_packages += 1;
            if after.packages.is_empty() {
                lost.push(path.display().to_string());
            } else {
                still += 1;
            }
        }

        // Any byte, structure included: a third of the way in. Only panics would fail here.
        let mut garbled = bytes.clone();
        if let Some(b) = garbled.get_mut(bytes.len() / 3) {
            *b = 0xFF;
        }
        let (after, display) = read_as(&path, &garbled, extractor);
        assert!(
            !after.packages.is_empty()
                || bytes.is_empty()
                || after
                    .diagnostics
                    .iter()
                    .any(|d| d.file.as_deref() == Some(display.as_str())),
            "{}: no package and no reason",
            path.display()
        );
    }
    assert!(
        with_packages > 100,
        "{with_packages} fixtures with packages"
    );
    // Today 123 of 135: the rest are TOML, JSON or XML files whose structure was hit.
    assert!(
        still * 100 >= with_packages * 85,
        "only {still} of {with_packages} fixtures still give packages; lost: {lost:#?}"
    );
}

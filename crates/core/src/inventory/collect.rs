//! The inventory stage: walk the tree for dependency files, read each with its extractor in
//! parallel, and return the files read, their packages and the problems met. A file that cannot
//! be read becomes a diagnostic; the rest go on. A file with bytes that are not UTF-8 is read
//! with replacement characters and a warning.
//!
//! Memory is spent once: a file's bytes become its text without a copy and are freed as soon as
//! its extractor is done, the packages of one file share one copy of its name, the largest
//! file's package list becomes the inventory's without being copied, and the packages are put in
//! the result's order in place.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    decode_lossy, for_path, order, Decoded, Extracted, Extractor, Input, Kind, Lines, LossyLines,
    ParseError, MAX_FILE_BYTES,
};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Package, SharedStr};
use crate::progress::Progress;
use crate::walk::{self, Candidate, GlobError, WalkOptions};

/// One dependency file that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScannedFile {
    /// The path relative to the scan root, with `/` separators.
    pub path: String,
    /// The format it was read as (`Cargo.lock`).
    pub format: String,
    /// The ecosystem of its packages.
    pub ecosystem: Ecosystem,
    /// Lockfile or manifest.
    pub kind: Kind,
    /// How many packages it gave (0 when it could not be parsed).
    pub packages: usize,
    /// Whether its packages were left out because a lockfile pins the same ecosystem.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub superseded: bool,
}

/// A file to read with a given format, whatever its name (`--lockfile FORMAT:PATH`).
#[derive(Debug, Clone)]
pub struct ExplicitFile {
    /// The format to read it as.
    pub extractor: &'static Extractor,
    /// The file on disk.
    pub path: PathBuf,
}

/// Where to look for dependency files.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The directory to walk; `None` reads only the explicit files.
    pub walk: Option<&'a Path>,
    /// Include and exclude globs for the walk.
    pub walk_options: &'a WalkOptions,
    /// Files named with `--lockfile FORMAT:PATH`.
    pub explicit: &'a [ExplicitFile],
}

/// What the inventory stage found.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Every dependency file read (unsorted).
    pub files: Vec<ScannedFile>,
    /// Every package occurrence, in the result's order (ecosystem, name, version, location);
    /// manifests superseded by a lockfile give none.
    pub packages: Vec<Package>,
    /// Problems met: unreadable files, skipped entries, configuration files not obeyed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds and reads every dependency file of `sources`.
pub fn collect(sources: &Sources<'_>, progress: &dyn Progress) -> Result<Inventory, GlobError> {
    let walked = match sources.walk {
        Some(root) => walk::find_all(root, sources.walk_options, for_path)?,
        None => walk::Walked::default(),
    };
    let mut candidates = walked.candidates;
    for e in sources.explicit {
        candidates.push(Candidate {
            display: e.path.to_string_lossy().replace('\\', "/"),
            path: e.path.clone(),
            kind: e.extractor,
        });
    }
    progress.found(candidates.len());

    let results: Vec<FileResult> = candidates
        .into_par_iter()
        .map(|c| {
            progress.file_started(&c.display);
            let result = read_one(c);
            progress.file_done(&result.candidate.display);
            result
        })
        .collect();

    let mut inventory = Inventory {
        diagnostics: walked
            .nested_configs
            .iter()
            .map(|path| {
                Diagnostic::warning(
                    Code::NestedConfigIgnored,
                    "configuration file below the scan root was not obeyed",
                )
                .in_file(path, None)
                .with_help("only the `trusca.toml` at the scan root, or `--config FILE`, is obeyed")
            })
            .collect(),
        ..Inventory::default()
    };
    let lockfile_dirs = lockfile_dirs(&results);
    let mut kept: Vec<Vec<Package>> = Vec::with_capacity(results.len());
    for r in results {
        inventory.diagnostics.extend(r.diagnostics);
        let extractor = r.candidate.kind;
        let superseded = extractor.kind == Kind::Manifest
            && is_pinned_elsewhere(&lockfile_dirs, extractor.ecosystem, &r.candidate.display);
        inventory.files.push(ScannedFile {
            path: r.candidate.display,
            format: extractor.format.to_owned(),
            ecosystem: extractor.ecosystem,
            kind: extractor.kind,
            packages: r.packages.len(),
            superseded,
        });
        if !superseded {
            kept.push(r.packages);
        }
    }
    inventory.packages = concat(kept);
    order::sort(&mut inventory.packages);
    Ok(inventory)
}

struct FileResult {
    candidate: Candidate<&'static Extractor>,
    packages: Vec<Package>,
    diagnostics: Vec<Diagnostic>,
}

fn read_one(c: Candidate<&'static Extractor>) -> FileResult {
    let mut diagnostics = Vec::new();
    let mut packages = match extract(&c) {
        Err(d) => {
            diagnostics.push(d);
            Vec::new()
        }
        Ok(Read { extracted, warning }) => {
            let lossy = warning.is_some();
            diagnostics.extend(warning);
            match extracted {
                Ok(out) => {
                    diagnostics.extend(out.diagnostics);
                    let mut packages = out.packages;
                    if lossy {
                        drop_replaced(&mut packages, &mut diagnostics);
                    }
                    packages
                }
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::ParseError,
                            format!("cannot parse as `{}`: {}", c.kind.format, e.message),
                        )
                        .in_file(&c.display, e.line),
                    );
                    Vec::new()
                }
            }
        }
    };
    share_file_names(&mut packages);
    FileResult {
        candidate: c,
        packages,
        diagnostics,
    }
}

/// What an extractor made of a file, and the warning when some of its bytes were not UTF-8.
struct Read {
    extracted: Result<Extracted, ParseError>,
    warning: Option<Diagnostic>,
}

/// Runs a file's extractor: a line-based format reads the file a line at a time, any other its
/// whole text, which is freed as soon as the extractor is done. Fails with the diagnostic that
/// says why the file cannot be read.
fn extract(c: &Candidate<&'static Extractor>) -> Result<Read, Diagnostic> {
    let fail = |code: Code, message: String| {
        Diagnostic::error(code, message).in_file(c.display.as_str(), None)
    };
    let unreadable = |e: std::io::Error| fail(Code::ReadError, format!("cannot read file: {e}"));
    let meta = std::fs::metadata(&c.path).map_err(unreadable)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            Code::FileTooLarge,
            format!(
                "file is {} MiB, more than the {} MiB trusca reads",
                meta.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    if c.kind.reads_path() {
        return Ok(Read {
            extracted: c.kind.run_path(&c.path, &c.display),
            warning: None,
        });
    }
    if c.kind.reads_lines() {
        let file = std::fs::File::open(&c.path).map_err(unreadable)?;
        let mut lines = LossyLines::new(std::io::BufReader::new(file));
        let extracted = c.kind.run_lines(Lines {
            display: &c.display,
            path: &c.path,
            lines: &mut lines,
        });
        if let Some(e) = lines.take_error() {
            return Err(unreadable(e));
        }
        return Ok(Read {
            extracted,
            warning: lines.warning(&c.display),
        });
    }
    let bytes = std::fs::read(&c.path).map_err(unreadable)?;
    let Decoded { text, warning } = decode_lossy(&c.display, bytes);
    let input = Input {
        display: &c.display,
        path: &c.path,
        text: &text,
    };
    Ok(Read {
        extracted: c.kind.run(&input),
        warning,
    })
}

/// Drops the packages of a file read with replacement characters whose name or version holds
/// one: they name no real package. Each is reported where it was found.
fn drop_replaced(packages: &mut Vec<Package>, diagnostics: &mut Vec<Diagnostic>) {
    packages.retain(|p| {
        let garbled = p.name.contains(char::REPLACEMENT_CHARACTER)
            || p.version
                .as_deref()
                .is_some_and(|v| v.contains(char::REPLACEMENT_CHARACTER));
        if garbled {
            diagnostics.push(
                Diagnostic::warning(
                    Code::InvalidUtf8,
                    format!(
                        "skipped package `{}`: its name or version holds bytes that are not UTF-8",
                        p.display_name()
                    ),
                )
                .in_file(&p.location.file, p.location.line),
            );
        }
        !garbled
    });
}

/// Makes runs of packages that name the same file share one copy of its name.
fn share_file_names(packages: &mut [Package]) {
    let mut last: Option<SharedStr> = None;
    for p in packages {
        match &last {
            Some(file) if *file == p.location.file => p.location.file = file.clone(),
            _ => last = Some(p.location.file.clone()),
        }
    }
}

/// The package lists of several files as one, reusing the largest list rather than copying it.
fn concat(mut lists: Vec<Vec<Package>>) -> Vec<Package> {
    let Some(largest) = (0..lists.len()).max_by_key(|&i| lists[i].len()) else {
        return Vec::new();
    };
    let total: usize = lists.iter().map(Vec::len).sum();
    let mut all = std::mem::take(&mut lists[largest]);
    all.reserve_exact(total - all.len());
    for mut list in lists {
        all.append(&mut list);
    }
    all
}

/// The directories holding a successfully read lockfile, per ecosystem.
fn lockfile_dirs(results: &[FileResult]) -> HashSet<(Ecosystem, String)> {
    results
        .iter()
        .filter(|r| r.candidate.kind.kind == Kind::Lockfile && !r.packages.is_empty())
        .map(|r| {
            (
                r.candidate.kind.ecosystem,
                parent_dir(&r.candidate.display).to_owned(),
            )
        })
        .collect()
}

/// Whether a lockfile of the same ecosystem sits in the manifest's directory or above it (a
/// workspace root), so the manifest's ranges are already pinned there.
fn is_pinned_elsewhere(
    dirs: &HashSet<(Ecosystem, String)>,
    ecosystem: Ecosystem,
    manifest: &str,
) -> bool {
    let mut dir = parent_dir(manifest);
    loop {
        if dirs.contains(&(ecosystem, dir.to_owned())) {
            return true;
        }
        if dir.is_empty() {
            return false;
        }
        dir = parent_dir(dir);
    }
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_are_superseded_by_a_lockfile_at_or_above_them() {
        let dirs: HashSet<(Ecosystem, String)> = [
            (Ecosystem::Npm, String::new()),
            (Ecosystem::Cargo, "svc".to_owned()),
        ]
        .into_iter()
        .collect();
        assert!(is_pinned_elsewhere(&dirs, Ecosystem::Npm, "package.json"));
        assert!(is_pinned_elsewhere(
            &dirs,
            Ecosystem::Npm,
            "packages/a/package.json"
        ));
        assert!(is_pinned_elsewhere(
            &dirs,
            Ecosystem::Cargo,
            "svc/crates/x/Cargo.toml"
        ));
        assert!(!is_pinned_elsewhere(
            &dirs,
            Ecosystem::Cargo,
            "other/Cargo.toml"
        ));
        assert!(!is_pinned_elsewhere(
            &dirs,
            Ecosystem::PyPI,
            "pyproject.toml"
        ));
    }
}

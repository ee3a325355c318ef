//! The result of a scan: what was scanned, the components found, and what went wrong.
//!
//! [`Scan`] is one serde type, the single source for every output format and for upload. Its
//! JSON form is the versioned trusca result documented in `docs/json-format.md`.

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Severity};
use crate::inventory::{decode, Extractor, Input, Kind, MAX_FILE_BYTES};
use crate::licenses::Detection;
use crate::model::{Ecosystem, Package};
use crate::policy::PolicyResult;
use crate::source::Prepared;
use crate::vulns::{Finding, VulnCheck};
use crate::walk::{self, Candidate, GlobError, WalkOptions};

/// The version of the JSON result format; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one scan found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scan {
    /// The version of this format ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that produced it.
    pub tool: Tool,
    /// What was scanned.
    pub target: Target,
    /// When the scan ran (RFC 3339, UTC); fixed with `--reproducible`.
    pub generated_at: String,
    /// The dependency files read, sorted by path.
    pub files: Vec<ScannedFile>,
    /// Every package occurrence, sorted by ecosystem, name, version and location.
    pub packages: Vec<Package>,
    /// Known vulnerabilities of the packages, most severe first.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// What vulnerability matching covered; `None` when it did not run (no database).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vuln_check: Option<VulnCheck>,
    /// Licenses detected for the scanned project itself (its own LICENSE files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub project_licenses: Vec<Detection>,
    /// The policy verdict, when policy was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyResult>,
    /// Problems met on the way, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The tool that produced a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    /// Always `trusca`.
    pub name: String,
    /// The version that ran.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "trusca".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// What was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Target {
    /// A short name for the project: the directory or repository name.
    pub name: String,
    /// The directory as given, or the git URL (without credentials).
    pub location: String,
    /// Whether it was a local directory or a git URL.
    pub kind: TargetKind,
    /// The branch, tag or commit asked for with `--ref`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The commit scanned, when the target is (inside) a git checkout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// Local directory or remote repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// A directory on this machine.
    Directory,
    /// A git repository cloned for the scan.
    Git,
}

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

/// How to scan, beyond the target itself.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Whether to walk the target directory (off when only `--lockfile` files are scanned).
    pub walk: bool,
    /// Include and exclude globs for the walk.
    pub walk_options: WalkOptions,
    /// Files named with `--lockfile FORMAT:PATH`, read with the given format.
    pub explicit: Vec<ExplicitFile>,
    /// The time to record; `None` for now. Set for reproducible output.
    pub generated_at: Option<String>,
}

/// A file to read with a given format, whatever its name.
#[derive(Debug, Clone)]
pub struct ExplicitFile {
    /// The format to read it as.
    pub extractor: &'static Extractor,
    /// The file on disk.
    pub path: PathBuf,
}

/// Receives progress while a scan runs; the CLI draws a bar from it.
pub trait Progress: Sync {
    /// The walk finished and found this many dependency files.
    fn found(&self, _files: usize) {}
    /// One file was read (or failed).
    fn extracted(&self, _display: &str) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Why a scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// An include or exclude pattern is not a valid glob.
    #[error(transparent)]
    Glob(#[from] GlobError),
}

/// Scans a prepared target: walks it, reads every dependency file in parallel, and assembles the
/// sorted result. Files that cannot be read become diagnostics; the rest of the scan goes on.
pub fn run(
    prepared: &Prepared,
    options: &ScanOptions,
    progress: &dyn Progress,
) -> Result<Scan, ScanError> {
    let walked = if options.walk {
        walk::find_all(&prepared.root, &options.walk_options)?
    } else {
        walk::Walked::default()
    };
    let mut candidates = walked.candidates;
    for e in &options.explicit {
        candidates.push(Candidate {
            display: e.path.to_string_lossy().replace('\\', "/"),
            path: e.path.clone(),
            extractor: e.extractor,
        });
    }
    progress.found(candidates.len());

    let results: Vec<FileResult> = candidates
        .par_iter()
        .map(|c| {
            let result = read_one(c);
            progress.extracted(&c.display);
            result
        })
        .collect();

    let mut files = Vec::with_capacity(results.len());
    let mut packages = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = walked
        .nested_configs
        .iter()
        .map(|path| {
            Diagnostic::note(
                Code::NestedConfigIgnored,
                "configuration file below the scan root was not obeyed",
            )
            .in_file(path, None)
            .with_help("only the `trusca.toml` at the scan root, or `--config FILE`, is obeyed")
        })
        .collect();
    let lockfile_dirs = lockfile_dirs(&results);
    for r in results {
        diagnostics.extend(r.diagnostics);
        let superseded = r.candidate.extractor.kind == Kind::Manifest
            && is_pinned_elsewhere(
                &lockfile_dirs,
                r.candidate.extractor.ecosystem,
                &r.candidate.display,
            );
        files.push(ScannedFile {
            path: r.candidate.display.clone(),
            format: r.candidate.extractor.format.to_owned(),
            ecosystem: r.candidate.extractor.ecosystem,
            kind: r.candidate.extractor.kind,
            packages: r.packages.len(),
            superseded,
        });
        if !superseded {
            packages.extend(r.packages);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.location).cmp(&(
            b.ecosystem,
            &b.name,
            &b.version,
            &b.location,
        ))
    });
    diagnostics.sort();
    Ok(Scan {
        schema_version: SCHEMA_VERSION,
        tool: Tool::default(),
        target: prepared.target.clone(),
        generated_at: options.generated_at.clone().unwrap_or_else(now_rfc3339),
        files,
        packages,
        findings: Vec::new(),
        vuln_check: None,
        project_licenses: Vec::new(),
        policy: None,
        diagnostics,
    })
}

impl Scan {
    /// True when dependency files were found but none of them could be read: nothing was scanned.
    pub fn nothing_scanned(&self) -> bool {
        !self.files.is_empty()
            && self.files.iter().all(|f| {
                self.diagnostics.iter().any(|d| {
                    d.severity == Severity::Error && d.file.as_deref() == Some(f.path.as_str())
                })
            })
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    format_rfc3339(std::time::SystemTime::now())
}

/// An instant as RFC 3339 UTC, to the second (`2024-01-31T12:00:00Z`).
pub fn format_rfc3339(t: std::time::SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

struct FileResult {
    candidate: Candidate,
    packages: Vec<Package>,
    diagnostics: Vec<Diagnostic>,
}

fn read_one(c: &Candidate) -> FileResult {
    let mut out = FileResult {
        candidate: c.clone(),
        packages: Vec::new(),
        diagnostics: Vec::new(),
    };
    let fail =
        |code: Code, message: String| Diagnostic::error(code, message).in_file(&c.display, None);
    match std::fs::metadata(&c.path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            out.diagnostics.push(fail(
                Code::FileTooLarge,
                format!(
                    "file is {} MiB, more than the {} MiB trusca reads",
                    m.len() >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            ));
            return out;
        }
        Ok(_) => {}
        Err(e) => {
            out.diagnostics
                .push(fail(Code::ReadError, format!("cannot read file: {e}")));
            return out;
        }
    }
    let text = match std::fs::read(&c.path) {
        Ok(bytes) => match decode(&c.display, &bytes) {
            Ok(text) => text,
            Err(d) => {
                out.diagnostics.push(d);
                return out;
            }
        },
        Err(e) => {
            out.diagnostics
                .push(fail(Code::ReadError, format!("cannot read file: {e}")));
            return out;
        }
    };
    let input = Input {
        display: &c.display,
        path: &c.path,
        text: &text,
    };
    match c.extractor.run(&input) {
        Ok(extracted) => {
            out.packages = extracted.packages;
            out.diagnostics = extracted.diagnostics;
        }
        Err(e) => out.diagnostics.push(
            Diagnostic::error(
                Code::ParseError,
                format!("cannot parse as `{}`: {}", c.extractor.format, e.message),
            )
            .in_file(&c.display, e.line),
        ),
    }
    out
}

/// The directories holding a successfully read lockfile, per ecosystem.
fn lockfile_dirs(results: &[FileResult]) -> HashSet<(Ecosystem, String)> {
    results
        .iter()
        .filter(|r| r.candidate.extractor.kind == Kind::Lockfile && !r.packages.is_empty())
        .map(|r| {
            (
                r.candidate.extractor.ecosystem,
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

/// The JSON Schema of the trusca result ([`Scan`]), derived from the types themselves.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Scan)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/trusca-result.schema.json` is what the types say; regenerate with
    /// `TRUSCA_UPDATE_SCHEMA=1 cargo test -p trusca-core result_schema`.
    #[test]
    fn result_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/trusca-result.schema.json");
        let want = format!(
            "{}\n",
            serde_json::to_string_pretty(&json_schema()).unwrap_or_default()
        );
        if std::env::var_os("TRUSCA_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &want).expect("write schema");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/trusca-result.schema.json is out of date: run `TRUSCA_UPDATE_SCHEMA=1 cargo test -p trusca-core result_schema`"
        );
    }

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

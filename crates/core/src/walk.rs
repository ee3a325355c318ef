//! Walking the scanned tree for dependency files.
//!
//! Honours `.gitignore` (also outside a git checkout), never enters `.git`, and skips installed
//! and vendored trees and build output, where lockfiles belong to someone else. `vendor/modules.txt`
//! is the one file read inside a vendored tree. `--exclude` globs prune more; `--include` globs
//! bring back files that the defaults or `.gitignore` would skip.
//!
//! The walk knows nothing of file formats: the caller classifies each file by its path.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

/// Directories never descended into by default.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "target",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".gradle",
    ".terraform",
    ".cache",
];

/// Invalid glob patterns.
#[derive(Debug, thiserror::Error)]
#[error("invalid glob `{pattern}`: {message}")]
pub struct GlobError {
    /// The pattern as given.
    pub pattern: String,
    /// Why it is invalid.
    pub message: String,
}

/// What to walk and what to leave out.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Globs (relative to the root) of files to read even where the defaults skip them.
    pub include: Vec<String>,
    /// Globs (relative to the root) of files and directories to leave out.
    pub exclude: Vec<String>,
    /// File names obeyed only at the root (`trusca.toml`): copies below it are reported.
    pub root_only_files: &'static [&'static str],
}

/// A file the caller's classifier chose.
#[derive(Debug, Clone)]
pub struct Candidate<T> {
    /// The file on disk.
    pub path: PathBuf,
    /// The path relative to the root with `/` separators.
    pub display: String,
    /// What the classifier made of it (the format it will be read as).
    pub kind: T,
}

fn globset(patterns: &[String]) -> Result<GlobSet, GlobError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // `examples` or `examples/` should also mean everything below it.
        let pats = [p.clone(), format!("{}/**", p.trim_end_matches('/'))];
        for pat in pats {
            let glob = Glob::new(&pat).map_err(|e| GlobError {
                pattern: p.clone(),
                message: e.kind().to_string(),
            })?;
            b.add(glob);
        }
    }
    b.build().map_err(|e| GlobError {
        pattern: patterns.join(", "),
        message: e.to_string(),
    })
}

/// The path relative to the root, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name)
}

/// What a walk saw.
#[derive(Debug, Clone)]
pub struct Walked<T> {
    /// The files the classifier chose, sorted by path.
    pub candidates: Vec<Candidate<T>>,
    /// Files of [`WalkOptions::root_only_files`] below the root, which are never obeyed
    /// (relative paths, sorted).
    pub nested_configs: Vec<String>,
}

impl<T> Default for Walked<T> {
    fn default() -> Self {
        Walked {
            candidates: Vec::new(),
            nested_configs: Vec::new(),
        }
    }
}

/// Finds every file under `root` that `classify` (given the path relative to the root) keeps,
/// sorted by path, and the root-only files nested below the root. Runs on several threads.
pub fn find_all<T, F>(
    root: &Path,
    options: &WalkOptions,
    classify: F,
) -> Result<Walked<T>, GlobError>
where
    T: Send,
    F: Fn(&Path) -> Option<T> + Sync,
{
    let exclude = globset(&options.exclude)?;
    let include = globset(&options.include)?;
    let found = Mutex::new(Vec::new());
    let nested = Mutex::new(Vec::new());

    let root_owned = root.to_path_buf();
    let exclude_filter = exclude.clone();
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .git_ignore(true)
        .git_exclude(false)
        .git_global(false)
        .require_git(false)
        .ignore(false)
        .parents(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            let rel = relative(&root_owned, entry.path());
            if rel.is_empty() {
                return true;
            }
            if exclude_filter.is_match(&rel) {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir {
                let name = entry.file_name().to_string_lossy();
                // `vendor/` is entered only to read `vendor/modules.txt`: nothing below it.
                let parent_is_vendor = entry
                    .path()
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "vendor");
                return name == "vendor" || !(parent_is_vendor || is_skipped_dir(&name));
            }
            true
        });
    let root_only = options.root_only_files;
    let classify = &classify;
    builder.build_parallel().run(|| {
        let found = &found;
        let nested = &nested;
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            let rel = relative(root, path);
            if rel.contains('/') && root_only.iter().any(|n| entry.file_name() == *n) {
                if let Ok(mut v) = nested.lock() {
                    v.push(rel.clone());
                }
            }
            if inside_vendor(&rel) && !rel.ends_with("vendor/modules.txt") {
                return WalkState::Continue;
            }
            if let Some(kind) = classify(Path::new(&rel)) {
                if let Ok(mut v) = found.lock() {
                    v.push(Candidate {
                        path: path.to_path_buf(),
                        display: rel,
                        kind,
                    });
                }
            }
            WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_default();

    if !options.include.is_empty() {
        let extra = find_included(root, &include, &exclude, &found, classify);
        found.extend(extra);
    }
    found.sort_by(|a, b| a.display.cmp(&b.display));
    found.dedup_by(|a, b| a.display == b.display);
    let mut nested_configs = nested.into_inner().unwrap_or_default();
    nested_configs.sort();
    Ok(Walked {
        candidates: found,
        nested_configs,
    })
}

/// True for a path with a `vendor` directory anywhere above the file.
fn inside_vendor(rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.contains(&"vendor")
}

/// A second, unfiltered walk for files matching `--include` (only `.git` stays closed).
fn find_included<T>(
    root: &Path,
    include: &GlobSet,
    exclude: &GlobSet,
    already: &[Candidate<T>],
    classify: &dyn Fn(&Path) -> Option<T>,
) -> Vec<Candidate<T>> {
    let mut out = Vec::new();
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let rel = relative(root, entry.path());
        if !include.is_match(&rel)
            || exclude.is_match(&rel)
            || already.iter().any(|c| c.display == rel)
        {
            continue;
        }
        if let Some(kind) = classify(Path::new(&rel)) {
            out.push(Candidate {
                path: entry.path().to_path_buf(),
                display: rel,
                kind,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, "").expect("write");
    }

    fn names<T>(found: &[Candidate<T>]) -> Vec<&str> {
        found.iter().map(|c| c.display.as_str()).collect()
    }

    /// The files named `Cargo.lock`.
    fn find(root: &Path, options: &WalkOptions) -> Result<Vec<Candidate<()>>, GlobError> {
        let lockfiles = |p: &Path| (p.file_name()? == "Cargo.lock").then_some(());
        Ok(find_all(root, options, lockfiles)?.candidates)
    }

    #[test]
    fn skips_defaults_and_gitignored_and_honours_globs() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        for f in [
            "Cargo.lock",
            "app/Cargo.lock",
            "node_modules/x/Cargo.lock",
            "target/Cargo.lock",
            "ignored/Cargo.lock",
            "examples/demo/Cargo.lock",
            "third/vendor/lib/Cargo.lock",
            "README.md",
        ] {
            touch(root, f);
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").expect("write");

        let all = find(root, &WalkOptions::default()).expect("walk");
        assert_eq!(
            names(&all),
            ["Cargo.lock", "app/Cargo.lock", "examples/demo/Cargo.lock"]
        );

        let opts = WalkOptions {
            exclude: vec!["examples".into()],
            include: vec!["ignored/**".into()],
            ..WalkOptions::default()
        };
        let some = find(root, &opts).expect("walk");
        assert_eq!(
            names(&some),
            ["Cargo.lock", "app/Cargo.lock", "ignored/Cargo.lock"]
        );
    }

    #[test]
    fn nested_config_files_are_reported() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        for f in [
            "trusca.toml",
            "Cargo.lock",
            "sub/trusca.toml",
            "vendor/.truscaignore",
            "node_modules/x/trusca.toml",
        ] {
            touch(root, f);
        }
        let options = WalkOptions {
            root_only_files: &["trusca.toml", ".truscaignore"],
            ..WalkOptions::default()
        };
        let lockfiles = |p: &Path| (p.file_name()? == "Cargo.lock").then_some(());
        let walked = find_all(root, &options, lockfiles).expect("walk");
        assert_eq!(
            walked.nested_configs,
            ["sub/trusca.toml", "vendor/.truscaignore"]
        );
        assert_eq!(names(&walked.candidates), ["Cargo.lock"]);
    }

    #[test]
    fn bad_glob_is_reported() {
        let tmp = tempfile::tempdir().expect("tmp");
        let opts = WalkOptions {
            exclude: vec!["a[".into()],
            ..WalkOptions::default()
        };
        let err = find(tmp.path(), &opts).expect_err("bad glob");
        assert_eq!(err.pattern, "a[");
    }
}

//! Source: turns a scan target (a directory, a git URL, a container image, a root file system or
//! an SBOM file) into a directory on disk to walk, or the packages an SBOM lists.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::model::Distro;

mod checkout;
pub mod git;
pub mod image;
pub mod rootfs;
pub mod sbom;

pub use image::{ImageError, ImageFormat, ImageInfo};

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
    /// For a directory inside a git checkout, its path from the checkout's top level
    /// (`services/api`), so that reports can name files as the repository does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdirectory: Option<String>,
    /// For a container image: what names it and its layers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageInfo>,
    /// For an image or a root file system: its distribution, from `os-release`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distro: Option<Distro>,
}

/// Local directory or remote repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// A directory on this machine.
    Directory,
    /// A git repository cloned for the scan.
    Git,
    /// A container image (a `docker save` archive, an OCI layout or archive).
    Image,
    /// A root file system directory (`rootfs:DIR`, or a directory holding `etc/os-release` and a
    /// package database).
    Rootfs,
    /// An SBOM document (CycloneDX or SPDX) whose components are scanned.
    Sbom,
}

/// A target made ready for scanning. A cloned repository lives in a temporary directory that is
/// removed when this value is dropped.
#[derive(Debug)]
pub struct Prepared {
    /// The directory to walk.
    pub root: PathBuf,
    /// What was scanned, for the result.
    pub target: Target,
    /// For an image or a root file system: read its operating-system packages.
    pub os: Option<OsRoot>,
    /// Problems met preparing it (an image layer that could not be read).
    pub diagnostics: Vec<Diagnostic>,
    /// For an SBOM target, what it lists (the directory is then not walked).
    pub sbom: Option<sbom::SbomInventory>,
    /// Keeps a clone's temporary directory alive.
    _workspace: Option<tempfile::TempDir>,
}

/// What the operating-system cataloger needs beyond the root directory.
#[derive(Debug, Clone, Default)]
pub struct OsRoot {
    /// For an image: the layer (index) that wrote each kept file, by its path from the root.
    pub layer_of: HashMap<String, usize>,
    /// For an image: every version of the package databases, in layer order.
    pub history: Vec<(String, usize, Arc<[u8]>)>,
}

/// Why a target cannot be scanned.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path does not exist or is not a directory.
    #[error("`{0}` is not a directory")]
    NotADirectory(String),
    /// A temporary workspace could not be made.
    #[error("cannot create a temporary directory for the clone: {0}")]
    Workspace(#[source] std::io::Error),
    /// The target is a container image that cannot be read.
    #[error("cannot scan the image `{path}`: {source}")]
    Image {
        /// The image as given.
        path: String,
        /// Why.
        #[source]
        source: ImageError,
    },
    /// The SBOM named as the target cannot be read.
    #[error("cannot read the SBOM {0}")]
    Sbom(#[from] sbom::SbomError),
    /// Cloning or checking out failed.
    #[error("cannot clone `{url}`: {message}")]
    Clone {
        /// The URL, without credentials.
        url: String,
        /// What git said, with a hint where one helps.
        message: String,
    },
}

/// True when the target names a remote repository rather than a local path.
pub fn is_git_url(target: &str) -> bool {
    ["https://", "http://", "ssh://", "git://", "file://"]
        .iter()
        .any(|p| target.starts_with(p))
        || is_scp_like(target)
}

/// `user@host:path` (what `git clone` accepts as ssh), but not a Windows drive path.
fn is_scp_like(target: &str) -> bool {
    match target.split_once(':') {
        Some((before, after)) => before.contains('@') && !before.contains('/') && !after.is_empty(),
        None => false,
    }
}

/// Prepares a target: a local directory is used as it is, a git URL is cloned.
pub fn prepare(target: &str, reference: Option<&str>) -> Result<Prepared, SourceError> {
    if let Some(path) = sbom_target(target) {
        return prepare_sbom(target, path);
    }
    if is_git_url(target) {
        let workspace = tempfile::Builder::new()
            .prefix("trusca-clone-")
            .tempdir()
            .map_err(SourceError::Workspace)?;
        let commit = git::clone(target, reference, workspace.path())?;
        return Ok(Prepared {
            root: workspace.path().to_path_buf(),
            target: Target {
                name: git::repository_name(target),
                location: git::redact(target),
                kind: TargetKind::Git,
                reference: reference.map(str::to_owned),
                commit: Some(commit),
                subdirectory: None,
                image: None,
                distro: None,
            },
            os: None,
            diagnostics: Vec::new(),
            sbom: None,
            _workspace: Some(workspace),
        });
    }
    if let Some(dir) = target.strip_prefix("rootfs:") {
        return rootfs::prepare(dir, target);
    }
    let root = Path::new(target);
    if let Some(format) = image::detect(root) {
        return prepare_image(target, format);
    }
    if !root.is_dir() {
        return Err(SourceError::NotADirectory(target.to_owned()));
    }
    if rootfs::looks_like_rootfs(root) {
        return rootfs::prepare(target, target);
    }
    let name = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| target.to_owned());
    Ok(Prepared {
        root: root.to_path_buf(),
        target: Target {
            name,
            location: target.to_owned(),
            kind: TargetKind::Directory,
            reference: None,
            commit: git::head_commit(root),
            subdirectory: git::path_in_checkout(root).filter(|s| !s.is_empty()),
            image: None,
            distro: None,
        },
        os: None,
        diagnostics: Vec::new(),
        sbom: None,
        _workspace: None,
    })
}

/// The SBOM file a target names: `sbom:PATH`, or a file (not a directory) whose first bytes
/// are a CycloneDX or SPDX document.
fn sbom_target(target: &str) -> Option<&Path> {
    if let Some(path) = target.strip_prefix("sbom:") {
        return Some(Path::new(path));
    }
    let path = Path::new(target);
    if !path.is_file() {
        return None;
    }
    let mut head = Vec::with_capacity(4096);
    let file = std::fs::File::open(path).ok()?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, 64 * 1024), &mut head).ok()?;
    sbom::Kind::sniff(&head).map(|_| path)
}

/// Reads an SBOM target; its directory holds the `trusca.toml` obeyed, and is not walked.
fn prepare_sbom(target: &str, path: &Path) -> Result<Prepared, SourceError> {
    // Named by its file name: diagnostics and locations are relative to its directory.
    let display = path.file_name().map_or_else(
        || path.to_string_lossy().into_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let doc = sbom::read(path, &display)?;
    let listed = sbom::packages(doc, &display);
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = listed.name.clone().unwrap_or_else(|| {
        path.file_stem()
            .map_or_else(|| display.clone(), |n| n.to_string_lossy().into_owned())
    });
    Ok(Prepared {
        root,
        target: Target {
            name,
            location: target.to_owned(),
            kind: TargetKind::Sbom,
            reference: None,
            commit: None,
            subdirectory: None,
            image: None,
            distro: None,
        },
        os: None,
        diagnostics: Vec::new(),
        sbom: Some(listed),
        _workspace: None,
    })
}

/// Reads an image's kept files into a temporary directory that lives as long as the result.
fn prepare_image(target: &str, format: ImageFormat) -> Result<Prepared, SourceError> {
    let workspace = tempfile::Builder::new()
        .prefix("trusca-image-")
        .tempdir()
        .map_err(SourceError::Workspace)?;
    let failed = |source| SourceError::Image {
        path: target.to_owned(),
        source,
    };
    let loaded = image::load(
        Path::new(target),
        format,
        image::Limits::default(),
        workspace.path(),
    )
    .map_err(failed)?;
    let file_name = Path::new(target)
        .file_name()
        .map_or_else(|| target.to_owned(), |n| n.to_string_lossy().into_owned());
    let name = loaded.info.name.clone().unwrap_or(file_name);
    Ok(Prepared {
        root: workspace.path().to_path_buf(),
        target: Target {
            name,
            location: target.to_owned(),
            kind: TargetKind::Image,
            reference: None,
            commit: None,
            subdirectory: None,
            image: Some(loaded.info),
            distro: None,
        },
        os: Some(OsRoot {
            layer_of: loaded.layer_of,
            history: loaded.history,
        }),
        diagnostics: loaded.diagnostics,
        sbom: None,
        _workspace: Some(workspace),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_git_urls() {
        for url in [
            "https://git.example/org/repo.git",
            "ssh://git@git.example/org/repo",
            "git@git.example:org/repo.git",
            "file:///tmp/repo.git",
        ] {
            assert!(is_git_url(url), "{url}");
        }
        for path in [".", "some/dir", "/abs/path", "C:/x", "dir:with:colons"] {
            assert!(!is_git_url(path), "{path}");
        }
    }

    #[test]
    fn missing_directory_is_an_error() {
        let err = prepare("/definitely/not/here", None).expect_err("missing");
        assert!(matches!(err, SourceError::NotADirectory(_)));
    }
}

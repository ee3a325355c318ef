//! Container images as scan targets: a `docker save` archive, an OCI image layout directory or
//! an OCI archive, told apart by their content. The layers stream through once, applied as a
//! runtime would, keeping only the files the catalogers read ([`keep`]); those are written to a
//! temporary directory that the usual stages then scan, and every other byte is dropped.
//!
//! A layer that cannot be read whole (broken stream, wrong digest, a limit passed) is left out
//! with a diagnostic naming it and the entry where it failed; the image fails only when no layer
//! could be read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic};

mod blobs;
pub mod keep;
mod layer;
mod manifest;
#[cfg(test)]
mod tests;
mod tree;

pub use layer::Limits;

use blobs::Blobs;
use tree::Tree;

/// How an image is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImageFormat {
    /// A tar written by `docker save` (`manifest.json` at its root).
    DockerArchive,
    /// An OCI image layout directory (`oci-layout`, `index.json`, `blobs/`).
    OciLayout,
    /// An OCI image layout in a tar archive.
    OciArchive,
}

/// One layer of a scanned image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LayerInfo {
    /// Its digest (`sha256:…`): the manifest's, else the configuration's diff id.
    pub digest: String,
    /// The build step that made it (history `created_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Whether it was read whole; a layer that was not is left out of the file system.
    pub read: bool,
}

/// A package that a layer removed (in the package database of an earlier layer, not the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RemovedPackage {
    /// The package's purl as the earlier layer had it.
    pub purl: String,
    /// The index of the layer that removed it.
    pub layer: usize,
}

/// What names a scanned image and how it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImageInfo {
    /// How it was stored.
    pub format: ImageFormat,
    /// The repository name (`registry.example/team/app`), where the image records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The tag, where the image records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The manifest digest (`sha256:…`), where the container keeps the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The image id: the digest of its configuration.
    pub id: String,
    /// The operating system it is built for (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// The CPU architecture it is built for (`amd64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// The layers, bottom first.
    pub layers: Vec<LayerInfo>,
    /// Packages that a layer removed again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedPackage>,
}

/// Why an image cannot be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// A file the image needs is missing or unreadable.
    #[error("cannot read `{file}` of the image: {message}")]
    Missing {
        /// The file inside the image's container.
        file: String,
        /// Why.
        message: String,
    },
    /// A manifest, index or configuration is not what the format says.
    #[error("invalid `{file}` in the image: {message}")]
    Invalid {
        /// The file inside the image's container.
        file: String,
        /// Why.
        message: String,
    },
    /// A manifest or configuration does not have the digest it is named by.
    #[error("`{file}` of the image has digest `{actual}`, not `{expected}`")]
    Digest {
        /// The file inside the image's container.
        file: String,
        /// The digest it is named by.
        expected: String,
        /// The digest of its bytes.
        actual: String,
    },
    /// Not one layer could be read.
    #[error("no layer of the image could be read")]
    NoLayer,
    /// The temporary directory for the kept files could not be written.
    #[error("cannot write the image's files to a temporary directory: {0}")]
    Workspace(#[source] std::io::Error),
    /// The archive itself cannot be read.
    #[error("cannot read the image archive: {0}")]
    Archive(#[source] std::io::Error),
}

/// Tells whether a path holds an image, and of which format, from its content.
pub fn detect(path: &Path) -> Option<ImageFormat> {
    if path.is_dir() {
        let layout = path.join("oci-layout").is_file() && path.join("index.json").is_file();
        return layout.then_some(ImageFormat::OciLayout);
    }
    if !path.is_file() {
        return None;
    }
    // Only the headers are read: a tar lists its names up front of each entry.
    let file = std::fs::File::open(path).ok()?;
    let mut archive = tar::Archive::new(file);
    let mut oci = (false, false);
    for entry in archive.entries_with_seek().ok()?.take(100_000) {
        let entry = entry.ok()?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        match name.trim_start_matches("./") {
            "manifest.json" => return Some(ImageFormat::DockerArchive),
            "oci-layout" => oci.0 = true,
            "index.json" => oci.1 = true,
            _ => {}
        }
    }
    (oci.0 && oci.1).then_some(ImageFormat::OciArchive)
}

/// An image read into the files its catalogers need.
#[derive(Debug)]
pub struct Loaded {
    /// What names it and its layers.
    pub info: ImageInfo,
    /// The layer (index) that wrote each kept file, by its path from the image root.
    pub layer_of: HashMap<String, usize>,
    /// Every version of the package databases, in layer order: (path, layer, bytes).
    pub history: Vec<(String, usize, Arc<[u8]>)>,
    /// Layers or entries that could not be used.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads an image and writes the files it keeps below `into` (a fresh temporary directory).
pub fn load(
    path: &Path,
    format: ImageFormat,
    limits: Limits,
    into: &Path,
) -> Result<Loaded, ImageError> {
    let blobs = match format {
        ImageFormat::OciLayout => Blobs::Dir(path.to_path_buf()),
        _ => Blobs::tar(path).map_err(ImageError::Archive)?,
    };
    let plan = manifest::plan(&blobs, format)?;
    let location = path.display().to_string();
    let mut diagnostics = Vec::new();
    let mut tree = Tree::default();
    let mut budget = layer::Budget::from(limits);
    let mut layers = Vec::new();
    for (index, planned) in plan.layers.iter().enumerate() {
        let label = format!("layer {} (`{}`)", index + 1, short(&planned.digest));
        let read = blobs
            .open(&planned.name)
            .map_err(|e| layer::LayerError::Read {
                entry: None,
                message: e.to_string(),
            })
            .and_then(|(blob, _)| layer::read(blob, &planned.expected, &mut budget));
        let ok = match read {
            Ok(read) => {
                for note in read.notes {
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::ImageLayer,
                            format!("{label}, entry `{}`: {}", note.entry, note.message),
                        )
                        .in_file(location.clone(), None),
                    );
                }
                tree.apply(index, read.changes);
                true
            }
            Err(e) => {
                let code = match e {
                    layer::LayerError::Limit { .. } => Code::LimitReached,
                    _ => Code::ImageLayer,
                };
                diagnostics.push(
                    Diagnostic::warning(code, format!("{label}: {e}"))
                        .in_file(location.clone(), None)
                        .with_help("the layer's files were left out of the scan"),
                );
                false
            }
        };
        layers.push(LayerInfo {
            digest: planned.digest.clone(),
            created_by: planned.created_by.clone(),
            read: ok,
        });
    }
    if !plan.layers.is_empty() && !layers.iter().any(|l| l.read) {
        return Err(ImageError::NoLayer);
    }
    let layer_of = write_files(&tree, into, &mut diagnostics, &location)?;
    Ok(Loaded {
        info: ImageInfo {
            format,
            name: plan.name,
            tag: plan.tag,
            digest: plan.digest,
            id: plan.id,
            os: plan.os,
            architecture: plan.architecture,
            layers,
            removed: Vec::new(),
        },
        layer_of,
        history: tree.history().to_vec(),
        diagnostics,
    })
}

/// Writes the kept files below `into` and resolves the kept links to files (`etc/os-release` →
/// `../usr/lib/os-release`) inside the image root. Returns the layer of each written file.
fn write_files(
    tree: &Tree,
    into: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    location: &str,
) -> Result<HashMap<String, usize>, ImageError> {
    let mut layer_of = HashMap::new();
    let mut write = |rel: &str, bytes: &[u8], layer: usize| -> Result<(), ImageError> {
        let target = safe_path(into, rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(ImageError::Workspace)?;
        }
        std::fs::write(&target, bytes).map_err(ImageError::Workspace)?;
        layer_of.insert(rel.to_owned(), layer);
        Ok(())
    };
    for (rel, bytes, layer) in tree.files() {
        write(rel, bytes, layer)?;
    }
    for link in tree.symlinks() {
        if !keep::is_kept(link) {
            continue;
        }
        match tree.lookup(link) {
            Ok(Some((bytes, layer))) => write(link, bytes, layer)?,
            Ok(None) => {}
            Err(e) => diagnostics.push(
                Diagnostic::warning(Code::ImageLayer, format!("entry `{link}`: {e}"))
                    .in_file(location.to_owned(), None),
            ),
        }
    }
    Ok(layer_of)
}

/// `into/rel`, with `rel` made of plain components only (the tree holds no others).
fn safe_path(into: &Path, rel: &str) -> PathBuf {
    let mut out = into.to_path_buf();
    for part in rel.split('/') {
        if !part.is_empty() && part != "." && part != ".." {
            out.push(part);
        }
    }
    out
}

/// The first 12 hex digits of a digest, as `docker images` shows them.
fn short(digest: &str) -> &str {
    let hex = digest.split_once(':').map_or(digest, |(_, h)| h);
    hex.get(..12).unwrap_or(hex)
}

//! Reading what an image is made of: `manifest.json` of a `docker save` archive, or the
//! `index.json` → manifest → configuration chain of an OCI layout (`oci-spec`'s types), into
//! one [`Plan`]: the layers in order with the digests they must have, and what names the image.

use std::collections::HashMap;

use oci_spec::image::{Descriptor, ImageConfiguration, ImageIndex, ImageManifest, MediaType};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::blobs::Blobs;
use super::layer::{hex, Expected};
use super::{ImageError, ImageFormat};

/// One layer to read.
#[derive(Debug, Clone)]
pub(crate) struct PlannedLayer {
    /// Its file in the container.
    pub(crate) name: String,
    /// The digests to check.
    pub(crate) expected: Expected,
    /// The digest that names it: the descriptor's, else the configuration's diff id.
    pub(crate) digest: String,
    /// The history step that made it (`created_by`).
    pub(crate) created_by: Option<String>,
}

/// What to read, and what names the image.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) name: Option<String>,
    pub(crate) tag: Option<String>,
    /// The manifest's digest (OCI).
    pub(crate) digest: Option<String>,
    /// The configuration's digest: the image id.
    pub(crate) id: String,
    pub(crate) os: Option<String>,
    pub(crate) architecture: Option<String>,
    pub(crate) layers: Vec<PlannedLayer>,
}

/// One image of `docker save`'s `manifest.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerImage {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// Reads the plan of the image in `blobs`.
pub(crate) fn plan(blobs: &Blobs, format: ImageFormat) -> Result<Plan, ImageError> {
    match format {
        ImageFormat::DockerArchive => docker(blobs),
        _ => oci(blobs),
    }
}

fn docker(blobs: &Blobs) -> Result<Plan, ImageError> {
    let bytes = read(blobs, "manifest.json")?;
    let images: Vec<DockerImage> =
        serde_json::from_slice(&bytes).map_err(|e| invalid("manifest.json", &e))?;
    let image = images
        .into_iter()
        .next()
        .ok_or_else(|| ImageError::Invalid {
            file: "manifest.json".into(),
            message: "it lists no image".into(),
        })?;
    let config_bytes = read(blobs, &image.config)?;
    let id = sha256(&config_bytes);
    // The configuration is stored under its digest (`<hex>.json` or `blobs/sha256/<hex>`).
    let stem = image
        .config
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".json");
    if is_sha256_hex(stem) && format!("sha256:{stem}") != id {
        return Err(ImageError::Digest {
            file: image.config.clone(),
            expected: format!("sha256:{stem}"),
            actual: id,
        });
    }
    let config = ImageConfiguration::from_reader(config_bytes.as_slice())
        .map_err(|e| invalid(&image.config, &e))?;
    let diff_ids = config.rootfs().diff_ids();
    let created = created_by(&config);
    let layers = image
        .layers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let diff_id = diff_ids.get(i).cloned();
            let stored = blob_digest(name);
            PlannedLayer {
                name: name.clone(),
                digest: stored
                    .clone()
                    .or_else(|| diff_id.clone())
                    .unwrap_or_else(|| name.clone()),
                expected: Expected {
                    stored,
                    uncompressed: diff_id,
                },
                created_by: created.get(i).cloned().flatten(),
            }
        })
        .collect();
    let (name, tag) = image
        .repo_tags
        .and_then(|t| t.into_iter().next())
        .map(|r| split_reference(&r))
        .unwrap_or_default();
    Ok(Plan {
        name,
        tag,
        digest: None,
        id,
        os: Some(config.os().to_string()),
        architecture: Some(config.architecture().to_string()),
        layers,
    })
}

/// The most nested indexes followed to a manifest.
const MAX_INDEX_DEPTH: usize = 4;

fn oci(blobs: &Blobs) -> Result<Plan, ImageError> {
    let bytes = read(blobs, "index.json")?;
    let mut index =
        ImageIndex::from_reader(bytes.as_slice()).map_err(|e| invalid("index.json", &e))?;
    let mut file = "index.json".to_owned();
    let mut name = None;
    let mut tag = None;
    for _ in 0..MAX_INDEX_DEPTH {
        let chosen = choose(index.manifests()).ok_or_else(|| ImageError::Invalid {
            file: file.clone(),
            message: "it lists no image manifest".into(),
        })?;
        if let Some(a) = chosen.annotations() {
            let (n, t) = names(a);
            name = name.or(n);
            tag = tag.or(t);
        }
        let (blob, bytes) = read_blob(blobs, chosen)?;
        if matches!(
            chosen.media_type(),
            MediaType::ImageIndex | MediaType::Other(_)
        ) && looks_like_index(&bytes)
        {
            index = ImageIndex::from_reader(bytes.as_slice()).map_err(|e| invalid(&blob, &e))?;
            file = blob;
            continue;
        }
        let manifest =
            ImageManifest::from_reader(bytes.as_slice()).map_err(|e| invalid(&blob, &e))?;
        let digest = chosen.digest().to_string();
        return oci_image(blobs, &manifest, digest, name, tag);
    }
    Err(ImageError::Invalid {
        file,
        message: format!("indexes nest more than {MAX_INDEX_DEPTH} deep"),
    })
}

fn oci_image(
    blobs: &Blobs,
    manifest: &ImageManifest,
    digest: String,
    name: Option<String>,
    tag: Option<String>,
) -> Result<Plan, ImageError> {
    let (config_name, config_bytes) = read_blob(blobs, manifest.config())?;
    let config = ImageConfiguration::from_reader(config_bytes.as_slice())
        .map_err(|e| invalid(&config_name, &e))?;
    let diff_ids = config.rootfs().diff_ids();
    let created = created_by(&config);
    let mut layers = Vec::new();
    for (i, d) in manifest.layers().iter().enumerate() {
        let digest = d.digest().to_string();
        let name = Blobs::blob_name(&digest).ok_or_else(|| ImageError::Invalid {
            file: config_name.clone(),
            message: format!("layer digest `{digest}` is not `algorithm:hex`"),
        })?;
        layers.push(PlannedLayer {
            name,
            expected: Expected {
                stored: Some(digest.clone()),
                uncompressed: diff_ids.get(i).cloned(),
            },
            digest,
            created_by: created.get(i).cloned().flatten(),
        });
    }
    Ok(Plan {
        name,
        tag,
        digest: Some(digest),
        id: manifest.config().digest().to_string(),
        os: Some(config.os().to_string()),
        architecture: Some(config.architecture().to_string()),
        layers,
    })
}

/// The image manifest to read from an index: the only one, or the one for this machine's
/// architecture on Linux, or else the first that names a platform other than `unknown`
/// (attestations do).
fn choose(manifests: &[Descriptor]) -> Option<&Descriptor> {
    if manifests.len() <= 1 {
        return manifests.first();
    }
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    let platform = |d: &&Descriptor| {
        d.platform()
            .as_ref()
            .map(|p| (p.os().to_string(), p.architecture().to_string()))
    };
    manifests
        .iter()
        .find(|d| platform(d).is_some_and(|(os, a)| os == "linux" && a == arch))
        .or_else(|| {
            manifests
                .iter()
                .find(|d| platform(d).is_none_or(|(os, _)| os != "unknown"))
        })
}

fn looks_like_index(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .is_some_and(|v| v.get("manifests").is_some())
}

/// The image name and tag an OCI layout's annotations give.
fn names(annotations: &HashMap<String, String>) -> (Option<String>, Option<String>) {
    if let Some(full) = annotations.get("io.containerd.image.name") {
        return split_reference(full);
    }
    match annotations.get("org.opencontainers.image.ref.name") {
        Some(r) if r.contains('/') || r.contains(':') => split_reference(r),
        Some(t) => (None, Some(t.clone())),
        None => (None, None),
    }
}

/// `registry.example/app:1` → (`registry.example/app`, `1`); a port's colon is not a tag's.
fn split_reference(reference: &str) -> (Option<String>, Option<String>) {
    let reference = reference.split('@').next().unwrap_or(reference);
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(i) => (
            Some(reference[..slash + i].to_owned()),
            Some(reference[slash + i + 1..].to_owned()),
        ),
        None => (Some(reference.to_owned()), None),
    }
}

/// The `created_by` of each layer, in order: history entries marked `empty_layer` made none.
fn created_by(config: &ImageConfiguration) -> Vec<Option<String>> {
    config
        .history()
        .as_ref()
        .map(|h| {
            h.iter()
                .filter(|e| e.empty_layer() != Some(true))
                .map(|e| e.created_by().clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a blob a descriptor names and checks its digest.
fn read_blob(blobs: &Blobs, d: &Descriptor) -> Result<(String, Vec<u8>), ImageError> {
    let digest = d.digest().to_string();
    let name = Blobs::blob_name(&digest).ok_or_else(|| ImageError::Invalid {
        file: "index.json".into(),
        message: format!("digest `{digest}` is not `algorithm:hex`"),
    })?;
    let bytes = read(blobs, &name)?;
    if digest.starts_with("sha256:") {
        let actual = sha256(&bytes);
        if actual != digest {
            return Err(ImageError::Digest {
                file: name,
                expected: digest,
                actual,
            });
        }
    }
    Ok((name, bytes))
}

fn read(blobs: &Blobs, name: &str) -> Result<Vec<u8>, ImageError> {
    blobs.read_small(name).map_err(|e| ImageError::Missing {
        file: name.to_owned(),
        message: e.to_string(),
    })
}

fn invalid(file: &str, e: &dyn std::fmt::Display) -> ImageError {
    ImageError::Invalid {
        file: file.to_owned(),
        message: e.to_string(),
    }
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `blobs/sha256/<hex>` → `sha256:<hex>`.
fn blob_digest(name: &str) -> Option<String> {
    let hex = name.strip_prefix("blobs/sha256/")?;
    is_sha256_hex(hex).then(|| format!("sha256:{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_name_and_tag() {
        assert_eq!(
            split_reference("registry.example:5000/team/app:1.2"),
            (
                Some("registry.example:5000/team/app".into()),
                Some("1.2".into())
            )
        );
        assert_eq!(
            split_reference("registry.example:5000/app"),
            (Some("registry.example:5000/app".into()), None)
        );
        assert_eq!(
            split_reference("app:latest"),
            (Some("app".into()), Some("latest".into()))
        );
    }
}

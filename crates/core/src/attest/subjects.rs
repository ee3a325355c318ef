//! The subjects of a scan's attestation: every dependency file read, by its SHA-256, an image
//! by its manifest digest, and the commit scanned, by its git commit id.

use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::statement::Subject;
use crate::inventory::ExplicitFile;
use crate::scan::Scan;

/// A dependency file that cannot be read again to digest it.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{path}` to digest it: {source}")]
pub struct DigestError {
    /// The file, as the scan names it.
    pub path: String,
    /// Why.
    pub source: io::Error,
}

/// The subjects of `scan`: each file of `scan.files` (named as the scan names it: relative to
/// `root`, or as given with `--lockfile`) with its SHA-256, then the commit, named after the
/// project, with its `gitCommit` digest when the target is a git checkout.
pub fn of_scan(
    scan: &Scan,
    root: &Path,
    explicit: &[ExplicitFile],
) -> Result<Vec<Subject>, DigestError> {
    let mut subjects = Vec::with_capacity(scan.files.len() + 1);
    for file in &scan.files {
        let path = on_disk(&file.path, root, explicit);
        let digest = sha256_file(&path).map_err(|source| DigestError {
            path: file.path.clone(),
            source,
        })?;
        subjects.push(Subject::new(file.path.clone(), "sha256", digest));
    }
    // An image is named by its manifest digest, as registries and `cosign` name it.
    let image = scan.target.image.as_ref();
    if let Some(hex) = image
        .and_then(|i| i.digest.as_deref())
        .and_then(|d| d.strip_prefix("sha256:"))
    {
        let name = image
            .and_then(|i| i.name.clone())
            .unwrap_or_else(|| scan.target.name.clone());
        subjects.push(Subject::new(name, "sha256", hex.to_ascii_lowercase()));
    }
    if let Some(commit) = &scan.target.commit {
        subjects.push(Subject::new(
            scan.target.name.clone(),
            "gitCommit",
            commit.to_ascii_lowercase(),
        ));
    }
    Ok(subjects)
}

/// Where a scanned file is: a `--lockfile` path as given, any other relative to the root.
fn on_disk(name: &str, root: &Path, explicit: &[ExplicitFile]) -> PathBuf {
    explicit
        .iter()
        .find(|e| e.path.to_string_lossy().replace('\\', "/") == name)
        .map_or_else(|| root.join(name), |e| e.path.clone())
}

/// The lowercase hex SHA-256 of a file's bytes, read in chunks.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Kind, ScannedFile};
    use crate::model::Ecosystem;
    use crate::source::{Target, TargetKind};

    fn scan_of(files: &[&str], commit: Option<&str>) -> Scan {
        let target = Target {
            name: "app".into(),
            location: ".".into(),
            kind: TargetKind::Directory,
            reference: None,
            commit: commit.map(Into::into),
            subdirectory: None,
            image: None,
            distro: None,
        };
        let mut scan = Scan::new(target, "1970-01-01T00:00:00Z".into());
        scan.files = files
            .iter()
            .map(|f| ScannedFile {
                path: (*f).to_owned(),
                format: "Cargo.lock".into(),
                ecosystem: Ecosystem::Cargo,
                kind: Kind::Lockfile,
                packages: 0,
                superseded: false,
            })
            .collect();
        scan
    }

    #[test]
    fn files_and_the_commit_become_subjects() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("sub/Cargo.lock"), "abc").expect("write");
        let scan = scan_of(&["sub/Cargo.lock"], Some("ABCDEF"));
        let subjects = of_scan(&scan, dir.path(), &[]).expect("subjects");
        assert_eq!(
            subjects,
            vec![
                Subject::new(
                    "sub/Cargo.lock",
                    "sha256",
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                ),
                Subject::new("app", "gitCommit", "abcdef"),
            ]
        );
    }

    #[test]
    fn a_file_gone_since_the_scan_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = of_scan(&scan_of(&["Cargo.lock"], None), dir.path(), &[]).expect_err("gone");
        assert!(
            err.to_string().starts_with("cannot read `Cargo.lock`"),
            "{err}"
        );
    }
}

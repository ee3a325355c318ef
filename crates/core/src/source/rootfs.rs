//! Root file system directories: `rootfs:DIR`, or a directory that holds `etc/os-release` and a
//! package database, scanned for operating-system packages as well as dependency files.

use std::path::Path;

use super::{git, OsRoot, Prepared, SourceError, Target, TargetKind};

/// The package databases whose presence, with `os-release`, makes a directory a root file system.
const DATABASES: &[&str] = &[
    "var/lib/dpkg/status",
    "var/lib/dpkg/status.d",
    "lib/apk/db/installed",
    "var/lib/rpm",
    "usr/lib/sysimage/rpm",
];

/// Whether a directory looks like a root file system: an `os-release` and a package database.
pub fn looks_like_rootfs(dir: &Path) -> bool {
    let release = ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .any(|p| dir.join(p).symlink_metadata().is_ok());
    release && DATABASES.iter().any(|p| dir.join(p).exists())
}

/// Prepares a root file system directory; `target` is how the user named it.
pub(super) fn prepare(dir: &str, target: &str) -> Result<Prepared, SourceError> {
    let root = Path::new(dir);
    if !root.is_dir() {
        return Err(SourceError::NotADirectory(dir.to_owned()));
    }
    let name = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| dir.to_owned());
    Ok(Prepared {
        root: root.to_path_buf(),
        target: Target {
            name,
            location: target.to_owned(),
            kind: TargetKind::Rootfs,
            reference: None,
            commit: git::head_commit(root),
            subdirectory: None,
            image: None,
            distro: None,
        },
        os: Some(OsRoot::default()),
        diagnostics: Vec::new(),
        sbom: None,
        _workspace: None,
    })
}

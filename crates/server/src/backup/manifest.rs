//! `manifest.json`: what a backup holds (backend, schema version, files with size and SHA-256,
//! row counts), written last so that a directory without one is not a backup.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::BackupError;

/// The manifest's file name inside a backup directory.
pub const MANIFEST: &str = "manifest.json";
/// The manifest layout this binary writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The description of one backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout of this manifest ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// When the backup was taken (RFC 3339 UTC).
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The highest migration applied to the database backed up.
    pub schema_version: i64,
    /// The trusca version that took it.
    pub trusca_version: String,
    /// The files of the backup, each with its size and SHA-256.
    pub files: Vec<FileEntry>,
    /// Rows per table at the time of the backup.
    pub tables: BTreeMap<String, i64>,
    /// Taken by the server's schedule (only these are pruned by retention).
    pub automatic: bool,
    /// PostgreSQL: the schema that was dumped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_schema: Option<String>,
}

/// One file of a backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its name inside the backup directory.
    pub name: String,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
}

impl Manifest {
    /// The size of the backup's files together.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }

    /// Reads and checks the shape of `dir/manifest.json`.
    pub fn read(dir: &Path) -> Result<Manifest, BackupError> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| BackupError::io(&path, e))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            BackupError::Manifest(format!("{} is not a trusca manifest: {e}", path.display()))
        })?;
        if m.format_version != FORMAT_VERSION {
            return Err(BackupError::Manifest(format!(
                "{} has format version {}; this trusca reads version {FORMAT_VERSION}",
                path.display(),
                m.format_version
            )));
        }
        if humantime::parse_rfc3339(&m.created_at).is_err() {
            return Err(BackupError::Manifest(format!(
                "{}: created_at `{}` is not an RFC 3339 time",
                path.display(),
                m.created_at
            )));
        }
        for f in &m.files {
            if !is_plain_name(&f.name) {
                return Err(BackupError::Manifest(format!(
                    "{}: file name `{}` is not a plain name inside the backup",
                    path.display(),
                    f.name
                )));
            }
        }
        Ok(m)
    }

    /// Writes `dir/manifest.json`, flushed to disk.
    pub fn write(&self, dir: &Path) -> Result<(), BackupError> {
        let path = dir.join(MANIFEST);
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| BackupError::Manifest(e.to_string()))?;
        text.push('\n');
        let mut f = File::create(&path).map_err(|e| BackupError::io(&path, e))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| BackupError::io(&path, e))
    }

    /// Checks every listed file's size and SHA-256 against the disk.
    pub fn verify(&self, dir: &Path) -> Result<(), BackupError> {
        if self.files.is_empty() {
            return Err(BackupError::Manifest("the manifest lists no files".into()));
        }
        for f in &self.files {
            let path = dir.join(&f.name);
            let bytes = std::fs::metadata(&path)
                .map_err(|e| BackupError::io(&path, e))?
                .len();
            if bytes != f.bytes {
                return Err(BackupError::Corrupt(format!(
                    "{} has {bytes} bytes, the manifest says {}",
                    path.display(),
                    f.bytes
                )));
            }
            let sha = sha256_file(&path)?;
            if sha != f.sha256 {
                return Err(BackupError::Corrupt(format!(
                    "{} has SHA-256 {sha}, the manifest says {}",
                    path.display(),
                    f.sha256
                )));
            }
        }
        Ok(())
    }

    /// The entry of a named file.
    pub fn file(&self, name: &str) -> Result<&FileEntry, BackupError> {
        self.files
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| BackupError::Manifest(format!("the manifest lists no `{name}`")))
    }
}

/// A name with no directory part, so a manifest cannot point outside its backup.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && Path::new(name).file_name().is_some()
}

/// The entry for a file just written.
pub fn entry(dir: &Path, name: &str) -> Result<FileEntry, BackupError> {
    let path = dir.join(name);
    let bytes = std::fs::metadata(&path)
        .map_err(|e| BackupError::io(&path, e))?
        .len();
    Ok(FileEntry {
        name: name.to_owned(),
        bytes,
        sha256: sha256_file(&path)?,
    })
}

/// SHA-256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, BackupError> {
    let mut f = File::open(path).map_err(|e| BackupError::io(path, e))?;
    let mut hasher = Sha256::new();
    io::copy(&mut f, &mut hasher).map_err(|e| BackupError::io(path, e))?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_backup() {
        assert!(is_plain_name("trusca.sqlite3.gz"));
        for bad in ["", ".", "..", "../x", "a/b", "/etc/passwd", "a\\b"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn sha256_of_a_known_text() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("abc");
        std::fs::write(&p, b"abc").expect("write");
        assert_eq!(
            sha256_file(&p).expect("hash"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

//! Where an image's files come from: an OCI layout directory, or a tar archive (`docker save`
//! or an OCI archive) read in place. A tar archive is indexed once (names, offsets and sizes
//! from its headers) and each blob is then read straight from the file, never copied out.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The files of an image's container, by their name inside it (`manifest.json`,
/// `blobs/sha256/<hex>`).
#[derive(Debug)]
pub(crate) enum Blobs {
    /// A directory on disk (an OCI image layout).
    Dir(PathBuf),
    /// A tar archive and the place of each regular file in it.
    Tar {
        /// The archive.
        path: PathBuf,
        /// Name → (offset of the data, size).
        entries: HashMap<String, (u64, u64)>,
    },
}

/// The largest manifest, index or configuration read whole.
pub(crate) const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;

impl Blobs {
    /// Indexes a tar archive's regular files.
    pub(crate) fn tar(path: &Path) -> io::Result<Blobs> {
        let file = File::open(path)?;
        let mut archive = tar::Archive::new(file);
        let mut entries = HashMap::new();
        for entry in archive.entries_with_seek()? {
            let entry = entry?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = normal_name(&entry.path_bytes());
            entries.insert(name, (entry.raw_file_position(), entry.size()));
        }
        Ok(Blobs::Tar {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// Opens a file for reading, with its size.
    pub(crate) fn open(&self, name: &str) -> io::Result<(Box<dyn Read + Send>, u64)> {
        let missing =
            || io::Error::new(io::ErrorKind::NotFound, format!("no `{name}` in the image"));
        match self {
            Blobs::Dir(root) => {
                let path = safe_join(root, name).ok_or_else(missing)?;
                let file = File::open(path)?;
                let size = file.metadata()?.len();
                Ok((Box::new(file), size))
            }
            Blobs::Tar { path, entries } => {
                let &(offset, size) = entries.get(name).ok_or_else(missing)?;
                let mut file = File::open(path)?;
                file.seek(SeekFrom::Start(offset))?;
                Ok((Box::new(file.take(size)), size))
            }
        }
    }

    /// Reads a small file (JSON) whole, refusing one larger than [`MAX_JSON_BYTES`].
    pub(crate) fn read_small(&self, name: &str) -> io::Result<Vec<u8>> {
        let (reader, size) = self.open(name)?;
        if size > MAX_JSON_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("`{name}` is {size} bytes, more than a manifest may be"),
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        reader.take(MAX_JSON_BYTES).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The name of a content-addressed blob (`sha256:abc` → `blobs/sha256/abc`), refusing a
    /// digest that is not `algorithm:hex`.
    pub(crate) fn blob_name(digest: &str) -> Option<String> {
        let (alg, hex) = digest.split_once(':')?;
        let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        (plain(alg) && plain(hex)).then(|| format!("blobs/{alg}/{hex}"))
    }
}

/// A name inside the archive without `./` and leading or trailing `/`.
fn normal_name(raw: &[u8]) -> String {
    let name = String::from_utf8_lossy(raw);
    name.trim_start_matches("./").trim_matches('/').to_owned()
}

/// `root/name` when `name` stays inside `root` (no `..`, not absolute).
fn safe_join(root: &Path, name: &str) -> Option<PathBuf> {
    if name.starts_with('/') || name.split('/').any(|c| c == "..") {
        return None;
    }
    Some(root.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_names_come_from_plain_digests_only() {
        assert_eq!(
            Blobs::blob_name("sha256:ab12").as_deref(),
            Some("blobs/sha256/ab12")
        );
        assert_eq!(Blobs::blob_name("sha256:../../etc/passwd"), None);
        assert_eq!(Blobs::blob_name("sha256"), None);
    }

    #[test]
    fn a_directory_store_refuses_names_that_climb_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = Blobs::Dir(dir.path().to_path_buf());
        assert!(blobs.open("../outside").is_err());
        assert!(blobs.open("/etc/hostname").is_err());
    }
}

//! Reading one layer: decompress (gzip, zstd or plain, told by the first bytes), walk its tar
//! entries keeping only what [`super::keep::is_kept`] asks for, check the digests, and return
//! the layer's changes to apply. Nothing is written to disk.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::keep::is_kept;
use super::tree::{Change, Changes};

/// Bounds on what reading an image may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The uncompressed bytes of all layers together.
    pub max_total_bytes: u64,
    /// The tar entries of all layers together.
    pub max_entries: u64,
    /// The size of one kept file; a larger one is reported and not read.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_bytes: 32 << 30,
            max_entries: 4_000_000,
            max_file_bytes: 256 << 20,
        }
    }
}

/// What is left of the limits while the layers are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    pub(crate) bytes: u64,
    pub(crate) entries: u64,
    pub(crate) max_file_bytes: u64,
}

impl From<Limits> for Budget {
    fn from(l: Limits) -> Self {
        Budget {
            bytes: l.max_total_bytes,
            entries: l.max_entries,
            max_file_bytes: l.max_file_bytes,
        }
    }
}

/// The digests a layer must have.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expected {
    /// Of the blob as stored (`sha256:…`, an OCI descriptor's digest).
    pub(crate) stored: Option<String>,
    /// Of the uncompressed tar (the configuration's `rootfs.diff_ids`).
    pub(crate) uncompressed: Option<String>,
}

/// A problem with one entry that did not stop the layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryNote {
    /// The entry's name as written in the layer.
    pub(crate) entry: String,
    /// What was wrong, in one lowercase sentence.
    pub(crate) message: String,
}

/// Why a layer could not be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LayerError {
    /// The stream broke off or is not a tar (a truncated gzip, a bad header).
    #[error("cannot read the layer{}: {message}", after(.entry))]
    Read {
        /// The last entry read whole before the failure.
        entry: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// A bound of [`Limits`] was passed.
    #[error("the layer passes the limit of {what}{}", after(.entry))]
    Limit {
        /// Which limit.
        what: String,
        /// The entry being read.
        entry: Option<String>,
    },
    /// The bytes do not have the digest the manifest or configuration gives.
    #[error("the {which} digest is `{actual}`, not the `{expected}` the image names")]
    Digest {
        /// `stored` or `uncompressed`.
        which: &'static str,
        /// What the image says.
        expected: String,
        /// What the bytes hash to.
        actual: String,
    },
}

fn after(entry: &Option<String>) -> String {
    entry
        .as_ref()
        .map(|e| format!(" at or after entry `{e}`"))
        .unwrap_or_default()
}

/// A layer's changes and the entries it refused.
#[derive(Debug, Default)]
pub(crate) struct Layer {
    pub(crate) changes: Changes,
    pub(crate) notes: Vec<EntryNote>,
}

/// Reads one layer blob.
pub(crate) fn read(
    blob: impl Read,
    expected: &Expected,
    budget: &mut Budget,
) -> Result<Layer, LayerError> {
    let mut stored_hash = Sha256::new();
    let mut tar_hash = Sha256::new();
    let mut exceeded = false;
    let mut bytes_left = budget.bytes;
    let mut layer = Layer::default();
    let mut last: Option<String> = None;
    {
        let stored = Hashing {
            inner: blob,
            hasher: &mut stored_hash,
        };
        let mut buffered = BufReader::with_capacity(256 * 1024, stored);
        let magic = buffered.fill_buf().map_err(|e| read_error(&None, &e))?;
        let plain: Box<dyn Read + '_> = if magic.starts_with(&[0x1f, 0x8b]) {
            Box::new(flate2::bufread::MultiGzDecoder::new(buffered))
        } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Box::new(
                zstd::stream::read::Decoder::with_buffer(buffered)
                    .map_err(|e| read_error(&None, &e))?,
            )
        } else {
            Box::new(buffered)
        };
        let bounded = Bounded {
            inner: plain,
            left: &mut bytes_left,
            exceeded: &mut exceeded,
        };
        let hashed = Hashing {
            inner: bounded,
            hasher: &mut tar_hash,
        };
        let mut archive = tar::Archive::new(hashed);
        let outcome = walk(&mut archive, budget, &mut layer, &mut last);
        let drained = outcome.and_then(|()| {
            // What follows the end-of-archive blocks still counts for the digests.
            io::copy(&mut archive.into_inner(), &mut io::sink())
                .map(|_| ())
                .map_err(WalkError::Io)
        });
        if let Err(e) = drained {
            return Err(match e {
                WalkError::Io(_) if exceeded => limit("total uncompressed bytes", &last),
                WalkError::Io(e) => read_error(&last, &e),
                WalkError::Limit(what) => limit(what, &last),
            });
        }
    }
    budget.bytes = bytes_left;
    check("stored", expected.stored.as_deref(), stored_hash)?;
    check("uncompressed", expected.uncompressed.as_deref(), tar_hash)?;
    Ok(layer)
}

fn read_error(entry: &Option<String>, e: &io::Error) -> LayerError {
    LayerError::Read {
        entry: entry.clone(),
        message: e.to_string(),
    }
}

fn limit(what: &str, entry: &Option<String>) -> LayerError {
    LayerError::Limit {
        what: what.to_owned(),
        entry: entry.clone(),
    }
}

fn check(which: &'static str, expected: Option<&str>, hasher: Sha256) -> Result<(), LayerError> {
    let Some(expected) = expected else {
        return Ok(());
    };
    let actual = format!("sha256:{}", hex(&hasher.finalize()));
    if expected.eq_ignore_ascii_case(&actual) {
        return Ok(());
    }
    Err(LayerError::Digest {
        which,
        expected: expected.to_owned(),
        actual,
    })
}

/// Lowercase hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

enum WalkError {
    Io(io::Error),
    Limit(&'static str),
}

impl From<io::Error> for WalkError {
    fn from(e: io::Error) -> Self {
        WalkError::Io(e)
    }
}

fn walk<R: Read>(
    archive: &mut tar::Archive<R>,
    budget: &mut Budget,
    layer: &mut Layer,
    last: &mut Option<String>,
) -> Result<(), WalkError> {
    for entry in archive.entries()? {
        let mut entry = entry?;
        if budget.entries == 0 {
            return Err(WalkError::Limit("tar entries"));
        }
        budget.entries -= 1;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(path) = inside_root(&raw) else {
            layer.notes.push(EntryNote {
                entry: raw.clone(),
                message: "the entry's path leaves the image root: refused".to_owned(),
            });
            *last = Some(raw);
            continue;
        };
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (Some(d), n),
            None => (None, path.as_str()),
        };
        if let Some(hidden) = name.strip_prefix(".wh.") {
            let join = |n: &str| dir.map_or_else(|| n.to_owned(), |d| format!("{d}/{n}"));
            if hidden == ".wh..opq" {
                layer.changes.opaque.push(dir.unwrap_or("").to_owned());
            } else if !hidden.is_empty() {
                layer.changes.whiteouts.push(join(hidden));
            }
            *last = Some(raw);
            continue;
        }
        let kind = entry.header().entry_type();
        let change = if kind.is_file() || kind == tar::EntryType::Continuous {
            let size = entry.size();
            if !is_kept(&path) {
                Change::Other { directory: false }
            } else if size > budget.max_file_bytes {
                layer.notes.push(EntryNote {
                    entry: raw.clone(),
                    message: format!(
                        "the file is {} MiB, more than the {} MiB read from an image",
                        size >> 20,
                        budget.max_file_bytes >> 20
                    ),
                });
                Change::Other { directory: false }
            } else {
                let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
                entry.read_to_end(&mut bytes)?;
                Change::File(Arc::from(bytes))
            }
        } else if kind.is_dir() {
            Change::Other { directory: true }
        } else if kind.is_symlink() || kind.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default();
            if kind.is_symlink() {
                Change::Symlink(target)
            } else if let Some(target) = inside_root(&target) {
                Change::HardLink(target)
            } else {
                layer.notes.push(EntryNote {
                    entry: raw.clone(),
                    message: format!(
                        "the hard link's target `{target}` leaves the image root: refused"
                    ),
                });
                Change::Other { directory: false }
            }
        } else {
            Change::Other { directory: false }
        };
        layer.changes.entries.push((path, change));
        *last = Some(raw);
    }
    Ok(())
}

/// The entry's path from the image root (`./a//b/` → `a/b`); `None` for an absolute path or
/// one with a `..` component, which a runtime would refuse to unpack.
pub(crate) fn inside_root(raw: &str) -> Option<String> {
    if raw.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Hashes what passes through.
struct Hashing<'a, R> {
    inner: R,
    hasher: &'a mut Sha256,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Fails once more than `left` bytes have passed: the guard against a decompression bomb.
struct Bounded<'a, R> {
    inner: R,
    left: &'a mut u64,
    exceeded: &'a mut bool,
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                *self.left = left;
                Ok(n)
            }
            None => {
                *self.exceeded = true;
                Err(io::Error::other("uncompressed size limit passed"))
            }
        }
    }
}

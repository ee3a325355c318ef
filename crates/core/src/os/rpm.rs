//! rpm's database. `rpmdb.sqlite` (RHEL 9, AlmaLinux 9, Fedora) is read with SQLite: each row
//! of `Packages` is one package's header blob, parsed here. The Berkeley DB `Packages` and NDB
//! `Packages.db` of older releases are reported as not supported.
//!
//! The header layout is rpm's own (no maintained crate reads a bare header blob without the
//! package file's lead around it): two big-endian counts, an index of 16-byte entries (tag,
//! type, offset, count) and the data store they point into.

use std::path::Path;

use super::{Builder, OsPackageFields};

const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_LICENSE: u32 = 1014;
const TAG_ARCH: u32 = 1022;
const TAG_SOURCERPM: u32 = 1044;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// The most index entries a header may have (rpm itself allows 0xffff).
const MAX_INDEX: usize = 0xffff;

/// Reads the packages of an `rpmdb.sqlite` file.
pub fn read_sqlite(path: &Path, builder: &mut Builder<'_>) {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let blobs = rusqlite::Connection::open_with_flags(path, flags).and_then(|db| {
        let mut stmt = db.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?;
        rows.collect::<Result<Vec<_>, _>>()
    });
    let blobs = match blobs {
        Ok(b) => b,
        Err(e) => {
            builder.unreadable(&format!("cannot read the rpm database: {e}"));
            return;
        }
    };
    for (hnum, blob) in blobs {
        match Header::parse(&blob) {
            Ok(h) => add(&h, builder),
            Err(e) => builder.skipped_entry(&format!("header {hnum}: {e}")),
        }
    }
}

fn add(h: &Header<'_>, builder: &mut Builder<'_>) {
    let (Some(name), Some(version)) = (h.string(TAG_NAME), h.string(TAG_VERSION)) else {
        builder.skipped_entry("header without a name and version");
        return;
    };
    // The public keys rpm imports are stored as packages; they are not software.
    if name == "gpg-pubkey" {
        return;
    }
    let full = match h.string(TAG_RELEASE) {
        Some(release) => format!("{version}-{release}"),
        None => version.to_owned(),
    };
    let epoch = h.int(TAG_EPOCH).map(|e| e.to_string());
    let (source_name, source_version) = h
        .string(TAG_SOURCERPM)
        .and_then(split_source_rpm)
        .unwrap_or((name, None));
    builder.add(OsPackageFields {
        name,
        version: &full,
        arch: h.string(TAG_ARCH),
        source_name,
        source_version,
        epoch: epoch.as_deref(),
        license: h.string(TAG_LICENSE),
        line: None,
    });
}

/// `openssl-3.0.7-24.el9.src.rpm` → (`openssl`, `3.0.7-24.el9`).
fn split_source_rpm(file: &str) -> Option<(&str, Option<&str>)> {
    let stem = file.strip_suffix(".rpm")?;
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _arch)| s);
    let (rest, _release) = stem.rsplit_once('-')?;
    let (name, _version) = rest.rsplit_once('-')?;
    Some((name, Some(&stem[name.len() + 1..])))
}

/// A parsed header: the index and the data store.
struct Header<'a> {
    index: Vec<(u32, u32, usize, usize)>,
    data: &'a [u8],
}

impl<'a> Header<'a> {
    fn parse(blob: &'a [u8]) -> Result<Header<'a>, String> {
        let word = |at: usize| -> Result<u32, String> {
            blob.get(at..at + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or_else(|| "header is truncated".to_owned())
        };
        let count = word(0)? as usize;
        let data_len = word(4)? as usize;
        if count > MAX_INDEX {
            return Err(format!("header claims {count} index entries"));
        }
        let data_start = 8 + count * 16;
        let data = blob
            .get(data_start..data_start.saturating_add(data_len))
            .ok_or_else(|| "header data is truncated".to_owned())?;
        let mut index = Vec::with_capacity(count);
        for i in 0..count {
            let at = 8 + i * 16;
            index.push((
                word(at)?,
                word(at + 4)?,
                word(at + 8)? as usize,
                word(at + 12)? as usize,
            ));
        }
        Ok(Header { index, data })
    }

    fn entry(&self, tag: u32) -> Option<(u32, usize, usize)> {
        self.index
            .iter()
            .find(|(t, ..)| *t == tag)
            .map(|&(_, ty, offset, count)| (ty, offset, count))
    }

    /// A string tag's value (the first of an array or translation table).
    fn string(&self, tag: u32) -> Option<&'a str> {
        let (ty, offset, _) = self.entry(tag)?;
        if !matches!(ty, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING) {
            return None;
        }
        let rest = self.data.get(offset..)?;
        let end = rest.iter().position(|&b| b == 0)?;
        std::str::from_utf8(&rest[..end])
            .ok()
            .filter(|s| !s.is_empty())
    }

    fn int(&self, tag: u32) -> Option<u32> {
        let (ty, offset, count) = self.entry(tag)?;
        if ty != TYPE_INT32 || count == 0 {
            return None;
        }
        let b = self.data.get(offset..offset + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Builds a header blob from (tag, type, value) triples, as rpm stores them (for tests).
#[cfg(test)]
pub(crate) fn header_blob(tags: &[(u32, &str)], epoch: Option<u32>) -> Vec<u8> {
    let mut index = Vec::new();
    let mut data = Vec::new();
    for (tag, value) in tags {
        index.push((*tag, TYPE_STRING, data.len(), 1));
        data.extend_from_slice(value.as_bytes());
        data.push(0);
    }
    if let Some(e) = epoch {
        while data.len() % 4 != 0 {
            data.push(0);
        }
        index.push((TAG_EPOCH, TYPE_INT32, data.len(), 1));
        data.extend_from_slice(&e.to_be_bytes());
    }
    let mut blob = Vec::new();
    blob.extend_from_slice(&(index.len() as u32).to_be_bytes());
    blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
    for (tag, ty, offset, count) in index {
        for v in [tag, ty, offset as u32, count] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
    }
    blob.extend_from_slice(&data);
    blob
}

/// The tags of a test header.
#[cfg(test)]
pub(crate) const TEST_TAGS: [u32; 6] = [
    TAG_NAME,
    TAG_VERSION,
    TAG_RELEASE,
    TAG_ARCH,
    TAG_LICENSE,
    TAG_SOURCERPM,
];

#[cfg(test)]
mod tests {
    use super::super::testing::{alma, build};
    use super::*;

    fn sqlite_with(blobs: &[Vec<u8>]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = rusqlite::Connection::open(dir.path().join("rpmdb.sqlite")).expect("open");
        db.execute(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
            [],
        )
        .expect("create");
        for b in blobs {
            db.execute("INSERT INTO Packages (blob) VALUES (?1)", [b])
                .expect("insert");
        }
        dir
    }

    fn openssl() -> Vec<u8> {
        let values = [
            "openssl-libs",
            "3.0.7",
            "24.el9",
            "x86_64",
            "Apache-2.0",
            "openssl-3.0.7-24.el9.src.rpm",
        ];
        let tags: Vec<(u32, &str)> = TEST_TAGS.iter().copied().zip(values).collect();
        header_blob(&tags, Some(1))
    }

    #[test]
    fn reads_sqlite_headers_with_epoch_and_source() {
        let dir = sqlite_with(&[
            openssl(),
            b"\x00\x00".to_vec(),
            header_blob(&[(TAG_NAME, "gpg-pubkey"), (TAG_VERSION, "1")], None),
        ]);
        let (packages, diagnostics) = build(&alma(), "var/lib/rpm/rpmdb.sqlite", |b| {
            read_sqlite(&dir.path().join("rpmdb.sqlite"), b)
        });
        assert_eq!(packages.len(), 1, "{packages:?}");
        assert_eq!(
            packages[0].purl,
            "pkg:rpm/almalinux/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=almalinux-9.3&epoch=1"
        );
        let os = packages[0].os.as_ref().expect("os");
        assert_eq!(os.source_name, "openssl");
        assert_eq!(os.source_version.as_deref(), Some("3.0.7-24.el9"));
        assert_eq!(packages[0].version.as_deref(), Some("1:3.0.7-24.el9"));
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.contains("truncated"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn hostile_headers_are_errors_not_panics() {
        for blob in [
            vec![],
            vec![0xff; 8],
            [0u32.to_be_bytes(), 0xffff_fff0u32.to_be_bytes()].concat(),
            [
                1u32.to_be_bytes(),
                4u32.to_be_bytes(),
                1000u32.to_be_bytes(),
                6u32.to_be_bytes(),
                0xffff_ffffu32.to_be_bytes(),
                1u32.to_be_bytes(),
                *b"abcd",
            ]
            .concat(),
        ] {
            if let Ok(h) = Header::parse(&blob) {
                assert_eq!(h.string(TAG_NAME), None);
            }
        }
        let not_sqlite = tempfile::NamedTempFile::new().expect("file");
        std::fs::write(not_sqlite.path(), b"not a database").expect("write");
        let (packages, diagnostics) = build(&alma(), "var/lib/rpm/rpmdb.sqlite", |b| {
            read_sqlite(not_sqlite.path(), b)
        });
        assert!(packages.is_empty());
        assert_eq!(diagnostics.len(), 1);
    }
}

//! SQLite: a consistent copy of the live file through SQLite's online backup API, gzipped; and a
//! restore that decompresses beside the target, checks the copy, and renames it over the target.
//!
//! The copy goes through rusqlite's `backup` module: it links the same `libsqlite3-sys` as sqlx
//! (one `links = "sqlite3"` in the tree), and the workspace forbids the `unsafe` that calling
//! `sqlite3_backup_*` through sqlx's raw handle would need. `VACUUM INTO` was not needed.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use sqlx::sqlite::SqliteConnectOptions;

use super::{BackupError, Dumped, LiveState};
use crate::chain::Report;
use crate::db::backup::{
    file_audit_report, file_integrity, file_journal_delete, file_row_counts, file_schema_version,
    AUDIT_CHAIN_VERSION,
};

/// The compressed database file inside a backup.
pub const DUMP_FILE: &str = "trusca.sqlite3.gz";

/// gzip level: SQLite pages compress well at low levels; higher ones cost much more time.
const GZIP_LEVEL: u32 = 3;

/// The file a `sqlite:` URL (or bare path) names, percent-decoded as sqlx decodes it when it
/// opens the database (`my%20db.db` is `my db.db`).
pub fn db_path(url: &str) -> Result<PathBuf, BackupError> {
    let none = || {
        BackupError::Invalid(format!(
            "`{url}` names no database file to back up or restore"
        ))
    };
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(none());
    }
    let options =
        SqliteConnectOptions::from_str(&format!("sqlite://{path}")).map_err(|_| none())?;
    Ok(options.get_filename().to_path_buf())
}

/// Copies the database at `db` into `dir/DUMP_FILE` while the server may be writing to it.
pub fn dump(db: &Path, dir: &Path) -> Result<Dumped, BackupError> {
    if !db.is_file() {
        return Err(BackupError::Invalid(format!(
            "no SQLite database at {}",
            db.display()
        )));
    }
    let raw = dir.join("trusca.sqlite3");
    let (tables, schema_version) = {
        // Read-write without create: a read-only handle cannot always open a WAL database whose
        // -shm file is missing. The backup only reads the source.
        let src = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        src.busy_timeout(Duration::from_secs(30))?;
        let mut dst = Connection::open(&raw)?;
        copy(&src, &mut dst)?;
        file_journal_delete(&dst)?;
        let tables = file_row_counts(&dst)?;
        let version = file_schema_version(&dst)?.ok_or_else(|| {
            BackupError::Invalid(format!("{} is not a trusca database", db.display()))
        })?;
        (tables, version)
    };
    let out = dir.join(DUMP_FILE);
    gzip(&raw, &out)?;
    std::fs::remove_file(&raw).map_err(|e| BackupError::io(&raw, e))?;
    Ok(Dumped {
        file: DUMP_FILE.to_owned(),
        tables,
        schema_version,
        pg_schema: None,
    })
}

/// All pages in one step: in WAL mode this holds only a read snapshot, so writers go on, and the
/// copy is that snapshot. (Copying a few pages at a time would restart from the beginning after
/// every write by another connection and might never finish under load.)
fn copy(src: &Connection, dst: &mut Connection) -> Result<(), BackupError> {
    let backup = Backup::new(src, dst)?;
    for _ in 0..600 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(Duration::from_millis(100));
            }
            // `StepResult` is non-exhaustive.
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    Err(BackupError::Invalid(
        "the database stayed locked for a minute; no backup taken".into(),
    ))
}

fn gzip(from: &Path, to: &Path) -> Result<(), BackupError> {
    let mut input = BufReader::new(File::open(from).map_err(|e| BackupError::io(from, e))?);
    let output = File::create(to).map_err(|e| BackupError::io(to, e))?;
    let mut enc = GzEncoder::new(
        BufWriter::with_capacity(1 << 20, output),
        Compression::new(GZIP_LEVEL),
    );
    std::io::copy(&mut input, &mut enc).map_err(|e| BackupError::io(to, e))?;
    let output = enc
        .finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .map_err(|e| BackupError::io(to, e))?;
    output.sync_all().map_err(|e| BackupError::io(to, e))
}

/// Characters escaped in a path inside a `file:` URI.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b'%')
    .add(b'?')
    .add(b'#')
    .add(b' ');

/// Row counts and schema version of the database at `db`, if there is one (read-only, creating
/// no file).
pub fn current(db: &Path) -> Result<Option<LiveState>, BackupError> {
    if !db.is_file() {
        return Ok(None);
    }
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let conn = if Path::new(&wal).exists() {
        // A server runs, or stopped uncleanly: read through the WAL.
        Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    } else {
        // No WAL: open the file as immutable so that not even -wal/-shm files are created.
        let path = db.to_string_lossy();
        let escaped = percent_encoding::utf8_percent_encode(&path, URI_PATH);
        Connection::open_with_flags(
            format!("file:{escaped}?immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    };
    Ok(Some((file_schema_version(&conn)?, file_row_counts(&conn)?)))
}

/// Removes a file when dropped unless disarmed.
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Replaces the database at `target` with the backup's copy. The copy is decompressed beside
/// the target and checked (`PRAGMA integrity_check`, schema version and row counts as the
/// manifest says) before it is renamed over the target in one step; stale `-wal`/`-shm` files
/// of the old database are removed. Nothing is touched when a check fails, nor when the copy's
/// audit chain is broken (unless `accept_broken_chain`). Returns what the chain walk found
/// (`None` for a backup older than the chain).
pub fn restore(
    target: &Path,
    backup_dir: &Path,
    manifest: &super::Manifest,
    accept_broken_chain: bool,
) -> Result<Option<Report>, BackupError> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| BackupError::io(&parent, e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "trusca.db".into());
    let tmp_path = parent.join(format!(".{name}.restore-{}", uuid::Uuid::new_v4().simple()));
    let mut tmp = TempFile(Some(tmp_path.clone()));
    let mut chain = None;
    gunzip(
        &backup_dir.join(manifest.file(DUMP_FILE)?.name.as_str()),
        &tmp_path,
    )?;
    {
        let conn = Connection::open_with_flags(
            &tmp_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Err(problems) = file_integrity(&conn)? {
            return Err(BackupError::Corrupt(format!(
                "the backed-up database fails its integrity check: {problems}"
            )));
        }
        let version = file_schema_version(&conn)?;
        if version != Some(manifest.schema_version) {
            return Err(BackupError::Corrupt(format!(
                "the backed-up database has schema version {version:?}, the manifest says {}",
                manifest.schema_version
            )));
        }
        if file_row_counts(&conn)? != manifest.tables {
            return Err(BackupError::Corrupt(
                "the backed-up database's row counts differ from the manifest".into(),
            ));
        }
        if manifest.schema_version >= AUDIT_CHAIN_VERSION {
            let report = file_audit_report(&conn)?;
            if let (Some(b), false) = (&report.broken, accept_broken_chain) {
                return Err(BackupError::AuditChain(b.to_string()));
            }
            chain = Some(report);
        }
    }
    std::fs::rename(&tmp_path, target).map_err(|e| BackupError::io(target, e))?;
    tmp.0 = None;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut p = target.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BackupError::io(&p, e)),
        }
    }
    Ok(chain)
}

fn gunzip(from: &Path, to: &Path) -> Result<(), BackupError> {
    let input = File::open(from).map_err(|e| BackupError::io(from, e))?;
    let mut dec = GzDecoder::new(BufReader::with_capacity(1 << 20, input));
    let output = File::create(to).map_err(|e| BackupError::io(to, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, output);
    std::io::copy(&mut dec, &mut out).map_err(|e| BackupError::io(from, e))?;
    out.flush().map_err(|e| BackupError::io(to, e))?;
    out.into_inner()
        .map_err(|e| BackupError::io(to, e.into_error()))?
        .sync_all()
        .map_err(|e| BackupError::io(to, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_files() {
        let p = |u: &str| db_path(u).map(|p| p.display().to_string()).ok();
        assert_eq!(
            p("sqlite://data/t.db?mode=rwc").as_deref(),
            Some("data/t.db")
        );
        assert_eq!(p("sqlite:///abs/t.db").as_deref(), Some("/abs/t.db"));
        assert_eq!(p("sqlite:t.db").as_deref(), Some("t.db"));
        assert_eq!(p("t.db").as_deref(), Some("t.db"));
        assert_eq!(
            p("sqlite://data/my%20db.db").as_deref(),
            Some("data/my db.db")
        );
        assert_eq!(p("sqlite::memory:"), None);
        assert_eq!(p("sqlite://"), None);
    }
}

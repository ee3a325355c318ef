//! `db update`: fetch OSV bulk data (`<base>/<Ecosystem>/all.zip`) from the public OSV bucket
//! or a mirror (HTTP(S), `file://`, or a directory) and rebuild the database.
//!
//! Downloads are conditional: the `ETag` and `Last-Modified` of each ecosystem's last download
//! are stored in the database, and an ecosystem the server answers `304 Not Modified` for
//! keeps its records from the current database. An update of named ecosystems replaces only
//! those: every other ecosystem keeps its records (byte for byte), its update time, and its
//! validators when the mirror is the same (how records affecting several ecosystems are
//! merged: `RecordSet` in [`super::db`]). Every download goes to a temporary file next to the
//! database first; the new database replaces the old one only when every ecosystem was fetched
//! completely, so a network failure or a cut-off transfer leaves the old one in place.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::db::{self, Db, DbError, DbInfo, EcosystemInfo, Provenance};
use super::import::{Collector, ImportLimits, ImportReport};
use crate::model::Ecosystem;
use crate::progress::Progress;

/// The public OSV bucket.
pub const DEFAULT_MIRROR: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// What to update from.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The mirror: an `http(s)://` URL, a `file://` URL or a directory.
    pub mirror: String,
    /// Only these ecosystems (OSV directory names), keeping every other one the database holds;
    /// empty: the mirror's `ecosystems.txt`, or the ecosystems trusca scans when it has none
    /// (a full update: ecosystems the mirror does not offer are dropped).
    pub ecosystems: Vec<String>,
    /// Bounds on the data read.
    pub limits: ImportLimits,
}

/// What happened to one ecosystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EcosystemStatus {
    /// Downloaded (or read from a directory mirror).
    Downloaded,
    /// The server said it had not changed; the previous records were kept.
    Unchanged,
    /// The mirror has no data for it.
    Missing,
    /// Not named in an update of named ecosystems: its records were kept as they were.
    Kept,
}

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateReport {
    /// Records read and skipped.
    pub import: ImportReport,
    /// Per ecosystem: what happened.
    pub ecosystems: BTreeMap<String, EcosystemStatus>,
    /// Bytes downloaded in total.
    pub bytes: u64,
}

/// Why an update failed; the previous database is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The mirror URL or path is not usable.
    #[error("invalid mirror `{0}`: {1}")]
    Mirror(String, String),
    /// A request failed (connection, TLS, timeout, status).
    #[error("download of `{url}` failed: {message}")]
    Network {
        /// What was being fetched.
        url: String,
        /// What happened.
        message: String,
    },
    /// The transfer ended before the announced size.
    #[error("download of `{url}` was cut off after {received} of {expected} bytes")]
    Truncated {
        /// What was being fetched.
        url: String,
        /// Bytes received.
        received: u64,
        /// Bytes announced.
        expected: u64,
    },
    /// The downloaded file is not a readable zip.
    #[error("`{url}` is not a readable zip archive: {message}")]
    BadArchive {
        /// What was fetched.
        url: String,
        /// Details.
        message: String,
    },
    /// An ecosystem named with `--ecosystem` is not on the mirror.
    #[error("the mirror has no data for ecosystem `{0}`")]
    UnknownEcosystem(String),
    /// Nothing could be fetched at all.
    #[error("the mirror `{0}` has no OSV data for any of the requested ecosystems")]
    Empty(String),
    /// A local file operation failed.
    #[error("cannot write a temporary file next to `{path}`: {message}")]
    Io {
        /// The database path.
        path: PathBuf,
        /// Details.
        message: String,
    },
    /// An update of named ecosystems cannot keep the others: the current database does not
    /// read.
    #[error("cannot keep the ecosystems not named: {0}; an update of every ecosystem rebuilds it")]
    CannotKeep(DbError),
    /// Writing the database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Where records come from.
enum Mirror {
    Http { base: String, agent: ureq::Agent },
    Dir(PathBuf),
}

/// A fetched `all.zip`.
enum Fetched {
    /// The zip, in a temporary file (HTTP) or in place (directory), with its validators.
    Zip {
        file: fs::File,
        etag: Option<String>,
        last_modified: Option<String>,
        bytes: u64,
    },
    NotModified,
    Missing,
}

/// Updates the database at `db_path` from a mirror. With [`UpdateOptions::ecosystems`] named,
/// only those are replaced and every other ecosystem of the current database is kept.
pub fn update(
    db_path: &Path,
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<(UpdateReport, DbInfo), UpdateError> {
    let mirror = Mirror::new(&options.mirror)?;
    let explicit = !options.ecosystems.is_empty();
    let mut old = open_current(db_path, explicit)?;
    let old_validators = old
        .as_ref()
        .filter(|db| db.info().source == mirror.source())
        .map(|db| db.info().ecosystems.clone())
        .unwrap_or_default();
    let ecosystems = requested(&mirror, options)?;
    let dir = match db_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| UpdateError::Io {
        path: db_path.to_owned(),
        message: e.to_string(),
    })?;

    // Fetch everything first: a failure here leaves the old database untouched, and when
    // nothing changed there is no need to rebuild.
    let mut fetched = Vec::with_capacity(ecosystems.len());
    let mut bytes = 0;
    for eco in &ecosystems {
        let previous = old_validators.get(eco.as_str());
        let f = mirror.fetch(eco, previous, &dir, db_path, progress)?;
        match &f {
            Fetched::Missing if explicit => {
                return Err(UpdateError::UnknownEcosystem(eco.clone()));
            }
            Fetched::Zip { bytes: n, .. } => bytes += n,
            _ => {}
        }
        fetched.push((eco.clone(), f));
    }
    let mut statuses = statuses_of(&fetched);
    let others = others_kept(old.as_ref(), &statuses, explicit);
    let downloaded = statuses.values().any(|s| *s == EcosystemStatus::Downloaded);
    for eco in &others {
        statuses.insert(eco.clone(), EcosystemStatus::Kept);
    }
    let report = |import: ImportReport, statuses: BTreeMap<String, EcosystemStatus>| UpdateReport {
        import,
        ecosystems: statuses,
        bytes,
    };

    if let (false, Some(db)) = (downloaded, &old) {
        let info = db.info().clone();
        if others.is_empty() && confirms_all(&statuses, &info) {
            // Nothing changed on the mirror and the same ecosystems were asked for: the stored
            // records stay as they are and only the time of the last successful update is
            // refreshed (that is what the age of the data means). If the file cannot be
            // written in place (another process has it open), it is rebuilt below instead.
            // This process's own read handle would keep the file from being opened for writing.
            drop(old.take());
            match db::touch(db_path, info) {
                Ok(info) => return Ok((report(report_of(&info), statuses), info)),
                Err(_) => old = open_current(db_path, explicit)?,
            }
        } else if explicit {
            // The named ecosystems have not changed and the others are kept: nothing to write.
            return Ok((report(report_of(&info), statuses), info));
        }
    }

    let (import, info) = rebuild(db_path, &mirror, options, fetched, old, &others, progress)?;
    Ok((report(import, statuses), info))
}

/// The ecosystems to fetch: those named, else the mirror's list.
fn requested(mirror: &Mirror, options: &UpdateOptions) -> Result<Vec<String>, UpdateError> {
    let ecosystems = if options.ecosystems.is_empty() {
        mirror.ecosystem_list()?
    } else {
        options.ecosystems.clone()
    };
    match ecosystems
        .iter()
        .find(|eco| !super::import::safe_component(eco))
    {
        Some(eco) => Err(UpdateError::Mirror(
            options.mirror.clone(),
            format!("`{eco}` is not an ecosystem name"),
        )),
        None => Ok(ecosystems),
    }
}

/// Writes a new database from the fetched zips and, from the current one, the records of the
/// ecosystems it keeps: `others` (not named) and those the mirror said had not changed.
fn rebuild(
    db_path: &Path,
    mirror: &Mirror,
    options: &UpdateOptions,
    fetched: Vec<(String, Fetched)>,
    old: Option<Db>,
    others: &BTreeSet<String>,
    progress: &dyn Progress,
) -> Result<(ImportReport, DbInfo), UpdateError> {
    let mut collector = Collector::new(options.limits, progress);
    let mut provenance = Provenance {
        source: mirror.source(),
        ..Provenance::default()
    };
    let mut kept = others.clone();
    for (eco, f) in fetched {
        match f {
            Fetched::Zip {
                file,
                etag,
                last_modified,
                ..
            } => {
                let url = mirror.url_of(&eco);
                if !collector.add_zip(&url, io::BufReader::new(file)) {
                    return Err(UpdateError::BadArchive {
                        url,
                        message: "no central directory".to_owned(),
                    });
                }
                let info = EcosystemInfo {
                    etag,
                    last_modified,
                    ..EcosystemInfo::default()
                };
                provenance.ecosystems.insert(eco, info);
            }
            // Only asked conditionally when the old database has this ecosystem.
            Fetched::NotModified => {
                kept.insert(eco);
            }
            Fetched::Missing => {}
        }
    }
    if let Some(db) = &old {
        // After the fresh records, so that a record in both keeps its newer copy.
        for record in db.records_in(&kept)? {
            collector.keep(record);
        }
        keep_info(&mut provenance, db.info(), &kept);
        if !others.is_empty() {
            provenance.built_unix = Some(db.info().built_unix);
        }
    }
    let (import, set) = collector.finish();
    if set.len() == 0 {
        return Err(UpdateError::Empty(options.mirror.clone()));
    }
    drop(old);
    let info = db::write(db_path, set, provenance)?;
    Ok((import, info))
}

/// The current database, if any. A full update rebuilds an unreadable one from scratch; an
/// update of named ecosystems has to keep the others, so it fails instead.
fn open_current(db_path: &Path, explicit: bool) -> Result<Option<Db>, UpdateError> {
    match Db::open(db_path) {
        Ok(db) => Ok(Some(db)),
        Err(DbError::Missing(_)) => Ok(None),
        Err(e) if explicit => Err(UpdateError::CannotKeep(e)),
        Err(_) => Ok(None),
    }
}

fn statuses_of(fetched: &[(String, Fetched)]) -> BTreeMap<String, EcosystemStatus> {
    fetched
        .iter()
        .map(|(eco, f)| {
            let status = match f {
                Fetched::Zip { .. } => EcosystemStatus::Downloaded,
                Fetched::NotModified => EcosystemStatus::Unchanged,
                Fetched::Missing => EcosystemStatus::Missing,
            };
            (eco.clone(), status)
        })
        .collect()
}

/// The ecosystems of the current database an update of named ecosystems leaves alone (none
/// for a full update, which rebuilds from what the mirror lists).
fn others_kept(
    old: Option<&Db>,
    asked: &BTreeMap<String, EcosystemStatus>,
    explicit: bool,
) -> BTreeSet<String> {
    match old {
        Some(db) if explicit => db
            .info()
            .ecosystems
            .keys()
            .filter(|eco| !asked.contains_key(*eco))
            .cloned()
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Whether the mirror answered "not modified" for exactly the ecosystems the database holds.
fn confirms_all(statuses: &BTreeMap<String, EcosystemStatus>, info: &DbInfo) -> bool {
    statuses
        .iter()
        .filter(|(_, s)| **s == EcosystemStatus::Unchanged)
        .map(|(e, _)| e)
        .eq(info.ecosystems.keys())
}

/// Records the kept ecosystems' update times (the build time of a file that has none) and,
/// when they came from the same source, their validators; from another source they would
/// describe another server's files, so the next update downloads those ecosystems again.
fn keep_info(provenance: &mut Provenance, old: &DbInfo, kept: &BTreeSet<String>) {
    let same_source = old.source == provenance.source;
    for eco in kept {
        let Some(prev) = old.ecosystems.get(eco) else {
            continue;
        };
        let info = EcosystemInfo {
            records: 0,
            etag: prev.etag.clone().filter(|_| same_source),
            last_modified: prev.last_modified.clone().filter(|_| same_source),
            updated_unix: Some(prev.updated_unix.unwrap_or(old.built_unix)),
        };
        provenance.ecosystems.insert(eco.clone(), info);
    }
}

/// The import part of a report for a database that was not rebuilt.
fn report_of(info: &DbInfo) -> ImportReport {
    ImportReport {
        records: info.records,
        withdrawn: info.withdrawn,
        per_ecosystem: info
            .ecosystems
            .iter()
            .map(|(k, v)| (k.clone(), v.records))
            .collect(),
        ..ImportReport::default()
    }
}

/// The ecosystems fetched when the mirror lists none: those trusca scans.
pub fn builtin_ecosystems() -> Vec<String> {
    Ecosystem::ALL
        .iter()
        .map(|e| e.osv_name().to_owned())
        .collect()
}

impl Mirror {
    fn new(mirror: &str) -> Result<Mirror, UpdateError> {
        let bad = |m: &str| UpdateError::Mirror(mirror.to_owned(), m.to_owned());
        let lower = mirror.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Ok(Mirror::Http {
                base: mirror.trim_end_matches('/').to_owned(),
                agent: crate::http::agent(Duration::from_secs(120)),
            })
        } else if let Some(path) = mirror.strip_prefix("file://") {
            Ok(Mirror::Dir(PathBuf::from(path)))
        } else if lower.contains("://") {
            Err(bad("only `http`, `https` and `file` URLs, or a directory"))
        } else {
            Ok(Mirror::Dir(PathBuf::from(mirror)))
        }
    }

    /// The source recorded in the database.
    fn source(&self) -> String {
        match self {
            Mirror::Http { base, .. } => base.clone(),
            Mirror::Dir(p) => fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
        }
    }

    fn url_of(&self, eco: &str) -> String {
        match self {
            Mirror::Http { base, .. } => format!("{base}/{}/all.zip", encode_segment(eco)),
            Mirror::Dir(p) => p.join(eco).join("all.zip").display().to_string(),
        }
    }

    fn ecosystem_list(&self) -> Result<Vec<String>, UpdateError> {
        let text = match self {
            Mirror::Http { base, agent } => {
                let url = format!("{base}/ecosystems.txt");
                let mut response = agent.get(&url).call().map_err(|e| network(&url, &e))?;
                match response.status().as_u16() {
                    200..=299 => {
                        let text = response
                            .body_mut()
                            .with_config()
                            .limit(1024 * 1024)
                            .read_to_string()
                            .map_err(|e| network(&url, &e))?;
                        Some(text)
                    }
                    404 | 403 => None,
                    _ => {
                        return Err(UpdateError::Network {
                            url,
                            message: format!("the server answered {}", response.status()),
                        })
                    }
                }
            }
            Mirror::Dir(p) => {
                if !p.is_dir() {
                    return Err(UpdateError::Mirror(
                        p.display().to_string(),
                        "not a directory".to_owned(),
                    ));
                }
                fs::read_to_string(p.join("ecosystems.txt")).ok()
            }
        };
        let list: Vec<String> = text
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(if list.is_empty() {
            builtin_ecosystems()
        } else {
            list
        })
    }

    fn fetch(
        &self,
        eco: &str,
        previous: Option<&EcosystemInfo>,
        dir: &Path,
        db_path: &Path,
        progress: &dyn Progress,
    ) -> Result<Fetched, UpdateError> {
        let url = self.url_of(eco);
        let agent = match self {
            Mirror::Dir(_) => {
                return Ok(match fs::File::open(&url) {
                    Ok(file) => {
                        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
                        progress.download_started(eco, Some(bytes));
                        Fetched::Zip {
                            file,
                            etag: None,
                            last_modified: None,
                            bytes,
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Fetched::Missing,
                    Err(e) => {
                        return Err(UpdateError::Network {
                            url,
                            message: e.to_string(),
                        })
                    }
                });
            }
            Mirror::Http { agent, .. } => agent,
        };
        let mut request = agent.get(&url);
        if let Some(prev) = previous {
            if let Some(etag) = &prev.etag {
                request = request.header("if-none-match", etag);
            }
            if let Some(lm) = &prev.last_modified {
                request = request.header("if-modified-since", lm);
            }
        }
        let mut response = request.call().map_err(|e| network(&url, &e))?;
        let status = response.status();
        if status.as_u16() == 304 {
            return Ok(if previous.is_some() {
                Fetched::NotModified
            } else {
                // A 304 to an unconditional request makes no sense.
                return Err(UpdateError::Network {
                    url,
                    message: "the server answered 304 to an unconditional request".to_owned(),
                });
            });
        }
        if matches!(status.as_u16(), 403 | 404) {
            // The public bucket answers 403 for objects that do not exist.
            return Ok(Fetched::Missing);
        }
        if !status.is_success() {
            return Err(UpdateError::Network {
                url,
                message: format!("the server answered {status}"),
            });
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let expected = response.body().content_length();
        progress.download_started(eco, expected);

        let io_err = |e: &dyn std::fmt::Display| UpdateError::Io {
            path: db_path.to_owned(),
            message: e.to_string(),
        };
        // The temporary file is deleted when dropped; it is opened again by handle, so it
        // never has to be found by name.
        let mut file = tempfile::tempfile_in(dir).map_err(|e| io_err(&e))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut received: u64 = 0;
        let mut body = response.body_mut().as_reader();
        loop {
            let n = match body.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(match expected {
                        Some(expected) => UpdateError::Truncated {
                            url,
                            received,
                            expected,
                        },
                        None => network(&url, &e),
                    })
                }
            };
            let chunk = buf.get(..n).unwrap_or_default();
            file.write_all(chunk).map_err(|e| io_err(&e))?;
            received += n as u64;
            progress.downloaded(received);
        }
        if let Some(expected) = expected {
            if received != expected {
                return Err(UpdateError::Truncated {
                    url,
                    received,
                    expected,
                });
            }
        }
        file.seek(SeekFrom::Start(0)).map_err(|e| io_err(&e))?;
        Ok(Fetched::Zip {
            file,
            etag,
            last_modified,
            bytes: received,
        })
    }
}

fn network(url: &str, e: &dyn std::error::Error) -> UpdateError {
    UpdateError::Network {
        url: url.to_owned(),
        message: crate::http::describe(e),
    }
}

/// Percent-encodes one URL path segment (ecosystem names such as `Red Hat` have spaces).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("Red Hat"), "Red%20Hat");
        assert_eq!(encode_segment("crates.io"), "crates.io");
    }

    #[test]
    fn mirrors_are_recognised() {
        assert!(matches!(
            Mirror::new("file:///tmp/x"),
            Ok(Mirror::Dir(p)) if p == Path::new("/tmp/x")
        ));
        assert!(matches!(Mirror::new("/srv/osv"), Ok(Mirror::Dir(_))));
        assert!(matches!(
            Mirror::new("http://127.0.0.1:1/"),
            Ok(Mirror::Http { base, .. }) if base == "http://127.0.0.1:1"
        ));
        assert!(Mirror::new("ftp://x.example/").is_err());
    }

    /// A record of `id` affecting `packages` (ecosystem, name).
    fn record(id: &str, modified: &str, summary: &str, packages: &[(&str, &str)]) -> Vec<u8> {
        let affected: Vec<serde_json::Value> = packages
            .iter()
            .map(|(eco, name)| serde_json::json!({"package": {"ecosystem": eco, "name": name}}))
            .collect();
        serde_json::json!({"id": id, "modified": modified, "summary": summary, "affected": affected})
            .to_string()
            .into_bytes()
    }

    /// Writes `<mirror>/<eco>/all.zip` holding `records`.
    fn put_zip(mirror: &Path, eco: &str, records: &[Vec<u8>]) {
        use zip::write::SimpleFileOptions;
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (i, json) in records.iter().enumerate() {
            w.start_file(format!("{i}.json"), SimpleFileOptions::default())
                .expect("entry");
            w.write_all(json).expect("write");
        }
        let zip = w.finish().expect("zip").into_inner();
        fs::create_dir_all(mirror.join(eco)).expect("mkdir");
        fs::write(mirror.join(eco).join("all.zip"), zip).expect("write");
    }

    fn run(db: &Path, mirror: &Path, ecosystems: &[&str]) -> Result<UpdateReport, UpdateError> {
        let options = UpdateOptions {
            mirror: mirror.display().to_string(),
            ecosystems: ecosystems.iter().map(|e| (*e).to_owned()).collect(),
            limits: ImportLimits::default(),
        };
        update(db, &options, &crate::progress::NoProgress).map(|(report, _)| report)
    }

    fn summaries(db: &Db, eco: &str, name: &str) -> Vec<(String, Option<String>)> {
        db.lookup(eco, name)
            .expect("lookup")
            .into_iter()
            .map(|a| (a.id, a.summary))
            .collect()
    }

    const BOTH: [(&str, &str); 2] = [("PyPI", "shared"), ("crates.io", "shared")];

    #[test]
    fn an_update_of_one_ecosystem_keeps_the_others() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mirror = dir.path().join("mirror");
        let db_path = dir.path().join("osv.db");
        let shared = record("S-1", "2024-01-01T00:00:00Z", "old", &BOTH);
        put_zip(
            &mirror,
            "PyPI",
            &[
                record("P-1", "2024-01-01T00:00:00Z", "p", &[("PyPI", "p")]),
                shared.clone(),
            ],
        );
        put_zip(
            &mirror,
            "crates.io",
            &[
                record("C-1", "2024-01-01T00:00:00Z", "c", &[("crates.io", "c")]),
                shared,
            ],
        );
        fs::write(mirror.join("ecosystems.txt"), "PyPI\ncrates.io\n").expect("write");
        run(&db_path, &mirror, &[]).expect("full update");

        // Older times than this test's, to tell kept times from fresh ones.
        let mut info = Db::open(&db_path).expect("opens").info().clone();
        info.built_unix = 1_000;
        for eco in info.ecosystems.values_mut() {
            eco.updated_unix = Some(2_000);
        }
        db::store_info(&db_path, &info).expect("stores");
        let before = Db::open(&db_path).expect("opens");
        let c1 = before.stored_json("C-1").expect("stored");
        drop(before);

        // PyPI changes: S-1 has a newer version, P-1 is gone, P-2 is new.
        put_zip(
            &mirror,
            "PyPI",
            &[
                record("P-2", "2024-01-01T00:00:00Z", "p", &[("PyPI", "p")]),
                record("S-1", "2024-06-01T00:00:00Z", "new", &BOTH),
            ],
        );
        let report = run(&db_path, &mirror, &["PyPI"]).expect("update of PyPI");
        assert_eq!(report.ecosystems["PyPI"], EcosystemStatus::Downloaded);
        assert_eq!(report.ecosystems["crates.io"], EcosystemStatus::Kept);
        assert_eq!(report.import.duplicates, 0);

        let db = Db::open(&db_path).expect("opens");
        let info = db.info();
        assert_eq!(info.records, 3);
        assert_eq!(info.ecosystems["crates.io"].records, 2);
        assert_eq!(info.ecosystems["PyPI"].records, 2);
        assert_eq!(info.ecosystems["crates.io"].updated_unix, Some(2_000));
        assert!(info.ecosystems["PyPI"].updated_unix > Some(2_000));
        // crates.io was not brought up to date: the data as a whole is as old as before.
        assert_eq!(info.built_unix, 1_000);
        assert_eq!(db.stored_json("C-1"), Some(c1));
        assert_eq!(
            summaries(&db, "crates.io", "c"),
            [("C-1".into(), Some("c".into()))]
        );
        let new = [("S-1".to_owned(), Some("new".to_owned()))];
        assert_eq!(summaries(&db, "crates.io", "shared"), new);
        assert_eq!(summaries(&db, "PyPI", "shared"), new);
        assert_eq!(
            summaries(&db, "PyPI", "p"),
            [("P-2".into(), Some("p".into()))]
        );
        assert!(db.record("P-1").expect("reads").is_none());
        drop(db);

        // A full update rebuilds from what the mirror lists, and the data is current again.
        run(&db_path, &mirror, &[]).expect("full update");
        let db = Db::open(&db_path).expect("opens");
        assert!(db.info().built_unix > 1_000);
        assert!(db.info().ecosystems["crates.io"].updated_unix > Some(2_000));
    }

    #[test]
    fn a_kept_record_no_longer_in_the_fresh_zip_stays_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mirror = dir.path().join("mirror");
        let db_path = dir.path().join("osv.db");
        let shared = record("S-1", "2024-01-01T00:00:00Z", "old", &BOTH);
        put_zip(&mirror, "PyPI", std::slice::from_ref(&shared));
        put_zip(&mirror, "crates.io", &[shared]);
        run(&db_path, &mirror, &["PyPI", "crates.io"]).expect("update");
        put_zip(
            &mirror,
            "PyPI",
            &[record("P-1", "2024-01-01T00:00:00Z", "p", &[("PyPI", "p")])],
        );
        run(&db_path, &mirror, &["PyPI"]).expect("update of PyPI");
        let db = Db::open(&db_path).expect("opens");
        let old = [("S-1".to_owned(), Some("old".to_owned()))];
        assert_eq!(summaries(&db, "crates.io", "shared"), old);
        assert_eq!(summaries(&db, "PyPI", "shared"), old);
        assert_eq!(db.info().records, 2);
    }

    #[test]
    fn an_update_of_named_ecosystems_does_not_drop_a_database_it_cannot_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mirror = dir.path().join("mirror");
        let db_path = dir.path().join("osv.db");
        put_zip(
            &mirror,
            "PyPI",
            &[record("P-1", "2024-01-01T00:00:00Z", "p", &[("PyPI", "p")])],
        );
        fs::write(&db_path, b"not a database").expect("write");
        let err = run(&db_path, &mirror, &["PyPI"]).expect_err("cannot keep the others");
        assert!(matches!(err, UpdateError::CannotKeep(_)), "{err}");
        assert_eq!(fs::read(&db_path).expect("reads"), b"not a database");
        // A full update rebuilds it.
        fs::write(mirror.join("ecosystems.txt"), "PyPI\n").expect("write");
        run(&db_path, &mirror, &[]).expect("full update");
        assert_eq!(Db::open(&db_path).expect("opens").info().records, 1);
    }
}

//! The local vulnerability database: one file built from OSV records, opened cheaply and
//! replaced atomically.
//!
//! # Storage choice
//!
//! The file is a [redb] database (pure Rust, one file, copy-on-write B-trees, readers share
//! the file with each other). SQLite was the other candidate; it was left out because the
//! server links SQLite through sqlx, and a second crate linking `libsqlite3-sys` has to pin
//! exactly the version sqlx pins, tying every sqlx upgrade to this module. The measured
//! figures leave nothing for SQLite to win: an open reads only the header, the table roots
//! and the metadata. `benches/db.sh` on `shared/data/osv` (25,961 records, 24.9 MB of zipped
//! input, 2-core machine): import 3.3 s, open 0.05 ms, file 32.7 MB (1.31× the zipped input),
//! a lookup 0.4 µs for a package without advisories and 5–15 µs per advisory returned.
//!
//! # Layout
//!
//! - `packages`: (OSV ecosystem without `:suffix`, name normalised by [`normalise_name`]) →
//!   the [`Advisory`] list for that package, postcard-encoded and deflated: only what matching
//!   needs.
//! - `records`: id → the full record JSON as published, deflate-compressed, for reports.
//! - `meta`: `info` → [`DbInfo`] as JSON (schema version, build time, source, counts, and per
//!   ecosystem the time its records were written and the HTTP validators of its download).
//!
//! Withdrawn records are stored in `records` but kept out of `packages`.
//!
//! # Keeping records across a write
//!
//! An update of some ecosystems keeps the records of the others: `Db::records_in` reads them
//! back with their stored deflate stream, so they are written again byte for byte, and
//! `RecordSet::keep` merges them with the fresh ones (see `RecordSet` for records that affect
//! several ecosystems).
//!
//! # Atomic replacement
//!
//! [`write`] builds the whole database in a temporary file in the target's directory, syncs it,
//! and renames it over the old file, then syncs the directory. A failure at any point leaves the
//! previous file untouched; a process that has the old file open keeps reading the old data.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};

use super::osv::{self, SeverityScore, Vulnerability};
use crate::model::{osv_base, Ecosystem};

/// The version of the file layout; a file with another version is refused (rebuild it).
/// Version 2 keeps what categorises a record (malicious, RustSec informational kinds) and the
/// severities RustSec and distributions write outside `severity`.
pub const SCHEMA_VERSION: u32 = 2;

/// The file name of the database inside trusca's cache directory.
pub const FILE_NAME: &str = "osv.db";

const META: TableDefinition<&str, &str> = TableDefinition::new("meta");
const PACKAGES: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("packages");
const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");
const INFO_KEY: &str = "info";

/// Why the database could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// There is no database file yet.
    #[error("no vulnerability database at `{0}`")]
    Missing(PathBuf),
    /// The file exists but is not a database trusca can read.
    #[error("cannot read the vulnerability database `{path}`: {message}")]
    Unreadable {
        /// The database file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The file was written by another version of trusca.
    #[error("the vulnerability database `{path}` has schema version {found}, this trusca reads {expected}; run `trusca db update` to rebuild it")]
    Schema {
        /// The database file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// A stored value did not decode.
    #[error("corrupt entry in the vulnerability database `{path}`: {message}")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What did not decode.
        message: String,
    },
    /// Writing a new database failed; the previous one, if any, is unchanged.
    #[error("cannot write the vulnerability database `{path}`: {message}")]
    Write {
        /// The target file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// What the database knows about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbInfo {
    /// The layout version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// When the data as a whole was last brought up to date, in seconds since the Unix epoch:
    /// the time of the last import or full update (one that found nothing changed included).
    /// An update of some ecosystems only leaves it as it was, since the others are no newer.
    pub built_unix: u64,
    /// Where the latest import or update read its records: a mirror URL or an import path.
    pub source: String,
    /// Unique records stored (withdrawn included).
    pub records: u64,
    /// Withdrawn records among them (never returned by lookups).
    pub withdrawn: u64,
    /// Per OSV ecosystem (without `:suffix`): record count, update time and download
    /// validators.
    pub ecosystems: BTreeMap<String, EcosystemInfo>,
}

/// One ecosystem's part of the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemInfo {
    /// Records with at least one affected package in this ecosystem.
    pub records: u64,
    /// The `ETag` of the downloaded `all.zip`, for conditional requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` of the downloaded `all.zip`, for conditional requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When this ecosystem's records were written (downloaded or imported), in seconds since
    /// the Unix epoch; absent in files written before it was recorded (see
    /// [`DbInfo::updated`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_unix: Option<u64>,
}

impl DbInfo {
    /// When the file was built.
    pub fn built(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(self.built_unix)
    }

    /// The build time as RFC 3339 (UTC, seconds).
    pub fn built_rfc3339(&self) -> String {
        humantime::format_rfc3339_seconds(self.built()).to_string()
    }

    /// When an ecosystem's records were written: its own time, or the build time for a file
    /// written before that was recorded per ecosystem.
    pub fn updated(&self, ecosystem: &EcosystemInfo) -> SystemTime {
        let unix = ecosystem.updated_unix.unwrap_or(self.built_unix);
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix)
    }

    /// [`DbInfo::updated`] as RFC 3339 (UTC, seconds).
    pub fn updated_rfc3339(&self, ecosystem: &EcosystemInfo) -> String {
        humantime::format_rfc3339_seconds(self.updated(ecosystem)).to_string()
    }

    /// How old the data is now (zero if the clock is behind the build time).
    pub fn age(&self) -> Duration {
        SystemTime::now()
            .duration_since(self.built())
            .unwrap_or(Duration::ZERO)
    }
}

/// What matching needs of one record, restricted to one package's `affected` entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// The record id.
    pub id: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    /// The one-line summary.
    pub summary: Option<String>,
    /// When the record last changed (RFC 3339, as the record says).
    pub modified: Option<String>,
    /// Record-level severity scores (CVSS vectors and others).
    pub severity: Vec<SeverityScore>,
    /// The record's `database_specific.severity` word (`HIGH`, `moderate`, …), when a string.
    pub severity_word: Option<String>,
    /// Whether the record reports a malicious package ([`super::category::is_malicious`]).
    pub malicious: bool,
    /// The `affected` entries about the looked-up package (several when a record names it in
    /// several ranges or releases, such as `Debian:11` and `Debian:12`).
    pub affected: Vec<AffectedEntry>,
}

/// One `affected` entry in compact form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffectedEntry {
    /// The OSV ecosystem as the record names it, `:suffix` included (`Alpine:v3.9`).
    pub ecosystem: String,
    /// The package name as the record spells it.
    pub name: String,
    /// Severity scores specific to this package (RustSec's `database_specific.cvss` included).
    pub severity: Vec<SeverityScore>,
    /// The entry's severity word (`database_specific.severity`, else
    /// `ecosystem_specific.severity`), when a string.
    pub severity_word: Option<String>,
    /// RustSec's informational kind (`unsound`, `unmaintained`, `notice`), when it has one.
    pub informational: Option<String>,
    /// Version ranges.
    pub ranges: Vec<AffectedRange>,
    /// Explicitly listed affected versions.
    pub versions: Vec<String>,
}

/// A range of an [`AffectedEntry`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedRange {
    /// `SEMVER`, `ECOSYSTEM`, `GIT`, or another type as written.
    pub kind: String,
    /// The repository of a `GIT` range.
    pub repo: Option<String>,
    /// The events in record order.
    pub events: Vec<RangeEvent>,
}

/// One range event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeEvent {
    /// Affected from this version (`0`: from the beginning).
    Introduced(String),
    /// Not affected from this version on.
    Fixed(String),
    /// Affected up to and including this version.
    LastAffected(String),
    /// The range says nothing at or past this version.
    Limit(String),
}

/// A package name in the form the database keys it by, for an OSV ecosystem (with or without
/// `:suffix`). The matcher normalises the names it looks up the same way.
///
/// - PyPI: PEP 503 (lowercase; runs of `-`, `_`, `.` become one `-`), as osv.dev matches.
/// - NuGet and Packagist: lowercase; both registries treat ids case-insensitively.
/// - Every other ecosystem: exactly as written (npm, crates, Maven, Go, RubyGems, Hackage and
///   the Linux distributions are case-sensitive in OSV).
pub fn normalise_name(ecosystem: &str, name: &str) -> String {
    // The matcher's rules (`crate::model::normalize_name`) for every ecosystem trusca scans, so keys
    // written at import and keys asked for at match time always agree; names of ecosystems
    // trusca does not scan (OS distributions) are kept as written.
    match Ecosystem::from_osv(ecosystem) {
        Some(eco) => crate::model::normalize_name(eco, name).into_owned(),
        None => name.trim().to_owned(),
    }
}

/// The default database path: `<user cache dir>/trusca/osv.db`.
pub fn default_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("trusca").join(FILE_NAME))
}

/// An open database.
pub struct Db {
    path: PathBuf,
    info: DbInfo,
    packages: redb::ReadOnlyTable<(&'static str, &'static str), &'static [u8]>,
    records: redb::ReadOnlyTable<&'static str, &'static [u8]>,
    // Kept last so the tables drop before the database.
    _db: redb::ReadOnlyDatabase,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.path)
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Opens the database read-only. Reads only the header, the table roots and the metadata.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        if !path.is_file() {
            return Err(DbError::Missing(path.to_owned()));
        }
        let unreadable = |e: &dyn std::fmt::Display| DbError::Unreadable {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let db = redb::Builder::new()
            .set_cache_size(64 * 1024 * 1024)
            .open_read_only(path)
            .map_err(|e| unreadable(&e))?;
        let txn = db.begin_read().map_err(|e| unreadable(&e))?;
        let meta = txn.open_table(META).map_err(|e| unreadable(&e))?;
        let info_text = meta
            .get(INFO_KEY)
            .map_err(|e| unreadable(&e))?
            .ok_or_else(|| unreadable(&"no metadata"))?;
        let info: DbInfo = match serde_json::from_str(info_text.value()) {
            Ok(i) => i,
            Err(e) => {
                // An older or newer layout may not even parse: report the version if there is one.
                let found = serde_json::from_str::<serde_json::Value>(info_text.value())
                    .ok()
                    .and_then(|v| v.get("schema_version")?.as_u64())
                    .and_then(|v| u32::try_from(v).ok());
                return Err(match found {
                    Some(found) if found != SCHEMA_VERSION => DbError::Schema {
                        path: path.to_owned(),
                        found,
                        expected: SCHEMA_VERSION,
                    },
                    _ => unreadable(&e),
                });
            }
        };
        if info.schema_version != SCHEMA_VERSION {
            return Err(DbError::Schema {
                path: path.to_owned(),
                found: info.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        drop(info_text);
        let packages = txn.open_table(PACKAGES).map_err(|e| unreadable(&e))?;
        let records = txn.open_table(RECORDS).map_err(|e| unreadable(&e))?;
        Ok(Db {
            path: path.to_owned(),
            info,
            packages,
            records,
            _db: db,
        })
    }

    /// The file this database was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Build time, source and counts.
    pub fn info(&self) -> &DbInfo {
        &self.info
    }

    /// The advisories (withdrawn ones left out) whose `affected` entries name this package, in
    /// id order. `ecosystem` is an OSV ecosystem name, with or without `:suffix`; `name` is
    /// normalised with [`normalise_name`].
    pub fn lookup(&self, ecosystem: &str, name: &str) -> Result<Vec<Advisory>, DbError> {
        let base = osv_base(ecosystem);
        let key = normalise_name(base, name);
        let Some(value) = self
            .packages
            .get((base, key.as_str()))
            .map_err(|e| self.corrupt(&e))?
        else {
            return Ok(Vec::new());
        };
        let bytes = inflate(value.value()).map_err(|e| self.corrupt(&e))?;
        postcard::from_bytes(&bytes).map_err(|e| self.corrupt(&e))
    }

    /// The full record with this id (withdrawn ones included), or `None` when there is none.
    pub fn record(&self, id: &str) -> Result<Option<Vulnerability>, DbError> {
        let Some(json) = self.record_json(id)? else {
            return Ok(None);
        };
        Vulnerability::from_json(&json)
            .map(Some)
            .map_err(|e| self.corrupt(&e))
    }

    /// Whether the record with this id is withdrawn (`None` when there is none), read from its
    /// stored flag without inflating or parsing the record.
    pub fn is_withdrawn(&self, id: &str) -> Result<Option<bool>, DbError> {
        let Some(value) = self.records.get(id).map_err(|e| self.corrupt(&e))? else {
            return Ok(None);
        };
        let stored: StoredRecord =
            postcard::from_bytes(value.value()).map_err(|e| self.corrupt(&e))?;
        Ok(Some(stored.withdrawn))
    }

    /// The record's JSON text as it was published.
    pub fn record_json(&self, id: &str) -> Result<Option<Vec<u8>>, DbError> {
        let Some(value) = self.records.get(id).map_err(|e| self.corrupt(&e))? else {
            return Ok(None);
        };
        let stored: StoredRecord =
            postcard::from_bytes(value.value()).map_err(|e| self.corrupt(&e))?;
        inflate(&stored.json)
            .map(Some)
            .map_err(|e| self.corrupt(&e))
    }

    /// How many packages the database has entries for.
    pub fn package_count(&self) -> Result<u64, DbError> {
        self.packages.len().map_err(|e| self.corrupt(&e))
    }

    /// Every stored record that affects at least one of `ecosystems` (without `:suffix`), each
    /// once, with its stored deflate stream so that writing it again keeps it byte for byte.
    /// Used by an update to keep the ecosystems it does not replace.
    pub(crate) fn records_in(
        &self,
        ecosystems: &BTreeSet<String>,
    ) -> Result<Vec<PreparedRecord>, DbError> {
        let mut out = Vec::new();
        if ecosystems.is_empty() {
            return Ok(out);
        }
        for entry in self.records.iter().map_err(|e| self.corrupt(&e))? {
            let (_, value) = entry.map_err(|e| self.corrupt(&e))?;
            let stored: StoredRecord =
                postcard::from_bytes(value.value()).map_err(|e| self.corrupt(&e))?;
            if stored.ecosystems.iter().any(|e| ecosystems.contains(e)) {
                let json = inflate(&stored.json).map_err(|e| self.corrupt(&e))?;
                let record = PreparedRecord::from_json_and_deflated(&json, Some(stored.json))
                    .map_err(|e| self.corrupt(&e))?;
                out.push(record);
            }
        }
        Ok(out)
    }

    /// [`Db::records_in`] for one ecosystem.
    #[cfg(test)]
    pub(crate) fn records_of(&self, ecosystem: &str) -> Result<Vec<PreparedRecord>, DbError> {
        self.records_in(&BTreeSet::from([ecosystem.to_owned()]))
    }

    /// The stored (deflated) form of a record, to check that it is kept byte for byte.
    #[cfg(test)]
    pub(crate) fn stored_json(&self, id: &str) -> Option<Vec<u8>> {
        let value = self.records.get(id).ok()??;
        let stored: StoredRecord = postcard::from_bytes(value.value()).ok()?;
        Some(stored.json)
    }

    fn corrupt(&self, e: &dyn std::fmt::Display) -> DbError {
        DbError::Corrupt {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }
}

/// A record as stored in the `records` table.
#[derive(Debug, Serialize, Deserialize)]
struct StoredRecord {
    modified: Option<String>,
    ecosystems: Vec<String>,
    withdrawn: bool,
    /// The record JSON, deflate-compressed.
    json: Vec<u8>,
}

/// One parsed record, ready to be written.
#[derive(Debug, Clone)]
pub(crate) struct PreparedRecord {
    pub(crate) id: String,
    pub(crate) modified: Option<String>,
    pub(crate) withdrawn: bool,
    /// Ecosystems (without suffix) the record affects; `GIT` for records without packages.
    pub(crate) ecosystems: BTreeSet<String>,
    pub(crate) compressed: Vec<u8>,
    /// (ecosystem, normalised name) → the compact advisory for that package.
    pub(crate) packages: Vec<((String, String), Advisory)>,
}

impl PreparedRecord {
    /// Parses and compacts one record's JSON.
    #[cfg(test)]
    pub(crate) fn from_json(json: &[u8]) -> Result<PreparedRecord, serde_json::Error> {
        Self::from_json_and_deflated(json, None)
    }

    /// Like [`PreparedRecord::from_json`], given the raw deflate stream of the same JSON
    /// (from a zip entry) when there is one, so it is not compressed again.
    pub(crate) fn from_json_and_deflated(
        json: &[u8],
        deflated: Option<Vec<u8>>,
    ) -> Result<PreparedRecord, serde_json::Error> {
        let vuln = Vulnerability::from_json(json)?;
        let compressed = deflated.unwrap_or_else(|| deflate(json));
        Ok(Self::from_parts(&vuln, compressed))
    }

    fn from_parts(vuln: &Vulnerability, compressed: Vec<u8>) -> PreparedRecord {
        let mut ecosystems = BTreeSet::new();
        let mut by_package: BTreeMap<(String, String), Vec<AffectedEntry>> = BTreeMap::new();
        for affected in &vuln.affected {
            let Some(package) = &affected.package else {
                continue;
            };
            let base = osv_base(&package.ecosystem);
            if base.is_empty() {
                continue;
            }
            ecosystems.insert(base.to_owned());
            let key = (base.to_owned(), normalise_name(base, &package.name));
            by_package
                .entry(key)
                .or_default()
                .push(compact(affected, package));
        }
        if ecosystems.is_empty() {
            ecosystems.insert("GIT".to_owned());
        }
        let packages = by_package
            .into_iter()
            .map(|(key, affected)| {
                let advisory = Advisory {
                    id: vuln.id.clone(),
                    aliases: vuln.aliases.clone(),
                    summary: vuln.summary.clone(),
                    modified: vuln.modified.clone(),
                    severity: vuln.severity.clone(),
                    severity_word: severity_word(vuln.database_specific.as_ref()),
                    malicious: super::category::is_malicious(vuln),
                    affected,
                };
                (key, advisory)
            })
            .collect();
        PreparedRecord {
            id: vuln.id.clone(),
            modified: vuln.modified.clone(),
            withdrawn: vuln.withdrawn.is_some(),
            ecosystems,
            compressed,
            packages,
        }
    }
}

fn compact(affected: &osv::Affected, package: &osv::AffectedPackage) -> AffectedEntry {
    let text = |v: Option<&serde_json::Value>, key: &str| v?.get(key)?.as_str().map(str::to_owned);
    let mut severity = affected.severity.clone();
    if let Some(vector) = text(affected.database_specific.as_ref(), "cvss") {
        severity.push(SeverityScore {
            kind: super::severity::kind_of_vector(&vector).to_owned(),
            score: vector,
        });
    }
    AffectedEntry {
        ecosystem: package.ecosystem.clone(),
        name: package.name.clone(),
        severity,
        severity_word: severity_word(affected.database_specific.as_ref())
            .or_else(|| severity_word(affected.ecosystem_specific.as_ref())),
        informational: text(affected.database_specific.as_ref(), "informational"),
        ranges: affected
            .ranges
            .iter()
            .map(|r| AffectedRange {
                kind: r.kind.clone(),
                repo: r.repo.clone(),
                events: r
                    .events
                    .iter()
                    .filter_map(|e| {
                        // A valid event sets exactly one field; take the first one set.
                        if let Some(v) = &e.introduced {
                            Some(RangeEvent::Introduced(v.clone()))
                        } else if let Some(v) = &e.fixed {
                            Some(RangeEvent::Fixed(v.clone()))
                        } else if let Some(v) = &e.last_affected {
                            Some(RangeEvent::LastAffected(v.clone()))
                        } else {
                            e.limit.as_ref().map(|v| RangeEvent::Limit(v.clone()))
                        }
                    })
                    .collect(),
            })
            .collect(),
        versions: affected.versions.clone(),
    }
}

fn severity_word(database_specific: Option<&serde_json::Value>) -> Option<String> {
    database_specific?
        .get("severity")?
        .as_str()
        .map(str::to_owned)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

fn inflate(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 4);
    flate2::read::DeflateDecoder::new(data).read_to_end(&mut out)?;
    Ok(out)
}

/// Records gathered for a new database, deduplicated by id (the newest `modified` wins).
///
/// # Records kept from the previous database
///
/// An update that replaces some ecosystems adds the fresh records from their zips with
/// [`RecordSet::insert`] first, then every stored record that affects an ecosystem it keeps
/// with [`RecordSet::keep`]. A record is one unit, whatever ecosystems it affects: of a stored
/// copy and a fresh copy, the one with the newer `modified` is kept as a whole, the fresh one
/// on a tie. So a record affecting PyPI and crates.io, updated through PyPI only, is the
/// PyPI zip's newer version for crates.io lookups too, and appears once. A stored record that
/// the fresh zips no longer hold is kept whole while it affects a kept ecosystem (its entries
/// for a replaced ecosystem included, until that ecosystem's zip brings a newer copy), and
/// dropped when it affects only replaced ones.
#[derive(Debug, Default)]
pub(crate) struct RecordSet {
    records: HashMap<String, PreparedRecord>,
    /// Records replaced by or dropped for a newer copy with the same id.
    pub(crate) duplicates: u64,
}

impl RecordSet {
    /// Adds a record, keeping the newer of two with the same id.
    pub(crate) fn insert(&mut self, record: PreparedRecord) {
        match self.records.get(&record.id) {
            Some(old) if !newer(&record.modified, &old.modified) => self.duplicates += 1,
            Some(_) => {
                self.duplicates += 1;
                self.records.insert(record.id.clone(), record);
            }
            None => {
                self.records.insert(record.id.clone(), record);
            }
        }
    }

    /// Adds a record kept from the previous database: it replaces a fresh copy with the same id
    /// only when strictly newer, and is not counted as a duplicate (see [`RecordSet`]).
    pub(crate) fn keep(&mut self, record: PreparedRecord) {
        let replace = self
            .records
            .get(&record.id)
            .is_none_or(|fresh| newer(&record.modified, &fresh.modified));
        if replace {
            self.records.insert(record.id.clone(), record);
        }
    }

    /// Unique records so far.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Per-ecosystem record counts.
    pub(crate) fn counts(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for r in self.records.values() {
            for e in &r.ecosystems {
                *counts.entry(e.clone()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Withdrawn records so far.
    pub(crate) fn withdrawn(&self) -> u64 {
        self.records.values().filter(|r| r.withdrawn).count() as u64
    }
}

/// Whether `a` is strictly newer than `b` (RFC 3339 timestamps; a missing one is oldest).
fn newer(a: &Option<String>, b: &Option<String>) -> bool {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| humantime::parse_rfc3339_weak(t.trim_end_matches('Z')).ok())
    };
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        // Neither parses: compare the text, which orders well-formed UTC timestamps.
        (None, None) => a > b,
    }
}

/// What a new database records about itself besides its records.
#[derive(Debug, Clone, Default)]
pub(crate) struct Provenance {
    /// Where the records came from: a mirror URL or an import path.
    pub(crate) source: String,
    /// Per ecosystem: the download validators and update time to record. Counts are filled in
    /// from the records; an ecosystem without an update time was written now.
    pub(crate) ecosystems: BTreeMap<String, EcosystemInfo>,
    /// When the data as a whole was last brought up to date ([`DbInfo::built_unix`]); `None`:
    /// now.
    pub(crate) built_unix: Option<u64>,
}

impl Provenance {
    /// The info of a database holding `set`, written at `now`. Ecosystems without records are
    /// left out.
    fn into_info(self, set: &RecordSet, now: u64) -> DbInfo {
        let mut ecosystems = self.ecosystems;
        for info in ecosystems.values_mut() {
            info.records = 0;
        }
        for (eco, count) in set.counts() {
            ecosystems.entry(eco).or_default().records = count;
        }
        ecosystems.retain(|_, e| e.records > 0);
        for info in ecosystems.values_mut() {
            info.updated_unix.get_or_insert(now);
        }
        DbInfo {
            schema_version: SCHEMA_VERSION,
            built_unix: self.built_unix.map_or(now, |t| t.min(now)),
            source: self.source,
            records: set.len() as u64,
            withdrawn: set.withdrawn(),
            ecosystems,
        }
    }
}

/// Writes `set` as a new database at `path`, atomically replacing any file there.
pub(crate) fn write(
    path: &Path,
    set: RecordSet,
    provenance: Provenance,
) -> Result<DbInfo, DbError> {
    let fail = |e: &dyn std::fmt::Display| DbError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let info = provenance.into_info(&set, now_unix());
    let info_json = serde_json::to_string(&info).map_err(|e| fail(&e))?;

    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| fail(&e))?;
    let temp = tempfile::Builder::new()
        .prefix(".osv.db.")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| fail(&e))?;

    // Group the per-package advisories; B-tree order gives sorted keys and sequential inserts.
    let mut packages: BTreeMap<(String, String), Vec<Advisory>> = BTreeMap::new();
    let mut records: Vec<PreparedRecord> = set.records.into_values().collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    for record in &mut records {
        if record.withdrawn {
            continue;
        }
        for (key, advisory) in std::mem::take(&mut record.packages) {
            packages.entry(key).or_default().push(advisory);
        }
    }

    {
        let db = redb::Database::create(temp.path()).map_err(|e| fail(&e))?;
        let txn = db.begin_write().map_err(|e| fail(&e))?;
        {
            let mut meta = txn.open_table(META).map_err(|e| fail(&e))?;
            meta.insert(INFO_KEY, info_json.as_str())
                .map_err(|e| fail(&e))?;
            let mut table = txn.open_table(PACKAGES).map_err(|e| fail(&e))?;
            for ((eco, name), advisories) in &packages {
                // Compressed: distribution advisories repeat the same ranges for dozens of
                // binary packages; inflating one package's entry costs microseconds.
                let bytes = deflate(&postcard::to_stdvec(advisories).map_err(|e| fail(&e))?);
                table
                    .insert((eco.as_str(), name.as_str()), bytes.as_slice())
                    .map_err(|e| fail(&e))?;
            }
            let mut table = txn.open_table(RECORDS).map_err(|e| fail(&e))?;
            for record in records {
                let stored = StoredRecord {
                    modified: record.modified,
                    ecosystems: record.ecosystems.into_iter().collect(),
                    withdrawn: record.withdrawn,
                    json: record.compressed,
                };
                let bytes = postcard::to_stdvec(&stored).map_err(|e| fail(&e))?;
                table
                    .insert(record.id.as_str(), bytes.as_slice())
                    .map_err(|e| fail(&e))?;
            }
        }
        txn.commit().map_err(|e| fail(&e))?;
        // Give back the space the B-trees grew into but do not use.
        let mut db = db;
        db.compact().map_err(|e| fail(&e))?;
        drop(db);
    }
    // Temporary files are private (0600); the database is as readable as any cache file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(fs::Permissions::from_mode(0o644));
    }
    temp.as_file().sync_all().map_err(|e| fail(&e))?;
    temp.persist(path).map_err(|e| fail(&e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(info)
}

/// Marks the database at `path` as up to date now without rebuilding it (an update found
/// nothing changed). One redb transaction: it either happens whole or not at all. Fails when
/// another process has the file open.
pub(crate) fn touch(path: &Path, mut info: DbInfo) -> Result<DbInfo, DbError> {
    info.built_unix = now_unix();
    store_info(path, &info)?;
    Ok(info)
}

/// Replaces the info of the database at `path` in one redb transaction.
pub(crate) fn store_info(path: &Path, info: &DbInfo) -> Result<(), DbError> {
    let fail = |e: &dyn std::fmt::Display| DbError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let info_json = serde_json::to_string(info).map_err(|e| fail(&e))?;
    let db = redb::Database::open(path).map_err(|e| fail(&e))?;
    let txn = db.begin_write().map_err(|e| fail(&e))?;
    {
        let mut meta = txn.open_table(META).map_err(|e| fail(&e))?;
        meta.insert(INFO_KEY, info_json.as_str())
            .map_err(|e| fail(&e))?;
    }
    txn.commit().map_err(|e| fail(&e))?;
    Ok(())
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl super::Advisories for Db {
    type Error = DbError;

    fn candidates(
        &self,
        id: &crate::model::PackageId,
    ) -> Result<std::borrow::Cow<'_, [Vulnerability]>, DbError> {
        let advisories = self.lookup(id.ecosystem().osv_name(), id.name())?;
        Ok(std::borrow::Cow::Owned(
            advisories.into_iter().map(Advisory::into_record).collect(),
        ))
    }

    fn record(&self, id: &str) -> Result<Option<Vulnerability>, DbError> {
        Db::record(self, id)
    }
}

impl Advisory {
    /// The compact form as an OSV record holding what matching reads (the looked-up package's
    /// entries, ids, summary, severities).
    pub fn into_record(self) -> Vulnerability {
        // `database_specific` as the record had it, as far as rating and categorising read it.
        let specific = |pairs: &[(&str, Option<serde_json::Value>)]| {
            let map: serde_json::Map<String, serde_json::Value> = pairs
                .iter()
                .filter_map(|(k, v)| Some(((*k).to_owned(), v.clone()?)))
                .collect();
            (!map.is_empty()).then_some(serde_json::Value::Object(map))
        };
        let record_specific = specific(&[
            ("severity", self.severity_word.map(Into::into)),
            (
                "malicious-packages-origins",
                self.malicious.then(|| serde_json::json!([])),
            ),
        ]);
        Vulnerability {
            id: self.id,
            modified: self.modified,
            published: None,
            withdrawn: None,
            aliases: self.aliases,
            related: Vec::new(),
            summary: self.summary,
            details: None,
            severity: self.severity,
            affected: self
                .affected
                .into_iter()
                .map(|a| crate::vulns::osv::Affected {
                    package: Some(crate::vulns::osv::AffectedPackage {
                        ecosystem: a.ecosystem,
                        name: a.name,
                        purl: None,
                    }),
                    severity: a.severity,
                    ranges: a
                        .ranges
                        .into_iter()
                        .map(|r| crate::vulns::osv::Range {
                            kind: r.kind,
                            repo: r.repo,
                            events: r.events.into_iter().map(RangeEvent::into_event).collect(),
                            database_specific: None,
                        })
                        .collect(),
                    versions: a.versions,
                    ecosystem_specific: None,
                    database_specific: specific(&[
                        ("severity", a.severity_word.map(Into::into)),
                        ("informational", a.informational.map(Into::into)),
                    ]),
                })
                .collect(),
            references: Vec::new(),
            database_specific: record_specific,
        }
    }
}

impl RangeEvent {
    fn into_event(self) -> crate::vulns::osv::Event {
        let mut e = crate::vulns::osv::Event::default();
        match self {
            RangeEvent::Introduced(v) => e.introduced = Some(v),
            RangeEvent::Fixed(v) => e.fixed = Some(v),
            RangeEvent::LastAffected(v) => e.last_affected = Some(v),
            RangeEvent::Limit(v) => e.limit = Some(v),
        }
        e
    }
}

/// Fills the references of findings from the full records (the compact form matching reads
/// leaves them out): advisory, fix and report links for each finding.
pub fn fill_references(db: &Db, findings: &mut [super::Finding]) {
    for f in findings.iter_mut().filter(|f| f.references.is_empty()) {
        if let Ok(Some(record)) = db.record(&f.id) {
            f.references = record
                .references
                .into_iter()
                .map(|r| super::FindingReference {
                    kind: r.kind.to_ascii_lowercase(),
                    url: r.url,
                })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_follow_pep_503() {
        assert_eq!(
            normalise_name("PyPI", "Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(normalise_name("PyPI", "a-_.b"), "a-b");
        assert_eq!(normalise_name("PyPI", "Pillow"), "pillow");
    }

    #[test]
    fn other_names_keep_their_case_except_case_insensitive_registries() {
        assert_eq!(normalise_name("npm", "JSONStream"), "JSONStream");
        // crates.io treats case and `-`/`_` as the same crate name.
        assert_eq!(normalise_name("crates.io", "Foo_bar"), "foo-bar");
        assert_eq!(
            normalise_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalise_name("Packagist", "League/Flysystem"),
            "league/flysystem"
        );
        assert_eq!(normalise_name("Debian:11", "Libc6"), "Libc6");
    }

    #[test]
    fn ecosystem_suffixes_are_dropped() {
        assert_eq!(osv_base("Alpine:v3.9"), "Alpine");
        assert_eq!(osv_base("AlmaLinux:8"), "AlmaLinux");
        assert_eq!(osv_base("npm"), "npm");
    }

    #[test]
    fn newer_compares_timestamps() {
        let t = |s: &str| Some(s.to_owned());
        assert!(newer(
            &t("2024-01-02T00:00:00Z"),
            &t("2024-01-01T23:59:59Z")
        ));
        assert!(newer(
            &t("2024-01-02T00:00:00.5Z"),
            &t("2024-01-02T00:00:00Z")
        ));
        assert!(!newer(
            &t("2024-01-01T00:00:00Z"),
            &t("2024-01-01T00:00:00Z")
        ));
        assert!(newer(&t("2024-01-01T00:00:00Z"), &None));
    }

    fn provenance(source: &str) -> Provenance {
        Provenance {
            source: source.to_owned(),
            ..Provenance::default()
        }
    }

    fn record(id: &str, modified: &str, eco: &str, name: &str, withdrawn: bool) -> Vec<u8> {
        let withdrawn = if withdrawn {
            r#""withdrawn": "2024-01-01T00:00:00Z","#
        } else {
            ""
        };
        format!(
            r#"{{"id": "{id}", "modified": "{modified}", {withdrawn} "aliases": ["CVE-1"],
               "summary": "s", "database_specific": {{"severity": "HIGH"}},
               "affected": [{{"package": {{"ecosystem": "{eco}", "name": "{name}"}},
                 "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "2.0"}}]}}]}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn writes_opens_and_looks_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("osv.db");
        let mut set = RecordSet::default();
        for json in [
            record("A-1", "2024-01-01T00:00:00Z", "PyPI", "Django_REST", false),
            record("A-1", "2024-02-01T00:00:00Z", "PyPI", "django-rest", false),
            record("A-1", "2023-01-01T00:00:00Z", "PyPI", "old", false),
            record("W-1", "2024-01-01T00:00:00Z", "PyPI", "django-rest", true),
            record("B-1", "2024-01-01T00:00:00Z", "Debian:11", "curl", false),
        ] {
            set.insert(PreparedRecord::from_json(&json).expect("parses"));
        }
        assert_eq!(set.duplicates, 2);
        let info = write(&path, set, provenance("test")).expect("writes");
        assert_eq!(info.records, 3);
        assert_eq!(info.withdrawn, 1);

        let db = Db::open(&path).expect("opens");
        assert_eq!(db.info(), &info);
        assert_eq!(db.info().ecosystems["PyPI"].records, 2);
        assert_eq!(db.info().ecosystems["Debian"].records, 1);
        let found = db.lookup("PyPI", "DJANGO.rest").expect("lookup");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].id, "A-1");
        assert_eq!(found[0].severity_word.as_deref(), Some("HIGH"));
        assert_eq!(
            found[0].affected[0].ranges[0].events,
            vec![
                RangeEvent::Introduced("0".into()),
                RangeEvent::Fixed("2.0".into())
            ]
        );
        assert!(db.lookup("PyPI", "old").expect("lookup").is_empty());
        assert_eq!(db.lookup("Debian:12", "curl").expect("lookup").len(), 1);
        assert!(db.lookup("Debian", "Curl").expect("lookup").is_empty());
        let w = db.record("W-1").expect("reads").expect("kept");
        assert!(w.withdrawn.is_some());
        assert_eq!(db.is_withdrawn("W-1").expect("reads"), Some(true));
        assert_eq!(db.is_withdrawn("A-1").expect("reads"), Some(false));
        assert_eq!(db.is_withdrawn("NOPE-1").expect("reads"), None);
        assert_eq!(
            db.record("A-1")
                .expect("reads")
                .expect("present")
                .modified
                .as_deref(),
            Some("2024-02-01T00:00:00Z")
        );
        assert!(db.record("nope").expect("reads").is_none());
        assert_eq!(db.records_of("Debian").expect("reads").len(), 1);
    }

    #[test]
    fn missing_and_garbage_files_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("osv.db");
        assert!(matches!(Db::open(&path), Err(DbError::Missing(_))));
        fs::write(&path, b"not a database at all").expect("write");
        assert!(matches!(Db::open(&path), Err(DbError::Unreadable { .. })));
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("osv.db");
        let mut set = RecordSet::default();
        set.insert(
            PreparedRecord::from_json(&record("A-1", "2024-01-01T00:00:00Z", "npm", "x", false))
                .expect("parses"),
        );
        write(&path, set, provenance("first")).expect("writes");
        // A directory where the file should go makes the rename fail.
        let blocked = dir.path().join("blocked");
        fs::create_dir_all(blocked.join("osv.db")).expect("mkdir");
        assert!(write(
            &blocked.join("osv.db"),
            RecordSet::default(),
            provenance("x")
        )
        .is_err());
        assert_eq!(Db::open(&path).expect("opens").info().source, "first");
        // No temporary files are left behind.
        let leftovers: Vec<_> = fs::read_dir(&blocked)
            .expect("lists")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    /// The JSON of a record affecting `packages` (ecosystem, name), with a summary to tell
    /// copies apart.
    fn multi_json(id: &str, modified: &str, summary: &str, packages: &[(&str, &str)]) -> Vec<u8> {
        let affected: Vec<serde_json::Value> = packages
            .iter()
            .map(|(eco, name)| serde_json::json!({"package": {"ecosystem": eco, "name": name}}))
            .collect();
        let json = serde_json::json!({
            "id": id, "modified": modified, "summary": summary, "affected": affected,
        });
        json.to_string().into_bytes()
    }

    fn multi(id: &str, modified: &str, summary: &str, packages: &[(&str, &str)]) -> PreparedRecord {
        PreparedRecord::from_json(&multi_json(id, modified, summary, packages)).expect("parses")
    }

    fn summary_of(set: &RecordSet, id: &str) -> Option<String> {
        let record = set.records.get(id)?;
        let (_, advisory) = record.packages.first()?;
        advisory.summary.clone()
    }

    #[test]
    fn kept_records_yield_to_fresh_copies_unless_strictly_newer() {
        let mut set = RecordSet::default();
        set.insert(multi(
            "FRESH-NEWER",
            "2024-02-01T00:00:00Z",
            "fresh",
            &[("PyPI", "a")],
        ));
        set.insert(multi(
            "KEPT-NEWER",
            "2024-01-01T00:00:00Z",
            "fresh",
            &[("PyPI", "b")],
        ));
        set.insert(multi(
            "TIE",
            "2024-01-01T00:00:00Z",
            "fresh",
            &[("PyPI", "c")],
        ));
        let both = [("PyPI", "a"), ("crates.io", "a")];
        set.keep(multi("FRESH-NEWER", "2024-01-01T00:00:00Z", "kept", &both));
        set.keep(multi("KEPT-NEWER", "2024-03-01T00:00:00Z", "kept", &both));
        set.keep(multi("TIE", "2024-01-01T00:00:00Z", "kept", &both));
        set.keep(multi("ONLY-KEPT", "2020-01-01T00:00:00Z", "kept", &both));
        assert_eq!(summary_of(&set, "FRESH-NEWER").as_deref(), Some("fresh"));
        assert_eq!(summary_of(&set, "KEPT-NEWER").as_deref(), Some("kept"));
        assert_eq!(summary_of(&set, "TIE").as_deref(), Some("fresh"));
        assert_eq!(summary_of(&set, "ONLY-KEPT").as_deref(), Some("kept"));
        // One copy of each, the winner's ecosystems as a whole, no duplicates counted.
        assert_eq!(set.len(), 4);
        assert_eq!(set.duplicates, 0);
        let counts = set.counts();
        assert_eq!(counts["PyPI"], 4);
        assert_eq!(counts["crates.io"], 2);
    }

    #[test]
    fn records_in_reads_each_record_once_with_its_stored_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("osv.db");
        let mut set = RecordSet::default();
        // A deflate stream other than the one `deflate` makes, as a zip entry's may be.
        let both = [("PyPI", "x"), ("crates.io", "x")];
        let json = multi_json("SHARED-1", "2024-01-01T00:00:00Z", "s", &both);
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&json).expect("deflates");
        let raw = encoder.finish().expect("deflates");
        assert_ne!(raw, deflate(&json));
        let shared =
            PreparedRecord::from_json_and_deflated(&json, Some(raw.clone())).expect("parses");
        set.insert(shared);
        for (id, eco) in [("P-1", "PyPI"), ("C-1", "crates.io"), ("N-1", "npm")] {
            let json = record(id, "2024-01-01T00:00:00Z", eco, "y", false);
            set.insert(PreparedRecord::from_json(&json).expect("parses"));
        }
        write(&path, set, provenance("test")).expect("writes");
        let db = Db::open(&path).expect("opens");
        let wanted = BTreeSet::from(["PyPI".to_owned(), "crates.io".to_owned()]);
        let kept = db.records_in(&wanted).expect("reads");
        let mut ids: Vec<&str> = kept.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["C-1", "P-1", "SHARED-1"]);
        assert!(db.records_in(&BTreeSet::new()).expect("reads").is_empty());

        // Written again, a kept record is stored byte for byte and still looked up.
        let mut again = RecordSet::default();
        for record in kept {
            again.keep(record);
        }
        let other = dir.path().join("other.db");
        write(&other, again, provenance("again")).expect("writes");
        let db = Db::open(&other).expect("opens");
        assert_eq!(db.stored_json("SHARED-1"), Some(raw));
        assert_eq!(db.record_json("SHARED-1").expect("reads"), Some(json));
        assert_eq!(db.lookup("crates.io", "x").expect("lookup").len(), 1);
        assert!(db.lookup("npm", "y").expect("lookup").is_empty());
    }

    #[test]
    fn provenance_keeps_given_times_and_recounts() {
        let mut set = RecordSet::default();
        set.insert(multi("A-1", "2024-01-01T00:00:00Z", "s", &[("PyPI", "a")]));
        set.insert(multi(
            "B-1",
            "2024-01-01T00:00:00Z",
            "s",
            &[("crates.io", "b")],
        ));
        let given = |records: u64, updated: Option<u64>| EcosystemInfo {
            records,
            etag: Some("\"e\"".to_owned()),
            last_modified: None,
            updated_unix: updated,
        };
        let provenance = Provenance {
            source: "s".to_owned(),
            ecosystems: BTreeMap::from([
                ("crates.io".to_owned(), given(99, Some(100))),
                ("PyPI".to_owned(), given(0, None)),
                ("npm".to_owned(), given(5, Some(100))),
            ]),
            built_unix: Some(50),
        };
        let info = provenance.clone().into_info(&set, 1_000);
        assert_eq!(info.built_unix, 50);
        assert_eq!(info.ecosystems["crates.io"], given(1, Some(100)));
        assert_eq!(info.ecosystems["PyPI"], given(1, Some(1_000)));
        // No records left: not listed.
        assert!(!info.ecosystems.contains_key("npm"));
        // A build time ahead of the clock is not kept.
        let ahead = Provenance {
            built_unix: Some(5_000),
            ..provenance
        };
        assert_eq!(ahead.into_info(&set, 1_000).built_unix, 1_000);
    }

    #[test]
    fn info_without_ecosystem_times_reads_with_the_build_time() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("osv.db");
        let mut set = RecordSet::default();
        set.insert(multi("A-1", "2024-01-01T00:00:00Z", "s", &[("PyPI", "a")]));
        write(&path, set, provenance("test")).expect("writes");
        // What a file written before per-ecosystem times looks like (they are optional, so
        // the schema version did not change for them).
        let old = r#"{"schema_version": 2, "built_unix": 1700000000, "source": "old",
            "records": 1, "withdrawn": 0,
            "ecosystems": {"PyPI": {"records": 1, "etag": "\"e\""}}}"#;
        {
            let db = redb::Database::open(&path).expect("opens for writing");
            let txn = db.begin_write().expect("txn");
            txn.open_table(META)
                .expect("meta")
                .insert(INFO_KEY, old)
                .expect("insert");
            txn.commit().expect("commit");
        }
        let db = Db::open(&path).expect("opens");
        let info = db.info();
        let pypi = &info.ecosystems["PyPI"];
        assert_eq!(pypi.updated_unix, None);
        assert_eq!(info.updated(pypi), info.built());
        assert_eq!(info.updated_rfc3339(pypi), "2023-11-14T22:13:20Z");
        assert_eq!(db.lookup("PyPI", "a").expect("lookup").len(), 1);
    }
}

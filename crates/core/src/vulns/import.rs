//! Reading OSV records from disk: zips in the osv.dev layout, single zips, and loose `*.json`
//! records, into a new database.
//!
//! Everything read is treated as hostile. A record that does not parse, or a zip entry that
//! is refused, is skipped and counted by reason; the rest of the import goes on. Zip entries
//! with absolute paths or `..` components are refused, as are entries larger than
//! [`ImportLimits::max_entry_bytes`], entries that inflate more than
//! [`ImportLimits::max_ratio`] times their compressed size, and anything past
//! [`ImportLimits::max_total_bytes`] of decompressed data in one import.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::db::{self, DbError, DbInfo, PreparedRecord, Provenance, RecordSet};
use crate::progress::Progress;

/// Bounds on what an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// The largest record (decompressed) accepted.
    pub max_entry_bytes: u64,
    /// The largest decompressed / compressed ratio accepted for an entry over 1 MiB.
    pub max_ratio: u64,
    /// The most decompressed data read in one import, over all entries.
    pub max_total_bytes: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            // The largest real OSV records (distribution advisories listing every binary
            // package) are a few MB.
            max_entry_bytes: 64 * 1024 * 1024,
            // JSON records inflate 5–30×; a bomb inflates about 1000×.
            max_ratio: 200,
            max_total_bytes: 32 * 1024 * 1024 * 1024,
        }
    }
}

/// Entries under this size are not held to the ratio bound: they cannot do harm.
const RATIO_FREE_BYTES: u64 = 1024 * 1024;

/// Why an input was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// The JSON did not parse as an OSV record.
    InvalidRecord,
    /// A zip entry's path was absolute or left the archive root.
    UnsafePath,
    /// An entry or file was larger than the per-entry limit.
    TooLarge,
    /// An entry inflated beyond the compression-ratio bound.
    CompressionRatio,
    /// The import reached its total decompressed-size limit.
    TotalSizeLimit,
    /// A zip could not be read (not a zip, truncated) or one of its entries was damaged.
    BadZip,
    /// A file or directory could not be read.
    Unreadable,
}

impl SkipReason {
    /// The reason as shown to people.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::InvalidRecord => "not a valid OSV record",
            SkipReason::UnsafePath => "zip entry path outside the archive",
            SkipReason::TooLarge => "larger than the size limit",
            SkipReason::CompressionRatio => "compression ratio beyond the bound",
            SkipReason::TotalSizeLimit => "total decompressed size limit reached",
            SkipReason::BadZip => "unreadable or damaged zip",
            SkipReason::Unreadable => "unreadable file",
        }
    }
}

/// One skipped input, for the first few shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file, or `archive.zip!entry`.
    pub input: String,
    /// Why.
    pub reason: SkipReason,
    /// Details.
    pub message: String,
}

/// What an import (or update) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Unique records in the new database (withdrawn included).
    pub records: u64,
    /// Withdrawn records among them.
    pub withdrawn: u64,
    /// Records dropped because another copy with the same id was as new or newer.
    pub duplicates: u64,
    /// Records per ecosystem.
    pub per_ecosystem: BTreeMap<String, u64>,
    /// Skipped inputs per reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// The first skipped inputs, with details.
    pub examples: Vec<Skipped>,
}

impl ImportReport {
    /// All skipped inputs.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// How many skipped inputs are kept with details.
const MAX_EXAMPLES: usize = 20;

/// Why an import failed as a whole (skipped records are not failures).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input path does not exist.
    #[error("`{0}` does not exist")]
    NotFound(PathBuf),
    /// Nothing in the input was a record.
    #[error("no OSV records found in `{0}`")]
    Empty(PathBuf),
    /// Writing the database failed; the old one is unchanged.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Collects records from inputs, counting what it skips.
pub(crate) struct Collector<'p> {
    pub(crate) set: RecordSet,
    report: ImportReport,
    limits: ImportLimits,
    total_bytes: u64,
    read: u64,
    progress: &'p dyn Progress,
}

impl<'p> Collector<'p> {
    pub(crate) fn new(limits: ImportLimits, progress: &'p dyn Progress) -> Self {
        Collector {
            set: RecordSet::default(),
            report: ImportReport::default(),
            limits,
            total_bytes: 0,
            read: 0,
            progress,
        }
    }

    fn skip(&mut self, input: String, reason: SkipReason, message: String) {
        *self.report.skipped.entry(reason).or_insert(0) += 1;
        if self.report.examples.len() < MAX_EXAMPLES {
            self.report.examples.push(Skipped {
                input,
                reason,
                message,
            });
        }
    }

    /// Adds one record's JSON text.
    pub(crate) fn add_json(&mut self, input: impl FnOnce() -> String, json: &[u8]) {
        self.add_record(input, json, None);
    }

    /// Adds a record kept from the previous database (see [`RecordSet::keep`]).
    pub(crate) fn keep(&mut self, record: PreparedRecord) {
        self.set.keep(record);
        self.counted();
    }

    /// Counts one record read, for the progress display.
    fn counted(&mut self) {
        self.read += 1;
        if self.read % 500 == 0 {
            self.progress.records(self.read);
        }
    }

    /// Adds one record's JSON text, with its raw deflate stream when there is one.
    fn add_record(&mut self, input: impl FnOnce() -> String, json: &[u8], raw: Option<Vec<u8>>) {
        match PreparedRecord::from_json_and_deflated(json, raw) {
            Ok(record) => {
                self.set.insert(record);
                self.counted();
            }
            Err(e) => self.skip(input(), SkipReason::InvalidRecord, e.to_string()),
        }
    }

    /// Adds an input path: a zip, a `*.json` record, or a directory (recursively). A directory
    /// with an `ecosystems.txt` is read as a mirror: only `<Ecosystem>/all.zip` of the listed
    /// ecosystems, so the bucket's top-level `all.zip` is not read twice.
    pub(crate) fn add_path(&mut self, path: &Path) {
        let meta = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => {
                return self.skip(display(path), SkipReason::Unreadable, e.to_string());
            }
        };
        if meta.is_dir() {
            let listed = path.join("ecosystems.txt");
            if let Ok(text) = fs::read_to_string(&listed) {
                for eco in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    let zip = path.join(eco).join("all.zip");
                    if safe_component(eco) && zip.is_file() {
                        self.add_zip_file(&zip);
                    }
                }
                return;
            }
            let entries = match fs::read_dir(path) {
                Ok(e) => e,
                Err(e) => return self.skip(display(path), SkipReason::Unreadable, e.to_string()),
            };
            let mut children: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            children.sort();
            for child in children {
                // Symlinks are not followed: they could lead anywhere, or loop.
                match fs::symlink_metadata(&child) {
                    Ok(m) if m.is_dir() => self.add_path(&child),
                    Ok(m) if m.is_file() && has_ext(&child, "zip") => {
                        self.add_zip_file(&child);
                    }
                    Ok(m) if m.is_file() && has_ext(&child, "json") => self.add_json_file(&child),
                    _ => {}
                }
            }
        } else if has_ext(path, "zip") {
            self.add_zip_file(path);
        } else {
            self.add_json_file(path);
        }
    }

    fn add_json_file(&mut self, path: &Path) {
        let file = match fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return self.skip(display(path), SkipReason::Unreadable, e.to_string()),
        };
        let mut buf = Vec::new();
        let cap = self.limits.max_entry_bytes;
        match file.take(cap + 1).read_to_end(&mut buf) {
            Ok(n) if n as u64 > cap => self.skip(
                display(path),
                SkipReason::TooLarge,
                format!("over {cap} bytes"),
            ),
            Ok(n) => {
                self.total_bytes += n as u64;
                self.add_json(|| display(path), &buf);
            }
            Err(e) => self.skip(display(path), SkipReason::Unreadable, e.to_string()),
        }
    }

    /// Adds every `*.json` entry of a zip file. Returns `false` when the file is not a
    /// readable zip (counted as skipped).
    pub(crate) fn add_zip_file(&mut self, path: &Path) -> bool {
        match fs::File::open(path) {
            Ok(f) => self.add_zip(&display(path), std::io::BufReader::new(f)),
            Err(e) => {
                self.skip(display(path), SkipReason::Unreadable, e.to_string());
                false
            }
        }
    }

    /// Adds every `*.json` entry of a zip. Returns `false` when it is not a readable zip.
    pub(crate) fn add_zip<R: Read + Seek>(&mut self, name: &str, reader: R) -> bool {
        let mut archive = match zip::ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => {
                self.skip(name.to_owned(), SkipReason::BadZip, e.to_string());
                return false;
            }
        };
        let mut buf = Vec::new();
        for index in 0..archive.len() {
            let mut entry = match archive.by_index(index) {
                Ok(e) => e,
                Err(e) => {
                    self.skip(
                        format!("{name}!#{index}"),
                        SkipReason::BadZip,
                        e.to_string(),
                    );
                    continue;
                }
            };
            let entry_name = match entry.name() {
                Ok(n) => n.into_owned(),
                Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
            };
            let input = || format!("{name}!{entry_name}");
            if entry.enclosed_name().is_none() || !plain_entry_name(&entry_name) {
                self.skip(
                    input(),
                    SkipReason::UnsafePath,
                    "absolute path or `..`".to_owned(),
                );
                continue;
            }
            if entry.is_dir() || !entry_name.to_ascii_lowercase().ends_with(".json") {
                continue;
            }
            let declared = entry.size();
            let compressed = entry.compressed_size().max(1);
            let cap = self.limits.max_entry_bytes;
            if declared > cap {
                self.skip(
                    input(),
                    SkipReason::TooLarge,
                    format!("declares {declared} bytes"),
                );
                continue;
            }
            // The declared size may lie: bound what is actually inflated as well.
            let ratio_cap = compressed
                .saturating_mul(self.limits.max_ratio)
                .max(RATIO_FREE_BYTES);
            if declared > ratio_cap {
                self.skip(
                    input(),
                    SkipReason::CompressionRatio,
                    format!("{declared} bytes from {compressed}"),
                );
                continue;
            }
            let remaining = self.limits.max_total_bytes.saturating_sub(self.total_bytes);
            let limit = cap.min(ratio_cap).min(remaining);
            let deflated = entry.compression() == zip::CompressionMethod::Deflated;
            buf.clear();
            let read = (&mut entry).take(limit + 1).read_to_end(&mut buf);
            drop(entry);
            match read {
                Ok(n) if n as u64 > limit => {
                    let reason = if limit == remaining {
                        SkipReason::TotalSizeLimit
                    } else if limit == cap {
                        SkipReason::TooLarge
                    } else {
                        SkipReason::CompressionRatio
                    };
                    self.skip(input(), reason, format!("inflates past {limit} bytes"));
                    self.total_bytes += n as u64;
                }
                Ok(n) => {
                    self.total_bytes += n as u64;
                    // The entry is already deflated: keep its stream as the stored form
                    // rather than compressing the record again (most of an import's time).
                    let raw = if deflated {
                        raw_entry(&mut archive, index, compressed)
                    } else {
                        None
                    };
                    self.add_record(input, &buf, raw);
                }
                Err(e) => self.skip(input(), SkipReason::BadZip, e.to_string()),
            }
        }
        true
    }

    /// Finishes: the report with final counts, and the records.
    pub(crate) fn finish(mut self) -> (ImportReport, RecordSet) {
        self.progress.records(self.read);
        self.report.records = self.set.len() as u64;
        self.report.withdrawn = self.set.withdrawn();
        self.report.duplicates = self.set.duplicates;
        self.report.per_ecosystem = self.set.counts();
        (self.report, self.set)
    }
}

/// Builds a new database at `db_path` from `inputs` (zips, `*.json` files, directories),
/// replacing any database there only when the new one is complete. An import is a full
/// rebuild: the new database holds what `inputs` hold and nothing of the previous one.
pub fn import(
    db_path: &Path,
    inputs: &[PathBuf],
    limits: ImportLimits,
    progress: &dyn Progress,
) -> Result<(ImportReport, DbInfo), ImportError> {
    let mut collector = Collector::new(limits, progress);
    for input in inputs {
        if fs::symlink_metadata(input).is_err() {
            return Err(ImportError::NotFound(input.clone()));
        }
        collector.add_path(input);
    }
    let (report, set) = collector.finish();
    if set.len() == 0 {
        let first = inputs.first().cloned().unwrap_or_default();
        return Err(ImportError::Empty(first));
    }
    let source = inputs
        .iter()
        .map(|p| {
            fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ");
    let provenance = Provenance {
        source,
        ..Provenance::default()
    };
    let info = db::write(db_path, set, provenance)?;
    Ok((report, info))
}

/// The raw (still deflated) bytes of a zip entry, read back after its content checked out.
fn raw_entry<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    compressed: u64,
) -> Option<Vec<u8>> {
    let entry = archive.by_index_raw(index).ok()?;
    let mut raw = Vec::new();
    entry.take(compressed + 1).read_to_end(&mut raw).ok()?;
    (raw.len() as u64 == compressed).then_some(raw)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Whether a zip entry name is relative and has no `..` component (even one that would stay
/// inside the archive: no real OSV zip has one).
fn plain_entry_name(name: &str) -> bool {
    !name.starts_with(['/', '\\'])
        && name.get(1..2).is_none_or(|c| c != ":")
        && !name.split(['/', '\\']).any(|c| c == "..")
        && !name.contains('\0')
}

/// Whether an ecosystem name from `ecosystems.txt` is safe as one path component.
pub(crate) fn safe_component(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

#[cfg(test)]
mod tests;

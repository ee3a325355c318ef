//! `trusca db update|import|status`: build and inspect the local vulnerability database.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use trusca_core::settings::Env;
use trusca_core::vulns::db::{self, Db, DbInfo, EcosystemInfo};
use trusca_core::vulns::import::{self, ImportLimits, ImportReport};
use trusca_core::vulns::update::{self, EcosystemStatus, UpdateOptions};

use crate::args::{DbArgs, DbCommand, DbReportFormat};
use crate::diagnostics;
use crate::progress::Bar;
use crate::Outcome;

const HOW_TO_GET_DATA: &str =
    "run `trusca db update` (or `trusca db import PATH` with OSV data on disk)";

/// Runs one `db` subcommand.
pub fn run(args: &DbArgs) -> Outcome {
    let env = Env::from_process();
    // `--db`, else `TRUSCA_DB`, else the default in the user's cache directory.
    let path: Option<PathBuf> = args
        .db
        .clone()
        .or_else(|| env.db.clone())
        .or_else(db::default_path);
    let Some(path) = path else {
        diagnostics::fatal(
            "cannot find a cache directory for the vulnerability database",
            Some("pass `--db PATH` or set `TRUSCA_DB`"),
        );
        return Outcome::Error;
    };
    match &args.command {
        DbCommand::Update(a) => {
            let options = UpdateOptions {
                mirror: a
                    .mirror
                    .clone()
                    .or_else(|| env.mirror.clone())
                    .unwrap_or_else(|| update::DEFAULT_MIRROR.to_owned()),
                ecosystems: a.ecosystem.clone(),
                limits: ImportLimits::default(),
            };
            let bar = Bar::new(a.no_progress, "reading OSV records");
            let result = update::update(&path, &options, &bar);
            bar.finish();
            match result {
                Ok((report, info)) => {
                    print_report(&path, &report.import, &info, a.format, Some(&report));
                    Outcome::Pass
                }
                Err(e) => {
                    diagnostics::fatal(
                        &e.to_string(),
                        Some("the previous database, if any, is unchanged"),
                    );
                    Outcome::Error
                }
            }
        }
        DbCommand::Import(a) => {
            let bar = Bar::new(a.no_progress, "reading OSV records");
            let result = import::import(&path, &a.paths, ImportLimits::default(), &bar);
            bar.finish();
            match result {
                Ok((report, info)) => {
                    print_report(&path, &report, &info, a.format, None);
                    Outcome::Pass
                }
                Err(e) => {
                    diagnostics::fatal(
                        &e.to_string(),
                        Some("the previous database, if any, is unchanged"),
                    );
                    Outcome::Error
                }
            }
        }
        DbCommand::Status(a) => status(&path, a.format),
    }
}

fn status(path: &Path, format: Option<DbReportFormat>) -> Outcome {
    let db = match Db::open(path) {
        Ok(db) => db,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), Some(HOW_TO_GET_DATA));
            return Outcome::Error;
        }
    };
    let info = db.info();
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        DbReportFormat::Text
    } else {
        DbReportFormat::Json
    });
    let out = match format {
        DbReportFormat::Json => {
            let mut value = info_json(path, info);
            if let Some(obj) = value.as_object_mut() {
                obj.insert("packages".into(), db.package_count().unwrap_or(0).into());
            }
            format!("{}\n", pretty(&value))
        }
        DbReportFormat::Text => {
            let mut s = String::new();
            s.push_str(&format!("database  {}\n", path.display()));
            s.push_str(&format!(
                "built     {} ({} ago)\n",
                info.built_rfc3339(),
                age(info.age())
            ));
            s.push_str(&format!("source    {}\n", info.source));
            s.push_str(&format!(
                "records   {} ({} withdrawn), {} packages\n\n",
                info.records,
                info.withdrawn,
                db.package_count().unwrap_or(0)
            ));
            s.push_str(&ecosystems_table(info));
            s
        }
    };
    crate::output::emit_text(&out)
}

/// The status table: ecosystem and record count, and each ecosystem's update time when they
/// were not all written at the build time (an update of some ecosystems, or one that found
/// some unchanged).
fn ecosystems_table(info: &DbInfo) -> String {
    let same_time = info
        .ecosystems
        .values()
        .all(|e| info.updated(e) == info.built());
    counts_table(info.ecosystems.iter().map(|(k, v)| {
        let time = (!same_time).then(|| info.updated_rfc3339(v));
        (k.as_str(), v.records, time)
    }))
}

fn print_report(
    path: &Path,
    report: &ImportReport,
    info: &DbInfo,
    format: DbReportFormat,
    update: Option<&update::UpdateReport>,
) {
    let out = match format {
        DbReportFormat::Json => {
            let mut value = serde_json::json!({
                "database": info_json(path, info),
                "import": report,
            });
            if let (Some(u), Some(obj)) = (update, value.as_object_mut()) {
                obj.insert("ecosystems".into(), serde_json::json!(u.ecosystems));
                obj.insert("downloaded_bytes".into(), u.bytes.into());
            }
            format!("{}\n", pretty(&value))
        }
        DbReportFormat::Text => {
            let mut s = String::new();
            if let Some(u) = update {
                let (mut down, mut same, mut missing, mut kept) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for (eco, status) in &u.ecosystems {
                    match status {
                        EcosystemStatus::Downloaded => down.push(eco.as_str()),
                        EcosystemStatus::Unchanged => same.push(eco.as_str()),
                        EcosystemStatus::Missing => missing.push(eco.as_str()),
                        EcosystemStatus::Kept => kept.push(eco.as_str()),
                    }
                }
                for (label, list) in [
                    ("downloaded", &down),
                    ("unchanged", &same),
                    ("not on the mirror", &missing),
                    ("kept", &kept),
                ] {
                    if !list.is_empty() {
                        s.push_str(&format!("{label}: {}\n", list.join(", ")));
                    }
                }
                s.push_str(&format!("transferred {} bytes\n", u.bytes));
            }
            s.push_str(&format!(
                "wrote {} with {} records ({} withdrawn, {} duplicates dropped)\n",
                path.display(),
                report.records,
                report.withdrawn,
                report.duplicates
            ));
            if report.skipped_total() > 0 {
                s.push_str(&format!("skipped {}:\n", report.skipped_total()));
                for (reason, n) in &report.skipped {
                    s.push_str(&format!("  {n:>6}  {}\n", reason.describe()));
                }
                for ex in &report.examples {
                    s.push_str(&format!("  - {}: {}\n", ex.input, ex.message));
                }
            }
            s.push('\n');
            s.push_str(&counts_table(
                report
                    .per_ecosystem
                    .iter()
                    .map(|(k, v)| (k.as_str(), *v, None)),
            ));
            s
        }
    };
    crate::output::emit_text(&out);
}

fn info_json(path: &Path, info: &DbInfo) -> serde_json::Value {
    let ecosystems: serde_json::Map<String, serde_json::Value> = info
        .ecosystems
        .iter()
        .map(|(eco, e)| (eco.clone(), ecosystem_json(info, e)))
        .collect();
    serde_json::json!({
        "path": path.display().to_string(),
        "schema_version": info.schema_version,
        "built": info.built_rfc3339(),
        "age_seconds": info.age().as_secs(),
        "source": info.source,
        "records": info.records,
        "withdrawn": info.withdrawn,
        "ecosystems": ecosystems,
    })
}

/// One ecosystem: record count, update time and age, download validators.
fn ecosystem_json(info: &DbInfo, eco: &EcosystemInfo) -> serde_json::Value {
    let age = SystemTime::now()
        .duration_since(info.updated(eco))
        .unwrap_or(Duration::ZERO);
    let mut value = serde_json::json!({
        "records": eco.records,
        "updated": info.updated_rfc3339(eco),
        "age_seconds": age.as_secs(),
    });
    if let Some(obj) = value.as_object_mut() {
        for (key, v) in [("etag", &eco.etag), ("last_modified", &eco.last_modified)] {
            if let Some(v) = v {
                obj.insert(key.into(), v.clone().into());
            }
        }
    }
    value
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Aligned columns: ecosystem, record count and, for rows that have one, the update time.
fn counts_table<'a>(rows: impl Iterator<Item = (&'a str, u64, Option<String>)>) -> String {
    let rows: Vec<(&str, u64, Option<String>)> = rows.collect();
    let width = rows
        .iter()
        .map(|(e, _, _)| e.chars().count())
        .chain(["ecosystem".len()])
        .max()
        .unwrap_or(9);
    let timed = rows.iter().any(|(_, _, t)| t.is_some());
    let mut s = format!("{:<width$}  {:>8}", "ecosystem", "records");
    if timed {
        s.push_str("  updated");
    }
    s.push('\n');
    for (eco, n, time) in rows {
        s.push_str(&format!("{eco:<width$}  {n:>8}"));
        if let Some(time) = time {
            s.push_str(&format!("  {time}"));
        }
        s.push('\n');
    }
    s
}

/// A rough age for people: minutes, hours or days.
fn age(d: Duration) -> String {
    let secs = d.as_secs();
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if secs < 3600 {
        plural(secs / 60, "minute")
    } else if secs < 2 * 86_400 {
        plural(secs / 3600, "hour")
    } else {
        plural(secs / 86_400, "day")
    }
}

//! The vulnerability stage of a scan: find or fetch the local OSV database, check its age, and
//! match the packages against it.
//!
//! Like Trivy and Grype, the first scan downloads the database when there is none; without it
//! (offline, no network, unreadable) the stage says so in a diagnostic and matches nothing.

use std::path::PathBuf;
use std::time::Duration;

use super::db::{self, Db};
use super::import::ImportLimits;
use super::update::{self, UpdateOptions};
use super::{find, Matches};
use crate::coverage::DatabaseCoverage;
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::Package;
use crate::progress::Progress;

/// After this age the database gets a warning.
const WARN_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

const HOW_TO_GET_DATA: &str = "run `trusca db update` (or `trusca db import DIR` with OSV data on an air-gapped machine), or skip vulnerabilities on purpose with `--scanners license`";

/// Where vulnerability data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbSettings {
    /// The database file; `None` when the user has no cache directory and named none.
    pub path: Option<PathBuf>,
    /// Never touch the network.
    pub offline: bool,
    /// Fail when the database is older than this many days.
    pub max_db_age: Option<u64>,
    /// Where the database is downloaded from when there is none.
    pub mirror: String,
}

/// What the stage found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    /// The findings and what was checked; `None` when no database could be used.
    pub matches: Option<Matches>,
    /// The database used, when one was.
    pub database: Option<DatabaseCoverage>,
    /// Why the database could not be used (an error: vulnerability data is required while the
    /// scanner is on), or how old it is.
    pub diagnostics: Vec<Diagnostic>,
}

/// Opens the database of `settings` (downloading it first when there is none and the network
/// may be used) and matches `packages` against it.
pub fn check(packages: &[Package], settings: &DbSettings, progress: &dyn Progress) -> Checked {
    let mut out = Checked::default();
    let db = match open(settings, progress, &mut out.diagnostics) {
        Some(db) => db,
        None => return out,
    };
    let info = db.info();
    out.database = Some(DatabaseCoverage {
        path: crate::coverage::display_path(db.path()),
        built: info.built_rfc3339(),
        age_days: info.age().as_secs() / 86_400,
        ecosystems: info
            .ecosystems
            .iter()
            .filter(|(_, e)| e.records > 0)
            .map(|(name, _)| name.clone())
            .collect(),
    });
    progress.stage("matching vulnerabilities");
    match find(packages, &db) {
        Ok(mut matches) => {
            db::fill_references(&db, &mut matches.findings);
            out.matches = Some(matches);
        }
        Err(e) => out.diagnostics.push(unavailable(&format!(
            "cannot read `{}`: {e}",
            db.path().display()
        ))),
    }
    out
}

/// The database, or `None` with the diagnostic that says why there is none (or why it must not
/// be used). A database that is merely old is used, with a warning.
fn open(settings: &DbSettings, progress: &dyn Progress, diags: &mut Vec<Diagnostic>) -> Option<Db> {
    let Some(path) = &settings.path else {
        diags.push(unavailable(
            "no cache directory for the vulnerability database",
        ));
        return None;
    };
    if !path.exists() {
        if settings.offline {
            diags.push(unavailable(&format!(
                "no vulnerability database at `{}` and `--offline` is set",
                path.display()
            )));
            return None;
        }
        let options = UpdateOptions {
            mirror: settings.mirror.clone(),
            ecosystems: Vec::new(),
            limits: ImportLimits::default(),
        };
        progress.stage("downloading the vulnerability database");
        if let Err(e) = update::update(path, &options, progress) {
            diags.push(unavailable(&format!(
                "cannot download the vulnerability database: {e}"
            )));
            return None;
        }
    }
    let db = match Db::open(path) {
        Ok(db) => db,
        Err(e) => {
            diags.push(unavailable(&format!(
                "cannot open `{}`: {e}",
                path.display()
            )));
            return None;
        }
    };
    let age = db.info().age();
    let days = age.as_secs() / 86_400;
    match settings.max_db_age {
        Some(max) if days > max => {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::VulnDbOutdated,
                    format!(
                        "the vulnerability database is {days} days old, more than `--max-db-age {max}`"
                    ),
                )
                .with_help("run `trusca db update`"),
            );
            return None;
        }
        _ if age > WARN_AGE => diags.push(
            Diagnostic::warning(
                Code::VulnDbOutdated,
                format!(
                    "the vulnerability database is {days} days old; newer advisories are missing"
                ),
            )
            .with_help("run `trusca db update`"),
        ),
        _ => {}
    }
    Some(db)
}

fn unavailable(message: &str) -> Diagnostic {
    Diagnostic::error(
        Code::VulnDbUnavailable,
        format!("{message}; vulnerabilities were not checked"),
    )
    .with_help(HOW_TO_GET_DATA)
}

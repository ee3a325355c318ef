//! The vulnerability stage of `trusca scan`: find or fetch the local OSV database, check its age,
//! and match the scan's packages against it.
//!
//! Like Trivy and Grype, the first scan downloads the database when there is none; with
//! `--offline` (or no network) the scan still succeeds for the inventory, SBOM and licenses, and
//! says how to get vulnerability data.

use std::time::Duration;

use trusca_core::diag::{Code, Diagnostic, Severity};
use trusca_core::scan::Scan;
use trusca_core::vulns::import::ImportLimits;
use trusca_core::vulns::update::{self, UpdateOptions};
use trusca_core::vulns::{self, db};

use crate::args::VulnArgs;
use crate::commands::db::{db_path, Bar};

/// After this age the database gets a warning.
const WARN_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

const HOW_TO_GET_DATA: &str =
    "run `trusca db update` (or `trusca db import DIR` with OSV data on an air-gapped machine), or set `TRUSCA_DB`";

/// Fills `scan.findings`; problems become diagnostics on the scan, never a failed scan, except
/// a database older than `--max-db-age`, which is an error the policy turns into exit 2.
pub fn apply(scan: &mut Scan, args: &VulnArgs, hide_progress: bool) {
    let Some(path) = db_path(args.db.as_deref()) else {
        scan.diagnostics.push(unavailable(
            "no cache directory for the vulnerability database",
        ));
        return;
    };
    if !path.exists() {
        if args.offline {
            scan.diagnostics.push(unavailable(&format!(
                "no vulnerability database at `{}` and `--offline` is set",
                path.display()
            )));
            return;
        }
        let options = UpdateOptions {
            mirror: args
                .mirror
                .clone()
                .unwrap_or_else(|| update::DEFAULT_MIRROR.to_owned()),
            ecosystems: Vec::new(),
            limits: ImportLimits::default(),
        };
        if !hide_progress {
            eprintln!(
                "downloading the vulnerability database to `{}`",
                path.display()
            );
        }
        let bar = Bar::new(hide_progress);
        let result = update::update(&path, &options, &bar);
        bar.finish();
        if let Err(e) = result {
            scan.diagnostics.push(unavailable(&format!(
                "cannot download the vulnerability database: {e}"
            )));
            return;
        }
    }
    let db = match db::Db::open(&path) {
        Ok(db) => db,
        Err(e) => {
            scan.diagnostics.push(unavailable(&format!(
                "cannot open `{}`: {e}",
                path.display()
            )));
            return;
        }
    };
    let age = db.info().age();
    let days = age.as_secs() / 86_400;
    match args.max_db_age {
        Some(max) if days > max => {
            scan.diagnostics.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::VulnDbOutdated,
                    format!("the vulnerability database is {days} days old, more than `--max-db-age {max}`"),
                )
                .with_help("run `trusca db update`"),
            );
            return;
        }
        _ if age > WARN_AGE => scan.diagnostics.push(
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
    match vulns::find(scan, &db) {
        Ok(check) => {
            db::fill_references(&db, &mut scan.findings);
            scan.vuln_check = Some(check);
        }
        Err(e) => scan.diagnostics.push(unavailable(&format!(
            "cannot read `{}`: {e}",
            path.display()
        ))),
    }
}

fn unavailable(message: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::VulnDbUnavailable,
        format!("{message}; vulnerabilities were not checked"),
    )
    .with_help(HOW_TO_GET_DATA)
}

//! The scan pipeline: source → inventory → licenses → vulnerabilities → policy, run in that order
//! by [`Scanner::run`]. Each stage is a function of plain inputs that returns its result; this
//! module alone puts the results together into one [`Scan`] and sorts it once.
//!
//! Adding a stage is adding its module and one call here.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::{self, Config, ConfigError};
use crate::coverage::{self, Coverage, NotCheckedReason, ScannerKind};
use crate::diag::Diagnostic;
use crate::inventory::{self, Sources};
use crate::licenses;
use crate::licenses::stores::NotADirectory;
use crate::model::{LayerRef, Package, Shared};
use crate::os;
use crate::policy;
use crate::progress::Progress;
use crate::scan::{now_rfc3339, Scan};
use crate::settings::{Env, Flags, Settings};
use crate::source::{self, ImageInfo, OsRoot, SourceError};
use crate::vulns::{self, VulnCheck};
use crate::walk::GlobError;

/// Why a scan could not run at all (a file that cannot be read is a diagnostic, not this).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The target cannot be used (not a directory, a clone that failed).
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An include or exclude pattern is not a valid glob.
    #[error(transparent)]
    Glob(#[from] GlobError),
    /// A package store named on the command line is not a directory.
    #[error(transparent)]
    PackageStore(#[from] NotADirectory),
}

/// A finished run: the result and the settings it ran with.
#[derive(Debug)]
pub struct Run {
    /// The result.
    pub scan: Scan,
    /// The settings, resolved from the command line, the environment and `trusca.toml`.
    pub settings: Settings,
    /// The directory that was scanned (diagnostics name files relative to it). A clone is
    /// removed when the run is dropped.
    pub root: PathBuf,
    _prepared: source::Prepared,
}

/// One scan, from what the caller says to the sorted result.
#[derive(Debug, Clone)]
pub struct Scanner {
    flags: Flags,
    env: Env,
}

impl Scanner {
    /// A scanner for the command line's `flags` in the environment `env`.
    pub fn new(flags: Flags, env: Env) -> Self {
        Scanner { flags, env }
    }

    /// Prepares the target, reads its `trusca.toml`, resolves the settings and runs every stage.
    pub fn run(&self, progress: &dyn Progress) -> Result<Run, PipelineError> {
        let target = self.flags.target.as_deref().unwrap_or(".");
        let prepared = source::prepare(target, self.flags.reference.as_deref())?;
        let file = Config::find(self.flags.config.as_deref(), &prepared.root)?;
        let settings = Settings::resolve(&self.flags, &self.env, &file);
        let cwd = std::env::current_dir().ok();
        let about_config = config::diagnostics(&file, &prepared.root, cwd.as_deref());
        let scan = scan(&prepared, &settings, about_config, progress)?;
        let root = if settings.walk {
            prepared.root.clone()
        } else {
            PathBuf::from(".")
        };
        Ok(Run {
            scan,
            settings,
            root,
            _prepared: prepared,
        })
    }
}

/// The inventory of an SBOM target: its packages, in the result's order.
fn sbom_inventory(listed: &source::sbom::SbomInventory) -> inventory::Inventory {
    inventory::Inventory {
        files: listed.files.clone(),
        packages: listed.packages.clone(),
        diagnostics: listed.diagnostics.clone(),
    }
}

/// Runs the stages over a prepared target with resolved settings; `notes` are what came before
/// the stages (which configuration is obeyed) and go into the result with theirs.
pub fn scan(
    prepared: &source::Prepared,
    settings: &Settings,
    notes: Vec<Diagnostic>,
    progress: &dyn Progress,
) -> Result<Scan, PipelineError> {
    let generated_at = settings.generated_at.clone().unwrap_or_else(now_rfc3339);
    let mut scan = Scan::new(prepared.target.clone(), generated_at);

    let found = match &prepared.sbom {
        Some(listed) => sbom_inventory(listed),
        None => {
            let sources = Sources {
                walk: settings.walk.then_some(prepared.root.as_path()),
                walk_options: &settings.walk_options,
                explicit: &settings.explicit,
            };
            inventory::collect(&sources, progress)?
        }
    };
    scan.files = found.files;
    scan.packages = found.packages;
    scan.diagnostics = notes;
    scan.diagnostics
        .extend(prepared.diagnostics.iter().cloned());
    scan.diagnostics.extend(found.diagnostics);
    if let Some(os_root) = &prepared.os {
        progress.stage("reading operating-system packages");
        let image = prepared.target.image.as_ref();
        attribute_layers(&mut scan.packages, os_root, image);
        let found = os::catalog(&prepared.root, os_root, image);
        scan.target.distro = found.distro;
        if let Some(info) = scan.target.image.as_mut() {
            info.removed = found.removed;
        }
        scan.files.extend(found.files);
        scan.packages.extend(found.packages);
        scan.diagnostics.extend(found.diagnostics);
    }

    let licenses_on = settings.scanners.contains(&ScannerKind::License);
    let mut license_coverage = None;
    if let (true, Some(listed)) = (licenses_on, &prepared.sbom) {
        // An SBOM says what its components' licenses are; there is no tree to read.
        for (package, declared) in scan.packages.iter_mut().zip(&listed.licenses) {
            let file = package.location.file.to_string();
            let info = licenses::from_sbom(declared, &file, &settings.license_overrides);
            package.license = Some(info.into());
        }
        license_coverage = Some(coverage::licenses(&scan.packages, 0, None));
    } else if licenses_on {
        progress.stage("identifying licenses");
        let stores = match &settings.package_stores {
            Some(search) => search.discover()?,
            None => Vec::new(),
        };
        let identified = licenses::identify(
            settings.walk.then_some(prepared.root.as_path()),
            &scan.packages,
            &settings.license_overrides,
            &stores,
        );
        for (package, license) in scan.packages.iter_mut().zip(identified.packages) {
            package.license = Some(match package.license.take() {
                // What an OS package database declares stands unless the tree says more.
                Some(own) if license.declared.is_none() && license.detected.is_empty() => {
                    licenses::with_tiers(own, &settings.license_overrides)
                }
                _ => license,
            });
        }
        scan.project_licenses = identified.project;
        scan.diagnostics.extend(identified.diagnostics);
        let kinds = identified
            .package_stores
            .iter()
            .map(|k| k.as_str().to_owned());
        license_coverage = Some(coverage::licenses(
            &scan.packages,
            identified.from_package_stores,
            settings.package_stores.is_some().then(|| kinds.collect()),
        ));
    }

    let vulnerabilities = match &settings.vulns {
        Some(db) => {
            let checked = vulns::check(&scan.packages, db, progress);
            scan.diagnostics.extend(checked.diagnostics);
            match (checked.matches, checked.database) {
                (Some(matches), Some(database)) => {
                    let held = database.ecosystems.clone();
                    let covered = coverage::vulnerabilities(
                        &scan.packages,
                        Some(&held),
                        NotCheckedReason::NoDatabase,
                        Some(database),
                    );
                    // Only packages of an ecosystem the database holds were checked.
                    scan.vuln_check = Some(VulnCheck {
                        checked: covered.checked,
                        not_checked: covered.not_checked,
                        findings: matches.findings.len(),
                    });
                    scan.findings = matches.findings;
                    covered
                }
                _ => coverage::vulnerabilities(
                    &scan.packages,
                    None,
                    NotCheckedReason::NoDatabase,
                    None,
                ),
            }
        }
        None => coverage::vulnerabilities(&scan.packages, None, NotCheckedReason::ScannerOff, None),
    };
    let mut vulnerabilities = vulnerabilities;
    if let Some(listed) = &prepared.sbom {
        coverage::add_unidentified(&mut vulnerabilities, &listed.unidentified);
    }
    scan.coverage = Some(Coverage {
        scanners: settings.scanners.clone(),
        files: coverage::files(&scan.files, &scan.diagnostics),
        vulnerabilities,
        licenses: license_coverage,
    });

    scan.filters = vulns::filter::apply(&mut scan.findings, &settings.filter);
    if let Some(check) = scan.vuln_check.as_mut() {
        check.findings = scan.findings.len();
    }

    if !settings.vex.is_empty() {
        let (statements, problems) = policy::vex::load(&settings.vex);
        scan.diagnostics.extend(problems);
        scan.diagnostics
            .extend(policy::vex::apply(&mut scan.findings, &statements));
    }

    scan.remediation = vulns::remediation::remediation(&scan.findings);

    if let Some(policy) = &settings.policy {
        let evaluation = policy::evaluate(&scan.subject(), policy);
        scan.policy = Some(evaluation.result);
        scan.diagnostics.extend(evaluation.diagnostics);
    }

    scan.sort();
    Ok(scan)
}

/// Gives each package of a dependency file in an image the layer that wrote the file.
fn attribute_layers(packages: &mut [Package], os_root: &OsRoot, image: Option<&ImageInfo>) {
    let Some(image) = image else {
        return;
    };
    let mut refs: HashMap<usize, Shared<LayerRef>> = HashMap::new();
    for p in packages {
        let Some(&index) = os_root.layer_of.get(p.location.file.as_str()) else {
            continue;
        };
        let Some(layer) = image.layers.get(index) else {
            continue;
        };
        let shared = refs.entry(index).or_insert_with(|| {
            Shared::new(LayerRef {
                index,
                digest: layer.digest.clone(),
                created_by: layer.created_by.clone(),
            })
        });
        p.layer = Some(shared.clone());
    }
}

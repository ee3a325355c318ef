//! Settings of one run, merged in one place ([`Settings::resolve`]) from the command line, the
//! environment and `trusca.toml`: a flag wins over an environment variable, which wins over the
//! file, which wins over the built-in default.

use std::path::PathBuf;

use crate::config::Config;
use crate::coverage::ScannerKind;
use crate::inventory::ExplicitFile;
use crate::licenses::stores::{Search, StoreEnv, StoreKind};
use crate::model::Tier;
use crate::policy::{Date, FailOn, Policy};
use crate::vulns::update::DEFAULT_MIRROR;
use crate::vulns::DbSettings;
use crate::walk::WalkOptions;

/// What a run is for: a scan judges the result, an SBOM only lists what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `trusca scan`: licenses, vulnerabilities and policy.
    #[default]
    Scan,
    /// `trusca sbom`: inventory and licenses only.
    Sbom,
}

/// What the command line says. `None` (or empty) means the flag was not given.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// What the run is for.
    pub mode: Mode,
    /// The target: a directory or a git URL; `None` for the current directory, or only the
    /// explicit files when there are some.
    pub target: Option<String>,
    /// `--ref`: the branch, tag or commit of a git target.
    pub reference: Option<String>,
    /// `--lockfile FORMAT:PATH` files.
    pub lockfiles: Vec<ExplicitFile>,
    /// `--include` globs.
    pub include: Vec<String>,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--reproducible`: a fixed timestamp.
    pub reproducible: bool,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// `--db`.
    pub db: Option<PathBuf>,
    /// `--offline`.
    pub offline: Option<bool>,
    /// `--max-db-age` in days.
    pub max_db_age: Option<u64>,
    /// `--db-mirror`.
    pub mirror: Option<String>,
    /// `--server`: the trusca server to upload to.
    pub server: Option<String>,
    /// `--scanners`: the checks to run.
    pub scanners: Option<Vec<ScannerKind>>,
    /// `--strict`: a dependency file that cannot be read is an error.
    pub strict: bool,
    /// `--package-store KIND=DIR`: stores to read, each replacing the found store of its kind.
    pub package_stores: Vec<(StoreKind, PathBuf)>,
    /// `--no-package-stores`: read no package store outside the scanned tree.
    pub no_package_stores: bool,
    /// `--vex FILE`: VEX documents to apply.
    pub vex: Vec<PathBuf>,
    /// `--ignore-unfixed` and `--severity`: findings to leave out.
    pub filter: crate::vulns::filter::FindingFilter,
}

/// The environment variables trusca reads, read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    /// `TRUSCA_DB`: the vulnerability database file.
    pub db: Option<PathBuf>,
    /// `TRUSCA_OFFLINE`: never touch the network (`1`, `true`, `yes`, `on`).
    pub offline: Option<bool>,
    /// `TRUSCA_DB_MIRROR`: where the database is downloaded from.
    pub mirror: Option<String>,
    /// `TRUSCA_SERVER`: the trusca server to upload to.
    pub server: Option<String>,
    /// `TRUSCA_SCANNERS`: the checks to run, comma-separated (`vuln,license`); names that are
    /// not scanners are left out.
    pub scanners: Option<Vec<ScannerKind>>,
    /// `SOURCE_DATE_EPOCH`: the time of a reproducible run, in seconds since 1970.
    pub source_date_epoch: Option<u64>,
    /// The variables that locate the package stores (`CARGO_HOME`, `GOMODCACHE`, `HOME`, …).
    pub stores: StoreEnv,
}

impl Env {
    /// The variables of this process.
    pub fn from_process() -> Env {
        Env::from_lookup(|k| std::env::var(k).ok())
    }

    /// The variables as `lookup` gives them (empty values count as unset).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Env {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        Env {
            db: get("TRUSCA_DB").map(PathBuf::from),
            offline: get("TRUSCA_OFFLINE").map(|v| parse_bool(&v)),
            mirror: get("TRUSCA_DB_MIRROR"),
            server: get("TRUSCA_SERVER"),
            scanners: get("TRUSCA_SCANNERS")
                .map(|v| v.split(',').filter_map(|s| s.parse().ok()).collect()),
            source_date_epoch: get("SOURCE_DATE_EPOCH").and_then(|v| v.trim().parse().ok()),
            stores: StoreEnv::from_lookup(&lookup),
        }
    }
}

/// The usual spellings of true; anything else is false.
fn parse_bool(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "y"
    )
}

/// Everything one run needs, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// What the run is for.
    pub mode: Mode,
    /// The target as given (`.` when none was).
    pub target: String,
    /// The branch, tag or commit of a git target.
    pub reference: Option<String>,
    /// The checks that run, sorted: vulnerabilities and licenses unless narrowed (an SBOM never
    /// matches vulnerabilities).
    pub scanners: Vec<ScannerKind>,
    /// Whether a dependency file that cannot be read is an error.
    pub strict: bool,
    /// Whether the target directory is walked (not when only explicit files are read).
    pub walk: bool,
    /// Include and exclude globs of the walk: the command line's, then the file's.
    pub walk_options: WalkOptions,
    /// Files read with a given format.
    pub explicit: Vec<ExplicitFile>,
    /// The time to record; `None` for now.
    pub generated_at: Option<String>,
    /// Per-license tier overrides for license identification.
    pub license_overrides: std::collections::BTreeMap<String, Tier>,
    /// Where the package stores outside the tree are; `None` when they are not read
    /// (`--no-package-stores`, `[licenses] package_stores = false`).
    pub package_stores: Option<Search>,
    /// Vulnerability matching; `None` when it does not run.
    pub vulns: Option<DbSettings>,
    /// The policy to evaluate; `None` when it is not evaluated.
    pub policy: Option<Policy>,
    /// Whether an error exits 0 with a loud warning (`fail_open`).
    pub fail_open: bool,
    /// The configuration file obeyed, as named in messages (`trusca.toml` even when absent).
    pub config_file: String,
    /// The trusca server to upload to.
    pub server: Option<String>,
    /// VEX documents to apply to the findings: `[vulns] vex`, then `--vex` (a later statement wins).
    pub vex: Vec<PathBuf>,
    /// Findings to leave out of the result and the gate.
    pub filter: crate::vulns::filter::FindingFilter,
}

impl Settings {
    /// Merges flags, environment and file: flag > environment > file > default.
    pub fn resolve(flags: &Flags, env: &Env, file: &Config) -> Settings {
        let walk = flags.target.is_some() || flags.lockfiles.is_empty();
        let scan = flags.mode == Mode::Scan;
        let mut scanners: Vec<ScannerKind> = flags
            .scanners
            .clone()
            .or_else(|| env.scanners.clone())
            .or_else(|| file.scan.scanners.clone())
            .unwrap_or_else(|| ScannerKind::ALL.to_vec());
        if !scan {
            scanners.retain(|s| *s != ScannerKind::Vuln);
        }
        scanners.sort();
        scanners.dedup();
        let strict = flags.strict || file.strict;
        let vuln = scanners.contains(&ScannerKind::Vuln);
        Settings {
            mode: flags.mode,
            scanners,
            strict,
            target: flags.target.clone().unwrap_or_else(|| ".".into()),
            reference: flags.reference.clone(),
            walk,
            walk_options: WalkOptions {
                include: [flags.include.as_slice(), file.scan.include.as_slice()].concat(),
                exclude: [flags.exclude.as_slice(), file.scan.exclude.as_slice()].concat(),
                root_only_files: crate::config::ROOT_ONLY_FILES,
            },
            explicit: flags.lockfiles.clone(),
            generated_at: flags
                .reproducible
                .then(|| reproducible_time(env.source_date_epoch)),
            license_overrides: file.licenses.overrides(),
            package_stores: package_stores(flags, env, file),
            vulns: vuln.then(|| DbSettings {
                path: flags
                    .db
                    .clone()
                    .or_else(|| env.db.clone())
                    .or_else(crate::vulns::db::default_path),
                offline: flags.offline.or(env.offline).unwrap_or(false),
                max_db_age: flags.max_db_age,
                mirror: flags
                    .mirror
                    .clone()
                    .or_else(|| env.mirror.clone())
                    .unwrap_or_else(|| DEFAULT_MIRROR.to_owned()),
            }),
            policy: scan.then(|| Policy {
                strict,
                ..policy_of(file, flags.fail_on, Date::today())
            }),
            fail_open: file.fail_open,
            config_file: file.file.clone(),
            server: flags
                .server
                .clone()
                .or_else(|| env.server.clone())
                .or_else(|| file.server.url.clone()),
            vex: [file.vulns.vex_paths.as_slice(), flags.vex.as_slice()].concat(),
            filter: flags.filter.clone(),
        }
    }
}

/// The package stores to read: none with `--no-package-stores`; with stores named on the command
/// line, those (whatever the file says, since naming one asks for it); else none when the file
/// says `package_stores = false`; else the ones the environment locates.
fn package_stores(flags: &Flags, env: &Env, file: &Config) -> Option<Search> {
    let off = flags.no_package_stores
        || (flags.package_stores.is_empty() && file.licenses.package_stores == Some(false));
    (!off).then(|| Search {
        env: env.stores.clone(),
        given: flags.package_stores.clone(),
    })
}

/// The policy of a configuration file with the command line's threshold: `--fail-on` >
/// `fail_on` > [`FailOn::DEFAULT`].
pub fn policy_of(file: &Config, fail_on: Option<FailOn>, today: Date) -> Policy {
    Policy {
        file: file.file.clone(),
        fail_on: fail_on.or(file.fail_on).unwrap_or(FailOn::DEFAULT),
        license_overrides: file.licenses.overrides(),
        denied_licenses: file.licenses.deny.clone(),
        exceptions: file.exceptions.clone(),
        unknown_severity: file.vulns.unknown_severity,
        fail_on_informational: file.vulns.fail_on_informational.clone(),
        unknown_license: file.licenses.unknown,
        include_dev: file.licenses.include_dev,
        strict: file.strict,
        today,
    }
}

/// `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), else the Unix epoch.
fn reproducible_time(epoch: Option<u64>) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(epoch.unwrap_or(0));
    crate::scan::format_rfc3339(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Config {
        Config::parse(text, "trusca.toml").expect("valid config")
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_lookup(|k| {
            pairs
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    /// One row per setting that more than one layer can give: what each layer says (`None`:
    /// silent) and the value that must win.
    #[test]
    fn flag_beats_env_beats_file_beats_default() {
        type Case = (
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            &'static str,
        );
        // (setting, flag, environment, file, winner)
        let cases: &[Case] = &[
            (
                "server",
                Some("http://f"),
                Some("http://e"),
                Some("http://c"),
                "http://f",
            ),
            (
                "server",
                None,
                Some("http://e"),
                Some("http://c"),
                "http://e",
            ),
            ("server", None, None, Some("http://c"), "http://c"),
            ("server", None, None, None, "<none>"),
            ("fail_on", Some("low"), None, Some("critical"), "low"),
            ("fail_on", None, None, Some("critical"), "critical"),
            ("fail_on", None, None, None, "high"),
            ("mirror", Some("f"), Some("e"), None, "f"),
            ("mirror", None, Some("e"), None, "e"),
            ("mirror", None, None, None, DEFAULT_MIRROR),
            ("db", Some("f.db"), Some("e.db"), None, "f.db"),
            ("db", None, Some("e.db"), None, "e.db"),
            ("offline", Some("false"), Some("1"), None, "false"),
            ("offline", None, Some("1"), None, "true"),
            ("offline", None, None, None, "false"),
            (
                "scanners",
                Some("license"),
                Some("vuln"),
                Some("vuln"),
                "license",
            ),
            ("scanners", None, Some("license"), Some("vuln"), "license"),
            ("scanners", None, None, Some("license"), "license"),
            ("scanners", None, None, None, "vuln,license"),
        ];
        for &(setting, flag, environment, in_file, want) in cases {
            let mut flags = Flags::default();
            let mut vars: Vec<(&str, &str)> = Vec::new();
            let mut text = String::new();
            match setting {
                "server" => {
                    flags.server = flag.map(str::to_owned);
                    if let Some(e) = environment {
                        vars.push(("TRUSCA_SERVER", e));
                    }
                    if let Some(c) = in_file {
                        text = format!("[server]\nurl = \"{c}\"\n");
                    }
                }
                "fail_on" => {
                    flags.fail_on = flag.map(|f| f.parse().expect("severity"));
                    if let Some(c) = in_file {
                        text = format!("fail_on = \"{c}\"\n");
                    }
                }
                "mirror" => {
                    flags.mirror = flag.map(str::to_owned);
                    if let Some(e) = environment {
                        vars.push(("TRUSCA_DB_MIRROR", e));
                    }
                }
                "db" => {
                    flags.db = flag.map(PathBuf::from);
                    if let Some(e) = environment {
                        vars.push(("TRUSCA_DB", e));
                    }
                }
                "offline" => {
                    flags.offline = flag.map(|f| f == "true");
                    if let Some(e) = environment {
                        vars.push(("TRUSCA_OFFLINE", e));
                    }
                }
                "scanners" => {
                    flags.scanners = flag.map(|f| vec![f.parse().expect("scanner")]);
                    if let Some(e) = environment {
                        vars.push(("TRUSCA_SCANNERS", e));
                    }
                    if let Some(c) = in_file {
                        text = format!("[scan]\nscanners = [\"{c}\"]\n");
                    }
                }
                other => panic!("no such setting {other}"),
            }
            let s = Settings::resolve(&flags, &env(&vars), &file(&text));
            if setting == "scanners" {
                let got: Vec<&str> = s.scanners.iter().map(|x| x.as_str()).collect();
                assert_eq!(
                    got.join(","),
                    want,
                    "scanners: flag {flag:?}, env {environment:?}, file {in_file:?}"
                );
                continue;
            }
            let vulns = s.vulns.clone().expect("scan mode matches vulnerabilities");
            let got = match setting {
                "server" => s.server.clone().unwrap_or_else(|| "<none>".into()),
                "fail_on" => s.policy.as_ref().expect("policy").fail_on.to_string(),
                "mirror" => vulns.mirror.clone(),
                "db" => vulns
                    .path
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                "offline" => vulns.offline.to_string(),
                _ => unreachable!(),
            };
            assert_eq!(
                got, want,
                "{setting}: flag {flag:?}, env {environment:?}, file {in_file:?}"
            );
        }
    }

    #[test]
    fn globs_of_the_command_line_and_the_file_both_apply() {
        let flags = Flags {
            exclude: vec!["a/**".into()],
            include: vec!["v/**".into()],
            ..Flags::default()
        };
        let s = Settings::resolve(
            &flags,
            &Env::default(),
            &file("[scan]\nexclude = [\"b/**\"]\n"),
        );
        assert_eq!(s.walk_options.exclude, ["a/**", "b/**"]);
        assert_eq!(s.walk_options.include, ["v/**"]);
    }

    #[test]
    fn without_the_vulnerability_scanner_no_database_is_needed() {
        let flags = Flags {
            scanners: Some(vec![ScannerKind::License]),
            ..Flags::default()
        };
        let s = Settings::resolve(&flags, &Env::default(), &Config::default());
        assert!(s.vulns.is_none());
        assert!(s.policy.is_some());
        let s = Settings::resolve(&Flags::default(), &Env::default(), &file("strict = true\n"));
        assert!(s.strict && s.policy.is_some_and(|p| p.strict));
    }

    #[test]
    fn an_sbom_neither_matches_nor_judges() {
        let flags = Flags {
            mode: Mode::Sbom,
            ..Flags::default()
        };
        let s = Settings::resolve(&flags, &Env::default(), &Config::default());
        assert!(s.vulns.is_none());
        assert!(s.policy.is_none());
    }

    #[test]
    fn reproducible_time_comes_from_source_date_epoch() {
        let flags = Flags {
            reproducible: true,
            ..Flags::default()
        };
        let s = Settings::resolve(&flags, &env(&[]), &Config::default());
        assert_eq!(s.generated_at.as_deref(), Some("1970-01-01T00:00:00Z"));
        let s = Settings::resolve(
            &flags,
            &env(&[("SOURCE_DATE_EPOCH", "86400")]),
            &Config::default(),
        );
        assert_eq!(s.generated_at.as_deref(), Some("1970-01-02T00:00:00Z"));
    }

    #[test]
    fn only_explicit_files_means_no_walk() {
        let extractor = crate::inventory::by_format("Cargo.lock").expect("format");
        let flags = Flags {
            lockfiles: vec![ExplicitFile {
                extractor,
                path: "x.lock".into(),
            }],
            ..Flags::default()
        };
        let s = Settings::resolve(&flags, &Env::default(), &Config::default());
        assert!(!s.walk);
        assert_eq!(s.target, ".");
    }
}

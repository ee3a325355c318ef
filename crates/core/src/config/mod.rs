//! `trusca.toml`: the policy and scan configuration of a project, as written in the file. The
//! settings of a run merge it with the command line and the environment (`crate::settings`).
//!
//! Read in two steps. [`RawConfig::parse`] walks the spanned TOML tree (`toml::de::DeTable`) and
//! records every value with its byte span, reporting unknown keys and wrong types; then
//! [`RawConfig::validate`] checks meanings (tier names, severities, globs, package specs, required
//! reasons) and builds the [`Config`]. Both steps collect every problem instead of stopping at the
//! first, so one run shows all of them. serde's derive stops at the first error, which is why the
//! tree is walked by hand here.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::coverage::ScannerKind;
use crate::model::Tier;
use crate::policy::{Date, Exception, FailOn, PackageSpec, UnknownLicense, UnknownSeverity};
use crate::vulns::Category;

/// The name of the configuration file obeyed at the scan root.
pub const FILE_NAME: &str = "trusca.toml";

/// An ignore file people expect from other tools; trusca has none (`[scan] exclude` does the
/// job), so one is reported wherever it is.
pub const IGNORE_FILE_NAME: &str = ".truscaignore";

/// File names of configuration and ignore files that trusca obeys only at the scan root (or
/// never); seen anywhere deeper they are reported as not obeyed.
pub const ROOT_ONLY_FILES: &[&str] = &[FILE_NAME, IGNORE_FILE_NAME];

/// What a run says about its configuration: which file it obeys (or that the defaults apply),
/// and the configuration-looking files it does not obey: a `trusca.toml` in the working
/// directory `cwd` when the scan root is elsewhere, and a `.truscaignore` at the root.
pub fn diagnostics(
    config: &Config,
    root: &Path,
    cwd: Option<&Path>,
) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::{Code, Diagnostic};
    let mut out = Vec::new();
    out.push(match config.source {
        ConfigSource::Explicit => Diagnostic::note(
            Code::ConfigUsed,
            format!("the configuration is `{}` (`--config`)", config.file),
        ),
        ConfigSource::Root => Diagnostic::note(
            Code::ConfigUsed,
            "the configuration is the scan root's `trusca.toml`",
        ),
        ConfigSource::Defaults => Diagnostic::note(
            Code::ConfigUsed,
            "no `trusca.toml` at the scan root: the built-in policy applies",
        ),
    });
    let same_dir = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(cwd) = cwd {
        if config.source != ConfigSource::Explicit
            && cwd.join(FILE_NAME).is_file()
            && !same_dir(cwd, root)
        {
            out.push(
                Diagnostic::warning(
                    Code::ConfigNotObeyed,
                    "the working directory's `trusca.toml` is not read: the configuration comes from the scan root",
                )
                .with_help("pass `--config trusca.toml` to use it"),
            );
        }
    }
    if root.join(IGNORE_FILE_NAME).is_file() {
        out.push(
            Diagnostic::warning(
                Code::ConfigNotObeyed,
                "trusca has no ignore file: `.truscaignore` is not obeyed",
            )
            .in_file(IGNORE_FILE_NAME, None)
            .with_help("list what to leave out in `[scan] exclude` of `trusca.toml`"),
        );
    }
    out
}

/// `trusca.toml` files larger than this are refused rather than parsed.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// `[licenses]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LicenseConfig {
    /// `[licenses.tiers]`: the tier of a license id, overriding the built-in table.
    pub tiers: BTreeMap<String, Tier>,
    /// License ids always accepted (permissive), whatever their tier.
    pub allow: Vec<String>,
    /// License ids always refused (forbidden), whatever their tier.
    pub deny: Vec<String>,
    /// `unknown`: what a package without a known license does.
    pub unknown: UnknownLicense,
    /// `include_dev`: whether development-only packages are held to the license policy.
    pub include_dev: bool,
    /// `package_stores`: whether the package stores on the machine are read (`None`: not said,
    /// they are).
    pub package_stores: Option<bool>,
}

impl LicenseConfig {
    /// Every per-license override in one map: `tiers`, then `allow` (permissive), then `deny`
    /// (forbidden), later ones winning. This is what license evaluation consults before the
    /// built-in table.
    pub fn overrides(&self) -> BTreeMap<String, Tier> {
        let mut map = self.tiers.clone();
        for id in &self.allow {
            map.insert(id.clone(), Tier::Permissive);
        }
        for id in &self.deny {
            map.insert(id.clone(), Tier::Forbidden);
        }
        map
    }
}

/// `[scan]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanConfig {
    /// Globs (relative to the root) to leave out of the walk.
    pub exclude: Vec<String>,
    /// Globs (relative to the root) to read even where the defaults skip.
    pub include: Vec<String>,
    /// `scanners`: the checks to run, when set.
    pub scanners: Option<Vec<ScannerKind>>,
}

/// `[vulns]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VulnConfig {
    /// `unknown_severity`: what a finding without a known severity does.
    pub unknown_severity: UnknownSeverity,
    /// `fail_on_informational`: informational advisory kinds that fail the scan.
    pub fail_on_informational: Vec<Category>,
    /// `vex`: VEX documents to apply, as written (relative to the file's directory).
    pub vex: Vec<String>,
    /// The VEX documents as paths: `vex` joined to the file's directory.
    pub vex_paths: Vec<std::path::PathBuf>,
}

/// `[server]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerConfig {
    /// The trusca server to upload to.
    pub url: Option<String>,
}

/// Where a run's configuration came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfigSource {
    /// `--config FILE`.
    Explicit,
    /// The `trusca.toml` at the scan root.
    Root,
    /// No file: the built-in defaults.
    #[default]
    Defaults,
}

/// A validated `trusca.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file as named in messages (`trusca.toml`, or the `--config` path as given).
    pub file: String,
    /// Where it came from.
    pub source: ConfigSource,
    /// `fail_on`: the vulnerability threshold, when set.
    pub fail_on: Option<FailOn>,
    /// `fail_open`: an error exits 0 with a warning.
    pub fail_open: bool,
    /// `strict`: a dependency file that cannot be read is an error.
    pub strict: bool,
    /// `[licenses]`.
    pub licenses: LicenseConfig,
    /// `[vulns]`.
    pub vulns: VulnConfig,
    /// `[[exceptions]]`, in file order.
    pub exceptions: Vec<Exception>,
    /// `[scan]`.
    pub scan: ScanConfig,
    /// `[server]`.
    pub server: ServerConfig,
}

/// One thing wrong in a `trusca.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, lowercase, no period.
    pub message: String,
    /// The byte range in the file it is about.
    pub span: Range<usize>,
    /// The 1-based line of the start of the span.
    pub line: u32,
    /// What to do about it.
    pub help: Option<String>,
}

/// Why a `trusca.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read `{file}`: {message}")]
    Read {
        /// The file as named in messages.
        file: String,
        /// Why.
        message: String,
    },
    /// The file was read but has problems, all listed.
    #[error("`{file}` has {}", count(problems.len()))]
    Invalid {
        /// The file as named in messages.
        file: String,
        /// The file's text, for snippets.
        text: String,
        /// Every problem, in file order.
        problems: Vec<Problem>,
    },
}

impl Config {
    /// Resolves `[vulns] vex` against the directory of the file at `path`.
    fn with_vex_paths(mut self, path: &Path) -> Config {
        let dir = path.parent().unwrap_or(Path::new("."));
        self.vulns.vex_paths = self.vulns.vex.iter().map(|v| dir.join(v)).collect();
        self
    }

    /// The configuration of a run: `explicit` (`--config FILE`), else the `trusca.toml` at the
    /// scan root, else the defaults (named `trusca.toml` in messages).
    pub fn find(explicit: Option<&Path>, root: &Path) -> Result<Config, ConfigError> {
        match explicit {
            Some(path) => Config::load(path, &path.to_string_lossy()).map(|c| Config {
                source: ConfigSource::Explicit,
                ..c.with_vex_paths(path)
            }),
            None => {
                let path = root.join(FILE_NAME);
                if path.is_file() {
                    Config::load(&path, FILE_NAME).map(|c| Config {
                        source: ConfigSource::Root,
                        ..c.with_vex_paths(&path)
                    })
                } else {
                    Ok(Config {
                        file: FILE_NAME.into(),
                        ..Config::default()
                    })
                }
            }
        }
    }

    /// Reads and validates a config file; `display` names it in messages.
    pub fn load(path: &Path, display: &str) -> Result<Config, ConfigError> {
        let read_err = |message: String| ConfigError::Read {
            file: display.to_owned(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| read_err(e.to_string()))?;
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(read_err(format!(
                "the file is larger than {} KiB",
                MAX_CONFIG_BYTES >> 10
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| read_err(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            read_err(format!(
                "the file is not valid UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Config::parse(&text, display)
    }

    /// Parses and validates config text; `display` names the file in messages.
    pub fn parse(text: &str, display: &str) -> Result<Config, ConfigError> {
        let (raw, mut problems) = RawConfig::parse(text);
        let config = match raw.validate(display) {
            Ok(c) => Some(c),
            Err(more) => {
                problems.extend(more);
                None
            }
        };
        match config {
            Some(c) if problems.is_empty() => Ok(c),
            _ => {
                let lines = LineIndex::new(text);
                for p in &mut problems {
                    p.line = lines.line_of(p.span.start);
                }
                problems.sort_by_key(|p| (p.span.start, p.message.clone()));
                problems.dedup();
                Err(ConfigError::Invalid {
                    file: display.to_owned(),
                    text: text.to_owned(),
                    problems,
                })
            }
        }
    }
}

/// A value with the byte range it came from.
pub type At<T> = Spanned<T>;

/// One raw `[[exceptions]]` entry: every field as found, checked by [`RawConfig::validate`].
#[derive(Debug, Clone, Default)]
pub struct RawException {
    /// The span of the whole entry.
    pub span: Range<usize>,
    /// `id`.
    pub id: Option<At<String>>,
    /// `package`.
    pub package: Option<At<String>>,
    /// `reason`.
    pub reason: Option<At<String>>,
    /// `expires`, a TOML date.
    pub expires: Option<At<Date>>,
}

/// `trusca.toml` as found: known keys with the right TOML types, each with its span.
#[derive(Debug, Clone, Default)]
pub struct RawConfig {
    /// `fail_on`.
    pub fail_on: Option<At<String>>,
    /// `fail_open`.
    pub fail_open: Option<At<bool>>,
    /// `strict`.
    pub strict: Option<At<bool>>,
    /// `[licenses] unknown`.
    pub license_unknown: Option<At<String>>,
    /// `[licenses] include_dev`.
    pub include_dev: Option<At<bool>>,
    /// `[licenses] package_stores`.
    pub package_stores: Option<At<bool>>,
    /// `[scan] scanners`.
    pub scanners: Option<Vec<At<String>>>,
    /// `[vulns] unknown_severity`.
    pub unknown_severity: Option<At<String>>,
    /// `[vulns] fail_on_informational`.
    pub fail_on_informational: Vec<At<String>>,
    /// `[vulns] vex`.
    pub vex: Vec<At<String>>,
    /// `[licenses.tiers]`.
    pub tiers: Vec<(At<String>, At<String>)>,
    /// `[licenses] allow`.
    pub allow: Vec<At<String>>,
    /// `[licenses] deny`.
    pub deny: Vec<At<String>>,
    /// `[[exceptions]]`.
    pub exceptions: Vec<RawException>,
    /// `[scan] exclude`.
    pub exclude: Vec<At<String>>,
    /// `[scan] include`.
    pub include: Vec<At<String>>,
    /// `[server] url`.
    pub server_url: Option<At<String>>,
    lines: LineIndex,
}

fn problem(message: impl Into<String>, span: Range<usize>) -> Problem {
    Problem {
        message: message.into(),
        span,
        line: 0,
        help: None,
    }
}

fn problem_with_help(
    message: impl Into<String>,
    span: Range<usize>,
    help: impl Into<String>,
) -> Problem {
    Problem {
        help: Some(help.into()),
        ..problem(message, span)
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Collects problems while walking the tree.
struct Walker {
    problems: Vec<Problem>,
}

impl Walker {
    fn unknown(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, table: &str, known: &[&str]) {
        let name = key.get_ref();
        let message = if table.is_empty() {
            format!("unknown key `{name}`")
        } else {
            format!("unknown key `{name}` in `[{table}]`")
        };
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.problems.push(problem_with_help(
            message,
            key.span(),
            format!("known keys here: {list}"),
        ));
    }

    /// `key` is a key name (quoted in the message) or, starting with `each item`, a phrase.
    fn wrong_type(&mut self, key: &str, expected: &str, value: &Spanned<DeValue<'_>>) {
        let subject = if key.starts_with("each item") {
            key.to_owned()
        } else {
            format!("`{key}`")
        };
        self.problems.push(problem(
            format!(
                "{subject} must be {expected}, not {}",
                type_name(value.get_ref())
            ),
            value.span(),
        ));
    }

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<At<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Spanned::new(value.span(), s.to_string())),
            _ => {
                self.wrong_type(key, "a string", value);
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<At<bool>> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Spanned::new(value.span(), *b)),
            _ => {
                self.wrong_type(key, "`true` or `false`", value);
                None
            }
        }
    }

    fn strings(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Vec<At<String>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, "an array of strings", value);
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::String(s) => Some(Spanned::new(item.span(), s.to_string())),
                _ => {
                    self.wrong_type(&format!("each item of `{key}`"), "a string", item);
                    None
                }
            })
            .collect()
    }

    fn table<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(key, "a table", value);
                None
            }
        }
    }

    fn date(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<At<Date>> {
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date,
            _ => None,
        };
        match date {
            Some(d) => Some(Spanned::new(
                value.span(),
                Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                },
            )),
            None => {
                let quoted = matches!(value.get_ref(), DeValue::String(_));
                self.problems.push(problem_with_help(
                    format!(
                        "`{key}` must be a TOML date, not {}",
                        type_name(value.get_ref())
                    ),
                    value.span(),
                    if quoted {
                        "write the date without quotes: `expires = 2099-12-31`"
                    } else {
                        "write a date such as `expires = 2099-12-31`"
                    },
                ));
                None
            }
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "fail_on",
    "fail_open",
    "strict",
    "licenses",
    "vulns",
    "exceptions",
    "scan",
    "server",
];
const LICENSE_KEYS: &[&str] = &[
    "tiers",
    "allow",
    "deny",
    "unknown",
    "include_dev",
    "package_stores",
];
const VULN_KEYS: &[&str] = &["unknown_severity", "fail_on_informational", "vex"];
const EXCEPTION_KEYS: &[&str] = &["id", "package", "reason", "expires"];
const SCAN_KEYS: &[&str] = &["exclude", "include", "scanners"];
const SERVER_KEYS: &[&str] = &["url"];

impl RawConfig {
    /// Walks the TOML text; returns what could be read and every syntax, unknown-key and type
    /// problem (lines are filled in by [`Config::parse`]).
    pub fn parse(text: &str) -> (RawConfig, Vec<Problem>) {
        let (doc, errors) = DeTable::parse_recoverable(text);
        let mut w = Walker {
            problems: errors
                .iter()
                .map(|e| {
                    let span = e.span().unwrap_or(0..0);
                    problem(
                        format!("invalid TOML: {}", e.message().trim_end_matches('\n')),
                        span,
                    )
                })
                .collect(),
        };
        let mut raw = RawConfig {
            lines: LineIndex::new(text),
            ..RawConfig::default()
        };
        for (key, value) in doc.get_ref() {
            match key.get_ref().as_ref() {
                "fail_on" => raw.fail_on = w.string("fail_on", value),
                "fail_open" => raw.fail_open = w.boolean("fail_open", value),
                "strict" => raw.strict = w.boolean("strict", value),
                "vulns" => {
                    if let Some(t) = w.table("vulns", value) {
                        for (k, v) in t {
                            match k.get_ref().as_ref() {
                                "unknown_severity" => {
                                    raw.unknown_severity = w.string("unknown_severity", v)
                                }
                                "fail_on_informational" => {
                                    raw.fail_on_informational =
                                        w.strings("fail_on_informational", v)
                                }
                                "vex" => raw.vex = w.strings("vex", v),
                                _ => w.unknown(k, "vulns", VULN_KEYS),
                            }
                        }
                    }
                }
                "licenses" => {
                    if let Some(t) = w.table("licenses", value) {
                        raw.read_licenses(&mut w, t);
                    }
                }
                "exceptions" => raw.read_exceptions(&mut w, value),
                "scan" => {
                    if let Some(t) = w.table("scan", value) {
                        for (k, v) in t {
                            match k.get_ref().as_ref() {
                                "exclude" => raw.exclude = w.strings("exclude", v),
                                "include" => raw.include = w.strings("include", v),
                                "scanners" => raw.scanners = Some(w.strings("scanners", v)),
                                _ => w.unknown(k, "scan", SCAN_KEYS),
                            }
                        }
                    }
                }
                "server" => {
                    if let Some(t) = w.table("server", value) {
                        for (k, v) in t {
                            match k.get_ref().as_ref() {
                                "url" => raw.server_url = w.string("url", v),
                                _ => w.unknown(k, "server", SERVER_KEYS),
                            }
                        }
                    }
                }
                _ => w.unknown(key, "", TOP_KEYS),
            }
        }
        (raw, w.problems)
    }

    fn read_licenses(&mut self, w: &mut Walker, t: &DeTable<'_>) {
        for (k, v) in t {
            match k.get_ref().as_ref() {
                "tiers" => {
                    if let Some(tiers) = w.table("licenses.tiers", v) {
                        for (id, tier) in tiers {
                            let key = format!("licenses.tiers.\"{}\"", id.get_ref());
                            if let Some(tier) = w.string(&key, tier) {
                                self.tiers.push((
                                    Spanned::new(id.span(), id.get_ref().to_string()),
                                    tier,
                                ));
                            }
                        }
                    }
                }
                "allow" => self.allow = w.strings("allow", v),
                "deny" => self.deny = w.strings("deny", v),
                "unknown" => self.license_unknown = w.string("unknown", v),
                "include_dev" => self.include_dev = w.boolean("include_dev", v),
                "package_stores" => self.package_stores = w.boolean("package_stores", v),
                _ => w.unknown(k, "licenses", LICENSE_KEYS),
            }
        }
    }

    fn read_exceptions(&mut self, w: &mut Walker, value: &Spanned<DeValue<'_>>) {
        let DeValue::Array(items) = value.get_ref() else {
            w.problems.push(problem_with_help(
                format!(
                    "`exceptions` must be an array of tables, not {}",
                    type_name(value.get_ref())
                ),
                value.span(),
                "write each exception as an `[[exceptions]]` table",
            ));
            return;
        };
        for item in items.iter() {
            let Some(t) = w.table("each item of `exceptions`", item) else {
                continue;
            };
            let mut e = RawException {
                span: item.span(),
                ..RawException::default()
            };
            for (k, v) in t {
                match k.get_ref().as_ref() {
                    "id" => e.id = w.string("id", v),
                    "package" => e.package = w.string("package", v),
                    "reason" => e.reason = w.string("reason", v),
                    "expires" => e.expires = w.date("expires", v),
                    _ => w.unknown(k, "[exceptions]", EXCEPTION_KEYS),
                }
            }
            self.exceptions.push(e);
        }
    }

    /// Checks meanings and builds the [`Config`]; every problem at once.
    pub fn validate(self, display: &str) -> Result<Config, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut config = Config {
            file: display.to_owned(),
            ..Config::default()
        };

        if let Some(f) = &self.fail_on {
            match f.get_ref().parse::<FailOn>() {
                Ok(v) => config.fail_on = Some(v),
                Err(e) => problems.push(problem_with_help(
                    format!("`fail_on`: {e}"),
                    f.span(),
                    "one of `critical`, `high`, `medium`, `low`, `none`",
                )),
            }
        }
        config.fail_open = self.fail_open.as_ref().is_some_and(|b| *b.get_ref());
        config.strict = self.strict.as_ref().is_some_and(|b| *b.get_ref());
        config.licenses.include_dev = self.include_dev.as_ref().is_some_and(|b| *b.get_ref());
        config.licenses.package_stores = self.package_stores.as_ref().map(|b| *b.get_ref());
        if let Some(u) = &self.license_unknown {
            match u.get_ref().parse::<UnknownLicense>() {
                Ok(v) => config.licenses.unknown = v,
                Err(e) => problems.push(problem_with_help(
                    format!("`unknown`: {e}"),
                    u.span(),
                    "one of `warn`, `fail`",
                )),
            }
        }
        if let Some(u) = &self.unknown_severity {
            match u.get_ref().parse::<UnknownSeverity>() {
                Ok(v) => config.vulns.unknown_severity = v,
                Err(e) => problems.push(problem_with_help(
                    format!("`unknown_severity`: {e}"),
                    u.span(),
                    "one of `low`, `medium`, `high`, `critical`, `ignore`",
                )),
            }
        }
        config.vulns.vex = self.vex.iter().map(|v| v.get_ref().clone()).collect();
        for c in &self.fail_on_informational {
            match c.get_ref().parse::<Category>() {
                Ok(cat) if cat.is_informational() => config.vulns.fail_on_informational.push(cat),
                _ => problems.push(problem_with_help(
                    format!(
                        "`fail_on_informational`: `{}` is not an informational kind",
                        c.get_ref()
                    ),
                    c.span(),
                    "each of `unsound`, `unmaintained`, `notice`",
                )),
            }
        }
        if let Some(list) = &self.scanners {
            let mut scanners = Vec::new();
            for s in list {
                match s.get_ref().parse::<ScannerKind>() {
                    Ok(x) if !scanners.contains(&x) => scanners.push(x),
                    Ok(_) => {}
                    Err(e) => problems.push(problem_with_help(
                        format!("`scanners`: {e}"),
                        s.span(),
                        "a list of `vuln` and `license`",
                    )),
                }
            }
            scanners.sort();
            config.scan.scanners = Some(scanners);
        }

        for (id, tier) in &self.tiers {
            if id.get_ref().trim().is_empty() {
                problems.push(problem("a license id is empty", id.span()));
                continue;
            }
            match parse_tier(tier.get_ref()) {
                Some(t) => {
                    config.licenses.tiers.insert(id.get_ref().clone(), t);
                }
                None => problems.push(problem_with_help(
                    format!("unknown tier `{}`", tier.get_ref()),
                    tier.span(),
                    "one of `forbidden`, `conditional`, `permissive`, `unknown`",
                )),
            }
        }
        let license_list = |items: &[At<String>], problems: &mut Vec<Problem>| -> Vec<String> {
            let mut out = Vec::new();
            for item in items {
                if item.get_ref().trim().is_empty() || item.get_ref().contains(char::is_whitespace)
                {
                    problems.push(problem_with_help(
                        format!("`{}` is not a license id", item.get_ref()),
                        item.span(),
                        "list single SPDX ids such as `MIT`, not expressions",
                    ));
                } else {
                    out.push(item.get_ref().clone());
                }
            }
            out
        };
        config.licenses.allow = license_list(&self.allow, &mut problems);
        config.licenses.deny = license_list(&self.deny, &mut problems);
        for d in &self.deny {
            if config.licenses.allow.contains(d.get_ref()) {
                problems.push(problem(
                    format!("`{}` is both allowed and denied", d.get_ref()),
                    d.span(),
                ));
            }
        }

        for e in &self.exceptions {
            let mut ok = true;
            let mut missing = |field: &str, problems: &mut Vec<Problem>| {
                ok = false;
                problems.push(problem(
                    format!("an exception has no `{field}`"),
                    e.span.clone(),
                ));
            };
            let id = match &e.id {
                Some(id) if id.get_ref().trim().is_empty() => {
                    problems.push(problem("the exception `id` is empty", id.span()));
                    None
                }
                Some(id) => Some(id.get_ref().trim().to_owned()),
                None => {
                    missing("id", &mut problems);
                    None
                }
            };
            let package = match &e.package {
                Some(p) => match PackageSpec::parse(p.get_ref()) {
                    Ok(spec) => Some(spec),
                    Err(msg) => {
                        problems.push(problem_with_help(
                            msg,
                            p.span(),
                            "a package is `name`, `name@version`, or a purl",
                        ));
                        None
                    }
                },
                None => {
                    missing("package", &mut problems);
                    None
                }
            };
            let reason = match &e.reason {
                Some(r) if r.get_ref().trim().is_empty() => {
                    problems.push(problem_with_help(
                        "the exception `reason` is empty",
                        r.span(),
                        "say why the waiver was granted",
                    ));
                    None
                }
                Some(r) => Some(r.get_ref().trim().to_owned()),
                None => {
                    problems.push(problem_with_help(
                        "an exception has no `reason`",
                        e.span.clone(),
                        "every exception needs a `reason` saying why it was granted",
                    ));
                    None
                }
            };
            if let (true, Some(id), Some(package), Some(reason)) = (ok, id, package, reason) {
                config.exceptions.push(Exception {
                    id,
                    package,
                    reason,
                    expires: e.expires.as_ref().map(|d| *d.get_ref()),
                    line: self.lines.line_of(e.span.start),
                });
            }
        }

        for (key, globs, out) in [
            ("exclude", &self.exclude, &mut config.scan.exclude),
            ("include", &self.include, &mut config.scan.include),
        ] {
            for g in globs {
                match globset::Glob::new(g.get_ref()) {
                    Ok(_) => out.push(g.get_ref().clone()),
                    Err(e) => problems.push(problem(
                        format!("`{key}`: invalid glob `{}`: {}", g.get_ref(), e.kind()),
                        g.span(),
                    )),
                }
            }
        }

        if let Some(url) = &self.server_url {
            let u = url.get_ref();
            if u.starts_with("https://") || u.starts_with("http://") {
                config.server.url = Some(u.clone());
            } else {
                problems.push(problem_with_help(
                    format!("`url`: `{u}` is not an http(s) URL"),
                    url.span(),
                    "write the server's address, such as `https://trusca.example.com`",
                ));
            }
        }

        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}

fn parse_tier(s: &str) -> Option<Tier> {
    match s {
        "forbidden" => Some(Tier::Forbidden),
        "conditional" => Some(Tier::Conditional),
        "permissive" => Some(Tier::Permissive),
        "unknown" => Some(Tier::Unknown),
        _ => None,
    }
}

/// Byte offsets to 1-based line numbers.
#[derive(Debug, Clone, Default)]
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> u32 {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        };
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests;

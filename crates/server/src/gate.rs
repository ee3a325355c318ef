//! The server-side gate: an upload judged under its team's policy, the `trusca.toml` text the
//! team keeps on the server (or the built-in policy when it keeps none), with the core's own
//! evaluation ([`trusca_core::policy::evaluate`]), so that CLI and server decide alike and share
//! one exception model.
//!
//! A trusca result brings its packages, findings, files and problems; a CycloneDX SBOM only its
//! components (with license expressions) and findings, from which the core's values are built
//! here. License tiers are worked out again under the team's `[licenses]` settings, and the
//! findings include the server's own matches. Fail closed: when no one checked the components
//! for vulnerabilities (a result made without a database, an SBOM without a `vulnerabilities`
//! section, and no server database either) while the policy asks for that check, the decision
//! is `error`.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use serde::Serialize;
use trusca_core::config::{Config, ConfigError, Problem};
use trusca_core::coverage::ScannerKind;
use trusca_core::diag::{Code, Diagnostic, Severity};
use trusca_core::model::purl::Purl;
use trusca_core::model::{Ecosystem, LicenseInfo, Location, Package, Tier};
use trusca_core::policy::{Date, PolicyResult, Subject};
use trusca_core::vulns::Finding;

use crate::db::policy::Expired;
use crate::rows::{Component, FindingRow, Ingest, SourceKind};

/// The name policy texts go by in messages.
pub const FILE: &str = "trusca.toml";

/// Components of no known ecosystem are judged under this one, whose names compare exactly as
/// written (exceptions name them as the SBOM does).
const AS_WRITTEN: Ecosystem = Ecosystem::Go;

/// Where the policy of a decision came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicySource {
    /// The team's own, kept on the server.
    Team,
    /// The built-in policy (the team keeps none).
    Default,
}

/// The decision an upload's answer carries (`policy`): the core's verdict, whose policy it
/// was, and whether that policy lets an `error` pass (`fail_open`, for the CLI's exit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Whose policy.
    pub source: PolicySource,
    /// The policy's `fail_open`.
    pub fail_open: bool,
    /// The verdict itself.
    #[serde(flatten)]
    pub result: PolicyResult,
}

impl Verdict {
    /// The expired exceptions, as recorded.
    pub fn expired(&self) -> Vec<Expired> {
        self.result
            .expired
            .iter()
            .map(|e| Expired {
                id: e.id.clone(),
                package: e.package.clone(),
                expires: e.expires.to_string(),
                reason: e.reason.clone(),
            })
            .collect()
    }
}

/// A policy to judge uploads under.
#[derive(Debug, Clone)]
pub struct TeamPolicy {
    config: Config,
    source: PolicySource,
}

impl TeamPolicy {
    /// The built-in policy.
    pub fn builtin() -> TeamPolicy {
        TeamPolicy {
            config: Config {
                file: FILE.into(),
                ..Config::default()
            },
            source: PolicySource::Default,
        }
    }

    /// A team's stored text (validated when it was stored; a text this version no longer
    /// reads is an error, reported as the decision).
    pub fn stored(text: &str) -> Result<TeamPolicy, String> {
        validate(text)
            .map(|config| TeamPolicy {
                config,
                source: PolicySource::Team,
            })
            .map_err(|problems| {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("line {}: {}", p.line, p.message))
                    .collect();
                format!(
                    "the team's policy on the server cannot be read: {}",
                    list.join("; ")
                )
            })
    }
}

/// Reads a policy text as `trusca.toml` (every problem, each with its line).
pub fn validate(text: &str) -> Result<Config, Vec<Problem>> {
    Config::parse(text, FILE).map_err(|e| match e {
        ConfigError::Invalid { problems, .. } => problems,
        ConfigError::Read { message, .. } => vec![Problem {
            message,
            span: 0..0,
            line: 1,
            help: None,
        }],
    })
}

/// The decision for a policy that could not be read: `error`, with the reason.
pub fn unreadable(why: String) -> Verdict {
    let builtin = TeamPolicy::builtin();
    let policy = trusca_core::settings::policy_of(&builtin.config, None, Date::today());
    Verdict {
        source: PolicySource::Team,
        fail_open: false,
        result: PolicyResult {
            decision: trusca_core::policy::Decision::Error,
            error: Some(why),
            fail_on: policy.fail_on,
            violations: Vec::new(),
            waived: Vec::new(),
            expired: Vec::new(),
        },
    }
}

/// Judges an upload under `policy` on `today`. `server_matched`: the server matched the
/// components against its own vulnerability database.
pub fn judge(ingest: &Ingest, policy: &TeamPolicy, server_matched: bool, today: Date) -> Verdict {
    let config = &policy.config;
    let rules = trusca_core::settings::policy_of(config, None, today);
    let scanners = config.scan.scanners.as_deref();
    let checks = |kind| scanners.is_none_or(|list| list.contains(&kind));
    let mut tiers = checks(ScannerKind::License).then(|| Tiers::new(&rules.license_overrides));
    let packages: Vec<Package> = ingest
        .components
        .iter()
        .map(|c| package(c, ingest.kind, tiers.as_mut()))
        .collect();
    let by_purl: HashMap<&str, &Package> = packages.iter().map(|p| (p.purl.as_str(), p)).collect();
    let findings: Vec<Finding> = ingest
        .findings
        .iter()
        .map(|f| finding(f, by_purl.get(f.purl.as_str()).copied()))
        .collect();
    let diagnostics = diagnostics(ingest, server_matched, checks(ScannerKind::Vuln));
    let subject = Subject {
        files: &ingest.files,
        packages: &packages,
        findings: &findings,
        diagnostics: &diagnostics,
    };
    let evaluation = trusca_core::policy::evaluate(&subject, &rules);
    Verdict {
        source: policy.source,
        fail_open: config.fail_open,
        result: evaluation.result,
    }
}

/// The problems the upload reports, as far as they still hold: when the server matched the
/// components itself, the document's lack of a vulnerability database no longer counts; when no
/// one checked them and the policy wants vulnerabilities checked, that is an error.
fn diagnostics(ingest: &Ingest, server_matched: bool, vulns_required: bool) -> Vec<Diagnostic> {
    let about_db =
        |d: &Diagnostic| matches!(d.code, Code::VulnDbUnavailable | Code::VulnDbOutdated);
    let mut out: Vec<Diagnostic> = ingest
        .diagnostics
        .iter()
        .filter(|d| !(server_matched && about_db(d)))
        .cloned()
        .collect();
    let said = out
        .iter()
        .any(|d| d.code == Code::VulnDbUnavailable && d.severity == Severity::Error);
    if !server_matched && !ingest.vulns_checked && vulns_required && !said {
        out.push(Diagnostic::error(
            Code::VulnDbUnavailable,
            "the components were not checked for vulnerabilities: the document was made \
             without a vulnerability database and the server has none",
        ));
    }
    out
}

/// License tiers under a policy's overrides, each expression worked out once.
struct Tiers<'p> {
    overrides: &'p BTreeMap<String, Tier>,
    known: HashMap<String, Tier>,
}

impl<'p> Tiers<'p> {
    fn new(overrides: &'p BTreeMap<String, Tier>) -> Self {
        Tiers {
            overrides,
            known: HashMap::new(),
        }
    }

    fn of(&mut self, expression: &str) -> Tier {
        if let Some(t) = self.known.get(expression) {
            return *t;
        }
        let t = trusca_core::licenses::tier(expression, self.overrides);
        self.known.insert(expression.to_owned(), t);
        t
    }
}

/// The core package a component stands for. Its license is judged (when `tiers` is given, the
/// policy checks licenses) if the document says anything of it: an SBOM always does (no
/// license is an unknown one), a trusca result where its scan looked at licenses.
fn package(c: &Component, kind: SourceKind, tiers: Option<&mut Tiers<'_>>) -> Package {
    let parsed = (!c.purl.is_empty())
        .then(|| Purl::from_str(&c.purl).ok())
        .flatten();
    let ecosystem = parsed
        .as_ref()
        .and_then(Purl::ecosystem)
        .or_else(|| c.ecosystem.as_deref().and_then(|e| e.parse().ok()))
        .unwrap_or(AS_WRITTEN);
    let mut p = Package::new(
        ecosystem,
        &c.name,
        c.version.as_deref(),
        location(c.location.as_deref()),
    )
    .with_scope(c.scope);
    p.purl = c.purl.as_str().into();
    p.direct = c.direct;
    let looked = match kind {
        SourceKind::Cyclonedx => true,
        SourceKind::Trusca => c.license_tier.is_some(),
    };
    if let (Some(tiers), true) = (tiers, looked) {
        p.license = Some(
            LicenseInfo {
                concluded: c.license.clone(),
                tier: c.license.as_deref().map_or(Tier::Unknown, |l| tiers.of(l)),
                ..LicenseInfo::default()
            }
            .into(),
        );
    }
    p
}

/// `file:line` as stored → a location.
fn location(text: Option<&str>) -> Location {
    let text = text.unwrap_or_default();
    match text.rsplit_once(':') {
        Some((file, line)) if line.parse::<u32>().is_ok() => Location::new(file, line.parse().ok()),
        _ => Location::new(text, None),
    }
}

/// The core finding a row stands for; name, ecosystem and location are its component's.
fn finding(f: &FindingRow, component: Option<&Package>) -> Finding {
    let (ecosystem, name, location) = match component {
        Some(p) => (p.ecosystem, p.name.to_string(), p.location.clone()),
        None => {
            let parsed = Purl::from_str(&f.purl).ok();
            (
                parsed
                    .as_ref()
                    .and_then(Purl::ecosystem)
                    .unwrap_or(AS_WRITTEN),
                parsed.map_or_else(|| f.package.clone(), |p| p.native_name()),
                Location::new("", None),
            )
        }
    };
    Finding {
        id: f.advisory_id.clone(),
        category: f.category,
        aliases: f.aliases.clone(),
        purl: f.purl.clone(),
        package: name,
        version: f.version.clone(),
        location,
        summary: f.summary.clone(),
        severity: f.severity,
        score: f.score,
        vector: None,
        fixed_in: f.fixed_in.clone(),
        introduced_by: Vec::new(),
        references: Vec::new(),
        ecosystem,
        direct: component.and_then(|p| p.direct),
        vex: None,
    }
}

#[cfg(test)]
mod tests;

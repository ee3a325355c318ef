//! SARIF 2.1.0, for code-scanning UIs: one rule per advisory and per license violation, each
//! result placed on the lockfile line of the component so the UI annotates it there.
//!
//! Rule ids are the advisory id, or `license/<SPDX id>`. Vulnerability rules carry
//! `properties.security-severity` (the CVSS base score as a string), which code-scanning UIs use
//! to rank alerts. Every result has a `partialFingerprints` entry computed from the rule, the
//! package and the file (not the line), so an alert survives unrelated edits to the lockfile.
//! Violations waived by an exception are still reported, with a SARIF `suppressions` entry
//! carrying the exception's reason.
//!
//! File URIs are relative to the repository root (`%SRCROOT%`): a scan of `services/api` inside
//! a checkout names `services/api/Cargo.lock`, where a code-scanning UI finds it. What the scan
//! covered is in `run.properties.coverage`; each dependency file that could not be read and each
//! ecosystem that was not checked is a `toolExecutionNotification` of the run's invocation.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::model::Location;
use crate::model::Tier;
use crate::policy::{Violation, ViolationKind};
use crate::scan::Scan;
use crate::vulns::{Category, Finding, SeverityLevel};

/// The SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";

/// Where the SARIF 2.1.0 schema is published.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The project page named as the tool's `informationUri`: the package's `repository`
/// metadata, left out of the log while it is unset rather than replaced by a made-up address.
pub fn information_uri() -> Option<&'static str> {
    option_env!("CARGO_PKG_REPOSITORY").filter(|u| !u.is_empty())
}

/// The base id that relative artifact URIs resolve against: the repository root (the scan
/// root outside a git checkout).
pub const SRCROOT: &str = "%SRCROOT%";

/// Where an advisory without a link of its own is described.
const OSV_PAGE: &str = "https://osv.dev/vulnerability/";

/// The `partialFingerprints` key; bump the version if the fingerprint input ever changes.
const FINGERPRINT_KEY: &str = "trusca/v1";

/// Namespace for the fingerprint UUIDs (a fixed random UUID; never change it).
const FINGERPRINT_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6f1c_2a9e_58d4_4b7a_9c3e_0d2b_7e41_a5c8);

/// Writes the scan as a SARIF 2.1.0 log with one run.
pub fn write(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(scan))?;
    out.write_all(b"\n")
}

/// The SARIF log of a scan, as a JSON value.
pub fn to_value(scan: &Scan) -> serde_json::Value {
    serde_json::to_value(log(scan)).unwrap_or(serde_json::Value::Null)
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<&'static str, serde_json::Value>,
}

/// What `%SRCROOT%` stands for (no machine path: the log is the same on every machine).
#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct ResultProperties {
    purl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_in: Option<String>,
    /// `violation`, `waived`, `vex` (suppressed by a VEX statement), or `reported` (below the
    /// threshold, or policy not evaluated).
    policy: &'static str,
}

fn level(severity: SeverityLevel) -> &'static str {
    match severity {
        SeverityLevel::Critical | SeverityLevel::High => "error",
        SeverityLevel::Medium => "warning",
        SeverityLevel::Low | SeverityLevel::Unknown => "note",
    }
}

/// The level of a finding: a malicious package is an error whatever its severity, an
/// informational advisory a note.
fn finding_level(f: &Finding) -> &'static str {
    match f.category {
        Category::Malicious => "error",
        c if c.is_informational() => "note",
        _ => level(f.severity),
    }
}

/// How policy treated one (kind, id, purl, location).
enum Status {
    Violation,
    Waived(String),
    /// Suppressed by a VEX statement: the statement's file, status and justification.
    Vex(String),
    Reported,
}

/// A VEX suppression's justification as SARIF shows it: the file and statement, the status and
/// why.
fn vex_justification(v: &crate::vulns::vex::VexAnnotation) -> String {
    let mut text = format!("VEX {} ({} {})", v.status.as_str(), v.file, v.statement);
    if let Some(j) = &v.justification {
        text.push_str(&format!(": {j}"));
    }
    if let Some(d) = &v.detail {
        text.push_str(&format!(": {d}"));
    }
    text
}

struct PolicyIndex<'s> {
    violations: Vec<&'s Violation>,
    waived: Vec<(&'s Violation, &'s str)>,
}

impl<'s> PolicyIndex<'s> {
    fn new(scan: &'s Scan) -> Self {
        match &scan.policy {
            Some(p) => PolicyIndex {
                violations: p.violations.iter().collect(),
                waived: p
                    .waived
                    .iter()
                    .map(|w| (&w.violation, w.reason.as_str()))
                    .collect(),
            },
            None => PolicyIndex {
                violations: Vec::new(),
                waived: Vec::new(),
            },
        }
    }

    fn status(&self, kind: ViolationKind, id: &str, purl: &str, location: &Location) -> Status {
        let same = |v: &Violation| {
            v.kind == kind && v.id == id && v.purl == purl && &v.location == location
        };
        if self.violations.iter().any(|v| same(v)) {
            Status::Violation
        } else if let Some((_, reason)) = self.waived.iter().find(|(v, _)| same(v)) {
            Status::Waived((*reason).to_owned())
        } else {
            Status::Reported
        }
    }
}

/// One license problem to report: from the policy verdict when there is one, else every package
/// whose license is in the forbidden tier.
struct LicenseIssue {
    id: String,
    purl: String,
    location: Location,
    reason: String,
}

fn license_issues(scan: &Scan) -> Vec<LicenseIssue> {
    let from = |v: &Violation| LicenseIssue {
        id: v.id.clone(),
        purl: v.purl.clone(),
        location: v.location.clone(),
        reason: v.reason.clone(),
    };
    let mut out: Vec<LicenseIssue> = match &scan.policy {
        Some(p) => p
            .violations
            .iter()
            .chain(p.waived.iter().map(|w| &w.violation))
            .filter(|v| v.kind == ViolationKind::License)
            .map(from)
            .collect(),
        None => scan
            .packages
            .iter()
            .filter_map(|p| {
                let info = p.license.as_ref()?;
                (info.tier == Tier::Forbidden).then(|| {
                    let id = info
                        .concluded
                        .clone()
                        .or_else(|| info.declared.clone())
                        .unwrap_or_else(|| "NOASSERTION".into());
                    LicenseIssue {
                        reason: format!("license `{id}` is in the forbidden tier"),
                        id,
                        purl: p.purl.to_string(),
                        location: p.location.clone(),
                    }
                })
            })
            .collect(),
    };
    out.sort_by(|a, b| (&a.id, &a.location, &a.purl).cmp(&(&b.id, &b.location, &b.purl)));
    out
}

fn log(scan: &Scan) -> Log {
    let index = PolicyIndex::new(scan);
    let mut rules: BTreeMap<String, Rule> = BTreeMap::new();

    let mut by_advisory: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &scan.findings {
        by_advisory.entry(&f.id).or_default().push(f);
    }
    for (id, findings) in &by_advisory {
        rules.insert((*id).to_owned(), advisory_rule(id, findings));
    }
    let licenses = license_issues(scan);
    for l in &licenses {
        let rule_id = format!("license/{}", l.id);
        rules
            .entry(rule_id.clone())
            .or_insert_with(|| license_rule(&rule_id, &l.id));
    }
    let rule_index: BTreeMap<String, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, k)| (k.clone(), i))
        .collect();
    let index_of = |id: &str| rule_index.get(id).copied().unwrap_or(0);

    let root = Root::of(scan);
    let mut results = Vec::new();
    for f in &scan.findings {
        let kind = match f.category {
            Category::Malicious => ViolationKind::Malicious,
            _ => ViolationKind::Vulnerability,
        };
        let status = match &f.vex {
            Some(v) if v.suppresses() => Status::Vex(vex_justification(v)),
            _ => index.status(kind, &f.id, &f.purl, &f.location),
        };
        let mut text = match f.category {
            Category::Malicious => format!(
                "{}@{} is a MALICIOUS PACKAGE ({}",
                f.package, f.version, f.id
            ),
            c if c.is_informational() => format!(
                "{}@{} has an informational advisory, {} ({c}",
                f.package, f.version, f.id
            ),
            _ => format!(
                "{}@{} is affected by {} ({} severity",
                f.package,
                f.version,
                f.id,
                f.severity.as_str()
            ),
        };
        if let Some(score) = f.score {
            text.push_str(&format!(", CVSS {score:.1}"));
        }
        text.push(')');
        if let Some(summary) = &f.summary {
            text.push_str(&format!(": {summary}"));
        }
        match &f.fixed_in {
            Some(v) => text.push_str(&format!(". Upgrade to {v} or later.")),
            None => text.push_str(". No fixed version is known."),
        }
        if let Some(direct) = f.introduced_by.first() {
            text.push_str(&format!(" Introduced by {direct}."));
        }
        results.push(result(
            &root,
            &f.id,
            index_of(&f.id),
            finding_level(f),
            text,
            &f.purl,
            &f.location,
            status,
            Some(f.severity.as_str()),
            f.fixed_in.clone(),
        ));
    }
    for l in &licenses {
        let rule_id = format!("license/{}", l.id);
        let status = index.status(ViolationKind::License, &l.id, &l.purl, &l.location);
        results.push(result(
            &root,
            &rule_id,
            index_of(&rule_id),
            "error",
            format!("{}: {}", l.purl, l.reason),
            &l.purl,
            &l.location,
            status,
            None,
            None,
        ));
    }

    let mut properties = BTreeMap::new();
    if let Some(p) = &scan.policy {
        properties.insert(
            "decision",
            serde_json::to_value(p.decision).unwrap_or_default(),
        );
        properties.insert("fail-on", p.fail_on.as_str().into());
    }
    if let Some(c) = &scan.coverage {
        properties.insert("coverage", serde_json::to_value(c).unwrap_or_default());
    }
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT,
        BaseId {
            description: Text {
                text: "The root of the scanned repository (the scanned directory outside a git checkout)".into(),
            },
        },
    );

    Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: scan.tool.name.clone(),
                    version: scan.tool.version.clone(),
                    semantic_version: scan.tool.version.clone(),
                    information_uri: information_uri(),
                    rules: rules.into_values().collect(),
                },
            },
            original_uri_base_ids: base_ids,
            invocations: vec![Invocation {
                execution_successful: scan
                    .policy
                    .as_ref()
                    .is_none_or(|p| p.decision != crate::policy::Decision::Error),
                tool_execution_notifications: notifications(scan, &root),
            }],
            results,
            properties,
        }],
    }
}

/// Where the scan root lies inside the repository, to name files from the repository root.
struct Root(Option<String>);

impl Root {
    fn of(scan: &Scan) -> Root {
        Root(
            scan.target
                .subdirectory
                .as_deref()
                .map(|s| s.trim_matches('/').to_owned())
                .filter(|s| !s.is_empty()),
        )
    }

    /// The artifact of a file named relative to the scan root.
    fn artifact(&self, file: &str) -> ArtifactLocation {
        let relative = !(file.starts_with('/') || file.contains(":/") || file.contains(":\\"));
        match &self.0 {
            Some(dir) if relative => artifact(&format!("{dir}/{}", file.trim_start_matches("./"))),
            _ => artifact(file),
        }
    }
}

/// A notification per dependency file that could not be read and per ecosystem whose packages
/// were not checked, so a reader of the log sees what a pass does not cover.
fn notifications(scan: &Scan, root: &Root) -> Vec<Notification> {
    let Some(c) = &scan.coverage else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for file in &c.files.failed {
        let why = scan
            .diagnostics
            .iter()
            .find(|d| d.file.as_deref() == Some(file.as_str()))
            .map_or_else(|| "cannot be read".to_owned(), |d| d.message.clone());
        out.push(Notification {
            level: "error",
            message: Text {
                text: format!("{file} was not scanned: {why}"),
            },
            locations: vec![NotificationLocation {
                physical_location: PhysicalLocation {
                    artifact_location: root.artifact(file),
                    region: None,
                },
            }],
        });
    }
    for file in &c.files.partial {
        let why = scan
            .diagnostics
            .iter()
            .find(|d| {
                d.file.as_deref() == Some(file.as_str()) && crate::coverage::is_partial_read(d)
            })
            .map_or_else(String::new, |d| format!(": {}", d.message));
        out.push(Notification {
            level: "warning",
            message: Text {
                text: format!("{file} was read only in part{why}"),
            },
            locations: vec![NotificationLocation {
                physical_location: PhysicalLocation {
                    artifact_location: root.artifact(file),
                    region: None,
                },
            }],
        });
    }
    for e in &c.vulnerabilities.ecosystems {
        for (reason, n) in &e.not_checked {
            out.push(Notification {
                level: "warning",
                message: Text {
                    text: format!(
                        "{n} {} packages were not checked for vulnerabilities: {}",
                        e.ecosystem,
                        reason.describe()
                    ),
                },
                locations: Vec::new(),
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn result(
    root: &Root,
    rule_id: &str,
    rule_index: usize,
    level: &'static str,
    text: String,
    purl: &str,
    location: &Location,
    status: Status,
    severity: Option<&'static str>,
    fixed_in: Option<String>,
) -> SarifResult {
    let (policy, suppressions) = match status {
        Status::Violation => ("violation", Vec::new()),
        Status::Waived(reason) => (
            "waived",
            vec![Suppression {
                kind: "external",
                justification: reason,
            }],
        ),
        Status::Vex(justification) => (
            "vex",
            vec![Suppression {
                kind: "external",
                justification,
            }],
        ),
        Status::Reported => ("reported", Vec::new()),
    };
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        FINGERPRINT_KEY,
        fingerprint(&[rule_id, purl, &location.file]),
    );
    SarifResult {
        rule_id: rule_id.to_owned(),
        rule_index,
        level,
        message: Text { text },
        locations: vec![SarifLocation {
            physical_location: PhysicalLocation {
                artifact_location: root.artifact(&location.file),
                region: location
                    .line
                    .filter(|l| *l >= 1)
                    .map(|start_line| Region { start_line }),
            },
            logical_locations: vec![LogicalLocation {
                name: purl.to_owned(),
                fully_qualified_name: purl.to_owned(),
                kind: "package",
            }],
        }],
        partial_fingerprints: fingerprints,
        suppressions,
        properties: ResultProperties {
            purl: purl.to_owned(),
            severity,
            fixed_in,
            policy,
        },
    }
}

fn advisory_rule(id: &str, findings: &[&Finding]) -> Rule {
    let worst = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(SeverityLevel::Unknown);
    let score = findings
        .iter()
        .filter_map(|f| f.score)
        .filter(|s| s.is_finite())
        .fold(None, |acc: Option<f64>, s| {
            Some(acc.map_or(s, |a| a.max(s)))
        });
    let summary = findings
        .iter()
        .find_map(|f| f.summary.clone())
        .unwrap_or_else(|| format!("Vulnerability {id}"));
    let mut aliases: Vec<&str> = findings
        .iter()
        .flat_map(|f| f.aliases.iter().map(String::as_str))
        .collect();
    aliases.sort_unstable();
    aliases.dedup();
    let mut references: Vec<&str> = findings
        .iter()
        .flat_map(|f| f.references.iter().map(|r| r.url.as_str()))
        .collect();
    references.sort_unstable();
    references.dedup();

    let mut full = summary.clone();
    if !aliases.is_empty() {
        full.push_str(&format!(" (also known as {})", aliases.join(", ")));
    }

    let mut text = format!("{summary}\n\n");
    let mut markdown = format!("**{}**\n\n", md_escape(&summary));
    if !aliases.is_empty() {
        text.push_str(&format!("Aliases: {}\n\n", aliases.join(", ")));
        markdown.push_str(&format!("Aliases: {}\n\n", aliases.join(", ")));
    }
    markdown.push_str("| Package | Version | Fixed in |\n| --- | --- | --- |\n");
    let mut seen = Vec::new();
    for f in findings {
        let key = (&f.package, &f.version, &f.fixed_in);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let fix = f.fixed_in.as_deref().unwrap_or("no fix known");
        match &f.fixed_in {
            Some(v) => text.push_str(&format!("{}@{}: upgrade to {v}\n", f.package, f.version)),
            None => text.push_str(&format!(
                "{}@{}: no fixed version known\n",
                f.package, f.version
            )),
        }
        markdown.push_str(&format!(
            "| {} | {} | {} |\n",
            md_escape(&f.package),
            md_escape(&f.version),
            md_escape(fix)
        ));
    }
    if !references.is_empty() {
        text.push_str("\nReferences:\n");
        markdown.push_str("\nReferences:\n\n");
        for r in &references {
            text.push_str(&format!("- {r}\n"));
            markdown.push_str(&format!("- <{r}>\n"));
        }
    }

    let category = findings
        .iter()
        .map(|f| f.category)
        .min()
        .unwrap_or_default();
    let mut tags = vec!["security".to_owned(), category.as_str().to_owned()];
    tags.push(format!("severity/{}", worst.as_str()));
    Rule {
        id: id.to_owned(),
        name: match category {
            Category::Malicious => "MaliciousDependency",
            c if c.is_informational() => "InformationalAdvisory",
            _ => "VulnerableDependency",
        }
        .into(),
        short_description: Text {
            text: format!("{id}: {}", one_line(&summary)),
        },
        full_description: Text { text: full },
        help_uri: Some(help_uri(id, findings)),
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(worst),
        },
        properties: RuleProperties {
            security_severity: score.map(|s| format!("{:.1}", s.clamp(0.0, 10.0))),
            tags,
        },
    }
}

/// The advisory's own page: a reference of kind `advisory` (the database's page), else the OSV
/// page of the id.
fn help_uri(id: &str, findings: &[&Finding]) -> String {
    findings
        .iter()
        .flat_map(|f| f.references.iter())
        .find(|r| {
            r.kind == "advisory" && (r.url.starts_with("https://") || r.url.starts_with("http://"))
        })
        .map_or_else(|| format!("{OSV_PAGE}{id}"), |r| r.url.clone())
}

fn license_rule(rule_id: &str, license: &str) -> Rule {
    let text = format!(
        "License `{license}` is not allowed by policy. Replace the package, obtain it under another \
         license, or record an exception with a reason in `trusca.toml`."
    );
    Rule {
        id: rule_id.to_owned(),
        name: "ForbiddenLicense".into(),
        short_description: Text {
            text: format!("Forbidden license {license}"),
        },
        full_description: Text {
            text: format!("A dependency is licensed under `{license}`, which policy forbids."),
        },
        help_uri: None,
        help: Help {
            markdown: text.clone(),
            text,
        },
        default_configuration: Configuration { level: "error" },
        properties: RuleProperties {
            security_severity: None,
            tags: vec!["license".into()],
        },
    }
}

/// A stable fingerprint: a name-based (v5) UUID of the parts, so it is the same on every run
/// and every platform.
fn fingerprint(parts: &[&str]) -> String {
    uuid::Uuid::new_v5(&FINGERPRINT_NAMESPACE, parts.join("\u{0}").as_bytes())
        .simple()
        .to_string()
}

/// The artifact location of a file: relative to the scan root, or a `file:` URI when absolute.
fn artifact(file: &str) -> ArtifactLocation {
    let file = file.replace('\\', "/");
    let b = file.as_bytes();
    let is_windows_abs = b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.get(1) == Some(&b':')
        && b.get(2) == Some(&b'/');
    if file.starts_with('/') || is_windows_abs {
        let path = if is_windows_abs {
            format!("/{file}")
        } else {
            file
        };
        ArtifactLocation {
            uri: format!("file://{}", encode_path(&path, true)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(file.trim_start_matches("./"), false),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encodes a path for a URI, keeping `/` and the unreserved characters (and `:` in an
/// absolute path, for a drive letter; in a relative one it would read as a scheme).
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            b':' if keep_colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn md_escape(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests;

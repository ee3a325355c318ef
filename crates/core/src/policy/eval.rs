//! Policy evaluation: turns licenses and findings into violations, applies the exceptions of
//! `trusca.toml`, and decides `pass`, `fail` or `error`.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Severity};
use crate::inventory::ScannedFile;
use crate::model::{Ecosystem, LicenseInfo, Package, Scope, Tier};
use crate::vulns::Finding;

use super::rules::{Date, Exception, FailOn, UnknownLicense, UnknownSeverity};
use super::{Decision, ExpiredException, PolicyResult, Violation, ViolationKind, Waiver};
use crate::vulns::{Category, SeverityLevel};

/// The rules evaluation applies, merged from `trusca.toml` and the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The configuration file the rules come from, as named in messages (`trusca.toml`).
    pub file: String,
    /// The vulnerability threshold.
    pub fail_on: FailOn,
    /// Per-license tier overrides (`[licenses.tiers]`, `allow`, `deny`), consulted before the
    /// built-in table.
    pub license_overrides: BTreeMap<String, Tier>,
    /// License ids denied by name (`[licenses] deny`), so a violation can say so.
    pub denied_licenses: Vec<String>,
    /// `[[exceptions]]`, in file order.
    pub exceptions: Vec<Exception>,
    /// What a finding of unknown severity does (`[vulns] unknown_severity`).
    pub unknown_severity: UnknownSeverity,
    /// Informational advisory kinds that fail the scan (`[vulns] fail_on_informational`).
    pub fail_on_informational: Vec<Category>,
    /// What a package without a known license does (`[licenses] unknown`).
    pub unknown_license: UnknownLicense,
    /// Whether packages used only for development are held to the license policy
    /// (`[licenses] include_dev`; off by default, as Trivy does).
    pub include_dev: bool,
    /// Whether a dependency file that could not be read makes the decision `error`
    /// (`--strict`, `strict`).
    pub strict: bool,
    /// The date exceptions expire against; [`Date::today`] outside tests.
    pub today: Date,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            file: "trusca.toml".into(),
            fail_on: FailOn::DEFAULT,
            license_overrides: BTreeMap::new(),
            denied_licenses: Vec::new(),
            exceptions: Vec::new(),
            unknown_severity: UnknownSeverity::default(),
            fail_on_informational: Vec::new(),
            unknown_license: UnknownLicense::default(),
            include_dev: false,
            strict: false,
            today: Date::today(),
        }
    }
}

/// What evaluation decided, and what it has to say about the rules themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The verdict.
    pub result: PolicyResult,
    /// A warning for each expired exception and a note for each exception that matched nothing.
    pub diagnostics: Vec<Diagnostic>,
}

/// What policy judges: the parts of a scan, as the stages before it returned them.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The dependency files read.
    pub files: &'a [ScannedFile],
    /// Every package occurrence, with its license.
    pub packages: &'a [Package],
    /// The findings.
    pub findings: &'a [Finding],
    /// Every problem the stages met.
    pub diagnostics: &'a [Diagnostic],
}

/// Evaluates the policy. When the scan itself failed ([`failure`]: nothing could be read, the
/// target or a required database is unusable) the decision is `error`, whatever the violations.
pub fn evaluate(subject: &Subject<'_>, policy: &Policy) -> Evaluation {
    let mut candidates = Vec::new();
    for p in subject.packages {
        if let Some(v) = license_violation(p, policy) {
            candidates.push(Candidate {
                violation: v,
                aliases: &[],
                ecosystem: p.ecosystem,
                name: &p.name,
                version: p.version.as_deref(),
            });
        }
    }
    // A finding a VEX statement declares not affected or fixed never reaches the gate.
    for f in subject
        .findings
        .iter()
        .filter(|f| !f.vex.as_ref().is_some_and(|v| v.suppresses()))
    {
        if let Some(violation) = finding_violation(f, policy) {
            candidates.push(Candidate {
                violation,
                aliases: &f.aliases,
                ecosystem: f.ecosystem,
                name: &f.package,
                version: Some(&f.version),
            });
        }
    }

    let (live, expired): (Vec<&Exception>, Vec<&Exception>) = policy
        .exceptions
        .iter()
        .partition(|e| e.expires.is_none_or(|d| d >= policy.today));
    let mut used = vec![false; live.len()];
    let mut violations = Vec::new();
    let mut waived = Vec::new();
    for c in candidates {
        match live.iter().position(|e| c.is_covered_by(e)) {
            Some(i) => {
                if let (Some(flag), Some(e)) = (used.get_mut(i), live.get(i)) {
                    *flag = true;
                    waived.push(Waiver {
                        violation: c.violation,
                        reason: e.reason.clone(),
                        expires: e.expires,
                    });
                }
            }
            None => violations.push(c.violation),
        }
    }
    violations.sort();
    violations.dedup();
    waived.sort();
    waived.dedup();

    let mut diagnostics = Vec::new();
    let mut expired_list = Vec::new();
    for e in expired {
        let Some(date) = e.expires else { continue };
        diagnostics.push(
            Diagnostic::warning(
                Code::ExceptionExpired,
                format!(
                    "the exception for `{}` in `{}` expired on {date} and no longer applies",
                    e.id, e.package
                ),
            )
            .in_file(&policy.file, Some(e.line))
            .with_help("renew it with a later `expires`, or remove it"),
        );
        expired_list.push(ExpiredException {
            id: e.id.clone(),
            package: e.package.to_string(),
            reason: e.reason.clone(),
            expires: date,
            line: e.line,
        });
    }
    for (e, used) in live.iter().zip(&used) {
        if !used {
            diagnostics.push(
                Diagnostic::note(
                    Code::ExceptionUnused,
                    format!(
                        "the exception for `{}` in `{}` matched nothing in this scan",
                        e.id, e.package
                    ),
                )
                .in_file(&policy.file, Some(e.line))
                .with_help("remove it if it is no longer needed"),
            );
        }
    }

    let failure = failure(subject, policy.strict);
    let decision = if failure.is_some() {
        Decision::Error
    } else if violations.is_empty() {
        Decision::Pass
    } else {
        Decision::Fail
    };
    Evaluation {
        result: PolicyResult {
            decision,
            error: failure,
            fail_on: policy.fail_on,
            violations,
            waived,
            expired: expired_list,
        },
        diagnostics,
    }
}

/// Why the scan itself failed, if it did: dependency files were found but none could be read
/// (under `strict`, any could not), or a stage reported an error that makes the whole result
/// unusable (the target, or a required vulnerability database that is missing or too old).
pub fn failure(subject: &Subject<'_>, strict: bool) -> Option<String> {
    let unreadable = |path: &str| {
        subject
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.file.as_deref() == Some(path))
    };
    if !subject.files.is_empty() && subject.files.iter().all(|f| unreadable(&f.path)) {
        return Some("no dependency file could be read".into());
    }
    if strict {
        if let Some(f) = subject.files.iter().find(|f| unreadable(&f.path)) {
            return Some(format!(
                "`{}` could not be read, and `--strict` requires every dependency file",
                f.path
            ));
        }
        let partly = subject.diagnostics.iter().find(|d| {
            crate::coverage::is_partial_read(d)
                && subject
                    .files
                    .iter()
                    .any(|f| d.file.as_deref() == Some(f.path.as_str()))
        });
        if let Some(d) = partly {
            return Some(format!(
                "`{}` was read only in part ({}), and `--strict` requires every dependency file whole",
                d.file.as_deref().unwrap_or_default(),
                d.message
            ));
        }
    }
    subject
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && is_fatal(d.code))
        .map(|d| d.message.clone())
}

/// Diagnostic codes whose errors make the whole scan unusable (not only one file).
fn is_fatal(code: Code) -> bool {
    // An outdated database is only an error-severity diagnostic under `--max-db-age`, a missing
    // one only while the vulnerability scanner is on.
    matches!(
        code,
        Code::TargetUnusable | Code::VulnDbOutdated | Code::VulnDbUnavailable
    )
}

/// A violation before exceptions, with what exceptions match on.
struct Candidate<'s> {
    violation: Violation,
    aliases: &'s [String],
    ecosystem: Ecosystem,
    name: &'s str,
    version: Option<&'s str>,
}

impl Candidate<'_> {
    fn is_covered_by(&self, e: &Exception) -> bool {
        let v = &self.violation;
        if !e
            .package
            .matches(self.ecosystem, self.name, self.version, &v.purl)
        {
            return false;
        }
        match v.kind {
            ViolationKind::Vulnerability | ViolationKind::Malicious => {
                v.id.eq_ignore_ascii_case(&e.id)
                    || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(&e.id))
            }
            ViolationKind::License => {
                v.id.eq_ignore_ascii_case(&e.id)
                    || license_ids(&v.id).any(|id| id.eq_ignore_ascii_case(&e.id))
            }
        }
    }
}

/// The license ids in an SPDX expression (operators and parentheses left out).
fn license_ids(expr: &str) -> impl Iterator<Item = &str> {
    expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH" | "and" | "or" | "with"))
}

/// The policy tier of a package's license. License identification already evaluated the whole
/// expression with the configuration's overrides (`licenses::identify`); an override naming the
/// concluded license itself (in any case, as people write ids in `trusca.toml`) is applied again
/// here so that a result evaluated without them still honours the deny and allow lists.
fn package_tier(info: &LicenseInfo, overrides: &BTreeMap<String, Tier>) -> Tier {
    info.concluded
        .as_deref()
        .map(str::trim)
        .and_then(|expr| {
            overrides
                .iter()
                .find(|(id, _)| id.eq_ignore_ascii_case(expr))
                .map(|(_, t)| *t)
        })
        .unwrap_or(info.tier)
}

fn license_violation(p: &Package, policy: &Policy) -> Option<Violation> {
    let info = p.license.as_ref()?;
    if p.scope == Scope::Dev && !policy.include_dev {
        return None;
    }
    // The project's own license is its authors' choice, not a dependency's.
    if p.is_project() {
        return None;
    }
    if info.concluded.is_none() {
        return (policy.unknown_license == UnknownLicense::Fail).then(|| Violation {
            kind: ViolationKind::License,
            id: "NOASSERTION".into(),
            purl: p.purl.to_string(),
            location: p.location.clone(),
            reason: format!(
                "no license is known, and `[licenses] unknown = \"fail\"` in `{}`",
                policy.file
            ),
        });
    }
    if package_tier(info, &policy.license_overrides) != Tier::Forbidden {
        return None;
    }
    let id = info
        .concluded
        .clone()
        .or_else(|| info.declared.clone())
        .unwrap_or_else(|| "NOASSERTION".into());
    let denied = policy
        .denied_licenses
        .iter()
        .any(|d| d.eq_ignore_ascii_case(id.trim()));
    let reason = if denied {
        format!("license `{id}` is denied in `{}`", policy.file)
    } else {
        format!("license `{id}` is in the forbidden tier")
    };
    Some(Violation {
        kind: ViolationKind::License,
        id,
        purl: p.purl.to_string(),
        location: p.location.clone(),
        reason,
    })
}

/// The violation a finding makes, if it makes one: a malicious package always; an informational
/// advisory when policy names its kind; a vulnerability at or above the threshold, or of unknown
/// severity unless `[vulns] unknown_severity` says otherwise.
fn finding_violation(f: &Finding, policy: &Policy) -> Option<Violation> {
    let fail_on = policy.fail_on;
    let fix = match &f.fixed_in {
        Some(v) => format!("; fixed in {v}"),
        None => "; no fixed version known".into(),
    };
    let (kind, reason) = match f.category {
        Category::Malicious => (
            ViolationKind::Malicious,
            "malicious package: remove it, whatever the threshold".to_owned(),
        ),
        c if c.is_informational() => {
            if !policy.fail_on_informational.contains(&c) {
                return None;
            }
            (
                ViolationKind::Vulnerability,
                format!("{c} advisory, named in `[vulns] fail_on_informational`{fix}"),
            )
        }
        _ if f.severity == SeverityLevel::Unknown => {
            if !policy.unknown_severity.fails_at(fail_on) {
                return None;
            }
            let why = match policy.unknown_severity {
                UnknownSeverity::Fail => "no severity is known, so it fails at every threshold but `none`".to_owned(),
                other => format!(
                    "unknown severity, counted as `{}` by `[vulns] unknown_severity`, at or above the `{fail_on}` threshold",
                    other.as_str()
                ),
            };
            (ViolationKind::Vulnerability, format!("{why}{fix}"))
        }
        _ => {
            if !fail_on.is_met_by(f.severity) {
                return None;
            }
            (
                ViolationKind::Vulnerability,
                format!(
                    "{} severity vulnerability, at or above the `{fail_on}` threshold{fix}",
                    f.severity.as_str()
                ),
            )
        }
    };
    Some(Violation {
        kind,
        id: f.id.clone(),
        purl: f.purl.clone(),
        location: f.location.clone(),
        reason,
    })
}

#[cfg(test)]
mod tests;

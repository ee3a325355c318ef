//! Policy evaluation: turns a scan's licenses and findings into violations, applies the
//! exceptions of `trusca.toml`, and decides `pass`, `fail` or `error`.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Severity};
use crate::licenses::{LicenseInfo, Tier};
use crate::model::Package;
use crate::scan::Scan;
use crate::vulns::Finding;

use super::config::{Config, Date, Exception, FailOn};
use super::{Decision, ExpiredException, PolicyResult, Violation, ViolationKind, Waiver};

/// Everything evaluation needs besides the scan.
#[derive(Debug, Clone)]
pub struct Policy<'a> {
    /// The project's configuration (the default one when there is no `trusca.toml`).
    pub config: &'a Config,
    /// The vulnerability threshold: `--fail-on`, else `fail_on`, else [`FailOn::DEFAULT`].
    pub fail_on: FailOn,
    /// The date exceptions expire against; [`Date::today`] outside tests.
    pub today: Date,
}

impl<'a> Policy<'a> {
    /// The policy of a configuration, with the command line's threshold (if any) winning.
    pub fn new(config: &'a Config, fail_on: Option<FailOn>, today: Date) -> Self {
        Policy {
            config,
            fail_on: fail_on.or(config.fail_on).unwrap_or(FailOn::DEFAULT),
            today,
        }
    }
}

/// Evaluates the policy on a scan: sets [`Scan::policy`] and adds a diagnostic for each expired
/// exception (warning) and each exception that matched nothing (note).
pub fn evaluate(scan: &mut Scan, policy: &Policy<'_>) {
    let config = policy.config;
    let overrides = config.licenses.overrides();

    let mut candidates = Vec::new();
    for p in &scan.packages {
        if let Some(v) = license_violation(p, &overrides, config) {
            candidates.push(Candidate {
                violation: v,
                aliases: &[],
                name: &p.name,
                version: p.version.as_deref(),
            });
        }
    }
    for f in &scan.findings {
        if policy.fail_on.is_met_by(f.severity) {
            candidates.push(Candidate {
                violation: vulnerability_violation(f, policy.fail_on),
                aliases: &f.aliases,
                name: &f.package,
                version: Some(&f.version),
            });
        }
    }

    let (live, expired): (Vec<&Exception>, Vec<&Exception>) = config
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
            .in_file(&config.file, Some(e.line))
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
                .in_file(&config.file, Some(e.line))
                .with_help("remove it if it is no longer needed"),
            );
        }
    }

    let error = scan_failure(scan);
    let decision = if error.is_some() {
        Decision::Error
    } else if violations.is_empty() {
        Decision::Pass
    } else {
        Decision::Fail
    };
    scan.diagnostics.extend(diagnostics);
    scan.diagnostics.sort();
    scan.policy = Some(PolicyResult {
        decision,
        error,
        fail_on: policy.fail_on,
        violations,
        waived,
        expired: expired_list,
    });
}

/// Why the scan itself failed, if it did: nothing could be scanned, or a stage reported an error
/// that makes the result unusable (the target, or a required vulnerability database).
fn scan_failure(scan: &Scan) -> Option<String> {
    if scan.nothing_scanned() {
        return Some("no dependency file could be read".into());
    }
    scan.diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && is_fatal(d.code))
        .map(|d| d.message.clone())
}

/// Diagnostic codes whose errors make the whole scan unusable (not only one file).
fn is_fatal(code: Code) -> bool {
    // An outdated database is only an error-severity diagnostic under `--max-db-age`.
    matches!(code, Code::TargetUnusable | Code::VulnDbOutdated)
}

/// A violation before exceptions, with what exceptions match on.
struct Candidate<'s> {
    violation: Violation,
    aliases: &'s [String],
    name: &'s str,
    version: Option<&'s str>,
}

impl Candidate<'_> {
    fn is_covered_by(&self, e: &Exception) -> bool {
        let v = &self.violation;
        if !e.package.matches(self.name, self.version, &v.purl) {
            return false;
        }
        match v.kind {
            ViolationKind::Vulnerability => {
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
/// expression with the configuration's overrides (`licenses::apply`); an override naming the
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

fn license_violation(
    p: &Package,
    overrides: &BTreeMap<String, Tier>,
    config: &Config,
) -> Option<Violation> {
    let info = p.license.as_ref()?;
    if package_tier(info, overrides) != Tier::Forbidden {
        return None;
    }
    let id = info
        .concluded
        .clone()
        .or_else(|| info.declared.clone())
        .unwrap_or_else(|| "NOASSERTION".into());
    let denied = config
        .licenses
        .deny
        .iter()
        .any(|d| d.eq_ignore_ascii_case(id.trim()));
    let reason = if denied {
        format!("license `{id}` is denied in `{}`", config.file)
    } else {
        format!("license `{id}` is in the forbidden tier")
    };
    Some(Violation {
        kind: ViolationKind::License,
        id,
        purl: p.purl.clone(),
        location: p.location.clone(),
        reason,
    })
}

fn vulnerability_violation(f: &Finding, fail_on: FailOn) -> Violation {
    let severity = super::severity_name(f.severity);
    let fix = match &f.fixed_in {
        Some(v) => format!("; fixed in {v}"),
        None => "; no fixed version known".into(),
    };
    Violation {
        kind: ViolationKind::Vulnerability,
        id: f.id.clone(),
        purl: f.purl.clone(),
        location: f.location.clone(),
        reason: format!(
            "{severity} severity vulnerability, at or above the `{fail_on}` threshold{fix}"
        ),
    }
}

#[cfg(test)]
mod tests;

//! A Markdown summary for pull-request comments: the verdict, counts by severity and by license
//! tier, the violations (the first few, then a count), and every finding in a collapsed block.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::model::Tier;
use crate::policy::{Decision, ViolationKind};
use crate::scan::Scan;
use crate::vulns::SeverityLevel;

/// How many violations the table lists before it says "and N more".
pub const DEFAULT_MAX_ROWS: usize = 20;

/// Options for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// How many violations to list one by one.
    pub max_rows: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            max_rows: DEFAULT_MAX_ROWS,
        }
    }
}

/// Writes the summary with the default options.
pub fn write(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    write_with(scan, MarkdownOptions::default(), out)
}

/// Writes the summary.
pub fn write_with(scan: &Scan, options: MarkdownOptions, out: &mut dyn Write) -> io::Result<()> {
    let files = scan.files.iter().filter(|f| !f.superseded).count();
    writeln!(out, "## trusca: {}", verdict(scan))?;
    writeln!(out)?;
    writeln!(
        out,
        "{} packages from {files} dependency files in `{}`.",
        scan.packages.len(),
        escape(&scan.target.name)
    )?;
    if let Some(p) = &scan.policy {
        let licenses = count_kind(&p.violations, ViolationKind::License);
        let vulns = count_kind(&p.violations, ViolationKind::Vulnerability);
        if licenses + vulns == 0 {
            write!(
                out,
                "No violations (vulnerability threshold `{}`)",
                p.fail_on
            )?;
        } else {
            write!(
                out,
                "Violations: {licenses} license, {vulns} vulnerability at or above `{}`",
                p.fail_on
            )?;
        }
        if !p.waived.is_empty() {
            write!(out, "; {} waived by exceptions", p.waived.len())?;
        }
        writeln!(out, ".")?;
        if let Some(e) = &p.error {
            writeln!(out)?;
            writeln!(out, "**Error:** {}", escape(e))?;
        }
    }
    writeln!(out)?;

    let mut by_severity: BTreeMap<SeverityLevel, usize> = BTreeMap::new();
    for f in &scan.findings {
        *by_severity.entry(f.severity).or_default() += 1;
    }
    writeln!(out, "| Severity | Findings |")?;
    writeln!(out, "| --- | ---: |")?;
    for level in [
        SeverityLevel::Critical,
        SeverityLevel::High,
        SeverityLevel::Medium,
        SeverityLevel::Low,
        SeverityLevel::Unknown,
    ] {
        let n = by_severity.get(&level).copied().unwrap_or(0);
        writeln!(out, "| {} | {n} |", level.as_str())?;
    }
    writeln!(out)?;

    let mut by_tier: BTreeMap<Tier, usize> = BTreeMap::new();
    let mut no_license = 0;
    for p in &scan.packages {
        match &p.license {
            Some(l) => *by_tier.entry(l.tier).or_default() += 1,
            None => no_license += 1,
        }
    }
    writeln!(out, "| License tier | Packages |")?;
    writeln!(out, "| --- | ---: |")?;
    for tier in [
        Tier::Forbidden,
        Tier::Conditional,
        Tier::Unknown,
        Tier::Permissive,
    ] {
        let n = by_tier.get(&tier).copied().unwrap_or(0);
        writeln!(out, "| {} | {n} |", tier.as_str())?;
    }
    if no_license > 0 {
        writeln!(out, "| not identified | {no_license} |")?;
    }
    writeln!(out)?;

    if let Some(p) = &scan.policy {
        if !p.violations.is_empty() {
            writeln!(out, "### Violations")?;
            writeln!(out)?;
            writeln!(out, "| Kind | Id | Package | Location | Why |")?;
            writeln!(out, "| --- | --- | --- | --- | --- |")?;
            for v in p.violations.iter().take(options.max_rows) {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    match v.kind {
                        ViolationKind::License => "license",
                        ViolationKind::Vulnerability => "vulnerability",
                    },
                    escape(&v.id),
                    escape(&package_label(scan, &v.purl)),
                    escape(&v.location.to_string()),
                    escape(&v.reason)
                )?;
            }
            if p.violations.len() > options.max_rows {
                writeln!(out)?;
                writeln!(out, "…and {} more.", p.violations.len() - options.max_rows)?;
            }
            writeln!(out)?;
        }
        if !p.waived.is_empty() {
            writeln!(out, "### Waived by exceptions")?;
            writeln!(out)?;
            writeln!(out, "| Id | Package | Reason | Expires |")?;
            writeln!(out, "| --- | --- | --- | --- |")?;
            for w in &p.waived {
                writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    escape(&w.violation.id),
                    escape(&package_label(scan, &w.violation.purl)),
                    escape(&w.reason),
                    w.expires
                        .map_or_else(|| "never".to_owned(), |d| d.to_string())
                )?;
            }
            writeln!(out)?;
        }
        if !p.expired.is_empty() {
            writeln!(out, "### Expired exceptions")?;
            writeln!(out)?;
            for e in &p.expired {
                writeln!(
                    out,
                    "- {} for {}: expired on {}, no longer applies (line {})",
                    escape(&e.id),
                    escape(&e.package),
                    e.expires,
                    e.line
                )?;
            }
            writeln!(out)?;
        }
    }

    if !scan.findings.is_empty() {
        writeln!(
            out,
            "<details><summary>All findings ({})</summary>",
            scan.findings.len()
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| Severity | Id | Package | Version | Fixed in | Location |"
        )?;
        writeln!(out, "| --- | --- | --- | --- | --- | --- |")?;
        for f in &scan.findings {
            let severity = match f.score {
                Some(s) => format!("{} ({s:.1})", f.severity.as_str()),
                None => f.severity.as_str().to_owned(),
            };
            writeln!(
                out,
                "| {severity} | {} | {} | {} | {} | {} |",
                escape(&f.id),
                escape(&f.package),
                escape(&f.version),
                escape(f.fixed_in.as_deref().unwrap_or("none")),
                escape(&f.location.to_string())
            )?;
        }
        writeln!(out)?;
        writeln!(out, "</details>")?;
    }
    Ok(())
}

fn verdict(scan: &Scan) -> &'static str {
    match scan.policy.as_ref().map(|p| p.decision) {
        Some(Decision::Pass) => "✅ pass",
        Some(Decision::Fail) => "❌ fail",
        Some(Decision::Error) => "⚠️ error",
        None => "policy not evaluated",
    }
}

fn count_kind(violations: &[crate::policy::Violation], kind: ViolationKind) -> usize {
    violations.iter().filter(|v| v.kind == kind).count()
}

/// `name@version` of the package with this purl, else the purl.
fn package_label(scan: &Scan, purl: &str) -> String {
    scan.packages
        .iter()
        .find(|p| p.purl == purl)
        .map_or_else(|| purl.to_owned(), |p| p.display_name())
}

/// Text safe inside a table cell: one line, Markdown and HTML specials escaped.
fn escape(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;

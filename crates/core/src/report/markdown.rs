//! A Markdown summary for pull-request comments: the verdict, what the scan covered (and what
//! it did not), counts by severity and by license tier, the violations (the first few, then a
//! count), and the findings in a collapsed block, most severe first.
//!
//! A comment has a size limit (GitHub takes 65,536 characters), so the summary stops at
//! [`MAX_CHARS`] with a line that says how many findings were left out; the verdict, the
//! coverage and the violations come first, so what is cut is the least important.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::text::one_line;
use crate::coverage::Coverage;
use crate::model::Tier;
use crate::policy::{Decision, ViolationKind};
use crate::scan::Scan;
use crate::vulns::{Category, SeverityLevel};

/// How many violations the table lists before it says "and N more".
pub const DEFAULT_MAX_ROWS: usize = 20;

/// The largest summary written, in characters (below GitHub's 65,536 for a comment).
pub const MAX_CHARS: usize = 60_000;

/// Options for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// How many violations to list one by one.
    pub max_rows: usize,
    /// The most characters to write.
    pub max_chars: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            max_rows: DEFAULT_MAX_ROWS,
            max_chars: MAX_CHARS,
        }
    }
}

/// Writes the summary with the default options.
pub fn write(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    write_with(scan, MarkdownOptions::default(), out)
}

/// Writes the summary.
pub fn write_with(scan: &Scan, options: MarkdownOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut doc = String::new();
    head(scan, &mut doc);
    if let Some(c) = &scan.coverage {
        coverage(c, &mut doc);
    }
    counts(scan, &mut doc);
    if !scan.remediation.is_empty() {
        doc.push_str("### What to bump\n\n");
        for r in scan.remediation.iter().take(options.max_rows) {
            doc.push_str(&format!(
                "- {}\n",
                escape(&super::table::remediation_line(r))
            ));
        }
        doc.push('\n');
    }
    if let Some(p) = &scan.policy {
        if !p.violations.is_empty() {
            doc.push_str("### Violations\n\n| Kind | Id | Package | Location | Why |\n| --- | --- | --- | --- | --- |\n");
            for v in p.violations.iter().take(options.max_rows) {
                doc.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    v.kind.as_str(),
                    escape(&v.id),
                    escape(&package_label(scan, &v.purl)),
                    escape(&v.location.to_string()),
                    escape(&v.reason)
                ));
            }
            if p.violations.len() > options.max_rows {
                doc.push_str(&format!(
                    "\n…and {} more.\n",
                    p.violations.len() - options.max_rows
                ));
            }
            doc.push('\n');
        }
        if !p.waived.is_empty() {
            doc.push_str("### Waived by exceptions\n\n| Id | Package | Reason | Expires |\n| --- | --- | --- | --- |\n");
            for w in &p.waived {
                doc.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    escape(&w.violation.id),
                    escape(&package_label(scan, &w.violation.purl)),
                    escape(&w.reason),
                    w.expires
                        .map_or_else(|| "never".to_owned(), |d| d.to_string())
                ));
            }
            doc.push('\n');
        }
        if !p.expired.is_empty() {
            doc.push_str("### Expired exceptions\n\n");
            for e in &p.expired {
                doc.push_str(&format!(
                    "- {} for {}: expired on {}, no longer applies (line {})\n",
                    escape(&e.id),
                    escape(&e.package),
                    e.expires,
                    e.line
                ));
            }
            doc.push('\n');
        }
    }
    findings(scan, options.max_chars, &mut doc);
    out.write_all(cut(&doc, options.max_chars).as_bytes())
}

/// The verdict and one line of counts.
fn head(scan: &Scan, doc: &mut String) {
    let files = scan.files.iter().filter(|f| !f.superseded).count();
    doc.push_str(&format!("## trusca: {}\n\n", verdict(scan)));
    doc.push_str(&format!(
        "{} packages from {files} dependency files in `{}`.\n",
        scan.packages.len(),
        escape(&scan.target.name)
    ));
    if let Some(p) = &scan.policy {
        let malicious = count_kind(&p.violations, ViolationKind::Malicious);
        let licenses = count_kind(&p.violations, ViolationKind::License);
        let vulns = count_kind(&p.violations, ViolationKind::Vulnerability);
        if p.violations.is_empty() {
            doc.push_str(&format!(
                "No violations (vulnerability threshold `{}`)",
                p.fail_on
            ));
        } else {
            doc.push_str("Violations: ");
            if malicious > 0 {
                doc.push_str(&format!("**{malicious} malicious packages**, "));
            }
            doc.push_str(&format!(
                "{licenses} license, {vulns} vulnerability at or above `{}`",
                p.fail_on
            ));
        }
        if !p.waived.is_empty() {
            doc.push_str(&format!("; {} waived by exceptions", p.waived.len()));
        }
        doc.push_str(".\n");
        if let Some(e) = &p.error {
            doc.push_str(&format!("\n**Error:** {}\n", escape(e)));
        }
    }
    doc.push('\n');
}

/// What was checked and what was not.
fn coverage(c: &Coverage, doc: &mut String) {
    let v = &c.vulnerabilities;
    let total = v.checked + v.not_checked;
    doc.push_str("**Coverage:** ");
    let mut parts = Vec::new();
    let list = |files: &[String]| {
        files
            .iter()
            .map(|f| format!("`{}`", escape(f)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match c.files.failed.len() {
        0 => parts.push(format!("{} dependency files read", c.files.read)),
        n => parts.push(format!(
            "{} dependency files read, **{n} could not be read** ({})",
            c.files.read,
            list(&c.files.failed)
        )),
    }
    if !c.files.partial.is_empty() {
        parts.push(format!(
            "**{} read only in part** ({})",
            c.files.partial.len(),
            list(&c.files.partial)
        ));
    }
    if v.not_checked == 0 {
        parts.push(format!("all {total} packages checked for vulnerabilities"));
    } else {
        parts.push(format!(
            "**{} of {total} packages not checked for vulnerabilities**",
            v.not_checked
        ));
    }
    match &c.licenses {
        Some(l) => parts.push(format!(
            "licenses known for {} packages, unknown for {} ({})",
            l.known,
            l.unknown,
            l.stores_summary()
        )),
        None => parts.push("licenses not checked".to_owned()),
    }
    doc.push_str(&parts.join("; "));
    doc.push_str(".\n");
    let mut reasons = Vec::new();
    for e in &v.ecosystems {
        for (reason, n) in &e.not_checked {
            reasons.push(format!("{}: {n} ({})", e.ecosystem, reason.describe()));
        }
    }
    if !reasons.is_empty() {
        doc.push_str(&format!("Not checked: {}.\n", reasons.join("; ")));
    }
    if let Some(db) = &v.database {
        doc.push_str(&format!(
            "Vulnerability data built {} ({} days old), {} ecosystems.\n",
            db.built,
            db.age_days,
            db.ecosystems.len()
        ));
    }
    doc.push('\n');
}

/// Findings by severity (malicious packages and informational advisories apart) and packages
/// by license tier.
fn counts(scan: &Scan, doc: &mut String) {
    let mut by_severity: BTreeMap<SeverityLevel, usize> = BTreeMap::new();
    let mut malicious = 0;
    let mut informational = 0;
    for f in &scan.findings {
        match f.category {
            Category::Malicious => malicious += 1,
            c if c.is_informational() => informational += 1,
            _ => *by_severity.entry(f.severity).or_default() += 1,
        }
    }
    doc.push_str("| Severity | Findings |\n| --- | ---: |\n");
    if malicious > 0 {
        doc.push_str(&format!("| **malicious** | {malicious} |\n"));
    }
    for level in [
        SeverityLevel::Critical,
        SeverityLevel::High,
        SeverityLevel::Medium,
        SeverityLevel::Low,
        SeverityLevel::Unknown,
    ] {
        let n = by_severity.get(&level).copied().unwrap_or(0);
        doc.push_str(&format!("| {} | {n} |\n", level.as_str()));
    }
    if informational > 0 {
        doc.push_str(&format!("| informational | {informational} |\n"));
    }
    doc.push('\n');

    let mut by_tier: BTreeMap<Tier, usize> = BTreeMap::new();
    let mut no_license = 0;
    for p in &scan.packages {
        match &p.license {
            Some(l) => *by_tier.entry(l.tier).or_default() += 1,
            None => no_license += 1,
        }
    }
    doc.push_str("| License tier | Packages |\n| --- | ---: |\n");
    for tier in [
        Tier::Forbidden,
        Tier::Conditional,
        Tier::Unknown,
        Tier::Permissive,
    ] {
        let n = by_tier.get(&tier).copied().unwrap_or(0);
        doc.push_str(&format!("| {} | {n} |\n", tier.as_str()));
    }
    if no_license > 0 {
        doc.push_str(&format!("| not identified | {no_license} |\n"));
    }
    doc.push('\n');
}

/// Every finding in a collapsed block, in the scan's order (malicious first, then most
/// severe), as many as fit in `max_chars` with a line counting the rest.
fn findings(scan: &Scan, max_chars: usize, doc: &mut String) {
    if scan.findings.is_empty() {
        return;
    }
    doc.push_str(&format!(
        "<details><summary>All findings ({})</summary>\n\n",
        scan.findings.len()
    ));
    doc.push_str("| Severity | Id | Package | Version | Fixed in | Location |\n| --- | --- | --- | --- | --- | --- |\n");
    // Room for the closing lines.
    let budget = max_chars.saturating_sub(200);
    let mut length = doc.chars().count();
    let mut written = 0;
    for f in &scan.findings {
        let severity = match (f.category, f.score) {
            (Category::Malicious, _) => "**malicious**".to_owned(),
            (c, _) if c.is_informational() => c.as_str().to_owned(),
            (_, Some(s)) => format!("{} ({s:.1})", f.severity.as_str()),
            (_, None) => f.severity.as_str().to_owned(),
        };
        let row = format!(
            "| {severity} | {} | {} | {} | {} | {} |\n",
            escape(&f.id),
            escape(&f.package),
            escape(&f.version),
            escape(f.fixed_in.as_deref().unwrap_or("none")),
            escape(&f.location.to_string())
        );
        let row_length = row.chars().count();
        if length + row_length > budget {
            break;
        }
        doc.push_str(&row);
        length += row_length;
        written += 1;
    }
    if written < scan.findings.len() {
        doc.push_str(&format!(
            "\n… and {} more (all are in `--format json`).\n",
            scan.findings.len() - written
        ));
    }
    doc.push_str("\n</details>\n");
}

/// The document cut to `max` characters at a line end, saying so; whole when it fits.
fn cut(doc: &str, max: usize) -> String {
    if doc.chars().count() <= max {
        return doc.to_owned();
    }
    let note = "\n… the rest is cut to fit a comment (all of it is in `--format json`).\n";
    let keep = max.saturating_sub(note.chars().count());
    let mut end = doc.char_indices().nth(keep).map_or(doc.len(), |(i, _)| i);
    if let Some(nl) = doc[..end].rfind('\n') {
        end = nl + 1;
    }
    format!("{}{note}", &doc[..end])
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

/// Text safe inside a table cell: one line, control characters visible, Markdown and HTML
/// specials escaped.
fn escape(s: &str) -> String {
    let one_line = one_line(&s.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned();
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

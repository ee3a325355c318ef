//! The human-readable table. What needs action comes first: the policy violations, then the
//! findings (malicious packages first, then the most severe), the informational advisories and
//! the license problems; then, on request or in a file, every package by ecosystem; then what
//! the scan covered, and the counts.
//!
//! Every cell is text from scanned files made printable ([`super::text::one_line`]) and cut at
//! [`MAX_CELL`] characters instead of being wrapped in the middle of a word.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::text::{one_line, truncate};
use crate::coverage::Coverage;
use crate::model::{Ecosystem, Package, Tier};
use crate::policy::Decision;
use crate::scan::Scan;
use crate::vulns::{Category, Finding, SeverityLevel};

/// The widest a cell gets, in characters.
pub const MAX_CELL: usize = 100;

/// Rows of packages without a known license listed on a terminal; the rest are counted.
const MAX_UNKNOWN_LICENSE_ROWS: usize = 20;

/// How to draw the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// The terminal width, when the table goes to one (`None`: a file or a pipe).
    pub width: Option<u16>,
    /// Whether every package is listed by ecosystem (a file, or `--list-all-pkgs`).
    pub list_packages: bool,
}

/// Writes the sections in order of what needs action, then the coverage and the counts.
pub fn write(scan: &Scan, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    write_remediation(scan, out)?;
    write_violations(scan, out)?;
    let (informational, findings): (Vec<&Finding>, Vec<&Finding>) = scan
        .findings
        .iter()
        .partition(|f| f.category.is_informational());
    if !findings.is_empty() {
        write_findings(scan, &findings, out)?;
    }
    if !informational.is_empty() {
        write_informational(&informational, out)?;
    }
    write_license_problems(scan, style, out)?;
    if style.list_packages {
        write_packages(scan, out)?;
    }
    if !scan.project_licenses.is_empty() {
        let ids: BTreeSet<&str> = scan
            .project_licenses
            .iter()
            .map(|d| d.license.as_str())
            .collect();
        let ids: Vec<String> = ids.iter().map(|i| one_line(i).into_owned()).collect();
        writeln!(out, "Project licenses: {}", ids.join(", "))?;
        writeln!(out)?;
    }
    if let Some(coverage) = &scan.coverage {
        write_coverage(coverage, out)?;
    }
    write_counts(scan, out)
}

/// What to bump, one line per direct dependency with findings: the answer a reader wants first.
fn write_remediation(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    if scan.remediation.is_empty() {
        return Ok(());
    }
    writeln!(out, "What to bump")?;
    for r in &scan.remediation {
        writeln!(out, "  {}", cell(&remediation_line(r)))?;
    }
    writeln!(out)
}

/// `sqlx 0.5.9 → 0.8.1 fixes 9 of 28 findings`, or why no upgrade of it is known.
pub fn remediation_line(r: &crate::vulns::remediation::Remediation) -> String {
    let mut line = match &r.upgrade_to {
        Some(v) => format!(
            "{} {} → {v} fixes {} of {} findings",
            r.package, r.version, r.fixes, r.findings
        ),
        None => format!(
            "{} {}: no known upgrade of it fixes its {} findings",
            r.package, r.version, r.findings
        ),
    };
    if r.without_fix > 0 {
        line.push_str(&format!("; {} have no fix", r.without_fix));
    }
    line
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    // Cells are cut to `MAX_CELL` instead: comfy-table's wrapping splits words.
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(header.iter().copied());
    table
}

/// One cell: printable, on one line, cut at [`MAX_CELL`].
fn cell(s: &str) -> String {
    truncate(&one_line(s), MAX_CELL).into_owned()
}

fn write_violations(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let Some(policy) = &scan.policy else {
        return Ok(());
    };
    if policy.violations.is_empty() {
        return Ok(());
    }
    let names = display_names(scan);
    let mut table = new_table(&["Kind", "Id", "Package", "Location", "Why"]);
    for v in &policy.violations {
        table.add_row([
            v.kind.as_str().to_owned(),
            cell(&v.id),
            cell(
                names
                    .get(v.purl.as_str())
                    .map_or(v.purl.as_str(), String::as_str),
            ),
            cell(&v.location.to_string()),
            cell(&v.reason),
        ]);
    }
    writeln!(
        out,
        "Policy violations ({}, threshold `{}`)",
        policy.violations.len(),
        policy.fail_on
    )?;
    writeln!(out, "{table}")?;
    writeln!(out)
}

/// `name@version` of every package, by purl.
fn display_names(scan: &Scan) -> HashMap<&str, String> {
    scan.packages
        .iter()
        .map(|p| (p.purl.as_str(), p.display_name()))
        .collect()
}

/// The findings that are not informational, in the scan's order (malicious first, then most
/// severe).
fn write_findings(scan: &Scan, findings: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    let names = display_names(scan);
    let mut table = new_table(&[
        "Severity", "Advisory", "Package", "Fixed in", "Location", "Via",
    ]);
    for f in findings {
        table.add_row([
            severity_label(f),
            match &f.vex {
                // A VEX status shows beside the advisory; `not_affected` and `fixed` did not gate.
                Some(v) => format!("{}\nVEX: {}", advisory_label(f), v.status.as_str()),
                None => advisory_label(f),
            },
            cell(&format!("{}@{}", f.package, f.version)),
            cell(f.fixed_in.as_deref().unwrap_or("no fix")),
            cell(&f.location.to_string()),
            match f.introduced_by.first() {
                Some(direct) if f.direct != Some(true) => cell(&format!(
                    "via {}",
                    names
                        .get(direct.as_str())
                        .map_or(direct.as_str(), String::as_str)
                )),
                _ => String::new(),
            },
        ]);
    }
    let malicious = findings
        .iter()
        .filter(|f| f.category == Category::Malicious)
        .count();
    match malicious {
        0 => writeln!(out, "Vulnerabilities ({} findings)", findings.len())?,
        n => writeln!(
            out,
            "Vulnerabilities ({} findings, {n} MALICIOUS PACKAGES)",
            findings.len()
        )?,
    }
    writeln!(out, "{table}")?;
    writeln!(out)
}

/// RustSec's unmaintained, unsound and notice advisories: reported apart, failing the scan only
/// when policy names their kind.
fn write_informational(findings: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    let mut table = new_table(&["Kind", "Advisory", "Package", "Location", "Summary"]);
    for f in findings {
        table.add_row([
            f.category.as_str().to_owned(),
            advisory_label(f),
            cell(&format!("{}@{}", f.package, f.version)),
            cell(&f.location.to_string()),
            cell(f.summary.as_deref().unwrap_or("")),
        ]);
    }
    writeln!(out, "Informational advisories ({})", findings.len())?;
    writeln!(out, "{table}")?;
    writeln!(out)
}

fn advisory_label(f: &Finding) -> String {
    cell(&match f.aliases.len() {
        0 => f.id.clone(),
        1 => format!("{} (+1 alias)", f.id),
        n => format!("{} (+{n} aliases)", f.id),
    })
}

/// Packages whose license is forbidden, then those whose license is not known (each purl once).
fn write_license_problems(scan: &Scan, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    let mut seen = BTreeSet::new();
    let mut forbidden = Vec::new();
    let mut unknown = Vec::new();
    for p in &scan.packages {
        let Some(l) = &p.license else { continue };
        if l.tier == Tier::Forbidden && seen.insert(("f", p.purl.as_str())) {
            forbidden.push(p);
        } else if l.concluded.is_none() && seen.insert(("u", p.purl.as_str())) {
            unknown.push(p);
        }
    }
    if forbidden.is_empty() && unknown.is_empty() {
        return Ok(());
    }
    let listed_unknown = if style.list_packages {
        unknown.len()
    } else {
        unknown.len().min(MAX_UNKNOWN_LICENSE_ROWS)
    };
    writeln!(
        out,
        "License problems ({} forbidden, {} unknown)",
        forbidden.len(),
        unknown.len()
    )?;
    // As long as the input when nothing is known of the licenses: written a row at a time.
    let rows = || {
        let forbidden = forbidden.iter().map(|p| ("forbidden", *p));
        let unknown = unknown.iter().take(listed_unknown);
        forbidden
            .chain(unknown.map(|p| ("unknown license", *p)))
            .map(|(problem, p)| {
                vec![
                    problem.to_owned(),
                    license_label(p),
                    cell(&p.display_name()),
                    p.scope.as_str().to_owned(),
                    cell(&p.location.to_string()),
                ]
            })
    };
    super::grid::write(
        out,
        &["Problem", "License", "Package", "Scope", "Location"],
        rows,
    )?;
    if listed_unknown < unknown.len() {
        writeln!(
            out,
            "… and {} more packages without a known license (all are in `--list-all-pkgs` and `--format json`)",
            unknown.len() - listed_unknown
        )?;
    }
    writeln!(out)
}

/// One table per ecosystem with every package occurrence: the operating system's packages
/// first, then each language's; written a row at a time ([`super::grid`]), as this list is as
/// long as the input.
fn write_packages(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let mut by_ecosystem: BTreeMap<(bool, Ecosystem), Vec<&Package>> = BTreeMap::new();
    for p in &scan.packages {
        by_ecosystem
            .entry((!p.ecosystem.is_os(), p.ecosystem))
            .or_default()
            .push(p);
    }
    for ((_, ecosystem), packages) in &by_ecosystem {
        // The license column appears once the license stage has run.
        let licensed = packages.iter().any(|p| p.license.is_some());
        let mut header = vec!["Package", "Version", "Scope", "Direct"];
        if licensed {
            header.push("License");
        }
        header.push("Location");
        match packages.iter().find_map(|p| p.os.as_ref()) {
            Some(os) => writeln!(
                out,
                "{}: {ecosystem} ({} packages)",
                cell(&os.distro.display_name()),
                packages.len()
            )?,
            None => writeln!(out, "{ecosystem} ({} packages)", packages.len())?,
        }
        let rows = || packages.iter().map(|p| package_row(p, licensed));
        super::grid::write(out, &header, rows)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The cells of one package's row in [`write_packages`].
fn package_row(p: &Package, licensed: bool) -> Vec<String> {
    let version = match (&p.version, &p.requirement) {
        (Some(v), _) => cell(v),
        (None, Some(r)) => cell(&format!("{r} (unpinned)")),
        (None, None) => "(unpinned)".to_owned(),
    };
    let direct = match p.direct {
        Some(true) => "direct",
        Some(false) => "transitive",
        None => "",
    };
    let mut row = vec![
        cell(&p.name),
        version,
        p.scope.as_str().to_owned(),
        direct.to_owned(),
    ];
    if licensed {
        row.push(license_label(p));
    }
    row.push(cell(&p.location.to_string()));
    row
}

/// What was checked and what was not, in words.
fn write_coverage(c: &Coverage, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "Coverage")?;
    let scanners: Vec<&str> = c.scanners.iter().map(|s| s.as_str()).collect();
    writeln!(out, "  scanners: {}", scanners.join(", "))?;
    let list = |files: &[String]| {
        files
            .iter()
            .map(|f| one_line(f).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match c.files.failed.len() {
        0 => writeln!(out, "  dependency files: {} read", c.files.read)?,
        n => writeln!(
            out,
            "  dependency files: {} read, {n} COULD NOT BE READ: {}",
            c.files.read,
            list(&c.files.failed)
        )?,
    }
    if !c.files.partial.is_empty() {
        writeln!(
            out,
            "  read only in part (entries skipped or bytes replaced, see the warnings): {}",
            list(&c.files.partial)
        )?;
    }
    let v = &c.vulnerabilities;
    if let Some(db) = &v.database {
        writeln!(
            out,
            "  vulnerability database: {}, built {} ({} days old), {} ecosystems",
            one_line(&db.path),
            db.built,
            db.age_days,
            db.ecosystems.len()
        )?;
    }
    let total = v.checked + v.not_checked;
    if v.not_checked == 0 {
        writeln!(out, "  vulnerabilities: all {total} packages checked")?;
    } else {
        writeln!(
            out,
            "  vulnerabilities: {} of {total} packages checked, {} NOT CHECKED",
            v.checked, v.not_checked
        )?;
        for e in &v.ecosystems {
            for (reason, n) in &e.not_checked {
                writeln!(
                    out,
                    "    {}: {n} not checked ({})",
                    e.ecosystem,
                    reason.describe()
                )?;
            }
        }
    }
    match &c.licenses {
        Some(l) => writeln!(
            out,
            "  licenses: {} known, {} unknown; {}",
            l.known,
            l.unknown,
            l.stores_summary()
        )?,
        None => writeln!(out, "  licenses: not checked (license scanner off)")?,
    }
    writeln!(out)
}

/// The closing counts: packages, files, findings, the verdict.
fn write_counts(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let ecosystems: BTreeSet<Ecosystem> = scan.packages.iter().map(|p| p.ecosystem).collect();
    let read = scan.files.iter().filter(|f| !f.superseded).count();
    let errors = scan
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error && d.file.is_some())
        .count();
    let unpinned = scan.packages.iter().filter(|p| p.version.is_none()).count();
    write!(
        out,
        "{} packages in {} ecosystems from {read} dependency files",
        scan.packages.len(),
        ecosystems.len(),
    )?;
    if unpinned > 0 {
        write!(out, ", {unpinned} unpinned")?;
    }
    if errors > 0 {
        write!(out, ", {errors} files could not be read")?;
    }
    writeln!(out)?;
    if let Some(check) = &scan.vuln_check {
        writeln!(out, "{}", vulnerability_summary(&scan.findings))?;
        if check.not_checked > 0 {
            writeln!(
                out,
                "{} packages were not checked for vulnerabilities",
                check.not_checked
            )?;
        }
    }
    if let Some(policy) = &scan.policy {
        let verdict = match policy.decision {
            Decision::Pass => "pass".to_owned(),
            Decision::Fail => format!("FAIL ({} violations)", policy.violations.len()),
            Decision::Error => format!(
                "ERROR: {}",
                one_line(policy.error.as_deref().unwrap_or("the scan failed"))
            ),
        };
        writeln!(out, "Policy: {verdict}")?;
    }
    Ok(())
}

/// `MIT (permissive)`; `(unknown)` when nothing is known of the package's license.
fn license_label(p: &Package) -> String {
    let Some(l) = &p.license else {
        return String::new();
    };
    match &l.concluded {
        Some(c) => cell(&format!("{c} ({})", l.tier.as_str())),
        None => format!("({})", l.tier.as_str()),
    }
}

fn severity_label(f: &Finding) -> String {
    if f.category == Category::Malicious {
        return "MALICIOUS".to_owned();
    }
    match f.score {
        Some(score) => format!("{} {score:.1}", f.severity.as_str()),
        None => f.severity.as_str().to_owned(),
    }
}

/// `3 vulnerabilities (1 critical, 2 high)`, or `no known vulnerabilities`; informational
/// advisories and malicious packages are counted apart.
fn vulnerability_summary(findings: &[Finding]) -> String {
    let vulnerabilities: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.category == Category::Vulnerability)
        .collect();
    let malicious = findings
        .iter()
        .filter(|f| f.category == Category::Malicious)
        .count();
    let informational = findings.len() - vulnerabilities.len() - malicious;
    let mut parts = Vec::new();
    if malicious > 0 {
        parts.push(format!("{malicious} MALICIOUS PACKAGES"));
    }
    if vulnerabilities.is_empty() {
        parts.push("no known vulnerabilities".to_owned());
    } else {
        let mut counts: BTreeMap<std::cmp::Reverse<SeverityLevel>, usize> = BTreeMap::new();
        for f in &vulnerabilities {
            *counts.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
        }
        let levels: Vec<String> = counts
            .iter()
            .map(|(level, n)| match level.0 {
                SeverityLevel::Unknown => format!("{n} unknown severity"),
                other => format!("{n} {}", other.as_str()),
            })
            .collect();
        let noun = if vulnerabilities.len() == 1 {
            "vulnerability"
        } else {
            "vulnerabilities"
        };
        parts.push(format!(
            "{} {noun} ({})",
            vulnerabilities.len(),
            levels.join(", ")
        ));
    }
    if informational > 0 {
        parts.push(format!("{informational} informational advisories"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(scan: &Scan, list_packages: bool) -> String {
        let mut out = Vec::new();
        let style = TableStyle {
            width: None,
            list_packages,
        };
        write(scan, style, &mut out).expect("writes to memory");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn what_to_bump_comes_first_and_vex_statuses_show() {
        let mut scan = crate::testing::scan_with_findings();
        scan.findings[1].vex = Some(crate::vulns::vex::VexAnnotation {
            status: crate::vulns::vex::VexStatus::NotAffected,
            justification: Some("vulnerable_code_not_present".into()),
            detail: None,
            file: "vex.json".into(),
            statement: "statements[0]".into(),
        });
        // A suppressed finding asks for no upgrade.
        scan.remediation = crate::vulns::remediation::remediation(&scan.findings);
        assert_eq!(scan.remediation.len(), 2);
        let text = render(&scan, false);
        insta::assert_snapshot!(text);
        assert!(text.starts_with("What to bump\n"));
        assert!(text.contains("VEX: not_affected"));
        let mut md = Vec::new();
        crate::report::markdown::write(&scan, &mut md).expect("writes");
        let md = String::from_utf8(md).expect("utf-8");
        assert!(md.contains("### What to bump\n\n- "), "{md}");
    }

    #[test]
    fn findings_come_before_the_packages_most_severe_first() {
        let scan = crate::testing::scan_with_findings();
        let text = render(&scan, true);
        insta::assert_snapshot!(text);
        let findings_at = text.find("Vulnerabilities (").expect("findings section");
        let packages_at = text.find("npm (").expect("packages section");
        assert!(findings_at < packages_at);
        assert!(text.contains("via webpack-dev-server@3.11.0"));
        assert!(text.contains("packages were not checked"));
    }

    #[test]
    fn on_a_terminal_the_packages_are_listed_only_on_request() {
        let scan = crate::testing::scan_with_findings();
        assert!(!render(&scan, false).contains("npm ("));
        assert!(render(&scan, true).contains("npm ("));
    }

    #[test]
    fn no_findings_section_without_findings() {
        let mut scan = crate::testing::scan_with_findings();
        scan.findings.clear();
        let text = render(&scan, true);
        assert!(!text.contains("Vulnerabilities ("));
        assert!(text.contains("no known vulnerabilities"));
        scan.vuln_check = None;
        scan.coverage = None;
        assert!(!render(&scan, true).contains("vulnerabilit"));
    }

    #[test]
    fn escape_sequences_in_names_are_shown_not_obeyed() {
        let mut scan = crate::testing::scan_with_findings();
        scan.packages[0].name = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J".into();
        scan.findings[0].package = "evil\u{1b}[2J".into();
        let text = render(&scan, true);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(!text.contains('\u{7}'));
        assert!(text.contains("evil\\u{1b}]0;pwned"));
    }

    #[test]
    fn long_cells_are_cut_not_wrapped() {
        let mut scan = crate::testing::scan_with_findings();
        scan.findings[0].location.file = "dir/".repeat(60).into();
        let text = render(&scan, false);
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(text.contains('…'));
        assert!(widest < 400, "{widest}");
    }
}

//! The human-readable table: packages grouped by ecosystem, then the vulnerability findings
//! (most severe first), with counts.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::model::Tier;
use crate::model::{Ecosystem, Package, Scope};
use crate::scan::Scan;
use crate::vulns::{Finding, SeverityLevel};

/// How to draw the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStyle {
    /// The terminal width to fit, or `None` for no limit.
    pub width: Option<u16>,
}

/// Writes one table per ecosystem, the findings, and a summary line.
pub fn write(scan: &Scan, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    let mut by_ecosystem: BTreeMap<Ecosystem, Vec<&Package>> = BTreeMap::new();
    for p in &scan.packages {
        by_ecosystem.entry(p.ecosystem).or_default().push(p);
    }
    for (ecosystem, packages) in &by_ecosystem {
        let mut table = new_table(style);
        // The license column appears once the license stage has run.
        let licensed = packages.iter().any(|p| p.license.is_some());
        let mut header = vec!["Package", "Version", "Scope", "Direct"];
        if licensed {
            header.push("License");
        }
        header.push("Location");
        table.set_header(header);
        for p in packages {
            let mut row = vec![
                p.name.to_string(),
                p.version
                    .clone()
                    .map(String::from)
                    .unwrap_or_else(|| match &p.requirement {
                        Some(r) => format!("{r} (unpinned)"),
                        None => "(unpinned)".to_owned(),
                    }),
                scope_label(p.scope).to_owned(),
                match p.direct {
                    Some(true) => "direct",
                    Some(false) => "transitive",
                    None => "",
                }
                .to_owned(),
            ];
            if licensed {
                row.push(license_label(p));
            }
            row.push(p.location.to_string());
            table.add_row(row);
        }
        writeln!(out, "{ecosystem} ({} packages)", packages.len())?;
        writeln!(out, "{table}")?;
        writeln!(out)?;
    }
    if !scan.project_licenses.is_empty() {
        let mut ids: Vec<&str> = scan
            .project_licenses
            .iter()
            .map(|d| d.license.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        writeln!(out, "Project licenses: {}", ids.join(", "))?;
    }
    if !scan.findings.is_empty() {
        write_findings(scan, style, out)?;
    }
    let read = scan.files.iter().filter(|f| !f.superseded).count();
    let errors = scan
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    let unpinned = scan.packages.iter().filter(|p| p.version.is_none()).count();
    write!(
        out,
        "{} packages in {} ecosystems from {read} dependency files",
        scan.packages.len(),
        by_ecosystem.len(),
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
                "{} unpinned packages were not checked for vulnerabilities",
                check.not_checked
            )?;
        }
    }
    Ok(())
}

fn new_table(style: TableStyle) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    match style.width {
        Some(w) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

/// The findings table, in the scan's order (most severe first).
fn write_findings(scan: &Scan, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    let names: HashMap<&str, String> = scan
        .packages
        .iter()
        .map(|p| (p.purl.as_str(), p.display_name()))
        .collect();
    let mut table = new_table(style);
    table.set_header([
        "Severity", "Advisory", "Package", "Fixed in", "Location", "Via",
    ]);
    for f in &scan.findings {
        table.add_row([
            severity_label(f),
            match f.aliases.len() {
                0 => f.id.clone(),
                1 => format!("{} (+1 alias)", f.id),
                n => format!("{} (+{n} aliases)", f.id),
            },
            format!("{}@{}", f.package, f.version),
            f.fixed_in.clone().unwrap_or_else(|| "no fix".to_owned()),
            f.location.to_string(),
            match f.introduced_by.first() {
                Some(direct) if f.direct != Some(true) => format!(
                    "via {}",
                    names
                        .get(direct.as_str())
                        .map_or(direct.as_str(), String::as_str)
                ),
                _ => String::new(),
            },
        ]);
    }
    writeln!(out, "Vulnerabilities ({} findings)", scan.findings.len())?;
    writeln!(out, "{table}")?;
    writeln!(out)
}

/// `MIT (permissive)`; `(unknown)` when nothing is known of the package's license.
fn license_label(p: &Package) -> String {
    let Some(l) = &p.license else {
        return String::new();
    };
    let tier = match l.tier {
        Tier::Permissive => "permissive",
        Tier::Conditional => "conditional",
        Tier::Unknown => "unknown",
        Tier::Forbidden => "forbidden",
    };
    match &l.concluded {
        Some(c) => format!("{c} ({tier})"),
        None => format!("({tier})"),
    }
}

fn severity_label(f: &Finding) -> String {
    let level = match f.severity {
        SeverityLevel::Critical => "critical",
        SeverityLevel::High => "high",
        SeverityLevel::Medium => "medium",
        SeverityLevel::Low => "low",
        SeverityLevel::Unknown => "unknown",
    };
    match f.score {
        Some(score) => format!("{level} {score:.1}"),
        None => level.to_owned(),
    }
}

/// `3 vulnerabilities (1 critical, 2 high)`, or `no known vulnerabilities`.
fn vulnerability_summary(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no known vulnerabilities".to_owned();
    }
    let mut counts: BTreeMap<std::cmp::Reverse<SeverityLevel>, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(level, n)| {
            let name = match level.0 {
                SeverityLevel::Critical => "critical",
                SeverityLevel::High => "high",
                SeverityLevel::Medium => "medium",
                SeverityLevel::Low => "low",
                SeverityLevel::Unknown => "unknown severity",
            };
            format!("{n} {name}")
        })
        .collect();
    let noun = if findings.len() == 1 {
        "vulnerability"
    } else {
        "vulnerabilities"
    };
    format!("{} {noun} ({})", findings.len(), parts.join(", "))
}

fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(scan: &Scan) -> String {
        let mut out = Vec::new();
        write(scan, TableStyle { width: None }, &mut out).expect("writes to memory");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn findings_follow_the_packages_most_severe_first() {
        let scan = crate::testing::scan_with_findings();
        let text = render(&scan);
        insta::assert_snapshot!(text);
        let packages_end = text.find("Vulnerabilities (").expect("findings section");
        assert!(text[..packages_end].contains("npm ("));
        assert!(text.contains("via webpack-dev-server@3.11.0"));
        assert!(text.contains("unpinned packages were not checked"));
    }

    #[test]
    fn no_findings_section_without_findings() {
        let mut scan = crate::testing::scan_with_findings();
        scan.findings.clear();
        let text = render(&scan);
        assert!(!text.contains("Vulnerabilities ("));
        assert!(text.contains("no known vulnerabilities"));
        scan.vuln_check = None;
        assert!(!render(&scan).contains("vulnerabilit"));
    }
}

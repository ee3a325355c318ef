//! The human-readable table: packages grouped by ecosystem, with counts.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::licenses::Tier;
use crate::model::{Ecosystem, Package, Scope};
use crate::scan::Scan;

/// How to draw the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStyle {
    /// The terminal width to fit, or `None` for no limit.
    pub width: Option<u16>,
}

/// Writes one table per ecosystem and a summary line.
pub fn write(scan: &Scan, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    let mut by_ecosystem: BTreeMap<Ecosystem, Vec<&Package>> = BTreeMap::new();
    for p in &scan.packages {
        by_ecosystem.entry(p.ecosystem).or_default().push(p);
    }
    for (ecosystem, packages) in &by_ecosystem {
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
                p.name.clone(),
                p.version.clone().unwrap_or_else(|| match &p.requirement {
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

fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
    }
}

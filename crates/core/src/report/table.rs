//! The human-readable table: packages grouped by ecosystem, with counts.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

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
        table.set_header(["Package", "Version", "Scope", "Direct", "Location"]);
        for p in packages {
            table.add_row([
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
                p.location.to_string(),
            ]);
        }
        writeln!(out, "{ecosystem} ({} packages)", packages.len())?;
        writeln!(out, "{table}")?;
        writeln!(out)?;
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

fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
    }
}

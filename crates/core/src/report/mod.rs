//! Report: every output format is a renderer of one [`crate::scan::Scan`]: a table for people,
//! the trusca JSON result, SARIF for code-scanning UIs, Markdown for pull requests, and the SBOM
//! formats (CycloneDX JSON and XML, SPDX JSON), and OpenVEX.

use std::io::{self, Write};

pub mod cyclonedx;
mod grid;
pub mod json;
pub mod markdown;
pub mod openvex;
pub mod sarif;
mod sbom;
pub mod spdx;
pub mod table;
pub mod text;

use crate::scan::Scan;

/// Every format a scan can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables grouped by ecosystem, for people.
    Table,
    /// The trusca JSON result.
    Json,
    /// CycloneDX JSON.
    Cyclonedx,
    /// CycloneDX XML.
    CyclonedxXml,
    /// SPDX 2.3 JSON.
    Spdx,
    /// SARIF 2.1.0.
    Sarif,
    /// A Markdown summary.
    Markdown,
    /// OpenVEX 0.2.0: the findings with their status.
    Openvex,
}

/// How to render, beyond the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// The CycloneDX specification version.
    pub spec_version: cyclonedx::SpecVersion,
    /// The terminal width a table fits, when it goes to a terminal.
    pub width: Option<u16>,
    /// Whether a table lists every package (to a file, or `--list-all-pkgs`); on a terminal it
    /// shows only what needs action and the coverage.
    pub list_packages: bool,
}

/// Writes `scan` in `format`.
pub fn write(
    scan: &Scan,
    format: Format,
    options: RenderOptions,
    mut out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::write(
            scan,
            table::TableStyle {
                width: options.width,
                list_packages: options.list_packages,
            },
            out,
        ),
        Format::Json => json::write(scan, out),
        Format::Cyclonedx => cyclonedx::write_json(scan, options.spec_version, &mut out),
        Format::CyclonedxXml => cyclonedx::write_xml(scan, options.spec_version, &mut out),
        Format::Spdx => spdx::write_json(scan, &mut out),
        Format::Sarif => sarif::write(scan, out),
        Format::Markdown => markdown::write(scan, out),
        Format::Openvex => openvex::write(scan, out),
    }
}

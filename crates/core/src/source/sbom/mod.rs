//! SBOM documents as scan targets: CycloneDX 1.2–1.6 (JSON and XML) and SPDX 2.2/2.3 (JSON and
//! tag-value), read into one plain [`Document`] (components, their licenses, the dependency
//! graph) that [`packages`] turns into the packages of a scan.
//!
//! Written here rather than with `cyclonedx-bom` or `spdx-rs`: `cyclonedx-bom` reads only
//! CycloneDX 1.3–1.5 (not 1.2 or 1.6, which syft and cdxgen write) and fails a whole document on
//! one unexpected value; `spdx-rs` models SPDX 2.2 JSON strictly. A scanner must read what real
//! tools write and name the one bad entry, so the documents are read tolerantly from a JSON tree
//! (or quick-xml events, or lines), each problem a diagnostic naming the field.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Scope;

mod cyclonedx;
mod cyclonedx_xml;
pub mod packages;
mod spdx;
mod spdx_tag;
#[cfg(test)]
mod tests;

pub use packages::{packages, SbomInventory, Unidentified};

/// The largest SBOM trusca reads.
pub const MAX_SBOM_BYTES: u64 = 256 * 1024 * 1024;

/// Nesting deeper than this (components in components, XML elements) is refused.
pub const MAX_DEPTH: usize = 128;

/// The standard and encoding of an SBOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// CycloneDX JSON.
    CycloneDxJson,
    /// CycloneDX XML.
    CycloneDxXml,
    /// SPDX JSON.
    SpdxJson,
    /// SPDX tag-value.
    SpdxTagValue,
}

impl Kind {
    /// The kind of a document, from its first bytes; `None` when it is no SBOM trusca reads.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let text = String::from_utf8_lossy(head);
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with('{') {
            if text.contains("\"bomFormat\"") {
                return Some(Kind::CycloneDxJson);
            }
            if text.contains("\"spdxVersion\"") {
                return Some(Kind::SpdxJson);
            }
            return None;
        }
        if text.starts_with('<') {
            return text
                .contains("cyclonedx.org/schema/bom")
                .then_some(Kind::CycloneDxXml);
        }
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| l.starts_with("SPDXVersion:"))
            .map(|_| Kind::SpdxTagValue)
    }

    /// The standard's name, for people (`CycloneDX JSON`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CycloneDxJson => "CycloneDX JSON",
            Kind::CycloneDxXml => "CycloneDX XML",
            Kind::SpdxJson => "SPDX JSON",
            Kind::SpdxTagValue => "SPDX tag-value",
        }
    }
}

/// One SBOM, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// `CycloneDX 1.6 JSON`, `SPDX 2.3 tag-value`: the standard, version and encoding.
    pub format: String,
    /// The name of what the document describes (the root component or the document name).
    pub name: Option<String>,
    /// The tool that wrote it, where it says.
    pub tool: Option<String>,
    /// Every component, nested ones flattened, in document order; the root left out.
    pub components: Vec<Component>,
    /// The reference of the component the document describes, when it names one.
    pub root: Option<String>,
    /// Dependency edges: a component's reference and the references it depends on.
    pub dependencies: Vec<(String, Vec<String>)>,
    /// Problems that did not stop the reading (a skipped entry, a duplicate reference).
    pub diagnostics: Vec<Diagnostic>,
}

/// One component of an SBOM.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Component {
    /// Its `bom-ref` or `SPDXID` (a made-up one when the document gives none).
    pub reference: String,
    /// The name (with a CycloneDX `group` in front).
    pub name: String,
    /// The version, where given.
    pub version: Option<String>,
    /// The package URL, where given.
    pub purl: Option<String>,
    /// The CPE, where given.
    pub cpe: Option<String>,
    /// License expressions, ids or names as written.
    pub licenses: Vec<String>,
    /// How it is used, where the document says.
    pub scope: Scope,
    /// Where it is in the document (`components[3]`, `packages[12]`, a line).
    pub entry: String,
}

/// Why an SBOM cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{file}`: {message}")]
pub struct SbomError {
    /// The file as given.
    pub file: String,
    /// What is wrong, naming the field where there is one.
    pub message: String,
}

/// Reads an SBOM file of any supported kind; `display` names it in diagnostics.
pub fn read(path: &Path, display: &str) -> Result<Document, SbomError> {
    let err = |message: String| SbomError {
        file: display.to_owned(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    if meta.len() > MAX_SBOM_BYTES {
        return Err(err(format!(
            "it is {} bytes, more than the {MAX_SBOM_BYTES} trusca reads",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    parse(&bytes, display)
}

/// Parses an SBOM from its bytes; `display` names it in diagnostics.
pub fn parse(bytes: &[u8], display: &str) -> Result<Document, SbomError> {
    let err = |message: String| SbomError {
        file: display.to_owned(),
        message,
    };
    let kind = Kind::sniff(bytes).ok_or_else(|| {
        err("not a CycloneDX (JSON or XML) or SPDX (JSON or tag-value) document".into())
    })?;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        err(format!(
            "not valid UTF-8 (at byte {}): an SBOM is UTF-8 text",
            e.valid_up_to()
        ))
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut doc = match kind {
        Kind::CycloneDxJson => cyclonedx::parse(text),
        Kind::CycloneDxXml => cyclonedx_xml::parse(text),
        Kind::SpdxJson => spdx::parse(text),
        Kind::SpdxTagValue => spdx_tag::parse(text),
    }
    .map_err(err)?;
    for d in &mut doc.diagnostics {
        if d.file.is_none() {
            d.file = Some(display.to_owned());
        }
    }
    warn_duplicate_references(&mut doc, display);
    Ok(doc)
}

/// A reference used twice makes the graph ambiguous: the first keeps it, the rest are reported.
fn warn_duplicate_references(doc: &mut Document, display: &str) {
    let mut seen = std::collections::HashSet::new();
    let mut warnings = Vec::new();
    for c in &doc.components {
        if !seen.insert(c.reference.as_str()) {
            warnings.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!(
                        "{}: the reference `{}` is used by an earlier component too; the \
                         dependency graph follows the first",
                        c.entry,
                        c.reference.escape_default()
                    ),
                )
                .in_file(display, None),
            );
        }
    }
    doc.diagnostics.extend(warnings);
}

/// A warning about one entry of a document (the file is filled in by [`parse`]).
pub(crate) fn entry_warning(entry: &str, message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::warning(Code::ParseError, format!("{entry}: {message}"))
}

/// Text shortened for a message, with control characters escaped.
pub(crate) fn shown(s: &str) -> String {
    let short: String = s.chars().take(80).collect();
    short.escape_default().to_string()
}

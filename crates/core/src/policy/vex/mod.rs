//! VEX in: statements from OpenVEX 0.2.0, CycloneDX VEX (`vulnerabilities[].analysis`) and
//! CSAF 2.0 VEX (`product_status`) documents, applied to the findings of a scan.
//!
//! A statement names a vulnerability (by any of its ids) and products (by purl). `not_affected`
//! and `fixed` suppress a matching finding (it stays in the result, marked, and never reaches
//! the gate), `under_investigation` annotates it, `affected` keeps it. A statement that matches
//! no finding is a warning; a statement that cannot be read is a warning naming the file and
//! field and suppresses nothing; a file that cannot be read at all is an error.
//!
//! The three formats are read from a JSON tree by hand: the `openvex` and `csaf` crates model
//! only their own format (and fail a whole document on one unexpected value), while the rule
//! here is one bad statement is skipped and reported, the others still apply.

use std::path::Path;

use serde_json::Value;

use crate::diag::{Code, Diagnostic};

mod apply;
mod csaf;
mod cyclonedx;
mod openvex;
#[cfg(test)]
mod tests;

pub use crate::vulns::vex::{VexAnnotation, VexStatus};
pub use apply::apply;

/// The largest VEX document trusca reads.
pub const MAX_VEX_BYTES: u64 = 64 * 1024 * 1024;

/// One statement read from a VEX document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The vulnerability's ids (its name and aliases).
    pub ids: Vec<String>,
    /// The products, as purls.
    pub products: Vec<String>,
    /// What it says.
    pub status: VexStatus,
    /// Why (an OpenVEX justification, a CycloneDX analysis justification, a CSAF flag label).
    pub justification: Option<String>,
    /// The free-text impact or detail, where given.
    pub detail: Option<String>,
    /// The file it came from, as named on the command line or in `trusca.toml`.
    pub file: String,
    /// Where in the file (`statements[2]`).
    pub entry: String,
}

/// The statements of every file, and what went wrong reading them.
pub fn load(files: &[std::path::PathBuf]) -> (Vec<Statement>, Vec<Diagnostic>) {
    let mut statements = Vec::new();
    let mut diagnostics = Vec::new();
    for path in files {
        let display = path.to_string_lossy().into_owned();
        match read(path, &display) {
            Ok((s, d)) => {
                statements.extend(s);
                diagnostics.extend(d);
            }
            Err(message) => diagnostics.push(
                Diagnostic::error(Code::VexUnreadable, message)
                    .in_file(&display, None)
                    .with_help("fix or remove the VEX file: none of its statements apply"),
            ),
        }
    }
    (statements, diagnostics)
}

/// Reads one VEX file: its statements and warnings about the ones skipped.
pub fn read(path: &Path, display: &str) -> Result<(Vec<Statement>, Vec<Diagnostic>), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the VEX file: {e}"))?;
    if meta.len() > MAX_VEX_BYTES {
        return Err(format!(
            "the VEX file is {} bytes, more than the {MAX_VEX_BYTES} trusca reads",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the VEX file: {e}"))?;
    parse(&bytes, display)
}

/// Parses a VEX document of any supported format.
pub fn parse(bytes: &[u8], display: &str) -> Result<(Vec<Statement>, Vec<Diagnostic>), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (at byte {})", e.valid_up_to()))?;
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.find(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
        format!("invalid JSON at line {}: {msg}", e.line())
    })?;
    let mut out = Read {
        file: display.to_owned(),
        statements: Vec::new(),
        diagnostics: Vec::new(),
    };
    if doc.get("@context").is_some() || doc.get("statements").is_some() {
        openvex::read(&doc, &mut out)?;
    } else if doc.get("bomFormat").is_some() {
        cyclonedx::read(&doc, &mut out)?;
    } else if doc.pointer("/document/category").is_some() {
        csaf::read(&doc, &mut out)?;
    } else {
        return Err(
            "not an OpenVEX, CycloneDX VEX or CSAF VEX document (no `@context`, `bomFormat` or \
             `document.category`)"
                .into(),
        );
    }
    Ok((out.statements, out.diagnostics))
}

/// Statements being read from one file.
pub(crate) struct Read {
    file: String,
    statements: Vec<Statement>,
    diagnostics: Vec<Diagnostic>,
}

impl Read {
    /// A statement that cannot be used: a warning naming the file and entry; nothing applies.
    fn skip(&mut self, entry: &str, why: impl std::fmt::Display) {
        self.diagnostics.push(
            Diagnostic::warning(
                Code::VexUnreadable,
                format!("{entry}: {why}; the statement is ignored"),
            )
            .in_file(&self.file, None),
        );
    }

    /// Adds a statement read from `entry`.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        entry: String,
        ids: Vec<String>,
        products: Vec<String>,
        status: VexStatus,
        justification: Option<String>,
        detail: Option<String>,
    ) {
        self.statements.push(Statement {
            ids,
            products,
            status,
            justification,
            detail,
            file: self.file.clone(),
            entry,
        });
    }
}

/// A string field, `None` when absent or empty; `Err` naming the field when it is of another
/// type.
fn text(v: &Value, key: &str) -> Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

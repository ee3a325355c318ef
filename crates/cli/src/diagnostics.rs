//! Renders core diagnostics with miette: the file, a snippet around the line, and a hint.
//!
//! Messages, paths and snippets quote scanned files, which may hold terminal escape sequences:
//! they are shown escaped ([`printable`]), never sent to the terminal as they are.

use std::fmt;
use std::path::Path;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, LabeledSpan, NamedSource, SourceSpan,
};
use trusca_core::diag::{Diagnostic, Severity};
use trusca_core::report::text::printable;

/// Files larger than this are named but not quoted.
const MAX_SNIPPET_SOURCE: u64 = 8 * 1024 * 1024;

/// How many warnings are listed one by one before the rest are only counted.
const MAX_LISTED_WARNINGS: usize = 20;

/// A core diagnostic with its file loaded for a snippet.
#[derive(Debug)]
struct Rendered<'a> {
    diag: &'a Diagnostic,
    severity: miette::Severity,
    source: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = printable(&self.diag.message);
        match (&self.diag.file, self.diag.line, &self.source) {
            (Some(file), Some(line), None) => write!(f, "{}:{line}: {message}", printable(file)),
            (Some(file), None, _) => write!(f, "{}: {message}", printable(file)),
            _ => f.write_str(&message),
        }
    }
}

impl std::error::Error for Rendered<'_> {}

impl MietteDiagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(printable(h).into_owned()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = format!("line {}", self.diag.line.unwrap_or(0));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(label),
            span,
        ))))
    }
}

/// Loads the file a diagnostic names (relative to `root`) and finds the span of its line.
fn with_snippet<'a>(diag: &'a Diagnostic, root: &Path, severity: miette::Severity) -> Rendered<'a> {
    let mut rendered = Rendered {
        diag,
        severity,
        source: None,
        span: None,
    };
    let (Some(file), Some(line)) = (&diag.file, diag.line) else {
        return rendered;
    };
    let path = root.join(file);
    if std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_SNIPPET_SOURCE) {
        return rendered;
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return rendered;
    };
    let text = printable(&String::from_utf8_lossy(&bytes)).into_owned();
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let len = l.trim_end_matches(['\n', '\r']).len();
            rendered.span = Some(SourceSpan::from((start, len)));
            break;
        }
        start += l.len();
    }
    if rendered.span.is_some() {
        rendered.source = Some(NamedSource::new(printable(file), text));
    }
    rendered
}

/// Writes the diagnostics to standard error: errors about files as warnings with a snippet
/// (the scan went on without that file), other warnings one line each, capped.
pub fn report(diags: &[Diagnostic], root: &Path, quiet: bool) {
    let handler = GraphicalReportHandler::new();
    let mut out = String::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        // An error about one file is a warning for the run (it went on without the file); one
        // about the whole run (no vulnerability data) is an error.
        let severity = if d.file.is_some() {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        };
        let r = with_snippet(d, root, severity);
        let _ = handler.render_report(&mut out, &r);
    }
    if !quiet {
        let mut warnings: Vec<_> = diags
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .collect();
        // Warnings about the whole scan (no vulnerability data, an outdated database) first,
        // so a long list of per-file warnings never hides them.
        warnings.sort_by_key(|d| d.file.is_some());
        for d in warnings.iter().take(MAX_LISTED_WARNINGS) {
            let label = if d.severity == Severity::Note {
                "note"
            } else {
                "warning"
            };
            out.push_str(&format!("{label}: {}\n", printable(&d.to_string())));
            if let Some(help) = d.help.as_deref().filter(|_| d.file.is_none()) {
                out.push_str(&format!("  help: {}\n", printable(help)));
            }
        }
        if warnings.len() > MAX_LISTED_WARNINGS {
            out.push_str(&format!(
                "warning: {} more warnings (all are in `--format json`)\n",
                warnings.len() - MAX_LISTED_WARNINGS
            ));
        }
    }
    eprint!("{out}");
}

/// Prints one error that stops the command.
pub fn fatal(message: &str, help: Option<&str>) {
    let mut d = miette::MietteDiagnostic::new(message);
    if let Some(h) = help {
        d = d.with_help(h);
    }
    let mut out = String::new();
    let _ = GraphicalReportHandler::new().render_report(&mut out, &d);
    eprint!("{out}");
}

//! Policy in the CLI: rendering the problems of `trusca.toml` with miette, and turning a scan's
//! verdict into an exit code.

use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, LabeledSpan, NamedSource, SourceSpan,
};
use trusca_core::config::{ConfigError, Problem};
use trusca_core::diag::Code;
use trusca_core::policy::Decision;
use trusca_core::report::text::printable;
use trusca_core::scan::Scan;
use trusca_core::settings::Settings;

use crate::diagnostics;
use crate::Outcome;

/// How many violations are listed on standard error before the rest are only counted.
const MAX_LISTED_VIOLATIONS: usize = 10;

/// The exit of a finished scan: the policy verdict when it was evaluated, else `error` when the
/// scan itself failed. `fail_open` turns an error into a pass, loudly.
pub fn outcome(scan: &Scan, settings: &Settings) -> Outcome {
    let (decision, error) = match &scan.policy {
        Some(p) => (p.decision, p.error.clone()),
        None => match scan.failure(settings.strict) {
            Some(why) => (Decision::Error, Some(why)),
            None => (Decision::Pass, None),
        },
    };
    match decision {
        Decision::Pass => Outcome::Pass,
        Decision::Fail => {
            report_failure(scan);
            Outcome::PolicyFailure
        }
        Decision::Error => {
            let message = error.unwrap_or_else(|| "the scan failed".into());
            if settings.fail_open {
                eprintln!(
                    "warning: THE SCAN FAILED AND IS PASSING ONLY BECAUSE `fail_open = true` in \
                     `{}`: {message}",
                    settings.config_file
                );
                eprintln!("warning: the result above is incomplete; do not rely on it");
                Outcome::Pass
            } else {
                diagnostics::fatal(&message, Some("see the warnings above"));
                Outcome::Error
            }
        }
    }
}

/// Lists the violations on standard error (always, even with `--quiet`: they are why the
/// command fails).
fn report_failure(scan: &Scan) {
    let Some(p) = &scan.policy else { return };
    let mut out = format!(
        "error: policy failed with {} violations\n",
        p.violations.len()
    );
    for v in p.violations.iter().take(MAX_LISTED_VIOLATIONS) {
        let kind = v.kind.as_str();
        out.push_str(&format!(
            "  {kind} {} in {} at {}: {}\n",
            printable(&v.id),
            printable(&v.purl),
            printable(&v.location.to_string()),
            printable(&v.reason)
        ));
    }
    if p.violations.len() > MAX_LISTED_VIOLATIONS {
        out.push_str(&format!(
            "  … and {} more (all are in `--format json`)\n",
            p.violations.len() - MAX_LISTED_VIOLATIONS
        ));
    }
    out.push_str("  hint: fix them, or record an exception with a `reason` in `trusca.toml`\n");
    eprint!("{out}");
}

/// One problem of a config file, with the file's text for the snippet.
#[derive(Debug)]
struct Rendered<'a> {
    file: &'a str,
    problem: &'a Problem,
    source: NamedSource<String>,
    span: SourceSpan,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.file, self.problem.line, self.problem.message
        )
    }
}

impl std::error::Error for Rendered<'_> {}

impl MietteDiagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(Code::InvalidConfig))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(format!("line {}", self.problem.line)),
            self.span,
        ))))
    }
}

/// Prints every problem of a config file with a snippet, then one line that stops the command.
pub fn render_error(err: &ConfigError) {
    match err {
        ConfigError::Read { .. } => diagnostics::fatal(&err.to_string(), None),
        ConfigError::Invalid {
            file,
            text,
            problems,
        } => {
            let handler = GraphicalReportHandler::new();
            let mut out = String::new();
            for p in problems {
                let start = p.span.start.min(text.len());
                let end = p.span.end.clamp(start, text.len());
                let r = Rendered {
                    file,
                    problem: p,
                    source: NamedSource::new(file, text.clone()),
                    span: SourceSpan::from((start, end - start)),
                };
                let _ = handler.render_report(&mut out, &r);
            }
            eprint!("{out}");
            diagnostics::fatal(
                &err.to_string(),
                Some("fix the configuration; nothing was scanned"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trusca_core::config::Config;
    use trusca_core::model::Location;
    use trusca_core::policy::{FailOn, PolicyResult, Violation, ViolationKind};
    use trusca_core::settings::{Env, Flags};

    fn settings(fail_open: bool) -> Settings {
        let config = Config {
            fail_open,
            ..Config::default()
        };
        Settings::resolve(&Flags::default(), &Env::default(), &config)
    }

    fn scan(decision: Option<Decision>) -> Scan {
        let mut scan: Scan = serde_json::from_value(serde_json::json!({
            "schema_version": 1,
            "tool": {"name": "trusca", "version": "0"},
            "target": {"name": "t", "location": "t", "kind": "directory"},
            "generated_at": "1970-01-01T00:00:00Z",
            "files": [],
            "packages": [],
            "diagnostics": []
        }))
        .expect("minimal scan");
        scan.policy = decision.map(|decision| PolicyResult {
            decision,
            error: None,
            fail_on: FailOn::High,
            violations: vec![Violation {
                kind: ViolationKind::License,
                id: "GPL-3.0-only".into(),
                purl: "pkg:npm/x@1.0.0".into(),
                location: Location {
                    file: "package-lock.json".into(),
                    line: Some(3),
                },
                reason: "license `GPL-3.0-only` is in the forbidden tier".into(),
            }],
            waived: Vec::new(),
            expired: Vec::new(),
        });
        scan
    }

    #[test]
    fn each_decision_maps_to_its_exit() {
        let config = settings(false);
        assert_eq!(outcome(&scan(Some(Decision::Pass)), &config), Outcome::Pass);
        assert_eq!(
            outcome(&scan(Some(Decision::Fail)), &config),
            Outcome::PolicyFailure
        );
        assert_eq!(
            outcome(&scan(Some(Decision::Error)), &config),
            Outcome::Error
        );
        assert_eq!(outcome(&scan(None), &config), Outcome::Pass);
    }

    #[test]
    fn fail_open_passes_an_error_but_not_a_failure() {
        let config = settings(true);
        assert_eq!(
            outcome(&scan(Some(Decision::Error)), &config),
            Outcome::Pass
        );
        assert_eq!(
            outcome(&scan(Some(Decision::Fail)), &config),
            Outcome::PolicyFailure
        );
    }
}

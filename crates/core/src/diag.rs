//! Diagnostics: problems found while scanning, as data. Only the CLI renders them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Something could not be scanned.
    Error,
    /// Scanned, but the result may be incomplete or surprising.
    Warning,
    /// For information.
    Note,
}

/// A stable, kebab-case identifier for each kind of diagnostic.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A dependency file could not be parsed.
    ParseError,
    /// A dependency file is not valid UTF-8.
    InvalidUtf8,
    /// A file is larger than trusca reads.
    FileTooLarge,
    /// A file or directory could not be read.
    ReadError,
    /// A requirement does not pin an exact version.
    Unpinned,
    /// A part of a file was skipped because trusca does not support it.
    Unsupported,
    /// The scan target cannot be used.
    TargetUnusable,
    /// A configuration or ignore file nested in the tree was seen and not obeyed.
    NestedConfigIgnored,
    /// Which configuration the scan obeys (a file, or the built-in defaults).
    ConfigUsed,
    /// A configuration-looking file that is not obeyed (`trusca.toml` in the working directory
    /// of a scan elsewhere, `.truscaignore`).
    ConfigNotObeyed,
    /// `trusca.toml` is invalid.
    InvalidConfig,
    /// An exception in `trusca.toml` is past its expiry date and no longer applies.
    ExceptionExpired,
    /// An exception in `trusca.toml` matched nothing in the scan.
    ExceptionUnused,
    /// A bounded walk or read stopped at its limit; the result may be incomplete.
    LimitReached,
    /// No vulnerability database could be opened or downloaded: vulnerabilities were not checked.
    VulnDbUnavailable,
    /// The vulnerability database is older than the scan allows.
    VulnDbOutdated,
    /// A layer or entry of a container image could not be used; its files are left out.
    ImageLayer,
    /// A VEX file, or a statement in it, cannot be read: it suppresses nothing.
    VexUnreadable,
    /// A VEX statement matched no finding of the scan.
    VexUnused,
}

impl Code {
    /// Every code, for documentation and the uniqueness test.
    pub const ALL: [Code; 19] = [
        Code::ParseError,
        Code::InvalidUtf8,
        Code::FileTooLarge,
        Code::ReadError,
        Code::Unpinned,
        Code::Unsupported,
        Code::TargetUnusable,
        Code::NestedConfigIgnored,
        Code::ConfigUsed,
        Code::ConfigNotObeyed,
        Code::InvalidConfig,
        Code::ExceptionExpired,
        Code::ExceptionUnused,
        Code::LimitReached,
        Code::VulnDbUnavailable,
        Code::VulnDbOutdated,
        Code::ImageLayer,
        Code::VexUnreadable,
        Code::VexUnused,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::FileTooLarge => "file-too-large",
            Code::ReadError => "read-error",
            Code::Unpinned => "unpinned",
            Code::Unsupported => "unsupported",
            Code::TargetUnusable => "target-unusable",
            Code::NestedConfigIgnored => "nested-config-ignored",
            Code::ConfigUsed => "config-used",
            Code::ConfigNotObeyed => "config-not-obeyed",
            Code::InvalidConfig => "invalid-config",
            Code::ExceptionExpired => "exception-expired",
            Code::ExceptionUnused => "exception-unused",
            Code::LimitReached => "limit-reached",
            Code::VulnDbUnavailable => "vuln-db-unavailable",
            Code::VulnDbOutdated => "vuln-db-outdated",
            Code::ImageLayer => "image-layer",
            Code::VexUnreadable => "vex-unreadable",
            Code::VexUnused => "vex-unused",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, located in a file (and line) where it has a place. Diagnostics order by file and
/// line (those without a file last), then severity, code and message: the order every result
/// lists them in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// What kind of problem it is.
    pub code: Code,
    /// The file, relative to the scan root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line in that file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What went wrong, in one lowercase sentence without a period.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a place.
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            file: None,
            line: None,
            message: message.into(),
            help: None,
        }
    }

    /// An error diagnostic.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning diagnostic.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A note: for information.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// Places the diagnostic in a file and returns it.
    pub fn in_file(mut self, file: impl Into<String>, line: Option<u32>) -> Self {
        self.file = Some(file.into());
        self.line = line;
        self
    }

    /// Adds a hint and returns the diagnostic.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Diagnostic {
    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.file.is_none(),
            &self.file,
            self.line,
            self.severity,
            self.code,
            &self.message,
            &self.help,
        )
    }
}

impl Ord for Diagnostic {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        write!(f, "{} [{}]", self.message, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_order_by_file_and_line_first() {
        let mut list = [
            Diagnostic::note(Code::Unpinned, "b").in_file("b.lock", Some(1)),
            Diagnostic::error(Code::ParseError, "a").in_file("a.lock", Some(9)),
            Diagnostic::warning(Code::Unpinned, "a").in_file("a.lock", Some(2)),
            Diagnostic::warning(Code::VulnDbOutdated, "no file"),
        ];
        list.sort();
        let order: Vec<(Option<&str>, Option<u32>)> =
            list.iter().map(|d| (d.file.as_deref(), d.line)).collect();
        assert_eq!(
            order,
            [
                (Some("a.lock"), Some(2)),
                (Some("a.lock"), Some(9)),
                (Some("b.lock"), Some(1)),
                (None, None)
            ]
        );
    }

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for n in &names {
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{n}"
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        for c in Code::ALL {
            assert_eq!(
                serde_json::to_value(c).ok(),
                Some(serde_json::Value::from(c.as_str()))
            );
        }
    }
}

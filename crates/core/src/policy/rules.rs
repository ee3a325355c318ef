//! The rules policy applies: the vulnerability threshold, dates, and exceptions with the
//! packages they cover.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::purl::Purl;
use crate::model::{normalize_name, Ecosystem};
use crate::vulns::SeverityLevel;

/// The vulnerability severity at or above which a scan fails, or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Vulnerabilities never fail the scan.
    None,
    /// CVSS 0.1 and above.
    Low,
    /// CVSS 4.0 and above.
    Medium,
    /// CVSS 7.0 and above.
    High,
    /// CVSS 9.0 and above.
    Critical,
}

impl FailOn {
    /// The threshold used when neither `--fail-on` nor `fail_on` says.
    pub const DEFAULT: FailOn = FailOn::High;

    /// Every value, in the order of the help text.
    pub const ALL: [FailOn; 5] = [
        FailOn::Critical,
        FailOn::High,
        FailOn::Medium,
        FailOn::Low,
        FailOn::None,
    ];

    /// The name as written in `trusca.toml` and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::None => "none",
            FailOn::Low => "low",
            FailOn::Medium => "medium",
            FailOn::High => "high",
            FailOn::Critical => "critical",
        }
    }

    /// Whether a finding of this severity fails the scan. An `unknown` severity never reaches a
    /// threshold: without a score there is nothing to compare.
    pub fn is_met_by(self, severity: SeverityLevel) -> bool {
        let threshold = match self {
            FailOn::None => return false,
            FailOn::Low => SeverityLevel::Low,
            FailOn::Medium => SeverityLevel::Medium,
            FailOn::High => SeverityLevel::High,
            FailOn::Critical => SeverityLevel::Critical,
        };
        severity != SeverityLevel::Unknown && severity >= threshold
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FailOn::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("unknown severity `{s}`"))
    }
}

/// What a finding of unknown severity does to the verdict (`[vulns] unknown_severity`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownSeverity {
    /// It fails the scan at every threshold but `none`: nothing says it is harmless.
    #[default]
    Fail,
    /// It counts as a low-severity finding.
    Low,
    /// It counts as a medium-severity finding.
    Medium,
    /// It counts as a high-severity finding.
    High,
    /// It counts as a critical finding.
    Critical,
    /// It never fails the scan.
    Ignore,
}

impl UnknownSeverity {
    /// The name as written in `trusca.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownSeverity::Fail => "fail",
            UnknownSeverity::Low => "low",
            UnknownSeverity::Medium => "medium",
            UnknownSeverity::High => "high",
            UnknownSeverity::Critical => "critical",
            UnknownSeverity::Ignore => "ignore",
        }
    }

    /// Whether a finding of unknown severity fails at `threshold`.
    pub fn fails_at(self, threshold: FailOn) -> bool {
        let level = match self {
            UnknownSeverity::Fail => return threshold != FailOn::None,
            UnknownSeverity::Ignore => return false,
            UnknownSeverity::Low => SeverityLevel::Low,
            UnknownSeverity::Medium => SeverityLevel::Medium,
            UnknownSeverity::High => SeverityLevel::High,
            UnknownSeverity::Critical => SeverityLevel::Critical,
        };
        threshold.is_met_by(level)
    }
}

impl FromStr for UnknownSeverity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            UnknownSeverity::Low,
            UnknownSeverity::Medium,
            UnknownSeverity::High,
            UnknownSeverity::Critical,
            UnknownSeverity::Ignore,
        ]
        .into_iter()
        .find(|u| u.as_str() == s.trim())
        .ok_or_else(|| format!("unknown value `{s}`"))
    }
}

/// What a package without a known license does to the verdict (`[licenses] unknown`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownLicense {
    /// It is listed and counted, and the scan may pass.
    #[default]
    Warn,
    /// It fails the scan.
    Fail,
}

impl FromStr for UnknownLicense {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "warn" => Ok(UnknownLicense::Warn),
            "fail" => Ok(UnknownLicense::Fail),
            other => Err(format!("unknown value `{other}`")),
        }
    }
}

/// A calendar date (an exception's expiry, or today).
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
#[serde(try_from = "String", into = "String")]
#[schemars(with = "String")]
pub struct Date {
    /// Four-digit year.
    pub year: u16,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
}

impl Date {
    /// Today in UTC.
    pub fn today() -> Date {
        // humantime already formats the civil date; reading it back avoids a calendar crate.
        let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        now.get(..10).and_then(|d| d.parse().ok()).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    /// `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a date (`YYYY-MM-DD`)");
        let mut parts = s.splitn(3, '-');
        let mut next = || parts.next().ok_or_else(bad);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let date = Date {
            year: y.parse().map_err(|_| bad())?,
            month: m.parse().map_err(|_| bad())?,
            day: d.parse().map_err(|_| bad())?,
        };
        if !(1..=12).contains(&date.month) || !(1..=31).contains(&date.day) {
            return Err(bad());
        }
        Ok(date)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// Which package an exception covers: `name`, `name@version` or a purl.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PackageSpec {
    /// Any version of the package with this name.
    Name(String),
    /// One version of the package with this name.
    NameVersion(String, String),
    /// A purl; without a version it covers every version.
    Purl {
        /// The purl without version, qualifiers and subpath.
        base: String,
        /// The version, when the purl has one.
        version: Option<String>,
    },
}

impl PackageSpec {
    /// Reads a spec; `@scope/name` (npm) keeps its leading `@`.
    pub fn parse(s: &str) -> Result<PackageSpec, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("the package is empty".into());
        }
        if s.starts_with("pkg:") {
            let purl: Purl = s
                .parse()
                .map_err(|_| format!("`{s}` is not a purl (`pkg:type/name@version`)"))?;
            return Ok(PackageSpec::Purl {
                base: purl.base(),
                version: purl.version().map(str::to_owned),
            });
        }
        match s.rfind('@').filter(|&at| at > 0) {
            Some(at) => {
                let (name, version) = (&s[..at], &s[at + 1..]);
                if version.is_empty() {
                    return Err(format!("`{s}` has an empty version"));
                }
                Ok(PackageSpec::NameVersion(
                    name.to_owned(),
                    version.to_owned(),
                ))
            }
            None => Ok(PackageSpec::Name(s.to_owned())),
        }
    }

    /// Whether it covers a package of this ecosystem, name, version and purl. Names compare in
    /// the package's ecosystem's normal form ([`normalize_name`]), purls by their parsed parts.
    pub fn matches(
        &self,
        ecosystem: Ecosystem,
        name: &str,
        version: Option<&str>,
        purl: &str,
    ) -> bool {
        let same_name = |n: &str| normalize_name(ecosystem, n) == normalize_name(ecosystem, name);
        match self {
            PackageSpec::Name(n) => same_name(n),
            PackageSpec::NameVersion(n, v) => same_name(n) && version == Some(v.as_str()),
            PackageSpec::Purl { base, version: v } => match purl.parse::<Purl>() {
                Ok(p) => {
                    p.base() == *base && v.as_ref().is_none_or(|v| p.version() == Some(v.as_str()))
                }
                Err(_) => false,
            },
        }
    }
}

impl fmt::Display for PackageSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageSpec::Name(n) => f.write_str(n),
            PackageSpec::NameVersion(n, v) => write!(f, "{n}@{v}"),
            PackageSpec::Purl {
                base,
                version: Some(v),
            } => write!(f, "{base}@{v}"),
            PackageSpec::Purl {
                base,
                version: None,
            } => f.write_str(base),
        }
    }
}

/// A waiver in `[[exceptions]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// An SPDX license id or an advisory id (any alias of it matches too).
    pub id: String,
    /// The package it covers.
    pub package: PackageSpec,
    /// Why the waiver was granted.
    pub reason: String,
    /// The last day it applies.
    pub expires: Option<Date>,
    /// The 1-based line of its `[[exceptions]]` header (or inline table) in the file.
    pub line: u32,
}

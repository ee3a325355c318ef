//! Vulnerabilities: OSV records, the local database, and matching packages against it.
//!
//! [`check`] is the stage a scan runs: it opens (or first downloads) the local database and
//! matches. [`find`] matches packages against any [`Advisories`] source (the local database, or an
//! in-memory [`MemoryAdvisories`] in tests and benchmarks): packages are grouped by ecosystem
//! and normalised name so each name is looked up and each candidate record compiled once, then
//! every pinned version of that name is checked ([`matcher`]), aliases are collapsed, and each
//! finding is rated ([`severity`]).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Ecosystem, Package, PackageId};
use crate::version::{Scheme, Version};

pub mod category;
mod check;
pub mod db;
pub mod filter;
pub mod import;
pub mod matcher;
pub mod osv;
pub mod remediation;
pub mod severity;
pub mod update;
pub mod vex;

pub use category::Category;
pub use check::{check, Checked, DbSettings};
use osv::Vulnerability;

/// How bad a finding is, as a bucket.
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
pub enum SeverityLevel {
    /// No score known.
    Unknown,
    /// CVSS 0.1–3.9.
    Low,
    /// CVSS 4.0–6.9.
    Medium,
    /// CVSS 7.0–8.9.
    High,
    /// CVSS 9.0–10.0.
    Critical,
}

impl SeverityLevel {
    /// Every level, least severe first.
    pub const ALL: [SeverityLevel; 5] = [
        SeverityLevel::Unknown,
        SeverityLevel::Low,
        SeverityLevel::Medium,
        SeverityLevel::High,
        SeverityLevel::Critical,
    ];

    /// The kebab-case name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SeverityLevel::Unknown => "unknown",
            SeverityLevel::Low => "low",
            SeverityLevel::Medium => "medium",
            SeverityLevel::High => "high",
            SeverityLevel::Critical => "critical",
        }
    }
}

impl std::fmt::Display for SeverityLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SeverityLevel {
    type Err = String;

    /// The kebab-case name, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SeverityLevel::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown severity `{s}`"))
    }
}

/// One known vulnerability affecting one package occurrence; aliases collapsed into one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The primary advisory id.
    pub id: String,
    /// What kind of advisory it is (a vulnerability, a malicious package, an informational
    /// notice).
    #[serde(default)]
    pub category: Category,
    /// Every other id of the same vulnerability (CVE, GHSA, …), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The purl of the affected package.
    pub purl: String,
    /// The affected package's name.
    pub package: String,
    /// The affected version.
    pub version: String,
    /// Where the package was found.
    pub location: crate::model::Location,
    /// One-line summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The severity bucket.
    pub severity: SeverityLevel,
    /// The base score (0.0–10.0), where a vector gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The CVSS vector the score came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// The lowest version on the package's line that fixes it ("upgrade to").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_in: Option<String>,
    /// For a transitive package: the chain of purls from the direct dependency to bump.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub introduced_by: Vec<String>,
    /// Links from the records: advisories, fixes, reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<FindingReference>,
    /// The ecosystem of the affected package.
    pub ecosystem: Ecosystem,
    /// Whether the project depends on the package directly; `None` when the format does not tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// What a VEX statement says of it; `not_affected` and `fixed` keep it out of the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vex: Option<vex::VexAnnotation>,
}

/// A link about a finding.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct FindingReference {
    /// The OSV reference type, lowercased: `advisory`, `fix`, `report`, `web`, `package`, ...
    pub kind: String,
    /// The URL.
    pub url: String,
}

/// What vulnerability matching covered in a scan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct VulnCheck {
    /// Package occurrences with a pinned version, checked against the advisories.
    pub checked: usize,
    /// Package occurrences without a pinned version: not checked (a range cannot be matched).
    pub not_checked: usize,
    /// Findings reported (after aliases were collapsed).
    pub findings: usize,
}

/// A source of candidate OSV records: the local database, or records held in memory.
pub trait Advisories {
    /// Why a lookup failed (an unreadable database).
    type Error: std::error::Error + Send + Sync + 'static;

    /// The records with an `affected[].package` of the package `id`: in its ecosystem (by OSV
    /// base name, `:suffix` ignored) with its name once normalised. Returning extra records is
    /// harmless: the matcher checks each entry again.
    fn candidates(&self, id: &PackageId) -> Result<Cow<'_, [Vulnerability]>, Self::Error>;

    /// The record with this id, whatever package it names (an alias of a finding's record, to
    /// rate the finding by the whole alias group).
    fn record(&self, id: &str) -> Result<Option<Vulnerability>, Self::Error>;
}

/// Records held in memory, indexed by ecosystem and normalised name.
#[derive(Debug, Default)]
pub struct MemoryAdvisories {
    by_name: HashMap<PackageId, Vec<Vulnerability>>,
    by_id: HashMap<String, Vulnerability>,
}

impl MemoryAdvisories {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a record under every package it names in an ecosystem trusca knows.
    pub fn insert(&mut self, record: Vulnerability) {
        let mut keys: Vec<PackageId> = record
            .affected
            .iter()
            .filter_map(|a| {
                let p = a.package.as_ref()?;
                Some(PackageId::new(Ecosystem::from_osv(&p.ecosystem)?, &p.name))
            })
            .collect();
        keys.sort();
        keys.dedup();
        self.by_id.insert(record.id.clone(), record.clone());
        if let Some((last, rest)) = keys.split_last() {
            for key in rest {
                self.by_name
                    .entry(key.clone())
                    .or_default()
                    .push(record.clone());
            }
            self.by_name.entry(last.clone()).or_default().push(record);
        }
    }

    /// How many records were added (by distinct id).
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no record was added.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

impl FromIterator<Vulnerability> for MemoryAdvisories {
    fn from_iter<I: IntoIterator<Item = Vulnerability>>(iter: I) -> Self {
        let mut index = MemoryAdvisories::new();
        for r in iter {
            index.insert(r);
        }
        index
    }
}

impl Advisories for MemoryAdvisories {
    type Error = Infallible;

    fn candidates(&self, id: &PackageId) -> Result<Cow<'_, [Vulnerability]>, Infallible> {
        Ok(self
            .by_name
            .get(id)
            .map_or(Cow::Borrowed(&[][..]), |v| Cow::Borrowed(v.as_slice())))
    }

    fn record(&self, id: &str) -> Result<Option<Vulnerability>, Infallible> {
        Ok(self.by_id.get(id).cloned())
    }
}

/// What matching found: the findings, most severe first, and what was checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches {
    /// The findings, most severe first (then by ecosystem, package, version, id and location).
    pub findings: Vec<Finding>,
    /// What was and was not checked.
    pub check: VulnCheck,
}

/// Matches every pinned package against `advisories`. Unpinned packages (no exact version, or
/// only a git commit) are counted as not checked.
pub fn find<A: Advisories + ?Sized>(
    packages: &[Package],
    advisories: &A,
) -> Result<Matches, A::Error> {
    let mut groups: HashMap<PackageId, Vec<&Package>> = HashMap::new();
    let mut check = VulnCheck::default();
    for p in packages {
        if p.release_version().is_none() {
            check.not_checked += 1;
            continue;
        }
        check.checked += 1;
        groups.entry(p.id()).or_default().push(p);
    }

    // Lookups in turn (a database handle need not be shared between threads), then the
    // matching itself in parallel, one package name per task.
    let mut work = Vec::new();
    for (id, packages) in groups {
        let records = advisories.candidates(&id)?;
        if !records.is_empty() {
            work.push((id, packages, records));
        }
    }
    let mut findings: Vec<Finding> = work
        .par_iter()
        .flat_map_iter(|(id, packages, records)| {
            match_name(id.ecosystem(), id.name(), packages, records)
        })
        .collect();
    rate_by_aliases(&mut findings, advisories)?;
    sort_findings(&mut findings);
    check.findings = findings.len();
    Ok(Matches { findings, check })
}

/// Raises each finding to the highest severity of any record of its alias group, also records
/// that name other packages or ecosystems (a `GO-` record without severity whose `GHSA-` alias
/// has one), and marks a finding malicious when an alias is a `MAL-` record. Each alias is read
/// once per scan.
fn rate_by_aliases<A: Advisories + ?Sized>(
    findings: &mut [Finding],
    advisories: &A,
) -> Result<(), A::Error> {
    let mut rated: HashMap<String, Option<(severity::Rating, Category)>> = HashMap::new();
    for f in findings.iter_mut() {
        for alias in &f.aliases {
            if !rated.contains_key(alias) {
                let record = advisories.record(alias)?.filter(|r| r.withdrawn.is_none());
                let found = record.map(|r| {
                    let name_in = |a: &&osv::Affected| {
                        a.package.as_ref().is_some_and(|p| {
                            Ecosystem::from_osv(&p.ecosystem) == Some(f.ecosystem)
                                && PackageId::new(f.ecosystem, &p.name)
                                    == PackageId::new(f.ecosystem, &f.package)
                        })
                    };
                    let mut affected: Vec<&osv::Affected> =
                        r.affected.iter().filter(name_in).collect();
                    if affected.is_empty() {
                        affected = r.affected.iter().collect();
                    }
                    (
                        severity::rate(&r, &affected),
                        category::classify(&r, &affected),
                    )
                });
                rated.insert(alias.clone(), found);
            }
            let Some(Some((rating, category))) = rated.get(alias) else {
                continue;
            };
            let current = severity::Rating {
                level: f.severity,
                score: f.score,
                vector: f.vector.clone(),
            };
            if rating.is_worse_than(&current) {
                f.severity = rating.level;
                f.score = rating.score;
                f.vector.clone_from(&rating.vector);
            }
            if *category == Category::Malicious || alias.starts_with("MAL-") {
                f.category = Category::Malicious;
            }
        }
    }
    Ok(())
}

/// Sorts findings malicious packages first, then vulnerabilities, then the informational kinds;
/// within each most severe first, then by ecosystem, package, version, id and location: the
/// order of every list of findings trusca writes.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.category,
            Reverse(a.severity),
            a.ecosystem,
            &a.package,
            &a.version,
            &a.id,
            &a.location,
        )
            .cmp(&(
                b.category,
                Reverse(b.severity),
                b.ecosystem,
                &b.package,
                &b.version,
                &b.id,
                &b.location,
            ))
    });
}

/// The findings for every occurrence of one package name.
fn match_name(
    ecosystem: Ecosystem,
    name: &str,
    packages: &[&Package],
    records: &[Vulnerability],
) -> Vec<Finding> {
    let scheme = Scheme::for_ecosystem(ecosystem);
    let compiled: Vec<matcher::Compiled<'_>> = records
        .iter()
        .filter_map(|r| matcher::compile(r, ecosystem, name, scheme))
        .collect();
    let mut findings = Vec::new();
    if compiled.is_empty() {
        return findings;
    }
    let mut parsed: HashMap<&str, Version> = HashMap::new();
    for p in packages {
        let text = p.version.as_deref().unwrap_or_default().trim();
        let v = parsed
            .entry(text)
            .or_insert_with(|| scheme.parse_lenient(text));
        let hits: Vec<matcher::Hit<'_>> = compiled.iter().filter_map(|c| c.check(v)).collect();
        if hits.is_empty() {
            continue;
        }
        for group in matcher::collapse(hits, ecosystem) {
            findings.push(finding(p, group));
        }
    }
    findings
}

/// The finding for one package occurrence and one group of aliased records.
fn finding(p: &Package, group: matcher::Group<'_>) -> Finding {
    let rating = group
        .hits
        .iter()
        .map(|h| &h.rating)
        .reduce(|best, r| if r.is_worse_than(best) { r } else { best })
        .cloned()
        .unwrap_or_else(severity::Rating::unknown);
    // Every record of the group must be satisfied: the highest of their lowest fixes. A record
    // without a fix does not cancel the others' advice.
    let fixed_in = group
        .hits
        .iter()
        .filter_map(|h| h.fixed_in.as_ref())
        .max()
        .map(|v| v.as_str().to_owned());
    let summary = group
        .hits
        .iter()
        .find_map(|h| {
            h.record
                .summary
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        })
        .map(str::to_owned);
    // Several records of one vulnerability often share links: keep each URL once (a single
    // record is taken as it is).
    let mut seen: HashSet<&str> = HashSet::new();
    let several = group.hits.len() > 1;
    let references: Vec<FindingReference> = group
        .hits
        .iter()
        .flat_map(|h| h.record.references.iter())
        .filter(|r| !several || seen.insert(r.url.as_str()))
        .map(|r| FindingReference {
            kind: r.kind.to_ascii_lowercase(),
            url: r.url.clone(),
        })
        .collect();
    let category = category::of_group(
        group
            .hits
            .iter()
            .map(|h| category::classify(h.record, &h.affected)),
    );
    Finding {
        id: group.id,
        category,
        aliases: group.aliases,
        purl: p.purl.to_string(),
        package: p.name.to_string(),
        version: p.version.as_deref().unwrap_or_default().to_owned(),
        location: p.location.clone(),
        summary,
        severity: rating.level,
        score: rating.score,
        vector: rating.vector,
        fixed_in,
        introduced_by: p.introduced_by.iter().map(ToString::to_string).collect(),
        references,
        ecosystem: p.ecosystem,
        direct: p.direct,
        vex: None,
    }
}

#[cfg(test)]
pub(crate) mod tests;

//! Whether an OSV record affects one package version, with the OSV evaluation rules.
//!
//! A record is first [`compile`]d for one package (its matching `affected` entries, with every
//! range bound parsed once under the package's ecosystem ordering); the compiled form is then
//! [`Compiled::check`]ed against each version of that package found in the scan.
//!
//! Rules (OSV schema, "Evaluation"): an entry matches when its `package.ecosystem` (without a
//! `:suffix`) is the package's ecosystem and its normalised name is the package's; a version is
//! affected when it is in the entry's `versions` list or inside one of its `SEMVER`/`ECOSYSTEM`
//! ranges. A range's events are evaluated in version order (`introduced: "0"` first, `limit:
//! "*"` last): `introduced` at or below the version turns it on, `fixed` at or below turns it
//! off, `last_affected` strictly below turns it off; when a range has `limit` events the version
//! must be below one of them. `GIT` ranges are skipped (a registry package has no commit), and
//! withdrawn records match nothing.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::osv::{Affected, Range, Vulnerability};
use super::severity::{self, Rating};
use crate::model::{normalize_name, Ecosystem};
use crate::version::{Scheme, Version};

/// A record compiled for one package: its matching entries with parsed bounds.
#[derive(Debug)]
pub struct Compiled<'r> {
    /// The record.
    pub record: &'r Vulnerability,
    entries: Vec<Entry<'r>>,
    /// The record's rating for this package, computed on the first hit.
    rating: OnceLock<Rating>,
}

#[derive(Debug)]
struct Entry<'r> {
    affected: &'r Affected,
    ranges: Vec<CompiledRange>,
    /// The `versions` list.
    versions: &'r [String],
}

#[derive(Debug)]
struct CompiledRange {
    /// Events sorted by version (stable, so equal versions keep the record's order).
    events: Vec<(Bound, EventKind)>,
    /// The `limit` bounds; empty means the implicit `*`.
    limits: Vec<Bound>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
}

/// A range bound: `introduced: "0"` sorts before every version, a `limit` with `*` after.
#[derive(Debug, Clone)]
enum Bound {
    Zero,
    Version(Version),
    Infinity,
}

impl Bound {
    fn cmp_version(&self, v: &Version) -> Ordering {
        match self {
            Bound::Zero => Ordering::Less,
            Bound::Version(b) => b.cmp(v),
            Bound::Infinity => Ordering::Greater,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Bound::Zero => 0,
            Bound::Version(_) => 1,
            Bound::Infinity => 2,
        }
    }
}

impl PartialEq for Bound {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Bound {}

impl PartialOrd for Bound {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Bound {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Bound::Version(a), Bound::Version(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// One record that affects one package version.
#[derive(Debug, Clone)]
pub struct Hit<'r> {
    /// The record.
    pub record: &'r Vulnerability,
    /// The record's entries that matched the package and version.
    pub affected: Vec<&'r Affected>,
    /// The lowest `fixed` version above the package's version on a range that contains it.
    pub fixed_in: Option<Version>,
    /// The record's severity for this package (its own scores, then those of its entries for
    /// the package).
    pub rating: Rating,
}

/// Compiles `record` for the package `name` (already normalised with
/// [`normalize_name`]) of `ecosystem`, parsing bounds under `scheme`. `None` when the record is
/// withdrawn or has no entry for the package.
pub fn compile<'r>(
    record: &'r Vulnerability,
    ecosystem: Ecosystem,
    normalized_name: &str,
    scheme: Scheme,
) -> Option<Compiled<'r>> {
    if record.withdrawn.is_some() {
        return None;
    }
    let entries: Vec<Entry<'r>> = record
        .affected
        .iter()
        .filter(|a| {
            a.package.as_ref().is_some_and(|p| {
                Ecosystem::from_osv(&p.ecosystem) == Some(ecosystem)
                    && normalize_name(ecosystem, &p.name) == normalized_name
            })
        })
        .map(|a| Entry {
            affected: a,
            ranges: a
                .ranges
                .iter()
                .filter_map(|r| compile_range(r, scheme))
                .collect(),
            versions: &a.versions,
        })
        .collect();
    (!entries.is_empty()).then_some(Compiled {
        record,
        entries,
        rating: OnceLock::new(),
    })
}

fn compile_range(range: &Range, scheme: Scheme) -> Option<CompiledRange> {
    if !(range.kind.eq_ignore_ascii_case("SEMVER") || range.kind.eq_ignore_ascii_case("ECOSYSTEM"))
    {
        // GIT ranges need the commit graph and a commit, which registry packages lack; unknown
        // types have no defined meaning.
        return None;
    }
    let mut events = Vec::with_capacity(range.events.len());
    let mut limits = Vec::new();
    for e in &range.events {
        // A valid event sets exactly one field; a malformed one with several is read as each
        // of them, which keeps the evaluation total.
        if let Some(s) = &e.introduced {
            let bound = if s.trim() == "0" {
                Bound::Zero
            } else {
                Bound::Version(scheme.parse_lenient(s.trim()))
            };
            events.push((bound, EventKind::Introduced));
        }
        if let Some(s) = &e.fixed {
            events.push((
                Bound::Version(scheme.parse_lenient(s.trim())),
                EventKind::Fixed,
            ));
        }
        if let Some(s) = &e.last_affected {
            events.push((
                Bound::Version(scheme.parse_lenient(s.trim())),
                EventKind::LastAffected,
            ));
        }
        if let Some(s) = &e.limit {
            limits.push(if s.contains('*') {
                Bound::Infinity
            } else {
                Bound::Version(scheme.parse_lenient(s.trim()))
            });
        }
    }
    events.sort_by(|a, b| a.0.cmp(&b.0));
    Some(CompiledRange { events, limits })
}

impl CompiledRange {
    /// Whether `v` is inside the range, and if so the lowest `fixed` bound above it.
    fn check(&self, v: &Version) -> Option<Option<&Version>> {
        if !self.limits.is_empty() && !self.limits.iter().any(|l| l.cmp_version(v).is_gt()) {
            return None;
        }
        let mut affected = false;
        let mut after = self.events.len();
        for (i, (bound, kind)) in self.events.iter().enumerate() {
            let order = bound.cmp_version(v);
            if order.is_gt() {
                // Sorted: no later event can apply to `v` either.
                after = i;
                break;
            }
            match kind {
                EventKind::Introduced => affected = true,
                EventKind::Fixed => affected = false,
                EventKind::LastAffected => {
                    if order.is_lt() {
                        affected = false;
                    }
                }
            }
        }
        if !affected {
            return None;
        }
        let fix = self
            .events
            .get(after..)
            .unwrap_or_default()
            .iter()
            .find_map(|(b, k)| match (b, k) {
                (Bound::Version(f), EventKind::Fixed) => Some(f),
                _ => None,
            });
        Some(fix)
    }
}

impl<'r> Compiled<'r> {
    /// Whether the record affects version `v` (parsed under the scheme the record was compiled
    /// with), and how.
    pub fn check(&self, v: &Version) -> Option<Hit<'r>> {
        let mut affected = Vec::new();
        let mut fixed_in: Option<&Version> = None;
        for entry in &self.entries {
            let mut hit = false;
            let mut entry_fix: Option<&Version> = None;
            for range in &entry.ranges {
                if let Some(fix) = range.check(v) {
                    hit = true;
                    entry_fix = lowest(entry_fix, fix);
                }
            }
            if !hit && in_versions(entry.versions, v, entry.ranges.is_empty()) {
                hit = true;
                // Listed explicitly but in no range we could read (or in no range at all): the
                // entry's lowest fix above the version is still the best advice.
                entry_fix = entry
                    .ranges
                    .iter()
                    .flat_map(|r| r.events.iter())
                    .filter_map(|(b, k)| match (b, k) {
                        (Bound::Version(f), EventKind::Fixed) if f > v => Some(f),
                        _ => None,
                    })
                    .min();
            }
            if hit {
                affected.push(entry.affected);
                fixed_in = lowest(fixed_in, entry_fix);
            }
        }
        if affected.is_empty() {
            return None;
        }
        let rating = self
            .rating
            .get_or_init(|| {
                let entries: Vec<&Affected> = self.entries.iter().map(|e| e.affected).collect();
                severity::rate(self.record, &entries)
            })
            .clone();
        Some(Hit {
            record: self.record,
            affected,
            fixed_in: fixed_in.cloned(),
            rating,
        })
    }
}

fn lowest<'a>(a: Option<&'a Version>, b: Option<&'a Version>) -> Option<&'a Version> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether `v` is in a `versions` list: the same string, or, when the entry has no range to
/// evaluate (`only_list`), a string the scheme reads as the same version (`1.0` and `1.0.0`
/// under PEP 440). Where readable ranges exist the list is, in practice, their expansion
/// (osv.dev generates it from them), so the exact spelling suffices and long lists stay cheap.
/// Only strings that start with the same number as `v` are parsed.
fn in_versions(versions: &[String], v: &Version, only_list: bool) -> bool {
    let text = v.as_str();
    if versions.iter().any(|s| s == text) {
        return true;
    }
    if !only_list {
        return false;
    }
    let head = leading_number(text);
    versions
        .iter()
        .filter(|s| leading_number(s.trim()) == head)
        .any(|s| v.scheme().parse_lenient(s.trim()) == *v)
}

/// The first run of digits in `s` without leading zeros (`v01.2` → `1`).
fn leading_number(s: &str) -> &str {
    let start = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let rest = s.get(start..).unwrap_or_default();
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let digits = rest.get(..end).unwrap_or_default();
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() && !digits.is_empty() {
        "0"
    } else {
        trimmed
    }
}

/// Every record among `records` that affects `version` of the package `name` in `ecosystem`.
/// A convenience for one-off checks; [`super::find`] compiles each record once per package name.
pub fn affecting<'r>(
    records: &'r [Vulnerability],
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
) -> Vec<Hit<'r>> {
    let scheme = Scheme::for_ecosystem(ecosystem);
    let name = normalize_name(ecosystem, name);
    let v = scheme.parse_lenient(version.trim());
    records
        .iter()
        .filter_map(|r| compile(r, ecosystem, &name, scheme))
        .filter_map(|c| c.check(&v))
        .collect()
}

// ---- aliases ----

/// Records that describe the same vulnerability, collapsed: the preferred id and the others.
#[derive(Debug, Clone)]
pub struct Group<'r> {
    /// The preferred id (see [`preferred_id`]).
    pub id: String,
    /// Every other id of the group (record ids and their aliases), sorted, without `id`.
    pub aliases: Vec<String>,
    /// The records, the preferred one first.
    pub hits: Vec<Hit<'r>>,
}

/// Collapses hits whose records are aliases of each other: two records are the same
/// vulnerability when one lists the other's id in `aliases`, or both list a common alias
/// (`GHSA-…` and `PYSEC-…` both naming `CVE-…`). The relation is closed transitively.
pub fn collapse<'r>(hits: Vec<Hit<'r>>, ecosystem: Ecosystem) -> Vec<Group<'r>> {
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let grand = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }
    if n == 1 {
        // The common case: nothing to collapse.
        return hits
            .into_iter()
            .map(|hit| Group {
                id: hit.record.id.clone(),
                aliases: aliases_of(std::slice::from_ref(&hit), &hit.record.id),
                hits: vec![hit],
            })
            .collect();
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, hit) in hits.iter().enumerate() {
        let ids = std::iter::once(&hit.record.id).chain(hit.record.aliases.iter());
        for id in ids {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    if a != b {
                        if let Some(slot) = parent.get_mut(a.max(b)) {
                            *slot = a.min(b);
                        }
                    }
                }
                None => {
                    owner.insert(id.as_str(), i);
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<Hit<'r>>)> = Vec::new();
    for (i, hit) in hits.into_iter().enumerate() {
        let r = root(&mut parent, i);
        match groups.iter_mut().find(|(g, _)| *g == r) {
            Some((_, members)) => members.push(hit),
            None => groups.push((r, vec![hit])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(_, mut members)| {
            let id = members
                .iter()
                .map(|h| h.record.id.as_str())
                .min_by(|a, b| preferred_id(ecosystem, a, b))?
                .to_owned();
            members.sort_by(|a, b| {
                (a.record.id != id, &a.record.id).cmp(&(b.record.id != id, &b.record.id))
            });
            let aliases = aliases_of(&members, &id);
            Some(Group {
                id,
                aliases,
                hits: members,
            })
        })
        .collect()
}

/// Every id of `members` (record ids and their aliases) but `id`, sorted and unique.
fn aliases_of(members: &[Hit<'_>], id: &str) -> Vec<String> {
    let mut aliases: Vec<String> = members
        .iter()
        .flat_map(|h| std::iter::once(&h.record.id).chain(h.record.aliases.iter()))
        .filter(|a| *a != id && !a.trim().is_empty())
        .cloned()
        .collect();
    aliases.sort();
    aliases.dedup();
    aliases
}

/// Orders ids by preference for the one a finding is named by: the package ecosystem's own
/// advisory database first (`RUSTSEC-`, `PYSEC-`, `GO-`, ...), then GitHub's `GHSA-`, then any
/// other database, then `CVE-`; ties broken by the id text. Only ids of records that matched
/// are candidates, so the finding's id always names a record trusca has.
pub fn preferred_id(ecosystem: Ecosystem, a: &str, b: &str) -> Ordering {
    let rank = |id: &str| -> u8 {
        let prefix = id.split('-').next().unwrap_or_default();
        if native_prefix(ecosystem).contains(&prefix) {
            0
        } else if prefix == "GHSA" {
            1
        } else if prefix == "CVE" {
            3
        } else {
            2
        }
    };
    rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
}

fn native_prefix(ecosystem: Ecosystem) -> &'static [&'static str] {
    match ecosystem {
        Ecosystem::Cargo => &["RUSTSEC"],
        Ecosystem::PyPI => &["PYSEC"],
        Ecosystem::Go => &["GO"],
        Ecosystem::Hackage => &["HSEC"],
        Ecosystem::Cran => &["RSEC"],
        Ecosystem::Julia => &["JLSEC"],
        Ecosystem::Opam => &["OSEC"],
        _ => &[],
    }
}

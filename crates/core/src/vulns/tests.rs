//! Matching tests: OSV range semantics on small hand-written records, alias collapsing, the
//! finding's fields, and real records (`fixtures/osv-records/`, and all of `shared/data/osv`
//! when present) against the end-to-end cases of `fixtures/e2e/`.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::matcher::{affecting, collapse, preferred_id};
use super::*;
use crate::model::Location;

// ---- helpers ----

fn record(json: &str) -> Vulnerability {
    Vulnerability::from_json(json.as_bytes()).expect("valid record")
}

/// A record for one npm-style package with the given ranges JSON.
fn ranged(id: &str, ecosystem: &str, name: &str, ranges: &str) -> Vulnerability {
    record(&format!(
        r#"{{"id": "{id}", "affected": [{{"package": {{"ecosystem": "{ecosystem}", "name": "{name}"}},
            "ranges": {ranges}}}]}}"#
    ))
}

fn ids(hits: &[matcher::Hit<'_>]) -> Vec<String> {
    hits.iter().map(|h| h.record.id.clone()).collect()
}

fn affected(r: &Vulnerability, eco: Ecosystem, name: &str, version: &str) -> bool {
    !affecting(std::slice::from_ref(r), eco, name, version).is_empty()
}

fn fix(r: &Vulnerability, eco: Ecosystem, name: &str, version: &str) -> Option<String> {
    affecting(std::slice::from_ref(r), eco, name, version)
        .first()
        .and_then(|h| h.fixed_in.as_ref().map(|v| v.as_str().to_owned()))
}

fn package(eco: Ecosystem, name: &str, version: Option<&str>, file: &str) -> Package {
    Package::new(
        eco,
        name,
        version,
        Location {
            file: file.into(),
            line: Some(1),
        },
    )
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    dir.is_dir().then_some(dir)
}

/// Every record of `shared/data/osv/all.zip`, read once per test run.
fn shared_records(data: &Path) -> &'static [Vulnerability] {
    static RECORDS: std::sync::OnceLock<Vec<Vulnerability>> = std::sync::OnceLock::new();
    RECORDS.get_or_init(|| read_zip(&data.join("osv/all.zip")))
}

/// The records copied into `fixtures/osv-records/`.
fn fixture_records() -> Vec<Vulnerability> {
    let dir = repo_root().join("fixtures/osv-records");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/osv-records exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).expect("readable record");
        out.push(Vulnerability::from_json(&bytes).expect("fixture record parses"));
    }
    out
}

/// The fixture records as an index.
pub(crate) fn fixture_advisories() -> MemoryAdvisories {
    fixture_records().into_iter().collect()
}

/// A few real packages to match against the fixture records: a direct and a transitive
/// vulnerable npm package, a fixed version, an unpinned package, and a PyPI package with
/// aliased records.
pub(crate) fn packages_with_findings() -> Vec<Package> {
    let mut parent = package(
        Ecosystem::Npm,
        "webpack-dev-server",
        Some("3.11.0"),
        "package-lock.json",
    );
    parent.direct = Some(true);
    let mut ansi = package(
        Ecosystem::Npm,
        "ansi-html",
        Some("0.0.7"),
        "package-lock.json",
    );
    ansi.direct = Some(false);
    ansi.introduced_by = vec![parent.purl.to_string()].into();
    let mut fetch = package(
        Ecosystem::Npm,
        "node-fetch",
        Some("3.0.0-beta.9"),
        "package-lock.json",
    );
    fetch.direct = Some(true);
    let undici = package(
        Ecosystem::Npm,
        "undici",
        Some("5.28.3"),
        "package-lock.json",
    )
    .with_direct(true);
    let unpinned = package(Ecosystem::Npm, "minimist", None, "package.json");
    let flask =
        package(Ecosystem::PyPI, "Flask", Some("1.0"), "requirements.txt").with_direct(true);
    vec![ansi, fetch, flask, parent, undici, unpinned]
}

fn fixture_record(id: &str) -> Vulnerability {
    fixture_records()
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} is in fixtures/osv-records"))
}

/// Every record of an OSV `all.zip`, read directly; records that do not parse are skipped.
pub(crate) fn read_zip(path: &Path) -> Vec<Vulnerability> {
    let file = std::fs::File::open(path).expect("zip opens");
    let mut archive = zip::ZipArchive::new(file).expect("zip reads");
    let mut out = Vec::with_capacity(archive.len());
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            continue;
        };
        buf.clear();
        if entry.read_to_end(&mut buf).is_err() {
            continue;
        }
        if let Ok(r) = Vulnerability::from_json(&buf) {
            out.push(r);
        }
    }
    out
}

// ---- OSV range semantics ----

#[test]
fn introduced_and_fixed_make_a_half_open_range() {
    let r = ranged(
        "X-1",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "1.2.0"}, {"fixed": "1.4.0"}]}]"#,
    );
    let eco = Ecosystem::Npm;
    assert!(!affected(&r, eco, "a", "1.1.9"));
    assert!(affected(&r, eco, "a", "1.2.0"));
    assert!(affected(&r, eco, "a", "1.3.99"));
    assert!(
        !affected(&r, eco, "a", "1.4.0"),
        "the fixed version is not affected"
    );
    assert!(!affected(&r, eco, "a", "2.0.0"));
    assert_eq!(fix(&r, eco, "a", "1.3.0").as_deref(), Some("1.4.0"));
}

#[test]
fn introduced_zero_means_every_earlier_version() {
    let r = ranged(
        "X-2",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.2.4"}]}]"#,
    );
    assert!(affected(&r, Ecosystem::Npm, "a", "0.0.0"));
    assert!(affected(&r, Ecosystem::Npm, "a", "0.0.8"));
    assert!(affected(&r, Ecosystem::Npm, "a", "0.2.4-rc.1"));
    assert!(!affected(&r, Ecosystem::Npm, "a", "0.2.4"));

    let unfixed = ranged(
        "X-3",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}]}]"#,
    );
    assert!(affected(&unfixed, Ecosystem::Npm, "a", "999.0.0"));
    assert_eq!(fix(&unfixed, Ecosystem::Npm, "a", "1.0.0"), None);
}

#[test]
fn last_affected_is_inclusive_and_gives_no_fix() {
    let r = ranged(
        "X-4",
        "PyPI",
        "a",
        r#"[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "2.1.214"}]}]"#,
    );
    assert!(affected(&r, Ecosystem::PyPI, "a", "2.1.214"));
    assert!(!affected(&r, Ecosystem::PyPI, "a", "2.1.214.post1"));
    assert!(!affected(&r, Ecosystem::PyPI, "a", "2.1.215"));
    assert_eq!(fix(&r, Ecosystem::PyPI, "a", "2.0"), None);
}

#[test]
fn limit_bounds_the_range_and_star_is_infinity() {
    let r = ranged(
        "X-5",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "2.0.0"}]}]"#,
    );
    assert!(affected(&r, Ecosystem::Npm, "a", "1.5.0"));
    assert!(!affected(&r, Ecosystem::Npm, "a", "2.0.0"));
    assert!(!affected(&r, Ecosystem::Npm, "a", "0.9.0"));

    let star = ranged(
        "X-6",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "*"}]}]"#,
    );
    assert!(affected(&star, Ecosystem::Npm, "a", "100.0.0"));

    let two_limits = ranged(
        "X-7",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "1.5.0"}, {"limit": "3.0.0"}]}]"#,
    );
    assert!(affected(&two_limits, Ecosystem::Npm, "a", "2.0.0"));
    assert!(!affected(&two_limits, Ecosystem::Npm, "a", "3.0.0"));
}

#[test]
fn several_pairs_in_any_order_and_several_ranges() {
    // Events out of order: they are evaluated sorted by version.
    let r = ranged(
        "X-8",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [
            {"introduced": "3.0.0"}, {"fixed": "3.2.5"}, {"introduced": "1.0.0"}, {"fixed": "1.0.2"}]}]"#,
    );
    let eco = Ecosystem::Npm;
    assert!(affected(&r, eco, "a", "1.0.1"));
    assert!(!affected(&r, eco, "a", "1.0.2"));
    assert!(!affected(&r, eco, "a", "2.0.0"));
    assert!(affected(&r, eco, "a", "3.1.0"));
    assert!(!affected(&r, eco, "a", "3.2.5"));
    assert_eq!(fix(&r, eco, "a", "1.0.0").as_deref(), Some("1.0.2"));
    assert_eq!(fix(&r, eco, "a", "3.0.0").as_deref(), Some("3.2.5"));

    // Two ranges, each a branch with its own fix: the fix on the version's own branch.
    let r = ranged(
        "X-9",
        "Maven",
        "g:a",
        r#"[{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.15.0"}]},
            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.17"}]}]"#,
    );
    assert_eq!(
        fix(&r, Ecosystem::Maven, "g:a", "2.14.1").as_deref(),
        Some("2.15.0")
    );
    assert_eq!(
        fix(&r, Ecosystem::Maven, "g:a", "1.2.9").as_deref(),
        Some("1.2.17")
    );
    assert!(!affected(&r, Ecosystem::Maven, "g:a", "1.2.17"));
}

#[test]
fn explicit_versions_match_without_ranges() {
    let r = record(
        r#"{"id": "X-10", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
            "versions": ["1.0", "1.1rc1"]}]}"#,
    );
    assert!(affected(&r, Ecosystem::PyPI, "a", "1.0"));
    assert!(
        affected(&r, Ecosystem::PyPI, "a", "1.0.0"),
        "PEP 440 equality"
    );
    assert!(affected(&r, Ecosystem::PyPI, "a", "1.1rc1"));
    assert!(!affected(&r, Ecosystem::PyPI, "a", "1.1"));
    assert_eq!(fix(&r, Ecosystem::PyPI, "a", "1.0"), None);
}

#[test]
fn withdrawn_records_and_git_ranges_match_nothing() {
    let withdrawn = record(
        r#"{"id": "X-11", "withdrawn": "2024-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "npm", "name": "a"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}"#,
    );
    assert!(!affected(&withdrawn, Ecosystem::Npm, "a", "1.0.0"));

    let git = ranged(
        "X-12",
        "npm",
        "a",
        r#"[{"type": "GIT", "repo": "https://git.example/a", "events": [{"introduced": "0"}]}]"#,
    );
    assert!(!affected(&git, Ecosystem::Npm, "a", "1.0.0"));
}

#[test]
fn ecosystem_suffix_and_name_normalisation_decide_the_package() {
    let r = ranged(
        "X-13",
        "PyPI",
        "Friendly_Bard",
        r#"[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2"}]}]"#,
    );
    assert!(affected(&r, Ecosystem::PyPI, "friendly.bard", "1"));
    assert!(!affected(&r, Ecosystem::Npm, "Friendly_Bard", "1"));

    let maven = ranged(
        "X-14",
        "Maven:https://repo.example/maven2",
        "g:a",
        r#"[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2"}]}]"#,
    );
    assert!(affected(&maven, Ecosystem::Maven, "g:a", "1"));

    // npm names are case-sensitive.
    let npm = ranged(
        "X-15",
        "npm",
        "JSONStream",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}]}]"#,
    );
    assert!(!affected(&npm, Ecosystem::Npm, "jsonstream", "1.0.0"));
}

#[test]
fn hostile_records_do_not_panic() {
    let r = record(
        r#"{"id": "X-16", "affected": [
            {"package": {"ecosystem": "npm", "name": "a"}, "ranges": [
                {"type": "SEMVER", "events": [{"fixed": "1.0.0"}]},
                {"type": "SEMVER", "events": [{"introduced": "not a version"}, {"fixed": ""}]},
                {"type": "ECOSYSTEM", "events": [{"introduced": "1.0.0", "fixed": "1.0.0"}]},
                {"type": "WHATEVER", "events": [{"introduced": "0"}]},
                {"type": "SEMVER", "events": []}]},
            {"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}"#,
    );
    for v in ["", "0", "1.0.0", "💥", &"9".repeat(5000)] {
        let _ = affected(&r, Ecosystem::Npm, "a", v);
    }
    // A range with only `fixed` never turns on.
    let fixed_only = ranged(
        "X-17",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"fixed": "1.0.0"}]}]"#,
    );
    assert!(!affected(&fixed_only, Ecosystem::Npm, "a", "0.5.0"));
}

// ---- real records from fixtures/osv-records ----

#[test]
fn prerelease_below_the_fix_is_affected() {
    // node-fetch 3.0.0-beta.9 sorts before 3.1.1 and after 1.0 (GHSA-r683-j2x4-v87g).
    let r = fixture_record("GHSA-r683-j2x4-v87g");
    assert!(affected(&r, Ecosystem::Npm, "node-fetch", "3.0.0-beta.9"));
    assert!(!affected(&r, Ecosystem::Npm, "node-fetch", "3.1.1"));
    assert_eq!(
        fix(&r, Ecosystem::Npm, "node-fetch", "3.0.0-beta.9").as_deref(),
        Some("3.1.1")
    );
}

#[test]
fn the_fixed_version_itself_is_not_affected() {
    // undici 5.28.3 is where GHSA-3787-6prv-h9w3 was fixed.
    let r = fixture_record("GHSA-3787-6prv-h9w3");
    assert!(!affected(&r, Ecosystem::Npm, "undici", "5.28.3"));
    assert!(affected(&r, Ecosystem::Npm, "undici", "5.28.2"));
    let minimist = fixture_record("GHSA-xvch-5gv4-984h");
    assert!(affected(&minimist, Ecosystem::Npm, "minimist", "0.0.8"));
    let xml2js = fixture_record("GHSA-776f-qx25-q3cc");
    assert!(affected(&xml2js, Ecosystem::Npm, "xml2js", "0.4.19"));
}

#[test]
fn pypi_spellings_of_a_name_meet() {
    let records = fixture_records();
    let a = ids(&affecting(&records, Ecosystem::PyPI, "Django", "2.2.24"));
    let b = ids(&affecting(&records, Ecosystem::PyPI, "django", "2.2.24"));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

// ---- aliases ----

#[test]
fn aliases_collapse_in_both_directions_and_through_a_shared_cve() {
    let range = r#"[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]"#;
    let mut ghsa = ranged("GHSA-aaaa-bbbb-cccc", "PyPI", "a", range);
    ghsa.aliases = vec!["CVE-2024-0001".into()];
    let mut pysec = ranged("PYSEC-2024-1", "PyPI", "a", range);
    pysec.aliases = vec!["CVE-2024-0001".into(), "GHSA-aaaa-bbbb-cccc".into()];
    let cve = ranged("CVE-2024-0001", "PyPI", "a", range);
    let mut other = ranged("GHSA-zzzz-zzzz-zzzz", "PyPI", "a", range);
    other.aliases = vec!["CVE-2024-9999".into()];
    let records = vec![ghsa, pysec, cve, other];

    let hits = affecting(&records, Ecosystem::PyPI, "a", "1.0");
    assert_eq!(hits.len(), 4);
    let mut groups = collapse(hits, Ecosystem::PyPI);
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].id, "GHSA-zzzz-zzzz-zzzz");
    assert_eq!(groups[0].aliases, ["CVE-2024-9999"]);
    // PyPI's own database is preferred, then GHSA, CVE last.
    assert_eq!(groups[1].id, "PYSEC-2024-1");
    assert_eq!(groups[1].aliases, ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(groups[1].hits.len(), 3);
    assert_eq!(groups[1].hits[0].record.id, "PYSEC-2024-1");
}

#[test]
fn preferred_id_order_is_stable() {
    use std::cmp::Ordering::*;
    assert_eq!(preferred_id(Ecosystem::Npm, "GHSA-x", "CVE-1"), Less);
    assert_eq!(
        preferred_id(Ecosystem::Cargo, "RUSTSEC-2020-1", "GHSA-x"),
        Less
    );
    assert_eq!(preferred_id(Ecosystem::Npm, "GHSA-a", "GHSA-b"), Less);
    assert_eq!(preferred_id(Ecosystem::Go, "GO-2023-1", "GHSA-x"), Less);
    assert_eq!(preferred_id(Ecosystem::Npm, "OSV-1", "CVE-1"), Less);
}

// ---- find ----

#[test]
fn find_fills_sorted_findings_and_counts_unpinned_packages() {
    let mut low = ranged(
        "GHSA-low",
        "npm",
        "b",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]"#,
    );
    low.severity = vec![osv::SeverityScore {
        kind: "CVSS_V3".into(),
        score: "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N".into(),
    }];
    let mut crit = ranged(
        "GHSA-crit",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.5.0"}]}]"#,
    );
    crit.severity = vec![osv::SeverityScore {
        kind: "CVSS_V3".into(),
        score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
    }];
    crit.summary = Some("remote code execution".into());
    crit.references = vec![osv::Reference {
        kind: "ADVISORY".into(),
        url: "https://advisories.example/GHSA-crit".into(),
    }];
    let mut word = ranged(
        "GHSA-word",
        "npm",
        "a",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]"#,
    );
    word.database_specific = Some(serde_json::json!({"severity": "MODERATE"}));
    let advisories: MemoryAdvisories = [low, crit, word].into_iter().collect();

    let mut transitive = package(Ecosystem::Npm, "a", Some("1.0.0"), "package-lock.json");
    transitive.direct = Some(false);
    transitive.introduced_by = vec!["pkg:npm/parent@3.0.0".into()].into();
    let packages = vec![
        package(Ecosystem::Npm, "b", Some("1.0.0"), "package-lock.json"),
        transitive,
        package(Ecosystem::Npm, "a", None, "package.json"),
        package(
            Ecosystem::Npm,
            "a",
            Some("1.5.0"),
            "other/package-lock.json",
        ),
        package(
            Ecosystem::Npm,
            "untracked",
            Some("1.0.0"),
            "package-lock.json",
        ),
    ];
    let matches = find(&packages, &advisories).expect("in-memory lookups never fail");
    let check = matches.check;
    assert_eq!(
        check,
        VulnCheck {
            checked: 4,
            not_checked: 1,
            findings: 3
        }
    );
    assert_eq!(check.findings, matches.findings.len());
    let order: Vec<(&str, &str, SeverityLevel)> = matches
        .findings
        .iter()
        .map(|f| (f.id.as_str(), f.package.as_str(), f.severity))
        .collect();
    assert_eq!(
        order,
        [
            ("GHSA-crit", "a", SeverityLevel::Critical),
            ("GHSA-word", "a", SeverityLevel::Medium),
            ("GHSA-low", "b", SeverityLevel::Low),
        ]
    );
    let crit = &matches.findings[0];
    assert_eq!(crit.score, Some(9.8));
    assert_eq!(crit.fixed_in.as_deref(), Some("1.5.0"));
    assert_eq!(crit.direct, Some(false));
    assert_eq!(crit.introduced_by, ["pkg:npm/parent@3.0.0"]);
    assert_eq!(crit.summary.as_deref(), Some("remote code execution"));
    assert_eq!(crit.references[0].kind, "advisory");
    assert_eq!(crit.location.file, "package-lock.json");
    assert_eq!(matches.findings[1].score, None);
    assert_eq!(matches.findings[1].vector, None);
}

#[test]
fn aliased_records_give_one_finding_with_the_highest_fix() {
    let mut a = ranged(
        "GHSA-aaaa",
        "npm",
        "x",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.0.9"}]}]"#,
    );
    a.aliases = vec!["CVE-2021-1".into()];
    let mut b = ranged(
        "CVE-2021-1",
        "npm",
        "x",
        r#"[{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.0.8"}]}]"#,
    );
    b.severity = vec![osv::SeverityScore {
        kind: "CVSS_V3".into(),
        score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into(),
    }];
    let advisories: MemoryAdvisories = [a, b].into_iter().collect();
    let packages = [package(Ecosystem::Npm, "x", Some("0.0.1"), "f")];
    let findings = find(&packages, &advisories)
        .expect("lookups succeed")
        .findings;
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.id, "GHSA-aaaa");
    assert_eq!(f.aliases, ["CVE-2021-1"]);
    assert_eq!(f.fixed_in.as_deref(), Some("0.0.9"));
    // The severity comes from whichever record of the group has it.
    assert_eq!(f.score, Some(7.5));
}

// ---- end to end: fixtures/e2e against real records ----

#[derive(serde::Deserialize)]
struct Expected {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    fixture: String,
    expected_findings: Vec<ExpectedFinding>,
}

#[derive(serde::Deserialize)]
struct ExpectedFinding {
    ecosystem: String,
    name: String,
    version: String,
    must_include_ids: Vec<String>,
}

/// The extractor for an e2e fixture: by file name, or by the format its name ends with
/// (`my-package-lock.json`, `requirements.prod.txt`).
fn extractor_for(path: &Path) -> Option<&'static crate::inventory::Extractor> {
    if let Some(e) = crate::inventory::for_path(path) {
        return Some(e);
    }
    let name = path.file_name()?.to_str()?;
    let format = if name.ends_with("package-lock.json") {
        "package-lock.json"
    } else if name.ends_with("yarn.lock") {
        "yarn.lock"
    } else if name.ends_with(".txt") && name.starts_with("requirements") {
        "requirements.txt"
    } else if name.ends_with(".csproj") {
        ".csproj"
    } else {
        return None;
    };
    crate::inventory::by_format(format)
}

/// Extracts every fixture of `e2e_dir`, matches against `advisories` and checks that every
/// expected id is reported for its package and version. Returns a list of failures, and prints
/// which fixtures have no extractor yet (their packages are then checked directly).
fn run_e2e(e2e_dir: &Path, advisories: &MemoryAdvisories) -> Vec<String> {
    let text = std::fs::read_to_string(e2e_dir.join("expected-findings.json"))
        .expect("expected-findings.json");
    let expected: Expected = serde_json::from_str(&text).expect("expected findings parse");
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &expected.cases {
        let path = e2e_dir.join(&case.fixture);
        let mut packages = Vec::new();
        match extractor_for(&path) {
            Some(extractor) => {
                let text = std::fs::read_to_string(&path).expect("fixture readable");
                let input = crate::inventory::Input {
                    display: &case.fixture,
                    path: &path,
                    text: &text,
                };
                match extractor.run(&input) {
                    Ok(extracted) => packages = extracted.packages,
                    Err(e) => failures.push(format!("{}: cannot extract: {e}", case.fixture)),
                }
            }
            None => {
                println!(
                    "skipped extraction: no extractor for {}; its expected packages are matched directly",
                    case.fixture
                );
                for want in &case.expected_findings {
                    let eco: Ecosystem = want.ecosystem.parse().expect("known ecosystem");
                    packages.push(package(eco, &want.name, Some(&want.version), &case.fixture));
                }
            }
        }
        let findings = find(&packages, advisories)
            .expect("in-memory lookups never fail")
            .findings;
        for want in &case.expected_findings {
            let eco: Ecosystem = want.ecosystem.parse().expect("known ecosystem");
            let name = crate::model::normalize_name(eco, &want.name);
            let found: Vec<&Finding> = findings
                .iter()
                .filter(|f| {
                    f.ecosystem == eco
                        && crate::model::normalize_name(eco, &f.package) == name
                        && f.version == want.version
                })
                .collect();
            for id in &want.must_include_ids {
                checked += 1;
                let hit = found
                    .iter()
                    .any(|f| f.id == *id || f.aliases.iter().any(|a| a == id));
                if !hit {
                    let got: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
                    failures.push(format!(
                        "{}: {} {}@{} should report {id}; reported {got:?}",
                        case.fixture, want.ecosystem, want.name, want.version
                    ));
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} expectations were checked");
    failures
}

#[test]
fn e2e_cases_find_every_expected_advisory_in_fixture_records() {
    let advisories: MemoryAdvisories = fixture_records().into_iter().collect();
    let failures = run_e2e(&repo_root().join("fixtures/e2e"), &advisories);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn e2e_cases_find_every_expected_advisory_in_all_shared_records() {
    let Some(data) = shared_data() else {
        println!("skipped: shared/data not found");
        return;
    };
    let advisories: MemoryAdvisories = shared_records(&data).iter().cloned().collect();
    assert!(advisories.len() > 20_000);
    let failures = run_e2e(&data.join("e2e"), &advisories);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn lockfile_hints_from_the_shared_data_hold_against_all_records() {
    let Some(data) = shared_data() else {
        println!("skipped: shared/data not found");
        return;
    };
    let records = shared_records(&data);
    let reported = |name: &str, version: &str| -> Vec<String> {
        ids(&affecting(records, Ecosystem::Npm, name, version))
    };
    assert!(reported("minimist", "0.0.8").contains(&"GHSA-xvch-5gv4-984h".to_owned()));
    assert!(reported("node-fetch", "3.0.0-beta.9").contains(&"GHSA-r683-j2x4-v87g".to_owned()));
    assert!(reported("xml2js", "0.4.19").contains(&"GHSA-776f-qx25-q3cc".to_owned()));
    assert!(!reported("undici", "5.28.3").contains(&"GHSA-3787-6prv-h9w3".to_owned()));
}

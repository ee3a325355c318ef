//! Turning an uploaded document into rows: a trusca JSON result, or a plain CycloneDX JSON SBOM
//! from any tool (read tolerantly: unknown fields are ignored, components without a name are
//! skipped, nested components are flattened), and adding the server's own matches of its
//! components against the vulnerability database.

use std::collections::HashMap;
use std::str::FromStr;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use trusca_core::model::purl::Purl;
use trusca_core::model::{Ecosystem, Location, Package, Scope};
use trusca_core::scan::Scan;
use trusca_core::vulns::{Advisories, Category, Finding, SeverityLevel};

use crate::db::types::TextEnum;
use crate::rows::{Component, FindingRow, Ingest, SourceKind};
use trusca_core::model::purl::base_of as package_of;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The body is not well-formed JSON.
    #[error("{0}")]
    MalformedJson(String),
    /// The body is JSON but not a document the server reads, or holds text it cannot store.
    #[error("{0}")]
    Invalid(String),
    /// The document lists more components than allowed.
    #[error("the document lists {found} components, more than the {limit} accepted")]
    TooManyComponents {
        /// How many were found.
        found: usize,
        /// The configured limit.
        limit: usize,
    },
}

/// Parses an upload body (already checked for size and depth). A first pass reads only the
/// keys that tell the kinds apart (without building the document); a trusca result is then
/// read straight into its types, a CycloneDX SBOM through a JSON tree (it is read tolerantly).
pub fn parse(body: &[u8], max_components: usize) -> Result<Ingest, IngestError> {
    let probe: Probe = from_json(body).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            IngestError::MalformedJson(format!("the body is not valid JSON: {e}"))
        } else {
            IngestError::Invalid(
                "the body must be a JSON object: a trusca result or a CycloneDX SBOM".into(),
            )
        }
    })?;
    if probe.bom_format.as_ref().and_then(Value::as_str) == Some("CycloneDX") {
        let value: Value = from_json(body)
            .map_err(|e| IngestError::Invalid(format!("the body cannot be read: {e}")))?;
        return cyclonedx(&value, max_components).and_then(refuse_nul);
    }
    if let (Some(_), Some(Count(count))) = (probe.schema_version, probe.packages) {
        if count > max_components {
            return Err(IngestError::TooManyComponents {
                found: count,
                limit: max_components,
            });
        }
        let scan: Scan = from_json(body)
            .map_err(|e| IngestError::Invalid(format!("not a valid trusca result: {e}")))?;
        return refuse_nul(from_scan(scan));
    }
    Err(IngestError::Invalid(
        "the body is neither a trusca result (`schema_version`, `packages`) nor a CycloneDX SBOM \
         (`bomFormat`: `CycloneDX`)"
            .into(),
    ))
}

/// Nesting up to which documents are parsed without serde_json's own recursion limit.
const DEPTH_CAP: usize = 256;

/// A JSON document parsed. serde_json stops at 127 levels of nesting by itself, below the
/// server's documented limit of 128 (`max_json_depth`, checked before parsing); a document
/// within [`DEPTH_CAP`] levels is parsed without that limit, so the documented one holds.
fn from_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(body);
    if !too_deep(body, DEPTH_CAP) {
        de.disable_recursion_limit();
    }
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Refuses an upload with a NUL character (U+0000) in any text it would store: PostgreSQL
/// text cannot hold one, and both backends answer the same.
fn refuse_nul(ingest: Ingest) -> Result<Ingest, IngestError> {
    let has_nul = |s: &str| s.contains('\0');
    let opt = |s: &Option<String>| s.as_deref().is_some_and(has_nul);
    let refuse = |what: String| {
        Err(IngestError::Invalid(format!(
            "{what} contains a NUL character (U+0000), which cannot be stored"
        )))
    };
    if opt(&ingest.commit) || opt(&ingest.tool) || opt(&ingest.name) {
        return refuse("the document's target or tool".into());
    }
    for (i, c) in ingest.components.iter().enumerate() {
        let texts = [&c.purl, &c.package, &c.name];
        let optional = [&c.ecosystem, &c.version, &c.location, &c.license];
        if texts.iter().any(|s| has_nul(s)) || optional.iter().any(|s| opt(s)) {
            return refuse(format!(
                "component {} (`{}`)",
                i + 1,
                c.name.escape_default()
            ));
        }
    }
    for (i, f) in ingest.findings.iter().enumerate() {
        let texts = [&f.advisory_id, &f.purl, &f.package, &f.version];
        if texts.iter().any(|s| has_nul(s))
            || f.aliases.iter().any(|s| has_nul(s))
            || opt(&f.fixed_in)
            || opt(&f.summary)
        {
            return refuse(format!(
                "finding {} (`{}`)",
                i + 1,
                f.advisory_id.escape_default()
            ));
        }
    }
    Ok(ingest)
}

/// The top-level keys of an upload that tell a trusca result from a CycloneDX SBOM; the rest
/// of the document is skipped over, not built.
#[derive(serde::Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<Value>,
    schema_version: Option<IgnoredAny>,
    packages: Option<Count>,
}

/// The number of elements of a JSON array (0 for any other value), counted while skipping it.
struct Count(usize);

impl<'de> serde::Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Count, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Count(0))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Count, E> {
                Ok(Count(0))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Count, E> {
                Ok(Count(0))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Count, E> {
                Ok(Count(0))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Count, E> {
                Ok(Count(0))
            }
            fn visit_str<E>(self, _: &str) -> Result<Count, E> {
                Ok(Count(0))
            }
            fn visit_unit<E>(self) -> Result<Count, E> {
                Ok(Count(0))
            }
        }
        d.deserialize_any(Counter)
    }
}

/// A trusca result: components and findings as the CLI computed them.
pub fn from_scan(scan: Scan) -> Ingest {
    let components = scan
        .packages
        .iter()
        .map(|p| Component {
            package: package_of(&p.purl),
            purl: p.purl.to_string(),
            ecosystem: Some(p.ecosystem.osv_name().to_owned()),
            name: p.name.to_string(),
            version: p.version.as_deref().map(str::to_owned),
            scope: p.scope,
            direct: p.direct,
            location: Some(p.location.to_string()),
            license: p.license.as_ref().and_then(|l| l.concluded.clone()),
            license_tier: p.license.as_ref().map(|l| l.tier),
        })
        .collect();
    let findings = scan
        .findings
        .iter()
        .map(|f| FindingRow {
            advisory_id: f.id.clone(),
            aliases: f.aliases.clone(),
            package: package_of(&f.purl),
            purl: f.purl.clone(),
            version: f.version.clone(),
            severity: f.severity,
            score: f.score,
            fixed_in: f.fixed_in.clone(),
            summary: f.summary.clone(),
            category: f.category,
        })
        .collect();
    Ingest {
        kind: SourceKind::Trusca,
        commit: scan.target.commit.clone(),
        tool: Some(format!("{} {}", scan.tool.name, scan.tool.version)),
        name: Some(scan.target.name.clone()),
        components,
        findings,
        vulns_checked: scan.vuln_check.is_some(),
        files: scan.files,
        diagnostics: scan.diagnostics,
    }
}

/// Adds the server's own matches to an upload's findings (see [`match_components`]).
pub fn add_matches<A: Advisories + ?Sized>(
    ingest: &mut Ingest,
    advisories: &A,
) -> Result<(), A::Error> {
    let carried = std::mem::take(&mut ingest.findings);
    ingest.findings = match_components(&ingest.components, carried, advisories)?;
    Ok(())
}

/// What the server's own database says of an upload: the findings the document carries whose
/// advisory the database holds as withdrawn are dropped (the document was made with older
/// data), then the components are matched ([`add_matches`]). Used at upload and re-match.
pub fn apply_server_db(
    ingest: &mut Ingest,
    store: &trusca_core::vulns::db::Db,
) -> Result<(), trusca_core::vulns::db::DbError> {
    // Each advisory looked up once, however many components it names.
    let mut withdrawn: HashMap<String, bool> = HashMap::new();
    let mut kept = Vec::with_capacity(ingest.findings.len());
    for f in std::mem::take(&mut ingest.findings) {
        let gone = match withdrawn.get(&f.advisory_id) {
            Some(&gone) => gone,
            None => {
                let gone = store.is_withdrawn(&f.advisory_id)? == Some(true);
                withdrawn.insert(f.advisory_id.clone(), gone);
                gone
            }
        };
        if !gone {
            kept.push(f);
        }
    }
    ingest.findings = kept;
    add_matches(ingest, store)
}

/// The findings of an upload: the ones the document carries (a trusca result's `findings`, a
/// CycloneDX `vulnerabilities` section) united with the server's own matches of the components
/// against `advisories` (the core matcher, [`trusca_core::vulns::find`]).
///
/// A component is matched when its purl (or, without one, its ecosystem and name) names a
/// package of an ecosystem trusca knows and gives a version. A server match is dropped when
/// the document already reports the same purl with the same advisory id or any alias of it;
/// the carried finding is kept and only its missing `fixed_in`, score and summary are filled
/// from the match. Matches are deduplicated by purl and advisory id.
pub fn match_components<A: Advisories + ?Sized>(
    components: &[Component],
    carried: Vec<FindingRow>,
    advisories: &A,
) -> Result<Vec<FindingRow>, A::Error> {
    let packages: Vec<Package> = components.iter().filter_map(package_for).collect();
    if packages.is_empty() {
        return Ok(carried);
    }
    let matches = trusca_core::vulns::find(&packages, advisories)?;
    Ok(merge(carried, matches.findings))
}

/// Unites carried findings and matches (see [`match_components`]).
fn merge(mut findings: Vec<FindingRow>, matches: Vec<Finding>) -> Vec<FindingRow> {
    // Every id of each carried finding, by purl, pointing at the finding.
    let mut known: HashMap<(String, String), usize> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        for id in std::iter::once(&f.advisory_id).chain(&f.aliases) {
            known.entry((f.purl.clone(), id.clone())).or_insert(i);
        }
    }
    let carried = findings.len();
    for m in matches {
        let hit = std::iter::once(&m.id)
            .chain(&m.aliases)
            .find_map(|id| known.get(&(m.purl.clone(), id.clone())).copied());
        if let Some(i) = hit {
            if let Some(f) = findings.get_mut(i).filter(|_| i < carried) {
                if f.fixed_in.is_none() {
                    f.fixed_in.clone_from(&m.fixed_in);
                }
                if f.score.is_none() {
                    f.score = m.score;
                }
                if f.summary.is_none() {
                    f.summary.clone_from(&m.summary);
                }
                if m.category == Category::Malicious {
                    f.category = Category::Malicious;
                }
            }
            continue;
        }
        known.insert((m.purl.clone(), m.id.clone()), findings.len());
        findings.push(FindingRow {
            package: package_of(&m.purl),
            advisory_id: m.id,
            aliases: m.aliases,
            purl: m.purl,
            version: m.version,
            severity: m.severity,
            score: m.score,
            fixed_in: m.fixed_in,
            summary: m.summary,
            category: m.category,
        });
    }
    findings
}

/// The core package a component stands for, when it can be matched: from its purl (the
/// ecosystem's own spelling of the name is rebuilt from namespace and name), else from its
/// ecosystem and name. The package keeps the component's purl, so findings point back at it.
fn package_for(c: &Component) -> Option<Package> {
    let parsed = (!c.purl.is_empty())
        .then(|| Purl::from_str(&c.purl).ok())
        .flatten();
    let (ecosystem, name, purl_version) = match &parsed {
        Some(p) => (
            p.ecosystem()?,
            p.native_name(),
            p.version().map(str::to_owned),
        ),
        None if c.purl.is_empty() => {
            let ecosystem: Ecosystem = c.ecosystem.as_deref()?.parse().ok()?;
            (ecosystem, c.name.clone(), None)
        }
        None => return None,
    };
    let version = purl_version.or_else(|| c.version.clone())?;
    let location = Location {
        file: c.location.as_deref().unwrap_or_default().into(),
        line: None,
    };
    let mut package = Package::new(ecosystem, &name, Some(&version), location);
    if !c.purl.is_empty() {
        package.purl = c.purl.as_str().into();
    }
    package.direct = c.direct;
    Some(package)
}

fn cyclonedx(doc: &Value, max_components: usize) -> Result<Ingest, IngestError> {
    let mut components = Vec::new();
    let mut refs: HashMap<String, usize> = HashMap::new();
    let mut stack: Vec<&Value> = Vec::new();
    if let Some(list) = doc.get("components").and_then(Value::as_array) {
        stack.extend(list.iter().rev());
    }
    while let Some(c) = stack.pop() {
        if let Some(nested) = c.get("components").and_then(Value::as_array) {
            stack.extend(nested.iter().rev());
        }
        let Some(component) = cdx_component(c) else {
            continue;
        };
        if components.len() >= max_components {
            return Err(IngestError::TooManyComponents {
                found: components.len() + 1 + stack.len(),
                limit: max_components,
            });
        }
        if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
            refs.insert(r.to_owned(), components.len());
        }
        components.push(component);
    }
    // Direct dependencies: what the root component depends on, when the graph is given.
    let root = doc
        .pointer("/metadata/component/bom-ref")
        .and_then(Value::as_str);
    if let (Some(root), Some(deps)) = (root, doc.get("dependencies").and_then(Value::as_array)) {
        let direct: Vec<&str> = deps
            .iter()
            .filter(|d| d.get("ref").and_then(Value::as_str) == Some(root))
            .filter_map(|d| d.get("dependsOn").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !direct.is_empty() {
            for c in &mut components {
                c.direct = Some(false);
            }
            for r in direct {
                if let Some(c) = refs.get(r).and_then(|&i| components.get_mut(i)) {
                    c.direct = Some(true);
                }
            }
        }
    }
    let findings = cdx_vulnerabilities(doc, &refs, &components);
    let tool = doc
        .pointer("/metadata/tools/components/0/name")
        .or_else(|| doc.pointer("/metadata/tools/0/name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Ingest {
        kind: SourceKind::Cyclonedx,
        commit: None,
        tool,
        name: doc
            .pointer("/metadata/component/name")
            .and_then(Value::as_str)
            .map(str::to_owned),
        components,
        findings,
        files: Vec::new(),
        diagnostics: Vec::new(),
        vulns_checked: doc.get("vulnerabilities").is_some_and(Value::is_array),
    })
}

fn cdx_component(c: &Value) -> Option<Component> {
    let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    let purl = text("purl").unwrap_or_default();
    let name = text("name").filter(|n| !n.is_empty())?;
    let ecosystem = purl
        .parse::<Purl>()
        .ok()
        .and_then(|p| p.ecosystem())
        .map(|e| e.osv_name().to_owned());
    let scope = match c.get("scope").and_then(Value::as_str) {
        Some("optional") => Scope::Optional,
        Some("excluded") => Scope::Dev,
        _ => Scope::Runtime,
    };
    let license = c
        .get("licenses")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(|l| {
            l.get("expression")
                .or_else(|| l.pointer("/license/id"))
                .or_else(|| l.pointer("/license/name"))
        })
        .and_then(Value::as_str)
        .map(str::to_owned);
    let name = match text("group").filter(|g| !g.is_empty()) {
        Some(group) if !name.contains(&group) => format!("{group}/{name}"),
        _ => name,
    };
    Some(Component {
        package: package_of(&purl),
        purl,
        ecosystem,
        name,
        version: text("version"),
        scope,
        direct: None,
        location: None,
        license,
        license_tier: None,
    })
}

fn cdx_vulnerabilities(
    doc: &Value,
    refs: &HashMap<String, usize>,
    components: &[Component],
) -> Vec<FindingRow> {
    let mut out = Vec::new();
    let Some(vulns) = doc.get("vulnerabilities").and_then(Value::as_array) else {
        return out;
    };
    for v in vulns {
        let Some(id) = v.get("id").and_then(Value::as_str) else {
            continue;
        };
        let rating = v
            .get("ratings")
            .and_then(Value::as_array)
            .and_then(|r| r.first());
        let severity = rating
            .and_then(|r| r.get("severity"))
            .and_then(Value::as_str)
            .and_then(|s| SeverityLevel::parse(&s.to_ascii_lowercase()).ok())
            .unwrap_or(SeverityLevel::Unknown);
        let score = rating.and_then(|r| r.get("score")).and_then(Value::as_f64);
        let aliases: Vec<String> = v
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("id").and_then(Value::as_str))
            .filter(|a| *a != id)
            .map(str::to_owned)
            .collect();
        for a in v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(c) = a
                .get("ref")
                .and_then(Value::as_str)
                .and_then(|r| refs.get(r))
                .and_then(|&i| components.get(i))
            else {
                continue;
            };
            out.push(FindingRow {
                advisory_id: id.to_owned(),
                aliases: aliases.clone(),
                purl: c.purl.clone(),
                package: c.package.clone(),
                version: c.version.clone().unwrap_or_default(),
                severity,
                score,
                fixed_in: None,
                summary: v
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|s| s.chars().take(300).collect()),
                // The SBOM says no more than the id: an OSV `MAL-` record is malicious.
                category: if id.starts_with("MAL-") {
                    Category::Malicious
                } else {
                    Category::Vulnerability
                },
            });
        }
    }
    out
}

/// Whether a JSON text nests arrays and objects deeper than `max`. Scans the bytes once without
/// building anything, so a hostile document is refused before it is deserialised.
pub fn too_deep(body: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert!(!too_deep(br#"{"a":"[[[[[[["}"#, 2));
        assert!(too_deep(b"[[[", 2));
        assert!(!too_deep(b"[[]]", 2));
    }

    #[test]
    fn cyclonedx_components_are_read_tolerantly() {
        let doc = br#"{"bomFormat":"CycloneDX","specVersion":"1.4",
          "metadata":{"component":{"name":"app","bom-ref":"root"}},
          "components":[{"name":"a","version":"1","purl":"pkg:npm/a@1","bom-ref":"a",
             "components":[{"name":"b","purl":"pkg:npm/b@2","bom-ref":"b"}]},
             {"type":"library"}, {"name":"c","scope":"optional","licenses":[{"license":{"id":"MIT"}}]}],
          "dependencies":[{"ref":"root","dependsOn":["a"]}],
          "vulnerabilities":[{"id":"GHSA-x","ratings":[{"severity":"high","score":7.5}],
             "references":[{"id":"CVE-1"}],"affects":[{"ref":"b"}]}]}"#;
        let Ok(i) = parse(doc, 10) else {
            panic!("parse failed")
        };
        assert_eq!(i.name.as_deref(), Some("app"));
        let names: Vec<_> = i.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(i.components[0].direct, Some(true));
        assert_eq!(i.components[1].direct, Some(false));
        assert_eq!(i.components[2].license.as_deref(), Some("MIT"));
        assert_eq!(i.components[0].ecosystem.as_deref(), Some("npm"));
        assert_eq!(i.findings.len(), 1);
        assert_eq!(i.findings[0].aliases, ["CVE-1"]);
        assert!(matches!(
            parse(doc, 2),
            Err(IngestError::TooManyComponents { .. })
        ));
    }
}

//! SPDX 2.2 and 2.3 JSON: packages with their purl (`externalRefs`), CPE and licenses, and the
//! dependency graph from `relationships`. The relationship rules are shared with tag-value.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{entry_warning, shown, Component, Document};
use crate::model::Scope;

/// The SPDX versions trusca reads.
pub(super) const VERSIONS: [&str; 2] = ["SPDX-2.2", "SPDX-2.3"];

pub(super) fn parse(text: &str) -> Result<Document, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.find(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
        format!("invalid JSON at line {}: {msg}", e.line())
    })?;
    let Some(obj) = doc.as_object() else {
        return Err("the document is not a JSON object".into());
    };
    let version = match obj.get("spdxVersion") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err("`spdxVersion` is not a string".into()),
        None => return Err("`spdxVersion` is missing".into()),
    };
    check_version(version)?;
    let mut out = Document {
        format: format!("{} JSON", version.replace('-', " ")),
        name: obj.get("name").and_then(Value::as_str).map(str::to_owned),
        tool: doc
            .pointer("/creationInfo/creators")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(|c| c.strip_prefix("Tool:"))
            .map(|t| t.trim().to_owned()),
        ..Document::default()
    };
    let mut graph = Graph::default();
    match obj.get("packages") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let entry = format!("packages[{i}]");
                match package(item, &entry) {
                    Ok(c) => out.components.push(c),
                    Err(message) => out.diagnostics.push(entry_warning(&entry, message)),
                }
            }
        }
        Some(_) => out.diagnostics.push(entry_warning(
            "packages",
            "is not an array; no package is read",
        )),
    }
    if let Some(described) = obj.get("documentDescribes").and_then(Value::as_array) {
        graph.described.extend(
            described
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned),
        );
    }
    match obj.get("relationships") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, r) in items.iter().enumerate() {
                let field = |k: &str| r.get(k).and_then(Value::as_str);
                match (
                    field("spdxElementId"),
                    field("relationshipType"),
                    field("relatedSpdxElement"),
                ) {
                    (Some(a), Some(kind), Some(b)) => graph.add(a, kind, b),
                    _ => out.diagnostics.push(entry_warning(
                        &format!("relationships[{i}]"),
                        "needs `spdxElementId`, `relationshipType` and `relatedSpdxElement` \
                         strings; skipped",
                    )),
                }
            }
        }
        Some(_) => out.diagnostics.push(entry_warning(
            "relationships",
            "is not an array; the dependency graph is not read",
        )),
    }
    graph.finish(&mut out);
    Ok(out)
}

/// Refuses a version trusca does not read.
pub(super) fn check_version(version: &str) -> Result<(), String> {
    if VERSIONS.contains(&version) {
        Ok(())
    } else {
        Err(format!(
            "unsupported SPDX version `{}` (trusca reads SPDX-2.2 and SPDX-2.3)",
            shown(version)
        ))
    }
}

fn package(item: &Value, entry: &str) -> Result<Component, String> {
    let Some(obj) = item.as_object() else {
        return Err("is not an object; skipped".into());
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` is not a string; the package is skipped")),
        }
    };
    let name = text("name")?.ok_or("has no `name`; skipped")?;
    let reference = text("SPDXID")?.ok_or("has no `SPDXID`; skipped")?;
    let mut c = Component {
        reference,
        name,
        version: text("versionInfo")?,
        entry: entry.to_owned(),
        ..Component::default()
    };
    for r in obj
        .get("externalRefs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = r.get("referenceType").and_then(Value::as_str);
        let locator = r.get("referenceLocator").and_then(Value::as_str);
        if let (Some(kind), Some(locator)) = (kind, locator) {
            external_ref(&mut c, kind, locator);
        }
    }
    for key in ["licenseConcluded", "licenseDeclared"] {
        if let Some(l) = text(key)?.filter(|l| is_assertion(l)) {
            c.licenses.push(l);
            break;
        }
    }
    Ok(c)
}

/// An `externalRefs` entry (JSON) or `ExternalRef:` line (tag-value) of a package.
pub(super) fn external_ref(c: &mut Component, kind: &str, locator: &str) {
    match kind {
        "purl" if c.purl.is_none() => c.purl = Some(locator.to_owned()),
        "cpe23Type" | "cpe22Type" if c.cpe.is_none() => c.cpe = Some(locator.to_owned()),
        _ => {}
    }
}

/// Whether a license field says something (`NOASSERTION` and `NONE` say nothing usable).
pub(super) fn is_assertion(l: &str) -> bool {
    !matches!(l.trim(), "" | "NOASSERTION" | "NONE")
}

/// The relationships of a document, turned into dependency edges and a root.
#[derive(Debug, Default)]
pub(super) struct Graph {
    /// What the document describes (`documentDescribes`, `DESCRIBES`).
    pub described: Vec<String>,
    /// Dependency edges, by dependent.
    edges: BTreeMap<String, Vec<String>>,
    /// Scopes the relationship types give (`DEV_DEPENDENCY_OF`).
    scopes: BTreeMap<String, Scope>,
}

impl Graph {
    /// One relationship `a TYPE b`.
    pub fn add(&mut self, a: &str, kind: &str, b: &str) {
        let mut edge = |from: &str, to: &str| {
            self.edges
                .entry(from.to_owned())
                .or_default()
                .push(to.to_owned());
        };
        match kind {
            "DESCRIBES" => self.described.push(b.to_owned()),
            "DESCRIBED_BY" => self.described.push(a.to_owned()),
            "DEPENDS_ON" | "CONTAINS" => edge(a, b),
            "CONTAINED_BY" => edge(b, a),
            "DEPENDENCY_OF" | "RUNTIME_DEPENDENCY_OF" => edge(b, a),
            "DEV_DEPENDENCY_OF" | "BUILD_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" => {
                edge(b, a);
                self.scopes.insert(a.to_owned(), Scope::Dev);
            }
            "OPTIONAL_DEPENDENCY_OF" => {
                edge(b, a);
                self.scopes.insert(a.to_owned(), Scope::Optional);
            }
            _ => {}
        }
    }

    /// Sets the root, the edges and the scopes of `doc`. The root is the one package the
    /// document describes; a document describing several (or none) has no root.
    pub fn finish(self, doc: &mut Document) {
        let described: Vec<&String> = self
            .described
            .iter()
            .filter(|d| d.as_str() != "SPDXRef-DOCUMENT")
            .collect();
        if let [root] = described.as_slice() {
            doc.root = Some((*root).clone());
            if let Some(c) = doc.components.iter().find(|c| &c.reference == *root) {
                doc.name = Some(c.name.clone());
            }
        }
        for c in &mut doc.components {
            if let Some(scope) = self.scopes.get(&c.reference) {
                c.scope = *scope;
            }
        }
        doc.dependencies = self.edges.into_iter().collect();
    }
}

//! CycloneDX 1.2–1.6 JSON: components (nested ones flattened), their licenses, the dependency
//! graph. Read from a JSON tree so that one bad component is a diagnostic, not a failed document.

use serde_json::Value;

use super::{entry_warning, shown, Component, Document, MAX_DEPTH};
use crate::model::Scope;

/// The CycloneDX versions trusca reads.
pub(super) const VERSIONS: [&str; 5] = ["1.2", "1.3", "1.4", "1.5", "1.6"];

pub(super) fn parse(text: &str) -> Result<Document, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "invalid JSON at line {}: {}",
            e.line(),
            strip_position(&e.to_string())
        )
    })?;
    let Some(obj) = doc.as_object() else {
        return Err("the document is not a JSON object".into());
    };
    match obj.get("bomFormat") {
        Some(Value::String(s)) if s == "CycloneDX" => {}
        Some(other) => {
            return Err(format!(
                "`bomFormat` is {}, not `CycloneDX`",
                shown(&other.to_string())
            ))
        }
        None => return Err("`bomFormat` is missing".into()),
    }
    let version = match obj.get("specVersion") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err("`specVersion` is not a string".into()),
        None => return Err("`specVersion` is missing".into()),
    };
    if !VERSIONS.contains(&version) {
        return Err(format!(
            "unsupported CycloneDX `specVersion` `{}` (trusca reads 1.2 to 1.6)",
            shown(version)
        ));
    }
    let mut out = Document {
        format: format!("CycloneDX {version} JSON"),
        ..Document::default()
    };
    let metadata_component = doc.pointer("/metadata/component");
    if let Some(root) = metadata_component {
        out.name = root.get("name").and_then(Value::as_str).map(str::to_owned);
        out.root = root
            .get("bom-ref")
            .and_then(Value::as_str)
            .map(str::to_owned);
        // The root's own sub-components are part of what it is made of.
        if let Some(nested) = root.get("components") {
            read_components(nested, "metadata.component.components", 1, &mut out);
        }
    }
    out.tool = doc
        .pointer("/metadata/tools/components/0/name")
        .or_else(|| doc.pointer("/metadata/tools/0/name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(list) = obj.get("components") {
        read_components(list, "components", 0, &mut out);
    }
    if let Some(deps) = obj.get("dependencies") {
        read_dependencies(deps, &mut out);
    }
    Ok(out)
}

/// Drops serde's trailing " at line N column M": the line is reported separately.
fn strip_position(msg: &str) -> &str {
    msg.find(" at line ").map_or(msg, |i| &msg[..i])
}

fn read_components(list: &Value, field: &str, depth: usize, out: &mut Document) {
    let Some(items) = list.as_array() else {
        out.diagnostics.push(entry_warning(
            field,
            "is not an array; its components are skipped",
        ));
        return;
    };
    if depth > MAX_DEPTH {
        out.diagnostics.push(entry_warning(
            field,
            format!("components nest deeper than {MAX_DEPTH} levels; the rest are skipped"),
        ));
        return;
    }
    for (i, item) in items.iter().enumerate() {
        let entry = format!("{field}[{i}]");
        match component(item, &entry, out.components.len()) {
            Ok(c) => out.components.push(c),
            Err(message) => out.diagnostics.push(entry_warning(&entry, message)),
        }
        if let Some(nested) = item.get("components") {
            read_components(nested, &format!("{entry}.components"), depth + 1, out);
        }
    }
}

fn component(item: &Value, entry: &str, index: usize) -> Result<Component, String> {
    let Some(obj) = item.as_object() else {
        return Err("is not an object; skipped".into());
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` is not a string; the component is skipped")),
        }
    };
    let name = text("name")?.ok_or("has no `name`; skipped")?;
    let name = match text("group")? {
        Some(group) => format!("{group}/{name}"),
        None => name,
    };
    let scope = match text("scope")?.as_deref() {
        Some("optional") => Scope::Optional,
        Some("excluded") => Scope::Dev,
        _ => Scope::Runtime,
    };
    Ok(Component {
        reference: text("bom-ref")?.unwrap_or_else(|| format!("#component-{index}")),
        name,
        version: text("version")?,
        purl: text("purl")?,
        cpe: text("cpe")?,
        licenses: licenses(obj.get("licenses")),
        scope,
        entry: entry.to_owned(),
    })
}

/// `licenses`: `[{license: {id | name}}, …]` or `[{expression}]`.
fn licenses(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| {
            l.get("expression")
                .or_else(|| l.pointer("/license/id"))
                .or_else(|| l.pointer("/license/name"))
                .and_then(Value::as_str)
        })
        .map(str::to_owned)
        .collect()
}

fn read_dependencies(deps: &Value, out: &mut Document) {
    let Some(items) = deps.as_array() else {
        out.diagnostics.push(entry_warning(
            "dependencies",
            "is not an array; the dependency graph is not read",
        ));
        return;
    };
    for (i, d) in items.iter().enumerate() {
        let Some(reference) = d.get("ref").and_then(Value::as_str) else {
            out.diagnostics.push(entry_warning(
                &format!("dependencies[{i}]"),
                "has no `ref` string; skipped",
            ));
            continue;
        };
        let on: Vec<String> = match d.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                // 1.2 wrote each as `{"ref": …}`, later versions as a string.
                .filter_map(|x| x.as_str().or_else(|| x.get("ref").and_then(Value::as_str)))
                .map(str::to_owned)
                .collect(),
            Some(_) => {
                out.diagnostics.push(entry_warning(
                    &format!("dependencies[{i}].dependsOn"),
                    "is not an array; skipped",
                ));
                continue;
            }
        };
        out.dependencies.push((reference.to_owned(), on));
    }
}

//! CycloneDX 1.2–1.6 XML: the same components, licenses and graph as the JSON form, read from
//! the shared element tree (which bounds nesting depth).

use super::cyclonedx::VERSIONS;
use super::{entry_warning, shown, Component, Document, MAX_DEPTH};
use crate::inventory::xml_tree::{self, Element};
use crate::model::Scope;

pub(super) fn parse(text: &str) -> Result<Document, String> {
    let root = xml_tree::parse(text).map_err(|e| match e.line {
        Some(line) => format!("{} (line {line})", e.message),
        None => e.message,
    })?;
    if root.name != "bom" {
        return Err(format!(
            "the root element is `<{}>`, not `<bom>`",
            shown(&root.name)
        ));
    }
    let namespace = root.attr("xmlns").unwrap_or_default();
    let version = namespace
        .strip_prefix("http://cyclonedx.org/schema/bom/")
        .ok_or_else(|| {
            format!(
                "`<bom xmlns>` `{}` is not a CycloneDX namespace",
                shown(namespace)
            )
        })?;
    if !VERSIONS.contains(&version) {
        return Err(format!(
            "unsupported CycloneDX version `{}` (trusca reads 1.2 to 1.6)",
            shown(version)
        ));
    }
    let mut out = Document {
        format: format!("CycloneDX {version} XML"),
        ..Document::default()
    };
    if let Some(meta) = root.child("metadata") {
        if let Some(c) = meta.child("component") {
            out.name = c.child_text("name").map(str::to_owned);
            out.root = c.attr("bom-ref").map(str::to_owned);
            if let Some(nested) = c.child("components") {
                read_components(nested, text, "metadata/component/components", 1, &mut out);
            }
        }
        out.tool = meta
            .path(&["tools", "components", "component"])
            .or_else(|| meta.path(&["tools", "tool"]))
            .and_then(|t| t.child_text("name"))
            .map(str::to_owned);
    }
    if let Some(list) = root.child("components") {
        read_components(list, text, "components", 0, &mut out);
    }
    if let Some(deps) = root.child("dependencies") {
        for d in deps.children_named("dependency") {
            let Some(reference) = d.attr("ref") else {
                out.diagnostics.push(entry_warning(
                    &format!("line {}", d.line(text)),
                    "`<dependency>` without `ref`; skipped",
                ));
                continue;
            };
            let on = d
                .children_named("dependency")
                .filter_map(|x| x.attr("ref"))
                .map(str::to_owned)
                .collect();
            out.dependencies.push((reference.to_owned(), on));
        }
    }
    Ok(out)
}

fn read_components(list: &Element, text: &str, field: &str, depth: usize, out: &mut Document) {
    if depth > MAX_DEPTH {
        out.diagnostics.push(entry_warning(
            field,
            format!("components nest deeper than {MAX_DEPTH} levels; the rest are skipped"),
        ));
        return;
    }
    for c in list.children_named("component") {
        let entry = format!("line {}", c.line(text));
        let index = out.components.len();
        match component(c, &entry, index) {
            Some(comp) => out.components.push(comp),
            None => out.diagnostics.push(entry_warning(
                &entry,
                "`<component>` has no `<name>`; skipped",
            )),
        }
        if let Some(nested) = c.child("components") {
            read_components(nested, text, field, depth + 1, out);
        }
    }
}

fn component(c: &Element, entry: &str, index: usize) -> Option<Component> {
    let text = |name: &str| {
        c.child_text(name)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let name = text("name")?;
    let name = match text("group") {
        Some(group) => format!("{group}/{name}"),
        None => name,
    };
    let scope = match text("scope").as_deref() {
        Some("optional") => Scope::Optional,
        Some("excluded") => Scope::Dev,
        _ => Scope::Runtime,
    };
    let mut licenses = Vec::new();
    if let Some(list) = c.child("licenses") {
        for l in &list.children {
            let value = match l.name.as_str() {
                "expression" => Some(l.trimmed()),
                "license" => l.child_text("id").or_else(|| l.child_text("name")),
                _ => None,
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                licenses.push(v.to_owned());
            }
        }
    }
    Some(Component {
        reference: c
            .attr("bom-ref")
            .map_or_else(|| format!("#component-{index}"), str::to_owned),
        name,
        version: text("version"),
        purl: text("purl"),
        cpe: text("cpe"),
        licenses,
        scope,
        entry: entry.to_owned(),
    })
}

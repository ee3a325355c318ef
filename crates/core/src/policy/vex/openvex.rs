//! OpenVEX 0.2.0 (and the 0.0.x shape, where `vulnerability` and products are plain strings).

use serde_json::Value;

use super::{text, Read, VexStatus};

/// OpenVEX justifications (a `not_affected` statement needs one, or an impact statement).
const JUSTIFICATIONS: [&str; 5] = [
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

pub(super) fn read(doc: &Value, out: &mut Read) -> Result<(), String> {
    let statements = match doc.get("statements") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("`statements` is not an array".into()),
        None => return Err("`statements` is missing".into()),
    };
    for (i, s) in statements.iter().enumerate() {
        let entry = format!("statements[{i}]");
        if let Err(why) = statement(s, &entry, out) {
            out.skip(&entry, why);
        }
    }
    Ok(())
}

fn statement(s: &Value, entry: &str, out: &mut Read) -> Result<(), String> {
    if !s.is_object() {
        return Err("is not an object".into());
    }
    let mut ids = Vec::new();
    match s.get("vulnerability") {
        Some(Value::String(id)) => ids.push(id.clone()),
        Some(v @ Value::Object(_)) => {
            ids.extend(text(v, "name").map_err(|e| format!("vulnerability: {e}"))?);
            ids.extend(text(v, "@id").map_err(|e| format!("vulnerability: {e}"))?);
            if let Some(aliases) = v.get("aliases") {
                let list = aliases
                    .as_array()
                    .ok_or("`vulnerability.aliases` is not an array")?;
                ids.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
            }
        }
        Some(_) => return Err("`vulnerability` is neither an object nor a string".into()),
        None => return Err("`vulnerability` is missing".into()),
    }
    if ids.is_empty() {
        return Err("`vulnerability` has no `name`".into());
    }
    let status = match text(s, "status")?.as_deref() {
        Some("not_affected") => VexStatus::NotAffected,
        Some("fixed") => VexStatus::Fixed,
        Some("under_investigation") => VexStatus::UnderInvestigation,
        Some("affected") => VexStatus::Affected,
        Some(other) => return Err(format!("unknown `status` `{}`", other.escape_default())),
        None => return Err("`status` is missing".into()),
    };
    let products = products(s)?;
    if products.is_empty() {
        return Err("`products` names no product".into());
    }
    let justification = text(s, "justification")?;
    if let Some(j) = &justification {
        if !JUSTIFICATIONS.contains(&j.as_str()) {
            return Err(format!("unknown `justification` `{}`", j.escape_default()));
        }
    }
    let detail = text(s, "impact_statement")?.or(text(s, "status_notes")?);
    if status == VexStatus::NotAffected && justification.is_none() && detail.is_none() {
        return Err("`not_affected` needs a `justification` or an `impact_statement`".into());
    }
    out.push(
        entry.to_owned(),
        ids,
        products,
        status,
        justification,
        detail,
    );
    Ok(())
}

/// The purls of `products` (and of their `subcomponents`, which are the affected parts).
fn products(s: &Value) -> Result<Vec<String>, String> {
    let list = match s.get("products") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("`products` is not an array".into()),
        None => return Err("`products` is missing".into()),
    };
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        match p {
            Value::String(id) => out.push(id.clone()),
            Value::Object(_) => {
                let ids = identifiers(p).map_err(|e| format!("products[{i}]: {e}"))?;
                out.extend(ids);
                for (j, sub) in p
                    .get("subcomponents")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let ids = identifiers(sub)
                        .map_err(|e| format!("products[{i}].subcomponents[{j}]: {e}"))?;
                    out.extend(ids);
                }
            }
            _ => return Err(format!("products[{i}] is neither an object nor a string")),
        }
    }
    Ok(out)
}

/// A component's `@id` and its `identifiers.purl`.
fn identifiers(c: &Value) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    ids.extend(text(c, "@id")?);
    if let Some(idents) = c.get("identifiers") {
        ids.extend(text(idents, "purl").map_err(|e| format!("identifiers: {e}"))?);
    }
    Ok(ids)
}

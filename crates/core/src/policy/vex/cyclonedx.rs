//! CycloneDX VEX: `vulnerabilities[]` with an `analysis`, `affects[].ref` pointing at a
//! component of the same document (its purl), a purl, or a BOM-Link to one.

use std::collections::HashMap;

use serde_json::Value;

use super::{text, Read, VexStatus};

pub(super) fn read(doc: &Value, out: &mut Read) -> Result<(), String> {
    let vulns = match doc.get("vulnerabilities") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("`vulnerabilities` is not an array".into()),
        None => return Err("`vulnerabilities` is missing: not a CycloneDX VEX document".into()),
    };
    let mut purls: HashMap<&str, &str> = HashMap::new();
    let mut stack: Vec<&Value> = doc
        .get("components")
        .and_then(Value::as_array)
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    while let Some(c) = stack.pop() {
        if let (Some(r), Some(p)) = (
            c.get("bom-ref").and_then(Value::as_str),
            c.get("purl").and_then(Value::as_str),
        ) {
            purls.insert(r, p);
        }
        if let Some(nested) = c.get("components").and_then(Value::as_array) {
            stack.extend(nested);
        }
    }
    for (i, v) in vulns.iter().enumerate() {
        let entry = format!("vulnerabilities[{i}]");
        if let Err(why) = statement(v, &entry, &purls, out) {
            out.skip(&entry, why);
        }
    }
    Ok(())
}

fn statement(
    v: &Value,
    entry: &str,
    purls: &HashMap<&str, &str>,
    out: &mut Read,
) -> Result<(), String> {
    let id = text(v, "id")?.ok_or("`id` is missing")?;
    let mut ids = vec![id];
    for r in v
        .get("references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        ids.extend(r.get("id").and_then(Value::as_str).map(str::to_owned));
    }
    let Some(analysis) = v.get("analysis") else {
        // A vulnerability without analysis says nothing to apply (an ordinary BOM finding).
        return Ok(());
    };
    if !analysis.is_object() {
        return Err("`analysis` is not an object".into());
    }
    let state = text(analysis, "state").map_err(|e| format!("analysis: {e}"))?;
    let status = match state.as_deref() {
        Some("not_affected" | "false_positive") => VexStatus::NotAffected,
        Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
        Some("in_triage") => VexStatus::UnderInvestigation,
        Some("exploitable") => VexStatus::Affected,
        Some(other) => {
            return Err(format!(
                "unknown `analysis.state` `{}`",
                other.escape_default()
            ))
        }
        None => return Err("`analysis.state` is missing".into()),
    };
    let affects = match v.get("affects") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("`affects` is not an array".into()),
        None => return Err("`affects` is missing: the statement names no product".into()),
    };
    let mut products = Vec::new();
    for (j, a) in affects.iter().enumerate() {
        let r = text(a, "ref")
            .map_err(|e| format!("affects[{j}]: {e}"))?
            .ok_or(format!("affects[{j}]: `ref` is missing"))?;
        // A BOM-Link (`urn:cdx:serial/version#ref`) names a component of another BOM.
        let local = r.rsplit_once('#').map_or(r.as_str(), |(_, frag)| frag);
        match purls.get(local) {
            Some(p) => products.push((*p).to_owned()),
            None if local.starts_with("pkg:") => products.push(local.to_owned()),
            None => {
                return Err(format!(
                    "affects[{j}]: `ref` `{}` is neither a purl nor a component of this document",
                    r.escape_default()
                ))
            }
        }
    }
    if products.is_empty() {
        return Err("`affects` names no product".into());
    }
    let justification = text(analysis, "justification").map_err(|e| format!("analysis: {e}"))?;
    let detail = text(analysis, "detail").map_err(|e| format!("analysis: {e}"))?;
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

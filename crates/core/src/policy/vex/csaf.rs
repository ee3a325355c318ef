//! CSAF 2.0 VEX: `vulnerabilities[].product_status` lists product ids, which the `product_tree`
//! (branches, full product names, relationships) resolves to purls.

use std::collections::HashMap;

use serde_json::Value;

use super::{text, Read, VexStatus};

/// Statuses of `product_status`, and what each means here.
const STATUSES: [(&str, VexStatus); 8] = [
    ("known_not_affected", VexStatus::NotAffected),
    ("fixed", VexStatus::Fixed),
    ("first_fixed", VexStatus::Fixed),
    ("under_investigation", VexStatus::UnderInvestigation),
    ("known_affected", VexStatus::Affected),
    ("first_affected", VexStatus::Affected),
    ("last_affected", VexStatus::Affected),
    ("recommended", VexStatus::Fixed),
];

/// Nesting of `branches` deeper than this is refused.
const MAX_BRANCH_DEPTH: usize = 64;

pub(super) fn read(doc: &Value, out: &mut Read) -> Result<(), String> {
    match doc.pointer("/document/category").and_then(Value::as_str) {
        Some("csaf_vex") => {}
        Some(other) => {
            return Err(format!(
                "`document.category` is `{}`, not `csaf_vex`",
                other.escape_default()
            ))
        }
        None => return Err("`document.category` is not a string".into()),
    }
    let purls = product_purls(doc.get("product_tree"))?;
    let vulns = match doc.get("vulnerabilities") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("`vulnerabilities` is not an array".into()),
        None => return Err("`vulnerabilities` is missing".into()),
    };
    for (i, v) in vulns.iter().enumerate() {
        let entry = format!("vulnerabilities[{i}]");
        if let Err(why) = vulnerability(v, &entry, &purls, out) {
            out.skip(&entry, why);
        }
    }
    Ok(())
}

fn vulnerability(
    v: &Value,
    entry: &str,
    purls: &HashMap<String, String>,
    out: &mut Read,
) -> Result<(), String> {
    let mut ids: Vec<String> = text(v, "cve")?.into_iter().collect();
    for id in v.get("ids").and_then(Value::as_array).into_iter().flatten() {
        ids.extend(text(id, "text")?);
    }
    if ids.is_empty() {
        return Err("neither `cve` nor `ids` names the vulnerability".into());
    }
    let Some(status) = v.get("product_status") else {
        return Err("`product_status` is missing".into());
    };
    if !status.is_object() {
        return Err("`product_status` is not an object".into());
    }
    // The justification of a not-affected product: a flag's label, or an impact threat.
    let labels = product_notes(v.get("flags"), "label");
    let impacts = product_notes(v.get("threats"), "details");
    for (key, status_kind) in STATUSES {
        let Some(list) = status.get(key) else {
            continue;
        };
        let list = list
            .as_array()
            .ok_or(format!("`product_status.{key}` is not an array"))?;
        for (j, id) in list.iter().enumerate() {
            let id = id
                .as_str()
                .ok_or(format!("`product_status.{key}[{j}]` is not a string"))?;
            let Some(purl) = purls.get(id) else {
                out.skip(
                    &format!("{entry}.product_status.{key}[{j}]"),
                    format!(
                        "the product `{}` has no purl in `product_tree`",
                        id.escape_default()
                    ),
                );
                continue;
            };
            let justification = labels.get(id).cloned();
            let detail = impacts.get(id).cloned();
            if status_kind == VexStatus::NotAffected && justification.is_none() && detail.is_none()
            {
                out.skip(
                    &format!("{entry}.product_status.{key}[{j}]"),
                    "`known_not_affected` without a flag or impact statement for the product",
                );
                continue;
            }
            out.push(
                format!("{entry}.product_status.{key}[{j}]"),
                ids.clone(),
                vec![purl.clone()],
                status_kind,
                justification,
                detail,
            );
        }
    }
    Ok(())
}

/// `flags[]`/`threats[]` entries by product id: the value of `field`.
fn product_notes(list: Option<&Value>, field: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for item in list.and_then(Value::as_array).into_iter().flatten() {
        if field == "details" && item.get("category").and_then(Value::as_str) != Some("impact") {
            continue;
        }
        let Some(value) = item.get(field).and_then(Value::as_str) else {
            continue;
        };
        for id in item
            .get("product_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            out.entry(id.to_owned()).or_insert_with(|| value.to_owned());
        }
    }
    out
}

/// Every product id of the tree with a purl: from branches, full product names, and
/// relationships (a product made of a component takes the component's purl).
fn product_purls(tree: Option<&Value>) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    let Some(tree) = tree else {
        return Ok(out);
    };
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    if let Some(b) = tree.get("branches").and_then(Value::as_array) {
        stack.extend(b.iter().map(|x| (x, 1)));
    }
    while let Some((branch, depth)) = stack.pop() {
        if depth > MAX_BRANCH_DEPTH {
            return Err(format!(
                "`product_tree.branches` nest deeper than {MAX_BRANCH_DEPTH} levels"
            ));
        }
        if let Some(p) = branch.get("product") {
            add_product(p, &mut out);
        }
        if let Some(b) = branch.get("branches").and_then(Value::as_array) {
            stack.extend(b.iter().map(|x| (x, depth + 1)));
        }
    }
    for p in tree
        .get("full_product_names")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add_product(p, &mut out);
    }
    for r in tree
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = r
            .pointer("/full_product_name/product_id")
            .and_then(Value::as_str);
        let component = r.get("product_reference").and_then(Value::as_str);
        if let (Some(id), Some(purl)) = (id, component.and_then(|c| out.get(c)).cloned()) {
            out.entry(id.to_owned()).or_insert(purl);
        }
    }
    Ok(out)
}

fn add_product(p: &Value, out: &mut HashMap<String, String>) {
    let id = p.get("product_id").and_then(Value::as_str);
    let purl = p
        .pointer("/product_identification_helper/purl")
        .and_then(Value::as_str);
    if let (Some(id), Some(purl)) = (id, purl) {
        out.insert(id.to_owned(), purl.to_owned());
    }
}

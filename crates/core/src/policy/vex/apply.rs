//! Applying VEX statements to findings: a statement matches a finding when one of its ids is
//! the finding's id or an alias, and one of its products is the finding's package by purl. A
//! product purl without a version matches every version; its qualifiers must agree with those
//! the finding's purl has. Where several statements match one finding, the last read wins (files
//! in the order given, statements in file order).

use std::str::FromStr;

use super::{Statement, VexAnnotation};
use crate::diag::{Code, Diagnostic};
use crate::model::purl::Purl;
use crate::vulns::Finding;

/// Annotates `findings` with the statements that match them; returns a warning for each
/// statement that matched nothing.
pub fn apply(findings: &mut [Finding], statements: &[Statement]) -> Vec<Diagnostic> {
    let mut used = vec![false; statements.len()];
    for finding in findings.iter_mut() {
        let Ok(purl) = Purl::from_str(&finding.purl) else {
            continue;
        };
        let matched = statements.iter().enumerate().rev().find(|(_, s)| {
            names_vulnerability(s, finding) && s.products.iter().any(|p| product_matches(p, &purl))
        });
        if let Some((i, s)) = matched {
            used[i] = true;
            finding.vex = Some(VexAnnotation {
                status: s.status,
                justification: s.justification.clone(),
                detail: s.detail.clone(),
                file: s.file.clone(),
                statement: s.entry.clone(),
            });
        }
    }
    // A statement overridden by a later one for every finding it names still counts as used.
    for (i, s) in statements.iter().enumerate() {
        if !used[i] {
            used[i] = findings.iter().any(|f| {
                names_vulnerability(s, f)
                    && Purl::from_str(&f.purl)
                        .is_ok_and(|purl| s.products.iter().any(|p| product_matches(p, &purl)))
            });
        }
    }
    statements
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(s, _)| {
            Diagnostic::warning(
                Code::VexUnused,
                format!(
                    "{}: the statement about `{}` ({}) matched no finding of this scan",
                    s.entry,
                    s.ids.first().map_or("", String::as_str).escape_default(),
                    s.status.as_str()
                ),
            )
            .in_file(&s.file, None)
            .with_help("check the product purls and vulnerability ids, or remove the statement")
        })
        .collect()
}

fn names_vulnerability(s: &Statement, f: &Finding) -> bool {
    s.ids.iter().any(|id| {
        id.eq_ignore_ascii_case(&f.id) || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    })
}

/// Whether the product purl `product` names the package of `finding`.
pub(crate) fn product_matches(product: &str, finding: &Purl) -> bool {
    let Ok(product) = Purl::from_str(product) else {
        return false;
    };
    if !product.ty().eq_ignore_ascii_case(finding.ty())
        || product.namespace() != finding.namespace()
        || product.name() != finding.name()
    {
        return false;
    }
    if let Some(v) = product.version() {
        if Some(v) != finding.version() {
            return false;
        }
    }
    for (key, value) in product.qualifiers() {
        if finding.qualifier(key).is_some_and(|v| v != value) {
            return false;
        }
    }
    true
}

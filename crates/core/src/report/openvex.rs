//! OpenVEX 0.2.0: one statement per (vulnerability, package) of the findings, with the status a
//! VEX statement gave it; a finding an exception in `trusca.toml` waives is `not_affected` with
//! the exception's reason; every other finding is `affected`, with the upgrade as its action.
//!
//! The schema requires at least one statement, so a scan without findings has no OpenVEX form:
//! writing one is an error rather than an invalid document.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;

use crate::policy::ViolationKind;
use crate::scan::Scan;
use crate::vulns::vex::VexStatus;
use crate::vulns::Finding;

/// The OpenVEX context this writer follows.
pub const CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";

/// The justifications OpenVEX defines; others (CycloneDX's) become the impact statement.
const JUSTIFICATIONS: [&str; 5] = [
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

#[derive(Serialize)]
struct Document {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: String,
    author: String,
    timestamp: String,
    version: u32,
    tooling: String,
    statements: Vec<Statement>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Statement {
    vulnerability: Vulnerability,
    products: Vec<Product>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    impact_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_notes: Option<String>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Vulnerability {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Product {
    #[serde(rename = "@id")]
    id: String,
    identifiers: Identifiers,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Identifiers {
    purl: String,
}

/// Writes the findings of `scan` as an OpenVEX document.
pub fn write(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let statements: BTreeSet<Statement> =
        scan.findings.iter().map(|f| statement(scan, f)).collect();
    if statements.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the scan has no findings, and an OpenVEX document needs at least one statement",
        ));
    }
    let tooling = format!("{} {}", scan.tool.name, scan.tool.version);
    let seed = format!(
        "{}\n{}\n{}",
        scan.target.location, scan.generated_at, tooling
    );
    let doc = Document {
        context: CONTEXT,
        id: format!(
            "urn:uuid:{}",
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, seed.as_bytes())
        ),
        author: format!("{} scan of {}", scan.tool.name, scan.target.name),
        timestamp: scan.generated_at.clone(),
        version: 1,
        tooling,
        statements: statements.into_iter().collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn statement(scan: &Scan, f: &Finding) -> Statement {
    let mut s = Statement {
        vulnerability: Vulnerability {
            name: f.id.clone(),
            aliases: f.aliases.clone(),
        },
        products: vec![Product {
            id: f.purl.clone(),
            identifiers: Identifiers {
                purl: f.purl.clone(),
            },
        }],
        status: VexStatus::Affected.as_str(),
        justification: None,
        impact_statement: None,
        action_statement: None,
        status_notes: None,
    };
    if let Some(v) = &f.vex {
        s.status = v.status.as_str();
        let (known, other): (Option<String>, Option<String>) = match &v.justification {
            Some(j) if JUSTIFICATIONS.contains(&j.as_str()) => (Some(j.clone()), None),
            other => (None, other.clone()),
        };
        s.justification = known;
        let detail = [other, v.detail.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(": ");
        let detail = (!detail.is_empty()).then_some(detail);
        s.status_notes = Some(format!("from {} ({})", v.file, v.statement));
        match v.status {
            VexStatus::NotAffected => s.impact_statement = detail,
            VexStatus::Affected => s.action_statement = Some(action(f)),
            _ => {
                if let Some(d) = detail {
                    s.status_notes = Some(format!("{d} (from {} {})", v.file, v.statement));
                }
            }
        }
        if v.status == VexStatus::NotAffected
            && s.justification.is_none()
            && s.impact_statement.is_none()
        {
            s.impact_statement = Some(format!("declared in {}", v.file));
        }
        return s;
    }
    if let Some(reason) = waiver(scan, f) {
        s.status = VexStatus::NotAffected.as_str();
        s.impact_statement = Some(reason);
        s.status_notes = Some("an exception in the scan's policy".into());
        return s;
    }
    s.action_statement = Some(action(f));
    s
}

/// The reason of the exception that waived `f`, if one did.
fn waiver(scan: &Scan, f: &Finding) -> Option<String> {
    let policy = scan.policy.as_ref()?;
    policy
        .waived
        .iter()
        .find(|w| {
            matches!(
                w.violation.kind,
                ViolationKind::Vulnerability | ViolationKind::Malicious
            ) && w.violation.id == f.id
                && w.violation.purl == f.purl
        })
        .map(|w| w.reason.clone())
}

fn action(f: &Finding) -> String {
    match &f.fixed_in {
        Some(v) => format!("Upgrade {} to {v} or later.", f.package),
        None => format!("No fixed version of {} is known.", f.package),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Date;
    use crate::testing::{judge, sample};
    use crate::vulns::vex::VexAnnotation;

    fn validator() -> jsonschema::Validator {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/schemas/openvex_json_schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .offline()
            .build(&schema)
            .expect("OpenVEX schema compiles offline")
    }

    /// The sample scan with an exception waiving one finding and VEX statements on two others.
    fn triaged() -> Scan {
        let mut scan = sample();
        scan.findings[2].vex = Some(VexAnnotation {
            status: VexStatus::NotAffected,
            justification: Some("code_not_reachable".into()),
            detail: Some("the widget is never rendered".into()),
            file: "vex/cdx.json".into(),
            statement: "vulnerabilities[0]".into(),
        });
        scan.findings[3].vex = Some(VexAnnotation {
            status: VexStatus::UnderInvestigation,
            justification: None,
            detail: None,
            file: "vex/openvex.json".into(),
            statement: "statements[1]".into(),
        });
        judge(
            &mut scan,
            "[[exceptions]]\nid = \"RUSTSEC-2024-0002\"\npackage = \"serde\"\nreason = \"Only used at build time.\"\n",
            None,
            Date::today(),
        );
        scan
    }

    fn render(scan: &Scan) -> String {
        let mut out = Vec::new();
        write(scan, &mut out).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn openvex_is_valid_against_the_schema() {
        let text = render(&triaged());
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        let errors: Vec<String> = validator()
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn exceptions_and_statements_give_the_status() {
        let doc: serde_json::Value = serde_json::from_str(&render(&triaged())).expect("json");
        let status_of = |id: &str| {
            doc["statements"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|s| s["vulnerability"]["name"] == id)
                .map(|s| (s["status"].clone(), s["impact_statement"].clone()))
        };
        let (status, impact) = status_of("RUSTSEC-2024-0002").expect("waived");
        assert_eq!(status, "not_affected");
        assert_eq!(impact, "Only used at build time.");
        let (status, impact) = status_of("GHSA-dddd-eeee-ffff").expect("vex");
        assert_eq!(status, "not_affected");
        assert_eq!(impact, "code_not_reachable: the widget is never rendered");
        assert_eq!(
            status_of("PYSEC-2024-4").expect("vex").0,
            "under_investigation"
        );
        assert_eq!(
            status_of("GHSA-aaaa-bbbb-cccc").expect("kept").0,
            "affected"
        );
    }

    #[test]
    fn a_scan_without_findings_has_no_openvex_form() {
        let mut scan = sample();
        scan.findings.clear();
        let err = write(&scan, &mut Vec::new()).expect_err("refused");
        assert!(err.to_string().contains("at least one statement"));
    }
}

//! in-toto Statement v1: what an attestation says (a predicate) about which artifacts (subjects).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `payloadType` of an in-toto statement in a DSSE envelope.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// The `_type` of an in-toto Statement v1.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";

/// The predicate types trusca attests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredicateKind {
    /// A CycloneDX SBOM (JSON).
    Cyclonedx,
    /// An SPDX 2.3 SBOM (JSON).
    Spdx,
    /// The trusca scan result (JSON, `docs/json-format.md`).
    Scan,
}

impl PredicateKind {
    /// The predicate type URI: the in-toto attestation framework's for CycloneDX and SPDX, and
    /// trusca's own for its result.
    pub fn uri(self) -> &'static str {
        match self {
            PredicateKind::Cyclonedx => "https://cyclonedx.org/bom",
            PredicateKind::Spdx => "https://spdx.dev/Document",
            PredicateKind::Scan => "https://trusca.example/attestation/result/v1",
        }
    }
}

/// An in-toto Statement v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Always [`STATEMENT_TYPE`] in what trusca writes.
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// The artifacts the predicate is about.
    pub subject: Vec<Subject>,
    /// What kind of claim the predicate is (a URI).
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The claim itself.
    #[serde(default)]
    pub predicate: serde_json::Value,
}

/// One artifact of a statement (the `name` and `digest` of an in-toto resource descriptor; its
/// other fields are ignored on reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// The artifact's name (a path relative to the scanned root, or the project's name).
    #[serde(default)]
    pub name: String,
    /// Digests by algorithm (`sha256`, `gitCommit`), lowercase hex.
    #[serde(default)]
    pub digest: BTreeMap<String, String>,
}

impl Statement {
    /// A statement of `predicate` (of type `predicate_type`) about `subject`.
    pub fn new(subject: Vec<Subject>, predicate_type: &str, predicate: serde_json::Value) -> Self {
        Statement {
            statement_type: STATEMENT_TYPE.to_owned(),
            subject,
            predicate_type: predicate_type.to_owned(),
            predicate,
        }
    }

    /// The compact JSON bytes that go into an envelope's payload.
    pub fn to_payload(&self) -> Vec<u8> {
        // Serializing strings, maps and a JSON value cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl Subject {
    /// A subject with one digest.
    pub fn new(name: impl Into<String>, algorithm: &str, hex: impl Into<String>) -> Subject {
        Subject {
            name: name.into(),
            digest: BTreeMap::from([(algorithm.to_owned(), hex.into())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_have_the_v1_field_names() {
        let statement = Statement::new(
            vec![Subject::new("Cargo.lock", "sha256", "ab")],
            PredicateKind::Cyclonedx.uri(),
            serde_json::json!({"bomFormat": "CycloneDX"}),
        );
        let json: serde_json::Value =
            serde_json::from_slice(&statement.to_payload()).expect("json");
        assert_eq!(json["_type"], STATEMENT_TYPE);
        assert_eq!(json["predicateType"], "https://cyclonedx.org/bom");
        assert_eq!(json["subject"][0]["digest"]["sha256"], "ab");
    }
}

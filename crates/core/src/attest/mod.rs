//! Signed attestations: a scan's SBOM or result as an in-toto Statement v1 in a DSSE envelope
//! (optionally in a Sigstore bundle v0.3), and their verification with a trusted public key.
//!
//! - [`keys`]: Ed25519 / ECDSA P-256 keys, PKCS#8 and SPKI PEM, key ids;
//! - [`dsse`]: the envelope and its pre-authentication encoding;
//! - [`statement`]: the in-toto statement and the predicate types;
//! - [`bundle`]: the Sigstore bundle wrapping;
//! - [`subjects`]: what a scan's statement is about (file digests, the commit);
//! - [`verify`]: reading a signed document and checking it.
//!
//! Nothing here talks to a network service: no transparency log, no certificate authority.

pub mod bundle;
pub mod dsse;
pub mod keys;
pub mod statement;
pub mod subjects;
pub mod verify;

use std::path::Path;

pub use dsse::Envelope;
pub use keys::{Algorithm, KeyError, PublicKey, SigningKey};
pub use statement::{PredicateKind, Statement, Subject, PAYLOAD_TYPE};

use crate::inventory::ExplicitFile;
use crate::report::{self, cyclonedx::SpecVersion, Format, RenderOptions};
use crate::scan::Scan;

/// Why an attestation of a scan cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum AttestError {
    /// A dependency file cannot be digested.
    #[error(transparent)]
    Digest(#[from] subjects::DigestError),
    /// The scan has nothing to name as a subject (no dependency file, no commit).
    #[error(
        "nothing to attest: the scan read no dependency file and the target is not a git checkout"
    )]
    NoSubject,
    /// Rendering the predicate failed.
    #[error("cannot render the predicate: {0}")]
    Render(String),
}

/// The in-toto statement of `scan`: the predicate `kind` rendered from it, about the dependency
/// files read below `root` (and `explicit` ones) and the commit.
pub fn statement_of_scan(
    scan: &Scan,
    root: &Path,
    explicit: &[ExplicitFile],
    kind: PredicateKind,
    spec_version: SpecVersion,
) -> Result<Statement, AttestError> {
    let subject = subjects::of_scan(scan, root, explicit)?;
    if subject.is_empty() {
        return Err(AttestError::NoSubject);
    }
    let format = match kind {
        PredicateKind::Cyclonedx => Format::Cyclonedx,
        PredicateKind::Spdx => Format::Spdx,
        PredicateKind::Scan => Format::Json,
    };
    let options = RenderOptions {
        spec_version,
        width: None,
        list_packages: true,
    };
    let mut rendered = Vec::new();
    report::write(scan, format, options, &mut rendered)
        .map_err(|e| AttestError::Render(e.to_string()))?;
    let predicate: serde_json::Value =
        serde_json::from_slice(&rendered).map_err(|e| AttestError::Render(e.to_string()))?;
    Ok(Statement::new(subject, kind.uri(), predicate))
}

/// `statement` signed by `key` in a DSSE envelope.
pub fn sign_statement(statement: &Statement, key: &SigningKey) -> Envelope {
    Envelope::sign(PAYLOAD_TYPE, statement.to_payload(), key)
}

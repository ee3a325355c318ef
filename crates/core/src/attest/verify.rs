//! Verifying an attestation with a public key the caller trusts, and checking what it says.
//!
//! The rule for signatures: only the given key is trusted (a key or hint inside the document is
//! never used, and a `keyid` is only a name). Every signature whose `keyid` is the given key's id
//! must check, so a bad one that claims the given key fails the envelope even next to a good one.
//! When no signature carries that id (other tools derive key ids their own way, or leave them
//! out), the envelope is accepted when any of its signatures checks with the given key. A
//! signature that does not check with the given key and does not claim it is someone else's: it is
//! neither trusted nor held against the envelope.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use super::bundle;
use super::dsse::{Envelope, EnvelopeError};
use super::keys::PublicKey;
use super::statement::{Statement, PAYLOAD_TYPE, STATEMENT_TYPE};

/// The largest envelope or bundle read (a signed SBOM of a very large tree stays far below).
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// A signed document as read: its envelope, and whether it came in a bundle.
#[derive(Debug)]
pub struct Signed {
    /// The envelope.
    pub envelope: Envelope,
    /// The bundle's public-key hint (informative only).
    pub key_hint: Option<String>,
    /// Whether the document was a Sigstore bundle.
    pub bundle: bool,
}

/// Why a file cannot be read as a signed document (not a verdict on its signature).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be opened or read.
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than [`MAX_DOCUMENT_BYTES`] (or the limit given).
    #[error("it is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// Not an envelope or bundle.
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
}

/// Reads a DSSE envelope or a Sigstore bundle from `path`, refusing files over `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Signed, ReadError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(read(&bytes)?)
}

/// Reads a DSSE envelope or a Sigstore bundle from JSON bytes.
pub fn read(bytes: &[u8]) -> Result<Signed, EnvelopeError> {
    let document: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Shape(e.to_string()))?;
    if bundle::is_bundle(&document) {
        let bundle = bundle::from_value(document)?;
        return Ok(Signed {
            envelope: bundle.envelope,
            key_hint: bundle.key_hint,
            bundle: true,
        });
    }
    let json = serde_json::from_value(document).map_err(|e| EnvelopeError::Shape(e.to_string()))?;
    Ok(Signed {
        envelope: Envelope::from_json_form(json)?,
        key_hint: None,
        bundle: false,
    })
}

/// A subject the verifier asks for: `NAME=ALGORITHM:HEX` (`Cargo.lock=sha256:…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectMatch {
    /// The subject's name.
    pub name: String,
    /// The digest algorithm (`sha256`, `gitCommit`).
    pub algorithm: String,
    /// The digest, lowercase hex.
    pub hex: String,
}

impl FromStr for SubjectMatch {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let form = || format!("`{s}` is not of the form `NAME=sha256:HEX`");
        let (name, digest) = s.rsplit_once('=').ok_or_else(form)?;
        let (algorithm, hex) = digest.split_once(':').ok_or_else(form)?;
        if name.is_empty() || algorithm.is_empty() {
            return Err(form());
        }
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("the digest of `{s}` is not hexadecimal"));
        }
        Ok(SubjectMatch {
            name: name.to_owned(),
            algorithm: algorithm.to_owned(),
            hex: hex.to_ascii_lowercase(),
        })
    }
}

impl fmt::Display for SubjectMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}:{}", self.name, self.algorithm, self.hex)
    }
}

/// What the statement must say besides being signed.
#[derive(Debug, Clone, Default)]
pub struct Expectations {
    /// Subjects that must be there, each with the digest given.
    pub subjects: Vec<SubjectMatch>,
    /// The predicate type the statement must have.
    pub predicate_type: Option<String>,
}

/// A verified attestation.
#[derive(Debug)]
pub struct Verified {
    /// The id of the key whose signature checked.
    pub key_id: String,
    /// The statement.
    pub statement: Statement,
}

/// Why a signed document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The envelope has no signature at all.
    #[error("the envelope has no signatures")]
    NoSignatures,
    /// No signature is by the given key.
    #[error("no signature by key `{key_id}`: the envelope's signatures are by {signed_by}")]
    NoSignatureByKey {
        /// The given key's id.
        key_id: String,
        /// The key ids the signatures name.
        signed_by: String,
    },
    /// The (only) signature by the given key does not check.
    #[error(
        "signature {index} of {count} (key `{key_id}`) does not check: the payload, its type or \
         the signature was changed after signing"
    )]
    BadSignature {
        /// The given key's id.
        key_id: String,
        /// Which signature (from 1).
        index: usize,
        /// How many the envelope has.
        count: usize,
    },
    /// One signature by the given key checks and another claiming it does not.
    #[error(
        "signature {bad} of {count} claims key `{key_id}` but does not check (signature {good} by \
         that key does): every signature by the trusted key must check"
    )]
    SomeSignaturesBad {
        /// The given key's id.
        key_id: String,
        /// A signature that checks (from 1).
        good: usize,
        /// A signature that does not (from 1).
        bad: usize,
        /// How many the envelope has.
        count: usize,
    },
    /// The payload is signed but is not an in-toto statement.
    #[error("the payload type is `{0}`, not an in-toto statement (`{PAYLOAD_TYPE}`)")]
    PayloadType(String),
    /// The payload does not parse as a statement.
    #[error("the payload is not an in-toto statement: {0}")]
    NotAStatement(String),
    /// The statement's `_type` is not Statement v1.
    #[error("the statement type is `{0}`, not `{STATEMENT_TYPE}`")]
    StatementType(String),
    /// The statement has no subject.
    #[error("the statement names no subject")]
    NoSubject,
    /// An asked-for subject is not in the statement.
    #[error("no subject named `{name}` (the statement names {names})")]
    SubjectMissing {
        /// The name asked for.
        name: String,
        /// The names the statement has.
        names: String,
    },
    /// An asked-for subject has another digest.
    #[error("subject `{name}` has {algorithm} digest `{found}`, not `{wanted}`")]
    SubjectDigest {
        /// The subject.
        name: String,
        /// The algorithm.
        algorithm: String,
        /// The digest asked for.
        wanted: String,
        /// The digest the statement has (`none` when it has none of that algorithm).
        found: String,
    },
    /// The predicate type is not the one asked for.
    #[error("the predicate type is `{found}`, not `{wanted}`")]
    PredicateType {
        /// The type asked for.
        wanted: String,
        /// The statement's.
        found: String,
    },
}

/// Checks the envelope's signatures against `key` by the rule of this module.
pub fn check_signatures(envelope: &Envelope, key: &PublicKey) -> Result<(), VerifyError> {
    let count = envelope.signatures.len();
    if count == 0 {
        return Err(VerifyError::NoSignatures);
    }
    let key_id = key.key_id();
    let pae = envelope.pae();
    let ours: Vec<(usize, bool)> = envelope
        .signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| s.keyid == key_id)
        .map(|(i, s)| (i + 1, key.verify(&pae, &s.sig)))
        .collect();
    let good = ours.iter().find(|(_, ok)| *ok).map(|(i, _)| *i);
    let bad = ours.iter().find(|(_, ok)| !*ok).map(|(i, _)| *i);
    match (good, bad) {
        (Some(_), None) => return Ok(()),
        (Some(good), Some(bad)) => {
            return Err(VerifyError::SomeSignaturesBad {
                key_id,
                good,
                bad,
                count,
            })
        }
        (None, Some(index)) => {
            return Err(VerifyError::BadSignature {
                key_id,
                index,
                count,
            })
        }
        (None, None) => {}
    }
    // No signature names the key by trusca's id: one named otherwise, or not at all, may still
    // be its.
    if envelope.signatures.iter().any(|s| key.verify(&pae, &s.sig)) {
        return Ok(());
    }
    let signed_by = envelope
        .signatures
        .iter()
        .map(|s| {
            if s.keyid.is_empty() {
                "a key it does not name".to_owned()
            } else {
                format!("`{}`", s.keyid)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    Err(VerifyError::NoSignatureByKey { key_id, signed_by })
}

/// Verifies `envelope` with `key`, then checks that it carries an in-toto statement that says
/// what `expect` asks.
pub fn verify(
    envelope: &Envelope,
    key: &PublicKey,
    expect: &Expectations,
) -> Result<Verified, VerifyError> {
    check_signatures(envelope, key)?;
    let statement = statement_of(envelope)?;
    check_expectations(&statement, expect)?;
    Ok(Verified {
        key_id: key.key_id(),
        statement,
    })
}

/// Verifies `envelope` with whichever of `keys` signed it (a team's registered keys): the first
/// key a signature names decides; without one, any key whose signature checks.
pub fn verify_with_any<'k>(
    envelope: &Envelope,
    keys: &'k [PublicKey],
    expect: &Expectations,
) -> Result<(&'k PublicKey, Verified), VerifyError> {
    let named = keys.iter().find(|k| {
        let id = k.key_id();
        envelope.signatures.iter().any(|s| s.keyid == id)
    });
    if let Some(key) = named {
        return verify(envelope, key, expect).map(|v| (key, v));
    }
    let mut last = VerifyError::NoSignatures;
    for key in keys {
        match verify(envelope, key, expect) {
            Ok(v) => return Ok((key, v)),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// The statement an envelope carries, once its type is in-toto's.
pub fn statement_of(envelope: &Envelope) -> Result<Statement, VerifyError> {
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(VerifyError::PayloadType(envelope.payload_type.clone()));
    }
    let statement: Statement = serde_json::from_slice(&envelope.payload)
        .map_err(|e| VerifyError::NotAStatement(e.to_string()))?;
    if statement.statement_type != STATEMENT_TYPE {
        return Err(VerifyError::StatementType(statement.statement_type));
    }
    if statement.subject.is_empty() {
        return Err(VerifyError::NoSubject);
    }
    Ok(statement)
}

fn check_expectations(statement: &Statement, expect: &Expectations) -> Result<(), VerifyError> {
    for want in &expect.subjects {
        let Some(subject) = statement.subject.iter().find(|s| s.name == want.name) else {
            let names = statement
                .subject
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(VerifyError::SubjectMissing {
                name: want.name.clone(),
                names,
            });
        };
        let found = subject.digest.get(&want.algorithm);
        if found.map(|f| f.to_ascii_lowercase()) != Some(want.hex.clone()) {
            return Err(VerifyError::SubjectDigest {
                name: want.name.clone(),
                algorithm: want.algorithm.clone(),
                wanted: want.hex.clone(),
                found: found.cloned().unwrap_or_else(|| "none".into()),
            });
        }
    }
    if let Some(wanted) = &expect.predicate_type {
        if *wanted != statement.predicate_type {
            return Err(VerifyError::PredicateType {
                wanted: wanted.clone(),
                found: statement.predicate_type.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::dsse::Signature;
    use crate::attest::keys::{Algorithm, SigningKey};
    use crate::attest::statement::Subject;

    fn statement() -> Statement {
        Statement::new(
            vec![
                Subject::new("Cargo.lock", "sha256", "aa".repeat(32)),
                Subject::new("app", "gitCommit", "bb".repeat(20)),
            ],
            "https://cyclonedx.org/bom",
            serde_json::json!({"bomFormat": "CycloneDX"}),
        )
    }

    fn signed(key: &SigningKey) -> Envelope {
        Envelope::sign(PAYLOAD_TYPE, statement().to_payload(), key)
    }

    #[test]
    fn a_good_envelope_verifies_with_both_algorithms() {
        for algorithm in [Algorithm::Ed25519, Algorithm::EcdsaP256] {
            let key = SigningKey::generate(algorithm);
            let expect = Expectations {
                subjects: vec!["Cargo.lock=sha256:AA"
                    .replace("AA", &"AA".repeat(32))
                    .parse()
                    .expect("subject")],
                predicate_type: Some("https://cyclonedx.org/bom".into()),
            };
            let verified = verify(&signed(&key), &key.public(), &expect).expect("verified");
            assert_eq!(verified.key_id, key.public().key_id());
            assert_eq!(verified.statement, statement());
        }
    }

    #[test]
    fn a_flipped_payload_byte_is_caught() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let mut envelope = signed(&key);
        envelope.payload[10] ^= 1;
        let err = check_signatures(&envelope, &key.public()).expect_err("tampered");
        assert!(
            matches!(
                err,
                VerifyError::BadSignature {
                    index: 1,
                    count: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn another_keys_signature_is_not_accepted() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let other = SigningKey::generate(Algorithm::EcdsaP256);
        let err = check_signatures(&signed(&other), &key.public()).expect_err("other key");
        assert!(matches!(err, VerifyError::NoSignatureByKey { .. }), "{err}");
        // Another key's signature that claims the trusted key's id does not check either.
        let mut forged = signed(&other);
        forged.signatures[0].keyid = key.public().key_id();
        let err = check_signatures(&forged, &key.public()).expect_err("forged id");
        assert!(matches!(err, VerifyError::BadSignature { .. }), "{err}");
    }

    #[test]
    fn two_signatures_follow_the_rule() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let other = SigningKey::generate(Algorithm::Ed25519);
        let mut envelope = signed(&key);
        let good_by_other = signed(&other).signatures.remove(0);
        // A good signature by the trusted key and one by another key: accepted.
        envelope.signatures.push(good_by_other.clone());
        assert_eq!(check_signatures(&envelope, &key.public()), Ok(()));
        // A bad copy that claims the trusted key next to a good one: refused.
        let mut bad = envelope.signatures[0].clone();
        bad.sig[0] ^= 1;
        envelope.signatures.push(bad.clone());
        let err = check_signatures(&envelope, &key.public()).expect_err("one bad");
        assert!(
            matches!(
                err,
                VerifyError::SomeSignaturesBad {
                    good: 1,
                    bad: 3,
                    count: 3,
                    ..
                }
            ),
            "{err}"
        );
        // Another key's good signature does not make up for the trusted key's bad one.
        let mixed = Envelope {
            signatures: vec![good_by_other, bad],
            ..envelope
        };
        let err = check_signatures(&mixed, &key.public()).expect_err("bad by ours");
        assert!(
            matches!(
                err,
                VerifyError::BadSignature {
                    index: 2,
                    count: 2,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn signatures_named_otherwise_are_tried() {
        let key = SigningKey::generate(Algorithm::EcdsaP256);
        let mut envelope = signed(&key);
        envelope.signatures[0].keyid.clear();
        assert_eq!(check_signatures(&envelope, &key.public()), Ok(()));
        envelope.signatures[0].keyid = "another-tools-id".into();
        assert_eq!(check_signatures(&envelope, &key.public()), Ok(()));
        envelope.signatures = vec![Signature {
            keyid: String::new(),
            sig: vec![0; 70],
        }];
        let err = check_signatures(&envelope, &key.public()).expect_err("bad");
        assert!(err.to_string().contains("a key it does not name"), "{err}");
    }

    #[test]
    fn payload_and_statement_are_checked_after_the_signature() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let public = key.public();
        let expect = Expectations::default();
        let envelope = Envelope::sign("application/json", statement().to_payload(), &key);
        let err = verify(&envelope, &public, &expect).expect_err("type");
        assert!(matches!(err, VerifyError::PayloadType(_)), "{err}");

        let envelope = Envelope::sign(PAYLOAD_TYPE, b"[1,2".to_vec(), &key);
        let err = verify(&envelope, &public, &expect).expect_err("json");
        assert!(matches!(err, VerifyError::NotAStatement(_)), "{err}");

        let mut old = statement();
        old.statement_type = "https://in-toto.io/Statement/v0.1".into();
        let envelope = Envelope::sign(PAYLOAD_TYPE, old.to_payload(), &key);
        let err = verify(&envelope, &public, &expect).expect_err("v0.1");
        assert!(matches!(err, VerifyError::StatementType(_)), "{err}");

        let payload =
            br#"{"_type":"https://in-toto.io/Statement/v1","subject":"x","predicateType":"t"}"#;
        let envelope = Envelope::sign(PAYLOAD_TYPE, payload.to_vec(), &key);
        let err = verify(&envelope, &public, &expect).expect_err("types");
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn subjects_and_predicate_types_must_match() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let envelope = signed(&key);
        let ask = |subject: &str, predicate: Option<&str>| Expectations {
            subjects: vec![subject.parse().expect("subject")],
            predicate_type: predicate.map(Into::into),
        };
        let err =
            verify(&envelope, &key.public(), &ask("go.sum=sha256:aa", None)).expect_err("name");
        assert!(matches!(err, VerifyError::SubjectMissing { .. }), "{err}");
        let err = verify(&envelope, &key.public(), &ask("Cargo.lock=sha256:ab", None))
            .expect_err("digest");
        assert!(matches!(err, VerifyError::SubjectDigest { .. }), "{err}");
        let commit = format!("app=gitCommit:{}", "bb".repeat(20));
        let err = verify(
            &envelope,
            &key.public(),
            &ask(&commit, Some("https://spdx.dev/Document")),
        )
        .expect_err("predicate");
        assert!(matches!(err, VerifyError::PredicateType { .. }), "{err}");
        assert!(verify(&envelope, &key.public(), &ask(&commit, None)).is_ok());
    }

    #[test]
    fn subject_arguments_are_parsed_strictly() {
        let m: SubjectMatch = "a=b=sha256:AB".parse().expect("parse");
        assert_eq!((m.name.as_str(), m.hex.as_str()), ("a=b", "ab"));
        for bad in ["x", "=sha256:ab", "x=sha256", "x=sha256:", "x=sha256:zz"] {
            assert!(bad.parse::<SubjectMatch>().is_err(), "{bad}");
        }
    }

    #[test]
    fn documents_are_read_as_envelopes_or_bundles_within_a_size_limit() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let envelope = signed(&key);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("att.json");
        std::fs::write(&path, envelope.to_json()).expect("write");
        assert!(!read_file(&path, MAX_DOCUMENT_BYTES).expect("read").bundle);
        let err = read_file(&path, 100).expect_err("limit");
        assert!(matches!(err, ReadError::TooLarge { limit: 100 }), "{err}");
        std::fs::write(&path, bundle::to_json(&envelope, "hint")).expect("write");
        let signed = read_file(&path, MAX_DOCUMENT_BYTES).expect("read");
        assert!(signed.bundle);
        assert_eq!(signed.envelope, envelope);
        let err = read_file(&dir.path().join("missing"), 10).expect_err("missing");
        assert!(matches!(err, ReadError::Io(_)), "{err}");
    }

    #[test]
    fn deeply_nested_documents_are_refused() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = read(deep.as_bytes()).expect_err("deep");
        assert!(err.to_string().contains("recursion limit"), "{err}");
        let key = SigningKey::generate(Algorithm::Ed25519);
        let payload = format!(
            r#"{{"_type":"{STATEMENT_TYPE}","subject":[{{"name":"a","digest":{{}}}}],"predicateType":"t","predicate":{deep}}}"#
        );
        let envelope = Envelope::sign(PAYLOAD_TYPE, payload.into_bytes(), &key);
        let err = verify(&envelope, &key.public(), &Expectations::default()).expect_err("deep");
        assert!(err.to_string().contains("recursion limit"), "{err}");
    }

    #[test]
    fn verify_with_any_picks_the_named_key() {
        let a = SigningKey::generate(Algorithm::Ed25519);
        let b = SigningKey::generate(Algorithm::EcdsaP256);
        let keys = [a.public(), b.public()];
        let (key, _) = verify_with_any(&signed(&b), &keys, &Expectations::default()).expect("b");
        assert_eq!(key, &b.public());
        let c = SigningKey::generate(Algorithm::Ed25519);
        let err = verify_with_any(&signed(&c), &keys, &Expectations::default()).expect_err("c");
        assert!(matches!(err, VerifyError::NoSignatureByKey { .. }), "{err}");
    }
}

//! DSSE envelopes (Dead Simple Signing Envelope, v1): the JSON form, the pre-authentication
//! encoding that is signed, and signing.
//!
//! The pre-authentication encoding is written here: it is one line of the DSSE specification
//! (`DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`), and the only Rust crates implementing
//! DSSE come with a Sigstore network client and an async runtime that the scanner-only build must
//! not link.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};
use serde::{Deserialize, Serialize};

use super::keys::SigningKey;

/// Standard base64 with padding, as DSSE writers use.
const WRITE: GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// DSSE readers accept standard or URL-safe base64, with or without padding.
const READ_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const READ_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A signed envelope: a typed payload and its signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The payload's media type (`application/vnd.in-toto+json` for in-toto statements).
    pub payload_type: String,
    /// The payload bytes (base64 in the JSON form).
    pub payload: Vec<u8>,
    /// The signatures, in the order of the document.
    pub signatures: Vec<Signature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Which key signed, as the signer says (empty when not given); never trusted on its own.
    pub keyid: String,
    /// The signature bytes (base64 in the JSON form).
    pub sig: Vec<u8>,
}

/// Why a document is not a readable envelope.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// Not JSON of the envelope's shape (syntax, wrong types, missing fields, too deep).
    #[error("not a DSSE envelope: {0}")]
    Shape(String),
    /// A base64 field does not decode.
    #[error("`{field}` is not valid base64: {detail}")]
    Base64 {
        /// Which field (`payload`, `signatures[1].sig`).
        field: String,
        /// What the decoder said.
        detail: String,
    },
}

/// The JSON form of an envelope.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnvelopeJson {
    pub(crate) payload: String,
    pub(crate) payload_type: String,
    pub(crate) signatures: Vec<SignatureJson>,
}

/// The JSON form of a signature.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SignatureJson {
    #[serde(default)]
    pub(crate) keyid: String,
    pub(crate) sig: String,
}

/// The pre-authentication encoding of DSSE v1: what is signed for `payload_type` and `payload`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + payload.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

impl Envelope {
    /// An envelope of `payload` signed by `key`, the signature's `keyid` the key's id.
    pub fn sign(payload_type: &str, payload: Vec<u8>, key: &SigningKey) -> Envelope {
        let sig = key.sign(&pae(payload_type, &payload));
        Envelope {
            payload_type: payload_type.to_owned(),
            payload,
            signatures: vec![Signature {
                keyid: key.public().key_id(),
                sig,
            }],
        }
    }

    /// What the signatures sign: [`pae`] of this envelope's type and payload.
    pub fn pae(&self) -> Vec<u8> {
        pae(&self.payload_type, &self.payload)
    }

    /// The envelope as pretty JSON.
    pub fn to_json(&self) -> String {
        // A struct of strings always serializes.
        serde_json::to_string_pretty(&self.to_json_form()).unwrap_or_default()
    }

    /// Reads the JSON form of an envelope.
    pub fn from_json(bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
        let json: EnvelopeJson =
            serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Shape(e.to_string()))?;
        Envelope::from_json_form(json)
    }

    pub(crate) fn to_json_form(&self) -> EnvelopeJson {
        EnvelopeJson {
            payload: WRITE.encode(&self.payload),
            payload_type: self.payload_type.clone(),
            signatures: self
                .signatures
                .iter()
                .map(|s| SignatureJson {
                    keyid: s.keyid.clone(),
                    sig: WRITE.encode(&s.sig),
                })
                .collect(),
        }
    }

    pub(crate) fn from_json_form(json: EnvelopeJson) -> Result<Envelope, EnvelopeError> {
        let payload = decode_base64("payload", &json.payload)?;
        let signatures = json
            .signatures
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                Ok(Signature {
                    sig: decode_base64(&format!("signatures[{i}].sig"), &s.sig)?,
                    keyid: s.keyid,
                })
            })
            .collect::<Result<_, EnvelopeError>>()?;
        Ok(Envelope {
            payload_type: json.payload_type,
            payload,
            signatures,
        })
    }
}

/// Decodes standard or URL-safe base64, padded or not.
fn decode_base64(field: &str, text: &str) -> Result<Vec<u8>, EnvelopeError> {
    READ_STANDARD
        .decode(text)
        .or_else(|standard| READ_URL_SAFE.decode(text).map_err(|_| standard))
        .map_err(|e| EnvelopeError::Base64 {
            field: field.to_owned(),
            detail: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::keys::Algorithm;

    #[test]
    fn pae_matches_the_dsse_specification_example() {
        // The test vector of the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
    }

    #[test]
    fn envelopes_round_trip_through_json() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let envelope = Envelope::sign("application/x", b"{\"a\":1}".to_vec(), &key);
        let back = Envelope::from_json(envelope.to_json().as_bytes()).expect("read");
        assert_eq!(back, envelope);
        assert!(key.public().verify(&back.pae(), &back.signatures[0].sig));
    }

    #[test]
    fn url_safe_and_unpadded_base64_are_read() {
        let json = r#"{"payload":"_-8","payloadType":"t","signatures":[{"sig":"AA=="}]}"#;
        let envelope = Envelope::from_json(json.as_bytes()).expect("read");
        assert_eq!(envelope.payload, vec![0xff, 0xef]);
        assert_eq!(envelope.signatures[0].keyid, "");
    }

    #[test]
    fn hostile_json_is_refused_with_a_reason() {
        let cases = [
            ("", "EOF"),
            (
                r#"{"payload":"AA==","payloadType":"t","signatures":[{"sig":"#,
                "EOF",
            ),
            (
                r#"{"payload":1,"payloadType":"t","signatures":[]}"#,
                "invalid type",
            ),
            (
                r#"{"payload":"AA==","payloadType":"t","signatures":{}}"#,
                "invalid type",
            ),
            (
                r#"{"payloadType":"t","signatures":[]}"#,
                "missing field `payload`",
            ),
            (
                r#"{"payload":"A===*","payloadType":"t","signatures":[]}"#,
                "`payload` is not valid base64",
            ),
            (
                r#"{"payload":"","payloadType":"t","signatures":[{"sig":"%%"}]}"#,
                "`signatures[0].sig` is not valid base64",
            ),
            ("\"\\ud800\"", "not a DSSE envelope"),
        ];
        for (json, want) in cases {
            let err = Envelope::from_json(json.as_bytes()).expect_err(json);
            assert!(err.to_string().contains(want), "{err} / {want}");
        }
        let err = Envelope::from_json(b"{\"payload\":\"\xff\xfe\"}").expect_err("utf-8");
        assert!(err.to_string().starts_with("not a DSSE envelope"), "{err}");
    }
}

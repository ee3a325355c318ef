//! Sigstore bundles v0.3 carrying a DSSE envelope and a public-key hint: no certificate, no
//! transparency-log entry, nothing that needs a network service.

use serde::{Deserialize, Serialize};

use super::dsse::{Envelope, EnvelopeError, EnvelopeJson};

/// The media type of a Sigstore bundle v0.3 (JSON).
pub const MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// The JSON form of a bundle, as far as trusca writes and reads it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundleJson {
    media_type: String,
    verification_material: VerificationMaterial,
    dsse_envelope: EnvelopeJson,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerificationMaterial {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public_key: Option<PublicKeyHint>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PublicKeyHint {
    #[serde(default)]
    hint: String,
}

/// A bundle read from JSON: its envelope and the key hint (never trusted: only a name).
#[derive(Debug)]
pub struct Bundle {
    /// The signed envelope.
    pub envelope: Envelope,
    /// The public-key hint, when there is one.
    pub key_hint: Option<String>,
}

/// Whether a parsed JSON document is a Sigstore bundle rather than a bare envelope.
pub fn is_bundle(document: &serde_json::Value) -> bool {
    document.get("mediaType").is_some()
}

/// `envelope` as a pretty-printed bundle v0.3 whose key hint is `key_hint`.
pub fn to_json(envelope: &Envelope, key_hint: &str) -> String {
    let bundle = BundleJson {
        media_type: MEDIA_TYPE.to_owned(),
        verification_material: VerificationMaterial {
            public_key: Some(PublicKeyHint {
                hint: key_hint.to_owned(),
            }),
        },
        dsse_envelope: envelope.to_json_form(),
    };
    serde_json::to_string_pretty(&bundle).unwrap_or_default()
}

/// Reads a bundle from its parsed JSON.
pub fn from_value(document: serde_json::Value) -> Result<Bundle, EnvelopeError> {
    let bundle: BundleJson = serde_json::from_value(document).map_err(|e| {
        EnvelopeError::Shape(format!("not a Sigstore bundle with a DSSE envelope: {e}"))
    })?;
    if bundle.media_type != MEDIA_TYPE {
        return Err(EnvelopeError::Shape(format!(
            "unsupported bundle media type `{}` (trusca reads `{MEDIA_TYPE}`)",
            bundle.media_type
        )));
    }
    Ok(Bundle {
        envelope: Envelope::from_json_form(bundle.dsse_envelope)?,
        key_hint: bundle
            .verification_material
            .public_key
            .map(|k| k.hint)
            .filter(|h| !h.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::keys::{Algorithm, SigningKey};

    #[test]
    fn bundles_carry_the_envelope_and_the_key_hint() {
        let key = SigningKey::generate(Algorithm::EcdsaP256);
        let envelope = Envelope::sign("t", b"x".to_vec(), &key);
        let json = to_json(&envelope, &key.public().key_id());
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(value["mediaType"], MEDIA_TYPE);
        assert!(value["verificationMaterial"].get("tlogEntries").is_none());
        assert!(is_bundle(&value));
        let bundle = from_value(value).expect("read");
        assert_eq!(bundle.envelope, envelope);
        assert_eq!(bundle.key_hint, Some(key.public().key_id()));
    }

    #[test]
    fn other_bundle_versions_and_shapes_are_refused() {
        let other = serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.1",
            "verificationMaterial": {},
            "dsseEnvelope": {"payload": "", "payloadType": "t", "signatures": []}
        });
        let err = from_value(other).expect_err("version");
        assert!(
            err.to_string().contains("unsupported bundle media type"),
            "{err}"
        );
        let no_envelope = serde_json::json!({"mediaType": MEDIA_TYPE, "verificationMaterial": {}});
        let err = from_value(no_envelope).expect_err("shape");
        assert!(
            err.to_string().contains("missing field `dsseEnvelope`"),
            "{err}"
        );
    }
}

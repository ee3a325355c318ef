//! Signing and verification keys: Ed25519 or ECDSA P-256, kept as PKCS#8 / SPKI PEM.
//!
//! A private key file is PKCS#8 PEM (`PRIVATE KEY`), or encrypted PKCS#8 PEM (`ENCRYPTED PRIVATE
//! KEY`, PBES2 with scrypt and AES-256-CBC) when a passphrase is given. A public key file is SPKI
//! PEM (`PUBLIC KEY`). The key id is the lowercase hex SHA-256 of the public key's SPKI DER, so
//! anyone holding the public key file computes the same id.

use std::fmt;

use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer as _, Verifier as _};
use pkcs8::der::pem::LineEnding;
use pkcs8::{ObjectIdentifier, SecretDocument};
use rand_core::OsRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The algorithm OID of Ed25519 keys (RFC 8410).
const ED25519_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// The algorithm OID of elliptic-curve keys (`id-ecPublicKey`, RFC 5480); the curve is a parameter.
const EC_PUBLIC_KEY_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// The signature algorithms trusca signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Ed25519 (RFC 8032): 64-byte signatures over the message itself.
    Ed25519,
    /// ECDSA over NIST P-256 with SHA-256: DER-encoded signatures (`ecdsa-sha2-nistp256`).
    EcdsaP256,
}

impl Algorithm {
    /// The name used in documents and messages (`ed25519`, `ecdsa-p256`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "ed25519",
            Algorithm::EcdsaP256 => "ecdsa-p256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a key cannot be made, read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The text is not PEM, or its label is not one trusca reads.
    #[error("not a PEM key: {0}")]
    NotPem(String),
    /// A private key was given where a public key is needed.
    #[error("this is a private key: give the public key (`PUBLIC KEY` PEM) instead")]
    PrivateWherePublic,
    /// A public key was given where a private key is needed.
    #[error("this is a public key: signing needs the private key")]
    PublicWherePrivate,
    /// The private key is encrypted and no passphrase was given.
    #[error("the private key is encrypted: set `TRUSCA_KEY_PASSWORD` to its passphrase")]
    PassphraseNeeded,
    /// The passphrase does not decrypt the key (or the encrypted key is damaged).
    #[error("cannot decrypt the private key: wrong passphrase, or a damaged key")]
    WrongPassphrase,
    /// The key is of an algorithm trusca does not sign with.
    #[error("unsupported key algorithm `{0}`: trusca uses Ed25519 and ECDSA P-256 keys")]
    Unsupported(String),
    /// The key's DER does not decode as what its algorithm says.
    #[error("malformed {algorithm} key: {detail}")]
    Malformed {
        /// The algorithm the key claims.
        algorithm: Algorithm,
        /// What the decoder said.
        detail: String,
    },
    /// Encoding or encrypting a key failed.
    #[error("cannot encode the key: {0}")]
    Encode(String),
}

/// A private key to sign with.
pub enum SigningKey {
    /// An Ed25519 key.
    Ed25519(ed25519_dalek::SigningKey),
    /// An ECDSA P-256 key.
    EcdsaP256(p256::ecdsa::SigningKey),
}

// The key material never reaches a log or a panic message.
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey({}, {})",
            self.algorithm(),
            self.public().key_id()
        )
    }
}

impl SigningKey {
    /// A new random key from the operating system's generator.
    pub fn generate(algorithm: Algorithm) -> SigningKey {
        match algorithm {
            Algorithm::Ed25519 => {
                SigningKey::Ed25519(ed25519_dalek::SigningKey::generate(&mut OsRng))
            }
            Algorithm::EcdsaP256 => {
                SigningKey::EcdsaP256(p256::ecdsa::SigningKey::random(&mut OsRng))
            }
        }
    }

    /// The algorithm of this key.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            SigningKey::Ed25519(_) => Algorithm::Ed25519,
            SigningKey::EcdsaP256(_) => Algorithm::EcdsaP256,
        }
    }

    /// The matching public key.
    pub fn public(&self) -> PublicKey {
        match self {
            SigningKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            SigningKey::EcdsaP256(k) => PublicKey::EcdsaP256(*k.verifying_key()),
        }
    }

    /// Signs `message`: Ed25519 over the message, ECDSA over its SHA-256 (DER signature).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            SigningKey::EcdsaP256(k) => {
                let signature: p256::ecdsa::Signature = k.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
        }
    }

    /// The key as PKCS#8 PEM; encrypted (PBES2: scrypt, AES-256-CBC) when `passphrase` is given.
    pub fn to_pem(&self, passphrase: Option<&str>) -> Result<Zeroizing<String>, KeyError> {
        let encode = |e: pkcs8::Error| KeyError::Encode(e.to_string());
        match (self, passphrase) {
            (SigningKey::Ed25519(k), None) => k.to_pkcs8_pem(LineEnding::LF).map_err(encode),
            (SigningKey::Ed25519(k), Some(p)) => k
                .to_pkcs8_encrypted_pem(&mut OsRng, p, LineEnding::LF)
                .map_err(encode),
            (SigningKey::EcdsaP256(k), None) => k.to_pkcs8_pem(LineEnding::LF).map_err(encode),
            (SigningKey::EcdsaP256(k), Some(p)) => k
                .to_pkcs8_encrypted_pem(&mut OsRng, p, LineEnding::LF)
                .map_err(encode),
        }
    }

    /// Reads a PKCS#8 PEM private key, decrypting it with `passphrase` when it is encrypted.
    pub fn from_pem(pem: &str, passphrase: Option<&str>) -> Result<SigningKey, KeyError> {
        let (label, document) =
            SecretDocument::from_pem(pem).map_err(|e| KeyError::NotPem(e.to_string()))?;
        let document = match label {
            "PRIVATE KEY" => document,
            "ENCRYPTED PRIVATE KEY" => {
                let passphrase = passphrase.ok_or(KeyError::PassphraseNeeded)?;
                let encrypted = pkcs8::EncryptedPrivateKeyInfo::try_from(document.as_bytes())
                    .map_err(|e| KeyError::NotPem(e.to_string()))?;
                encrypted
                    .decrypt(passphrase)
                    .map_err(|_| KeyError::WrongPassphrase)?
            }
            "PUBLIC KEY" => return Err(KeyError::PublicWherePrivate),
            other => return Err(KeyError::NotPem(format!("unexpected PEM label `{other}`"))),
        };
        let info = pkcs8::PrivateKeyInfo::try_from(document.as_bytes())
            .map_err(|e| KeyError::NotPem(e.to_string()))?;
        let oid = info.algorithm.oid;
        if oid == ED25519_OID {
            ed25519_dalek::SigningKey::from_pkcs8_der(document.as_bytes())
                .map(SigningKey::Ed25519)
                .map_err(|e| malformed(Algorithm::Ed25519, e))
        } else if oid == EC_PUBLIC_KEY_OID {
            p256::ecdsa::SigningKey::from_pkcs8_der(document.as_bytes())
                .map(SigningKey::EcdsaP256)
                .map_err(|e| unsupported_curve(Algorithm::EcdsaP256, e))
        } else {
            Err(KeyError::Unsupported(oid.to_string()))
        }
    }
}

/// A public key to verify with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An Ed25519 key.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// An ECDSA P-256 key.
    EcdsaP256(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// The algorithm of this key.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            PublicKey::Ed25519(_) => Algorithm::Ed25519,
            PublicKey::EcdsaP256(_) => Algorithm::EcdsaP256,
        }
    }

    /// The key's SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> Vec<u8> {
        let der = match self {
            PublicKey::Ed25519(k) => k.to_public_key_der(),
            PublicKey::EcdsaP256(k) => k.to_public_key_der(),
        };
        // Encoding a valid in-memory key into a fresh buffer cannot fail.
        der.map(|d| d.into_vec()).unwrap_or_default()
    }

    /// The key id: lowercase hex SHA-256 of [`PublicKey::spki_der`].
    pub fn key_id(&self) -> String {
        hex::encode(Sha256::digest(self.spki_der()))
    }

    /// The key as SPKI PEM (`PUBLIC KEY`).
    pub fn to_pem(&self) -> Result<String, KeyError> {
        let pem = match self {
            PublicKey::Ed25519(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::EcdsaP256(k) => k.to_public_key_pem(LineEnding::LF),
        };
        pem.map_err(|e| KeyError::Encode(e.to_string()))
    }

    /// Reads an SPKI PEM public key (`PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<PublicKey, KeyError> {
        let (label, document) = pkcs8::Document::from_pem(pem).map_err(|e| {
            // A private key's PEM decodes as a document too; say what it is rather than why
            // it is not a public key.
            if pem.contains("PRIVATE KEY-----") {
                KeyError::PrivateWherePublic
            } else {
                KeyError::NotPem(e.to_string())
            }
        })?;
        match label {
            "PUBLIC KEY" => {}
            "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => return Err(KeyError::PrivateWherePublic),
            other => return Err(KeyError::NotPem(format!("unexpected PEM label `{other}`"))),
        }
        PublicKey::from_spki_der(document.as_bytes())
    }

    /// Reads a SubjectPublicKeyInfo DER public key.
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, KeyError> {
        let info = spki::SubjectPublicKeyInfoRef::try_from(der)
            .map_err(|e| KeyError::NotPem(e.to_string()))?;
        let oid = info.algorithm.oid;
        if oid == ED25519_OID {
            ed25519_dalek::VerifyingKey::from_public_key_der(der)
                .map(PublicKey::Ed25519)
                .map_err(|e| malformed(Algorithm::Ed25519, e))
        } else if oid == EC_PUBLIC_KEY_OID {
            p256::ecdsa::VerifyingKey::from_public_key_der(der)
                .map(PublicKey::EcdsaP256)
                .map_err(unsupported_curve_spki)
        } else {
            Err(KeyError::Unsupported(oid.to_string()))
        }
    }

    /// Whether `signature` is this key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Ed25519(k) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_strict(message, &s).is_ok()),
            PublicKey::EcdsaP256(k) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| k.verify(message, &s).is_ok()),
        }
    }
}

fn malformed(algorithm: Algorithm, e: impl fmt::Display) -> KeyError {
    KeyError::Malformed {
        algorithm,
        detail: e.to_string(),
    }
}

/// An EC key that p256 refuses is most often one on another curve.
fn unsupported_curve(algorithm: Algorithm, e: pkcs8::Error) -> KeyError {
    match e {
        pkcs8::Error::ParametersMalformed | pkcs8::Error::KeyMalformed => malformed(algorithm, e),
        _ => KeyError::Unsupported(format!("elliptic curve other than P-256 ({e})")),
    }
}

fn unsupported_curve_spki(e: spki::Error) -> KeyError {
    match e {
        spki::Error::OidUnknown { oid } => {
            KeyError::Unsupported(format!("elliptic curve {oid} (not P-256)"))
        }
        _ => malformed(Algorithm::EcdsaP256, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_round_trip_through_pem() {
        for algorithm in [Algorithm::Ed25519, Algorithm::EcdsaP256] {
            let key = SigningKey::generate(algorithm);
            let pem = key.to_pem(None).expect("pem");
            assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
            let back = SigningKey::from_pem(&pem, None).expect("read back");
            assert_eq!(back.public(), key.public());
            let public = PublicKey::from_pem(&key.public().to_pem().expect("pub")).expect("pub");
            assert_eq!(public.key_id(), key.public().key_id());
            let signature = key.sign(b"message");
            assert!(public.verify(b"message", &signature), "{algorithm}");
            assert!(!public.verify(b"messagE", &signature), "{algorithm}");
        }
    }

    #[test]
    fn encrypted_keys_need_the_passphrase() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let pem = key.to_pem(Some("correct horse")).expect("pem");
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assert!(matches!(
            SigningKey::from_pem(&pem, None),
            Err(KeyError::PassphraseNeeded)
        ));
        assert!(matches!(
            SigningKey::from_pem(&pem, Some("wrong")),
            Err(KeyError::WrongPassphrase)
        ));
        let back = SigningKey::from_pem(&pem, Some("correct horse")).expect("decrypt");
        assert_eq!(back.public(), key.public());
    }

    #[test]
    fn key_id_is_the_sha256_of_the_spki_der() {
        let key = SigningKey::generate(Algorithm::EcdsaP256).public();
        assert_eq!(key.key_id(), hex::encode(Sha256::digest(key.spki_der())));
        assert_eq!(key.key_id().len(), 64);
    }

    #[test]
    fn public_and_private_keys_are_not_confused() {
        let key = SigningKey::generate(Algorithm::Ed25519);
        let private = key.to_pem(None).expect("pem");
        let public = key.public().to_pem().expect("pem");
        assert!(matches!(
            PublicKey::from_pem(&private),
            Err(KeyError::PrivateWherePublic)
        ));
        assert!(matches!(
            SigningKey::from_pem(&public, None),
            Err(KeyError::PublicWherePrivate)
        ));
    }

    #[test]
    fn hostile_key_files_are_refused_without_panic() {
        let truncated = {
            let pem = SigningKey::generate(Algorithm::Ed25519)
                .public()
                .to_pem()
                .expect("pem");
            pem[..pem.len() / 2].to_owned()
        };
        for text in [
            "",
            "not a key",
            "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "\u{1b}[31m-----BEGIN PUBLIC KEY-----",
            &truncated,
        ] {
            assert!(PublicKey::from_pem(text).is_err(), "{text:?}");
            assert!(SigningKey::from_pem(text, None).is_err(), "{text:?}");
        }
    }
}

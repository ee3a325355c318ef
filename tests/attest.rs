//! `trusca key generate`, `trusca attest` and `trusca verify` end to end: keys on disk, signed
//! SBOMs and results, and every kind of tampering refused with its own reason.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;
use trusca_core::attest::{self, Algorithm, Envelope, SigningKey, PAYLOAD_TYPE};

use crate::formats::assert_valid;
use crate::support::{fixture_copy, trusca};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A key pair written by `trusca key generate` into `dir`.
fn generate(dir: &Path, algorithm: &str) -> (PathBuf, PathBuf) {
    let out = trusca()
        .args(["key", "generate", "--algorithm", algorithm, "--out"])
        .arg(dir)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir.join("trusca.key"), dir.join("trusca.pub"))
}

/// Attests a copy of `scan/mixed`, returning the temp dir, the scanned copy and the document.
fn attest(key: &Path, args: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, dir) = fixture_copy("scan/mixed");
    let file = tmp.path().join("attestation.json");
    let out = trusca()
        .arg("attest")
        .arg(&dir)
        .arg("--key")
        .arg(key)
        .args(["--reproducible", "--no-progress", "-o"])
        .arg(&file)
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, dir, file)
}

/// `trusca verify FILE --key PUB ARGS`: exit code, stdout, stderr.
fn verify(file: &Path, public: &Path, args: &[&str]) -> (i32, String, String) {
    let out = trusca()
        .arg("verify")
        .arg(file)
        .arg("--key")
        .arg(public)
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn sha256_of(path: &Path) -> String {
    attest::subjects::sha256_file(path).expect("digest")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json")
}

fn payload(document: &Value) -> Value {
    let bytes = B64
        .decode(document["payload"].as_str().expect("payload"))
        .expect("base64");
    serde_json::from_slice(&bytes).expect("statement")
}

#[test]
fn key_generate_writes_a_private_key_only_its_owner_reads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("keys");
    let out = trusca()
        .args(["key", "generate", "--out"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let private = std::fs::read_to_string(dir.join("trusca.key")).expect("private");
    let public = std::fs::read_to_string(dir.join("trusca.pub")).expect("public");
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "{private}"
    );
    assert!(
        public.starts_with("-----BEGIN PUBLIC KEY-----\n"),
        "{public}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("trusca.key"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let key_id = attest::PublicKey::from_pem(&public).expect("pem").key_id();
    assert!(stdout.contains(&key_id), "{stdout}");
    assert_no_private_key(&private, &[&out.stdout, &out.stderr]);

    // Never overwritten.
    let again = trusca()
        .args(["key", "generate", "--out"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("keys are never overwritten"));
    assert_eq!(
        std::fs::read_to_string(dir.join("trusca.key")).expect("private"),
        private
    );
}

/// Neither the private key's PEM body nor any line of it is in `outputs`.
fn assert_no_private_key(private_pem: &str, outputs: &[&[u8]]) {
    for output in outputs {
        let text = String::from_utf8_lossy(output);
        for line in private_pem.lines().filter(|l| !l.starts_with("-----")) {
            assert!(
                !text.contains(line),
                "private key material in output: {text}"
            );
        }
    }
}

#[test]
fn attestations_verify_with_both_algorithms_as_envelopes_and_bundles() {
    for algorithm in ["ed25519", "ecdsa-p256"] {
        let keys = tempfile::tempdir().expect("tempdir");
        let (private, public) = generate(keys.path(), algorithm);
        for bundle in [false, true] {
            let args: &[&str] = if bundle { &["--bundle"] } else { &[] };
            let (_tmp, dir, file) = attest(&private, args);
            let document = read_json(&file);
            let envelope = if bundle {
                assert_eq!(
                    document["mediaType"],
                    "application/vnd.dev.sigstore.bundle.v0.3+json"
                );
                let key_id =
                    attest::PublicKey::from_pem(&std::fs::read_to_string(&public).expect("pub"))
                        .expect("pem")
                        .key_id();
                assert_eq!(
                    document["verificationMaterial"]["publicKey"]["hint"],
                    key_id.as_str()
                );
                document["dsseEnvelope"].clone()
            } else {
                document
            };
            assert_eq!(envelope["payloadType"], PAYLOAD_TYPE);
            let statement = payload(&envelope);
            assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
            assert_eq!(statement["predicateType"], "https://cyclonedx.org/bom");
            assert_valid(
                "fixtures/schemas/bom-1.6.schema.json",
                &statement["predicate"].to_string(),
            );

            let lock = format!(
                "app/Cargo.lock=sha256:{}",
                sha256_of(&dir.join("app/Cargo.lock"))
            );
            let (code, stdout, stderr) = verify(
                &file,
                &public,
                &[
                    "--subject",
                    &lock,
                    "--predicate-type",
                    "https://cyclonedx.org/bom",
                ],
            );
            assert_eq!(code, 0, "{algorithm} bundle={bundle}: {stderr}");
            assert!(stdout.starts_with("verified: "), "{stdout}");
            assert!(stdout.contains("app/Cargo.lock sha256:"), "{stdout}");
        }
    }
}

#[test]
fn spdx_and_scan_predicates_carry_their_documents() {
    let keys = tempfile::tempdir().expect("tempdir");
    let (private, public) = generate(keys.path(), "ed25519");
    let (tmp, _, file) = attest(&private, &["--predicate", "spdx"]);
    let statement = payload(&read_json(&file));
    assert_eq!(statement["predicateType"], "https://spdx.dev/Document");
    assert_valid(
        "fixtures/schemas/spdx-2.3.schema.json",
        &statement["predicate"].to_string(),
    );

    let (_tmp, _, file) = attest(&private, &["--predicate", "scan", "--offline"]);
    let statement = payload(&read_json(&file));
    assert_eq!(
        statement["predicateType"],
        "https://trusca.example/attestation/result/v1"
    );
    assert_valid(
        "docs/trusca-result.schema.json",
        &statement["predicate"].to_string(),
    );

    // `--predicate-out` hands back the verified document.
    let predicate = tmp.path().join("predicate.json");
    let (code, _, stderr) = verify(
        &file,
        &public,
        &["--predicate-out", predicate.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read_json(&predicate), statement["predicate"]);
}

#[test]
fn a_git_checkout_is_a_subject_by_its_commit() {
    let keys = tempfile::tempdir().expect("tempdir");
    let (private, public) = generate(keys.path(), "ed25519");
    let (tmp, dir) = fixture_copy("scan/mixed");
    let repo = git2::Repository::init(&dir).expect("init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let sig = git2::Signature::now("t", "t@example.com").expect("sig");
    let commit = repo
        .commit(Some("HEAD"), &sig, &sig, "c", &tree, &[])
        .expect("commit");
    let file = tmp.path().join("att.json");
    let out = trusca()
        .arg("attest")
        .arg(&dir)
        .arg("--key")
        .arg(&private)
        .arg("-o")
        .arg(&file)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let subject = format!("mixed=gitCommit:{commit}");
    assert_eq!(verify(&file, &public, &["--subject", &subject]).0, 0);
    let other = format!("mixed=gitCommit:{}", "0".repeat(40));
    let (code, _, stderr) = verify(&file, &public, &["--subject", &other]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("subject `mixed` has gitCommit digest"),
        "{stderr}"
    );
}

#[test]
fn an_encrypted_key_needs_its_passphrase_which_is_never_shown() {
    let passphrase = "s3cret-passphrase-for-the-test";
    let keys = tempfile::tempdir().expect("tempdir");
    let out = trusca()
        .env("TRUSCA_KEY_PASSWORD", passphrase)
        .args(["key", "generate", "--algorithm", "ecdsa-p256", "--out"])
        .arg(keys.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let private = keys.path().join("trusca.key");
    let pem = std::fs::read_to_string(&private).expect("read");
    assert!(
        pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{pem}"
    );
    assert!(!pem.contains(passphrase));

    let (tmp, dir) = fixture_copy("scan/mixed");
    let file = tmp.path().join("att.json");
    let run = |password: Option<&str>| {
        let mut cmd = trusca();
        cmd.env_remove("TRUSCA_KEY_PASSWORD");
        if let Some(p) = password {
            cmd.env("TRUSCA_KEY_PASSWORD", p);
        }
        cmd.arg("attest")
            .arg(&dir)
            .arg("--key")
            .arg(&private)
            .arg("-o")
            .arg(&file);
        cmd.output().expect("runs")
    };
    let without = run(None);
    assert_eq!(without.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without.stderr).contains("set `TRUSCA_KEY_PASSWORD`"));
    let wrong = run(Some("wrong"));
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase"));
    let right = run(Some(passphrase));
    assert!(
        right.status.success(),
        "{}",
        String::from_utf8_lossy(&right.stderr)
    );
    let document = std::fs::read(&file).expect("written");
    for output in [
        &out.stdout,
        &out.stderr,
        &right.stdout,
        &right.stderr,
        &wrong.stderr,
        &document,
    ] {
        assert!(!String::from_utf8_lossy(output).contains(passphrase));
    }
    assert_no_private_key(&pem, &[&document, &right.stdout, &right.stderr]);
    assert_eq!(verify(&file, &keys.path().join("trusca.pub"), &[]).0, 0);
}

/// A signed envelope of a statement about `Cargo.lock`, written where the tests tamper with it.
struct Tamper {
    tmp: tempfile::TempDir,
    key: SigningKey,
    public: PathBuf,
    envelope: Envelope,
}

impl Tamper {
    fn new() -> Tamper {
        let tmp = tempfile::tempdir().expect("tempdir");
        let key = SigningKey::generate(Algorithm::Ed25519);
        let public = tmp.path().join("trusca.pub");
        std::fs::write(&public, key.public().to_pem().expect("pem")).expect("write");
        let statement = attest::Statement::new(
            vec![attest::Subject::new(
                "Cargo.lock",
                "sha256",
                "ab".repeat(32),
            )],
            "https://cyclonedx.org/bom",
            serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6"}),
        );
        let envelope = attest::sign_statement(&statement, &key);
        Tamper {
            tmp,
            key,
            public,
            envelope,
        }
    }

    /// Verifies `text` as the attestation file.
    fn verify_text(&self, text: &[u8], args: &[&str]) -> (i32, String) {
        let file = self.tmp.path().join("att.json");
        std::fs::write(&file, text).expect("write");
        let (code, _, stderr) = verify(&file, &self.public, args);
        (code, stderr)
    }

    fn verify(&self, envelope: &Envelope) -> (i32, String) {
        self.verify_text(envelope.to_json().as_bytes(), &[])
    }
}

#[test]
fn tampering_is_refused_each_with_its_own_reason() {
    let t = Tamper::new();
    assert_eq!(t.verify(&t.envelope).0, 0);
    let mut reasons = Vec::new();

    // A flipped payload byte.
    let mut flipped = t.envelope.clone();
    flipped.payload[20] ^= 0x01;
    reasons.push(t.verify(&flipped));

    // A changed subject digest: in the signed payload, and asked for on the command line.
    let mut changed = t.envelope.clone();
    let text = String::from_utf8(changed.payload.clone()).expect("utf-8");
    changed.payload = text
        .replace(&"ab".repeat(32), &"cd".repeat(32))
        .into_bytes();
    let (code, stderr) = t.verify(&changed);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("does not check"), "{stderr}");
    let other_digest = format!("Cargo.lock=sha256:{}", "cd".repeat(32));
    reasons.push(t.verify_text(
        t.envelope.to_json().as_bytes(),
        &["--subject", &other_digest],
    ));

    // A signature from another key.
    let other = SigningKey::generate(Algorithm::EcdsaP256);
    let by_other = Envelope::sign(PAYLOAD_TYPE, t.envelope.payload.clone(), &other);
    reasons.push(t.verify(&by_other));

    // Two signatures by the trusted key, one of them bad.
    let mut two = t.envelope.clone();
    let mut bad = two.signatures[0].clone();
    bad.sig[5] ^= 0x01;
    two.signatures.push(bad.clone());
    reasons.push(t.verify(&two));

    // A good signature by another key next to a bad one by the trusted key.
    let mut mixed = by_other.clone();
    mixed.signatures.push(bad);
    reasons.push(t.verify(&mixed));

    // A payload type other than in-toto, signed properly.
    reasons.push(t.verify(&Envelope::sign(
        "application/json",
        t.envelope.payload.clone(),
        &t.key,
    )));

    // The wrong predicate type asked for.
    reasons.push(t.verify_text(
        t.envelope.to_json().as_bytes(),
        &["--predicate-type", "https://spdx.dev/Document"],
    ));

    for (code, stderr) in &reasons {
        assert_eq!(*code, 1, "{stderr}");
    }
    let messages: Vec<String> = reasons
        .iter()
        .map(|(_, stderr)| {
            let line = stderr.lines().next().unwrap_or_default();
            line.split_once("is not verified: ")
                .map_or(line, |(_, why)| why)
                .to_owned()
        })
        .collect();
    let wanted = [
        "signature 1 of 1 (key `",
        "subject `Cargo.lock` has sha256 digest `abab",
        "no signature by key `",
        "signature 2 of 2 claims key `",
        "signature 2 of 2 (key `",
        "the payload type is `application/json`, not an in-toto statement",
        "the predicate type is `https://cyclonedx.org/bom`, not `https://spdx.dev/Document`",
    ];
    for (message, want) in messages.iter().zip(wanted) {
        assert!(
            message.starts_with(want),
            "{message:?} should start with {want:?}"
        );
    }
    let distinct: std::collections::BTreeSet<_> = messages.iter().collect();
    assert_eq!(distinct.len(), messages.len(), "{messages:#?}");
}

#[test]
fn unreadable_and_hostile_files_exit_2_with_a_reason() {
    let t = Tamper::new();
    let json = t.envelope.to_json();
    let truncated = &json.as_bytes()[..json.len() / 2];
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let huge = format!(
        r#"{{"payload":"{}","payloadType":"t","signatures":[{{"sig":"%%"}}]}}"#,
        "A".repeat(8 << 20)
    );
    let cases: Vec<(&[u8], &str)> = vec![
        (truncated, "EOF while parsing"),
        (b"", "EOF while parsing"),
        (
            br#"{"payload":7,"payloadType":"t","signatures":[]}"#,
            "invalid type: integer `7`",
        ),
        (
            br#"{"payload":"","payloadType":"t","signatures":"x"}"#,
            "invalid type: string",
        ),
        (
            br#"{"payload":"@@","payloadType":"t","signatures":[]}"#,
            "`payload` is not valid base64",
        ),
        (deep.as_bytes(), "recursion limit exceeded"),
        (huge.as_bytes(), "`signatures[0].sig` is not valid base64"),
        (b"{\"payload\":\"\xff\xfe\"", "not a DSSE envelope"),
        (
            br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}"#,
            "not a Sigstore bundle",
        ),
    ];
    for (text, want) in cases {
        let (code, stderr) = t.verify_text(text, &[]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(want), "{want}: {stderr}");
    }
    let (code, _, stderr) = verify(&t.tmp.path().join("missing.json"), &t.public, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read it"), "{stderr}");
    // The trusted key must be a public key.
    let private = t.tmp.path().join("private.pem");
    std::fs::write(&private, t.key.to_pem(None).expect("pem").as_bytes()).expect("write");
    let (code, stdout, stderr) = verify(&t.public, &private, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("this is a private key"), "{stderr}");
    assert_no_private_key(
        &t.key.to_pem(None).expect("pem"),
        &[stdout.as_bytes(), stderr.as_bytes()],
    );
}

#[test]
fn text_from_the_file_is_shown_escaped() {
    let t = Tamper::new();
    let sneaky = Envelope::sign("\u{1b}]0;owned\u{7}", t.envelope.payload.clone(), &t.key);
    let (code, stderr) = t.verify(&sneaky);
    assert_eq!(code, 1);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("\\u{1b}"), "{stderr:?}");
}

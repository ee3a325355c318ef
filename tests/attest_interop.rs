//! Interoperability with an independent DSSE / in-toto implementation: securesystemslib verifies
//! trusca's envelopes and bundles (Ed25519 and ECDSA P-256) and in-toto-attestation validates
//! their statements; trusca verifies envelopes that securesystemslib signed.
//!
//! Python with the PyPI packages `securesystemslib` and `in-toto-attestation` is found through
//! `TRUSCA_TEST_PYTHON` (a venv's interpreter, as `.ci/run` makes), else `python3` when it imports
//! them. Without one the test says it skipped, unless `TRUSCA_REQUIRE_INTEROP=1` (set by
//! `.ci/run`), where their absence fails it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{fixture_copy, trusca};

const SCRIPT: &str = "tests/interop/dsse.py";

/// A Python that imports both packages, or why there is none.
fn python() -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match std::env::var_os("TRUSCA_TEST_PYTHON") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![PathBuf::from("python3")],
    };
    let mut why = Vec::new();
    for python in candidates {
        let probe = Command::new(&python)
            .args(["-c", "import securesystemslib.dsse, securesystemslib.signer, in_toto_attestation.v1.statement, cryptography"])
            .output();
        match probe {
            Ok(out) if out.status.success() => return Ok(python),
            Ok(out) => why.push(format!(
                "`{}` cannot import them: {}",
                python.display(),
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
            )),
            Err(e) => why.push(format!("`{}`: {e}", python.display())),
        }
    }
    Err(why.join("; "))
}

/// The interpreter, or `None` after saying the test skipped (a failure where interop is required).
fn python_or_skip() -> Option<PathBuf> {
    match python() {
        Ok(p) => Some(p),
        Err(why) => {
            assert!(
                std::env::var("TRUSCA_REQUIRE_INTEROP").as_deref() != Ok("1"),
                "TRUSCA_REQUIRE_INTEROP=1 but securesystemslib / in-toto-attestation are missing: {why}"
            );
            eprintln!(
                "skipped: the DSSE interop test needs Python with securesystemslib and \
                 in-toto-attestation (TRUSCA_TEST_PYTHON): {why}"
            );
            None
        }
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SCRIPT)
}

fn run_python(python: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(python)
        .arg(script())
        .args(args)
        .output()
        .expect("python runs")
}

#[test]
fn securesystemslib_and_trusca_verify_each_others_envelopes() {
    let Some(python) = python_or_skip() else {
        return;
    };
    for algorithm in ["ed25519", "ecdsa-p256"] {
        let keys = tempfile::tempdir().expect("tempdir");
        let out = trusca()
            .args(["key", "generate", "--algorithm", algorithm, "--out"])
            .arg(keys.path())
            .output()
            .expect("runs");
        assert!(out.status.success());
        let public = keys.path().join("trusca.pub");
        for bundle in [false, true] {
            let (tmp, dir) = fixture_copy("scan/mixed");
            let file = tmp.path().join("att.json");
            let mut cmd = trusca();
            cmd.arg("attest")
                .arg(&dir)
                .arg("--key")
                .arg(keys.path().join("trusca.key"));
            cmd.arg("-o").arg(&file);
            if bundle {
                cmd.arg("--bundle");
            }
            let out = cmd.output().expect("runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );

            let out = run_python(
                &python,
                &["verify".as_ref(), file.as_os_str(), public.as_os_str()],
            );
            assert!(
                out.status.success(),
                "{algorithm} bundle={bundle}: securesystemslib: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            // And it refuses a tampered copy, so its yes means something.
            let mut document: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
            let envelope = if bundle {
                &mut document["dsseEnvelope"]
            } else {
                &mut document
            };
            envelope["payloadType"] = "application/vnd.in-toto+jsoN".into();
            std::fs::write(&file, document.to_string()).expect("write");
            let out = run_python(
                &python,
                &["verify".as_ref(), file.as_os_str(), public.as_os_str()],
            );
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    for algorithm in ["ed25519", "ecdsa"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = run_python(
            &python,
            &["sign".as_ref(), algorithm.as_ref(), dir.path().as_os_str()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let envelope = dir.path().join("envelope.json");
        let subject = format!("Cargo.lock=sha256:{}", "ab".repeat(32));
        let out = trusca()
            .arg("verify")
            .arg(&envelope)
            .arg("--key")
            .arg(dir.path().join("public.pem"))
            .args([
                "--subject",
                &subject,
                "--predicate-type",
                "https://cyclonedx.org/bom",
            ])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{algorithm}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Another key does not verify it.
        let keys = tempfile::tempdir().expect("tempdir");
        trusca()
            .args(["key", "generate", "--out"])
            .arg(keys.path())
            .output()
            .expect("runs");
        let out = trusca()
            .arg("verify")
            .arg(&envelope)
            .arg("--key")
            .arg(keys.path().join("trusca.pub"))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
    }
}

//! `trusca verify`: check an attestation with a trusted public key. Exit 0 when it checks and
//! says what was asked, 1 when it is refused (with the reason), 2 when a file cannot be read.

use std::fs;
use std::path::Path;

use trusca_core::attest::verify::{self, Expectations, MAX_DOCUMENT_BYTES};
use trusca_core::attest::PublicKey;
use trusca_core::report::text::{one_line, printable};

use crate::args::VerifyArgs;
use crate::diagnostics;
use crate::output;
use crate::Outcome;

/// `trusca verify`.
pub fn run(args: &VerifyArgs) -> Outcome {
    let key = match fs::read_to_string(&args.key)
        .map_err(|e| e.to_string())
        .and_then(|pem| PublicKey::from_pem(&pem).map_err(|e| e.to_string()))
    {
        Ok(k) => k,
        Err(e) => {
            diagnostics::fatal(&format!("key `{}`: {e}", args.key.display()), None);
            return Outcome::Error;
        }
    };
    let signed = match verify::read_file(&args.file, MAX_DOCUMENT_BYTES) {
        Ok(s) => s,
        Err(e) => {
            diagnostics::fatal(
                &format!("`{}`: {}", args.file.display(), one_line(&e.to_string())),
                None,
            );
            return Outcome::Error;
        }
    };
    let expect = Expectations {
        subjects: args.subject.clone(),
        predicate_type: args.predicate_type.clone(),
    };
    let verified = match verify::verify(&signed.envelope, &key, &expect) {
        Ok(v) => v,
        Err(e) => {
            // Everything in the reason may come from the file: shown escaped.
            eprintln!(
                "error: `{}` is not verified: {}",
                args.file.display(),
                one_line(&e.to_string())
            );
            return Outcome::PolicyFailure;
        }
    };
    if let Some(out) = &args.predicate_out {
        let mut predicate =
            serde_json::to_string_pretty(&verified.statement.predicate).unwrap_or_default();
        predicate.push('\n');
        if out == Path::new("-") {
            if output::emit_text(&predicate) != Outcome::Pass {
                return Outcome::Error;
            }
        } else if let Err(e) = fs::write(out, predicate) {
            diagnostics::fatal(&format!("cannot write `{}`: {e}", out.display()), None);
            return Outcome::Error;
        }
    }
    let subjects = verified
        .statement
        .subject
        .iter()
        .map(|s| {
            let digests = s
                .digest
                .iter()
                .map(|(alg, hex)| format!("{alg}:{hex}"))
                .collect::<Vec<_>>()
                .join(" ");
            format!("  {} {}", one_line(&s.name), one_line(&digests))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let summary = format!(
        "verified: {} signed by key `{}` ({})\npredicate type: {}\nsubjects:\n{subjects}",
        if signed.bundle { "bundle" } else { "envelope" },
        verified.key_id,
        key.algorithm(),
        one_line(&verified.statement.predicate_type),
    );
    let summary = printable(&summary).into_owned();
    // With the predicate on standard output the summary goes to standard error.
    if args.predicate_out.as_deref() == Some(Path::new("-")) {
        eprintln!("{summary}");
        Outcome::Pass
    } else {
        output::line(&summary)
    }
}

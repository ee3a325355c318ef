//! `trusca attest`: scan, then sign the SBOM or result as an in-toto statement in a DSSE
//! envelope (or a Sigstore bundle).

use std::fs;
use std::path::Path;

use trusca_core::attest::{self, bundle, SigningKey};
use trusca_core::pipeline::{PipelineError, Scanner};
use trusca_core::settings::{Env, Mode};

use crate::args::{AttestArgs, PredicateArg};
use crate::commands::{key, policy, scan};
use crate::diagnostics;
use crate::output;
use crate::progress::Bar;
use crate::Outcome;

/// `trusca attest`.
pub fn run(args: &AttestArgs) -> Outcome {
    let Some(signing_key) = load_signing_key(&args.key) else {
        return Outcome::Error;
    };
    // The result predicate is a full scan; an SBOM is an inventory, as `trusca sbom` writes it.
    let mode = match args.predicate {
        PredicateArg::Scan => Mode::Scan,
        PredicateArg::Cyclonedx | PredicateArg::Spdx => Mode::Sbom,
    };
    let Some(mut flags) = scan::target_flags(&args.target, mode) else {
        return Outcome::Error;
    };
    flags.config.clone_from(&args.policy.config);
    flags.fail_on = args.policy.fail_on.map(Into::into);
    flags.db.clone_from(&args.vulns.db);
    flags.offline = args.vulns.offline.then_some(true);
    flags.max_db_age = args.vulns.max_db_age;
    flags.mirror.clone_from(&args.vulns.mirror);

    let bar = Bar::new(
        args.target.no_progress || args.target.quiet,
        "looking for dependency files",
    );
    let result = Scanner::new(flags, Env::from_process()).run(&bar);
    bar.finish();
    let run = match result {
        Ok(run) => run,
        Err(PipelineError::Config(e)) => {
            policy::render_error(&e);
            return Outcome::Error;
        }
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            return Outcome::Error;
        }
    };
    diagnostics::report(&run.scan.diagnostics, &run.root, args.target.quiet);

    let statement = match attest::statement_of_scan(
        &run.scan,
        &run.root,
        &run.settings.explicit,
        args.predicate.into(),
        args.spec_version.into(),
    ) {
        Ok(s) => s,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            return Outcome::Error;
        }
    };
    let envelope = attest::sign_statement(&statement, &signing_key);
    let mut document = if args.bundle {
        bundle::to_json(&envelope, &signing_key.public().key_id())
    } else {
        envelope.to_json()
    };
    document.push('\n');
    let path = args
        .target
        .output
        .as_deref()
        .filter(|p| *p != Path::new("-"));
    let written = match path {
        Some(path) => fs::write(path, &document).map_err(|e| {
            diagnostics::fatal(&format!("cannot write `{}`: {e}", path.display()), None);
        }),
        None if output::emit_text(&document) == Outcome::Pass => Ok(()),
        None => Err(()),
    };
    if written.is_err() {
        return Outcome::Error;
    }
    if !args.target.quiet {
        eprintln!(
            "signed {} subjects with key `{}` ({})",
            statement.subject.len(),
            signing_key.public().key_id(),
            signing_key.algorithm()
        );
    }
    policy::outcome(&run.scan, &run.settings)
}

/// Reads the private key (decrypting it with `TRUSCA_KEY_PASSWORD`); `None` after saying why.
fn load_signing_key(path: &Path) -> Option<SigningKey> {
    let text = match fs::read_to_string(path) {
        Ok(t) => zeroize::Zeroizing::new(t),
        Err(e) => {
            diagnostics::fatal(
                &format!("cannot read the key `{}`: {e}", path.display()),
                None,
            );
            return None;
        }
    };
    let passphrase = key::passphrase();
    match SigningKey::from_pem(&text, passphrase.as_deref().map(String::as_str)) {
        Ok(k) => Some(k),
        Err(e) => {
            diagnostics::fatal(&format!("key `{}`: {e}", path.display()), None);
            None
        }
    }
}

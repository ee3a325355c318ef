//! `trusca server …`: the definitions and the work live in the server crate; this prints what
//! it returns and maps errors to the exit code.

use trusca_server::cli::ServerArgs;

use crate::diagnostics;
use crate::Outcome;

/// Runs the server, `migrate`, or an `admin` command.
pub fn run(args: ServerArgs) -> Outcome {
    match trusca_server::cli::run(args) {
        Ok(Some(out)) => crate::output::line(&out),
        Ok(None) => Outcome::Pass,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            Outcome::Error
        }
    }
}

//! Standard output for results: a reader that closes the pipe early (`trusca … | head`) ends the
//! output, not the command, and nothing panics on it.

use std::io::{self, Write};

use crate::diagnostics;
use crate::Outcome;

/// Writes `bytes` to standard output and flushes; a closed pipe is the reader's choice and
/// passes, any other failure is an error.
pub fn emit(bytes: &[u8]) -> Outcome {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Outcome::Pass,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Outcome::Pass,
        Err(e) => {
            diagnostics::fatal(&format!("cannot write to standard output: {e}"), None);
            Outcome::Error
        }
    }
}

/// A line of text to standard output ([`emit`]).
pub fn line(text: &str) -> Outcome {
    emit(format!("{text}\n").as_bytes())
}

/// Text to standard output as it is ([`emit`]).
pub fn emit_text(text: &str) -> Outcome {
    emit(text.as_bytes())
}

//! `trusca completions <shell>`: completions generated from the same clap definitions.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::args::Cli;
use crate::Outcome;

/// Prints the completion script for `shell` to standard output.
pub fn run(shell: Shell) -> Outcome {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "trusca", &mut script);
    crate::output::emit(&script)
}

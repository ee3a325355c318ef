//! `trusca`: parse the command line, run the command, map the outcome to an exit code
//! (0 pass, 1 policy failure, 2 error).

mod args;
mod commands;
mod diagnostics;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything ran and policy passed.
    Pass,
    /// Everything ran and policy failed.
    PolicyFailure,
    /// The command could not do its job.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(match o {
            Outcome::Pass => 0,
            Outcome::PolicyFailure => 1,
            Outcome::Error => 2,
        })
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are not errors; usage mistakes are.
            return if e.use_stderr() {
                Outcome::Error.into()
            } else {
                Outcome::Pass.into()
            };
        }
    };
    let outcome = match cli.command {
        Command::Scan(args) => commands::scan::scan(&args),
        Command::Sbom(args) => commands::scan::sbom(&args),
        Command::Db(args) => commands::db::run(&args),
        Command::Upload(args) => commands::upload::run(&args),
        Command::Policy(args) => match args.command {
            args::PolicyCommand::Pull(pull) => commands::pull::run(&pull),
        },
        Command::Key(args) => match args.command {
            args::KeyCommand::Generate(generate) => commands::key::generate(&generate),
        },
        Command::Attest(args) => commands::attest::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        #[cfg(feature = "server")]
        Command::Server(args) => commands::server::run(args),
        Command::Completions { shell } => commands::completions::run(shell),
    };
    outcome.into()
}

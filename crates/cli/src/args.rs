//! The command line, declared with clap derive. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Software composition analysis: find every third-party component, write SBOMs, and report
/// what a project depends on.
#[derive(Debug, Parser)]
#[command(name = "trusca", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a directory or git repository for third-party components
    Scan(ScanArgs),
    /// Write an SBOM of a directory or git repository (`scan` with an SBOM format)
    Sbom(SbomArgs),
    /// Upload a scan result or CycloneDX SBOM to a trusca server
    Upload(crate::commands::upload::UploadArgs),
    /// Run the trusca team server, migrate its database, or administer it
    Server(trusca_server::cli::ServerArgs),
    /// Print shell completions
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

/// What to scan and how.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// A directory, or a git URL (https, ssh, `file://`) to clone
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,

    /// The branch, tag or commit to check out when TARGET is a git URL
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,

    /// Read a file with a given format, whatever its name (`package-lock.json:deps/lock.json`);
    /// repeatable. Without TARGET, only these files are read
    #[arg(long, value_name = "FORMAT:PATH")]
    pub lockfile: Vec<String>,

    /// Also read files matching this glob (relative to TARGET), even where `.gitignore` or the
    /// default skips (`node_modules`, `vendor`, `target`, …) would leave them out; repeatable
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Leave out files and directories matching this glob (relative to TARGET); repeatable
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Fixed timestamp (`SOURCE_DATE_EPOCH`, or 1970-01-01) so the same tree gives identical output
    #[arg(long)]
    pub reproducible: bool,

    /// No progress bar
    #[arg(long)]
    pub no_progress: bool,

    /// Print only the result and errors, no warnings
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// Output format [default: `table` on a terminal, `json` otherwise]
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,

    /// CycloneDX specification version
    #[arg(long, value_enum, default_value_t = CdxVersion::V1_6)]
    pub spec_version: CdxVersion,

    #[command(flatten)]
    pub upload: crate::commands::upload::ScanUpload,
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// SBOM format
    #[arg(short, long, value_enum, default_value_t = SbomFormat::Cyclonedx)]
    pub format: SbomFormat,

    /// CycloneDX specification version
    #[arg(long, value_enum, default_value_t = CdxVersion::V1_6)]
    pub spec_version: CdxVersion,
}

/// Every output format of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables grouped by ecosystem, for people
    Table,
    /// The trusca JSON result (documented in docs/json-format.md)
    Json,
    /// CycloneDX JSON
    Cyclonedx,
    /// CycloneDX XML
    CyclonedxXml,
    /// SPDX 2.3 JSON
    Spdx,
}

/// The SBOM formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    /// CycloneDX JSON
    Cyclonedx,
    /// CycloneDX XML
    CyclonedxXml,
    /// SPDX 2.3 JSON
    Spdx,
}

impl From<SbomFormat> for Format {
    fn from(f: SbomFormat) -> Self {
        match f {
            SbomFormat::Cyclonedx => Format::Cyclonedx,
            SbomFormat::CyclonedxXml => Format::CyclonedxXml,
            SbomFormat::Spdx => Format::Spdx,
        }
    }
}

/// CycloneDX specification versions trusca writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CdxVersion {
    /// CycloneDX 1.5
    #[value(name = "1.5")]
    V1_5,
    /// CycloneDX 1.6
    #[value(name = "1.6")]
    V1_6,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

impl From<CdxVersion> for trusca_core::sbom::cyclonedx::SpecVersion {
    fn from(v: CdxVersion) -> Self {
        match v {
            CdxVersion::V1_5 => Self::V1_5,
            CdxVersion::V1_6 => Self::V1_6,
        }
    }
}

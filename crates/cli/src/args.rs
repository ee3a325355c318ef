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
    /// Manage the local vulnerability database (OSV data)
    Db(DbArgs),
    /// Upload a scan result or CycloneDX SBOM to a trusca server
    Upload(UploadArgs),
    /// The team policy a trusca server keeps
    Policy(PolicyCommandArgs),
    /// Signing keys for attestations
    Key(KeyArgs),
    /// Scan, then write a signed in-toto attestation of the SBOM or result (a DSSE envelope)
    Attest(AttestArgs),
    /// Check an attestation's signature with a trusted public key, and what it says
    Verify(VerifyArgs),
    /// Run the trusca team server, migrate its database, or administer it
    #[cfg(feature = "server")]
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
    /// A directory, a git URL (https, ssh, `file://`) to clone, a container image (`docker save`
    /// tar, OCI layout directory or archive) or `rootfs:DIR`
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

    /// Write to FILE instead of standard output (`-` is standard output)
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

    /// Fail (exit 2) when any dependency file cannot be read, instead of warning [default:
    /// `strict` in `trusca.toml`]
    #[arg(long)]
    pub strict: bool,

    /// Read dependencies' licenses from the package store at DIR, in place of the one found for
    /// KIND (cargo, go, python, maven, gradle, nuget, gem, pub, hex-deps, swift-checkouts, pods);
    /// repeatable
    #[arg(long, value_name = "KIND=DIR", value_parser = trusca_core::licenses::stores::parse_given)]
    pub package_store: Vec<(trusca_core::licenses::stores::StoreKind, PathBuf)>,

    /// Read no package store outside the scanned tree (the cargo registry, the Go module cache,
    /// `~/.m2`, …) [default: `package_stores` in `trusca.toml`, else read them]
    #[arg(long, conflicts_with = "package_store")]
    pub no_package_stores: bool,
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

    /// The checks to run, comma-separated (or `TRUSCA_SCANNERS`, or `[scan] scanners`) [default:
    /// `vuln,license`]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "SCANNER")]
    pub scanners: Vec<ScannerArg>,

    /// List every package in the table on a terminal too (a table written to a file always
    /// lists them)
    #[arg(long)]
    pub list_all_pkgs: bool,

    #[command(flatten)]
    pub policy: PolicyArgs,

    #[command(flatten)]
    pub vulns: VulnArgs,

    #[command(flatten)]
    pub upload: ScanUpload,
}

/// How policy is applied: the configuration file and the vulnerability threshold.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Fail (exit 1) on vulnerabilities at or above SEVERITY [default: `fail_on` in
    /// `trusca.toml`, else `high`]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOnArg>,

    /// Read policy from FILE instead of the `trusca.toml` at the scan root
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The checks of `--scanners`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScannerArg {
    /// Known vulnerabilities, from the local OSV database (which must then be present)
    Vuln,
    /// Licenses of the dependencies and of the project
    License,
}

impl From<ScannerArg> for trusca_core::coverage::ScannerKind {
    fn from(s: ScannerArg) -> Self {
        match s {
            ScannerArg::Vuln => Self::Vuln,
            ScannerArg::License => Self::License,
        }
    }
}

/// Vulnerability severities for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// CVSS 9.0 and above
    Critical,
    /// CVSS 7.0 and above
    High,
    /// CVSS 4.0 and above
    Medium,
    /// Any known severity (and an unknown one, unless `[vulns] unknown_severity` says otherwise)
    Low,
    /// Vulnerabilities never fail the scan (malicious packages still do)
    None,
}

impl From<FailOnArg> for trusca_core::policy::FailOn {
    fn from(f: FailOnArg) -> Self {
        use trusca_core::policy::FailOn;
        match f {
            FailOnArg::Critical => FailOn::Critical,
            FailOnArg::High => FailOn::High,
            FailOnArg::Medium => FailOn::Medium,
            FailOnArg::Low => FailOn::Low,
            FailOnArg::None => FailOn::None,
        }
    }
}

/// Severities for `--severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// CVSS 9.0 and above
    Critical,
    /// CVSS 7.0–8.9
    High,
    /// CVSS 4.0–6.9
    Medium,
    /// CVSS 0.1–3.9
    Low,
    /// No known score
    Unknown,
}

impl From<SeverityArg> for trusca_core::vulns::SeverityLevel {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Critical => Self::Critical,
            SeverityArg::High => Self::High,
            SeverityArg::Medium => Self::Medium,
            SeverityArg::Low => Self::Low,
            SeverityArg::Unknown => Self::Unknown,
        }
    }
}

/// Where vulnerability data comes from during a scan.
#[derive(Debug, Args)]
pub struct VulnArgs {
    /// The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache
    /// dir>/trusca/osv.db`]
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Never touch the network (or `TRUSCA_OFFLINE=1`): without a database, vulnerabilities
    /// are not checked
    #[arg(long)]
    pub offline: bool,

    /// Fail (exit 2) when the database is older than DAYS, instead of only warning after 7 days
    #[arg(long, value_name = "DAYS")]
    pub max_db_age: Option<u64>,

    /// Where the first scan downloads the database from when there is none (or
    /// `TRUSCA_DB_MIRROR`)
    #[arg(long = "db-mirror", value_name = "URL")]
    pub mirror: Option<String>,

    /// Leave out findings that no released version fixes (malicious packages are kept)
    #[arg(long, visible_alias = "only-fixed")]
    pub ignore_unfixed: bool,

    /// Keep only findings of these severities, comma-separated (malicious packages are kept)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "SEVERITY")]
    pub severity: Vec<SeverityArg>,

    /// Apply the statements of a VEX document (OpenVEX, CycloneDX VEX or CSAF VEX): findings
    /// `not_affected` or `fixed` are kept out of the gate; repeatable, after `[vulns] vex`
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
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
    /// SARIF 2.1.0, for code-scanning UIs
    Sarif,
    /// A Markdown summary, for pull-request comments
    Markdown,
    /// OpenVEX 0.2.0: each finding with its status (VEX statements applied, exceptions as
    /// `not_affected`)
    Openvex,
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

/// `trusca db …`: the database file, shared by every `db` subcommand.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache
    /// dir>/trusca/osv.db`]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download OSV data (`<mirror>/<Ecosystem>/all.zip`) and rebuild the database; unchanged
    /// ecosystems are not downloaded again
    Update(DbUpdateArgs),
    /// Build the database from OSV data on disk: a directory in the osv.dev layout, zips,
    /// or `*.json` records; replaces the whole database
    Import(DbImportArgs),
    /// Show the database path, build time, age, source, and per ecosystem the record count and
    /// update time
    Status(DbStatusArgs),
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    /// Where to download from: an `http(s)://` URL, a `file://` URL or a directory in the
    /// osv.dev layout (or `TRUSCA_DB_MIRROR`) [default: the public OSV bucket]
    #[arg(long, value_name = "URL")]
    pub mirror: Option<String>,

    /// Only this ecosystem (OSV name, such as `PyPI` or `crates.io`), keeping the others the
    /// database holds; repeatable
    #[arg(long, value_name = "NAME")]
    pub ecosystem: Vec<String>,

    /// Report format
    #[arg(short, long, value_enum, default_value_t = DbReportFormat::Text)]
    pub format: DbReportFormat,

    /// No progress bar
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct DbImportArgs {
    /// Directories, zips or `*.json` records to read
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Report format
    #[arg(short, long, value_enum, default_value_t = DbReportFormat::Text)]
    pub format: DbReportFormat,

    /// No progress bar
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct DbStatusArgs {
    /// Output format [default: `text` on a terminal, `json` otherwise]
    #[arg(short, long, value_enum)]
    pub format: Option<DbReportFormat>,
}

/// Where and how to upload.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// The trusca server to upload to (or `TRUSCA_SERVER`, or `[server] url` in trusca.toml;
    /// the key is read from `TRUSCA_TOKEN`)
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,

    /// The project to upload to [default: the scanned target's name]
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,

    /// The team, when the key is not bound to one and its user is in several
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,

    /// How often to retry after a server error or a network failure
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
}

/// `trusca upload`.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// A trusca JSON result (`trusca scan --format json`) or a CycloneDX JSON SBOM
    #[arg(value_name = "RESULT")]
    pub file: PathBuf,

    #[command(flatten)]
    pub connection: Connection,
}

/// The upload flags of `trusca scan`.
#[derive(Debug, Args)]
pub struct ScanUpload {
    /// Upload the result to a trusca server (`--server` or `TRUSCA_SERVER`, key in `TRUSCA_TOKEN`)
    #[arg(long)]
    pub upload: bool,

    /// Whose decision sets the exit code: the local policy's (`local`, the default), or the
    /// server's under the team's policy, as its answer to the upload carries it (`server`)
    #[arg(long, value_enum, value_name = "WHERE", requires = "upload")]
    pub gate: Option<Gate>,

    #[command(flatten)]
    pub connection: Connection,
}

/// Where the decision of `scan --upload` is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Gate {
    /// The local policy (`trusca.toml`)
    Local,
    /// The team's policy on the server
    Server,
}

/// `trusca policy`.
#[derive(Debug, Args)]
pub struct PolicyCommandArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Write the team's policy kept on the server as `trusca.toml`, so that local runs judge by
    /// the same policy and exceptions as the server
    Pull(PolicyPullArgs),
}

/// `trusca policy pull`.
#[derive(Debug, Args)]
pub struct PolicyPullArgs {
    /// The trusca server (or `TRUSCA_SERVER`, or `[server] url` in trusca.toml; the key is read
    /// from `TRUSCA_TOKEN`)
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,

    /// The team, when the key is not bound to one and its user is in several
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,

    /// Write to FILE (such as `trusca.toml`) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `trusca key`.
#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub command: KeyCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Write a new key pair: `trusca.key` (PKCS#8 PEM, mode 0600; encrypted with the passphrase
    /// in `TRUSCA_KEY_PASSWORD` when it is set) and `trusca.pub` (SPKI PEM)
    Generate(KeyGenerateArgs),
}

/// `trusca key generate`.
#[derive(Debug, Args)]
pub struct KeyGenerateArgs {
    /// The directory to write the key pair to (made when missing; existing keys are never
    /// overwritten)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// The signature algorithm
    #[arg(long, value_enum, default_value_t = KeyAlgorithm::Ed25519)]
    pub algorithm: KeyAlgorithm,
}

/// The algorithms of `trusca key generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyAlgorithm {
    /// Ed25519
    Ed25519,
    /// ECDSA over NIST P-256 with SHA-256
    EcdsaP256,
}

impl From<KeyAlgorithm> for trusca_core::attest::Algorithm {
    fn from(a: KeyAlgorithm) -> Self {
        match a {
            KeyAlgorithm::Ed25519 => Self::Ed25519,
            KeyAlgorithm::EcdsaP256 => Self::EcdsaP256,
        }
    }
}

/// `trusca attest`.
#[derive(Debug, Args)]
pub struct AttestArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// The private key to sign with (PKCS#8 PEM; the passphrase of an encrypted key is read
    /// from `TRUSCA_KEY_PASSWORD`)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,

    /// What the attestation carries: an SBOM, or the trusca scan result (with vulnerabilities
    /// and the policy verdict)
    #[arg(long, value_enum, default_value_t = PredicateArg::Cyclonedx)]
    pub predicate: PredicateArg,

    /// Write a Sigstore bundle v0.3 (the envelope and a public-key hint) instead of a bare
    /// DSSE envelope
    #[arg(long)]
    pub bundle: bool,

    /// CycloneDX specification version of a `cyclonedx` predicate
    #[arg(long, value_enum, default_value_t = CdxVersion::V1_6)]
    pub spec_version: CdxVersion,

    #[command(flatten)]
    pub policy: PolicyArgs,

    #[command(flatten)]
    pub vulns: VulnArgs,
}

/// The predicates of `trusca attest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PredicateArg {
    /// A CycloneDX JSON SBOM (`https://cyclonedx.org/bom`)
    Cyclonedx,
    /// An SPDX 2.3 JSON SBOM (`https://spdx.dev/Document`)
    Spdx,
    /// The trusca JSON result of `trusca scan`, with findings and the policy verdict
    Scan,
}

impl From<PredicateArg> for trusca_core::attest::PredicateKind {
    fn from(p: PredicateArg) -> Self {
        match p {
            PredicateArg::Cyclonedx => Self::Cyclonedx,
            PredicateArg::Spdx => Self::Spdx,
            PredicateArg::Scan => Self::Scan,
        }
    }
}

/// `trusca verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A DSSE envelope or a Sigstore bundle (`trusca attest` writes either)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The trusted public key (SPKI PEM); a key or hint inside FILE is never trusted
    #[arg(long, value_name = "PUB")]
    pub key: PathBuf,

    /// A subject the statement must have, with this digest (`Cargo.lock=sha256:HEX`,
    /// `app=gitCommit:HEX`); repeatable
    #[arg(long, value_name = "NAME=ALG:HEX")]
    pub subject: Vec<trusca_core::attest::verify::SubjectMatch>,

    /// The predicate type the statement must have (`https://cyclonedx.org/bom`,
    /// `https://spdx.dev/Document`, …)
    #[arg(long, value_name = "URI")]
    pub predicate_type: Option<String>,

    /// Write the verified statement's predicate (the SBOM or result) to FILE (`-` is standard
    /// output)
    #[arg(long, value_name = "FILE")]
    pub predicate_out: Option<PathBuf>,
}

/// Formats of the `db` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DbReportFormat {
    /// Lines and a table, for people
    Text,
    /// JSON
    Json,
}

impl From<Format> for trusca_core::report::Format {
    fn from(f: Format) -> Self {
        use trusca_core::report::Format as F;
        match f {
            Format::Table => F::Table,
            Format::Json => F::Json,
            Format::Cyclonedx => F::Cyclonedx,
            Format::CyclonedxXml => F::CyclonedxXml,
            Format::Spdx => F::Spdx,
            Format::Sarif => F::Sarif,
            Format::Markdown => F::Markdown,
            Format::Openvex => F::Openvex,
        }
    }
}

impl From<CdxVersion> for trusca_core::report::cyclonedx::SpecVersion {
    fn from(v: CdxVersion) -> Self {
        match v {
            CdxVersion::V1_5 => Self::V1_5,
            CdxVersion::V1_6 => Self::V1_6,
        }
    }
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

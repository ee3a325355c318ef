//! `trusca scan` and `trusca sbom`: prepare the target, scan, render, exit.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use trusca_core::inventory;
use trusca_core::licenses;
use trusca_core::report::{json, markdown, sarif, table};
use trusca_core::sbom::{cyclonedx, spdx};
use trusca_core::scan::{self, ExplicitFile, ScanOptions};
use trusca_core::source;
use trusca_core::walk::WalkOptions;

use crate::args::{CdxVersion, Format, PolicyArgs, TargetArgs, VulnArgs};
use crate::commands::{policy, vulns};
use crate::diagnostics;
use crate::progress::Bar;
use crate::Outcome;

/// Runs a scan and writes it in `format` (chosen by the terminal when `None`). With `policy`
/// (`trusca scan`), the policy is evaluated and decides the exit code; with `vuln_args` the
/// packages are matched against the vulnerability database; with `upload` the result is sent
/// to a trusca server.
pub fn run(
    args: &TargetArgs,
    format: Option<Format>,
    spec: CdxVersion,
    policy_args: Option<&PolicyArgs>,
    vuln_args: Option<&VulnArgs>,
    upload: Option<&crate::commands::upload::Connection>,
) -> Outcome {
    let explicit = match parse_lockfile_args(&args.lockfile) {
        Ok(e) => e,
        Err(msg) => {
            diagnostics::fatal(&msg, Some("formats are file names such as `package-lock.json`, or slugs such as `package-lock-json`"));
            return Outcome::Error;
        }
    };
    let walk = args.target.is_some() || explicit.is_empty();
    let target = args.target.as_deref().unwrap_or(".");
    let prepared = match source::prepare(target, args.reference.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            return Outcome::Error;
        }
    };
    let explicit_config = policy_args.and_then(|p| p.config.as_deref());
    let Some(config) = policy::load(explicit_config, &prepared.root) else {
        return Outcome::Error;
    };
    let options = ScanOptions {
        walk,
        walk_options: WalkOptions {
            include: [args.include.as_slice(), config.scan.include.as_slice()].concat(),
            exclude: [args.exclude.as_slice(), config.scan.exclude.as_slice()].concat(),
        },
        explicit,
        generated_at: args.reproducible.then(reproducible_time),
    };
    let bar = Bar::new(args.no_progress || args.quiet);
    let result = scan::run(&prepared, &options, &bar);
    bar.finish();
    let mut scan = match result {
        Ok(s) => s,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            return Outcome::Error;
        }
    };
    if walk {
        licenses::apply(&mut scan, &prepared.root, &config.licenses.overrides());
    }
    if let Some(v) = vuln_args {
        vulns::apply(&mut scan, v, args.no_progress || args.quiet);
    }
    if let Some(p) = policy_args {
        policy::apply(&mut scan, &config, p);
    }
    let diag_root = if walk {
        prepared.root.clone()
    } else {
        PathBuf::from(".")
    };
    diagnostics::report(&scan.diagnostics, &diag_root, args.quiet);

    let format = format.unwrap_or(if args.output.is_none() && io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    });
    if let Err(e) = write_output(&scan, format, spec, args.output.as_deref()) {
        // A closed pipe (`trusca scan | head`) is the reader's choice, not an error; the policy
        // verdict below still decides the exit.
        if e.kind() != io::ErrorKind::BrokenPipe {
            diagnostics::fatal(&format!("cannot write the result: {e}"), None);
            return Outcome::Error;
        }
    }
    if scan.files.is_empty() && !args.quiet {
        eprintln!("warning: no dependency files found in `{target}`");
    }
    if let Some(connection) = upload {
        let uploaded =
            crate::commands::upload::upload_scan(&connection.or_configured(&config), &scan);
        if uploaded != Outcome::Pass {
            return uploaded;
        }
    }
    policy::outcome(&scan, &config)
}

/// `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), else the Unix epoch.
fn reproducible_time() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    scan::format_rfc3339(t)
}

/// `FORMAT:PATH` pairs; the path may itself contain `:`.
fn parse_lockfile_args(args: &[String]) -> Result<Vec<ExplicitFile>, String> {
    args.iter()
        .map(|a| {
            let (format, path) = a
                .split_once(':')
                .ok_or_else(|| format!("`--lockfile {a}` needs the form `FORMAT:PATH`"))?;
            let extractor = inventory::by_format(format)
                .ok_or_else(|| format!("unknown lockfile format `{format}`"))?;
            Ok(ExplicitFile {
                extractor,
                path: PathBuf::from(path),
            })
        })
        .collect()
}

fn write_output(
    scan: &scan::Scan,
    format: Format,
    spec: CdxVersion,
    output: Option<&Path>,
) -> io::Result<()> {
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match format {
        Format::Table => {
            let width = (output.is_none() && io::stdout().is_terminal())
                .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
                .flatten();
            table::write(scan, table::TableStyle { width }, &mut out)?;
        }
        Format::Json => json::write(scan, &mut out)?,
        Format::Cyclonedx => cyclonedx::write_json(scan, spec.into(), &mut out)?,
        Format::CyclonedxXml => cyclonedx::write_xml(scan, spec.into(), &mut out)?,
        Format::Spdx => spdx::write_json(scan, &mut out)?,
        Format::Sarif => sarif::write(scan, &mut out)?,
        Format::Markdown => markdown::write(scan, &mut out)?,
    }
    out.flush()
}

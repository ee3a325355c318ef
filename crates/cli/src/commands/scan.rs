//! `trusca scan` and `trusca sbom`: turn the flags into core's [`Flags`], run the pipeline,
//! render, upload, and map the verdict to the exit code.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use trusca_core::inventory::{self, ExplicitFile};
use trusca_core::pipeline::{PipelineError, Scanner};
use trusca_core::report::{self, RenderOptions};
use trusca_core::scan::Scan;
use trusca_core::settings::{Env, Flags, Mode};

use crate::args::{CdxVersion, Format, Gate, SbomArgs, ScanArgs, TargetArgs};
use crate::commands::{policy, upload};
use crate::diagnostics;
use crate::progress::Bar;
use crate::Outcome;

/// `trusca scan`.
pub fn scan(args: &ScanArgs) -> Outcome {
    let Some(mut flags) = target_flags(&args.target, Mode::Scan) else {
        return Outcome::Error;
    };
    flags.config.clone_from(&args.policy.config);
    flags.fail_on = args.policy.fail_on.map(Into::into);
    flags.db.clone_from(&args.vulns.db);
    flags.offline = args.vulns.offline.then_some(true);
    flags.max_db_age = args.vulns.max_db_age;
    flags.mirror.clone_from(&args.vulns.mirror);
    flags.vex.clone_from(&args.vulns.vex);
    flags.filter = trusca_core::vulns::filter::FindingFilter {
        ignore_unfixed: args.vulns.ignore_unfixed,
        severities: args.vulns.severity.iter().map(|s| (*s).into()).collect(),
    };
    flags.server.clone_from(&args.upload.connection.server);
    flags.scanners =
        (!args.scanners.is_empty()).then(|| args.scanners.iter().map(|s| (*s).into()).collect());
    let output = Output {
        format: args.format,
        spec: args.spec_version,
        list_all_pkgs: args.list_all_pkgs,
    };
    let upload = args.upload.upload.then_some(&args.upload);
    run(flags, &args.target, output, upload)
}

/// `trusca sbom`: a scan without vulnerabilities or policy, written as an SBOM.
pub fn sbom(args: &SbomArgs) -> Outcome {
    let Some(flags) = target_flags(&args.target, Mode::Sbom) else {
        return Outcome::Error;
    };
    let output = Output {
        format: Some(args.format.into()),
        spec: args.spec_version,
        list_all_pkgs: false,
    };
    run(flags, &args.target, output, None)
}

/// How to write the result.
#[derive(Debug, Clone, Copy)]
struct Output {
    /// The format, or `None` for a table on a terminal and JSON otherwise.
    format: Option<Format>,
    /// The CycloneDX version.
    spec: CdxVersion,
    /// `--list-all-pkgs`.
    list_all_pkgs: bool,
}

/// The flags every scan shares; `None` (after saying why) when they cannot be used.
pub(crate) fn target_flags(args: &TargetArgs, mode: Mode) -> Option<Flags> {
    let lockfiles = match parse_lockfile_args(&args.lockfile) {
        Ok(e) => e,
        Err(msg) => {
            diagnostics::fatal(
                &msg,
                Some("formats are file names such as `package-lock.json`, or slugs such as `package-lock-json`"),
            );
            return None;
        }
    };
    Some(Flags {
        mode,
        target: args.target.clone(),
        reference: args.reference.clone(),
        lockfiles,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        reproducible: args.reproducible,
        strict: args.strict,
        package_stores: args.package_store.clone(),
        no_package_stores: args.no_package_stores,
        ..Flags::default()
    })
}

fn run(
    flags: Flags,
    args: &TargetArgs,
    output: Output,
    upload: Option<&crate::args::ScanUpload>,
) -> Outcome {
    let hide_progress = args.no_progress || args.quiet;
    let bar = Bar::new(hide_progress, "looking for dependency files");
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
    let scan = &run.scan;
    diagnostics::report(&scan.diagnostics, &run.root, args.quiet);

    // `-o -` is standard output.
    let path = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let to_terminal = path.is_none() && io::stdout().is_terminal();
    let format = output.format.unwrap_or(if to_terminal {
        Format::Table
    } else {
        Format::Json
    });
    let options = RenderOptions {
        spec_version: output.spec.into(),
        width: (format == Format::Table && to_terminal)
            .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
            .flatten(),
        list_packages: output.list_all_pkgs || !to_terminal,
    };
    // A spinner while a large result is written to a file or a pipe (on a terminal the result
    // itself shows progress).
    let writing = Bar::new(hide_progress || to_terminal, "writing the result");
    let written = write_output(scan, format, options, path);
    writing.finish();
    if let Err(e) = written {
        // A closed pipe (`trusca scan | head`) is the reader's choice, not an error; the policy
        // verdict below still decides the exit.
        if e.kind() != io::ErrorKind::BrokenPipe {
            diagnostics::fatal(&format!("cannot write the result: {e}"), None);
            return Outcome::Error;
        }
    }
    if scan.files.is_empty() && !args.quiet {
        eprintln!(
            "warning: no dependency files found in `{}`",
            run.settings.target
        );
    }
    if let Some(u) = upload {
        let gate = u.gate.unwrap_or(Gate::Local);
        let server = run.settings.server.as_deref();
        let uploaded = upload::upload_scan(&u.connection, server, scan, gate);
        // With `--gate server` the server's decision is the outcome.
        if uploaded != Outcome::Pass || gate == Gate::Server {
            return uploaded;
        }
    }
    policy::outcome(scan, &run.settings)
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
    scan: &Scan,
    format: Format,
    options: RenderOptions,
    path: Option<&Path>,
) -> io::Result<()> {
    let mut out: Box<dyn Write> = match path {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    report::write(scan, format.into(), options, &mut out)?;
    out.flush()
}

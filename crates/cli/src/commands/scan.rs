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

use crate::args::{CdxVersion, Format, SbomArgs, ScanArgs, TargetArgs};
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
    flags.server.clone_from(&args.upload.connection.server);
    let upload = args.upload.upload.then_some(&args.upload.connection);
    run(flags, &args.target, args.format, args.spec_version, upload)
}

/// `trusca sbom`: a scan without vulnerabilities or policy, written as an SBOM.
pub fn sbom(args: &SbomArgs) -> Outcome {
    let Some(flags) = target_flags(&args.target, Mode::Sbom) else {
        return Outcome::Error;
    };
    run(
        flags,
        &args.target,
        Some(args.format.into()),
        args.spec_version,
        None,
    )
}

/// The flags every scan shares; `None` (after saying why) when they cannot be used.
fn target_flags(args: &TargetArgs, mode: Mode) -> Option<Flags> {
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
        ..Flags::default()
    })
}

fn run(
    flags: Flags,
    args: &TargetArgs,
    format: Option<Format>,
    spec: CdxVersion,
    upload: Option<&crate::args::Connection>,
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

    let format = format.unwrap_or(if args.output.is_none() && io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    });
    if let Err(e) = write_output(scan, format, spec, args.output.as_deref()) {
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
    if let Some(connection) = upload {
        let uploaded = upload::upload_scan(connection, run.settings.server.as_deref(), scan);
        if uploaded != Outcome::Pass {
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
    spec: CdxVersion,
    output: Option<&Path>,
) -> io::Result<()> {
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let width = (format == Format::Table && output.is_none() && io::stdout().is_terminal())
        .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
        .flatten();
    let options = RenderOptions {
        spec_version: spec.into(),
        width,
    };
    report::write(scan, format.into(), options, &mut out)?;
    out.flush()
}

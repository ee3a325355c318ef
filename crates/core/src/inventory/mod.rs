//! Inventory: one extractor per dependency-file format, registered in one table.
//!
//! An extractor turns the text of one file into packages. It never runs anything and never
//! touches the network; a few formats (a Maven parent POM) read a neighbouring file.
//! Adding a format is adding a module and one line to [`EXTRACTORS`].

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::{Ecosystem, Package};

mod collect;
#[cfg(test)]
mod garbled;
pub mod graph;
pub mod lines;
mod neighbour;
mod order;
mod realworld;
#[cfg(test)]
pub(crate) mod testing;
mod text;

// Modules, one per format, grouped by ecosystem family.
// -- Rust
mod cargo_lock;

// -- JavaScript
mod bun_lock;
mod npm_shared;
mod package_json;
mod package_lock_json;
mod pnpm_lock_yaml;
mod yarn_lock;

// -- Python
mod pdm_lock;
mod pipfile_lock;
mod poetry_lock;
mod pylock_toml;
mod pyproject_toml;
mod python;
mod requirements_txt;
mod uv_lock;

// -- Go, Ruby, PHP, Dart, Erlang/Elixir/Gleam
mod cargo_toml;
mod composer_lock;
mod gemfile;
mod gemfile_lock;
mod gleam_manifest_toml;
mod go_mod;
mod mix_exs;
mod mix_lock;
mod pubspec_lock;
mod vendor_modules_txt;

// -- JVM and .NET
mod csproj;
mod deps_json;
mod directory_packages_props;
mod gradle_lockfile;
mod gradle_verification_metadata;
mod gradle_version_catalog;
mod jar;
mod json_order;
mod msbuild_condition;
mod packages_config;
mod packages_lock_json;
mod paket_dependencies;
mod paket_lock;
mod pom_xml;
mod project_assets_json;
mod ranges;
pub(crate) mod xml_tree;

// -- C/C++, R, Haskell, Julia, Swift, OCaml
mod cabal_freeze;
mod conan_lock;
mod julia_manifest;
mod julia_project;
mod opam;
mod package_resolved;
mod podfile_lock;
mod renv_lock;
mod stack_lock;

pub use collect::{collect, ExplicitFile, Inventory, ScannedFile, Sources};
pub use text::{decode, decode_lossy, Decoded, LossyLines};

/// Whether a format pins exact versions or declares ranges.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A lockfile: exact versions of the whole resolved tree.
    Lockfile,
    /// A manifest: declared requirements; its packages count only where no lockfile pins them.
    Manifest,
}

/// One file handed to an extractor.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The path shown to users and recorded in locations (relative to the scan root).
    pub display: &'a str,
    /// The path on disk, for formats that read a neighbouring file.
    pub path: &'a Path,
    /// The whole text of the file.
    pub text: &'a str,
}

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What is wrong, in one lowercase sentence.
    pub message: String,
    /// The 1-based line, where known.
    pub line: Option<u32>,
}

impl ParseError {
    /// An error at a line (or nowhere in particular).
    pub fn new(message: impl Into<String>, line: Option<u32>) -> Self {
        ParseError {
            message: message.into(),
            line,
        }
    }

    /// From a JSON syntax or type error.
    pub fn json(err: &serde_json::Error) -> Self {
        let line = u32::try_from(err.line()).ok().filter(|l| *l > 0);
        Self::new(
            format!("invalid JSON: {}", strip_position(&err.to_string())),
            line,
        )
    }

    /// From a TOML syntax or type error.
    pub fn toml(err: &toml::de::Error, text: &str) -> Self {
        let line = err.span().map(|s| lines::line_of_offset(text, s.start));
        Self::new(format!("invalid TOML: {}", err.message().trim()), line)
    }

    /// From a YAML syntax or type error.
    pub fn yaml(err: &serde_yaml_ng::Error) -> Self {
        let line = err.location().and_then(|l| u32::try_from(l.line()).ok());
        Self::new(
            format!("invalid YAML: {}", strip_position(&err.to_string())),
            line,
        )
    }

    /// From an XML syntax error at a byte offset.
    pub fn xml(err: &quick_xml::Error, text: &str, offset: u64) -> Self {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        Self::new(
            format!("invalid XML: {err}"),
            Some(lines::line_of_offset(text, offset)),
        )
    }
}

/// Drops serde's trailing " at line N column M": the line is reported separately.
fn strip_position(msg: &str) -> &str {
    msg.find(" at line ").map_or(msg, |i| &msg[..i])
}

/// What an extractor found in one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The packages, in file order.
    pub packages: Vec<Package>,
    /// Problems that did not stop extraction (an unpinned requirement, a skipped entry).
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Vec<Package>> for Extracted {
    fn from(packages: Vec<Package>) -> Self {
        Extracted {
            packages,
            diagnostics: Vec::new(),
        }
    }
}

/// The signature every extractor implements.
pub type ExtractFn = fn(&Input<'_>) -> Result<Extracted, ParseError>;

/// One file handed, a line at a time, to a format that can read it that way.
pub struct Lines<'a> {
    /// The path shown to users and recorded in locations (relative to the scan root).
    pub display: &'a str,
    /// The path on disk, for formats that read a neighbouring file.
    pub path: &'a Path,
    /// The lines, as `str::lines` splits the text.
    pub lines: &'a mut dyn Iterator<Item = String>,
}

/// Reads a file of a line-based format one line at a time, giving what [`ExtractFn`] gives for
/// the whole text.
pub type ReadLinesFn = fn(Lines<'_>) -> Result<Extracted, ParseError>;

/// The formats whose files are read line by line from disk rather than whole: no entry spans
/// lines in a way that needs the rest of the file, and their files can be large enough that
/// holding one whole next to its packages matters.
static LINE_READERS: &[(&str, ReadLinesFn)] = &[(
    requirements_txt::EXTRACTOR.format,
    requirements_txt::read_lines,
)];

/// Reads a file of a binary format (an archive) from disk, given its path and the path shown to
/// users, giving what [`ExtractFn`] gives for a text file.
pub type ReadPathFn = fn(&Path, &str) -> Result<Extracted, ParseError>;

/// The formats whose files are archives, read from their path rather than as text.
static PATH_READERS: &[(&str, ReadPathFn)] = &[(jar::EXTRACTOR.format, jar::read_path)];

/// A registered dependency-file format.
#[derive(Debug, Clone, Copy)]
pub struct Extractor {
    /// The canonical file name, also the name for `--lockfile FORMAT:PATH` (`Cargo.lock`).
    pub format: &'static str,
    /// A kebab-case alias for the format (`cargo-lock`).
    pub slug: &'static str,
    /// The ecosystem of every package it reports.
    pub ecosystem: Ecosystem,
    /// Lockfile or manifest.
    pub kind: Kind,
    /// Whether a file (by its path relative to the scan root) is of this format.
    pub matches: fn(&Path) -> bool,
    /// Turns the file into packages.
    pub extract: ExtractFn,
}

impl Extractor {
    /// Runs the extractor, then completes what every format shares (paths from direct dependencies).
    pub fn run(&self, input: &Input<'_>) -> Result<Extracted, ParseError> {
        let mut out = (self.extract)(input)?;
        graph::annotate_paths(&mut out.packages);
        Ok(out)
    }

    /// Whether this format reads its files line by line ([`Extractor::run_lines`]).
    pub fn reads_lines(&self) -> bool {
        self.line_reader().is_some()
    }

    /// Runs the extractor over a file given line by line, then completes what every format
    /// shares. A line-based format reads one line at a time; any other gets the lines joined.
    pub fn run_lines(&self, file: Lines<'_>) -> Result<Extracted, ParseError> {
        let Some(read) = self.line_reader() else {
            let text = file.lines.collect::<Vec<_>>().join("\n");
            return self.run(&Input {
                display: file.display,
                path: file.path,
                text: &text,
            });
        };
        let mut out = read(file)?;
        graph::annotate_paths(&mut out.packages);
        Ok(out)
    }

    /// Whether this format's files are archives read from disk ([`Extractor::run_path`]).
    pub fn reads_path(&self) -> bool {
        self.path_reader().is_some()
    }

    /// Runs the extractor of an archive format over the file at `path` (shown as `display`),
    /// then completes what every format shares; any other format is read as UTF-8 text.
    pub fn run_path(&self, path: &Path, display: &str) -> Result<Extracted, ParseError> {
        let Some(read) = self.path_reader() else {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ParseError::new(format!("cannot read file: {e}"), None))?;
            return self.run(&Input {
                display,
                path,
                text: &text,
            });
        };
        let mut out = read(path, display)?;
        graph::annotate_paths(&mut out.packages);
        Ok(out)
    }

    fn path_reader(&self) -> Option<ReadPathFn> {
        PATH_READERS
            .iter()
            .find(|(format, _)| *format == self.format)
            .map(|(_, read)| *read)
    }

    fn line_reader(&self) -> Option<ReadLinesFn> {
        LINE_READERS
            .iter()
            .find(|(format, _)| *format == self.format)
            .map(|(_, read)| *read)
    }
}

/// Every format trusca reads. Order matters only where two formats claim the same file name.
pub static EXTRACTORS: &[Extractor] = &[
    // -- Rust
    cargo_lock::EXTRACTOR,
    // -- JavaScript
    package_lock_json::EXTRACTOR,
    package_lock_json::SHRINKWRAP_EXTRACTOR,
    yarn_lock::EXTRACTOR,
    pnpm_lock_yaml::EXTRACTOR,
    bun_lock::EXTRACTOR,
    package_json::EXTRACTOR,
    // -- Python
    poetry_lock::EXTRACTOR,
    pipfile_lock::EXTRACTOR,
    uv_lock::EXTRACTOR,
    pdm_lock::EXTRACTOR,
    pylock_toml::EXTRACTOR,
    pyproject_toml::EXTRACTOR,
    requirements_txt::EXTRACTOR,
    // -- Go, Ruby, PHP, Dart, Erlang/Elixir/Gleam
    go_mod::EXTRACTOR,
    gemfile_lock::EXTRACTOR,
    composer_lock::EXTRACTOR,
    pubspec_lock::EXTRACTOR,
    mix_lock::EXTRACTOR,
    gleam_manifest_toml::EXTRACTOR,
    cargo_toml::EXTRACTOR,
    vendor_modules_txt::EXTRACTOR,
    // -- JVM and .NET
    pom_xml::EXTRACTOR,
    gradle_lockfile::EXTRACTOR,
    gradle_verification_metadata::EXTRACTOR,
    gradle_version_catalog::EXTRACTOR,
    jar::EXTRACTOR,
    packages_lock_json::EXTRACTOR,
    packages_config::EXTRACTOR,
    csproj::EXTRACTOR,
    directory_packages_props::EXTRACTOR,
    paket_lock::EXTRACTOR,
    paket_dependencies::EXTRACTOR,
    deps_json::EXTRACTOR,
    project_assets_json::EXTRACTOR,
    // -- C/C++, R, Haskell, Julia, Swift, OCaml
    conan_lock::EXTRACTOR,
    renv_lock::EXTRACTOR,
    cabal_freeze::EXTRACTOR,
    stack_lock::EXTRACTOR,
    julia_manifest::EXTRACTOR,
    julia_project::EXTRACTOR,
    package_resolved::EXTRACTOR,
    podfile_lock::EXTRACTOR,
    opam::EXTRACTOR,
];

/// The extractor for a file, chosen by its name.
pub fn for_path(path: &Path) -> Option<&'static Extractor> {
    EXTRACTORS.iter().find(|e| (e.matches)(path))
}

/// The extractor named by `--lockfile FORMAT:PATH`: the file name or the slug, exactly, or else
/// the file name in another case when only one format has it (`Manifest.toml` is Julia's,
/// `manifest.toml` Gleam's).
pub fn by_format(name: &str) -> Option<&'static Extractor> {
    if let Some(e) = EXTRACTORS
        .iter()
        .find(|e| e.format == name || e.slug == name)
    {
        return Some(e);
    }
    let mut folded = EXTRACTORS
        .iter()
        .filter(|e| e.format.eq_ignore_ascii_case(name) || e.slug.eq_ignore_ascii_case(name));
    match (folded.next(), folded.next()) {
        (Some(e), None) => Some(e),
        _ => None,
    }
}

/// True when the path's file name equals `name`.
pub fn file_name_is(path: &Path, name: &str) -> bool {
    path.file_name().and_then(|n| n.to_str()) == Some(name)
}

/// The largest dependency file trusca reads; anything bigger is reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn formats_and_slugs_are_unique() {
        let mut names: Vec<String> = EXTRACTORS
            .iter()
            .flat_map(|e| [e.format.to_owned(), e.slug.to_owned()])
            .collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "two extractors share a format name or slug");
    }

    #[test]
    fn every_extractor_claims_its_canonical_name() {
        for e in EXTRACTORS {
            if !e.format.contains('*') && !e.format.starts_with('<') {
                let p = Path::new("some/dir").join(e.format);
                assert!((e.matches)(&p), "{} does not match {}", e.slug, p.display());
            }
            assert!(by_format(e.slug).is_some());
        }
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode("a.lock", b"ok\nok\n\xff\xfe").expect_err("bad utf8");
        assert_eq!(err.line, Some(3));
        assert_eq!(err.code, Code::InvalidUtf8);
        assert_eq!(decode("a", b"\xEF\xBB\xBFx").ok().as_deref(), Some("x"));
    }
}

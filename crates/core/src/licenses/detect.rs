//! Detected licenses: LICENSE / COPYING / NOTICE-style files identified by text, and
//! `SPDX-License-Identifier:` lines at the top of first-party source files.
//!
//! The walk here is separate from the inventory walk: it enters installed and vendored trees
//! (`node_modules`, `vendor`, `site-packages`), which the inventory skips, to read package
//! metadata and license files there. It does not honour `.gitignore` (those trees are usually
//! ignored), never follows symbolic links, and is bounded in depth and in files visited.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use rayon::prelude::*;

use super::corpus::Kind;
use super::layout::{is_license_file_name, is_third_party, metadata_kind, MetaKind};
use super::matcher::Index;
use super::{expr, Detection};
use crate::diag::{Code, Diagnostic};
use crate::walk::relative;

/// License files larger than this are not read (the longest SPDX text is about 150 KiB).
pub const MAX_LICENSE_FILE_BYTES: u64 = 1024 * 1024;
/// How much of a source file is searched for `SPDX-License-Identifier:`.
pub const HEADER_BYTES: u64 = 8 * 1024;
/// How many lines of a source file are searched for `SPDX-License-Identifier:`.
pub const HEADER_LINES: usize = 50;
/// How deep the license walk goes below the root.
pub const MAX_DEPTH: usize = 32;
/// How many files the license walk visits at most.
pub const MAX_FILES: usize = 1_000_000;

/// Directories the license walk never enters: version control and build output.
const SKIPPED: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "target",
    "__pycache__",
    ".cache",
    ".gradle",
    ".terraform",
    ".tox",
    ".nox",
];

/// Extensions of files never searched for identifier lines (binary or data formats).
const NOT_SOURCE: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "ico", "bmp", "webp", "svgz", "pdf", "zip", "gz", "tgz", "bz2",
    "xz", "zst", "7z", "jar", "war", "class", "so", "dylib", "dll", "exe", "a", "o", "obj", "lib",
    "rlib", "pyc", "pyo", "wasm", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "wav", "ogg",
    "mov", "avi", "bin", "dat", "db", "sqlite", "lock",
];

/// Files the license walk found.
#[derive(Debug, Default)]
pub struct Tree {
    /// License files: (path on disk, path relative to the root).
    pub license_files: Vec<(PathBuf, String)>,
    /// First-party files to search for identifier lines.
    pub source_files: Vec<(PathBuf, String)>,
    /// Package metadata files, with their kind.
    pub metadata: Vec<(PathBuf, String, MetaKind)>,
    /// Problems met on the way.
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks the tree once for license files, first-party sources and package metadata.
pub fn walk(root: &Path) -> Tree {
    let mut tree = Tree::default();
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .max_depth(Some(MAX_DEPTH))
        .filter_entry(move |e| {
            let dir = e.file_type().is_some_and(|t| t.is_dir());
            // A root file system's `usr/share/doc` holds its OS packages' copyright files, which
            // the OS cataloger reads per package: they are not the scanned project's licenses.
            let os_docs = dir && e.depth() == 3 && e.path().ends_with("usr/share/doc");
            !(os_docs || dir && SKIPPED.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build();
    let mut visited = 0usize;
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                tree.diagnostics.push(Diagnostic::warning(
                    Code::ReadError,
                    format!("cannot walk part of the tree for licenses: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        visited += 1;
        if visited > MAX_FILES {
            tree.diagnostics.push(
                Diagnostic::warning(
                    Code::LimitReached,
                    format!("license search stopped after {MAX_FILES} files"),
                )
                .with_help("exclude large generated or vendored directories"),
            );
            break;
        }
        let path = entry.path();
        let rel = relative(root, path);
        let name = entry.file_name().to_string_lossy();
        if let Some(kind) = metadata_kind(&rel) {
            tree.metadata.push((path.to_path_buf(), rel, kind));
        } else if is_license_file_name(&name) {
            tree.license_files.push((path.to_path_buf(), rel));
        } else if !is_third_party(&rel) {
            let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            if !ext.is_some_and(|e| NOT_SOURCE.contains(&e.as_str())) {
                tree.source_files.push((path.to_path_buf(), rel));
            }
        }
    }
    tree.license_files.sort_by(|a, b| a.1.cmp(&b.1));
    tree.source_files.sort_by(|a, b| a.1.cmp(&b.1));
    tree.metadata.sort_by(|a, b| a.1.cmp(&b.1));
    tree
}

/// Licenses already identified, by the exact bytes of the text: the same LICENSE-APACHE or MIT
/// text sits in hundreds of packages of one tree or store, and is matched once.
#[derive(Debug, Default)]
pub struct Seen {
    texts: Mutex<HashMap<Box<[u8]>, Found>>,
}

/// The licenses of one text and how sure each match is.
type Found = Arc<[(String, f64)]>;

impl Seen {
    /// What `bytes` were found to hold, identified on first sight.
    fn licenses(&self, bytes: &[u8], display: &str) -> Vec<Detection> {
        let known = self.texts.lock().ok().and_then(|t| t.get(bytes).cloned());
        let found = known.unwrap_or_else(|| {
            let text = String::from_utf8_lossy(bytes);
            let found: Found = detect_text(&text, "")
                .into_iter()
                .map(|d| (d.license, d.confidence))
                .collect();
            if let Ok(mut t) = self.texts.lock() {
                t.insert(bytes.into(), Arc::clone(&found));
            }
            found
        });
        found
            .iter()
            .map(|(license, confidence)| Detection {
                license: license.clone(),
                confidence: *confidence,
                file: display.to_owned(),
            })
            .collect()
    }
}

/// Reads a license file and identifies the licenses in it (a text seen before in `seen` is not
/// matched again). Too large, binary or unreadable files give a diagnostic and no detection; text
/// that is not valid UTF-8 is read lossily (Latin-1 license files are common).
pub fn detect_file(
    path: &Path,
    display: &str,
    seen: &Seen,
) -> (Vec<Detection>, Option<Diagnostic>) {
    match read_license_file(path, display) {
        Ok(bytes) => (seen.licenses(&bytes, display), None),
        Err(diagnostic) => (Vec::new(), Some(diagnostic)),
    }
}

/// The bytes of a license file, or why they cannot be used.
fn read_license_file(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    let warn = |code: Code, msg: String| Diagnostic::warning(code, msg).in_file(display, None);
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_LICENSE_FILE_BYTES => {
            return Err(warn(
                Code::FileTooLarge,
                format!(
                    "license file is {} KiB, more than the {} KiB trusca reads",
                    m.len() >> 10,
                    MAX_LICENSE_FILE_BYTES >> 10
                ),
            ));
        }
        Ok(_) => {}
        Err(e) => {
            return Err(warn(
                Code::ReadError,
                format!("cannot read license file: {e}"),
            ))
        }
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_LICENSE_FILE_BYTES).read_to_end(&mut bytes))
        .map_err(|e| warn(Code::ReadError, format!("cannot read license file: {e}")))?;
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(warn(
            Code::InvalidUtf8,
            "license file is binary, not text".to_owned(),
        ));
    }
    Ok(bytes)
}

/// Identifies the licenses in a license text. A license followed by an exception found in the
/// same file is reported as `License WITH Exception`.
pub fn detect_text(text: &str, display: &str) -> Vec<Detection> {
    let found = Index::embedded().identify(text);
    let mut out: Vec<Detection> = Vec::new();
    let mut exceptions = Vec::new();
    for m in found {
        match m.kind {
            Kind::License => out.push(Detection {
                license: expr::parse_canonical(&m.id).unwrap_or(m.id),
                confidence: m.score,
                file: display.to_owned(),
            }),
            Kind::Exception => exceptions.push(m),
        }
    }
    for e in exceptions {
        match out.first_mut() {
            Some(first) if !first.license.contains(" WITH ") => {
                let with = format!("{} WITH {}", first.license, e.id);
                if let Some(c) = expr::parse_canonical(&with) {
                    first.license = c;
                }
            }
            _ => {}
        }
    }
    out
}

/// Reads the start of a file and returns the expressions of its `SPDX-License-Identifier:` lines.
pub fn scan_header(path: &Path, display: &str) -> Vec<Detection> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut buf = Vec::new();
    if file.take(HEADER_BYTES).read_to_end(&mut buf).is_err() || buf.contains(&0) {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&buf);
    identifier_lines(&text)
        .into_iter()
        .map(|license| Detection {
            license,
            confidence: 1.0,
            file: display.to_owned(),
        })
        .collect()
}

/// The expressions of `SPDX-License-Identifier:` lines in the first [`HEADER_LINES`] lines, in
/// canonical form; lines whose value is not a valid expression (a string literal in code that
/// mentions the tag, a template placeholder) are ignored.
pub fn identifier_lines(text: &str) -> Vec<String> {
    const TAG: &str = "SPDX-License-Identifier:";
    let mut out = Vec::new();
    for line in text.lines().take(HEADER_LINES) {
        let Some(at) = line.find(TAG) else { continue };
        let rest = line[at + TAG.len()..].trim_start();
        let mut value = rest;
        for closer in ["*/", "-->", "*)", "#}", "--}}", "\"", "'", "`", ";"] {
            if let Some(end) = value.find(closer) {
                value = &value[..end];
            }
        }
        let value = value.trim();
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '(') {
            continue;
        }
        if let Some(expr) = expr::parse_canonical(value) {
            if !out.contains(&expr) {
                out.push(expr);
            }
        }
    }
    out
}

/// Detections for the first-party tree: license files outside package trees and identifier
/// lines, both in parallel. Identifier-line detections are kept once per expression (the first
/// file in path order).
pub fn first_party(tree: &Tree, seen: &Seen) -> (Vec<Detection>, Vec<Diagnostic>) {
    let files: Vec<&(PathBuf, String)> = tree
        .license_files
        .iter()
        .filter(|(_, rel)| !is_third_party(rel))
        .collect();
    let results: Vec<(Vec<Detection>, Option<Diagnostic>)> = files
        .par_iter()
        .map(|(p, rel)| detect_file(p, rel, seen))
        .collect();
    let mut detections = Vec::new();
    let mut diagnostics = Vec::new();
    for (d, diag) in results {
        detections.extend(d);
        diagnostics.extend(diag);
    }
    let headers: Vec<Vec<Detection>> = tree
        .source_files
        .par_iter()
        .map(|(p, rel)| scan_header(p, rel))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for d in headers.into_iter().flatten() {
        if seen.insert(d.license.clone()) {
            detections.push(d);
        }
    }
    (detections, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_lines_are_parsed_and_validated() {
        let text = "// SPDX-License-Identifier: MIT OR Apache-2.0\n\
                    /* SPDX-License-Identifier: GPL-2.0+ */\n\
                    <!-- SPDX-License-Identifier: BSD-3-Clause -->\n\
                    let tag = \"SPDX-License-Identifier: \";\n\
                    # SPDX-License-Identifier: $LICENSE\n\
                    # SPDX-License-Identifier: MIT OR Apache-2.0\n";
        assert_eq!(
            identifier_lines(text),
            ["MIT OR Apache-2.0", "GPL-2.0-or-later", "BSD-3-Clause"]
        );
        let late = format!("{}// SPDX-License-Identifier: MIT\n", "x\n".repeat(60));
        assert!(identifier_lines(&late).is_empty());
    }

    #[test]
    fn hostile_license_files_give_diagnostics() {
        let seen = Seen::default();
        let dir = tempfile::tempdir().expect("tempdir");
        let binary = dir.path().join("LICENSE");
        std::fs::write(&binary, b"\x7fELF\x00\x00\x01binary").expect("write");
        let (d, diag) = detect_file(&binary, "LICENSE", &seen);
        assert!(d.is_empty());
        assert_eq!(diag.map(|d| d.code), Some(Code::InvalidUtf8));

        let huge = dir.path().join("COPYING");
        let f = std::fs::File::create(&huge).expect("create");
        f.set_len(100 * 1024 * 1024).expect("sparse 100 MB file");
        let (d, diag) = detect_file(&huge, "COPYING", &seen);
        assert!(d.is_empty());
        assert_eq!(diag.map(|d| d.code), Some(Code::FileTooLarge));
        // A 100 MB source file: only its start is read.
        let big_src = dir.path().join("big.c");
        let mut content = b"// SPDX-License-Identifier: MIT\n".to_vec();
        content.resize(100 * 1024 * 1024, b'x');
        std::fs::write(&big_src, &content).expect("write");
        assert_eq!(scan_header(&big_src, "big.c").len(), 1);

        let latin1 = dir.path().join("LICENCE");
        std::fs::write(
            &latin1,
            b"Copyright \xa9 2020 J\xf6rg\n\nPermission is hereby granted",
        )
        .expect("write");
        let (_, diag) = detect_file(&latin1, "LICENCE", &seen);
        assert!(diag.is_none());
    }

    #[test]
    fn a_text_seen_before_is_not_matched_again() {
        let seen = Seen::default();
        let dir = tempfile::tempdir().expect("tempdir");
        let mit = "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";
        for name in ["a", "b"] {
            std::fs::write(dir.path().join(name), mit).expect("write");
        }
        let (a, _) = detect_file(&dir.path().join("a"), "a/LICENSE", &seen);
        let (b, _) = detect_file(&dir.path().join("b"), "b/LICENSE", &seen);
        assert_eq!(
            a.iter().map(|d| d.license.as_str()).collect::<Vec<_>>(),
            ["MIT"]
        );
        assert_eq!(b[0].file, "b/LICENSE");
        assert_eq!(a[0].license, b[0].license);
        assert_eq!(seen.texts.lock().map(|t| t.len()).unwrap_or_default(), 1);
    }
}

//! `yarn.lock`, classic (v1) and berry (v2 and later): every resolved package with its version,
//! integrity or checksum, git commit and dependency edges.
//!
//! Classic lockfiles are not YAML (`version "1.0.0"`, keys and values separated by a space) and
//! berry lockfiles are a plain subset of YAML with the same shape, so both are read by one small
//! line parser: an entry is a header line of comma-separated descriptors (`name@range`) followed
//! by indented properties, where `dependencies` (and its optional/peer kinds) nest one level
//! deeper. Reading by lines also gives each entry's line directly.
//!
//! The `__metadata` block and the root workspace (`@workspace:.`) are not packages; its
//! dependencies (and those of other workspaces) are the direct ones. Classic lockfiles do not
//! record the root, so direct dependencies and their dev scope come from the `package.json`
//! beside the file when there is one.
//!
//! A malformed entry (a header that is not `descriptors:`, or any line of it holding bytes that
//! were not UTF-8) is skipped with a warning naming its line; the other entries are kept.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::npm_shared;
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Hash, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "yarn.lock",
    slug: "yarn-lock",
    ecosystem: Ecosystem::Npm,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "yarn.lock"),
    extract,
};

/// One entry: its header descriptors and properties.
#[derive(Default)]
struct Entry {
    line: u32,
    descriptors: Vec<String>,
    props: HashMap<String, String>,
    /// (section, name, range) from `dependencies`, `optionalDependencies`, `peerDependencies`.
    deps: Vec<(String, String, String)>,
    /// The first line of the entry holding a replacement character (a byte that was not UTF-8).
    garbled_at: Option<u32>,
}

/// The entries of a lockfile, and the malformed ones skipped.
struct Parsed {
    entries: Vec<Entry>,
    skipped: Vec<Diagnostic>,
}

/// Removes one pair of surrounding double quotes.
fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Splits a property line (indentation removed) into key and value: `key "value"`,
/// `key: value`, `"quoted key": value`, or a bare `key:` that opens a nested block.
fn split_property(line: &str) -> (String, String) {
    let (key, rest) = if let Some(quoted) = line.strip_prefix('"') {
        match quoted.find('"') {
            Some(end) => (&quoted[..end], &quoted[end + 1..]),
            None => (quoted, ""),
        }
    } else {
        let end = line
            .char_indices()
            .find(|&(i, c)| {
                c == ' ' || (c == ':' && matches!(line.as_bytes().get(i + 1), None | Some(b' ')))
            })
            .map_or(line.len(), |(i, _)| i);
        (&line[..end], &line[end..])
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    (key.to_owned(), unquote(rest).to_owned())
}

fn parse_entries(text: &str, display: &str) -> Result<Parsed, ParseError> {
    let skip = |line: u32, why: String| {
        Diagnostic::warning(Code::ParseError, format!("skipped entry: {why}"))
            .in_file(display, Some(line))
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut skipped = Vec::new();
    let mut section: Option<String> = None;
    // Inside a malformed entry: its indented lines are skipped with it.
    let mut skipping = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 {
            section = None;
            let Some(header) = trimmed.strip_suffix(':') else {
                skipped.push(skip(
                    line_no,
                    format!(
                        "`{}` is not an entry header (`descriptors:`)",
                        clip(trimmed)
                    ),
                ));
                skipping = true;
                continue;
            };
            let descriptors: Vec<String> = header
                .split(',')
                // Berry quotes the whole list, classic each descriptor.
                .map(|d| d.trim().trim_matches('"').to_owned())
                .filter(|d| !d.is_empty())
                .collect();
            if descriptors.is_empty() {
                skipped.push(skip(line_no, "its header names no package".to_owned()));
                skipping = true;
                continue;
            }
            skipping = false;
            entries.push(Entry {
                line: line_no,
                descriptors,
                garbled_at: trimmed
                    .contains(char::REPLACEMENT_CHARACTER)
                    .then_some(line_no),
                ..Entry::default()
            });
            continue;
        }
        if skipping {
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(ParseError::new(
                "malformed yarn.lock: an indented line comes before any entry",
                Some(line_no),
            ));
        };
        if entry.garbled_at.is_none() && trimmed.contains(char::REPLACEMENT_CHARACTER) {
            entry.garbled_at = Some(line_no);
        }
        let (key, value) = split_property(trimmed);
        if indent <= 2 {
            if value.is_empty() {
                section = Some(key);
            } else {
                section = None;
                entry.props.insert(key, value);
            }
        } else if let Some(s) = &section {
            if matches!(
                s.as_str(),
                "dependencies" | "optionalDependencies" | "peerDependencies"
            ) {
                entry.deps.push((s.clone(), key, value));
            }
        }
    }
    entries.retain(|e| match e.garbled_at {
        Some(at) => {
            skipped.push(skip(
                e.line,
                format!("line {at} holds bytes that are not UTF-8"),
            ));
            false
        }
        None => true,
    });
    Ok(Parsed { entries, skipped })
}

/// The start of a long line, for a message.
fn clip(line: &str) -> String {
    const MAX: usize = 60;
    match line.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

/// The package name a descriptor stands for; an alias (`alias@npm:real@range`) names the real one.
fn descriptor_name(descriptor: &str) -> &str {
    match npm_shared::split_name_at(descriptor) {
        Some((name, range)) => match range.strip_prefix("npm:") {
            Some(real) if real.get(1..).is_some_and(|r| r.contains('@')) => descriptor_name(real),
            _ => name,
        },
        None => descriptor,
    }
}

fn is_workspace(descriptor: &str) -> bool {
    npm_shared::split_name_at(descriptor).is_some_and(|(_, range)| range.starts_with("workspace:"))
}

fn is_root_workspace(descriptor: &str) -> bool {
    npm_shared::split_name_at(descriptor).is_some_and(|(_, range)| range == "workspace:.")
}

/// A berry checksum (`10c0/<hex>` or `<hex>`) is a SHA-512 digest.
fn checksum_hash(checksum: &str) -> Option<Hash> {
    let hex = checksum.rsplit('/').next().unwrap_or(checksum);
    (hex.len() == 128 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Hash::new("sha512", hex))
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let Parsed { entries, skipped } = parse_entries(input.text, input.display)?;
    let mut packages: Vec<Package> = Vec::new();
    // For each entry, its package index (None for metadata and the root workspace).
    let mut slot: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut by_descriptor: HashMap<&str, usize> = HashMap::new();
    let mut project_entries: Vec<&Entry> = Vec::new();
    for e in &entries {
        let Some(first) = e.descriptors.first() else {
            slot.push(None);
            continue;
        };
        if first == "__metadata" {
            slot.push(None);
            continue;
        }
        if e.descriptors.iter().any(|d| is_root_workspace(d)) {
            project_entries.push(e);
            slot.push(None);
            continue;
        }
        let name = descriptor_name(first);
        let version = e.props.get("version").map(String::as_str);
        let mut p = Package::new(
            Ecosystem::Npm,
            name,
            version,
            npm_shared::location(input, Some(e.line)),
        );
        let resolution = e
            .props
            .get("resolution")
            .or_else(|| e.props.get("resolved"));
        if let Some(res) = resolution {
            if let Some(commit) = npm_shared::commit_of(res) {
                // Berry writes `name@url#commit=sha`: the URL follows the name.
                let url = npm_shared::split_name_at(res)
                    .filter(|(name, _)| !name.contains(':'))
                    .map_or(res.as_str(), |(_, u)| u);
                p.source = Some(npm_shared::git_source(url, &commit));
            }
        }
        if p.source.is_none() {
            let range = npm_shared::split_name_at(first).map_or("", |(_, r)| r);
            for prefix in ["file:", "link:", "portal:", "workspace:"] {
                if let Some(path) = range.strip_prefix(prefix) {
                    p.source = Some(PackageSource::Path {
                        path: path.to_owned().into(),
                    });
                }
            }
        }
        if let Some(sri) = e.props.get("integrity") {
            p.hashes
                .extend(sri.split_whitespace().filter_map(Hash::from_sri));
        }
        if let Some(h) = e.props.get("checksum").and_then(|c| checksum_hash(c)) {
            p.hashes.push(h);
        }
        if e.descriptors.iter().any(|d| is_workspace(d)) {
            project_entries.push(e);
        }
        for d in &e.descriptors {
            by_descriptor.entry(d.as_str()).or_insert(packages.len());
        }
        slot.push(Some(packages.len()));
        packages.push(p);
    }

    let lookup = |name: &str, range: &str| -> Option<usize> {
        by_descriptor
            .get(format!("{name}@{range}").as_str())
            .or_else(|| by_descriptor.get(format!("{name}@npm:{range}").as_str()))
            .copied()
    };
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    for (e, s) in entries.iter().zip(&slot) {
        let Some(s) = *s else { continue };
        for (_, name, range) in &e.deps {
            if let Some(t) = lookup(name, range) {
                if !edges[s].contains(&t) {
                    edges[s].push(t);
                }
            }
        }
    }

    // Direct dependencies: the manifest beside the file, else the workspaces' own entries.
    let mut roots: Vec<(usize, Scope)> = Vec::new();
    let manifest = npm_shared::neighbour_manifest_roots(input.path);
    if let Some(declared) = &manifest {
        for (name, range, scope) in declared {
            if let Some(t) = lookup(name, range) {
                roots.push((t, *scope));
            }
        }
    }
    for e in &project_entries {
        for (section, name, range) in &e.deps {
            if let Some(t) = lookup(name, range) {
                let scope = if section == "optionalDependencies" {
                    Scope::Optional
                } else {
                    Scope::Runtime
                };
                if !roots.iter().any(|(i, _)| *i == t) {
                    roots.push((t, scope));
                }
            }
        }
    }
    let knows_direct = manifest.is_some() || !project_entries.is_empty();
    let direct: HashSet<usize> = roots.iter().map(|(i, _)| *i).collect();
    let required: HashSet<usize> = edges.iter().flatten().copied().collect();
    if manifest.is_some() {
        npm_shared::spread_scopes(&mut packages, &edges, &roots);
    }
    let purls: Vec<String> = packages.iter().map(|p| p.purl.to_string()).collect();
    for (i, p) in packages.iter_mut().enumerate() {
        p.dependencies = edges[i]
            .iter()
            .filter_map(|&t| purls.get(t).cloned())
            .collect();
        let first_party = matches!(&p.source, Some(PackageSource::Path { .. }))
            && entries
                .iter()
                .zip(&slot)
                .any(|(e, s)| *s == Some(i) && e.descriptors.iter().any(|d| is_workspace(d)));
        if first_party {
            continue;
        }
        if knows_direct {
            p.direct = Some(direct.contains(&i));
        } else if !required.contains(&i) {
            // Nothing in the file needs it, so the project must.
            p.direct = Some(true);
        }
    }
    Ok(Extracted {
        packages,
        diagnostics: skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "yarn.lock",
            path: Path::new("/nonexistent/yarn.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("npm/yarn-lock", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        for f in ["commits.v1.lock", "commits.v2.lock"] {
            let sample = std::fs::read_to_string(
                testing::repo_fixtures()
                    .join("lockfiles/npm/yarn-lock")
                    .join(f),
            )
            .expect("fixture");
            testing::check_hostile(&EXTRACTOR, &sample);
        }
    }

    #[test]
    fn classic_entries_edges_and_lines() {
        let text = r#"# yarn lockfile v1


"@s/a@^1.0.0", "@s/a@^1.1.0":
  version "1.2.0"
  resolved "https://registry.npm.example/@s/a/-/a-1.2.0.tgz#abc"
  integrity sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU=
  dependencies:
    b "^2.0.0"

b@^2.0.0:
  version "2.0.1"
"#;
        let out = run(text).expect("parses");
        assert_eq!(out.packages.len(), 2);
        let a = &out.packages[0];
        assert_eq!(
            (a.name.as_str(), a.version.as_deref()),
            ("@s/a", Some("1.2.0"))
        );
        assert_eq!(a.location.line, Some(4));
        assert_eq!(a.dependencies, ["pkg:npm/b@2.0.1"]);
        assert_eq!(a.hashes.len(), 1);
        assert_eq!(a.source, None);
        assert_eq!(a.direct, Some(true));
        assert_eq!(out.packages[1].direct, None);
        assert_eq!(out.packages[1].introduced_by, ["pkg:npm/%40s/a@1.2.0"]);
    }

    #[test]
    fn berry_root_workspace_gives_direct_dependencies() {
        let text = r#"__metadata:
  version: 8
  cacheKey: 10c0

"a@npm:^1.0.0":
  version: 1.0.0
  resolution: "a@npm:1.0.0"
  dependencies:
    b: "npm:^1.0.0"
  checksum: 10c0/cbe16dbd2c6b2735d1df7976a7070dd277326434f0212f43abf6d87674095d247968209babdaad31bb00882fa68807256ba9be340eec2f1004de14ca75f52a08

"b@npm:^1.0.0":
  version: 1.0.0
  resolution: "b@https://git.example/o/b.git#commit=0a2d2506c1fe299691fc5db53a2097db3bd615bc"

"root@workspace:.":
  version: 0.0.0-use.local
  resolution: "root@workspace:."
  dependencies:
    a: "npm:^1.0.0"
"#;
        let out = run(text).expect("parses");
        assert_eq!(out.packages.len(), 2);
        let (a, b) = (&out.packages[0], &out.packages[1]);
        assert_eq!(a.direct, Some(true));
        assert_eq!(b.direct, Some(false));
        assert_eq!(b.introduced_by, ["pkg:npm/a@1.0.0"]);
        assert_eq!(a.hashes[0].alg, "sha512");
        assert_eq!(
            b.source,
            Some(PackageSource::Git {
                url: "https://git.example/o/b.git".into(),
                commit: Some("0a2d2506c1fe299691fc5db53a2097db3bd615bc".into())
            })
        );
    }

    /// Names and versions of what was kept, and (line, message) of what was skipped.
    fn kept_and_skipped(out: &Extracted) -> (Vec<String>, Vec<(u32, String)>) {
        let kept = out.packages.iter().map(|p| p.display_name()).collect();
        let skipped = out
            .diagnostics
            .iter()
            .map(|d| {
                assert_eq!(d.code, Code::ParseError);
                assert_eq!(d.file.as_deref(), Some("yarn.lock"));
                (d.line.unwrap_or_default(), d.message.clone())
            })
            .collect();
        (kept, skipped)
    }

    #[test]
    fn classic_entry_with_bytes_that_were_not_utf8_is_skipped_alone() {
        let text = "# yarn lockfile v1\n\n\
                    a@^1.0.0:\n  version \"1.0.0\"\n  dependencies:\n    b \"^2.0.0\"\n\n\
                    b@^2.0.0:\n  version \"2.0.\u{fffd}\"\n\n\
                    c@^3.0.0:\n  version \"3.0.0\"\n";
        let out = run(text).expect("the other entries parse");
        let (kept, skipped) = kept_and_skipped(&out);
        assert_eq!(kept, ["a@1.0.0", "c@3.0.0"]);
        assert_eq!(
            skipped,
            [(
                8,
                "skipped entry: line 9 holds bytes that are not UTF-8".to_owned()
            )]
        );
        assert!(out.packages[0].dependencies.is_empty(), "b was skipped");
    }

    #[test]
    fn berry_entry_with_a_garbled_header_is_skipped_alone() {
        let text = "__metadata:\n  version: 8\n\n\
                    \"a@npm:^1.0.0\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n\n\
                    \"b\u{fffd}@npm:^1.0.0\":\n  version: 1.0.0\n  resolution: \"b@npm:1.0.0\"\n\n\
                    \"c@npm:^1.0.0\":\n  version: 1.0.0\n";
        let out = run(text).expect("the other entries parse");
        let (kept, skipped) = kept_and_skipped(&out);
        assert_eq!(kept, ["a@1.0.0", "c@1.0.0"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, 8);
    }

    #[test]
    fn malformed_headers_are_skipped_with_their_lines() {
        let text = "a@^1.0.0:\n  version \"1.0.0\"\n\n\
                    }}} not a header\n  version \"9.9.9\"\n\n\
                    \"\":\n  version \"8.8.8\"\n\n\
                    c@^3.0.0:\n  version \"3.0.0\"\n";
        let out = run(text).expect("the other entries parse");
        let (kept, skipped) = kept_and_skipped(&out);
        assert_eq!(kept, ["a@1.0.0", "c@3.0.0"]);
        let lines: Vec<u32> = skipped.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [4, 7]);
        assert!(
            skipped[0].1.contains("is not an entry header"),
            "{skipped:?}"
        );
        assert!(skipped[1].1.contains("names no package"), "{skipped:?}");
    }

    #[test]
    fn indented_line_before_an_entry_is_an_error_with_its_line() {
        let err = run("# c\n\n  version \"1\"\n").expect_err("malformed");
        assert_eq!(err.line, Some(3));
    }
}

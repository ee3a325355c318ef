//! pip requirements files (`requirements.txt`, `requirements-dev.txt`, `requirements/*.txt`).
//!
//! Each requirement line becomes a package: pinned (`==`, `===`) lines carry their version and
//! `--hash` values; other lines (`>=`, `~=`, wildcards, no specifier) have no version, keep their
//! specifier in `requirement` and get an `unpinned` warning. Comments, line continuations and
//! environment markers are handled as pip does. `-r` includes are read relative to the file and
//! their packages reported with the included file as location; `-c` constraints files pin the
//! version of otherwise unpinned requirements. Editable, URL and VCS lines are reported with
//! their source when the line names the package (`name @ URL` or `#egg=name`).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::python::{git_source, normalize, parse_requirement, pinned_version};
use super::{Extracted, Extractor, Input, Kind, Lines, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Ecosystem, Hash, Interner, Location, Package, PackageSource, SharedStr, ThinVec,
};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "requirements.txt",
    slug: "requirements-txt",
    ecosystem: Ecosystem::PyPI,
    kind: Kind::Lockfile,
    matches,
    extract,
};

/// How deep `-r`/`-c` includes are followed.
const MAX_INCLUDE_DEPTH: usize = 8;
/// The largest included file read.
const MAX_INCLUDE_BYTES: u64 = 16 * 1024 * 1024;

/// `*requirements*.txt`, or any `.txt` inside a `requirements/` directory.
fn matches(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if !name.ends_with(".txt") {
        return false;
    }
    name.contains("requirements")
        || path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            == Some("requirements")
}

/// Whether a file's lines are requirements or only constraints on versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Requirements,
    Constraints,
}

#[derive(Default)]
struct State {
    out: Extracted,
    /// Files already read (canonical paths), so a file included twice is read once.
    visited: HashSet<PathBuf>,
    /// The chain of files being read, to tell a cycle from a diamond.
    stack: Vec<PathBuf>,
    /// Normalized name to the version a constraints file pins.
    constraints: HashMap<String, String>,
    /// Names, versions, specifiers and purls, each held once: a large file repeats them.
    strings: Interner,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    Ok(read(
        input.display,
        input.path,
        input.text.lines().map(Cow::Borrowed),
    ))
}

/// Reads a requirements file a line at a time, as the inventory does: the file is never held
/// whole, and [`extract`] gives the same for its text.
pub(super) fn read_lines(file: Lines<'_>) -> Result<Extracted, ParseError> {
    Ok(read(file.display, file.path, file.lines.map(Cow::Owned)))
}

fn read<'a>(display: &str, path: &Path, lines: impl Iterator<Item = Cow<'a, str>>) -> Extracted {
    let mut state = State::default();
    let me = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    state.visited.insert(me.clone());
    state.stack.push(me);
    read_text(&mut state, lines, display, path, Mode::Requirements);
    let State {
        mut out,
        constraints,
        ..
    } = state;
    for pkg in &mut out.packages {
        if pkg.version.is_none() && pkg.source.is_none() {
            if let Some(v) = constraints.get(&normalize(&pkg.name)) {
                let requirement = pkg.requirement.take();
                let mut pinned =
                    Package::new(Ecosystem::PyPI, &pkg.name, Some(v), pkg.location.clone());
                pinned.requirement = requirement;
                pinned.hashes = std::mem::take(&mut pkg.hashes);
                *pkg = pinned;
            }
        }
    }
    out
}

/// Reads one file's lines into the state.
fn read_text<'a>(
    state: &mut State,
    lines: impl Iterator<Item = Cow<'a, str>>,
    display: &str,
    path: &Path,
    mode: Mode,
) {
    // Every package of the file shares one copy of its name.
    let file = SharedStr::from(display);
    for (line_no, line) in LogicalLines::new(lines) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let warn = |code: Code, msg: String| {
            Diagnostic::warning(code, msg).in_file(display, Some(line_no))
        };
        if line.contains(char::REPLACEMENT_CHARACTER) {
            state.out.diagnostics.push(warn(
                Code::InvalidUtf8,
                "skipped line: it holds bytes that are not UTF-8".to_owned(),
            ));
            continue;
        }
        if has_env_variable(line) {
            state.out.diagnostics.push(warn(
                Code::Unsupported,
                format!("skipped `{line}`: environment variables are not expanded"),
            ));
            continue;
        }
        if let Some(rel) = option_arg(line, "-r", "--requirement") {
            include(state, display, path, rel, line_no, mode);
            continue;
        }
        if let Some(rel) = option_arg(line, "-c", "--constraint") {
            include(state, display, path, rel, line_no, Mode::Constraints);
            continue;
        }
        if let Some(target) = option_arg(line, "-e", "--editable") {
            if mode == Mode::Requirements {
                if let Some(pkg) = direct_reference(state, target, &file, line_no) {
                    state.out.packages.push(pkg);
                }
            }
            continue;
        }
        if line.starts_with('-') {
            // Global options (index URLs, `--pre`, ...) do not name packages.
            continue;
        }
        let (req, hashes) = split_options(line);
        let parsed = parse_requirement(req);
        let names_url = parsed.as_ref().is_ok_and(|r| r.url.is_some());
        if !names_url && is_direct_reference(req) {
            if mode == Mode::Requirements {
                if let Some(pkg) = direct_reference(state, req, &file, line_no) {
                    state.out.packages.push(pkg);
                }
            }
            continue;
        }
        let parsed = match parsed {
            Ok(r) => r,
            Err(msg) => {
                state
                    .out
                    .diagnostics
                    .push(warn(Code::ParseError, format!("skipped line: {msg}")));
                continue;
            }
        };
        let location = Location::new(file.clone(), Some(line_no));
        if let Some(url) = parsed.url {
            if mode == Mode::Requirements {
                let pkg = Package::new(Ecosystem::PyPI, parsed.name, None, location)
                    .with_source(source_of_url(url));
                state.out.packages.push(pkg);
            }
            continue;
        }
        let version = pinned_version(parsed.specifier);
        let exact_but_empty = version.is_none()
            && parsed.specifier.trim_start_matches('=').trim().is_empty()
            && parsed.specifier.starts_with("==");
        if exact_but_empty {
            state.out.diagnostics.push(warn(
                Code::ParseError,
                format!("skipped `{req}`: `==` without a version"),
            ));
            continue;
        }
        if mode == Mode::Constraints {
            if let Some(v) = version {
                state
                    .constraints
                    .insert(normalize(parsed.name), v.to_owned());
            }
            continue;
        }
        let mut pkg = Package::interned(
            Ecosystem::PyPI,
            parsed.name,
            version,
            location,
            &mut state.strings,
        );
        if !parsed.specifier.trim().is_empty() {
            pkg.requirement = Some(state.strings.intern(parsed.specifier));
        }
        pkg.hashes = hashes;
        if version.is_none() {
            state.out.diagnostics.push(warn(
                Code::Unpinned,
                format!(
                    "`{}` is not pinned to an exact version: `{req}`",
                    parsed.name
                ),
            ));
        }
        state.out.packages.push(pkg);
    }
}

/// The logical lines of a requirements file, read as pip does: a `#` at the start of a line or
/// after whitespace starts a comment; a line ending in `\` continues on the next. Each comes
/// with the number of its first physical line, as borrowed or owned as the physical line unless
/// it was continued.
struct LogicalLines<I> {
    lines: std::iter::Enumerate<I>,
}

impl<'a, I: Iterator<Item = Cow<'a, str>>> LogicalLines<I> {
    fn new(lines: I) -> Self {
        LogicalLines {
            lines: lines.enumerate(),
        }
    }
}

impl<'a, I: Iterator<Item = Cow<'a, str>>> Iterator for LogicalLines<I> {
    type Item = (u32, Cow<'a, str>);

    fn next(&mut self) -> Option<Self::Item> {
        let (i, raw) = self.lines.next()?;
        let first = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = without_comment(raw);
        if !line.ends_with('\\') {
            return Some((first, line));
        }
        let mut joined = line.into_owned();
        joined.pop();
        for (_, raw) in self.lines.by_ref() {
            let line = strip_comment(&raw);
            match line.strip_suffix('\\') {
                Some(head) => joined.push_str(head),
                None => {
                    joined.push_str(line);
                    break;
                }
            }
        }
        Some((first, Cow::Owned(joined)))
    }
}

/// [`strip_comment`] of a borrowed or owned line, without a copy.
fn without_comment(line: Cow<'_, str>) -> Cow<'_, str> {
    match line {
        Cow::Borrowed(s) => Cow::Borrowed(strip_comment(s)),
        Cow::Owned(mut s) => {
            let kept = strip_comment(&s).len();
            s.truncate(kept);
            Cow::Owned(s)
        }
    }
}

fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return line.get(..i).unwrap_or(line).trim_end();
        }
        prev_space = c.is_whitespace();
    }
    line.trim_end()
}

/// `${NAME}` with an uppercase name, which pip expands from the environment.
fn has_env_variable(line: &str) -> bool {
    line.match_indices("${").any(|(i, _)| {
        let rest = line.get(i + 2..).unwrap_or_default();
        rest.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        })
    })
}

/// The argument of `-x ARG`, `-xARG`, `--long ARG` or `--long=ARG` when the line is that option.
fn option_arg<'a>(line: &'a str, short: &str, long: &str) -> Option<&'a str> {
    let arg = if let Some(rest) = line.strip_prefix(long) {
        if let Some(v) = rest.strip_prefix('=') {
            v
        } else if rest.starts_with(char::is_whitespace) {
            rest
        } else {
            return None;
        }
    } else {
        line.strip_prefix(short)?
    };
    let arg = arg.trim();
    (!arg.is_empty()).then_some(arg)
}

/// Splits a requirement line at its first per-requirement option, returning the requirement and
/// the `--hash` values found among the options.
fn split_options(line: &str) -> (&str, ThinVec<Hash>) {
    if !line.split_whitespace().skip(1).any(|t| t.starts_with('-')) {
        // No option after the requirement (every option starts with `-`).
        return (line.trim(), ThinVec::new());
    }
    let mut cut = line.len();
    let mut offset = 0;
    let mut tokens = Vec::new();
    for token in line.split_whitespace() {
        let at = line
            .get(offset..)
            .and_then(|rest| rest.find(token))
            .map_or(offset, |i| offset + i);
        offset = at + token.len();
        tokens.push((at, token));
    }
    for &(at, token) in tokens.iter().skip(1) {
        if is_option(token) {
            cut = at;
            break;
        }
    }
    let mut hashes = ThinVec::new();
    let options: Vec<&str> = tokens
        .iter()
        .filter(|(at, _)| *at >= cut)
        .map(|(_, t)| *t)
        .collect();
    for (i, token) in options.iter().enumerate() {
        let value = match token.strip_prefix("--hash") {
            Some(rest) if rest.starts_with('=') => Some(rest.trim_start_matches('=')),
            Some("") => options.get(i + 1).copied(),
            _ => None,
        };
        if let Some((alg, digest)) = value.and_then(|v| v.split_once(':')) {
            if !digest.is_empty() && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
                let hash = Hash::new(alg, digest);
                if !hashes.contains(&hash) {
                    hashes.push(hash);
                }
            }
        }
    }
    (line.get(..cut).unwrap_or(line).trim(), hashes)
}

fn is_option(token: &str) -> bool {
    [
        "--hash",
        "--global-option",
        "--config-settings",
        "--install-option",
    ]
    .iter()
    .any(|o| token == *o || token.strip_prefix(o).is_some_and(|r| r.starts_with('=')))
        || token == "-C"
}

/// A path, archive or URL line rather than `name specifier`.
fn is_direct_reference(req: &str) -> bool {
    let lower = req.to_ascii_lowercase();
    req.contains("://")
        || lower.starts_with("file:")
        || req.starts_with(['.', '/', '\\', '~'])
        || [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2"]
            .iter()
            .any(|ext| lower.split('#').next().unwrap_or(&lower).ends_with(ext))
        || ["git+", "hg+", "svn+", "bzr+"]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// A package from an editable, path or URL line, when the line names it (`#egg=name`).
fn direct_reference(
    state: &mut State,
    target: &str,
    file: &SharedStr,
    line: u32,
) -> Option<Package> {
    let (target, _) = split_options(target);
    if !is_direct_reference(target) {
        // `-e name==1.0` is not valid pip, but a plain requirement is what it means.
        let req = parse_requirement(target).ok()?;
        let location = Location::new(file.clone(), Some(line));
        return Some(
            Package::new(
                Ecosystem::PyPI,
                req.name,
                pinned_version(req.specifier),
                location,
            )
            .with_requirement(req.specifier),
        );
    }
    let egg = target.split_once('#').and_then(|(_, fragment)| {
        fragment
            .split('&')
            .find_map(|kv| kv.strip_prefix("egg="))
            .map(|e| e.split('[').next().unwrap_or(e))
            .filter(|e| !e.is_empty())
    });
    let Some(name) = egg else {
        state.out.diagnostics.push(
            Diagnostic::warning(
                Code::Unsupported,
                format!("skipped `{target}`: the package name is not written (add `#egg=NAME`)"),
            )
            .in_file(file, Some(line)),
        );
        return None;
    };
    let url = target.split('#').next().unwrap_or(target);
    let location = Location::new(file.clone(), Some(line));
    Some(Package::new(Ecosystem::PyPI, name, None, location).with_source(source_of_url(url)))
}

fn source_of_url(url: &str) -> PackageSource {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("git+") {
        git_source(url)
    } else if url.contains("://") {
        PackageSource::Url {
            url: url.to_owned().into(),
        }
    } else {
        PackageSource::Path {
            path: url.to_owned().into(),
        }
    }
}

/// Reads an included file (`-r` or `-c`) relative to the including one.
fn include(state: &mut State, display: &str, path: &Path, rel: &str, line: u32, mode: Mode) {
    let warn = |msg: String| Diagnostic::warning(Code::ReadError, msg).in_file(display, Some(line));
    if rel.contains("://") {
        state.out.diagnostics.push(
            Diagnostic::warning(
                Code::Unsupported,
                format!("skipped include `{rel}`: remote files are not fetched"),
            )
            .in_file(display, Some(line)),
        );
        return;
    }
    if state.stack.len() > MAX_INCLUDE_DEPTH {
        state.out.diagnostics.push(warn(format!(
            "skipped include `{rel}`: includes nest deeper than {MAX_INCLUDE_DEPTH}"
        )));
        return;
    }
    let target = path.parent().unwrap_or_else(|| Path::new("")).join(rel);
    let canonical = match std::fs::canonicalize(&target) {
        Ok(c) => c,
        Err(e) => {
            state
                .out
                .diagnostics
                .push(warn(format!("cannot read included file `{rel}`: {e}")));
            return;
        }
    };
    if state.stack.contains(&canonical) {
        state.out.diagnostics.push(
            Diagnostic::warning(
                Code::ParseError,
                format!("include cycle: `{rel}` includes this file again; not followed"),
            )
            .in_file(display, Some(line)),
        );
        return;
    }
    if !state.visited.insert(canonical.clone()) {
        return;
    }
    let bytes = match std::fs::metadata(&canonical) {
        Ok(m) if m.len() > MAX_INCLUDE_BYTES => {
            state.out.diagnostics.push(warn(format!(
                "skipped include `{rel}`: larger than {MAX_INCLUDE_BYTES} bytes"
            )));
            return;
        }
        Ok(_) => std::fs::read(&canonical),
        Err(e) => Err(e),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            state
                .out
                .diagnostics
                .push(warn(format!("cannot read included file `{rel}`: {e}")));
            return;
        }
    };
    let child_display = join_display(display, rel);
    let decoded = super::decode_lossy(&child_display, bytes);
    state.out.diagnostics.extend(decoded.warning);
    state.stack.push(canonical);
    read_text(
        state,
        decoded.text.lines().map(Cow::Borrowed),
        &child_display,
        &target,
        mode,
    );
    state.stack.pop();
}

/// The display path of `rel` next to `base`, with `.` and `..` resolved where possible.
fn join_display(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), None | Some(&"..")) {
                    parts.push("..");
                } else {
                    parts.pop();
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run_text(text: &str) -> Extracted {
        EXTRACTOR
            .run(&Input {
                display: "requirements.txt",
                path: Path::new("/nonexistent/requirements.txt"),
                text,
            })
            .expect("requirements files always parse")
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir(
            "PyPI/requirements-txt",
            &EXTRACTOR,
            &[(
                "with_versions.txt",
                "upstream reports the bound of a lone `>=`/`<=` as the version; we report such \
                 lines unpinned (see `lower_bounds_are_not_versions`)",
            )],
        );
    }

    #[test]
    fn lower_bounds_are_not_versions() {
        let path =
            testing::repo_fixtures().join("lockfiles/PyPI/requirements-txt/with_versions.txt");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let got: Vec<(&str, Option<&str>)> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("nltk", Some("3.2.2")),
                ("tabulate", Some("0.7.7")),
                ("newspaper3k", None),
                ("asdf", None),
                ("qwerty", Some("0.1")),
                ("hy-phen", Some("1.2")),
                ("under_score", Some("1.3")),
                ("pkg.dot.name", Some("5.0.0")),
                ("combination-._-.also_-._valid", None),
                ("yolo", Some("1.0")),
                ("pkg", None),
            ]
        );
        let newspaper = &out.packages[2];
        assert_eq!(newspaper.requirement.as_deref(), Some(">=0.2.2"));
        let unpinned: Vec<u32> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::Unpinned)
            .filter_map(|d| d.line)
            .collect();
        assert_eq!(unpinned, [3, 4, 10, 12]);
        assert_eq!(
            out.packages[4].location.line,
            Some(5),
            "continued line starts at 5"
        );
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/PyPI/requirements-txt/per_req_options.txt"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn hashes_markers_extras_and_urls() {
        let out = run_text(
            "# top\n\
             celery [redis, pytest] == 4.4.7 ; python_version < \"3\" \\\n  --hash=sha256:AB12 --hash sha256:cd34\n\
             urllib3 @ https://files.example/u-1.26.8.zip\n\
             -e git+https://git.example/o/lib.git@0123456789abcdef0123#egg=lib\n\
             ./downloads/numpy-1.9.2-cp34-none-win32.whl\n\
             requests>=2.8.1, ==2.8.*\n",
        );
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        let celery = get("celery");
        assert_eq!(celery.version.as_deref(), Some("4.4.7"));
        assert_eq!(celery.location.line, Some(2));
        assert_eq!(
            celery.hashes,
            [Hash::new("sha256", "ab12"), Hash::new("sha256", "cd34")]
        );
        assert_eq!(
            get("urllib3").source,
            Some(PackageSource::Url {
                url: "https://files.example/u-1.26.8.zip".into()
            })
        );
        assert_eq!(
            get("lib").source,
            Some(PackageSource::Git {
                url: "https://git.example/o/lib.git".into(),
                commit: Some("0123456789abcdef0123".into())
            })
        );
        let requests = get("requests");
        assert_eq!(requests.version, None);
        assert_eq!(requests.requirement.as_deref(), Some(">=2.8.1, ==2.8.*"));
        assert_eq!(out.packages.len(), 4, "the nameless wheel is skipped");
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.code == Code::Unsupported && d.line == Some(6)));
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.code == Code::Unpinned && d.line == Some(7)));
    }

    #[test]
    fn includes_are_followed_once_and_cycles_stop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(&p, text).expect("write");
            p
        };
        write("sub/base.txt", "six==1.16.0\n-r ../requirements.txt\n");
        write("constraints.txt", "idna==3.4\n");
        let main = write(
            "requirements.txt",
            "-r sub/base.txt\n--requirement=sub/base.txt\n-c constraints.txt\nidna\n-r missing.txt\n",
        );
        let text = std::fs::read_to_string(&main).expect("read");
        let out = EXTRACTOR
            .run(&Input {
                display: "app/requirements.txt",
                path: &main,
                text: &text,
            })
            .expect("parses");
        let six: Vec<_> = out.packages.iter().filter(|p| p.name == "six").collect();
        assert_eq!(six.len(), 1, "the diamond include is read once");
        assert_eq!(six[0].location.file, "app/sub/base.txt");
        assert_eq!(six[0].location.line, Some(1));
        let idna = out
            .packages
            .iter()
            .find(|p| p.name == "idna")
            .expect("idna");
        assert_eq!(
            idna.version.as_deref(),
            Some("3.4"),
            "pinned by the constraints file"
        );
        assert!(out.diagnostics.iter().any(|d| d.message.contains("cycle")
            && d.file.as_deref() == Some("app/sub/base.txt")
            && d.line == Some(2)));
        assert!(out.diagnostics.iter().any(|d| d.code == Code::ReadError
            && d.message.contains("missing.txt")
            && d.line == Some(5)));
    }

    /// Reads `bytes` both ways: its decoded text, and a line at a time as the inventory does.
    fn both_ways(path: &Path, bytes: &[u8]) -> (Extracted, Extracted) {
        let text = crate::inventory::decode_lossy("r.txt", bytes.to_vec()).text;
        let whole = EXTRACTOR
            .run(&Input {
                display: "r.txt",
                path,
                text: &text,
            })
            .expect("requirements files always parse");
        let mut lines = crate::inventory::LossyLines::new(bytes);
        let by_line = EXTRACTOR
            .run_lines(Lines {
                display: "r.txt",
                path,
                lines: &mut lines,
            })
            .expect("requirements files always parse");
        (whole, by_line)
    }

    #[test]
    fn reading_line_by_line_gives_what_the_text_gives() {
        let dir = testing::repo_fixtures().join("lockfiles/PyPI/requirements-txt");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).expect("fixture dir").flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("txt") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("fixture");
            let (whole, by_line) = both_ways(&path, &bytes);
            assert_eq!(by_line, whole, "{}", path.display());
            checked += 1;
        }
        assert!(checked >= 10, "{checked} fixtures");
        let here = Path::new("/nonexistent/requirements.txt");
        for bytes in [
            &b"\xEF\xBB\xBFa==1 \\\r\n  --hash=sha256:ab # c\r\nb==2\\"[..],
            b"a==1\n\n# x\nb==2 ; python_version < \"3\"\nc==\xff\nd==4",
            b"a==1 \\\n\\\n",
        ] {
            let (whole, by_line) = both_ways(here, bytes);
            assert_eq!(by_line, whole, "{bytes:?}");
        }
    }

    #[test]
    fn a_line_with_bytes_that_are_not_utf8_is_skipped_with_its_line() {
        let (out, _) = both_ways(
            Path::new("/nonexistent/requirements.txt"),
            b"six==1.16.0\nidna==3.\xff\nrequests==2.31.0\n",
        );
        let names: Vec<&str> = out.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["six", "requests"]);
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.code == Code::InvalidUtf8 && d.line == Some(2)));
    }

    #[test]
    fn names_files_by_pattern() {
        for p in [
            "requirements.txt",
            "a/requirements-dev.txt",
            "dev-requirements.txt",
            "requirements/test.txt",
        ] {
            assert!(matches(Path::new(p)), "{p}");
        }
        for p in [
            "requirements.in",
            "a/test.txt",
            "requirements-asdf/test.txt",
        ] {
            assert!(!matches(Path::new(p)), "{p}");
        }
    }
}

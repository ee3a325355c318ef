//! `go.mod`: the modules a Go module requires, after its `replace` directives.
//!
//! Every `require` (single line or block) is a package, with the leading `v` of its version
//! dropped as OSV spells Go versions; `// indirect` marks it transitive, anything else direct.
//! `replace` directives rename the required modules they apply to (all versions when the left
//! side has none); a replacement by a local directory reports the directory as the name, with no
//! version and a path source. The Go standard library is reported as `stdlib`, at the
//! `toolchain` version when there is one and the `go` version otherwise. Before Go 1.17 `go.mod`
//! listed only direct requirements, so for such files the `go.sum` beside it adds the rest.
//! `exclude` and `retract` are read for syntax but change nothing: an excluded version is never
//! the one a `require` selects without the go command rejecting the file.
//!
//! The syntax is parsed by hand (a line-oriented grammar with quoted strings and blocks), as no
//! maintained crate reads it.

use std::collections::HashMap;
use std::path::Path;

use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, PackageSource};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "go.mod",
    slug: "go-mod",
    ecosystem: Ecosystem::Go,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "go.mod"),
    extract,
};

/// The largest `go.sum` read beside a `go.mod`.
const MAX_SUM_BYTES: u64 = 64 * 1024 * 1024;

/// One token of a `go.mod` line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Open,
    Close,
    Arrow,
}

/// A directive line: its tokens, its trailing comment and its 1-based line.
struct Line {
    tokens: Vec<Token>,
    comment: Option<String>,
    number: u32,
}

fn tokenize(text: &str) -> Result<Vec<Line>, ParseError> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut tokens = Vec::new();
        let mut comment = None;
        let mut chars = raw.char_indices().peekable();
        while let Some(&(at, c)) = chars.peek() {
            match c {
                c if c.is_whitespace() => {
                    chars.next();
                }
                '/' if raw[at..].starts_with("//") => {
                    comment = Some(raw[at + 2..].trim().to_owned());
                    break;
                }
                '(' => {
                    chars.next();
                    tokens.push(Token::Open);
                }
                ')' => {
                    chars.next();
                    tokens.push(Token::Close);
                }
                '=' if raw[at..].starts_with("=>") => {
                    chars.next();
                    chars.next();
                    tokens.push(Token::Arrow);
                }
                '"' | '`' => {
                    chars.next();
                    let mut word = String::new();
                    let mut closed = false;
                    while let Some((_, ch)) = chars.next() {
                        if ch == c {
                            closed = true;
                            break;
                        }
                        if ch == '\\' && c == '"' {
                            if let Some((_, esc)) = chars.next() {
                                word.push(esc);
                            }
                            continue;
                        }
                        word.push(ch);
                    }
                    if !closed {
                        return Err(ParseError::new("unterminated quoted string", Some(number)));
                    }
                    tokens.push(Token::Word(word));
                }
                _ => {
                    let start = at;
                    let mut end = raw.len();
                    while let Some(&(j, ch)) = chars.peek() {
                        if ch.is_whitespace()
                            || ch == '('
                            || ch == ')'
                            || ch == '"'
                            || ch == '`'
                            || raw[j..].starts_with("//")
                            || raw[j..].starts_with("=>")
                        {
                            end = j;
                            break;
                        }
                        chars.next();
                    }
                    tokens.push(Token::Word(raw[start..end].to_owned()));
                }
            }
        }
        if !tokens.is_empty() {
            lines.push(Line {
                tokens,
                comment,
                number,
            });
        }
    }
    Ok(lines)
}

/// A directive with its verb, arguments, comment and line (block entries are expanded).
struct Directive {
    verb: String,
    args: Vec<Token>,
    comment: Option<String>,
    line: u32,
}

fn directives(text: &str) -> Result<Vec<Directive>, ParseError> {
    const VERBS: [&str; 10] = [
        "module",
        "go",
        "toolchain",
        "godebug",
        "require",
        "exclude",
        "replace",
        "retract",
        "tool",
        "ignore",
    ];
    let mut out = Vec::new();
    let mut block: Option<(String, u32)> = None;
    for line in tokenize(text)? {
        if let Some((verb, _)) = &block {
            if line.tokens == [Token::Close] {
                block = None;
                continue;
            }
            out.push(Directive {
                verb: verb.clone(),
                args: line.tokens,
                comment: line.comment,
                line: line.number,
            });
            continue;
        }
        let mut tokens = line.tokens.into_iter();
        let verb = match tokens.next() {
            Some(Token::Word(w)) if VERBS.contains(&w.as_str()) => w,
            Some(Token::Word(w)) => {
                return Err(ParseError::new(
                    format!("unknown directive `{w}`"),
                    Some(line.number),
                ))
            }
            _ => return Err(ParseError::new("expected a directive", Some(line.number))),
        };
        let args: Vec<Token> = tokens.collect();
        if args == [Token::Open] {
            block = Some((verb, line.number));
            continue;
        }
        out.push(Directive {
            verb,
            args,
            comment: line.comment,
            line: line.number,
        });
    }
    if let Some((verb, line)) = block {
        return Err(ParseError::new(
            format!("`{verb}` block is not closed"),
            Some(line),
        ));
    }
    Ok(out)
}

fn words(args: &[Token]) -> Option<Vec<&str>> {
    args.iter()
        .map(|t| match t {
            Token::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect()
}

/// Whether a replacement target is a directory rather than a module path.
fn is_local_path(path: &str) -> bool {
    path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path.starts_with(".\\")
        || path.starts_with("..\\")
        || path == "."
        || path == ".."
        || path.get(1..3) == Some(":\\")
}

fn trim_v(version: &str) -> &str {
    version.strip_prefix('v').unwrap_or(version)
}

/// A module path and optional version on one side of a `replace`.
struct Side<'a> {
    path: &'a str,
    version: Option<&'a str>,
}

fn replace_sides<'a>(args: &'a [Token], line: u32) -> Result<(Side<'a>, Side<'a>), ParseError> {
    let arrow = args
        .iter()
        .position(|t| *t == Token::Arrow)
        .ok_or_else(|| ParseError::new("`replace` needs `=>`", Some(line)))?;
    let bad = || ParseError::new("malformed `replace` directive", Some(line));
    let left = words(args.get(..arrow).ok_or_else(bad)?).ok_or_else(bad)?;
    let right = words(args.get(arrow + 1..).ok_or_else(bad)?).ok_or_else(bad)?;
    let side = |w: &[&'a str]| match *w {
        [path] => Ok(Side {
            path,
            version: None,
        }),
        [path, version] => Ok(Side {
            path,
            version: Some(version),
        }),
        _ => Err(bad()),
    };
    let (old, new) = (side(&left)?, side(&right)?);
    if new.version.is_some() && is_local_path(new.path) {
        return Err(ParseError::new(
            "a local `replace` target cannot have a version",
            Some(line),
        ));
    }
    if new.version.is_none() && !is_local_path(new.path) {
        return Err(ParseError::new(
            "a module `replace` target needs a version",
            Some(line),
        ));
    }
    Ok((old, new))
}

/// `major.minor` of a Go version such as `1.16`, `1.21.3` or `1.21rc1`.
fn go_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor: String = parts
        .next()
        .unwrap_or("0")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor.parse().ok()?))
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let location = |line: u32| Location {
        file: input.display.into(),
        line: Some(line),
    };
    let mut packages: Vec<Package> = Vec::new();
    let mut replaces = Vec::new();
    let mut go_version: Option<(String, u32)> = None;
    let mut toolchain: Option<(String, u32)> = None;
    for d in directives(input.text)? {
        let args = words(&d.args);
        match d.verb.as_str() {
            "require" => {
                let Some([path, version]) = args.as_deref() else {
                    return Err(ParseError::new(
                        "`require` needs a module path and a version",
                        Some(d.line),
                    ));
                };
                let indirect = d.comment.as_deref().is_some_and(|c| {
                    c == "indirect" || c.starts_with("indirect;") || c.starts_with("indirect ")
                });
                packages.push(
                    Package::new(Ecosystem::Go, path, Some(trim_v(version)), location(d.line))
                        .with_direct(!indirect),
                );
            }
            "replace" => replaces.push((d.args, d.line)),
            "go" => match args.as_deref() {
                Some([v]) => go_version = Some(((*v).to_owned(), d.line)),
                _ => return Err(ParseError::new("`go` needs one version", Some(d.line))),
            },
            "toolchain" => match args.as_deref() {
                Some([v]) => toolchain = Some(((*v).to_owned(), d.line)),
                _ => return Err(ParseError::new("`toolchain` needs one name", Some(d.line))),
            },
            "module" | "exclude" if args.as_ref().is_none_or(|a| a.is_empty()) => {
                return Err(ParseError::new(
                    format!("`{}` needs an argument", d.verb),
                    Some(d.line),
                ));
            }
            _ => {}
        }
    }

    for (args, line) in &replaces {
        let (old, new) = replace_sides(args, *line)?;
        let old_version = old.version.map(trim_v);
        for pkg in packages.iter_mut() {
            let applies = pkg.name == old.path
                && old_version.is_none_or(|v| pkg.version.as_deref() == Some(v));
            if !applies {
                continue;
            }
            let mut replaced = if is_local_path(new.path) {
                Package::new(Ecosystem::Go, new.path, None, location(*line)).with_source(
                    PackageSource::Path {
                        path: new.path.to_owned().into(),
                    },
                )
            } else {
                Package::new(
                    Ecosystem::Go,
                    new.path,
                    new.version.map(trim_v),
                    location(*line),
                )
            };
            replaced.direct = pkg.direct;
            *pkg = replaced;
        }
    }

    // Two requirements replaced by the same module are one package; the first one stands.
    let mut seen = HashMap::new();
    packages.retain(|p| {
        seen.insert((p.name.clone(), p.version.clone()), ())
            .is_none()
    });

    let stdlib = match (&toolchain, &go_version) {
        (Some((name, line)), _) => {
            let v = name.strip_prefix("go").unwrap_or(name);
            Some((v.split('-').next().unwrap_or(v).to_owned(), *line))
        }
        (None, Some((v, line))) => Some((v.clone(), *line)),
        (None, None) => None,
    };
    if let Some((version, line)) = stdlib.filter(|(v, _)| !v.is_empty()) {
        packages.push(Package::new(
            Ecosystem::Go,
            "stdlib",
            Some(&version),
            location(line),
        ));
    }

    let mut out = Extracted::from(packages);
    let old_go = go_version
        .as_ref()
        .and_then(|(v, _)| go_minor(v))
        .is_some_and(|v| v < (1, 17));
    if old_go {
        add_go_sum(input, &mut out);
    }
    Ok(out)
}

/// Before Go 1.17, indirect requirements live only in `go.sum`: adds the modules it lists that
/// `go.mod` does not, as transitive packages.
fn add_go_sum(input: &Input<'_>, out: &mut Extracted) {
    let sum_of = |p: &str| format!("{}.sum", p.strip_suffix(".mod").unwrap_or(p));
    let sum_path = sum_of(&input.path.to_string_lossy());
    let sum_display = sum_of(input.display);
    let small_enough = std::fs::metadata(&sum_path).is_ok_and(|m| m.len() <= MAX_SUM_BYTES);
    if !small_enough {
        return;
    }
    let Ok(text) = std::fs::read_to_string(&sum_path) else {
        return;
    };
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, version, _hash] = fields.as_slice() else {
            out.diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    "malformed `go.sum` line; its modules were not added",
                )
                .in_file(&sum_display, Some(line_no)),
            );
            return;
        };
        // `/go.mod` lines only hash a dependency's go.mod; the module line itself comes too.
        if version.ends_with("/go.mod") {
            continue;
        }
        found.push((*name, trim_v(version), line_no));
    }
    for (name, version, line) in found {
        let known = out
            .packages
            .iter()
            .any(|p| p.name == name && p.version.as_deref() == Some(version));
        if !known {
            out.packages.push(
                Package::new(
                    Ecosystem::Go,
                    name,
                    Some(version),
                    Location {
                        file: sum_display.as_str().into(),
                        line: Some(line),
                    },
                )
                .with_direct(false),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "go.mod",
            path: Path::new("/nonexistent/go.mod"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Go/go-mod", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Go/go-mod/indirect-packages.mod"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn real_world_files_parse() {
        let Some(shared) = testing::shared_data() else {
            eprintln!("skipped: ../shared/data is not present");
            return;
        };
        for name in ["anchore_syft/go.mod", "aquasecurity_trivy/go.mod"] {
            let path = shared.join("lockfiles/_realworld").join(name);
            let out = testing::run_file(&EXTRACTOR, &path).expect(name);
            assert!(out.packages.len() > 100, "{name}: {}", out.packages.len());
            assert!(out.packages.iter().any(|p| p.direct == Some(false)));
        }
    }

    #[test]
    fn indirect_comment_marks_transitive_and_lines_are_kept() {
        let text = "module m\n\ngo 1.21\n\nrequire (\n\tgit.example/a/b v1.0.0\n\tgit.example/c/d v0.2.0 // indirect\n)\nrequire \"git.example/e/f\" v2.0.0+incompatible\n";
        let out = run(text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(get("git.example/a/b").direct, Some(true));
        assert_eq!(get("git.example/a/b").location.line, Some(6));
        assert_eq!(get("git.example/c/d").direct, Some(false));
        assert_eq!(
            get("git.example/e/f").version.as_deref(),
            Some("2.0.0+incompatible")
        );
        assert_eq!(get("stdlib").version.as_deref(), Some("1.21"));
        assert_eq!(get("stdlib").location.line, Some(3));
    }

    #[test]
    fn local_replacement_is_a_path_source_without_version() {
        let text =
            "module m\nrequire golang.org/x/net v0.5.6\nreplace golang.org/x/net => ../net\n";
        let out = run(text).expect("parses");
        let [pkg] = out.packages.as_slice() else {
            panic!("{:?}", out.packages)
        };
        assert_eq!(pkg.name, "../net");
        assert_eq!(pkg.version, None);
        assert_eq!(pkg.direct, Some(true));
        assert_eq!(pkg.location.line, Some(3));
        assert_eq!(
            pkg.source,
            Some(PackageSource::Path {
                path: "../net".into()
            })
        );
    }

    #[test]
    fn toolchain_suffix_is_dropped() {
        let out = run("module m\ngo 1.22\ntoolchain go1.22.4-custom\n").expect("parses");
        assert_eq!(out.packages[0].version.as_deref(), Some("1.22.4"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = run("module m\n\nrequire (\n\tgit.example/a/b\n)\n").expect_err("no version");
        assert_eq!(err.line, Some(4), "{err}");
        let err = run("module m\nrequire (\n").expect_err("open block");
        assert_eq!(err.line, Some(2), "{err}");
        let err = run("module m\nreplace a v1.0.0 => ./x v1.0.0\n").expect_err("local version");
        assert_eq!(err.line, Some(2), "{err}");
    }
}

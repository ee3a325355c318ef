//! opam package files (`<pkg>.opam`, `opam`, `<pkg>.opam.locked`): OCaml package manifests.
//!
//! An opam file is a list of `field: value` items in opam's own syntax (strings, identifiers,
//! operators, `[ ]` lists, `{ }` options, `( )` groups, `#` and `(* *)` comments). Every
//! package named in `depends` is a direct dependency and every one in `depopts` an optional one;
//! the option text after a name (`{>= "4.08" & with-test}`) becomes the requirement. A
//! dependency whose option says `with-test`, `with-doc`, `with-dev-setup` or `build` is needed
//! only to test, document, develop or build the package: it is `Dev`, with that word as its group.
//! An `= "1.2.3"` constraint (as in `.opam.locked` files) pins the version.
//!
//! A file with no `field:` items is read as an opam switch's install list (`name.version` per
//! line, `#` comments), the shape upstream tools read from `.opam-switch/install`.
//!
//! Tokenized by hand: no maintained Rust crate reads opam's syntax, and only the dependency
//! fields are needed.

use std::path::Path;

use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "<pkg>.opam",
    slug: "opam",
    ecosystem: Ecosystem::Opam,
    kind: Kind::Manifest,
    matches,
    extract,
};

fn matches(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "opam" || n.ends_with(".opam") || n.ends_with(".opam.locked"))
}

/// Option words that make a dependency non-runtime.
const DEV_FILTERS: [&str; 4] = ["with-test", "with-doc", "with-dev-setup", "build"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Str(String),
    Ident(String),
    Op(String),
    Colon,
    Open(char),
    Close(char),
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    line: u32,
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+')
}

/// Splits opam text into tokens, each with its line.
fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line: u32 = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while let Some(c) = at(i) {
        let start_line = line;
        match c {
            '\n' => {
                line = line.saturating_add(1);
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '#' => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            }
            '(' if at(i + 1) == Some('*') => {
                // Block comments nest.
                let mut depth = 0usize;
                loop {
                    match (at(i), at(i + 1)) {
                        (Some('('), Some('*')) => {
                            depth += 1;
                            i += 2;
                        }
                        (Some('*'), Some(')')) => {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        }
                        (Some(c), _) => {
                            if c == '\n' {
                                line = line.saturating_add(1);
                            }
                            i += 1;
                        }
                        (None, _) => {
                            return Err(ParseError::new("unterminated comment", Some(start_line)))
                        }
                    }
                }
            }
            '"' => {
                let triple = at(i + 1) == Some('"') && at(i + 2) == Some('"');
                i += if triple { 3 } else { 1 };
                let mut s = String::new();
                loop {
                    match at(i) {
                        None => {
                            return Err(ParseError::new("unterminated string", Some(start_line)))
                        }
                        Some('"') if !triple => {
                            i += 1;
                            break;
                        }
                        Some('"') if at(i + 1) == Some('"') && at(i + 2) == Some('"') => {
                            i += 3;
                            break;
                        }
                        Some('\\') => {
                            if let Some(e) = at(i + 1) {
                                if e == '\n' {
                                    line = line.saturating_add(1);
                                }
                                s.push(e);
                            }
                            i += 2;
                        }
                        Some(c) => {
                            if c == '\n' {
                                line = line.saturating_add(1);
                            }
                            s.push(c);
                            i += 1;
                        }
                    }
                }
                out.push(Token {
                    tok: Tok::Str(s),
                    line: start_line,
                });
            }
            '[' | '{' | '(' => {
                out.push(Token {
                    tok: Tok::Open(c),
                    line,
                });
                i += 1;
            }
            ']' | '}' | ')' => {
                out.push(Token {
                    tok: Tok::Close(c),
                    line,
                });
                i += 1;
            }
            ':' if at(i + 1) == Some('=') => {
                out.push(Token {
                    tok: Tok::Op(":=".into()),
                    line,
                });
                i += 2;
            }
            ':' => {
                out.push(Token {
                    tok: Tok::Colon,
                    line,
                });
                i += 1;
            }
            '=' | '!' | '<' | '>' | '&' | '|' | '?' => {
                let mut op = c.to_string();
                i += 1;
                if let Some(n @ ('=' | '+' | ':')) = at(i) {
                    op.push(n);
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Op(op),
                    line,
                });
            }
            c if is_ident_char(c) => {
                let mut s = String::new();
                loop {
                    while let Some(c) = at(i).filter(|c| is_ident_char(*c)) {
                        s.push(c);
                        i += 1;
                    }
                    // `pkg:var` is one identifier; a `:` followed by a space or a value ends a field name.
                    if at(i) == Some(':') && at(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                        s.push(':');
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    tok: Tok::Ident(s),
                    line,
                });
            }
            other => {
                return Err(ParseError::new(
                    format!("unexpected character `{other}`"),
                    Some(line),
                ))
            }
        }
    }
    Ok(out)
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let has_fields = input.text.lines().any(|l| {
        let l = l.trim_start();
        l.split_once(':').is_some_and(|(field, _)| {
            !field.is_empty() && !field.starts_with('#') && field.chars().all(is_ident_char)
        })
    });
    if !has_fields {
        return install_list(input);
    }
    let tokens = tokenize(input.text)?;
    let mut packages = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(t) = tokens.get(i) {
        match &t.tok {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) => depth = depth.saturating_sub(1),
            Tok::Ident(field)
                if depth == 0 && matches!(tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Colon)) =>
            {
                let optional = match field.as_str() {
                    "depends" => false,
                    "depopts" => true,
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                i = dependencies(input, &tokens, i + 2, optional, &mut packages)?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(packages.into())
}

/// Reads the value of a `depends`/`depopts` field starting at token `i`; returns the index after it.
fn dependencies(
    input: &Input<'_>,
    tokens: &[Token],
    mut i: usize,
    optional: bool,
    out: &mut Vec<Package>,
) -> Result<usize, ParseError> {
    let list = matches!(tokens.get(i).map(|t| &t.tok), Some(Tok::Open('[')));
    let start_line = tokens.get(i).map(|t| t.line);
    if list {
        i += 1;
    }
    // Depth of `(` groups inside the list; the value ends at the closing `]` (or after one atom).
    let mut groups = 0usize;
    loop {
        let Some(t) = tokens.get(i) else {
            if list {
                return Err(ParseError::new("unclosed `[` in dependencies", start_line));
            }
            return Ok(i);
        };
        match &t.tok {
            Tok::Close(']') if list && groups == 0 => return Ok(i + 1),
            Tok::Open('(') => groups += 1,
            Tok::Close(')') => groups = groups.saturating_sub(1),
            Tok::Str(name) => {
                let (constraint, next) = option_after(tokens, i + 1, start_line)?;
                out.push(package(input, name, t.line, &constraint, optional));
                i = next;
                if !list && groups == 0 {
                    return Ok(i);
                }
                continue;
            }
            Tok::Ident(_) | Tok::Colon if !list => return Ok(i),
            _ => {}
        }
        i += 1;
    }
}

/// The tokens of a `{ ... }` option at `i`, if there is one, and the index after it.
fn option_after(
    tokens: &[Token],
    i: usize,
    start_line: Option<u32>,
) -> Result<(Vec<&Tok>, usize), ParseError> {
    if !matches!(tokens.get(i).map(|t| &t.tok), Some(Tok::Open('{'))) {
        return Ok((Vec::new(), i));
    }
    let mut depth = 0usize;
    let mut inner = Vec::new();
    for (j, t) in tokens.iter().enumerate().skip(i) {
        match &t.tok {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    return Ok((inner, j + 1));
                }
            }
            _ => {}
        }
        if j > i {
            inner.push(&t.tok);
        }
    }
    Err(ParseError::new("unclosed `{` in dependencies", start_line))
}

fn package(input: &Input<'_>, name: &str, line: u32, option: &[&Tok], optional: bool) -> Package {
    let requirement = option
        .iter()
        .map(|t| match t {
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Ident(s) | Tok::Op(s) => s.clone(),
            Tok::Colon => ":".into(),
            Tok::Open(c) | Tok::Close(c) => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    // `= "1.2.3"` alone (besides filters) pins the version.
    let relops: Vec<usize> = option
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tok::Op(op) if matches!(op.as_str(), "=" | "!=" | "<" | "<=" | ">" | ">=")))
        .map(|(k, _)| k)
        .collect();
    let has_or = option.iter().any(|t| matches!(t, Tok::Op(op) if op == "|"));
    let version = match relops.as_slice() {
        [k] if !has_or => match (option.get(*k), option.get(k + 1)) {
            (Some(Tok::Op(op)), Some(Tok::Str(v))) if op == "=" => Some(v.as_str()),
            _ => None,
        },
        _ => None,
    };
    let location = Location {
        file: input.display.into(),
        line: Some(line),
    };
    let mut pkg = Package::new(Ecosystem::Opam, name, version, location)
        .with_requirement(requirement)
        .with_direct(true);
    for t in option {
        if let Tok::Ident(word) = t {
            if DEV_FILTERS.contains(&word.as_str()) {
                pkg.scope = Scope::Dev;
                pkg.add_group(word);
            }
        }
    }
    if optional {
        pkg.scope = Scope::Optional;
        pkg.add_group("depopts");
    }
    pkg
}

/// An opam switch install list: `name.version` per line.
fn install_list(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let mut packages = Vec::new();
    for (idx, raw) in input.text.lines().enumerate() {
        let line = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let content = raw.split('#').next().unwrap_or_default().trim();
        let Some(entry) = content.split_whitespace().next() else {
            continue;
        };
        let (name, version) = entry
            .split_once('.')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
            .ok_or_else(|| {
                ParseError::new(
                    format!("`{entry}` is neither an opam field nor `name.version`"),
                    Some(line),
                )
            })?;
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        packages.push(Package::new(Ecosystem::Opam, name, Some(version), location));
    }
    Ok(packages.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "demo.opam",
            path: Path::new("demo.opam"),
            text,
        })
    }

    const OPAM: &str = r#"opam-version: "2.0"
name: "demo"
synopsis: "A demo: with colons"
depends: [
  "ocaml" {>= "4.08"}
  "dune" {>= "3.0" & build}
  (* "commented" {= "1"} *)
  "fmt" {= "0.9.0"}
  ("lwt" | "async") # either
  "alcotest" {with-test}
  "odoc" {with-doc & >= "2.0"}
]
depopts: ["ssl"]
build: [
  ["dune" "build" "-p" name "-j" jobs]
  ["dune" "runtest"] {with-test}
]
url {
  src: "https://files.example/demo.tbz"
}
"#;

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("opam/opam", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        testing::check_hostile(&EXTRACTOR, OPAM);
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/opam/opam/valid.install"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn matches_opam_file_names() {
        assert!(matches(Path::new("x/demo.opam")));
        assert!(matches(Path::new("x/opam")));
        assert!(matches(Path::new("x/demo.opam.locked")));
        assert!(!matches(Path::new("x/opam.txt")));
    }

    #[test]
    fn depends_scopes_requirements_and_lines() {
        let out = run(OPAM).expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.scope,
                    p.location.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("ocaml", None, Scope::Runtime, Some(5)),
                ("dune", None, Scope::Dev, Some(6)),
                ("fmt", Some("0.9.0"), Scope::Runtime, Some(8)),
                ("lwt", None, Scope::Runtime, Some(9)),
                ("async", None, Scope::Runtime, Some(9)),
                ("alcotest", None, Scope::Dev, Some(10)),
                ("odoc", None, Scope::Dev, Some(11)),
                ("ssl", None, Scope::Optional, Some(13)),
            ]
        );
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect("present");
        assert_eq!(get("ocaml").requirement.as_deref(), Some(">= \"4.08\""));
        assert_eq!(get("dune").groups, ["build"]);
        assert_eq!(get("odoc").groups, ["with-doc"]);
        assert_eq!(get("ssl").groups, ["depopts"]);
        assert_eq!(get("ocaml").direct, Some(true));
        assert_eq!(get("lwt").requirement, None);
    }

    #[test]
    fn install_list_lines() {
        let out = run("# list\ndune.3.7.2\n\ncore_kernel.v0.15.1 # c\n").expect("parses");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.location.line))
            .collect();
        assert_eq!(
            got,
            [
                ("dune", Some("3.7.2"), Some(2)),
                ("core_kernel", Some("v0.15.1"), Some(4))
            ]
        );
        let err = run("dune.3.7.2\nnot-an-entry\n").expect_err("bad entry");
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn broken_files_name_the_line() {
        let err = run("opam-version: \"2.0\"\ndepends: [\n  \"a\" {>= \"1\"\n").expect_err("open");
        assert_eq!(err.line, Some(2), "{err}");
        let err = run("name: \"x\"\ndepends: [\n  \"a\n").expect_err("string");
        assert_eq!(err.line, Some(3), "{err}");
    }
}

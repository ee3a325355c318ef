//! `mix.lock`: the Hex packages (Elixir and Erlang) Mix resolved, with their dependency graph.
//!
//! The file is one Elixir map literal from each dependency's app name to a tuple:
//! `{:hex, :name, "1.0.0", "inner checksum", [:mix], [deps...], "hexpm", "outer checksum"}` for
//! a Hex package, `{:git, "url", "commit", opts}` for a git checkout. A Hex package is reported
//! under its package name with its version, the outer (tarball) checksum as a SHA-256 hash (the
//! inner one when there is no outer), and the locked packages of its dependency list as its
//! dependencies; a git checkout under its app name, with the locked commit as its version, its
//! git source and the purl's `vcs_url` qualifier (`git+URL@commit`). The lockfile does not say
//! which packages the project requires itself nor in which environments: where the `mix.exs` is
//! beside it, its declarations are the direct dependencies and `only: :dev`/`:test` ones (and
//! what only they bring in) are development dependencies; otherwise `direct` is unknown. An
//! entry whose tuple is too short or of an unknown kind is skipped with a warning.
//!
//! Elixir terms are parsed by a small hand-written reader (maps, tuples, lists, keyword lists,
//! strings, atoms, numbers), as no maintained crate reads Elixir term syntax. It accepts trailing
//! commas anywhere.

use std::collections::HashMap;
use std::path::Path;

use super::lines::LineFinder;
use super::python::{propagate, scope_of_group, Roots};
use super::{file_name_is, mix_exs, neighbour, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{purl, Ecosystem, Hash, Location, Package, PackageSource, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "mix.lock",
    slug: "mix-lock",
    ecosystem: Ecosystem::Hex,
    kind: Kind::Lockfile,
    matches: |p: &Path| file_name_is(p, "mix.lock"),
    extract,
};

/// How deeply terms may nest before the file is rejected.
const MAX_DEPTH: usize = 128;

/// An Elixir term, as far as lockfiles use them.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    /// `%{key => value, "key": value}`, each entry with the byte offset of its key.
    Map(Vec<(Term, Term, usize)>),
    Tuple(Vec<Term>),
    /// Keyword entries (`key: value`) appear as two-element tuples.
    List(Vec<Term>),
    Str(String),
    Atom(String),
    /// A number or a bare identifier (`true`, `nil`, `Module.Name`).
    Word(String),
}

impl Term {
    fn as_str(&self) -> Option<&str> {
        match self {
            Term::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_atom(&self) -> Option<&str> {
        match self {
            Term::Atom(s) => Some(s),
            _ => None,
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    lines: LineFinder<'a>,
}

impl<'a> Reader<'a> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(message, Some(self.lines.line_at(self.pos)))
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) -> Result<(), ParseError> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(self.error(format!("expected `{s}`")))
        }
    }

    fn term(&mut self, depth: usize) -> Result<Term, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("terms nested too deeply"));
        }
        self.skip_space();
        match self.peek() {
            Some('%') => {
                self.expect("%{")?;
                let mut entries = Vec::new();
                self.items("}", depth, |r, depth| {
                    let at = r.pos;
                    let (key, value) = r.pair(depth, "=>")?;
                    entries.push((key, value, at));
                    Ok(())
                })?;
                Ok(Term::Map(entries))
            }
            Some('{') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.items("}", depth, |r, depth| {
                    items.push(r.term(depth + 1)?);
                    Ok(())
                })?;
                Ok(Term::Tuple(items))
            }
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.items("]", depth, |r, depth| {
                    items.push(r.list_item(depth)?);
                    Ok(())
                })?;
                Ok(Term::List(items))
            }
            Some('"') => Ok(Term::Str(self.string()?)),
            Some(':') => {
                self.pos += 1;
                if self.peek() == Some('"') {
                    return Ok(Term::Atom(self.string()?));
                }
                let word = self.word();
                if word.is_empty() {
                    return Err(self.error("expected an atom name after `:`"));
                }
                Ok(Term::Atom(word.to_owned()))
            }
            Some(_) => {
                let word = self.word();
                if word.is_empty() {
                    return Err(self.error("expected a value"));
                }
                Ok(Term::Word(word.to_owned()))
            }
            None => Err(self.error("unexpected end of file")),
        }
    }

    /// Comma-separated items up to `close` (a trailing comma is allowed).
    fn items(
        &mut self,
        close: &str,
        depth: usize,
        mut item: impl FnMut(&mut Self, usize) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        loop {
            if self.eat(close) {
                return Ok(());
            }
            item(self, depth + 1)?;
            if !self.eat(",") {
                return self.expect(close);
            }
        }
    }

    /// A list element: `key: value` (a keyword entry, as a two-element tuple) or a term.
    fn list_item(&mut self, depth: usize) -> Result<Term, ParseError> {
        self.skip_space();
        let start = self.pos;
        if let Some(key) = self.keyword_key()? {
            let value = self.term(depth + 1)?;
            return Ok(Term::Tuple(vec![Term::Atom(key), value]));
        }
        self.pos = start;
        self.term(depth + 1)
    }

    /// A map entry: `key: value`, `"key": value` or `key => value`.
    fn pair(&mut self, depth: usize, arrow: &str) -> Result<(Term, Term), ParseError> {
        self.skip_space();
        if let Some(key) = self.keyword_key()? {
            let value = self.term(depth + 1)?;
            return Ok((Term::Str(key), value));
        }
        let key = self.term(depth + 1)?;
        self.expect(arrow)?;
        let value = self.term(depth + 1)?;
        Ok((key, value))
    }

    /// Reads `name:` or `"name":` followed by whitespace, or leaves the position alone.
    fn keyword_key(&mut self) -> Result<Option<String>, ParseError> {
        let start = self.pos;
        let key = if self.peek() == Some('"') {
            self.string()?
        } else {
            self.word().to_owned()
        };
        let rest = self.rest();
        let is_keyword = !key.is_empty()
            && rest.starts_with(':')
            && rest
                .get(1..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_whitespace);
        if is_keyword {
            self.pos += 1;
            Ok(Some(key))
        } else {
            self.pos = start;
            Ok(None)
        }
    }

    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || "_@.?!-+".contains(c)))
            .unwrap_or(rest.len());
        self.pos += len;
        rest.get(..len).unwrap_or_default()
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let start_line = self.lines.line_at(self.pos);
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(ParseError::new("unterminated string", Some(start_line)))
    }
}

fn parse(text: &str) -> Result<Term, ParseError> {
    let mut reader = Reader {
        text,
        pos: 0,
        lines: LineFinder::new(text),
    };
    let term = reader.term(0)?;
    reader.skip_space();
    if reader.pos < text.len() {
        return Err(reader.error("unexpected text after the lock map"));
    }
    Ok(term)
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    if input.text.trim().is_empty() {
        return Ok(Extracted::default());
    }
    let lines = LineFinder::new(input.text);
    let Term::Map(entries) = parse(input.text)? else {
        return Err(ParseError::new(
            "a mix.lock file is one map `%{...}`",
            Some(1),
        ));
    };
    let mut packages = Vec::new();
    let mut diagnostics = Vec::new();
    // The app names each package's dependency list refers to, per package.
    let mut dep_keys: Vec<Vec<String>> = Vec::new();
    let mut keys = Vec::new();
    for (key, value, at) in &entries {
        let line = lines.line_at(*at);
        let key = match key {
            Term::Str(s) | Term::Atom(s) => s.clone(),
            _ => continue,
        };
        let location = Location {
            file: input.display.into(),
            line: Some(line),
        };
        let Some(pkg) = package_of(&key, value, location, &mut dep_keys) else {
            diagnostics.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!("lock entry `{key}` is not a hex or git dependency; skipped"),
                )
                .in_file(input.display, Some(line)),
            );
            continue;
        };
        keys.push(key);
        packages.push(pkg);
    }
    let by_key: HashMap<&str, String> = keys
        .iter()
        .zip(&packages)
        .map(|(k, p)| (k.as_str(), p.purl.to_string()))
        .collect();
    let resolved: Vec<Vec<String>> = dep_keys
        .iter()
        .map(|deps| {
            deps.iter()
                .filter_map(|d| by_key.get(d.as_str()).cloned())
                .collect()
        })
        .collect();
    for (pkg, deps) in packages.iter_mut().zip(resolved) {
        pkg.dependencies = deps.into();
    }
    match neighbour::read_beside(input.path, input.display, "mix.exs") {
        Ok(Some(text)) => apply_manifest(&mut packages, &keys, &dep_keys, &text),
        Ok(None) => {}
        Err(warning) => diagnostics.push(warning),
    }
    Ok(Extracted {
        packages,
        diagnostics,
    })
}

/// The package for one lock entry, pushing the app names of its dependencies.
fn package_of(
    key: &str,
    value: &Term,
    location: Location,
    dep_keys: &mut Vec<Vec<String>>,
) -> Option<Package> {
    let Term::Tuple(items) = value else {
        return None;
    };
    match items.first()?.as_atom()? {
        "hex" => {
            let name = items.get(1)?.as_atom()?;
            let version = items.get(2)?.as_str()?;
            let mut pkg = Package::new(Ecosystem::Hex, name, Some(version), location);
            let checksum = items
                .get(7)
                .and_then(Term::as_str)
                .or_else(|| items.get(3).and_then(Term::as_str));
            if let Some(sum) = checksum.filter(|s| !s.is_empty()) {
                pkg.hashes.push(Hash::new("sha256", sum));
            }
            let deps = match items.get(5) {
                Some(Term::List(deps)) => deps
                    .iter()
                    .filter_map(|d| match d {
                        Term::Tuple(t) => t.first()?.as_atom().map(str::to_owned),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            dep_keys.push(deps);
            Some(pkg)
        }
        "git" => {
            let url = items.get(1)?.as_str()?;
            let commit = items
                .get(2)
                .and_then(Term::as_str)
                .map(str::trim)
                .filter(|c| !c.is_empty());
            dep_keys.push(Vec::new());
            let mut pkg = Package::new(Ecosystem::Hex, key, commit, location);
            if let Some(commit) = commit {
                let vcs_url = format!("git+{}@{commit}", url.trim_start_matches("git+"));
                pkg.purl = purl::for_package_qualified(
                    Ecosystem::Hex,
                    key,
                    Some(commit),
                    &[("vcs_url", &vcs_url)],
                )
                .into();
            }
            Some(pkg.with_source(PackageSource::Git {
                url: url.to_owned().into(),
                commit: commit.map(Into::into),
            }))
        }
        _ => None,
    }
}

/// Applies what the `mix.exs` beside the lock declares: its dependencies are the direct ones
/// (unless it is an umbrella, whose apps declare theirs), and one limited to `:dev`/`:test`
/// is a development dependency with the environments as groups, spread down the graph.
fn apply_manifest(packages: &mut [Package], keys: &[String], dep_keys: &[Vec<String>], text: &str) {
    let declared = mix_exs::dependencies(text);
    let at: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = dep_keys
        .iter()
        .map(|deps| {
            deps.iter()
                .filter_map(|d| at.get(d.as_str()).copied())
                .collect()
        })
        .collect();
    let mut roots = Roots::default();
    for (name, envs) in &declared {
        let Some(&i) = at.get(name.as_str()) else {
            continue;
        };
        let dev = !envs.is_empty() && envs.iter().all(|e| scope_of_group(e) == Scope::Dev);
        if envs.is_empty() {
            roots.edges.push((i, Scope::Runtime, None));
        }
        for e in envs {
            let scope = if dev { Scope::Dev } else { Scope::Runtime };
            roots.edges.push((i, scope, Some(e.clone())));
        }
    }
    let umbrella = text.contains("apps_path:");
    for (i, (p, reached)) in packages
        .iter_mut()
        .zip(propagate(&edges, &roots))
        .enumerate()
    {
        if let Some((scope, groups)) = reached {
            p.scope = scope;
            for g in groups {
                p.add_group(&g);
            }
        }
        if !umbrella {
            p.direct = Some(keys.get(i).is_some_and(|k| declared.contains_key(k)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "mix.lock",
            path: Path::new("mix.lock"),
            text,
        })
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Hex/mix-lock-elixir", &EXTRACTOR, &[]);
        testing::check_fixture_dir(
            "Hex/mix-lock-erlang",
            &EXTRACTOR,
            &[(
                "git.lock",
                "upstream leaves a git dependency's version empty; trusca reports the locked \
                 commit (`git_dependencies_have_the_commit_as_version`)",
            )],
        );
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Hex/mix-lock-erlang/two-packages.lock"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn edges_hashes_git_and_lines() {
        let text = r#"%{
  "plug": {:hex, :plug, "1.11.1", "aa", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}, {:absent, "~> 1.0", []}], "hexpm", "BB"},
  "mime": {:hex, :mime, "1.6.0", "cc", [:mix], [], "hexpm"},
  "foo": {:git, "https://git.example/foo.git", "fc94cce7830fa4dc455024bc2a83720afe244531", [branch: "main"]},
  "app_alias" => {:hex, :real_name, "0.1.0", "dd", [:rebar3], [], "hexpm", "ee"},
}
"#;
        let out = run(text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        let plug = get("plug");
        assert_eq!(plug.location.line, Some(2));
        assert_eq!(plug.dependencies, [get("mime").purl.clone()]);
        assert_eq!(plug.hashes, [Hash::new("sha256", "bb")]);
        assert_eq!(get("mime").hashes, [Hash::new("sha256", "cc")]);
        let foo = get("foo");
        assert_eq!(
            (foo.version.as_deref(), foo.location.line),
            (Some("fc94cce7830fa4dc455024bc2a83720afe244531"), Some(4))
        );
        assert!(
            matches!(&foo.source, Some(PackageSource::Git { commit: Some(c), .. }) if c.starts_with("fc94"))
        );
        assert_eq!(get("real_name").location.line, Some(5));
        assert_eq!(plug.direct, None);
    }

    /// Issue 18: the `mix.exs` beside the lock (the shape of a Phoenix server's, with
    /// `only: :test` and `only: :dev` dependencies) gives direct dependencies and scopes.
    #[test]
    fn mix_exs_gives_direct_dependencies_and_environments() {
        let path = testing::repo_fixtures().join("inventory/phoenix-app/mix.lock");
        let out = testing::run_file(&EXTRACTOR, &path).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        assert_eq!(
            (get("lasso").scope, get("lasso").direct),
            (Scope::Dev, Some(true))
        );
        assert_eq!(get("lasso").groups, ["test"]);
        assert_eq!(get("ex_machina").groups, ["dev", "test"]);
        assert_eq!(get("phoenix_live_reload").groups, ["dev"]);
        assert_eq!(
            (get("plug_cowboy").scope, get("plug_cowboy").direct),
            (Scope::Dev, Some(false)),
            "only lasso brings it in"
        );
        assert_eq!(
            (get("plug").scope, get("plug").direct),
            (Scope::Runtime, Some(false))
        );
        assert_eq!(
            (get("bandit").scope, get("bandit").direct),
            (Scope::Runtime, Some(true))
        );
        assert_eq!(get("git_diff").direct, Some(true));
        assert!(out.diagnostics.is_empty());
    }

    /// Issue 18: a git dependency of a `mix.lock` (the shape of a Hex server's lock, pinned by
    /// `ref:` and `depth:`) has its commit as version and a `vcs_url` qualifier, and is not
    /// matched against advisories, which name releases.
    #[test]
    fn git_dependencies_have_the_commit_as_version() {
        let text = std::fs::read_to_string(
            testing::repo_fixtures().join("inventory/phoenix-app/mix.lock"),
        )
        .expect("fixture");
        let out = run(&text).expect("parses");
        let get = |n: &str| out.packages.iter().find(|p| p.name == n).expect(n);
        let diff = get("git_diff");
        assert_eq!(
            diff.purl,
            "pkg:hex/git_diff@d47473d661ff0073ce4080ae04db1a439d78a62b?vcs_url=git%2Bhttps:%2F%2Fgit.example%2Fericmj%2Fgit_diff.git%40d47473d661ff0073ce4080ae04db1a439d78a62b"
        );
        assert_eq!(diff.release_version(), None);
        assert_eq!(get("plug").release_version(), Some("1.18.1"));
    }

    #[test]
    fn short_entry_is_skipped_with_a_warning() {
        let out =
            run("%{\n  \"a\": {:hex, :a, \"1.0.0\"},\n  \"b\": {:hex, },\n}").expect("parses");
        assert_eq!(out.packages.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(3));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err =
            run("%{\n  \"a\": {:hex, :a, \"1.0.0\"},\n  \"b\" {:hex}\n}").expect_err("no colon");
        assert_eq!(err.line, Some(3), "{err}");
        let err = run("%{\n  \"a\": {:hex, :a, \"1.0.0\n}").expect_err("open string");
        assert_eq!(err.line, Some(2), "{err}");
    }
}

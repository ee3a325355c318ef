//! `mix.exs`: the dependencies a Mix project declares and the environments they are limited to
//! (`only: :test`, `only: [:dev, :test]`), read beside a `mix.lock`, which records neither.
//!
//! A `mix.exs` is Elixir code. It is not evaluated: every tuple `{:name, "requirement", …}` or
//! `{:name, github: …}` / `{:name, path: …}` (an atom, then a string or a keyword) is taken for a
//! dependency declaration, and its `only:` option is read as written. No crate reads Mix
//! project files without running Elixir.

use std::collections::BTreeMap;

/// The environments each declared dependency is limited to (empty: every environment).
pub(crate) type Declared = BTreeMap<String, Vec<String>>;

/// The longest dependency tuple read; a longer one is cut there.
const MAX_TUPLE: usize = 4 * 1024;

/// The most declarations read from one file.
const MAX_DECLARATIONS: usize = 10_000;

/// Reads every dependency declaration.
pub(crate) fn dependencies(text: &str) -> Declared {
    let mut out = Declared::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut seen = 0;
    while let Some(found) = text.get(i..).and_then(|rest| rest.find("{:")) {
        if seen >= MAX_DECLARATIONS {
            break;
        }
        let start = i + found;
        i = start + 2;
        let rest = &text[start + 2..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start();
        let Some(args) = after.strip_prefix(',').map(str::trim_start) else {
            continue;
        };
        let is_declaration = args.starts_with('"') || keyword_start(args);
        if name.is_empty() || !is_declaration {
            continue;
        }
        seen += 1;
        let end = tuple_end(bytes, start).unwrap_or(text.len().min(start + MAX_TUPLE));
        let tuple = text.get(start..end).unwrap_or_default();
        let envs = option(tuple, "only").map(atoms).unwrap_or_default();
        let entry = out.entry(name.to_owned()).or_insert_with(|| envs.clone());
        // Declared twice (one per environment, say): the union, or every environment.
        if entry.is_empty() || envs.is_empty() {
            entry.clear();
        } else {
            for e in envs {
                if !entry.contains(&e) {
                    entry.push(e);
                }
            }
        }
    }
    out
}

/// Whether the text starts with a keyword key (`github:`, `path:`).
fn keyword_start(text: &str) -> bool {
    let key_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    key_len > 0 && text[key_len..].starts_with(':')
}

/// The byte offset just past the `}` closing the tuple opened at `start`, skipping strings;
/// `None` when it is not closed within [`MAX_TUPLE`] bytes.
fn tuple_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let end = bytes.len().min(start.saturating_add(MAX_TUPLE));
    for (k, &b) in bytes.get(start..end)?.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(start + k + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The text after `key:` in a tuple, up to the end of its value.
fn option<'a>(tuple: &'a str, key: &str) -> Option<&'a str> {
    let pattern = format!("{key}:");
    let at = tuple
        .match_indices(&pattern)
        .find(|(i, _)| tuple[..*i].ends_with([' ', ',', '\n', '\t']))
        .map(|(i, _)| i + pattern.len())?;
    let value = tuple[at..].trim_start();
    let end = if value.starts_with('[') {
        value.find(']').map_or(value.len(), |k| k + 1)
    } else {
        value.find([',', '}', ' ', '\n']).unwrap_or(value.len())
    };
    Some(&value[..end])
}

/// The atom names in `:test` or `[:dev, :test]`.
fn atoms(value: &str) -> Vec<String> {
    value
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .filter_map(|t| t.trim().strip_prefix(':'))
        .filter(|t| {
            !t.is_empty()
                && t.len() <= 64
                && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_and_their_environments() {
        let text = r#"
  def application, do: [mod: {Hexpm.Application, []}, extra_applications: [:logger]]
  defp deps() do
    [
      {:bandit, "~> 1.0"},
      {:esbuild, "~> 0.8", runtime: Mix.env() == :dev},
      {:lasso, "~> 0.1.4", only: :test},
      {:phoenix_live_reload, "~> 1.0", only: :dev},
      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},
      {:git_diff,
       github: "ericmj/git_diff", ref: "d47473d661ff0073ce4080ae04db1a439d78a62b", depth: 1},
      {:weird, "with \"only: :test\" inside {braces}"},
    ]
  end
  defp ok, do: {:ok, self()}
"#;
        let d = dependencies(text);
        assert_eq!(
            d.keys().collect::<Vec<_>>(),
            [
                "bandit",
                "credo",
                "esbuild",
                "git_diff",
                "lasso",
                "phoenix_live_reload",
                "weird"
            ]
        );
        assert!(d["bandit"].is_empty());
        assert!(d["esbuild"].is_empty());
        assert_eq!(d["lasso"], ["test"]);
        assert_eq!(d["phoenix_live_reload"], ["dev"]);
        assert_eq!(d["credo"], ["dev", "test"]);
        assert!(d["git_diff"].is_empty());
        assert!(d["weird"].is_empty(), "a string is not an option");
    }

    #[test]
    fn hostile_text_is_read_without_panics() {
        for text in [
            "{:",
            "{:a, \"",
            "{:a, only: [",
            "{:a, only: :\u{1b}[31m}",
            "{:é, \"1\"}",
            &"{:a, [".repeat(20_000),
            &"{:a, \"".repeat(5_000),
            "{:a, path: \"../../../etc\"}",
        ] {
            let _ = dependencies(text);
        }
    }
}

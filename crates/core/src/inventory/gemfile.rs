//! `Gemfile` (and `gems.rb`): the Bundler groups each gem is declared in, read beside a
//! `Gemfile.lock`, which records no groups.
//!
//! A Gemfile is Ruby. It is not evaluated: `group :a, :b do … end` blocks and `group:`/`groups:`
//! options of a `gem` line (`:x`, `[:x, :y]`, `%i[x y]`) are read as written; `if`/`unless`/
//! `platforms`/`source … do` blocks only nest. No crate reads Bundler's DSL without running
//! Ruby, and running the file is out of the question for a scanner.

use std::collections::BTreeMap;

/// The groups of each gem the Gemfile declares (empty when declared outside any group); a gem
/// declared more than once gets the union.
pub(crate) type Groups = BTreeMap<String, Vec<String>>;

/// Bundler's name for the gems declared outside any group.
const DEFAULT: &str = "default";

/// The longest statement joined from continued lines.
const MAX_STATEMENT: usize = 16 * 1024;

/// Reads the groups of every `gem` declaration.
pub(crate) fn groups(text: &str) -> Groups {
    let mut out = Groups::new();
    // One entry per open block: the groups it adds (none for a non-group block).
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut pending = String::new();
    for raw in text.lines() {
        let code = strip_comment(raw).trim();
        if code.is_empty() {
            continue;
        }
        // A declaration continued on the next line ends with a comma or leaves a parenthesis
        // open (bounded, so an unclosed one cannot swallow the file).
        pending.push_str(code);
        let open = pending.matches('(').count() > pending.matches(')').count();
        let continued = code.ends_with(',') || code.ends_with('\\') || open;
        if continued && pending.len() < MAX_STATEMENT {
            pending.push(' ');
            continue;
        }
        let statement = std::mem::take(&mut pending);
        let statement = statement.trim();
        if statement == "end" || statement.starts_with("end ") || statement.starts_with("end.") {
            blocks.pop();
            continue;
        }
        let opens_block = opens_block(statement);
        if let Some(args) = call_args(statement, "group") {
            if opens_block {
                blocks.push(atoms(args.split(" do").next().unwrap_or(args)));
                continue;
            }
        }
        if let Some(args) = call_args(statement, "gem") {
            if let Some(name) = first_string(args) {
                let inline = option_value(args, "groups").or_else(|| option_value(args, "group"));
                let mut found: Vec<String> = blocks.iter().flatten().cloned().collect();
                found.extend(inline.map(atoms).unwrap_or_default());
                if found.is_empty() {
                    // Declared outside any group: Bundler's `default` group.
                    found.push(DEFAULT.to_owned());
                }
                let entry = out.entry(name).or_default();
                for g in found {
                    if !entry.contains(&g) {
                        entry.push(g);
                    }
                }
            }
        }
        if opens_block || starts_compound(statement) {
            blocks.push(Vec::new());
        }
    }
    // A gem in the default group anywhere is installed everywhere: it has no group of note.
    for groups in out.values_mut() {
        if groups.iter().any(|g| g == DEFAULT) {
            groups.clear();
        }
    }
    out
}

/// The code of a line without its trailing `#` comment (a `#` inside quotes is kept).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Whether the statement ends by opening a `do` block (`do`, `do |x|`).
fn opens_block(statement: &str) -> bool {
    let s = statement.trim_end();
    let s = match s.strip_suffix('|') {
        Some(rest) => rest
            .rsplit_once('|')
            .map_or(rest, |(before, _)| before)
            .trim_end(),
        None => s,
    };
    s == "do" || s.ends_with(" do") || s.ends_with(")do")
}

/// Whether the statement opens a block closed by `end` without `do` (`if`, `unless`, `case`, …).
fn starts_compound(statement: &str) -> bool {
    [
        "if ", "unless ", "case ", "while ", "until ", "begin", "def ",
    ]
    .iter()
    .any(|k| statement.starts_with(k))
        && !statement.ends_with(" end")
}

/// The arguments of a call to `method` at the start of the statement (`gem "x"`, `gem("x")`).
fn call_args<'a>(statement: &'a str, method: &str) -> Option<&'a str> {
    let rest = statement.strip_prefix(method)?;
    let rest = rest.strip_prefix('(').or_else(|| rest.strip_prefix(' '))?;
    Some(rest.trim().trim_end_matches(')').trim())
}

/// The first quoted string of the arguments.
fn first_string(args: &str) -> Option<String> {
    let quote = args.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let rest = &args[1..];
    let end = rest.find(quote)?;
    let name = rest[..end].trim();
    (!name.is_empty() && name.len() <= 256).then(|| name.to_owned())
}

/// The value written after `key:` or `:key =>` among the arguments, up to the next option.
fn option_value<'a>(args: &'a str, key: &str) -> Option<&'a str> {
    let starts = [format!("{key}:"), format!(":{key} =>"), format!(":{key}=>")];
    let (at, len) = starts.iter().find_map(|s| {
        args.match_indices(s.as_str())
            .find(|(i, _)| *i == 0 || args[..*i].ends_with([' ', ',', '(']))
            .map(|(i, m)| (i, m.len()))
    })?;
    let value = args[at + len..].trim_start();
    let end = if value.starts_with('[') || value.starts_with("%i[") || value.starts_with("%w[") {
        value.find(']').map_or(value.len(), |i| i + 1)
    } else {
        value.find([',', ')', ' ']).unwrap_or(value.len())
    };
    Some(&value[..end])
}

/// The symbol or string names in `:a, :b`, `[:a, "b"]` or `%i[a b]`, up to a keyword option.
fn atoms(text: &str) -> Vec<String> {
    let text = text.trim().trim_start_matches('(').trim_end_matches(')');
    if let Some(words) = text
        .strip_prefix("%i[")
        .or_else(|| text.strip_prefix("%w["))
    {
        return words
            .trim_end_matches(']')
            .split_whitespace()
            .map(str::to_owned)
            .collect();
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(str::trim)
        .take_while(|t| !t.contains(':') || t.starts_with(':'))
        .filter_map(|t| {
            let t = t.trim_start_matches(':').trim_matches(['"', '\'']).trim();
            let ok = !t.is_empty()
                && t.len() <= 64
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            ok.then(|| t.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_inline_options_and_nesting() {
        let text = r#"
source "https://gems.example"
gem "rails", "~> 7.2"
gem "skylight", groups: [ :production ]
gem "tzinfo-data", platforms: %i[windows jruby]
group :development, :test do
  gem "debug", platforms: %i[mri windows] # a comment with "quotes"
  platforms :mri do
    gem "byebug"
  end
end
gem "rspec", group: :test
gem(
  "capybara",
  :group => :test
)
if ENV["X"]
  gem "dotenv-rails", groups: %i[production]
end
group :development, :test do
  gem "dotenv-rails"
end
gem "pry", groups: %i[development test]
"#;
        let g = groups(text);
        let get = |n: &str| g.get(n).cloned().unwrap_or_else(|| panic!("{n}"));
        assert!(get("rails").is_empty());
        assert_eq!(get("skylight"), ["production"]);
        assert!(get("tzinfo-data").is_empty());
        assert_eq!(get("debug"), ["development", "test"]);
        assert_eq!(get("byebug"), ["development", "test"]);
        assert_eq!(get("rspec"), ["test"]);
        assert_eq!(get("capybara"), ["test"]);
        assert_eq!(get("dotenv-rails"), ["production", "development", "test"]);
        assert_eq!(get("pry"), ["development", "test"]);
    }

    #[test]
    fn a_gem_also_declared_outside_groups_is_default() {
        let g = groups("gem \"a\"\ngroup :test do\n  gem \"a\"\nend\n");
        assert_eq!(g.get("a").map(Vec::len), Some(0));
    }

    #[test]
    fn hostile_text_is_read_without_panics() {
        for text in [
            "end\nend\nend\n",
            "gem",
            "gem \"",
            "gem \"é\u{1b}[31m\", group: [",
            "group :a do\n",
            "gem 'x', group: %i[",
            &"group :a do\n".repeat(10_000),
            "gem \"../../etc/passwd\"",
        ] {
            let _ = groups(text);
        }
    }
}

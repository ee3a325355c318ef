//! MSBuild `Condition` attributes, evaluated as far as the project file itself decides them.
//!
//! Decided: `'…' == '…'` and `!=` (case-insensitive, as MSBuild compares), `and`, `or`, `!`,
//! parentheses, `true`/`false`, and `Exists('…')` for a path inside the scanned tree, with
//! `$(Name)` taken from the properties the project file sets unconditionally. Anything else — a
//! property set elsewhere (`$(Configuration)`, `Directory.Build.props`, the command line), a
//! property function, `<`/`>` comparisons, a path outside the tree — leaves the condition
//! undecided, and the caller keeps what it guards. MSBuild's own evaluator needs .NET; no crate
//! evaluates its conditions, so this small reader is written here.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The deepest nesting of parentheses and `!` read.
const MAX_DEPTH: usize = 64;
/// The longest condition read.
const MAX_CONDITION: usize = 4096;

/// What a condition comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The project file decides it: true or false.
    Decided(bool),
    /// It depends on something the project file does not set.
    Undecided,
}

/// What conditions can use: the project's literal properties and where it lies in the tree.
pub(crate) struct Context<'a> {
    /// Properties set unconditionally in the project file, by lowercase name, `$(…)` expanded.
    pub properties: &'a HashMap<String, String>,
    /// The project file's directory on disk.
    pub dir: &'a Path,
    /// How many directories the project lies below the scan root (`Exists` looks no higher).
    pub depth: usize,
}

/// Evaluates a `Condition` attribute.
pub(crate) fn evaluate(condition: &str, cx: &Context<'_>) -> Decision {
    if condition.len() > MAX_CONDITION {
        return Decision::Undecided;
    }
    let Some(tokens) = tokenize(condition) else {
        return Decision::Undecided;
    };
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        cx,
    };
    let value = parser.or(0);
    if parser.pos != tokens.len() {
        return Decision::Undecided;
    }
    match value {
        Some(Value::Bool(b)) => Decision::Decided(b),
        Some(Value::Text(t)) if t.eq_ignore_ascii_case("true") => Decision::Decided(true),
        Some(Value::Text(t)) if t.eq_ignore_ascii_case("false") => Decision::Decided(false),
        _ => Decision::Undecided,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Quoted(String),
    Word(String),
    Eq,
    Ne,
    Not,
    Open,
    Close,
    Comma,
    /// `<`, `>`, `<=`, `>=`: not decided here.
    Ordering,
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '\'' => {
                let rest = &text[i + 1..];
                let end = rest.find('\'')?;
                out.push(Token::Quoted(rest[..end].to_owned()));
                for _ in 0..rest[..end].chars().count() + 1 {
                    chars.next();
                }
            }
            '=' if chars.peek().map(|p| p.1) == Some('=') => {
                chars.next();
                out.push(Token::Eq);
            }
            '!' if chars.peek().map(|p| p.1) == Some('=') => {
                chars.next();
                out.push(Token::Ne);
            }
            '!' => out.push(Token::Not),
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            '<' | '>' => {
                if chars.peek().map(|p| p.1) == Some('=') {
                    chars.next();
                }
                out.push(Token::Ordering);
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' || c == '$' || c == '-' => {
                let mut word = String::from(c);
                while let Some(&(_, n)) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '.' || n == '-' {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word));
            }
            _ => return None,
        }
    }
    Some(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Bool(bool),
    Text(String),
}

struct Parser<'t, 'c> {
    tokens: &'t [Token],
    pos: usize,
    cx: &'t Context<'c>,
}

/// `None` stands for "undecided" throughout.
impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self, depth: usize) -> Option<Value> {
        let mut left = self.and(depth);
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and(depth);
            left = match (as_bool(&left), as_bool(&right)) {
                (Some(true), _) | (_, Some(true)) => Some(Value::Bool(true)),
                (Some(false), Some(false)) => Some(Value::Bool(false)),
                _ => None,
            };
        }
        left
    }

    fn and(&mut self, depth: usize) -> Option<Value> {
        let mut left = self.unary(depth);
        while self.keyword("and") {
            self.pos += 1;
            let right = self.unary(depth);
            left = match (as_bool(&left), as_bool(&right)) {
                (Some(false), _) | (_, Some(false)) => Some(Value::Bool(false)),
                (Some(true), Some(true)) => Some(Value::Bool(true)),
                _ => None,
            };
        }
        left
    }

    fn unary(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            self.pos = self.tokens.len() + 1;
            return None;
        }
        if self.peek() == Some(&Token::Not) {
            self.pos += 1;
            let inner = self.unary(depth + 1);
            return as_bool(&inner).map(|b| Value::Bool(!b));
        }
        let left = self.primary(depth)?;
        match self.peek() {
            Some(Token::Eq | Token::Ne) => {
                let equal = self.peek() == Some(&Token::Eq);
                self.pos += 1;
                let right = self.primary(depth);
                let (Value::Text(a), Some(Value::Text(b))) = (&left, &right) else {
                    return None;
                };
                if a.contains("$(") || b.contains("$(") || a.contains("@(") || b.contains("@(") {
                    return None;
                }
                Some(Value::Bool(a.eq_ignore_ascii_case(b) == equal))
            }
            Some(Token::Ordering) => {
                self.pos += 1;
                self.primary(depth);
                None
            }
            _ => Some(left),
        }
    }

    fn primary(&mut self, depth: usize) -> Option<Value> {
        let token = self.peek()?.clone();
        self.pos += 1;
        match token {
            Token::Open => {
                let inner = self.or(depth + 1);
                if self.peek() == Some(&Token::Close) {
                    self.pos += 1;
                } else {
                    self.pos = self.tokens.len() + 1;
                }
                inner
            }
            Token::Quoted(text) => Some(Value::Text(self.expand(&text))),
            Token::Word(w) if w.eq_ignore_ascii_case("exists") => {
                if self.peek() != Some(&Token::Open) {
                    return None;
                }
                self.pos += 1;
                let arg = match self.peek() {
                    Some(Token::Quoted(t)) => Some(self.expand(t)),
                    _ => None,
                };
                self.pos += 1;
                if self.peek() != Some(&Token::Close) {
                    self.pos = self.tokens.len() + 1;
                    return None;
                }
                self.pos += 1;
                self.exists(&arg?).map(Value::Bool)
            }
            Token::Word(w) if w.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
            Token::Word(w) if w.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
            Token::Word(w) if !w.starts_with('$') => Some(Value::Text(w)),
            _ => {
                // A property function or an unquoted reference: not decided here.
                self.pos = self.tokens.len() + 1;
                None
            }
        }
    }

    /// `$(Name)` replaced by the literal property where there is one; others stay as written.
    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("$(") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else {
                out.push_str(&rest[start..]);
                return out;
            };
            match self.cx.properties.get(&after[..end].to_ascii_lowercase()) {
                Some(v) if !v.contains("$(") => out.push_str(v),
                _ => out.push_str(&rest[start..start + 2 + end + 1]),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Whether a path relative to the project exists, when it lies inside the scanned tree.
    fn exists(&self, path: &str) -> Option<bool> {
        if path.contains("$(") || path.contains('*') || path.trim().is_empty() {
            return None;
        }
        let relative = path.trim().replace('\\', "/");
        let relative = Path::new(&relative);
        if relative.is_absolute() {
            return None;
        }
        let mut up = 0usize;
        let mut joined = PathBuf::from(self.cx.dir);
        let mut below = 0usize;
        for part in relative.components() {
            match part {
                Component::ParentDir => {
                    if below > 0 {
                        below -= 1;
                    } else {
                        up += 1;
                    }
                    joined.push("..");
                }
                Component::Normal(p) => {
                    below += 1;
                    joined.push(p);
                }
                Component::CurDir => {}
                _ => return None,
            }
        }
        (up <= self.cx.depth).then(|| joined.exists())
    }
}

fn as_bool(v: &Option<Value>) -> Option<bool> {
    match v {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::Text(t)) if t.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::Text(t)) if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(condition: &str) -> Decision {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("app/plugins")).expect("mkdir");
        let properties: HashMap<String, String> = [
            ("enablengrok", "false"),
            ("flavor", "Community"),
            ("derived", "$(Configuration)"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let cx = Context {
            properties: &properties,
            dir: &dir.path().join("app"),
            depth: 1,
        };
        evaluate(condition, &cx)
    }

    #[test]
    fn literal_properties_decide() {
        use Decision::*;
        assert_eq!(eval("'$(EnableNgrok)' == 'true'"), Decided(false));
        assert_eq!(eval("'$(EnableNgrok)' != 'true'"), Decided(true));
        assert_eq!(
            eval("'$(Flavor)' == 'community'"),
            Decided(true),
            "case-insensitive"
        );
        assert_eq!(
            eval(" '$(Flavor)'=='Community' and !('$(EnableNgrok)' == 'true') "),
            Decided(true)
        );
        assert_eq!(
            eval("'$(EnableNgrok)' == 'true' and '$(Configuration)' == 'Debug'"),
            Decided(false)
        );
        assert_eq!(
            eval("'$(EnableNgrok)' == 'false' or '$(Configuration)' == 'Debug'"),
            Decided(true)
        );
        assert_eq!(eval("$(EnableNgrok)"), Undecided, "unquoted");
        assert_eq!(eval("false"), Decided(false));
    }

    #[test]
    fn what_the_file_does_not_set_is_undecided() {
        use Decision::*;
        assert_eq!(eval("'$(Configuration)' == 'Debug'"), Undecided);
        assert_eq!(eval("'$(Derived)' == 'Debug'"), Undecided);
        assert_eq!(
            eval("'$(Flavor)' == 'x' or '$(Configuration)' == 'Debug'"),
            Undecided
        );
        assert_eq!(eval("'$(TargetFramework)' >= 'net8.0'"), Undecided);
        assert_eq!(eval("$([MSBuild]::IsOSPlatform('Windows'))"), Undecided);
        assert_eq!(eval("'@(Items)' == ''"), Undecided);
    }

    #[test]
    fn exists_inside_the_tree_only() {
        use Decision::*;
        assert_eq!(eval("Exists('plugins')"), Decided(true));
        assert_eq!(eval("Exists('plugins\\missing.props')"), Decided(false));
        assert_eq!(eval("!Exists('../app/plugins')"), Decided(false));
        assert_eq!(
            eval("Exists('../../etc/passwd')"),
            Undecided,
            "outside the tree"
        );
        assert_eq!(eval("Exists('/etc/passwd')"), Undecided);
        assert_eq!(eval("Exists('$(Configuration).props')"), Undecided);
    }

    #[test]
    fn hostile_conditions_are_undecided_not_panics() {
        let deep = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
        let nots = format!("{}true", "!".repeat(10_000));
        let long = "a".repeat(MAX_CONDITION + 1);
        for c in [
            "'",
            "'a' ==",
            "== 'a'",
            "(",
            ")",
            "Exists(",
            "Exists('a'",
            "'\u{1b}[31m' == 'é'",
            &deep,
            &nots,
            &long,
            "and or",
            "'a' == 'a' 'b'",
        ] {
            let _ = eval(c);
        }
        assert_eq!(eval(&deep), Decision::Undecided);
    }
}

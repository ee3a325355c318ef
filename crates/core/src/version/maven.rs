//! Maven version ordering, as specified for `ComparableVersion` (the "version order
//! specification" of the POM reference).
//!
//! No Rust crate implements `ComparableVersion`, so it is written here. The version is cut into
//! tokens at `.`, at `-` and at every switch between digits and other characters (a switch counts
//! as `-`); each token remembers the separator before it. Tokens are case-insensitive; `cr` is
//! `rc`; `ga`, `final` and `release` are the empty qualifier; `a`, `b` and `m` directly followed
//! by a number are `alpha`, `beta` and `milestone`; empty tokens are `0`. Trailing "null" tokens
//! (`0`, empty qualifier) are trimmed at the end and before each `-`. Comparison walks both
//! lists, padding the shorter with nulls; tokens with the same separator compare numbers by
//! value, qualifiers as `alpha < beta < milestone < rc < snapshot < "" < sp < others`
//! (others alphabetically), and numbers above qualifiers; tokens with different separators order
//! `.qualifier < -qualifier < -number < .number`. Every string is a valid Maven version.

use std::cmp::Ordering;

use super::{eq_from_ord, Num};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Num(Num),
    /// A qualifier: its rank among the known ones, and the text for unknown ones.
    Qual(u8, Box<str>),
}

/// Rank of the empty qualifier (a release).
const RELEASE: u8 = 5;
const UNKNOWN: u8 = 7;

impl Value {
    fn qualifier(s: &str) -> Value {
        let rank = match s {
            "alpha" => 0,
            "beta" => 1,
            "milestone" => 2,
            "rc" => 3,
            "snapshot" => 4,
            "" => RELEASE,
            "sp" => 6,
            _ => UNKNOWN,
        };
        let text = if rank == UNKNOWN { s } else { "" };
        Value::Qual(rank, text.into())
    }

    fn is_null(&self) -> bool {
        match self {
            Value::Num(n) => n.is_zero(),
            Value::Qual(rank, _) => *rank == RELEASE,
        }
    }

    fn is_num(&self) -> bool {
        matches!(self, Value::Num(_))
    }

    /// Compares two values that have the same separator.
    fn cmp_same_sep(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Num(a), Value::Num(b)) => a.cmp(b),
            (Value::Qual(ra, ta), Value::Qual(rb, tb)) => ra.cmp(rb).then_with(|| ta.cmp(tb)),
            (Value::Num(_), Value::Qual(..)) => Ordering::Greater,
            (Value::Qual(..), Value::Num(_)) => Ordering::Less,
        }
    }

    /// Compares with a padding null: a number against `0`, a qualifier against the release.
    fn cmp_null(&self) -> Ordering {
        match self {
            Value::Num(n) => n.cmp(&Num::default()),
            Value::Qual(rank, _) => rank.cmp(&RELEASE),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// Whether the separator before the token is `-` (otherwise `.`, or the start).
    dash: bool,
    value: Value,
}

impl Token {
    /// `.qualifier < -qualifier < -number < .number`
    fn kind_rank(&self) -> u8 {
        match (self.value.is_num(), self.dash) {
            (false, false) => 0,
            (false, true) => 1,
            (true, true) => 2,
            (true, false) => 3,
        }
    }
}

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub(super) struct Maven {
    tokens: Vec<Token>,
}

impl Ord for Maven {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.tokens.len().max(other.tokens.len());
        for i in 0..len {
            let ord = match (self.tokens.get(i), other.tokens.get(i)) {
                (Some(a), Some(b)) if a.dash == b.dash => a.value.cmp_same_sep(&b.value),
                (Some(a), Some(b)) => a.kind_rank().cmp(&b.kind_rank()),
                (Some(a), None) => a.value.cmp_null(),
                (None, Some(b)) => b.value.cmp_null().reverse(),
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

eq_from_ord!(Maven);

pub(super) fn parse(s: &str) -> (Maven, bool) {
    let lower = s.trim().to_lowercase();
    let mut tokens = Vec::new();
    let mut dash = false;
    let mut rest = lower.as_str();
    loop {
        let end = rest.find(['.', '-']).unwrap_or(rest.len());
        let (raw, tail) = rest.split_at(end);
        push_raw(&mut tokens, raw, dash);
        let Some(sep) = tail.chars().next() else {
            break;
        };
        dash = sep == '-';
        rest = &tail[1..];
    }
    trim_nulls(&mut tokens);
    (Maven { tokens }, !s.trim().is_empty())
}

/// Adds the tokens of one `.`/`-`-separated piece, splitting it at digit/non-digit switches.
fn push_raw(tokens: &mut Vec<Token>, raw: &str, dash: bool) {
    if raw.is_empty() {
        tokens.push(Token {
            dash,
            value: Value::Num(Num::default()),
        });
        return;
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut prev_digit = None;
    for (i, c) in raw.char_indices() {
        let digit = c.is_ascii_digit();
        if prev_digit.is_some_and(|p| p != digit) {
            pieces.push(&raw[start..i]);
            start = i;
        }
        prev_digit = Some(digit);
    }
    pieces.push(&raw[start..]);
    let count = pieces.len();
    for (i, piece) in pieces.into_iter().enumerate() {
        let followed_by_number = i + 1 < count;
        let value = match Num::parse(piece) {
            Some(n) => Value::Num(n),
            None => Value::qualifier(match piece {
                "cr" => "rc",
                "ga" | "final" | "release" => "",
                "a" if followed_by_number => "alpha",
                "b" if followed_by_number => "beta",
                "m" if followed_by_number => "milestone",
                other => other,
            }),
        };
        tokens.push(Token {
            dash: dash || i > 0,
            value,
        });
    }
}

/// Trims null tokens from the end of the version and from before each `-` (the end of each
/// sub-list), never the first token.
fn trim_nulls(tokens: &mut Vec<Token>) {
    let mut i = tokens.len();
    while i > 1 {
        let idx = i - 1;
        if tokens.get(idx).is_some_and(|t| t.value.is_null()) {
            tokens.remove(idx);
            i -= 1;
            continue;
        }
        // Move to the token that opens this sub-list, then continue before it.
        let mut j = idx;
        while j > 0 && tokens.get(j).is_some_and(|t| !t.dash) {
            j -= 1;
        }
        i = j;
    }
}

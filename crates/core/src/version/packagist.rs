//! Packagist ordering: PHP's `version_compare`, after dropping one leading `v`/`V` (Composer
//! drops it; `version_compare` alone would read `v1.0` as the unknown word `v` followed by
//! `1.0`).
//!
//! No Rust crate implements `version_compare`, so it is written here. The version is first
//! canonicalised as Composer and the OSV tooling do (`-`, `_` and `+` become `.`, and a `.` is
//! inserted at each switch between digits and non-digits). The `.`-separated parts then compare
//! pairwise: numbers by value (PHP stops at `i64`; here any size), words by their "special form"
//! (`dev` < `alpha`=`a` < `beta`=`b` < `RC`=`rc` < a number < `pl`=`p`, matched as prefixes and
//! case-sensitively, any other word below `dev`), and a number against a word as a number
//! would. When one side runs out, a following number makes the longer side newer, otherwise
//! the rest is compared against a number. Every non-empty string is valid; the empty string
//! sorts below everything else. Like PHP's, this order is not transitive around the `#` form
//! (`1.2.3.#` equals both `1.2.3` and `1.2.3.1`); real versions do not contain `#`.

use std::cmp::Ordering;

use super::{eq_from_ord, Num};

/// The special-form order of a number.
const NUMBER: i8 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Num(Num),
    /// A word, as its special-form order.
    Word(i8),
}

impl Part {
    fn order(&self) -> i8 {
        match self {
            Part::Num(_) => NUMBER,
            Part::Word(o) => *o,
        }
    }

    fn cmp_part(&self, other: &Part) -> Ordering {
        match (self, other) {
            (Part::Num(a), Part::Num(b)) => a.cmp(b),
            _ => self.order().cmp(&other.order()),
        }
    }
}

/// A parsed Packagist version.
#[derive(Debug, Clone)]
pub(super) struct Php {
    parts: Vec<Part>,
}

impl Ord for Php {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.parts.is_empty(), other.parts.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        cmp_parts(&self.parts, &other.parts)
    }
}

eq_from_ord!(Php);

fn cmp_parts(a: &[Part], b: &[Part]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = x.cmp_part(y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    // The longer side's rest: newer if it goes on with a number, otherwise its words are
    // compared against a number, one after the other.
    let (rest, flip) = match a.len().cmp(&b.len()) {
        Ordering::Equal => return Ordering::Equal,
        Ordering::Greater => (a.get(b.len()..).unwrap_or_default(), false),
        Ordering::Less => (b.get(a.len()..).unwrap_or_default(), true),
    };
    let mut ord = Ordering::Equal;
    for part in rest {
        ord = match part {
            Part::Num(_) => Ordering::Greater,
            Part::Word(o) => o.cmp(&NUMBER),
        };
        if ord != Ordering::Equal {
            break;
        }
    }
    if flip {
        ord.reverse()
    } else {
        ord
    }
}

/// The special-form order of a word: the first form it starts with.
fn word_order(word: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(form, _)| word.starts_with(form))
        .map_or(-1, |&(_, order)| order)
}

/// Composer's canonical form, as the OSV tooling writes it: `-`, `_` and `+` become `.`, and a
/// `.` goes between a digit and a following non-digit and the other way round. Unlike PHP's own
/// `php_canonicalize_version`, other punctuation stays inside its word and runs of `.` are kept;
/// the OSV vectors depend on that (`1.2.3.#` equals `1.2.3`, as `#` is the "number" form).
fn canonicalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
        if let Some(p) = prev {
            let switch = (p.is_ascii_digit() && c != '.' && !c.is_ascii_digit())
                || (c.is_ascii_digit() && p != '.' && !p.is_ascii_digit());
            if switch {
                out.push('.');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

pub(super) fn parse(s: &str) -> (Php, bool) {
    let trimmed = s.trim();
    let body = trimmed
        .strip_prefix(['v', 'V'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(trimmed);
    let canonical = canonicalize(body);
    let parts = if canonical.is_empty() {
        Vec::new()
    } else {
        canonical
            .split('.')
            .map(|p| match Num::parse(p) {
                Some(n) => Part::Num(n),
                None => Part::Word(word_order(p)),
            })
            .collect()
    };
    (Php { parts }, !trimmed.is_empty())
}

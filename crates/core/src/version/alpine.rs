//! Alpine ordering (`apk version`), also used for Wolfi, Chainguard and other apk-based
//! distributions.
//!
//! No Rust crate implements apk's ordering, so it is written here.
//!
//! `number{.number}[letter[number]]{_suffix[number]}[~hash][-r number]`: numbers compare by value,
//! except that after the first, a number with a leading zero compares as a string (apk's
//! fractional reading: `1.05 < 1.1`); a missing number is `0`. A version with a letter is newer
//! than one without. Suffixes order `_alpha < _beta < _pre < _rc <` (none) `< _cvs < _svn < _git
//! < _hg < _p`, then by their number. The hash is ignored; the revision (`-r1`, also written
//! `.r1` in some advisories) is a number, `0` when missing. Whatever cannot be read that way is
//! kept as a tail: the version is invalid, and orders below the same version without a tail
//! (two tails compare equal, as in the OSV vectors).

use std::cmp::Ordering;

use super::{cmp_padded, eq_from_ord, split_while, Num};

#[derive(Debug, Clone)]
struct Component {
    digits: Box<str>,
    value: Num,
}

/// Suffix weight of "no suffix", for padding.
const NO_SUFFIX: u8 = 4;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Tail {
    /// Something was left over. Its text does not take part in the order: the OSV vectors
    /// treat `1-r0-1` and `1-r0-2` as equal.
    Junk,
    Clean,
}

/// A parsed apk version.
#[derive(Debug, Clone)]
pub(super) struct Apk {
    components: Vec<Component>,
    letter: Option<(char, Num)>,
    suffixes: Vec<(u8, Num)>,
    revision: Num,
    tail: Tail,
}

fn cmp_components(a: &[Component], b: &[Component]) -> Ordering {
    let zero = Component {
        digits: "0".into(),
        value: Num::default(),
    };
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).unwrap_or(&zero);
        let y = b.get(i).unwrap_or(&zero);
        let ord = if i > 0 && (x.digits.starts_with('0') || y.digits.starts_with('0')) {
            x.digits.cmp(&y.digits)
        } else {
            x.value.cmp(&y.value)
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

impl Ord for Apk {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_components(&self.components, &other.components)
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| {
                cmp_padded(
                    &self.suffixes,
                    &other.suffixes,
                    &(NO_SUFFIX, Num::default()),
                )
            })
            .then_with(|| self.revision.cmp(&other.revision))
            .then_with(|| self.tail.cmp(&other.tail))
    }
}

eq_from_ord!(Apk);

const SUFFIXES: [(&str, u8); 9] = [
    ("alpha", 0),
    ("beta", 1),
    ("pre", 2),
    ("rc", 3),
    ("cvs", 5),
    ("svn", 6),
    ("git", 7),
    ("hg", 8),
    ("p", 9),
];

pub(super) fn parse(s: &str) -> (Apk, bool) {
    let mut rest = s.trim();

    // Numbers separated by dots. Empty numbers (`0..1`, `.2`) are kept, so that such malformed
    // versions still order by what they contain; a dot is only taken when a number or another
    // dot follows it (`10.2.22.r0` keeps `.r0` for the revision).
    let mut components = Vec::new();
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        loop {
            let (digits, tail) = split_while(rest, |b| b.is_ascii_digit());
            components.push(Component {
                digits: digits.into(),
                value: Num::new(digits),
            });
            rest = tail;
            match tail.strip_prefix('.') {
                Some(next) if next.starts_with(|c: char| c.is_ascii_digit() || c == '.') => {
                    rest = next;
                }
                _ => break,
            }
        }
    }
    let empty_component = components.iter().any(|c| c.digits.is_empty());

    let mut letter = None;
    if let Some(c) = rest.chars().next().filter(char::is_ascii_lowercase) {
        let (digits, tail) = split_while(&rest[1..], |b| b.is_ascii_digit());
        letter = Some((c, Num::new(digits)));
        rest = tail;
    }

    let mut suffixes = Vec::new();
    while let Some(after) = rest.strip_prefix('_') {
        let Some((name, weight)) = SUFFIXES.iter().find(|(name, _)| after.starts_with(name)) else {
            break;
        };
        let (digits, tail) = split_while(&after[name.len()..], |b| b.is_ascii_digit());
        suffixes.push((*weight, Num::new(digits)));
        rest = tail;
    }

    if let Some(after) = rest.strip_prefix('~') {
        let (hash, tail) = split_while(after, |b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if !hash.is_empty() {
            rest = tail;
        }
    }

    let mut revision = Num::default();
    if let Some(after) = rest.strip_prefix("-r") {
        let (digits, tail) = split_while(after, |b| b.is_ascii_digit());
        revision = Num::new(digits);
        rest = tail;
    } else if let Some(after) = rest.strip_prefix(".r") {
        let (digits, tail) = split_while(after, |b| b.is_ascii_digit());
        if !digits.is_empty() {
            revision = Num::new(digits);
            rest = tail;
        }
    }

    let valid = !components.is_empty() && !empty_component && rest.is_empty();
    let tail = if rest.is_empty() {
        Tail::Clean
    } else {
        Tail::Junk
    };
    (
        Apk {
            components,
            letter,
            suffixes,
            revision,
            tail,
        },
        valid,
    )
}

//! RubyGems ordering (`Gem::Version#<=>`).
//!
//! No Rust crate implements `Gem::Version`, so it is written here, following RubyGems: the
//! string is stripped, each `-` becomes `.pre.`, and it is cut into runs of digits (numbers) and
//! runs of letters (strings, case kept); everything else only separates. The "canonical
//! segments" drop trailing zeros from the numeric part before the first string and from the part
//! after it. Segments compare pairwise, the shorter side padded with `0`: numbers by value,
//! strings by bytes, and a string is lower than a number (so `1.0.a` < `1.0`). A string that
//! does not match RubyGems' version pattern is reported invalid and ordered the same way.

use std::cmp::Ordering;

use super::{eq_from_ord, Num};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Num(Num),
    Text(Box<str>),
}

/// A parsed gem version (its canonical segments).
#[derive(Debug, Clone)]
pub(super) struct Gem {
    segments: Vec<Segment>,
}

impl Ord for Gem {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Num(Num::default());
        let len = self.segments.len().max(other.segments.len());
        for i in 0..len {
            let a = self.segments.get(i).unwrap_or(&zero);
            let b = other.segments.get(i).unwrap_or(&zero);
            let ord = match (a, b) {
                (Segment::Num(x), Segment::Num(y)) => x.cmp(y),
                (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
                (Segment::Text(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Text(_)) => Ordering::Greater,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

eq_from_ord!(Gem);

/// RubyGems' `ANCHORED_VERSION_PATTERN`:
/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`, or nothing at all.
fn is_valid(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let (main, pre) = match s.split_once('-') {
        Some((main, pre)) => (main, Some(pre)),
        None => (s, None),
    };
    let mut parts = main.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let main_ok =
        first_ok && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|pre| {
        pre.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    main_ok && pre_ok
}

pub(super) fn parse(s: &str) -> (Gem, bool) {
    let trimmed = s.trim();
    let valid = is_valid(trimmed);
    let version = if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.replace('-', ".pre.")
    };

    let mut raw = Vec::new();
    let bytes = version.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or_default();
        let class = |b: u8| {
            if b.is_ascii_digit() {
                1
            } else if b.is_ascii_alphabetic() {
                2
            } else {
                0
            }
        };
        let kind = class(b);
        if kind == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(|&c| class(c) == kind) {
            i += 1;
        }
        let run = version.get(start..i).unwrap_or_default();
        raw.push(if kind == 1 {
            Segment::Num(Num::new(run))
        } else {
            Segment::Text(run.into())
        });
    }

    // Canonical segments: trailing zeros go from the numbers before the first string, and from
    // the rest.
    let split = raw
        .iter()
        .position(|s| matches!(s, Segment::Text(_)))
        .unwrap_or(raw.len());
    let mut tail = raw.split_off(split);
    let is_zero = |s: &Segment| matches!(s, Segment::Num(n) if n.is_zero());
    while raw.last().is_some_and(is_zero) {
        raw.pop();
    }
    while tail.last().is_some_and(is_zero) {
        tail.pop();
    }
    raw.append(&mut tail);
    (Gem { segments: raw }, valid)
}

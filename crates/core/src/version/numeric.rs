//! Versions that are plain lists of integers: CRAN (R's `package_version`, parts separated by
//! `.` or `-`) and Hackage (Haskell's PVP, parts separated by `.`).
//!
//! Written here: a list of numbers compared lexicographically needs no crate.
//!
//! The lists compare element by element; when one is a prefix of the other, the longer one is
//! newer (R and Haskell both give `1.8 < 1.8.0`). Parts that are not numbers are skipped (for
//! Hackage, everything from the first `-`, the deprecated tags, is ignored) and the version is
//! reported invalid.

use super::{Num, Scheme};

/// A parsed list of integers; the derived order is lexicographic with shorter prefixes first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Numeric {
    parts: Vec<Num>,
}

pub(super) fn parse(scheme: Scheme, s: &str) -> (Numeric, bool) {
    let s = s.trim();
    let (body, mut valid) = match scheme {
        Scheme::Hackage => match s.split_once('-') {
            Some((body, _tags)) => (body, false),
            None => (s, true),
        },
        _ => (s, true),
    };
    let mut parts = Vec::new();
    for part in body.split(|c| c == '.' || (scheme == Scheme::Cran && c == '-')) {
        match Num::parse(part) {
            Some(n) => parts.push(n),
            None => valid = false,
        }
    }
    valid &= !parts.is_empty();
    (Numeric { parts }, valid)
}

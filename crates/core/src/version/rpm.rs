//! RPM ordering (`rpmvercmp` on epoch, version and release), for Red Hat, AlmaLinux, Rocky
//! Linux, SUSE and the other RPM-based distributions.
//!
//! Written here: `rpmvercmp` is short, and no small, maintained crate implements it with the
//! `^` (caret) rule.
//!
//! `[epoch:]version[-release]`: the epoch is the digits before the first `:` (`0` when missing;
//! a `:` after anything else is part of the version), the release follows the last `-`. Each
//! part is compared with `rpmvercmp`: characters other than ASCII letters, digits, `~` and `^`
//! only separate; `~` sorts before everything, even the end of the string; `^` sorts after
//! the end of the string but before anything else; digit runs compare by value and beat letter
//! runs; letter runs compare as bytes. A version without a release is older than the same
//! version with one. Every non-empty string is valid.

use std::cmp::Ordering;

use super::{eq_from_ord, Num};

/// A parsed RPM version.
#[derive(Debug, Clone)]
pub(super) struct Rpm {
    epoch: Num,
    version: Box<str>,
    release: Option<Box<str>>,
}

impl Ord for Rpm {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

eq_from_ord!(Rpm);

fn is_separator(b: u8) -> bool {
    !b.is_ascii_alphanumeric() && b != b'~' && b != b'^'
}

pub(super) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut one, mut two) = (a.as_bytes(), b.as_bytes());
    loop {
        while one.first().copied().is_some_and(is_separator) {
            one = one.get(1..).unwrap_or_default();
        }
        while two.first().copied().is_some_and(is_separator) {
            two = two.get(1..).unwrap_or_default();
        }
        let (c1, c2) = (one.first().copied(), two.first().copied());

        if c1 == Some(b'~') || c2 == Some(b'~') {
            if c1 != Some(b'~') {
                return Ordering::Greater;
            }
            if c2 != Some(b'~') {
                return Ordering::Less;
            }
            one = one.get(1..).unwrap_or_default();
            two = two.get(1..).unwrap_or_default();
            continue;
        }

        if c1 == Some(b'^') || c2 == Some(b'^') {
            if c1.is_none() {
                return Ordering::Less;
            }
            if c2.is_none() {
                return Ordering::Greater;
            }
            if c1 != Some(b'^') {
                return Ordering::Greater;
            }
            if c2 != Some(b'^') {
                return Ordering::Less;
            }
            one = one.get(1..).unwrap_or_default();
            two = two.get(1..).unwrap_or_default();
            continue;
        }

        let (Some(first), Some(_)) = (c1, c2) else {
            break;
        };

        let numeric = first.is_ascii_digit();
        let run = |s: &[u8]| {
            s.iter()
                .take_while(|c| {
                    if numeric {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphabetic()
                    }
                })
                .count()
        };
        let (len1, len2) = (run(one), run(two));
        if len2 == 0 {
            // Different kinds of segment: a number is newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (seg1, rest1) = one.split_at(len1);
        let (seg2, rest2) = two.split_at(len2);
        let ord = if numeric {
            let num = |d: &[u8]| Num::new(std::str::from_utf8(d).unwrap_or_default());
            num(seg1).cmp(&num(seg2))
        } else {
            seg1.cmp(seg2)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        one = rest1;
        two = rest2;
    }
    // Equal up to the end of one side: whichever has something left is newer.
    match (one.is_empty(), two.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => Ordering::Equal,
    }
}

pub(super) fn parse(s: &str) -> (Rpm, bool) {
    let s = s.trim();
    let (epoch, rest) = match s.split_once(':') {
        Some((e, rest)) if Num::parse(e).is_some() => (Num::new(e), rest),
        _ => (Num::default(), s),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((v, r)) => (v, Some(r.into())),
        None => (rest, None),
    };
    (
        Rpm {
            epoch,
            version: version.into(),
            release,
        },
        !s.is_empty(),
    )
}

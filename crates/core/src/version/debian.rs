//! Debian ordering (`dpkg --compare-versions`), also used for Ubuntu and opam.
//!
//! Written here: the dpkg algorithm is short, and the crates that wrap it either pull in much
//! more than a comparison or read epochs into fixed-size integers.
//!
//! `[epoch:]upstream[-revision]`: the epoch is the digits before the first `:`, the revision
//! follows the last `-`. Epochs compare as numbers; upstream and revision with dpkg's
//! `verrevcmp`: alternating non-digit runs (compared character by character, `~` lowest, then
//! the end of the string, then letters, then everything else) and digit runs (compared by
//! value). A missing revision equals `0`. A string dpkg would reject (empty, bad epoch, empty
//! upstream or revision, characters outside the allowed set) is reported invalid and read the
//! same way, with an epoch that is not a number read as part of the upstream version.

use std::cmp::Ordering;

use super::{eq_from_ord, split_while, Num};

/// A parsed Debian version.
#[derive(Debug, Clone)]
pub(super) struct Dpkg {
    epoch: Num,
    upstream: Box<str>,
    revision: Box<str>,
}

impl Ord for Dpkg {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

eq_from_ord!(Dpkg);

/// dpkg's character order in non-digit runs; `0` is the end of the string (and digits, which
/// end a run).
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

pub(super) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    let is_digit = |s: &[u8]| s.first().is_some_and(u8::is_ascii_digit);
    while !a.is_empty() || !b.is_empty() {
        while (!a.is_empty() && !is_digit(a)) || (!b.is_empty() && !is_digit(b)) {
            let (ac, bc) = (order(a.first().copied()), order(b.first().copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            a = a.get(1..).unwrap_or_default();
            b = b.get(1..).unwrap_or_default();
        }
        let a_len = a.iter().take_while(|c| c.is_ascii_digit()).count();
        let b_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let (a_num, a_rest) = a.split_at(a_len);
        let (b_num, b_rest) = b.split_at(b_len);
        let num = |d: &[u8]| Num::new(std::str::from_utf8(d).unwrap_or_default());
        match num(a_num).cmp(&num(b_num)) {
            Ordering::Equal => {}
            other => return other,
        }
        a = a_rest;
        b = b_rest;
    }
    Ordering::Equal
}

pub(super) fn parse(s: &str) -> (Dpkg, bool) {
    let s = s.trim();
    let mut valid = !s.is_empty() && !s.contains(char::is_whitespace);

    let (epoch, rest) = match s.split_once(':') {
        Some((e, rest)) if Num::parse(e).is_some() => (Num::new(e), rest),
        Some(_) => {
            valid = false;
            (Num::default(), s)
        }
        None => (Num::default(), s),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => {
            valid &= !r.is_empty()
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+.~".contains(&b));
            (u, r)
        }
        None => (rest, ""),
    };
    let (lead, _) = split_while(upstream, |b| b.is_ascii_digit());
    valid &= !lead.is_empty()
        && upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+.~-:".contains(&b));

    (
        Dpkg {
            epoch,
            upstream: upstream.into(),
            revision: revision.into(),
        },
        valid,
    )
}

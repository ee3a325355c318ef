//! SemVer 2.0 ordering, read leniently, and its relatives: Go, NuGet and Dart's pub.
//!
//! Written here rather than with the `semver` crate: that crate is strict (no leading `v`, no
//! missing minor/patch, numbers limited to `u64`, no four-part NuGet versions), and the OSV data
//! needs all of those, so it would only have covered the easy half.
//!
//! Reading: surrounding whitespace and one leading `v`/`V` are dropped; up to three numeric
//! components (four for NuGet) are read, missing ones count as zero; `-` starts the pre-release
//! and `+` the build metadata. Anything else after the numbers (`1.2.3a`, the `.4.5` of
//! `1.2.3.4.5`) is read as a pre-release, so it sorts below the bare release, and the version is
//! reported invalid. Build metadata is ignored, except by pub, where a version with build
//! metadata sorts above the same version without and builds compare like pre-releases.

use std::cmp::Ordering;

use super::{cmp_padded, eq_from_ord, split_while, Num, Scheme};

/// A pre-release or build identifier. The derived order is SemVer's: numeric identifiers
/// compare by value and sort below alphanumeric ones, which compare by ASCII.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    Num(Num),
    Text(Box<str>),
}

impl Ident {
    fn new(s: &str) -> Ident {
        match Num::parse(s) {
            Some(n) => Ident::Num(n),
            None => Ident::Text(s.into()),
        }
    }
}

/// A parsed SemVer-like version.
#[derive(Debug, Clone)]
pub(super) struct SemVer {
    release: Vec<Num>,
    /// Empty for a release.
    pre: Vec<Ident>,
    /// Only kept for pub, where it takes part in the order.
    build: Option<Vec<Ident>>,
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_padded(&self.release, &other.release, &Num::default())
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
            .then_with(|| self.build.cmp(&other.build))
    }
}

eq_from_ord!(SemVer);

fn ident_chars_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Parses `s` under `scheme` (one of SemVer, Go, NuGet, Pub); the flag says whether it was valid.
pub(super) fn parse(scheme: Scheme, s: &str) -> (SemVer, bool) {
    let max_parts = if scheme == Scheme::NuGet { 4 } else { 3 };
    let mut rest = s.trim();
    rest = rest
        .strip_prefix('v')
        .or_else(|| rest.strip_prefix('V'))
        .unwrap_or(rest);

    let mut release = Vec::new();
    loop {
        let (digits, tail) = split_while(rest, |b| b.is_ascii_digit());
        if digits.is_empty() {
            break;
        }
        release.push(Num::new(digits));
        rest = tail;
        if release.len() == max_parts {
            break;
        }
        match tail.strip_prefix('.') {
            Some(next) if next.starts_with(|c: char| c.is_ascii_digit()) => rest = next,
            _ => break,
        }
    }
    let mut valid = !release.is_empty();

    let (pre_part, build_part) = match rest.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (rest, None),
    };
    let pre_text = if let Some(p) = pre_part.strip_prefix('-') {
        valid &= !p.is_empty();
        p
    } else if let Some(p) = pre_part.strip_prefix('.') {
        valid = false;
        p
    } else {
        valid &= pre_part.is_empty();
        pre_part
    };

    let pre: Vec<Ident> = if pre_text.is_empty() {
        Vec::new()
    } else {
        pre_text
            .split('.')
            .map(|id| {
                valid &= ident_chars_ok(id);
                if scheme == Scheme::NuGet {
                    Ident::new(&id.to_ascii_lowercase())
                } else {
                    Ident::new(id)
                }
            })
            .collect()
    };

    if let Some(b) = build_part {
        valid &= b.split('.').all(ident_chars_ok);
    }
    let build = match (scheme, build_part) {
        (Scheme::Pub, Some(b)) => Some(b.split('.').map(Ident::new).collect()),
        _ => None,
    };

    (
        SemVer {
            release,
            pre,
            build,
        },
        valid,
    )
}

//! PEP 440 ordering (Python's `packaging.version`), with the pre-PEP 440 "legacy" versions.
//!
//! Written here rather than with `pep440_rs`: that crate rejects the legacy versions that still
//! appear in advisories (`0.9-doduo`), and numbers that do not fit `u64`, and both must order.
//!
//! A string that matches the PEP 440 grammar (case-insensitive; `-`, `_` and `.` separators;
//! `alpha`/`beta`/`c`/`pre`/`preview`/`rev`/`r` spellings; implicit post releases `1.0-1`;
//! epochs; local versions) orders by the PEP 440 key. Any other string is a legacy version:
//! it orders below every valid version, and legacy versions order among themselves by the key
//! `packaging` < 22 gave them (`LegacyVersion`). Legacy versions are reported invalid.

use super::{split_while, Num};

/// A parsed PEP 440 version; legacy versions sort first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Pep440 {
    Legacy(Vec<Box<str>>),
    Valid(Key),
}

/// The comparison key of a valid version; the derived order is PEP 440's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Key {
    epoch: Num,
    /// Trailing zeros removed, so that `1.0 == 1`.
    release: Vec<Num>,
    pre: Pre,
    post: Option<Num>,
    dev: Dev,
    local: Option<Vec<Local>>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Pre {
    /// A dev release of a final release (`1.0.dev0`) sorts before its pre-releases.
    DevOfFinal,
    /// Phase (0 = a, 1 = b, 2 = rc) and number.
    Phase(u8, Num),
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Dev {
    Dev(Num),
    None,
}

/// A local version segment: text sorts below numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Local {
    Text(Box<str>),
    Num(Num),
}

pub(super) fn parse(s: &str) -> (Pep440, bool) {
    let lower = s.trim().to_ascii_lowercase();
    match parse_valid(&lower) {
        Some(key) => (Pep440::Valid(key), true),
        None => (Pep440::Legacy(legacy_key(&s.to_lowercase())), false),
    }
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'.')
}

/// Skips an optional separator and then `label` (the first of `labels` that matches); returns
/// the label's index and the rest.
fn label<'a>(s: &'a str, labels: &[&str]) -> Option<(usize, &'a str)> {
    let body = match s.as_bytes().first() {
        Some(&b) if is_sep(b) => s.get(1..)?,
        _ => s,
    };
    labels
        .iter()
        .enumerate()
        .find_map(|(i, l)| body.strip_prefix(l).map(|rest| (i, rest)))
}

/// After a label: an optional separator and an optional number. A separator that is not
/// followed by a number is still consumed, as the PEP 440 regular expression does.
fn label_number(s: &str) -> (Num, &str) {
    let s = match s.as_bytes().first() {
        Some(&b) if is_sep(b) => s.get(1..).unwrap_or_default(),
        _ => s,
    };
    let (digits, rest) = split_while(s, |b| b.is_ascii_digit());
    (Num::new(digits), rest)
}

fn parse_valid(s: &str) -> Option<Key> {
    let mut rest = s.strip_prefix('v').unwrap_or(s);

    let mut epoch = Num::default();
    let (digits, tail) = split_while(rest, |b| b.is_ascii_digit());
    if let Some(after) = tail.strip_prefix('!') {
        if digits.is_empty() {
            return None;
        }
        epoch = Num::new(digits);
        rest = after;
    }

    let mut release = Vec::new();
    loop {
        let (digits, tail) = split_while(rest, |b| b.is_ascii_digit());
        if digits.is_empty() {
            if release.is_empty() {
                return None;
            }
            break;
        }
        release.push(Num::new(digits));
        rest = tail;
        match tail.strip_prefix('.') {
            Some(next) if next.starts_with(|c: char| c.is_ascii_digit()) => rest = next,
            _ => break,
        }
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }

    let mut pre = None;
    const PRE: [&str; 8] = ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"];
    if let Some((i, tail)) = label(rest, &PRE) {
        let phase = match i {
            0 | 1 => 0,
            2 | 3 => 1,
            _ => 2,
        };
        let (n, tail) = label_number(tail);
        pre = Some((phase, n));
        rest = tail;
    }

    let mut post = None;
    let implicit = rest
        .strip_prefix('-')
        .map(|t| split_while(t, |b| b.is_ascii_digit()))
        .filter(|(digits, _)| !digits.is_empty());
    if let Some((digits, tail)) = implicit {
        post = Some(Num::new(digits));
        rest = tail;
    } else if let Some((_, tail)) = label(rest, &["post", "rev", "r"]) {
        let (n, tail) = label_number(tail);
        post = Some(n);
        rest = tail;
    }

    let mut dev = None;
    if let Some((_, tail)) = label(rest, &["dev"]) {
        let (n, tail) = label_number(tail);
        dev = Some(n);
        rest = tail;
    }

    let mut local = None;
    if let Some(l) = rest.strip_prefix('+') {
        let mut parts = Vec::new();
        for part in l.split(['-', '_', '.']) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            parts.push(match Num::parse(part) {
                Some(n) => Local::Num(n),
                None => Local::Text(part.into()),
            });
        }
        local = Some(parts);
        rest = "";
    }
    if !rest.is_empty() {
        return None;
    }

    let pre = match (pre, &post, &dev) {
        (Some((phase, n)), _, _) => Pre::Phase(phase, n),
        (None, None, Some(_)) => Pre::DevOfFinal,
        (None, _, _) => Pre::None,
    };
    Some(Key {
        epoch,
        release,
        pre,
        post,
        dev: dev.map_or(Dev::None, Dev::Dev),
        local,
    })
}

/// The `LegacyVersion` key of `packaging` < 22: the string is cut into runs of digits, runs of
/// letters, `.` and `-` (text between them is kept); numbers are zero-padded to eight places,
/// words are marked with `*`, a few words are renamed, and trailing zeros and `-` before a
/// pre-release word are dropped. Keys compare as tuples of strings.
fn legacy_key(s: &str) -> Vec<Box<str>> {
    let mut parts: Vec<Box<str>> = Vec::new();
    let mut pieces = legacy_pieces(s);
    pieces.push("final".to_owned());
    for piece in pieces {
        let piece = match piece.as_str() {
            "pre" | "preview" | "rc" => "c".to_owned(),
            "-" => "final-".to_owned(),
            "dev" => "@".to_owned(),
            _ => piece,
        };
        if piece.is_empty() || piece == "." {
            continue;
        }
        let part: Box<str> = if piece.starts_with(|c: char| c.is_ascii_digit()) {
            format!("{piece:0>8}").into()
        } else {
            format!("*{piece}").into()
        };
        if part.starts_with('*') {
            if &*part < "*final" {
                while parts.last().is_some_and(|p| &**p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| &**p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    parts
}

/// Splits like Python's `re.split(r"(\d+|[a-z]+|\.|-)", s)`: the matches and the text between.
fn legacy_pieces(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut between = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let class = |c: char| {
            if c.is_ascii_digit() {
                1
            } else if c.is_ascii_lowercase() {
                2
            } else {
                0
            }
        };
        match c {
            '.' | '-' => {
                out.push(std::mem::take(&mut between));
                out.push(c.to_string());
            }
            _ if class(c) != 0 => {
                let kind = class(c);
                let mut end = start + c.len_utf8();
                while let Some(&(i, d)) = chars.peek() {
                    if class(d) != kind {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                out.push(std::mem::take(&mut between));
                out.push(s.get(start..end).unwrap_or_default().to_owned());
            }
            _ => between.push(c),
        }
    }
    out.push(between);
    out
}

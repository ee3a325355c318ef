//! SPDX license expressions: normalising what package metadata declares, and classifying an
//! expression into a policy [`Tier`].
//!
//! Parsing is the `spdx` crate's. Its lax mode maps a few imprecise names by prefix (so `mitre`
//! would read as `MIT`, and `gnu gpl v2` as `GPL-3.0-only`), so trusca does not use that part and
//! maps free-form names with its own table here first.

use std::collections::BTreeMap;

use spdx::expression::{ExprNode, Operator};
use spdx::{Expression, LicenseItem, LicenseReq, ParseMode};

use crate::model::Tier;

/// A declared license normalised to an SPDX expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The SPDX expression (`LicenseRef-…` for what could not be mapped).
    pub expression: String,
    /// The text as written, kept when part of it could not be mapped to an SPDX id.
    pub raw: Option<String>,
}

impl Normalized {
    /// Whether the expression names only SPDX-list licenses (no `LicenseRef-`).
    pub fn is_spdx(&self) -> bool {
        self.raw.is_none()
    }
}

/// How trusca parses expressions: `/` as `OR`, `GPL-2.0+`, deprecated ids; no imprecise names.
const MODE: ParseMode = ParseMode {
    allow_slash_as_or_operator: true,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: false,
};

/// Normalises a declared license (an SPDX expression, a free-form name such as `Apache 2` or
/// `GPLv3+`, or a Python trove classifier) to a canonical SPDX expression. Returns `None` for an
/// empty string. What cannot be mapped becomes `LicenseRef-<sanitised>` with the raw text kept.
pub fn normalize(raw: &str) -> Option<Normalized> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(expr) = parse_canonical(text) {
        return Some(Normalized {
            expression: expr,
            raw: None,
        });
    }
    if let Some(expr) = map_free_form(text).and_then(|e| parse_canonical(&e)) {
        return Some(Normalized {
            expression: expr,
            raw: None,
        });
    }
    // `MIT or Apache 2`, `BSD/GPL`: map each side of a plain-word operator.
    if let Some(expr) = map_compound(text).and_then(|e| parse_canonical(&e)) {
        return Some(Normalized {
            expression: expr,
            raw: None,
        });
    }
    Some(Normalized {
        expression: license_ref(text),
        raw: Some(text.to_owned()),
    })
}

/// Combines several declared licenses (a legacy `licenses` array, several trove classifiers) that
/// each allow use of the package: `A OR B`.
pub fn normalize_any_of<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<Normalized> {
    let mut parts: Vec<Normalized> = Vec::new();
    for n in items.into_iter().filter_map(normalize) {
        if !parts.iter().any(|p| p.expression == n.expression) {
            parts.push(n);
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => {
            let raw: Vec<&str> = parts.iter().filter_map(|p| p.raw.as_deref()).collect();
            let joined = parts
                .iter()
                .map(|p| {
                    if p.expression.contains(' ') {
                        format!("({})", p.expression)
                    } else {
                        p.expression.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR ");
            let expression = parse_canonical(&joined).unwrap_or(joined);
            Some(Normalized {
                expression,
                raw: (!raw.is_empty()).then(|| raw.join("; ")),
            })
        }
    }
}

/// `LicenseRef-` plus the text reduced to the characters SPDX allows (`[A-Za-z0-9.-]`).
pub fn license_ref(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
        if id.len() >= 64 {
            break;
        }
    }
    let id = id.trim_matches(|c| c == '-' || c == '.');
    if id.is_empty() {
        "LicenseRef-unknown".to_owned()
    } else {
        format!("LicenseRef-{id}")
    }
}

/// Parses an expression and renders it canonically: GNU ids as `-only`/`-or-later`, other
/// `or later` as `+`, `AND` inside `OR` without redundant parentheses.
pub fn parse_canonical(text: &str) -> Option<String> {
    let expr = Expression::parse_mode(text, MODE).ok()?;
    // (rendered, precedence): 2 atom, 1 AND, 0 OR.
    let mut stack: Vec<(String, u8)> = Vec::new();
    for node in expr.iter() {
        match node {
            ExprNode::Req(r) => stack.push((render_req(&r.req), 2)),
            ExprNode::Op(op) => {
                let (right, rp) = stack.pop()?;
                let (left, lp) = stack.pop()?;
                let (word, prec) = match op {
                    Operator::And => ("AND", 1),
                    Operator::Or => ("OR", 0),
                };
                let wrap = |s: String, p: u8| if p < prec { format!("({s})") } else { s };
                stack.push((
                    format!("{} {word} {}", wrap(left, lp), wrap(right, rp)),
                    prec,
                ));
            }
        }
    }
    let (out, _) = stack.pop()?;
    stack.is_empty().then_some(out)
}

/// Deprecated GNU ids that fold an exception into the id.
const GNU_WITH: &[(&str, &str)] = &[
    ("-with-autoconf-exception", "Autoconf-exception-2.0"),
    ("-with-bison-exception", "Bison-exception-2.2"),
    ("-with-classpath-exception", "Classpath-exception-2.0"),
    ("-with-font-exception", "Font-exception-2.0"),
    ("-with-GCC-exception", "GCC-exception-2.0"),
];

fn render_req(req: &LicenseReq) -> String {
    let mut out = match &req.license {
        LicenseItem::Spdx { id, or_later } => render_id(id.name, *or_later, id.is_gnu()),
        LicenseItem::Other(r) => r.to_string(),
    };
    if let Some(add) = &req.addition {
        if out.contains(" WITH ") {
            // A folded exception and an explicit one: keep the explicit one only.
            out.truncate(out.find(" WITH ").unwrap_or(out.len()));
        }
        out.push_str(" WITH ");
        out.push_str(&add.to_string());
    }
    out
}

fn render_id(name: &str, or_later: bool, gnu: bool) -> String {
    if !gnu {
        return if or_later {
            format!("{name}+")
        } else {
            name.to_owned()
        };
    }
    let mut base = name;
    let mut exception = None;
    for (suffix, exc) in GNU_WITH {
        if let Some(b) = base.strip_suffix(suffix) {
            base = b;
            exception = Some(*exc);
        }
    }
    let mut later = or_later;
    if let Some(b) = base.strip_suffix('+') {
        base = b;
        later = true;
    }
    if let Some(b) = base.strip_suffix("-or-later") {
        base = b;
        later = true;
    } else if let Some(b) = base.strip_suffix("-only") {
        base = b;
    }
    let candidate = format!("{base}-{}", if later { "or-later" } else { "only" });
    let id = if spdx::license_id(&candidate).is_some() {
        candidate
    } else if later {
        format!("{name}+")
    } else {
        name.to_owned()
    };
    match exception {
        Some(exc) => format!("{id} WITH {exc}"),
        None => id,
    }
}

/// The license a well-known license URL names (`https://www.apache.org/licenses/LICENSE-2.0`,
/// `https://opensource.org/licenses/MIT`), as package metadata gives one instead of a name; the
/// license service of a package registry (`https://licenses.<registry>/MIT OR Apache-2.0`,
/// which NuGet writes into every `.nuspec` with a license expression) when its path is a valid
/// SPDX expression. A URL to a project's own file says nothing and gives `None`.
pub fn from_url(url: &str) -> Option<Normalized> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path
        .trim_end_matches('/')
        .trim_end_matches(".html")
        .trim_end_matches(".htm")
        .trim_end_matches(".txt")
        .trim_end_matches(".php");
    let last = path.rsplit('/').next().unwrap_or_default();
    if host.starts_with("licenses.") {
        let expression = percent_decode(path);
        return parse_canonical(&expression).and_then(|e| normalize(&e));
    }
    let id: Option<&str> = match host {
        "spdx.org" => path.strip_prefix("licenses/"),
        "opensource.org" => match path.strip_prefix("licenses/")? {
            "mit-license" | "MIT" | "mit" => Some("MIT"),
            "bsd-license" => Some("BSD-3-Clause"),
            other => Some(other.trim_end_matches("-license")),
        },
        "apache.org" => match path {
            "licenses/LICENSE-2.0" => Some("Apache-2.0"),
            "licenses/LICENSE-1.1" => Some("Apache-1.1"),
            _ => None,
        },
        "gnu.org" | "fsf.org" => match last {
            "gpl-2.0" | "old-licenses/gpl-2.0" => Some("GPL-2.0-only"),
            "gpl-3.0" | "gpl" => Some("GPL-3.0-only"),
            "lgpl-2.1" => Some("LGPL-2.1-only"),
            "lgpl-3.0" | "lgpl" => Some("LGPL-3.0-only"),
            "agpl-3.0" | "agpl" => Some("AGPL-3.0-only"),
            _ => None,
        },
        "eclipse.org" => match last {
            "epl-v10" | "epl-v1.0" => Some("EPL-1.0"),
            "epl-2.0" | "epl-v20" => Some("EPL-2.0"),
            "edl-v10" => Some("BSD-3-Clause"),
            _ => None,
        },
        "mozilla.org" => match path.trim_start_matches("en-US/") {
            "MPL/2.0" => Some("MPL-2.0"),
            "MPL/1.1" => Some("MPL-1.1"),
            _ => None,
        },
        "creativecommons.org" => match path {
            "publicdomain/zero/1.0" | "publicdomain/zero/1.0/legalcode" => Some("CC0-1.0"),
            _ => None,
        },
        "choosealicense.com" => path.strip_prefix("licenses/"),
        _ => None,
    };
    let id = id?;
    normalize(id).filter(Normalized::is_spdx)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => match std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Free-form names seen in package metadata, keyed by [`key`] form.
const NAMES: &[(&str, &str)] = &[
    ("mit", "MIT"),
    ("mit mit", "MIT"),
    ("expat", "MIT"),
    ("mit expat", "MIT"),
    ("mit x11", "MIT"),
    ("x11", "X11"),
    ("mit 0", "MIT-0"),
    ("mit no attribution", "MIT-0"),
    ("apache", "Apache-2.0"),
    ("apache 2", "Apache-2.0"),
    ("apache 2.0", "Apache-2.0"),
    ("apache2", "Apache-2.0"),
    ("apache2.0", "Apache-2.0"),
    ("asl", "Apache-2.0"),
    ("asl 2", "Apache-2.0"),
    ("asl 2.0", "Apache-2.0"),
    ("al 2.0", "Apache-2.0"),
    ("apache 1.1", "Apache-1.1"),
    ("apache 1.0", "Apache-1.0"),
    // Bare "BSD" is ambiguous; the three-clause ("new") form is by far the most common meaning.
    ("bsd", "BSD-3-Clause"),
    ("new bsd", "BSD-3-Clause"),
    ("bsd new", "BSD-3-Clause"),
    ("modified bsd", "BSD-3-Clause"),
    ("revised bsd", "BSD-3-Clause"),
    ("bsd 3", "BSD-3-Clause"),
    ("bsd3", "BSD-3-Clause"),
    ("bsd 3 clause", "BSD-3-Clause"),
    ("3 clause bsd", "BSD-3-Clause"),
    ("bsd 2", "BSD-2-Clause"),
    ("bsd2", "BSD-2-Clause"),
    ("bsd 2 clause", "BSD-2-Clause"),
    ("2 clause bsd", "BSD-2-Clause"),
    ("simplified bsd", "BSD-2-Clause"),
    ("freebsd", "BSD-2-Clause-FreeBSD"),
    ("bsd 4 clause", "BSD-4-Clause"),
    ("original bsd", "BSD-4-Clause"),
    ("0bsd", "0BSD"),
    ("zero clause bsd", "0BSD"),
    ("isc", "ISC"),
    ("isc isc", "ISC"),
    ("python foundation", "PSF-2.0"),
    ("python foundation psf", "PSF-2.0"),
    ("psf", "PSF-2.0"),
    ("psfl", "PSF-2.0"),
    ("psf 2", "PSF-2.0"),
    ("psf 2.0", "PSF-2.0"),
    ("python", "Python-2.0"),
    ("zlib", "Zlib"),
    ("zlib libpng", "Zlib"),
    ("unlicense", "Unlicense"),
    ("cc0", "CC0-1.0"),
    ("cc0 1.0", "CC0-1.0"),
    ("cc0 1.0 universal", "CC0-1.0"),
    ("creative commons zero", "CC0-1.0"),
    ("cc by 4.0", "CC-BY-4.0"),
    ("cc by 3.0", "CC-BY-3.0"),
    ("boost", "BSL-1.0"),
    ("boost 1.0", "BSL-1.0"),
    ("bsl 1.0", "BSL-1.0"),
    ("wtfpl", "WTFPL"),
    ("artistic", "Artistic-2.0"),
    ("artistic 2", "Artistic-2.0"),
    ("artistic 2.0", "Artistic-2.0"),
    ("perl artistic", "Artistic-1.0-Perl"),
    ("mpl", "MPL-2.0"),
    ("mpl 2", "MPL-2.0"),
    ("mpl 2.0", "MPL-2.0"),
    ("mozilla public 2.0", "MPL-2.0"),
    ("mozilla public 2.0 mpl 2.0", "MPL-2.0"),
    ("mpl 1.1", "MPL-1.1"),
    ("mozilla public 1.1", "MPL-1.1"),
    ("epl", "EPL-1.0"),
    ("epl 1.0", "EPL-1.0"),
    ("epl 2.0", "EPL-2.0"),
    ("eclipse public 1.0", "EPL-1.0"),
    ("eclipse public 2.0", "EPL-2.0"),
    ("cddl", "CDDL-1.0"),
    ("cddl 1.0", "CDDL-1.0"),
    ("cddl 1.1", "CDDL-1.1"),
    ("common development and distribution 1.0", "CDDL-1.0"),
    ("eupl 1.1", "EUPL-1.1"),
    ("eupl 1.2", "EUPL-1.2"),
    ("european union public 1.2", "EUPL-1.2"),
    ("sspl", "SSPL-1.0"),
    ("server side public", "SSPL-1.0"),
    ("busl", "BUSL-1.1"),
    ("business source", "BUSL-1.1"),
    ("bsl 1.1", "BUSL-1.1"),
    ("ruby", "Ruby"),
    ("postgresql", "PostgreSQL"),
    ("ncsa", "NCSA"),
    ("university of illinois ncsa open source", "NCSA"),
    ("zope public 2.1", "ZPL-2.1"),
    ("zpl 2.1", "ZPL-2.1"),
    ("upl", "UPL-1.0"),
    ("universal permissive 1.0", "UPL-1.0"),
    ("ofl", "OFL-1.1"),
    ("sil open font 1.1", "OFL-1.1"),
    ("w3c", "W3C"),
    ("hpnd", "HPND"),
    ("historical permission notice and disclaimer", "HPND"),
    ("afl 3.0", "AFL-3.0"),
    ("academic free 3.0", "AFL-3.0"),
    ("unicode dfs 2016", "Unicode-DFS-2016"),
    ("blue oak model 1.0.0", "BlueOak-1.0.0"),
];

/// Filler words dropped from free-form names before lookup.
const FILLER: &[&str] = &[
    "the", "license", "licence", "licensed", "version", "ver", "v", "software", "style", "osi",
    "approved", "clear",
];

/// The lookup form of a free-form name: lowercase words and version numbers, filler dropped,
/// `v2` read as `2`.
fn key(text: &str) -> String {
    let lower = text.to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '+' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut words = Vec::new();
    for w in spaced.split_whitespace() {
        let w = w.trim_matches('.');
        let w = match w.strip_prefix('v') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => w,
        };
        if w.is_empty() || FILLER.contains(&w) {
            continue;
        }
        words.push(w);
    }
    words.join(" ")
}

/// Maps one free-form name (or a trove classifier) to an SPDX expression.
fn map_free_form(text: &str) -> Option<String> {
    // `License :: OSI Approved :: MIT License` → `MIT License`.
    let text = match text.rsplit_once("::") {
        Some((head, last)) if head.trim_start().starts_with("License") => last.trim(),
        _ => text,
    };
    if text.eq_ignore_ascii_case("UNLICENSED") {
        // npm's word for "not licensed for use by others", unlike the Unlicense.
        return None;
    }
    let mut tries = vec![text.to_owned()];
    // `The MIT License (MIT)`, `GNU General Public License v2 or later (GPLv2+)`.
    if let (Some(open), Some(close)) = (text.find('('), text.rfind(')')) {
        if open < close {
            let outside = format!("{}{}", &text[..open], &text[close + 1..]);
            tries.push(outside);
            tries.push(text[open + 1..close].to_owned());
        }
    }
    for t in &tries {
        let k = key(t);
        if k.is_empty() {
            continue;
        }
        if let Some((_, id)) = NAMES.iter().find(|(name, _)| *name == k) {
            return Some((*id).to_owned());
        }
        if let Some(id) = gnu_name(&k) {
            return Some(id);
        }
        if let Some(id) = spdx_id_ignoring_case(t.trim()) {
            return Some(id);
        }
    }
    None
}

/// An SPDX id written in the wrong case (`mit`, `apache-2.0`).
fn spdx_id_ignoring_case(text: &str) -> Option<String> {
    let (name, plus) = match text.strip_suffix('+') {
        Some(n) => (n, "+"),
        None => (text, ""),
    };
    if name.contains(' ') || name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    // The list is short enough (about 700 ids) to scan for the rare miscased id.
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.to_ascii_lowercase() == lower)
        .map(|l| format!("{}{plus}", l.name))
}

/// GNU names in their many spellings: `GPLv3+`, `GNU General Public License v2 or later`,
/// `LGPL-2.1`, `GNU Lesser General Public License version 3`, `AGPL 3`.
fn gnu_name(k: &str) -> Option<String> {
    let k = k
        .replace("gnu ", "")
        .replace("affero general public", "agpl")
        .replace("lesser general public", "lgpl")
        .replace("library general public", "lgpl")
        .replace("general public", "gpl");
    let mut words: Vec<&str> = k.split_whitespace().collect();
    let family_word = *words.first()?;
    let (family, rest) = ["agpl", "lgpl", "gpl"]
        .into_iter()
        .find_map(|f| family_word.strip_prefix(f).map(|r| (f, r)))?;
    words.remove(0);
    let mut version: Option<String> = None;
    let mut later = false;
    let mut tokens: Vec<&str> = Vec::new();
    if !rest.is_empty() {
        tokens.push(rest);
    }
    tokens.extend(words.iter().copied());
    for t in tokens {
        let (num, plus) = match t.strip_suffix('+') {
            Some(n) => (n, true),
            None => (t, false),
        };
        later |= plus;
        let num = num.trim_start_matches(['-', 'v']);
        if num.is_empty() {
            continue;
        }
        if num.chars().all(|c| c.is_ascii_digit() || c == '.') {
            let v = if num.contains('.') {
                num.to_owned()
            } else {
                format!("{num}.0")
            };
            match &version {
                // Two versions (`GPL-2 or GPL-3`): a compound, not one name.
                Some(first) if *first != v => return None,
                _ => version = Some(v),
            }
        } else if matches!(num, "or" | "any" | "later" | "newer" | "greater" | "above") {
            later |= matches!(num, "later" | "newer" | "greater" | "above");
        } else if num != "only" {
            return None;
        }
    }
    let family = family.to_ascii_uppercase();
    let (version, later) = match version {
        Some(v) => (v, later),
        // No version: the GPL family says any version ever published may be chosen.
        None => match family.as_str() {
            "GPL" => ("1.0".to_owned(), true),
            "LGPL" => ("2.0".to_owned(), true),
            _ => ("3.0".to_owned(), later),
        },
    };
    let id = format!(
        "{family}-{version}-{}",
        if later { "or-later" } else { "only" }
    );
    spdx::license_id(&id).map(|_| id)
}

/// `MIT or Apache 2`, `BSD/GPLv2`, `MIT and Zlib`: plain-word operators between free-form names.
fn map_compound(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for (sep, op) in [(" or ", "OR"), (" and ", "AND"), ("/", "OR"), (" | ", "OR")] {
        if !lower.contains(sep) {
            continue;
        }
        let mut parts = Vec::new();
        let mut start = 0;
        for (at, _) in lower.match_indices(sep) {
            parts.push(&text[start..at]);
            start = at + sep.len();
        }
        parts.push(&text[start..]);
        let mapped: Option<Vec<String>> = parts
            .iter()
            .map(|p| {
                let p = p.trim();
                parse_canonical(p).or_else(|| map_free_form(p).and_then(|e| parse_canonical(&e)))
            })
            .collect();
        if let Some(mapped) = mapped {
            return Some(
                mapped
                    .iter()
                    .map(|m| {
                        if m.contains(' ') {
                            format!("({m})")
                        } else {
                            m.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(&format!(" {op} ")),
            );
        }
    }
    None
}

/// The policy tier of an SPDX expression: `OR` takes the best tier of its sides, `AND` the worst;
/// `WITH` an SPDX exception makes a forbidden license conditional; `-or-later` and `+` variants
/// are classified like their base. `overrides` maps a license id (or a whole `X WITH Y` term) to
/// a tier and wins over the built-in table. An expression that cannot be parsed is
/// [`Tier::Unknown`].
pub fn tier(expr: &str, overrides: &BTreeMap<String, Tier>) -> Tier {
    let text = match normalize(expr) {
        Some(n) => n.expression,
        None => return Tier::Unknown,
    };
    let Ok(parsed) = Expression::parse_mode(&text, MODE) else {
        return Tier::Unknown;
    };
    let mut stack: Vec<Tier> = Vec::new();
    for node in parsed.iter() {
        match node {
            ExprNode::Req(r) => stack.push(req_tier(&r.req, overrides)),
            ExprNode::Op(op) => {
                let (Some(a), Some(b)) = (stack.pop(), stack.pop()) else {
                    return Tier::Unknown;
                };
                stack.push(match op {
                    Operator::Or => a.min(b),
                    Operator::And => a.max(b),
                });
            }
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(t), true) => t,
        _ => Tier::Unknown,
    }
}

fn req_tier(req: &LicenseReq, overrides: &BTreeMap<String, Tier>) -> Tier {
    let rendered = render_req(req);
    if let Some(t) = overrides.get(&rendered) {
        return *t;
    }
    let (license, exception) = match rendered.split_once(" WITH ") {
        Some((l, e)) => (l.to_owned(), Some(e.to_owned())),
        None => (rendered.clone(), None),
    };
    let base = tier_of_id(&license, overrides);
    match exception {
        // The SPDX exceptions grant extra permissions (linking, runtime libraries, fonts).
        Some(_) if base == Tier::Forbidden => Tier::Conditional,
        _ => base,
    }
}

/// The tier of one license id, with overrides looked up for the id as written and its
/// `-only` / `-or-later` / `+` siblings.
pub fn tier_of_id(id: &str, overrides: &BTreeMap<String, Tier>) -> Tier {
    let base = base_id(id);
    let candidates = [
        id.to_owned(),
        base.to_owned(),
        format!("{base}-only"),
        format!("{base}-or-later"),
        format!("{base}+"),
    ];
    for c in &candidates {
        if let Some(t) = overrides.get(c) {
            return *t;
        }
    }
    default_tier(base)
}

/// The id without `+`, `-only` or `-or-later`.
fn base_id(id: &str) -> &str {
    let id = id.trim_end_matches('+');
    id.strip_suffix("-or-later")
        .or_else(|| id.strip_suffix("-only"))
        .unwrap_or(id)
}

const FORBIDDEN_PREFIXES: &[&str] = &["AGPL-", "GPL-", "SSPL-", "BUSL-"];

const CONDITIONAL_PREFIXES: &[&str] = &[
    "LGPL-",
    "MPL-",
    "EPL-",
    "CDDL-",
    "EUPL-",
    "CPL-",
    "OSL-",
    "CECILL",
    "APSL-",
    "CC-BY-SA-",
    "GFDL-",
    "Artistic-",
    "ODbL-",
    "OFL-",
    "CPAL-",
    "IPL-",
    "SPL-",
    "NPL-",
    "ErlPL-",
    "RPL-",
    "QPL-",
    "LPL-",
    "MS-RL",
    "Ms-RL",
    "APL-",
    "LPPL-",
];

const PERMISSIVE: &[&str] = &[
    "0BSD",
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "Beerware",
    "BlueOak-1.0.0",
    "BSL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC0-1.0",
    "curl",
    "FSFAP",
    "HPND",
    "ICU",
    "ISC",
    "JSON",
    "libpng-2.0",
    "Libpng",
    "MIT",
    "MS-PL",
    "NCSA",
    "NTP",
    "OpenSSL",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Python-2.0.1",
    "Ruby",
    "TCL",
    "Unicode-3.0",
    "Unicode-DFS-2015",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "W3C",
    "W3C-20150513",
    "WTFPL",
    "X11",
    "Zlib",
    "zlib-acknowledgement",
    "ZPL-2.0",
    "ZPL-2.1",
];

const PERMISSIVE_PREFIXES: &[&str] = &["BSD-", "MIT-", "X11-"];

/// The built-in tier of a license id (without `-only`/`-or-later`/`+`).
pub fn default_tier(id: &str) -> Tier {
    let id = base_id(id);
    if id.starts_with("LicenseRef-") || id.starts_with("DocumentRef-") {
        return Tier::Unknown;
    }
    if FORBIDDEN_PREFIXES.iter().any(|p| id.starts_with(p)) || id == "GPL" {
        return Tier::Forbidden;
    }
    if CONDITIONAL_PREFIXES.iter().any(|p| id.starts_with(p)) {
        return Tier::Conditional;
    }
    if PERMISSIVE.contains(&id) || PERMISSIVE_PREFIXES.iter().any(|p| id.starts_with(p)) {
        return Tier::Permissive;
    }
    Tier::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).map(|n| n.expression).unwrap_or_default()
    }

    #[test]
    fn free_form_names_map_to_spdx_ids() {
        let cases = [
            ("Apache 2", "Apache-2.0"),
            ("Apache License, Version 2.0", "Apache-2.0"),
            ("Apache Software License", "Apache-2.0"),
            ("BSD", "BSD-3-Clause"),
            ("new BSD", "BSD-3-Clause"),
            ("BSD License", "BSD-3-Clause"),
            ("Simplified BSD", "BSD-2-Clause"),
            ("GPLv3+", "GPL-3.0-or-later"),
            ("GPL-2.0+", "GPL-2.0-or-later"),
            ("GPL-2.0", "GPL-2.0-only"),
            ("GPLv2", "GPL-2.0-only"),
            ("GNU GPL v2", "GPL-2.0-only"),
            ("GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
            (
                "GNU General Public License v2 or later (GPLv2+)",
                "GPL-2.0-or-later",
            ),
            ("LGPLv2.1+", "LGPL-2.1-or-later"),
            (
                "GNU Lesser General Public License v3 (LGPLv3)",
                "LGPL-3.0-only",
            ),
            ("AGPLv3", "AGPL-3.0-only"),
            ("MIT License", "MIT"),
            ("The MIT License (MIT)", "MIT"),
            ("mit", "MIT"),
            ("ISC License", "ISC"),
            ("ISC License (ISCL)", "ISC"),
            ("Python Software Foundation License", "PSF-2.0"),
            ("License :: OSI Approved :: MIT License", "MIT"),
            ("License :: OSI Approved :: BSD License", "BSD-3-Clause"),
            (
                "License :: OSI Approved :: Apache Software License",
                "Apache-2.0",
            ),
            (
                "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)",
                "MPL-2.0",
            ),
            ("apache-2.0", "Apache-2.0"),
            ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
            ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
            ("MIT or Apache 2", "MIT OR Apache-2.0"),
            ("(MIT AND Zlib) OR Apache-2.0", "MIT AND Zlib OR Apache-2.0"),
            (
                "MIT AND (Zlib OR Apache-2.0)",
                "MIT AND (Zlib OR Apache-2.0)",
            ),
            (
                "GPL-2.0-with-classpath-exception",
                "GPL-2.0-only WITH Classpath-exception-2.0",
            ),
            ("Apache-2.0+", "Apache-2.0+"),
            ("CC0", "CC0-1.0"),
            ("Boost Software License 1.0", "BSL-1.0"),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input), want, "{input}");
        }
    }

    #[test]
    fn unmappable_text_becomes_a_license_ref_with_the_raw_text() {
        let n = normalize("Proprietary, see contract #12").expect("non-empty");
        assert_eq!(n.expression, "LicenseRef-Proprietary-see-contract-12");
        assert_eq!(n.raw.as_deref(), Some("Proprietary, see contract #12"));
        let n = normalize("UNLICENSED").expect("non-empty");
        assert_eq!(n.expression, "LicenseRef-UNLICENSED");
        assert_eq!(normalize("   "), None);
        assert_eq!(norm("mitre"), "LicenseRef-mitre");
        assert_eq!(norm("!!!"), "LicenseRef-unknown");
    }

    #[test]
    fn several_declared_licenses_are_alternatives() {
        let n = normalize_any_of(["MIT", "Apache 2", "MIT"]).expect("some");
        assert_eq!(n.expression, "MIT OR Apache-2.0");
        assert_eq!(normalize_any_of([]), None);
    }

    #[test]
    fn default_tiers() {
        let none = BTreeMap::new();
        for (id, t) in [
            ("MIT", Tier::Permissive),
            ("Apache-2.0", Tier::Permissive),
            ("BSD-3-Clause", Tier::Permissive),
            ("0BSD", Tier::Permissive),
            ("Unlicense", Tier::Permissive),
            ("PSF-2.0", Tier::Permissive),
            ("LGPL-2.1-or-later", Tier::Conditional),
            ("MPL-2.0", Tier::Conditional),
            ("EPL-2.0", Tier::Conditional),
            ("CDDL-1.0", Tier::Conditional),
            ("GPL-3.0-only", Tier::Forbidden),
            ("GPL-2.0+", Tier::Forbidden),
            ("AGPL-3.0-or-later", Tier::Forbidden),
            ("SSPL-1.0", Tier::Forbidden),
            ("BUSL-1.1", Tier::Forbidden),
            ("Beerware", Tier::Permissive),
            ("Glide", Tier::Unknown),
            ("LicenseRef-foo", Tier::Unknown),
        ] {
            assert_eq!(tier(id, &none), t, "{id}");
        }
    }

    #[test]
    fn or_takes_the_best_and_the_worst() {
        let none = BTreeMap::new();
        assert_eq!(tier("MIT OR GPL-3.0-only", &none), Tier::Permissive);
        assert_eq!(tier("MIT AND GPL-3.0-only", &none), Tier::Forbidden);
        assert_eq!(tier("MPL-2.0 AND MIT", &none), Tier::Conditional);
        assert_eq!(
            tier("(GPL-2.0-only OR MPL-2.0) AND MIT", &none),
            Tier::Conditional
        );
        assert_eq!(
            tier("GPL-2.0-only OR LicenseRef-custom", &none),
            Tier::Unknown
        );
        assert_eq!(tier("not an expression ((", &none), Tier::Unknown);
    }

    #[test]
    fn with_exception_relaxes_forbidden() {
        let none = BTreeMap::new();
        assert_eq!(
            tier("GPL-2.0-only WITH Classpath-exception-2.0", &none),
            Tier::Conditional
        );
        assert_eq!(
            tier("Apache-2.0 WITH LLVM-exception", &none),
            Tier::Permissive
        );
        let mut o = BTreeMap::new();
        o.insert(
            "GPL-2.0-only WITH Classpath-exception-2.0".to_owned(),
            Tier::Permissive,
        );
        assert_eq!(
            tier("GPL-2.0-only WITH Classpath-exception-2.0", &o),
            Tier::Permissive
        );
    }

    #[test]
    fn overrides_apply_to_or_later_variants() {
        let mut o = BTreeMap::new();
        o.insert("GPL-3.0-only".to_owned(), Tier::Conditional);
        o.insert("MIT".to_owned(), Tier::Forbidden);
        assert_eq!(tier("GPL-3.0-or-later", &o), Tier::Conditional);
        assert_eq!(tier("GPLv3+", &o), Tier::Conditional);
        assert_eq!(tier("MIT OR GPL-3.0-only", &o), Tier::Conditional);
        let mut o = BTreeMap::new();
        o.insert("Apache-2.0".to_owned(), Tier::Forbidden);
        assert_eq!(tier("Apache-2.0+", &o), Tier::Forbidden);
    }

    #[test]
    fn well_known_license_urls_map_to_ids() {
        let id = |u: &str| from_url(u).map(|n| n.expression);
        assert_eq!(
            id("https://www.apache.org/licenses/LICENSE-2.0.txt").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            id("http://opensource.org/licenses/mit-license.php").as_deref(),
            Some("MIT")
        );
        assert_eq!(
            id("https://spdx.org/licenses/BSD-2-Clause.html").as_deref(),
            Some("BSD-2-Clause")
        );
        assert_eq!(
            id("https://licenses.nuget.example/MIT%20OR%20Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            id("https://www.gnu.org/licenses/old-licenses/gpl-2.0").as_deref(),
            Some("GPL-2.0-only")
        );
        // A project's own file, an unknown page, a service path that is no expression.
        assert_eq!(id("https://github.example/acme/x/blob/main/LICENSE"), None);
        assert_eq!(id("https://licenses.nuget.example/not%20a%20license"), None);
        assert_eq!(id("ftp://opensource.org/licenses/MIT"), None);
        assert_eq!(id(""), None);
    }
}

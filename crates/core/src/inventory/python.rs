//! Rules shared by the Python formats: PEP 508 requirement strings, PEP 503 names, what a
//! dependency group means for scope, and how scope flows down a lockfile's graph.
//!
//! Requirement strings are parsed by hand rather than with `pep508_rs`: requirements files in the
//! wild carry text that a strict PEP 508 parser rejects (trailing words after a version, which
//! upstream scanners keep), and the crate would bring a dozen more dependencies for a grammar
//! whose parts we need are a name, extras, a specifier, a marker and a URL.

use std::collections::{HashMap, VecDeque};

use crate::model::{PackageSource, Scope};

/// The parts of one PEP 508 requirement string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement<'a> {
    /// The distribution name as written.
    pub name: &'a str,
    /// Extras inside `[...]`, as written.
    pub extras: Vec<&'a str>,
    /// The version specifier (`>=1.0,<2`), without surrounding parentheses; empty when none.
    pub specifier: &'a str,
    /// The environment marker after `;`, where present.
    pub marker: Option<&'a str>,
    /// The direct reference after `@`, where present.
    pub url: Option<&'a str>,
}

/// Parses `name[extras] specifier ; marker` or `name[extras] @ url ; marker`.
pub(crate) fn parse_requirement(text: &str) -> Result<Requirement<'_>, String> {
    let text = text.trim();
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(text.len());
    let name = text.get(..name_len).unwrap_or_default();
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(format!("`{text}` does not start with a package name"));
    }
    let mut rest = text.get(name_len..).unwrap_or_default().trim_start();
    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let (inner, tail) = after
            .split_once(']')
            .ok_or_else(|| format!("unclosed `[` in `{text}`"))?;
        extras = inner
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        rest = tail.trim_start();
    }
    if let Some(after) = rest.strip_prefix('@') {
        // PEP 508: a URL ends at whitespace; a marker after it needs whitespace before `;`.
        let after = after.trim_start();
        let (url, tail) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
        if url.is_empty() {
            return Err(format!("missing URL after `@` in `{text}`"));
        }
        let marker = tail
            .trim()
            .strip_prefix(';')
            .map(str::trim)
            .filter(|m| !m.is_empty());
        return Ok(Requirement {
            name,
            extras,
            specifier: "",
            marker,
            url: Some(url),
        });
    }
    let (spec, marker) = match rest.split_once(';') {
        Some((spec, marker)) => (spec, Some(marker.trim()).filter(|m| !m.is_empty())),
        None => (rest, None),
    };
    let mut spec = spec.trim();
    if let Some(inner) = spec.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        spec = inner.trim();
    }
    if !spec.is_empty() && !spec.starts_with(['<', '>', '=', '!', '~']) {
        return Err(format!(
            "expected a version specifier after the name in `{text}`"
        ));
    }
    Ok(Requirement {
        name,
        extras,
        specifier: spec,
        marker,
        url: None,
    })
}

/// The exact version a specifier pins: a single `==` or `===` clause without a wildcard.
///
/// Anything else (`>=1.0`, `~=1.1`, `==2.8.*`, several clauses) pins nothing, so the package is
/// reported without a version and the specifier goes to `requirement`. Upstream scanners report
/// the bound of a lone `>=`/`~=`/`<=` as the version; we do not, since the installed version
/// may be any other one the range allows.
pub(crate) fn pinned_version(specifier: &str) -> Option<&str> {
    let spec = specifier.trim();
    if spec.contains(',') {
        return None;
    }
    let version = spec
        .strip_prefix("===")
        .or_else(|| spec.strip_prefix("=="))?
        .trim();
    (!version.is_empty() && !version.contains('*')).then_some(version)
}

/// The PEP 503 normal form of a name ([`crate::model::pep503`]), owned.
pub(crate) fn normalize(name: &str) -> String {
    crate::model::pep503(name).into_owned()
}

/// The scope a named group or extra implies where the format does not say: development for the
/// usual development and test names, optional otherwise.
pub(crate) fn scope_of_group(group: &str) -> Scope {
    let g = normalize(group);
    let dev_words = [
        "dev",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "linting",
        "docs",
        "doc",
        "typing",
        "types",
        "style",
        "check",
        "ci",
        "bench",
    ];
    if dev_words.contains(&g.as_str()) || g.starts_with("dev-") || g.starts_with("test-") {
        Scope::Dev
    } else {
        Scope::Optional
    }
}

/// Splits a VCS reference `git+URL@rev#egg=name` (pip style) into URL and revision; the commit is
/// kept only when the revision looks like a commit id.
pub(crate) fn git_source(reference: &str) -> PackageSource {
    let without_fragment = reference.split('#').next().unwrap_or(reference);
    let url = without_fragment
        .strip_prefix("git+")
        .unwrap_or(without_fragment);
    // A revision follows the last `@` of the path, not an `@` in `user@host`.
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let (url, rev) = match url.rsplit_once('@') {
        Some((head, rev))
            if head.len() > path_start
                && head.get(path_start..).is_some_and(|p| p.contains('/')) =>
        {
            (head, Some(rev))
        }
        _ => (url, None),
    };
    PackageSource::Git {
        url: url.to_owned().into(),
        commit: rev.filter(|r| looks_like_commit(r)).map(Into::into),
    }
}

/// Whether a revision is a (possibly abbreviated) commit id.
pub(crate) fn looks_like_commit(rev: &str) -> bool {
    (7..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where a package stands in the graph before propagation: reached from the project directly, in
/// a scope and under the named groups.
#[derive(Debug, Clone, Default)]
pub(crate) struct Roots {
    /// `(package index, scope, group)` for each direct edge from the project.
    pub edges: Vec<(usize, Scope, Option<String>)>,
}

/// Gives every package reachable from a root the widest scope among the roots that reach it
/// (runtime over optional over dev) and the union of their groups. `deps[i]` lists the indices
/// package `i` depends on. Returns `None` for packages no root reaches.
pub(crate) fn propagate(deps: &[Vec<usize>], roots: &Roots) -> Vec<Option<(Scope, Vec<String>)>> {
    let rank = |s: Scope| match s {
        Scope::Runtime => 0,
        Scope::Optional => 1,
        Scope::Dev => 2,
    };
    let mut out: Vec<Option<(Scope, Vec<String>)>> = vec![None; deps.len()];
    // One walk per (scope, group) root set, so each package learns every group that reaches it.
    let mut by_key: HashMap<(u8, Option<String>), Vec<usize>> = HashMap::new();
    for (i, scope, group) in &roots.edges {
        by_key
            .entry((rank(*scope), group.clone()))
            .or_default()
            .push(*i);
    }
    let mut keys: Vec<_> = by_key.into_iter().collect();
    keys.sort();
    for ((r, group), starts) in keys {
        let scope = match r {
            0 => Scope::Runtime,
            1 => Scope::Optional,
            _ => Scope::Dev,
        };
        let mut seen = vec![false; deps.len()];
        let mut queue: VecDeque<usize> = starts.into_iter().filter(|&i| i < deps.len()).collect();
        for &i in &queue {
            seen[i] = true;
        }
        while let Some(i) = queue.pop_front() {
            let entry = out[i].get_or_insert_with(|| (scope, Vec::new()));
            if rank(scope) < rank(entry.0) {
                entry.0 = scope;
            }
            if let Some(g) = &group {
                if !entry.1.contains(g) {
                    entry.1.push(g.clone());
                }
            }
            for &j in deps.get(i).into_iter().flatten() {
                if j < deps.len() && !seen[j] {
                    seen[j] = true;
                    queue.push_back(j);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_parts() {
        let r = parse_requirement(
            "requests [security, socks] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"",
        )
        .expect("valid");
        assert_eq!(r.name, "requests");
        assert_eq!(r.extras, ["security", "socks"]);
        assert_eq!(r.specifier, ">= 2.8.1, == 2.8.*");
        assert_eq!(r.marker, Some("python_version < \"2.7\""));
        let r = parse_requirement("urllib3 @ https://files.example/u.zip ; os_name == 'nt'")
            .expect("valid");
        assert_eq!(r.url, Some("https://files.example/u.zip"));
        assert_eq!(r.marker, Some("os_name == 'nt'"));
        assert_eq!(
            parse_requirement("pkg (==1.0)").expect("valid").specifier,
            "==1.0"
        );
        assert!(parse_requirement("==1.0").is_err());
        assert!(parse_requirement("asdf 1.0").is_err());
        assert!(parse_requirement("x[a").is_err());
        assert!(parse_requirement("x @ ").is_err());
    }

    #[test]
    fn only_exact_clauses_pin() {
        assert_eq!(pinned_version("==1.0"), Some("1.0"));
        assert_eq!(pinned_version("=== 1.0"), Some("1.0"));
        assert_eq!(pinned_version(">=1.0"), None);
        assert_eq!(pinned_version("==2.8.*"), None);
        assert_eq!(pinned_version("==1.0,<2"), None);
        assert_eq!(pinned_version("=="), None);
    }

    #[test]
    fn git_references_split() {
        assert_eq!(
            git_source("git+https://git.example/o/r.git@0123456789abcdef#egg=r"),
            PackageSource::Git {
                url: "https://git.example/o/r.git".into(),
                commit: Some("0123456789abcdef".into())
            }
        );
        assert_eq!(
            git_source("git+ssh://git@git.example/o/r.git@v1.0"),
            PackageSource::Git {
                url: "ssh://git@git.example/o/r.git".into(),
                commit: None
            }
        );
    }

    #[test]
    fn widest_scope_wins_and_groups_gather() {
        // 0 -> 1 -> 2; 3 -> 2
        let deps = vec![vec![1], vec![2], vec![], vec![2], vec![]];
        let roots = Roots {
            edges: vec![
                (0, Scope::Dev, Some("test".into())),
                (3, Scope::Runtime, None),
            ],
        };
        let out = propagate(&deps, &roots);
        assert_eq!(out[1], Some((Scope::Dev, vec!["test".to_owned()])));
        assert_eq!(out[2], Some((Scope::Runtime, vec!["test".to_owned()])));
        assert_eq!(out[4], None);
    }
}

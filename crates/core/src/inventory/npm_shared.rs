//! Pieces shared by the JavaScript extractors (`package-lock.json`, `yarn.lock`,
//! `pnpm-lock.yaml`, `bun.lock`, `package.json`): `name@version`
//! splitting, git commit detection in resolved URLs, merging of repeated entries, and
//! scopes spread from a project's direct dependencies over the graph.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

pub(crate) use super::json_order::OrderedMap;
use super::Input;
use crate::model::{Location, Package, PackageSource, Scope, SharedStr};

/// Splits `name@rest` where the name may be scoped (`@scope/name@1.0.0`); `None` without an `@`
/// after the name.
pub(crate) fn split_name_at(spec: &str) -> Option<(&str, &str)> {
    let skip = usize::from(spec.starts_with('@'));
    let at = spec.get(skip..)?.find('@')? + skip;
    Some((spec.get(..at)?, spec.get(at + 1..)?))
}

/// The location of an entry in the file being read.
pub(crate) fn location(input: &Input<'_>, line: Option<u32>) -> Location {
    Location {
        file: input.display.into(),
        line,
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `s` contains `scheme://` at its start or right after an `@` (`user@git+ssh://…`).
fn has_scheme_at_start_or_after_at(s: &str, schemes: &[&str]) -> bool {
    let starts = std::iter::once(0).chain(s.match_indices('@').map(|(i, _)| i + 1));
    for start in starts {
        let rest = s.get(start..).unwrap_or("");
        if schemes.iter().any(|scheme| {
            rest.strip_prefix(scheme)
                .is_some_and(|r| r.starts_with("://"))
        }) {
            return true;
        }
    }
    false
}

/// The git commit named by a resolved URL or version, as the JavaScript package managers write
/// them: `git+ssh://host/repo.git#<sha>`, `https://host/repo.git#<sha>`, `…#commit=<sha>`,
/// `github:owner/repo#<sha>`, a codeload tarball `…/tar.gz/<sha>`, or a git-host URL with a
/// `#<sha>` fragment or `?ref=<sha>`. Registry tarball URLs (whose fragment is a checksum) give
/// `None`.
pub(crate) fn commit_of(resolved: &str) -> Option<String> {
    let resolved = resolved.trim();
    if let Some((before, frag)) = resolved.rsplit_once('#') {
        if is_word(frag)
            && (has_scheme_at_start_or_after_at(before, &["git", "git+ssh", "git+https", "ssh"])
                || (before.ends_with(".git")
                    && has_scheme_at_start_or_after_at(before, &["https"]))
                || ["github:", "gitlab:", "bitbucket:"]
                    .iter()
                    .any(|p| before.starts_with(p) && before.len() > p.len()))
        {
            return Some(frag.to_owned());
        }
        for marker in ["#commit=", "#commit:"] {
            if let Some(i) = resolved.rfind(marker) {
                let sha = resolved.get(i + marker.len()..).unwrap_or("");
                if i > 0 && is_word(sha) {
                    return Some(sha.to_owned());
                }
            }
        }
    }
    if let Some(rest) = resolved.strip_prefix("https://codeload.github.com/") {
        let parts: Vec<&str> = rest.split('/').collect();
        if let [_, _, "tar.gz", sha] = parts.as_slice() {
            if is_word(sha) {
                return Some((*sha).to_owned());
            }
        }
    }
    // A plain URL on a git host: the fragment, or a `ref` query parameter.
    let after_scheme = resolved
        .strip_prefix("https://")
        .or_else(|| resolved.strip_prefix("http://"))?;
    let host = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    if !matches!(host, "github.com" | "gitlab.com" | "bitbucket.org") {
        return None;
    }
    let (before_frag, frag) = after_scheme
        .split_once('#')
        .map_or((after_scheme, None), |(a, b)| (a, Some(b)));
    match before_frag.split_once('?') {
        Some((_, query)) => query
            .split('&')
            .find_map(|kv| kv.strip_prefix("ref="))
            .filter(|r| !r.is_empty())
            .map(str::to_owned),
        None => frag.filter(|f| !f.is_empty()).map(str::to_owned),
    }
}

/// A git source for a resolved URL that names a commit.
pub(crate) fn git_source(resolved: &str, commit: &str) -> PackageSource {
    let url = resolved.split('#').next().unwrap_or(resolved);
    let url = url.strip_prefix("git+").unwrap_or(url);
    PackageSource::Git {
        url: url.to_owned().into(),
        commit: Some(commit.to_owned().into()),
    }
}

/// The commit a package's source pins, if any.
pub(crate) fn commit_of_package(p: &Package) -> Option<&str> {
    match &p.source {
        Some(PackageSource::Git { commit, .. }) => commit.as_deref(),
        _ => None,
    }
}

/// Merges packages listed more than once (the same name, version and commit at several places in
/// the tree) into their first occurrence, as npm tooling reports them: the merged package is
/// `Runtime` when any occurrence is, its groups are those every occurrence shares with the
/// others' (none when any occurrence has none), and it is direct when any occurrence is.
/// Returns the merged packages and, for each input index, its index in the output.
pub(crate) fn merge_duplicates(packages: Vec<Package>) -> (Vec<Package>, Vec<usize>) {
    let mut out: Vec<Package> = Vec::new();
    let mut seen: HashMap<(SharedStr, Option<SharedStr>, Option<String>), usize> = HashMap::new();
    let mut map = Vec::with_capacity(packages.len());
    for p in packages {
        let key = (
            p.name.clone(),
            p.version.clone(),
            commit_of_package(&p).map(str::to_owned),
        );
        if let Some(&i) = seen.get(&key) {
            let existing = &mut out[i];
            existing.scope = merge_scope(existing.scope, p.scope);
            let bundled = existing.groups.iter().any(|g| g == "bundled")
                || p.groups.iter().any(|g| g == "bundled");
            let plain = |g: &[String]| g.iter().all(|g| g == "bundled");
            if plain(&existing.groups) || plain(&p.groups) {
                existing.groups.clear();
            } else {
                for g in &p.groups {
                    existing.add_group(g);
                }
            }
            if bundled {
                existing.add_group("bundled");
            }
            existing.direct = match (existing.direct, p.direct) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), _) | (_, Some(false)) => Some(false),
                _ => None,
            };
            for d in p.dependencies {
                if !existing.dependencies.contains(&d) {
                    existing.dependencies.push(d);
                }
            }
            for h in p.hashes {
                if !existing.hashes.contains(&h) {
                    existing.hashes.push(h);
                }
            }
            map.push(i);
        } else {
            seen.insert(key, out.len());
            map.push(out.len());
            out.push(p);
        }
    }
    (out, map)
}

/// Runtime wins over optional, optional over dev: a package needed at run time anywhere is needed.
pub(crate) fn merge_scope(a: Scope, b: Scope) -> Scope {
    let rank = |s: Scope| match s {
        Scope::Runtime => 0,
        Scope::Optional => 1,
        Scope::Dev => 2,
    };
    if rank(a) <= rank(b) {
        a
    } else {
        b
    }
}

/// Scopes for a graph whose file does not mark them: each package gets the strongest scope of the
/// direct dependencies it is reachable from (`roots` pairs a package index with the scope of the
/// section that declares it). Packages reached from no root keep the scope they have.
pub(crate) fn spread_scopes(
    packages: &mut [Package],
    edges: &[Vec<usize>],
    roots: &[(usize, Scope)],
) {
    let mut best: Vec<Option<Scope>> = vec![None; packages.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    // Strongest first, so a package is settled by the first scope that reaches it.
    for wanted in [Scope::Runtime, Scope::Optional, Scope::Dev] {
        for &(i, s) in roots {
            if s == wanted && best.get(i).is_some_and(Option::is_none) {
                best[i] = Some(s);
                queue.push_back(i);
            }
        }
        while let Some(i) = queue.pop_front() {
            for &j in edges.get(i).into_iter().flatten() {
                if best.get(j).is_some_and(Option::is_none) {
                    best[j] = Some(wanted);
                    queue.push_back(j);
                }
            }
        }
    }
    for (p, s) in packages.iter_mut().zip(best) {
        if let Some(s) = s {
            p.scope = s;
            match s {
                Scope::Dev => p.add_group("dev"),
                Scope::Optional => p.add_group("optional"),
                Scope::Runtime => {}
            }
        }
    }
}

/// The dependency sections of a `package.json`, with the scope each gives.
pub(crate) const MANIFEST_SECTIONS: [(&str, Scope); 4] = [
    ("dependencies", Scope::Runtime),
    ("optionalDependencies", Scope::Optional),
    ("peerDependencies", Scope::Runtime),
    ("devDependencies", Scope::Dev),
];

/// The largest neighbouring `package.json` read to learn a lockfile's direct dependencies.
const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;

/// The direct dependencies declared by the `package.json` beside a lockfile, as (name,
/// requirement, scope), when there is one (for formats that do not record them themselves).
pub(crate) fn neighbour_manifest_roots(path: &Path) -> Option<Vec<(String, String, Scope)>> {
    let manifest = path.parent()?.join("package.json");
    let meta = std::fs::metadata(&manifest).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(&manifest).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut out = Vec::new();
    for (section, scope) in MANIFEST_SECTIONS {
        if let Some(deps) = value.get(section).and_then(|d| d.as_object()) {
            for (name, req) in deps {
                let req = req.as_str().unwrap_or_default().to_owned();
                out.push((name.clone(), req, scope));
            }
        }
    }
    Some(out)
}

/// Blanks out `//` and `/* */` comments and trailing commas of JSONC text (as `bun.lock` is
/// written), keeping every other byte and every newline where it was so positions still hold.
pub(crate) fn jsonc_to_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    // The index of a comma that may turn out to be trailing.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                pending_comma = None;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                let end = (i + 2).min(bytes.len());
                for (j, slot) in out.iter_mut().enumerate().take(end).skip(start) {
                    if bytes[j] != b'\n' {
                        *slot = b' ';
                    }
                }
                i = end;
                continue;
            }
            b',' => pending_comma = Some(i),
            b'}' | b']' => {
                if let Some(c) = pending_comma.take() {
                    out[c] = b' ';
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_with_scopes() {
        assert_eq!(split_name_at("a@1.0.0"), Some(("a", "1.0.0")));
        assert_eq!(split_name_at("@s/a@npm:1"), Some(("@s/a", "npm:1")));
        assert_eq!(split_name_at("@s/a"), None);
        assert_eq!(split_name_at("@"), None);
    }

    #[test]
    fn commits_are_found_in_git_urls_only() {
        let sha = "0a2d2506c1fe299691fc5db53a2097db3bd615bc";
        for url in [
            format!("git+ssh://git@git.example/o/r.git#{sha}"),
            format!("git://git.example/o/r#{sha}"),
            format!("https://git.example/o/r.git#{sha}"),
            format!("r@https://git.example/o/r.git#commit={sha}"),
            format!("github:o/r#{sha}"),
            format!("https://codeload.github.com/o/r/tar.gz/{sha}"),
            format!("https://github.com/o/r#{sha}"),
        ] {
            assert_eq!(commit_of(&url).as_deref(), Some(sha), "{url}");
        }
        assert_eq!(
            commit_of("https://registry.npm.example/a/-/a-1.0.0.tgz#0a2d25"),
            None
        );
        assert_eq!(commit_of("1.0.0"), None);
        assert_eq!(commit_of("#"), None);
    }

    #[test]
    fn jsonc_loses_comments_and_trailing_commas_only() {
        let text = "{\n  // c\n  \"a\": [1, \"x,]\",],\n  /* b\n */ \"b\": {},\n}";
        let json = jsonc_to_json(text);
        assert_eq!(json.len(), text.len());
        assert_eq!(json.lines().count(), text.lines().count());
        let v: serde_json::Value = serde_json::from_str(&json).expect("valid json");
        assert_eq!(v["a"][1], "x,]");
    }

    #[test]
    fn scopes_spread_from_the_strongest_root() {
        let loc = Location {
            file: "f".into(),
            line: None,
        };
        let mut pkgs: Vec<Package> = ["a", "b", "c"]
            .iter()
            .map(|n| Package::new(crate::model::Ecosystem::Npm, n, Some("1"), loc.clone()))
            .collect();
        // a (dev) -> b, c (runtime) -> b
        let edges = vec![vec![1], vec![], vec![1]];
        spread_scopes(&mut pkgs, &edges, &[(0, Scope::Dev), (2, Scope::Runtime)]);
        assert_eq!(pkgs[0].scope, Scope::Dev);
        assert_eq!(pkgs[1].scope, Scope::Runtime);
        assert_eq!(pkgs[0].groups, ["dev"]);
    }
}

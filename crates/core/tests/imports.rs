//! The crate's modules depend downwards only: no import cycle between top-level modules, and
//! none between the files of one folder.
//!
//! Read from the source text: every `crate::…`, `super::…` and `self::…` path outside test code
//! is resolved to the file of the deepest module it names. A file and the `mod.rs` that declares
//! it (or any of its ancestors) are one unit here: a registry naming its children and the
//! children using its types is how Rust modules are built, not a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["vulns", "db"]`) and the file that holds it.
type Modules = BTreeMap<Vec<String>, PathBuf>;

#[test]
fn no_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let test_only = test_only_modules(&modules);
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &modules {
        if test_only.iter().any(|t| module.starts_with(t)) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("source file");
        for path in paths(&non_test_code(&text)) {
            let Some(target) = resolve(&modules, module, &path) else {
                continue;
            };
            if target.starts_with(module) || module.starts_with(&target) {
                continue;
            }
            edges.entry(module.clone()).or_default().insert(target);
        }
    }

    // Files of one folder, and top-level modules.
    let mut problems = Vec::new();
    problems.extend(
        cycles(&edges)
            .into_iter()
            .map(|c| format!("files: {}", show(&c))),
    );
    let mut top: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (from, tos) in &edges {
        for to in tos {
            let (Some(a), Some(b)) = (from.first(), to.first()) else {
                continue;
            };
            if a != b {
                top.entry(vec![a.clone()])
                    .or_default()
                    .insert(vec![b.clone()]);
            }
        }
    }
    problems.extend(
        cycles(&top)
            .into_iter()
            .map(|c| format!("modules: {}", show(&c))),
    );
    assert!(
        problems.is_empty(),
        "import cycles in crates/core:\n{}",
        problems.join("\n")
    );
    // The check must see the crate's real arrows, or it proves nothing.
    assert!(
        edges
            .get(&vec!["pipeline".to_owned()])
            .is_some_and(|t| t.contains(&vec!["inventory".to_owned()])),
        "the pipeline's import of the inventory was not found: the reader is broken"
    );
}

fn show(cycle: &[Vec<String>]) -> String {
    cycle
        .iter()
        .map(|m| m.join("::"))
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// Every module of the crate, by its path.
fn modules(src: &Path) -> Modules {
    let mut out = Modules::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("readable source folder")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("below src");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let last = parts.pop().unwrap_or_default();
            match last.as_str() {
                "lib.rs" | "mod.rs" => {}
                name => parts.push(name.trim_end_matches(".rs").to_owned()),
            }
            out.insert(parts, path);
        }
    }
    out
}

/// Modules declared under `#[cfg(test)]` (`tests`, `testing`, …), which may import anything.
fn test_only_modules(modules: &Modules) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (module, file) in modules {
        let text = std::fs::read_to_string(file).expect("source file");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            if pair[0] != "#[cfg(test)]" {
                continue;
            }
            let decl = pair[1]
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            if let Some(name) = decl
                .strip_prefix("mod ")
                .map(|n| n.trim_end_matches([';', ' ', '{']))
            {
                let mut m = module.clone();
                m.push(name.to_owned());
                out.push(m);
            }
        }
    }
    out
}

/// The text without its `#[cfg(test)] mod … { … }` blocks.
fn non_test_code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            if let Some(next) = lines.peek() {
                if next.trim_end().ends_with('{') {
                    // Skip the block by brace depth.
                    let mut depth = 0i32;
                    for l in lines.by_ref() {
                        depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                        if depth <= 0 && l.contains('}') {
                            break;
                        }
                    }
                }
            }
            continue;
        }
        if !line.trim_start().starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every `crate::`, `super::` or `self::` path in the text, braces of `use` lists expanded.
fn paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            let before = at.checked_sub(1).and_then(|b| bytes.get(b)).copied();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b':') {
                continue;
            }
            let head = start.trim_end_matches("::").to_owned();
            expand(&text[from..], vec![head], &mut out);
        }
    }
    out
}

/// Reads one path (with `{…}` groups) from `rest`, after the prefix `base`.
fn expand(rest: &str, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = base;
    let mut s = rest;
    loop {
        if let Some(group) = s.strip_prefix('{') {
            let mut depth = 1;
            let mut end = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let inner = &group[..end];
            let mut depth = 0;
            let mut item_start = 0;
            for (i, c) in inner
                .char_indices()
                .chain(std::iter::once((inner.len(), ',')))
            {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let item = inner[item_start..i].trim();
                        if !item.is_empty() {
                            expand(item, path.clone(), out);
                        }
                        item_start = i + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        let ident: String = s
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        path.push(ident.clone());
        s = &s[ident.len()..];
        match s.strip_prefix("::") {
            Some(next) => s = next,
            None => break,
        }
    }
    out.push(path);
}

/// The module a path names: the deepest existing module along it.
fn resolve(modules: &Modules, module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut current: Vec<String> = match path.first()?.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        _ => {
            let mut m = module.to_vec();
            m.pop();
            m
        }
    };
    let mut rest = &path[1..];
    // `super::super::x`
    while rest.first().is_some_and(|s| s == "super") {
        current.pop();
        rest = &rest[1..];
    }
    let mut found = current.clone();
    for segment in rest {
        current.push(segment.clone());
        if modules.contains_key(&current) {
            found = current.clone();
        } else {
            break;
        }
    }
    Some(found)
}

/// The cycles of a graph (one per strongly connected component of more than one node).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    // Plain reachability: the graphs here have under a hundred nodes.
    let nodes: BTreeSet<&Vec<String>> = edges.keys().chain(edges.values().flatten()).collect();
    let mut out = Vec::new();
    let mut seen: BTreeSet<&Vec<String>> = BTreeSet::new();
    for start in &nodes {
        if seen.contains(start) {
            continue;
        }
        // Every node reachable from `start` that can reach `start` back is on a cycle with it.
        let forward = reachable(edges, start);
        let on_cycle: Vec<Vec<String>> = forward
            .iter()
            .filter(|n| reachable(edges, n).contains(*start))
            .cloned()
            .collect();
        if !on_cycle.is_empty() {
            for n in &on_cycle {
                if let Some(k) = nodes.get(n) {
                    seen.insert(k);
                }
            }
            let mut cycle = vec![(*start).clone()];
            cycle.extend(on_cycle.into_iter().filter(|n| n != *start));
            out.push(cycle);
        }
    }
    out
}

fn reachable(
    edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    from: &Vec<String>,
) -> BTreeSet<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Vec<String>> = edges.get(from).into_iter().flatten().collect();
    while let Some(n) = stack.pop() {
        if seen.insert(n.clone()) {
            stack.extend(edges.get(n).into_iter().flatten());
        }
    }
    seen
}

#[test]
fn the_reader_finds_cycles() {
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let m = |s: &str| vec![s.to_owned()];
    edges.entry(m("a")).or_default().insert(m("b"));
    edges.entry(m("b")).or_default().insert(m("c"));
    edges.entry(m("c")).or_default().insert(m("a"));
    edges.entry(m("c")).or_default().insert(m("d"));
    let found = cycles(&edges);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), 3);
    let paths = paths("use crate::{model::{Package, Scope}, diag};\nlet x = super::y::z();");
    assert!(paths.contains(&vec!["crate".into(), "model".into(), "Package".into()]));
    assert!(paths.contains(&vec!["crate".into(), "diag".into()]));
    assert!(paths.contains(&vec!["super".into(), "y".into(), "z".into()]));
}

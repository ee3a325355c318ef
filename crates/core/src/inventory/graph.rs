//! The dependency graph of one file: which direct dependency brought in each transitive package.

use std::collections::{HashMap, VecDeque};

use crate::model::Package;

/// Fills `introduced_by` for every transitive package reachable from a direct one: the shortest
/// chain of purls from a direct dependency down to the package's parent. Packages whose
/// directness is unknown are left as they are; a transitive package reached by no path keeps an
/// empty chain.
pub fn annotate_paths(packages: &mut [Package]) {
    if !packages.iter().any(|p| p.direct == Some(true)) {
        return;
    }
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        index.entry(p.purl.as_str()).or_default().push(i);
    }
    // parent[i] = the node through which i was first reached (breadth first: shortest chains).
    let mut parent: Vec<Option<usize>> = vec![None; packages.len()];
    let mut seen = vec![false; packages.len()];
    let mut queue = VecDeque::new();
    for (i, p) in packages.iter().enumerate() {
        if p.direct == Some(true) {
            seen[i] = true;
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        for dep in &packages[i].dependencies {
            for &j in index.get(dep.as_str()).into_iter().flatten() {
                if !seen[j] {
                    seen[j] = true;
                    parent[j] = Some(i);
                    queue.push_back(j);
                }
            }
        }
    }
    let chains: Vec<Vec<String>> = (0..packages.len())
        .map(|i| {
            let mut chain = Vec::new();
            let mut at = parent[i];
            while let Some(p) = at {
                chain.push(packages[p].purl.to_string());
                at = parent[p];
            }
            chain.reverse();
            chain
        })
        .collect();
    for (p, chain) in packages.iter_mut().zip(chains) {
        if p.direct != Some(true) {
            p.introduced_by = chain.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Location};

    fn pkg(name: &str, direct: bool, deps: &[&str]) -> Package {
        let loc = Location {
            file: "f".into(),
            line: None,
        };
        let mut p = Package::new(Ecosystem::Cargo, name, Some("1.0.0"), loc).with_direct(direct);
        p.dependencies = deps
            .iter()
            .map(|d| format!("pkg:cargo/{d}@1.0.0"))
            .collect();
        p
    }

    #[test]
    fn shortest_chain_from_a_direct_dependency() {
        let mut pkgs = vec![
            pkg("app-dep", true, &["mid"]),
            pkg("mid", false, &["leaf", "mid"]),
            pkg("leaf", false, &[]),
            pkg("other", true, &["leaf"]),
            pkg("orphan", false, &[]),
        ];
        annotate_paths(&mut pkgs);
        assert_eq!(pkgs[1].introduced_by, ["pkg:cargo/app-dep@1.0.0"]);
        assert_eq!(pkgs[2].introduced_by, ["pkg:cargo/other@1.0.0"]);
        assert!(pkgs[0].introduced_by.is_empty());
        assert!(pkgs[4].introduced_by.is_empty());
    }
}

//! A local Maven repository (`<group path>/<artifact>/<version>/<artifact>-<version>.pom`) and
//! the Gradle cache (`caches/modules-2/files-2.1/<group>/<artifact>/<version>/<hash>/…pom`):
//! the POM's `<licenses>`, inherited from the parent POMs found in the same store when the POM
//! has none. Maven keeps no license files beside its POMs.

use std::path::PathBuf;

use super::{read_text, segment, Entry, Found, Store, StoreKind};
use crate::inventory::xml_tree::{self, Element};
use crate::licenses::{expr, Normalized};

/// How many parents are followed.
const MAX_PARENTS: usize = 8;

pub(super) fn lookup(store: &Store, name: &str, version: &str) -> Found {
    let Some((group, artifact)) = name.split_once(':') else {
        return Ok(None);
    };
    let mut coordinates = (group.to_owned(), artifact.to_owned(), version.to_owned());
    for depth in 0..=MAX_PARENTS {
        // The package's own POM missing: not in this store. A parent missing: found, with
        // nothing more known.
        let not_here = if depth == 0 {
            None
        } else {
            Some(Entry::default())
        };
        let (group, artifact, version) = &coordinates;
        let Some((path, evidence)) = pom(store, group, artifact, version) else {
            return Ok(not_here);
        };
        let Some(text) = read_text(store, &path, &evidence)? else {
            return Ok(not_here);
        };
        let root = xml_tree::parse(&text).map_err(|e| {
            (
                evidence.clone(),
                format!("cannot read the POM: {}", e.message),
            )
        })?;
        if let Some(declared) = licenses(&root) {
            return Ok(Some(Entry {
                declared: Some(declared),
                declared_in: Some(evidence),
                license_files: Vec::new(),
                in_tree: false,
            }));
        }
        match parent(&root) {
            Some(p) => coordinates = p,
            // Found, with no license anywhere up the chain.
            None => return Ok(Some(Entry::default())),
        }
    }
    Ok(Some(Entry::default()))
}

/// Where the POM of `group:artifact:version` is in this store, and its evidence.
fn pom(store: &Store, group: &str, artifact: &str, version: &str) -> Option<(PathBuf, String)> {
    let (group, artifact, version) = (group.trim(), segment(artifact)?, segment(version)?);
    if group.split('.').any(|g| segment(g).is_none()) {
        return None;
    }
    let file = format!("{artifact}-{version}.pom");
    match store.kind {
        StoreKind::Gradle => {
            let rel = format!("caches/modules-2/files-2.1/{group}/{artifact}/{version}");
            let dir = store.root.join(&rel);
            let mut hashes: Vec<PathBuf> = std::fs::read_dir(&dir)
                .ok()?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join(&file).is_file())
                .collect();
            hashes.sort();
            let hash_dir = hashes.into_iter().next()?;
            let hash = hash_dir.file_name()?.to_string_lossy().into_owned();
            Some((
                hash_dir.join(&file),
                store.evidence(
                    "gradle-cache",
                    &format!("{group}/{artifact}/{version}/{hash}/{file}"),
                ),
            ))
        }
        _ => {
            let rel = format!("{}/{artifact}/{version}/{file}", group.replace('.', "/"));
            Some((store.root.join(&rel), store.evidence("maven-repo", &rel)))
        }
    }
}

/// The POM's `<licenses>`: each license's name, else its URL, joined with `OR` (a project that
/// lists several licenses offers them as alternatives, as Maven documents).
fn licenses(root: &Element) -> Option<Normalized> {
    let list = root.child("licenses")?;
    let mut names: Vec<String> = Vec::new();
    for l in list.children_named("license") {
        let by_name = l
            .child_text("name")
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let by_url = l.child_text("url").map(str::trim).filter(|u| !u.is_empty());
        let mapped = by_name
            .and_then(expr::normalize)
            .filter(Normalized::is_spdx)
            .or_else(|| by_url.and_then(expr::from_url));
        match mapped {
            Some(n) => names.push(n.expression),
            None => {
                if let Some(n) = by_name {
                    names.push(n.to_owned());
                }
            }
        }
    }
    expr::normalize_any_of(names.iter().map(String::as_str))
}

/// The parent's coordinates, when the POM names one.
fn parent(root: &Element) -> Option<(String, String, String)> {
    let p = root.child("parent")?;
    let text = |n: &str| {
        p.child_text(n)
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.contains("${"))
            .map(str::to_owned)
    };
    Some((text("groupId")?, text("artifactId")?, text("version")?))
}

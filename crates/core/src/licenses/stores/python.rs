//! A Python virtual environment: `lib/python3.*/site-packages/<name>-<version>.dist-info/`
//! (`Lib/site-packages` on Windows), with `METADATA` (`License-Expression` of PEP 639,
//! `License`, the license classifiers) and the license files (`licenses/` of PEP 639, or beside
//! `METADATA` in older wheels).

use std::path::{Path, PathBuf};

use super::{license_files, read_text, Entry, Found, Store};
use crate::licenses::declared;
use crate::model::pep503;

pub(super) fn lookup(store: &Store, name: &str, version: &str) -> Found {
    let wanted = pep503(name);
    let version = version.trim();
    let dist_infos = store.listing(dist_infos);
    let Some(dir) = dist_infos.iter().find(|d| {
        d.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".dist-info"))
            .and_then(|n| n.rsplit_once('-'))
            .is_some_and(|(n, v)| pep503(n) == wanted && same_version(v, version))
    }) else {
        return Ok(None);
    };
    let rel = dir
        .strip_prefix(&store.root)
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let dir_evidence = store.evidence("python-env", &rel);
    let evidence = format!("{dir_evidence}/METADATA");
    let Some(text) = read_text(store, &dir.join("METADATA"), &evidence)? else {
        return Ok(None);
    };
    let declared = declared::python_metadata(&text, &evidence, "").and_then(|r| r.declared);
    Ok(Some(Entry {
        declared_in: declared.as_ref().map(|_| evidence),
        declared,
        license_files: license_files(store, dir, &dir_evidence),
        in_tree: false,
    }))
}

/// Versions compare as written, or as PEP 440 spells them the same (`1.0` and `1.0.0` are left
/// apart: a wheel's folder names its version exactly).
fn same_version(a: &str, b: &str) -> bool {
    a == b || a.eq_ignore_ascii_case(b)
}

/// Every `*.dist-info` folder of the environment's `site-packages`.
fn dist_infos(root: &Path) -> Vec<PathBuf> {
    let mut site_packages: Vec<PathBuf> = Vec::new();
    for lib in ["lib", "lib64"] {
        for entry in std::fs::read_dir(root.join(lib))
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry.file_name().to_string_lossy().starts_with("python") {
                site_packages.push(entry.path().join("site-packages"));
            }
        }
    }
    site_packages.push(root.join("Lib/site-packages"));
    let mut out: Vec<PathBuf> = site_packages
        .iter()
        .flat_map(|sp| std::fs::read_dir(sp).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "dist-info"))
        .collect();
    out.sort();
    out
}

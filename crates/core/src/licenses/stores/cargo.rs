//! The cargo home: `registry/src/<index>/<name>-<version>/Cargo.toml` for registry crates, and
//! `git/checkouts/<repository>-<hash>/<short commit>/…/Cargo.toml` for git dependencies. Crates
//! published to a registry have their `license` resolved from the workspace; a git checkout's
//! `license.workspace = true` is read from the checkout's workspace root.

use std::path::{Path, PathBuf};

use super::{license_files, read_text, segment, Entry, Found, Store};
use crate::licenses::expr;
use crate::model::{Package, PackageSource};

/// How deep below a git checkout's commit directory a member crate is looked for.
const MAX_MEMBER_DEPTH: usize = 3;

pub(super) fn lookup(store: &Store, package: &Package, version: &str) -> Found {
    let (Some(name), Some(version)) = (segment(&package.name), segment(version)) else {
        return Ok(None);
    };
    if let Some(PackageSource::Git { url, commit }) = &package.source {
        return git(store, name, url, commit.as_deref());
    }
    let mut indexes: Vec<PathBuf> = std::fs::read_dir(store.root.join("registry/src"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    indexes.sort();
    let folder = format!("{name}-{version}");
    for index in indexes {
        let dir = index.join(&folder);
        let evidence = store.evidence("cargo-registry", &format!("{folder}/Cargo.toml"));
        if let Some(text) = read_text(store, &dir.join("Cargo.toml"), &evidence)? {
            let dir_evidence = store.evidence("cargo-registry", &folder);
            return manifest(store, &text, &dir, &dir_evidence, evidence, None);
        }
    }
    Ok(None)
}

/// A git dependency: the checkout of its commit, and in it the member crate with its name.
fn git(store: &Store, name: &str, url: &str, commit: Option<&str>) -> Found {
    let Some(commit) = commit.filter(|c| c.len() >= 7 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        return Ok(None);
    };
    let repository = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_owned();
    let Some(repository) = segment(&repository) else {
        return Ok(None);
    };
    let checkouts = store.root.join("git/checkouts");
    let mut clones: Vec<PathBuf> = std::fs::read_dir(&checkouts)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_prefix(repository)
                .is_some_and(|rest| rest.starts_with('-'))
        })
        .map(|e| e.path())
        .collect();
    clones.sort();
    for clone in clones {
        let checkout = clone.join(&commit[..7]);
        if !checkout.is_dir() {
            continue;
        }
        let Some(clone_name) = clone.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let base = format!("{clone_name}/{}", &commit[..7]);
        for member in members(&checkout, 0) {
            let rel = member
                .strip_prefix(&checkout)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let dir_rel = if rel.is_empty() {
                base.clone()
            } else {
                format!("{base}/{rel}")
            };
            let evidence = store.evidence("cargo-git", &format!("{dir_rel}/Cargo.toml"));
            let Some(text) = read_text(store, &member.join("Cargo.toml"), &evidence)? else {
                continue;
            };
            if package_name(&text).as_deref() != Some(name) {
                continue;
            }
            let dir_evidence = store.evidence("cargo-git", &dir_rel);
            return manifest(
                store,
                &text,
                &member,
                &dir_evidence,
                evidence,
                Some(&checkout),
            );
        }
    }
    Ok(None)
}

/// Directories below `dir` holding a `Cargo.toml`, the shallowest first.
fn members(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.join("Cargo.toml").is_file() {
        out.push(dir.to_path_buf());
    }
    if depth >= MAX_MEMBER_DEPTH {
        return out;
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            !n.starts_with('.') && n != "target"
        })
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        out.extend(members(&sub, depth + 1));
    }
    out
}

fn package_name(text: &str) -> Option<String> {
    let doc: toml::Table = text.parse().ok()?;
    doc.get("package")?.get("name")?.as_str().map(str::to_owned)
}

/// The entry a `Cargo.toml` describes: `license`, or the workspace root's for
/// `license.workspace = true`, and the license files (with `license-file`).
fn manifest(
    store: &Store,
    text: &str,
    dir: &Path,
    dir_evidence: &str,
    evidence: String,
    workspace_root: Option<&Path>,
) -> Found {
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        (
            evidence.clone(),
            format!("cannot read license metadata: {}", e.message()),
        )
    })?;
    let package = doc.get("package").and_then(toml::Value::as_table);
    let license = package.and_then(|p| p.get("license"));
    let declared = match license {
        Some(toml::Value::String(s)) => expr::normalize(s),
        Some(toml::Value::Table(t))
            if t.get("workspace").and_then(toml::Value::as_bool) == Some(true) =>
        {
            workspace_root.and_then(|root| workspace_license(store, root))
        }
        _ => None,
    };
    let mut files = license_files(store, dir, dir_evidence);
    if let Some(file) = package
        .and_then(|p| p.get("license-file"))
        .and_then(toml::Value::as_str)
        .filter(|f| !f.contains("..") && !f.starts_with('/') && !f.contains('\\'))
    {
        let path = dir.join(file);
        if let Ok(resolved) = store.resolve(&path) {
            let ev = format!("{dir_evidence}/{file}");
            if resolved.is_file() && !files.iter().any(|(_, e)| *e == ev) {
                files.push((resolved, ev));
            }
        }
    }
    Ok(Some(Entry {
        declared_in: declared.as_ref().map(|_| evidence),
        declared,
        license_files: files,
        in_tree: false,
    }))
}

fn workspace_license(store: &Store, root: &Path) -> Option<crate::licenses::Normalized> {
    let text = read_text(store, &root.join("Cargo.toml"), "").ok()??;
    let doc: toml::Table = text.parse().ok()?;
    let license = doc
        .get("workspace")?
        .get("package")?
        .get("license")?
        .as_str()?;
    expr::normalize(license)
}

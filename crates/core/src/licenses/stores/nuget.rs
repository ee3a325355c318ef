//! The NuGet global packages folder: `<id>/<version>/<id>.nuspec` (all lower case), with
//! `<license type="expression">`, `<license type="file">` (a file in the package), or the older
//! `<licenseUrl>` when it is a well-known license's address.

use super::{license_files, read_text, segment, Entry, Found, Store};
use crate::inventory::xml_tree;
use crate::licenses::expr;

pub(super) fn lookup(store: &Store, id: &str, version: &str) -> Found {
    let (Some(id), Some(version)) = (segment(id), segment(version)) else {
        return Ok(None);
    };
    let (id, version) = (id.to_lowercase(), version.to_lowercase());
    let rel_dir = format!("{id}/{version}");
    let dir = store.root.join(&rel_dir);
    let dir_evidence = store.evidence("nuget", &rel_dir);
    let evidence = format!("{dir_evidence}/{id}.nuspec");
    let Some(text) = read_text(store, &dir.join(format!("{id}.nuspec")), &evidence)? else {
        return Ok(None);
    };
    let root = xml_tree::parse(&text).map_err(|e| {
        (
            evidence.clone(),
            format!("cannot read the nuspec: {}", e.message),
        )
    })?;
    let metadata = root.child("metadata");
    let mut files = license_files(store, &dir, &dir_evidence);
    let mut declared = None;
    if let Some(license) = metadata.and_then(|m| m.child("license")) {
        let value = license.trimmed();
        match license.attr("type") {
            Some("expression") => declared = expr::normalize(value),
            Some("file") => {
                // A path inside the package, written with either separator (`docs\terms.txt`).
                let rel = value.replace('\\', "/");
                let inside = !rel.is_empty()
                    && !rel.starts_with('/')
                    && rel.split('/').all(|s| segment(s).is_some());
                if inside {
                    let ev = format!("{dir_evidence}/{rel}");
                    if let Ok(resolved) = store.resolve(&dir.join(&rel)) {
                        if resolved.is_file() && !files.iter().any(|(_, e)| *e == ev) {
                            files.push((resolved, ev));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if declared.is_none() {
        declared = metadata
            .and_then(|m| m.child_text("licenseUrl"))
            .and_then(expr::from_url);
    }
    Ok(Some(Entry {
        declared_in: declared.as_ref().map(|_| evidence),
        declared,
        license_files: files,
        in_tree: false,
    }))
}

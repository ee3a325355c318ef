//! A gem home (`GEM_HOME`, `~/.gem/ruby/<version>`): `specifications/<name>-<version>.gemspec`
//! (or `…-<version>-<platform>.gemspec`) and the gem's files in `gems/<name>-<version>/`.

use std::path::PathBuf;

use super::{license_files, read_text, segment, Entry, Found, Store};
use crate::licenses::declared;

pub(super) fn lookup(store: &Store, name: &str, version: &str) -> Found {
    let (Some(name), Some(version)) = (segment(name), segment(version)) else {
        return Ok(None);
    };
    let stem = format!("{name}-{version}");
    let specs = store.root.join("specifications");
    let mut candidates: Vec<PathBuf> = vec![specs.join(format!("{stem}.gemspec"))];
    // Platform gems: `nokogiri-1.16.0-x86_64-linux.gemspec`.
    let mut platform: Vec<PathBuf> = std::fs::read_dir(&specs)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(&stem))
                .is_some_and(|rest| rest.starts_with('-') && rest.ends_with(".gemspec"))
        })
        .collect();
    platform.sort();
    candidates.extend(platform);
    for spec in candidates {
        let file = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let evidence = store.evidence("gem", &format!("specifications/{file}"));
        let Some(text) = read_text(store, &spec, &evidence)? else {
            continue;
        };
        let declared = declared::gemspec(&text, &evidence, "").and_then(|r| r.declared);
        let gem_dir = file.trim_end_matches(".gemspec");
        let files = license_files(
            store,
            &store.root.join("gems").join(gem_dir),
            &store.evidence("gem", &format!("gems/{gem_dir}")),
        );
        return Ok(Some(Entry {
            declared_in: declared.as_ref().map(|_| evidence),
            declared,
            license_files: files,
            in_tree: false,
        }));
    }
    Ok(None)
}

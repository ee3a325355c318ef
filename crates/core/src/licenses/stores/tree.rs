//! Stores whose entries hold license files and little else: the pub cache
//! (`hosted/<host>/<name>-<version>/`; a pubspec declares no license), and the stores in the
//! scanned tree: Mix's `deps/<name>/` (with `hex_metadata.config` and its `licenses`),
//! SwiftPM's `.build/checkouts/<repository>/` and CocoaPods' `Pods/<name>/`.

use std::path::PathBuf;

use super::{entry_dir, license_files, read_text, segment, Entry, Found, Store};
use crate::licenses::expr;

/// `PUB_CACHE/hosted/<host>/<name>-<version>/`.
pub(super) fn pub_cache(store: &Store, name: &str, version: &str) -> Found {
    let (Some(name), Some(version)) = (segment(name), segment(version)) else {
        return Ok(None);
    };
    let folder = format!("{name}-{version}");
    let mut hosts: Vec<PathBuf> = std::fs::read_dir(store.root.join("hosted"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    hosts.sort();
    for host in hosts {
        let dir = host.join(&folder);
        let host_name = host
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let evidence = store.evidence("pub-cache", &format!("hosted/{host_name}/{folder}"));
        if !entry_dir(store, &dir, &evidence)? {
            continue;
        }
        return Ok(Some(Entry {
            license_files: license_files(store, &dir, &evidence),
            ..Entry::default()
        }));
    }
    Ok(None)
}

/// `deps/<name>/`: `hex_metadata.config` names the licenses (`{<<"licenses">>,[<<"MIT">>]}.`).
pub(super) fn hex_deps(store: &Store, name: &str) -> Found {
    let Some(name) = segment(name) else {
        return Ok(None);
    };
    let dir = store.root.join(name);
    let dir_evidence = store.evidence("hex-deps", name);
    if !entry_dir(store, &dir, &dir_evidence)? {
        return Ok(None);
    }
    let evidence = format!("{dir_evidence}/hex_metadata.config");
    let declared =
        read_text(store, &dir.join("hex_metadata.config"), &evidence)?.and_then(|text| {
            let licenses = erlang_binaries_of(&text, "licenses");
            expr::normalize_any_of(licenses.iter().map(String::as_str))
        });
    Ok(Some(Entry {
        declared_in: declared.as_ref().map(|_| evidence),
        declared,
        license_files: license_files(store, &dir, &dir_evidence),
        in_tree: false,
    }))
}

/// `.build/checkouts/<repository>/` for a package named by its repository URL.
pub(super) fn swift_checkout(store: &Store, url: &str) -> Found {
    let repository = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit('/')
        .next()
        .unwrap_or_default();
    dir_of(store, "swift-checkouts", repository)
}

/// `Pods/<name>/` (a subspec `Firebase/Core` is in its pod's folder).
pub(super) fn pod(store: &Store, name: &str) -> Found {
    dir_of(store, "pods", name.split('/').next().unwrap_or_default())
}

fn dir_of(store: &Store, label: &str, name: &str) -> Found {
    let Some(name) = segment(name) else {
        return Ok(None);
    };
    let dir = store.root.join(name);
    let evidence = store.evidence(label, name);
    if !entry_dir(store, &dir, &evidence)? {
        return Ok(None);
    }
    Ok(Some(Entry {
        license_files: license_files(store, &dir, &evidence),
        ..Entry::default()
    }))
}

/// The binaries in the list of the tuple `{<<"key">>, [<<"a">>, <<"b">>]}.` of an Erlang term
/// file; the few terms hex writes, read without evaluating anything.
fn erlang_binaries_of(text: &str, key: &str) -> Vec<String> {
    let needle = format!("<<\"{key}\">>");
    let Some(at) = text.find(&needle) else {
        return Vec::new();
    };
    let rest = &text[at + needle.len()..];
    let Some(open) = rest.find('[') else {
        return Vec::new();
    };
    let Some(close) = rest[open..].find(']') else {
        return Vec::new();
    };
    let list = &rest[open + 1..open + close];
    list.split("<<\"")
        .skip(1)
        .filter_map(|s| s.split_once("\">>").map(|(v, _)| v.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_metadata_licenses_are_read_as_terms() {
        let text = "{<<\"app\">>,<<\"jason\">>}.\n{<<\"licenses\">>,[<<\"Apache-2.0\">>, <<\"MIT\">>]}.\n{<<\"links\">>,[{<<\"GitHub\">>,<<\"https://git.example/jason\">>}]}.\n";
        assert_eq!(erlang_binaries_of(text, "licenses"), ["Apache-2.0", "MIT"]);
        assert!(erlang_binaries_of("garbage", "licenses").is_empty());
        assert!(erlang_binaries_of("{<<\"licenses\">>,[<<\"MIT\"", "licenses").is_empty());
    }
}

//! Where license information sits in a tree: which directories hold other parties' packages,
//! which file names are license texts, and which files are package metadata. The license walk
//! and the metadata readers both go by these rules.

/// Directories holding other people's packages: license files below them are not the project's.
const THIRD_PARTY: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "site-packages",
    "dist-packages",
    ".venv",
    "venv",
];

/// Source extensions: a file named `license.rs` is code, not a license text.
const CODE: &[&str] = &[
    "rs", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "java", "kt", "scala", "c", "h",
    "cc", "cpp", "hpp", "cs", "swift", "rb", "php", "pl", "pm", "sh", "json", "toml", "yaml",
    "yml", "xml", "html", "htm", "css", "scss", "vue", "svelte", "erl", "ex", "exs", "hs", "ml",
    "dart", "r", "jl", "lua", "sql", "tmpl", "tpl", "j2", "in", "cmake", "gradle", "png", "svg",
];

/// Extensions of compressed or binary artefacts, never license texts (`license-corpus.z`).
const BINARY: &[&str] = &[
    "z", "gz", "zip", "xz", "bz2", "zst", "tar", "tgz", "7z", "jpg", "jpeg", "gif", "pdf", "bin",
    "so", "dll", "exe", "class", "jar", "o", "a",
];

/// Whether a file name is that of a license text: `LICENSE`, `LICENCE.md`, `COPYING.LESSER`,
/// `LICENSE-MIT`, `UNLICENSE`, `NOTICE`, `MIT-LICENSE.txt`, …
pub fn is_license_file_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let (stem, ext) = match upper.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (upper.as_str(), ""),
    };
    if CODE.contains(&ext.to_ascii_lowercase().as_str())
        || BINARY.contains(&ext.to_ascii_lowercase().as_str())
    {
        return false;
    }
    const PREFIXES: &[&str] = &[
        "LICENSE",
        "LICENCE",
        "COPYING",
        "COPYRIGHT",
        "UNLICENSE",
        "NOTICE",
        "LICENSES",
    ];
    PREFIXES.iter().any(|p| {
        stem.starts_with(p)
            && stem[p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphabetic())
    }) || stem.ends_with("-LICENSE")
        || stem.ends_with("_LICENSE")
        || stem.ends_with("-LICENCE")
}

/// Whether a relative path lies inside another party's package tree.
pub fn is_third_party(rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts
        .iter()
        .any(|p| THIRD_PARTY.contains(p) || p.ends_with(".dist-info") || p.ends_with(".egg-info"))
}

/// The kinds of metadata file read for declared licenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKind {
    /// `node_modules/**/package.json`.
    NpmPackage,
    /// `*.dist-info/METADATA` or `*.egg-info/PKG-INFO`.
    PythonMetadata,
    /// `vendor/<crate>/Cargo.toml`.
    VendoredCrate,
    /// A `Cargo.toml` of the scanned tree itself (a workspace member).
    CrateManifest,
    /// `vendor/modules.txt`.
    GoVendor,
    /// `vendor/composer/installed.json`.
    ComposerInstalled,
    /// `specifications/<name>-<version>.gemspec`.
    Gemspec,
    /// `composer.lock`.
    ComposerLock,
    /// `package-lock.json` or `npm-shrinkwrap.json`.
    NpmLock,
    /// `renv.lock`.
    RenvLock,
}

/// Which kind of metadata a path (relative to the root, `/`-separated) is, if any.
pub fn metadata_kind(rel: &str) -> Option<MetaKind> {
    let parts: Vec<&str> = rel.split('/').collect();
    let name = *parts.last()?;
    let parent = parts
        .len()
        .checked_sub(2)
        .and_then(|i| parts.get(i))
        .copied();
    let inside = |dir: &str| parts[..parts.len() - 1].contains(&dir);
    let third_party = is_third_party(rel);
    match name {
        "package.json" if inside("node_modules") => Some(MetaKind::NpmPackage),
        "METADATA" if parent.is_some_and(|p| p.ends_with(".dist-info")) => {
            Some(MetaKind::PythonMetadata)
        }
        "PKG-INFO" if parent.is_some_and(|p| p.ends_with(".egg-info")) => {
            Some(MetaKind::PythonMetadata)
        }
        "Cargo.toml" if parts.len() >= 3 && parts.get(parts.len() - 3) == Some(&"vendor") => {
            Some(MetaKind::VendoredCrate)
        }
        "Cargo.toml" if !third_party => Some(MetaKind::CrateManifest),
        "modules.txt" if parent == Some("vendor") => Some(MetaKind::GoVendor),
        "installed.json" if parent == Some("composer") && inside("vendor") => {
            Some(MetaKind::ComposerInstalled)
        }
        n if n.ends_with(".gemspec") && parent == Some("specifications") => Some(MetaKind::Gemspec),
        "composer.lock" if !third_party => Some(MetaKind::ComposerLock),
        "package-lock.json" | "npm-shrinkwrap.json" if !third_party => Some(MetaKind::NpmLock),
        "renv.lock" if !third_party => Some(MetaKind::RenvLock),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_file_names() {
        for yes in [
            "LICENSE",
            "LICENSE.md",
            "license.txt",
            "LICENCE",
            "COPYING",
            "COPYING.LESSER",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "LICENSE_1_0.txt",
            "UNLICENSE",
            "NOTICE",
            "MIT-LICENSE.txt",
            "COPYRIGHT",
        ] {
            assert!(is_license_file_name(yes), "{yes}");
        }
        for no in [
            "license.rs",
            "licenses.py",
            "LICENSE.json",
            "license-corpus.z",
            "LICENSES.tar.gz",
            "README.md",
            "licensed.txt",
        ] {
            assert!(!is_license_file_name(no), "{no}");
        }
    }

    #[test]
    fn third_party_paths() {
        assert!(is_third_party("node_modules/a/LICENSE"));
        assert!(is_third_party(
            "lib/python3.12/site-packages/x-1.0.dist-info/LICENSE"
        ));
        assert!(is_third_party("vendor/github.com/a/b/LICENSE"));
        assert!(!is_third_party("LICENSE"));
        assert!(!is_third_party("packages/web/LICENSE"));
    }

    #[test]
    fn kinds_by_path() {
        assert_eq!(
            metadata_kind("node_modules/a/package.json"),
            Some(MetaKind::NpmPackage)
        );
        assert_eq!(metadata_kind("package.json"), None);
        assert_eq!(
            metadata_kind(".venv/lib/python3.12/site-packages/idna-3.7.dist-info/METADATA"),
            Some(MetaKind::PythonMetadata)
        );
        assert_eq!(
            metadata_kind("vendor/serde/Cargo.toml"),
            Some(MetaKind::VendoredCrate)
        );
        assert_eq!(metadata_kind("Cargo.toml"), Some(MetaKind::CrateManifest));
        assert_eq!(
            metadata_kind("crates/cli/Cargo.toml"),
            Some(MetaKind::CrateManifest)
        );
        assert_eq!(metadata_kind("node_modules/x/Cargo.toml"), None);
        assert_eq!(
            metadata_kind("vendor/modules.txt"),
            Some(MetaKind::GoVendor)
        );
        assert_eq!(
            metadata_kind("vendor/composer/installed.json"),
            Some(MetaKind::ComposerInstalled)
        );
        assert_eq!(
            metadata_kind("vendor/bundle/ruby/3.3.0/specifications/rack-3.0.8.gemspec"),
            Some(MetaKind::Gemspec)
        );
        assert_eq!(metadata_kind("composer.lock"), Some(MetaKind::ComposerLock));
        assert_eq!(metadata_kind("node_modules/x/package-lock.json"), None);
    }
}

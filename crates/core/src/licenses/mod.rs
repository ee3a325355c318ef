//! Licenses: declared (package metadata) and detected (license texts), as SPDX expressions,
//! classified into policy tiers.

pub mod corpus;
pub mod declared;
pub mod detect;
pub mod expr;
pub mod layout;
pub mod matcher;
mod runs;
pub mod stores;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use expr::{normalize, tier, Normalized};
pub use runs::PackageLicenses;

use crate::diag::Diagnostic;
use crate::model::{
    DeclaredSource, Detection, LicenseInfo, Package, PackageId, PackageSource, Shared, Tier,
};
use stores::{Store, StoreKind};

/// What the license stage found.
#[derive(Debug, Clone, Default)]
pub struct Identified {
    /// What is known of each package's license, in the order of the packages given; packages
    /// of the same name and version, and all those nothing is known of, share one value.
    pub packages: PackageLicenses,
    /// Licenses of the scanned project itself (its own license files and identifier lines),
    /// sorted by file.
    pub project: Vec<Detection>,
    /// Problems met reading metadata and license files.
    pub diagnostics: Vec<Diagnostic>,
    /// How many of the packages had their license from a package store.
    pub from_package_stores: usize,
    /// The kinds of package store there were to read (on the machine and in the tree), sorted.
    pub package_stores: Vec<StoreKind>,
}

/// What is known of the licenses of `packages`, and the project's own licenses.
///
/// In the tree under `tree` (when the target is walked): declared licenses from package
/// metadata, detected licenses from license files, the project's own license files and
/// `SPDX-License-Identifier:` lines. A package the tree says nothing about is looked up in the
/// package `stores` (and the stores in the tree: `deps/`, `Pods/`, `.build/checkouts/`), whose
/// entry gives its declared license and license files. Then the concluded license and its tier
/// under the built-in table with `overrides` (license id → tier, as in `[licenses.tiers]`).
///
/// The concluded license is the declared one when it maps to SPDX ids; else what was detected
/// (several licenses found in a package's files are joined with `AND`, since the files do not say
/// whether they are alternatives); else the declared `LicenseRef-`.
pub fn identify(
    tree: Option<&Path>,
    packages: &[Package],
    overrides: &BTreeMap<String, Tier>,
    stores: &[Store],
) -> Identified {
    let seen = detect::Seen::default();
    let mut identified = Identified::default();
    let mut stores = stores.to_vec();
    let by_id = match tree {
        Some(root) => {
            let (by_id, project) = read_tree(root, &seen, &mut identified.diagnostics);
            identified.project = project;
            let mut files: Vec<&str> = packages.iter().map(|p| p.location.file.as_str()).collect();
            files.sort_unstable();
            files.dedup();
            stores.extend(stores::in_tree(root, &files));
            by_id
        }
        None => HashMap::new(),
    };
    let (licenses, from_stores, diagnostics) =
        licenses_of(packages, &by_id, overrides, &stores, &seen);
    identified.packages = licenses;
    identified.from_package_stores = from_stores;
    identified.diagnostics.extend(diagnostics);
    identified.package_stores = stores.iter().map(|s| s.kind).collect();
    identified.package_stores.sort();
    identified.package_stores.dedup();
    // The same problem can be met by two readers of one file.
    identified.diagnostics.sort();
    identified.diagnostics.dedup();
    identified
}

/// The license of a package an SBOM lists: what it declares, concluded under `overrides`.
/// Several entries are joined with `AND`: the formats do not say whether they are alternatives,
/// and policy must not read the list as better than it is.
pub fn from_sbom(listed: &[String], file: &str, overrides: &BTreeMap<String, Tier>) -> LicenseInfo {
    let joined = match listed {
        [one] => one.clone(),
        many => many
            .iter()
            .map(|l| format!("({l})"))
            .collect::<Vec<_>>()
            .join(" AND "),
    };
    let declared = normalize(&joined).map(|n| (n, file.to_owned(), DeclaredSource::Sbom));
    finish(declared, Vec::new(), overrides)
}

/// The tree's package metadata records with the licenses detected beside them, by package, and
/// the project's own licenses.
fn read_tree(
    root: &Path,
    seen: &detect::Seen,
    diagnostics: &mut Vec<Diagnostic>,
) -> (HashMap<PackageId, Vec<Found>>, Vec<Detection>) {
    let tree = detect::walk(root);
    diagnostics.extend(tree.diagnostics.iter().cloned());

    let (mut project, project_diags) = detect::first_party(&tree, seen);
    diagnostics.extend(project_diags);
    // Several license files can hold the same texts; keep each (file, license) once.
    project.dedup_by(|a, b| a.file == b.file && a.license == b.license);

    let read: Vec<(Vec<declared::Record>, Vec<Diagnostic>)> = tree
        .metadata
        .par_iter()
        .map(|(path, rel, kind)| declared::read(path, rel, *kind))
        .collect();
    let mut records = Vec::new();
    for (r, d) in read {
        records.extend(r);
        diagnostics.extend(d);
    }

    // License files in each package's own directory (and its `licenses/` folder).
    let mut files_by_dir: HashMap<&str, Vec<&(PathBuf, String)>> = HashMap::new();
    for f in &tree.license_files {
        let dir = f.1.rsplit_once('/').map_or("", |(d, _)| d);
        files_by_dir.entry(dir).or_default().push(f);
        if let Some(parent) = dir
            .strip_suffix("/licenses")
            .or_else(|| dir.strip_suffix("/LICENSES"))
        {
            files_by_dir.entry(parent).or_default().push(f);
        }
    }
    let canonical_root = root.canonicalize().unwrap_or_default();
    let detected: Vec<(Vec<Detection>, Vec<Diagnostic>)> = records
        .par_iter()
        .map(|r| {
            let mut found = Vec::new();
            let mut diags = Vec::new();
            let mut files: Vec<&(PathBuf, String)> = r
                .dir
                .as_deref()
                .and_then(|d| files_by_dir.get(d))
                .cloned()
                .unwrap_or_default();
            if let Some(lf) = &r.license_file {
                if let Some(f) = tree.license_files.iter().find(|f| &f.1 == lf) {
                    files.push(f);
                } else if let Ok(resolved) = root.join(lf).canonicalize() {
                    // A `license-file` with another name (`LICENSE-THIRD-PARTY.txt`).
                    if resolved.starts_with(&canonical_root) {
                        let (d, diag) = detect::detect_file(&resolved, lf, seen);
                        found.extend(d);
                        diags.extend(diag);
                    }
                }
            }
            files.sort_by(|a, b| a.1.cmp(&b.1));
            files.dedup_by(|a, b| a.1 == b.1);
            for (path, rel) in files {
                let (d, diag) = detect::detect_file(path, rel, seen);
                found.extend(d);
                diags.extend(diag);
            }
            (found, diags)
        })
        .collect();

    let mut by_id: HashMap<PackageId, Vec<Found>> = HashMap::new();
    for (r, (d, diags)) in records.into_iter().zip(detected) {
        diagnostics.extend(diags);
        by_id
            .entry(PackageId::new(r.ecosystem, &r.name))
            .or_default()
            .push((r, d));
    }
    (by_id, project)
}

/// Packages that are one for the package stores: the same name, version and source.
type StoreKey<'a> = (PackageId, Option<&'a str>, Option<&'a PackageSource>);

fn store_key(pkg: &Package) -> StoreKey<'_> {
    (pkg.id(), pkg.version.as_deref(), pkg.source.as_ref())
}

/// The license of each package, each computed once: from the tree's metadata records once per
/// name and version (every package the tree knows nothing of sharing one value), and for those the
/// tree says nothing of, from the `stores` once per name, version and source, the lookups in
/// parallel. Returns the licenses, how many packages the stores licensed, and the stores'
/// diagnostics.
fn licenses_of(
    packages: &[Package],
    by_id: &HashMap<PackageId, Vec<Found>>,
    overrides: &BTreeMap<String, Tier>,
    stores: &[Store],
    seen: &detect::Seen,
) -> (PackageLicenses, usize, Vec<Diagnostic>) {
    let mut tree = TreeLicenses {
        by_id,
        overrides,
        unknown: Shared::new(unknown_license()),
        known: HashMap::new(),
    };
    let mut tree_license = |pkg| tree.of(pkg);
    let says_nothing = |l: &LicenseInfo| l.declared.is_none() && l.detected.is_empty();

    // The packages to look up, one of each.
    let mut wanted: Vec<&Package> = Vec::new();
    if !stores.is_empty() {
        let mut keys = std::collections::HashSet::new();
        for pkg in packages {
            if says_nothing(&tree_license(pkg)) && keys.insert(store_key(pkg)) {
                wanted.push(pkg);
            }
        }
    }
    let found: Vec<(Option<LicenseInfo>, Vec<Diagnostic>)> = wanted
        .par_iter()
        .map(|pkg| store_license(stores, pkg, overrides, seen))
        .collect();
    let mut diagnostics = Vec::new();
    let mut from_stores: HashMap<StoreKey<'_>, Shared<LicenseInfo>> = HashMap::new();
    for (pkg, (info, diags)) in wanted.into_iter().zip(found) {
        diagnostics.extend(diags);
        if let Some(info) = info {
            from_stores.insert(store_key(pkg), Shared::new(info));
        }
    }

    let mut licensed_by_stores = 0;
    let licenses = packages
        .iter()
        .map(|pkg| {
            let tree = tree_license(pkg);
            if !says_nothing(&tree) {
                return tree;
            }
            match from_stores.get(&store_key(pkg)) {
                Some(store) => {
                    if store.concluded.is_some() {
                        licensed_by_stores += 1;
                    }
                    store.clone()
                }
                None => tree,
            }
        })
        .collect();
    (licenses, licensed_by_stores, diagnostics)
}

/// The licenses the tree's metadata records give, computed once per name and version.
struct TreeLicenses<'a> {
    by_id: &'a HashMap<PackageId, Vec<Found>>,
    overrides: &'a BTreeMap<String, Tier>,
    /// The one value of every package the tree knows nothing of.
    unknown: Shared<LicenseInfo>,
    known: HashMap<(&'a PackageId, Option<&'a str>), Shared<LicenseInfo>>,
}

impl<'a> TreeLicenses<'a> {
    fn of(&mut self, pkg: &'a Package) -> Shared<LicenseInfo> {
        let Some((id, candidates)) = self.by_id.get_key_value(&pkg.id()) else {
            return self.unknown.clone();
        };
        let overrides = self.overrides;
        self.known
            .entry((id, pkg.version.as_deref()))
            .or_insert_with(|| Shared::new(license_info(pkg, candidates, overrides)))
            .clone()
    }
}

/// What the stores say of one package: its entry's declared license and what its license files
/// hold.
fn store_license(
    stores: &[Store],
    pkg: &Package,
    overrides: &BTreeMap<String, Tier>,
    seen: &detect::Seen,
) -> (Option<LicenseInfo>, Vec<Diagnostic>) {
    let (entry, mut diagnostics) = stores::lookup(stores, pkg);
    let info = entry.map(|entry| {
        let mut detected = Vec::new();
        for (path, evidence) in &entry.license_files {
            let (d, diag) = detect::detect_file(path, evidence, seen);
            detected.extend(d);
            diagnostics.extend(diag);
        }
        let source = if entry.in_tree {
            DeclaredSource::Installed
        } else {
            DeclaredSource::PackageStore
        };
        let declared = entry
            .declared
            .zip(entry.declared_in)
            .map(|(d, evidence)| (d, evidence, source));
        finish(declared, detected, overrides)
    });
    (info, diagnostics)
}

/// A metadata record and the licenses detected in its package's files.
type Found = (declared::Record, Vec<Detection>);

/// What is said of a package no metadata speaks of.
fn unknown_license() -> LicenseInfo {
    LicenseInfo {
        tier: Tier::Unknown,
        ..LicenseInfo::default()
    }
}

fn same_version(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |v: &str| v.trim().trim_start_matches('v').to_owned();
    match (a, b) {
        (Some(a), Some(b)) => norm(a) == norm(b),
        _ => false,
    }
}

/// Puts together what the matching metadata records say about one package.
fn license_info(
    pkg: &Package,
    candidates: &[Found],
    overrides: &BTreeMap<String, Tier>,
) -> LicenseInfo {
    let mut matching: Vec<&Found> = candidates
        .iter()
        .filter(|(r, _)| same_version(r.version.as_deref(), pkg.version.as_deref()))
        .collect();
    if matching.is_empty() && pkg.version.is_none() && candidates.len() == 1 {
        // An unpinned requirement and exactly one installed copy: that is the one in use.
        matching = candidates.iter().collect();
    }
    // A package's own metadata first, then lockfile fields.
    matching.sort_by_key(|(r, _)| r.kind == DeclaredSource::Lockfile);
    let declared = matching.iter().find_map(|(r, _)| {
        r.declared
            .as_ref()
            .map(|d| (d.clone(), r.source.clone(), r.kind))
    });
    let mut detected: Vec<Detection> = Vec::new();
    for (_, d) in &matching {
        for x in d {
            if !detected
                .iter()
                .any(|y| y.file == x.file && y.license == x.license)
            {
                detected.push(x.clone());
            }
        }
    }
    finish(declared, detected, overrides)
}

/// A license an operating-system package database declares, with its tier under `overrides`.
pub fn with_tiers(
    info: Shared<LicenseInfo>,
    overrides: &BTreeMap<String, Tier>,
) -> Shared<LicenseInfo> {
    let Some(concluded) = info.concluded.as_deref() else {
        return info;
    };
    let tier = expr::tier(concluded, overrides);
    if tier == info.tier {
        return info;
    }
    let mut owned = (*info).clone();
    owned.tier = tier;
    Shared::new(owned)
}

/// The license info of a declared license (with the file and kind of metadata it came from) and
/// the detected ones: the concluded license and its tier.
fn finish(
    declared: Option<(Normalized, String, DeclaredSource)>,
    detected: Vec<Detection>,
    overrides: &BTreeMap<String, Tier>,
) -> LicenseInfo {
    let concluded = conclude(declared.as_ref().map(|(d, _, _)| d), &detected);
    let tier = concluded
        .as_deref()
        .map_or(Tier::Unknown, |c| expr::tier(c, overrides));
    let (declared, declared_text, declared_in, declared_source) = match declared {
        Some((d, file, source)) => (Some(d.expression), d.raw, Some(file), Some(source)),
        None => (None, None, None, None),
    };
    LicenseInfo {
        declared,
        declared_text,
        declared_in,
        declared_source,
        detected,
        concluded,
        tier,
    }
}

/// The declared expression when it maps to SPDX ids, else the detected licenses (`AND`), else the
/// declared `LicenseRef-`.
fn conclude(declared: Option<&Normalized>, detected: &[Detection]) -> Option<String> {
    if let Some(d) = declared.filter(|d| d.is_spdx()) {
        return Some(d.expression.clone());
    }
    let mut ids: Vec<&str> = Vec::new();
    for d in detected {
        if !ids.contains(&d.license.as_str()) {
            ids.push(&d.license);
        }
    }
    if !ids.is_empty() {
        let joined = ids
            .iter()
            .map(|i| {
                if i.contains(" OR ") {
                    format!("({i})")
                } else {
                    (*i).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        return Some(expr::parse_canonical(&joined).unwrap_or(joined));
    }
    declared.map(|d| d.expression.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Ecosystem;

    #[test]
    fn concluded_prefers_spdx_declared_then_detected() {
        let det = |l: &str| Detection {
            license: l.into(),
            confidence: 0.99,
            file: "LICENSE".into(),
        };
        let mit = normalize("MIT");
        let custom = normalize("custom terms");
        assert_eq!(
            conclude(mit.as_ref(), &[det("Apache-2.0")]).as_deref(),
            Some("MIT")
        );
        assert_eq!(
            conclude(custom.as_ref(), &[det("Apache-2.0"), det("MIT")]).as_deref(),
            Some("Apache-2.0 AND MIT")
        );
        assert_eq!(
            conclude(custom.as_ref(), &[]).as_deref(),
            Some("LicenseRef-custom-terms")
        );
        assert_eq!(conclude(None, &[]), None);
    }

    fn fixture() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/licenses/declared")
    }

    /// The packages the inventory finds under `root`.
    fn packages_of(root: &Path) -> Vec<Package> {
        let options = crate::walk::WalkOptions::default();
        let sources = crate::inventory::Sources {
            walk: Some(root),
            walk_options: &options,
            explicit: &[],
        };
        crate::inventory::collect(&sources, &crate::progress::NoProgress)
            .expect("inventory")
            .packages
    }

    fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
        Package::new(
            eco,
            name,
            Some(version),
            crate::model::Location {
                file: "x".into(),
                line: None,
            },
        )
    }

    #[test]
    fn identify_finds_declared_and_detected_licenses() {
        let root = fixture();
        let mut packages = packages_of(&root);
        packages.extend([
            pkg(Ecosystem::Npm, "left-pad", "1.3.0"),
            pkg(Ecosystem::Npm, "old-style", "0.1.0"),
            pkg(Ecosystem::Npm, "old-style", "9.9.9"),
            pkg(Ecosystem::PyPI, "Requests", "2.32.3"),
            pkg(Ecosystem::PyPI, "oldpkg", "0.9"),
            pkg(Ecosystem::Cargo, "itoa", "1.0.11"),
            pkg(Ecosystem::Packagist, "monolog/monolog", "3.5.0"),
            pkg(Ecosystem::Packagist, "acme/dual", "v1.0.0"),
            pkg(Ecosystem::RubyGems, "rack", "3.0.8"),
        ]);
        let mut overrides = BTreeMap::new();
        overrides.insert("WTFPL".to_owned(), Tier::Forbidden);
        let identified = identify(Some(&root), &packages, &overrides, &[]);
        let info = |name: &str, version: &str| {
            packages
                .iter()
                .zip(&identified.packages)
                .find(|(p, _)| p.name == name && p.version.as_deref() == Some(version))
                .map(|(_, l)| LicenseInfo::clone(l))
                .unwrap_or_else(|| panic!("{name} has license info"))
        };
        let concluded = |name: &str, version: &str| info(name, version).concluded;
        assert_eq!(
            concluded("left-pad", "1.3.0").as_deref(),
            Some("WTFPL OR MIT")
        );
        assert_eq!(info("left-pad", "1.3.0").tier, Tier::Permissive);
        assert_eq!(
            concluded("old-style", "0.1.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(concluded("old-style", "9.9.9"), None);
        assert_eq!(info("old-style", "9.9.9").tier, Tier::Unknown);
        let requests = info("Requests", "2.32.3");
        assert_eq!(requests.declared.as_deref(), Some("Apache-2.0"));
        assert_eq!(
            requests.declared_in.as_deref(),
            Some("venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA")
        );
        assert_eq!(requests.detected.len(), 1);
        assert_eq!(requests.detected[0].license, "Apache-2.0");
        assert_eq!(concluded("oldpkg", "0.9").as_deref(), Some("BSD-3-Clause"));
        assert_eq!(
            concluded("itoa", "1.0.11").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        let monolog = info("monolog/monolog", "3.5.0");
        assert_eq!(monolog.concluded.as_deref(), Some("MIT"));
        assert_eq!(
            monolog.detected.first().map(|d| d.license.as_str()),
            Some("MIT")
        );
        let dual = info("acme/dual", "v1.0.0");
        assert_eq!(dual.concluded.as_deref(), Some("GPL-2.0-or-later OR MIT"));
        assert_eq!(dual.tier, Tier::Permissive);
        let rack = info("rack", "3.0.8");
        assert_eq!(rack.concluded.as_deref(), Some("MIT"));
        assert_eq!(rack.detected.len(), 1);
        // From the lockfiles' own license fields, and a vendored Go module's LICENSE file.
        assert_eq!(concluded("ms", "2.1.3").as_deref(), Some("MIT"));
        assert_eq!(concluded("psr/log", "3.0.0").as_deref(), Some("MIT"));
        let errors = packages
            .iter()
            .zip(&identified.packages)
            .find(|(p, _)| p.name == "github.com/pkg/errors")
            .map(|(_, l)| l.clone())
            .expect("go module");
        assert_eq!(errors.declared, None);
        assert_eq!(errors.concluded.as_deref(), Some("MIT"));
        assert!(errors.detected[0].confidence > 0.95);
        // Nothing in the fixture is first-party.
        assert!(identified.project.is_empty(), "{:?}", identified.project);
    }

    #[test]
    fn project_licenses_come_from_first_party_files_and_identifier_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mit = std::fs::read_to_string(fixture().join("vendor/github.com/pkg/errors/LICENSE"))
            .expect("fixture");
        std::fs::write(dir.path().join("LICENSE-MIT"), &mit).expect("write");
        std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
        std::fs::write(
            dir.path().join("src/main.rs"),
            "// SPDX-License-Identifier: MIT OR Apache-2.0\nfn main() {}\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("README.md"), "# demo\n\nA demo.\n").expect("write");
        std::fs::write(dir.path().join("NOTICE"), b"\x00\x01\x02").expect("write");
        let packages = packages_of(dir.path());
        let identified = identify(Some(dir.path()), &packages, &BTreeMap::new(), &[]);
        let got: Vec<(&str, &str)> = identified
            .project
            .iter()
            .map(|d| (d.license.as_str(), d.file.as_str()))
            .collect();
        assert_eq!(
            got,
            [("MIT", "LICENSE-MIT"), ("MIT OR Apache-2.0", "src/main.rs")]
        );
        assert!(identified.diagnostics.iter().any(
            |d| d.file.as_deref() == Some("NOTICE") && d.code == crate::diag::Code::InvalidUtf8
        ));
    }

    #[test]
    fn packages_the_tree_does_not_know_are_looked_up_in_the_stores() {
        let stores_dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/licenses/stores");
        let stores: Vec<Store> = [
            (stores::StoreKind::Cargo, "cargo"),
            (stores::StoreKind::NuGet, "nuget"),
        ]
        .into_iter()
        .filter_map(|(kind, dir)| Store::new(kind, stores_dir.join(dir)))
        .collect();
        let packages = vec![
            pkg(Ecosystem::Cargo, "memchr", "2.8.3"),
            pkg(Ecosystem::Cargo, "memchr", "2.8.3"),
            pkg(Ecosystem::NuGet, "Acme.Eula", "3.0.0"),
            pkg(Ecosystem::Cargo, "absent", "1.0.0"),
        ];
        let mut overrides = BTreeMap::new();
        overrides.insert("Unlicense".to_owned(), Tier::Forbidden);
        let identified = identify(None, &packages, &overrides, &stores);
        assert!(
            identified.diagnostics.is_empty(),
            "{:?}",
            identified.diagnostics
        );
        let licenses: Vec<LicenseInfo> = identified
            .packages
            .iter()
            .map(|l| LicenseInfo::clone(l))
            .collect();
        assert_eq!(identified.from_package_stores, 3);
        let memchr = &licenses[0];
        assert_eq!(memchr, &licenses[1]);
        assert_eq!(memchr.declared.as_deref(), Some("Unlicense OR MIT"));
        assert_eq!(memchr.declared_source, Some(DeclaredSource::PackageStore));
        assert_eq!(
            memchr.declared_in.as_deref(),
            Some("cargo-registry:memchr-2.8.3/Cargo.toml")
        );
        let detected: Vec<(&str, &str)> = memchr
            .detected
            .iter()
            .map(|d| (d.license.as_str(), d.file.as_str()))
            .collect();
        assert_eq!(
            detected,
            // `COPYING` only says which licenses apply, in words: no license text.
            [
                ("MIT", "cargo-registry:memchr-2.8.3/LICENSE-MIT"),
                ("Unlicense", "cargo-registry:memchr-2.8.3/UNLICENSE"),
            ]
        );
        // The declared alternatives: MIT keeps it permissive when Unlicense is forbidden.
        assert_eq!(memchr.tier, Tier::Permissive);
        // A nuspec naming a license file: what the file holds.
        let eula = &licenses[2];
        assert_eq!(eula.declared, None);
        assert_eq!(eula.concluded.as_deref(), Some("BSD-3-Clause"));
        assert_eq!(
            eula.detected[0].file,
            "nuget:acme.eula/3.0.0/docs/terms.txt"
        );
        assert_eq!(licenses[3], LicenseInfo::default());
    }
}

//! Operating-system packages of a root file system (an image's, or a directory's): the
//! distribution from `os-release`, then dpkg's, apk's and rpm's databases, each package with
//! its source package, licence and, in an image, the layer that added it.
//!
//! Files are read inside the root only: a symbolic link is followed as the system itself would
//! see it (`/` and `..` stop at the root), never to the scanning machine's own files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::inventory::{Kind, ScannedFile};
use crate::licenses;
use crate::model::{
    purl, DeclaredSource, Distro, Ecosystem, LayerRef, LicenseInfo, Location, OsPackage, Package,
    Shared,
};
use crate::source::image::{ImageInfo, RemovedPackage};
use crate::source::OsRoot;

mod apk;
mod copyright;
mod dpkg;
pub mod release;
mod rpm;
mod stanza;

/// What the operating-system cataloger found.
#[derive(Debug, Default)]
pub struct OsInventory {
    /// The distribution, when `os-release` names one.
    pub distro: Option<Distro>,
    /// The databases read.
    pub files: Vec<ScannedFile>,
    /// The installed packages.
    pub packages: Vec<Package>,
    /// Packages an image layer removed again.
    pub removed: Vec<RemovedPackage>,
    /// Problems met.
    pub diagnostics: Vec<Diagnostic>,
}

/// The largest database or copyright file read.
const MAX_FILE_BYTES: u64 = 512 << 20;

/// Reads the operating-system packages below `root`.
pub fn catalog(root: &Path, os: &OsRoot, image: Option<&ImageInfo>) -> OsInventory {
    let mut out = OsInventory::default();
    let release = ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|p| read_inside(root, p).ok().flatten().map(|b| (*p, b)));
    out.distro = release.and_then(|(_, bytes)| release::parse(&String::from_utf8_lossy(&bytes)));
    let Some(distro) = out.distro.clone() else {
        out.diagnostics.push(Diagnostic::warning(
            Code::Unsupported,
            "no `os-release` names the distribution: operating-system packages were not read",
        ));
        return out;
    };
    let layers = Layers::new(os, image);

    let mut databases: Vec<(String, Ecosystem)> = Vec::new();
    if exists_inside(root, "var/lib/dpkg/status") {
        databases.push(("var/lib/dpkg/status".to_owned(), Ecosystem::Deb));
    }
    if let Ok(entries) = std::fs::read_dir(root.join("var/lib/dpkg/status.d")) {
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".md5sums"))
            .collect();
        names.sort();
        databases.extend(
            names
                .into_iter()
                .map(|n| (format!("var/lib/dpkg/status.d/{n}"), Ecosystem::Deb)),
        );
    }
    if exists_inside(root, "lib/apk/db/installed") {
        databases.push(("lib/apk/db/installed".to_owned(), Ecosystem::Apk));
    }
    for dir in ["var/lib/rpm", "usr/lib/sysimage/rpm"] {
        if exists_inside(root, &format!("{dir}/rpmdb.sqlite")) {
            databases.push((format!("{dir}/rpmdb.sqlite"), Ecosystem::Rpm));
            break;
        }
        for old in ["Packages", "Packages.db"] {
            let path = format!("{dir}/{old}");
            if exists_inside(root, &path) {
                out.diagnostics.push(
                    Diagnostic::warning(
                        Code::Unsupported,
                        "this rpm database format (Berkeley DB or NDB) is not supported: its packages were not read",
                    )
                    .in_file(path, None)
                    .with_help("only `rpmdb.sqlite` (RHEL 9, AlmaLinux 9, Rocky Linux 9, Fedora 33 and later) is read"),
                );
            }
        }
    }

    for (file, ecosystem) in databases {
        let mut builder = Builder::new(&distro, ecosystem, &file);
        builder.layer = layers.of_file(&file);
        match ecosystem {
            Ecosystem::Rpm => match resolve_inside(root, &file) {
                Ok(path) => rpm::read_sqlite(&path, &mut builder),
                Err(e) => builder.unreadable(&e),
            },
            _ => match read_inside(root, &file) {
                Ok(Some(bytes)) => {
                    let text = String::from_utf8_lossy(&bytes);
                    if ecosystem == Ecosystem::Apk {
                        apk::read(&text, &mut builder);
                    } else {
                        dpkg::read(&text, &mut builder);
                    }
                }
                Ok(None) => continue,
                Err(e) => builder.unreadable(&e),
            },
        }
        out.files.push(ScannedFile {
            path: file.clone(),
            format: format_name(ecosystem).to_owned(),
            ecosystem,
            kind: Kind::Lockfile,
            packages: builder.packages.len(),
            superseded: false,
        });
        out.diagnostics.append(&mut builder.diagnostics);
        out.packages.append(&mut builder.packages);
    }

    for p in out
        .packages
        .iter_mut()
        .filter(|p| p.ecosystem == Ecosystem::Deb)
    {
        if p.license.is_none() {
            p.license = deb_license(root, &p.name);
        }
    }
    layers.attribute(&mut out.packages, &mut out.removed, &distro);
    out
}

/// The format name of a database, as the files list shows it.
fn format_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Apk => "apk-installed",
        Ecosystem::Rpm => "rpmdb-sqlite",
        _ => "dpkg-status",
    }
}

/// A Debian package's licence from its copyright file.
fn deb_license(root: &Path, name: &str) -> Option<Shared<LicenseInfo>> {
    if name.contains('/') || name.starts_with('.') {
        return None;
    }
    let file = format!("usr/share/doc/{name}/copyright");
    let bytes = read_inside(root, &file).ok().flatten()?;
    let names = copyright::licenses(&String::from_utf8_lossy(&bytes));
    let expression = copyright::to_expression(&names)?;
    Some(Shared::new(declared(&expression, &names.join(", "), file)))
}

/// A licence the package database (or copyright file) declares; the tier is the default one
/// until the licence stage applies the configuration's.
fn declared(expression: &str, raw: &str, file: String) -> LicenseInfo {
    let normalized = licenses::normalize(expression);
    let (expression, text) = match normalized {
        Some(n) if n.is_spdx() => (n.expression, None),
        Some(n) => (n.expression, Some(raw.to_owned())),
        None => (expression.to_owned(), Some(raw.to_owned())),
    };
    LicenseInfo {
        declared: Some(expression.clone()),
        declared_text: text,
        declared_in: Some(file),
        declared_source: Some(DeclaredSource::Installed),
        detected: Vec::new(),
        tier: licenses::tier(&expression, &BTreeMap::new()),
        concluded: Some(expression),
    }
}

/// The fields of one OS package as a database gives them.
pub(crate) struct OsPackageFields<'a> {
    pub(crate) name: &'a str,
    pub(crate) version: &'a str,
    pub(crate) arch: Option<&'a str>,
    pub(crate) source_name: &'a str,
    pub(crate) source_version: Option<&'a str>,
    pub(crate) epoch: Option<&'a str>,
    pub(crate) license: Option<&'a str>,
    pub(crate) line: Option<u32>,
}

/// Makes the packages of one database file.
pub(crate) struct Builder<'a> {
    distro: &'a Distro,
    ecosystem: Ecosystem,
    file: &'a str,
    layer: Option<usize>,
    packages: Vec<Package>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    fn new(distro: &'a Distro, ecosystem: Ecosystem, file: &'a str) -> Self {
        Builder {
            distro,
            ecosystem,
            file,
            layer: None,
            packages: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Adds one package.
    pub(crate) fn add(&mut self, f: OsPackageFields<'_>) {
        let mut qualifiers = vec![("arch", f.arch.unwrap_or_default())];
        let distro_q = self.distro.purl_qualifier().unwrap_or_default();
        qualifiers.push(("distro", &distro_q));
        if let Some(e) = f.epoch {
            qualifiers.push(("epoch", e));
        }
        let purl = purl::for_os_package(
            self.ecosystem.purl_type(),
            &self.distro.id,
            f.name,
            f.version,
            &qualifiers,
        );
        // The version compared with advisories carries the epoch (`1:3.0.7-24.el9`), as rpm and
        // OSV write it; dpkg's version already does.
        let version = match f.epoch.filter(|e| *e != "0") {
            Some(e) => format!("{e}:{}", f.version),
            None => f.version.to_owned(),
        };
        let mut package = Package::new(
            self.ecosystem,
            f.name,
            Some(&version),
            Location::new(self.file, f.line),
        );
        package.purl = purl.into();
        package.os = Some(Shared::new(OsPackage {
            distro: self.distro.clone(),
            arch: f.arch.map(str::to_owned),
            source_name: f.source_name.to_owned(),
            source_version: f.source_version.map(str::to_owned),
        }));
        package.license = f
            .license
            .map(|l| Shared::new(declared(l, l, self.file.to_owned())));
        self.packages.push(package);
    }

    /// Reports an entry skipped at a line.
    pub(crate) fn skipped(&mut self, line: u32, what: &str) {
        self.diagnostics.push(
            Diagnostic::warning(Code::ParseError, format!("skipped {what}"))
                .in_file(self.file, Some(line)),
        );
    }

    /// Reports an entry skipped where no line applies.
    pub(crate) fn skipped_entry(&mut self, what: &str) {
        self.diagnostics.push(
            Diagnostic::warning(Code::ParseError, format!("skipped {what}"))
                .in_file(self.file, None),
        );
    }

    /// Reports that the file could not be read.
    pub(crate) fn unreadable(&mut self, why: &str) {
        self.diagnostics
            .push(Diagnostic::error(Code::ReadError, why.to_owned()).in_file(self.file, None));
    }
}

/// The (name, version) pairs one copy of a package database lists.
type Listed = Vec<(String, String)>;

/// Which layer wrote what, for an image.
struct Layers<'a> {
    os: &'a OsRoot,
    image: Option<&'a ImageInfo>,
}

impl<'a> Layers<'a> {
    fn new(os: &'a OsRoot, image: Option<&'a ImageInfo>) -> Self {
        Layers { os, image }
    }

    fn of_file(&self, file: &str) -> Option<usize> {
        self.image?;
        self.os.layer_of.get(file).copied()
    }

    fn reference(&self, index: usize) -> Option<Shared<LayerRef>> {
        let layer = self.image?.layers.get(index)?;
        Some(Shared::new(LayerRef {
            index,
            digest: layer.digest.clone(),
            created_by: layer.created_by.clone(),
        }))
    }

    /// Gives each package the layer that added it: for a database whose every version was kept,
    /// the first layer whose copy lists the package at this version; else the layer that wrote
    /// the database file. Packages listed by an earlier copy and not by the last are `removed`.
    fn attribute(
        &self,
        packages: &mut [Package],
        removed: &mut Vec<RemovedPackage>,
        distro: &Distro,
    ) {
        if self.image.is_none() {
            return;
        }
        let mut first_seen: HashMap<(String, String, String), usize> = HashMap::new();
        let mut by_file: BTreeMap<&str, Vec<(usize, Listed)>> = BTreeMap::new();
        for (path, layer, bytes) in &self.os.history {
            let text = String::from_utf8_lossy(bytes);
            let listed = if path.starts_with("lib/apk") {
                apk::installed(&text)
            } else {
                dpkg::installed(&text)
            };
            for (name, version) in &listed {
                first_seen
                    .entry((path.clone(), name.clone(), version.clone()))
                    .or_insert(*layer);
            }
            by_file
                .entry(path.as_str())
                .or_default()
                .push((*layer, listed));
        }
        for p in packages.iter_mut() {
            let file = p.location.file.to_string();
            let key = (
                file.clone(),
                p.name.to_string(),
                p.version.as_deref().unwrap_or_default().to_owned(),
            );
            let index = first_seen
                .get(&key)
                .copied()
                .or_else(|| self.of_file(&file));
            p.layer = index.and_then(|i| self.reference(i));
        }
        for (path, versions) in by_file {
            let ecosystem = if path.starts_with("lib/apk") {
                Ecosystem::Apk
            } else {
                Ecosystem::Deb
            };
            for pair in versions.windows(2) {
                let (_, before) = &pair[0];
                let (layer, after) = &pair[1];
                for (name, version) in before {
                    if !after.iter().any(|(n, _)| n == name) {
                        let mut b = Builder::new(distro, ecosystem, path);
                        b.add(OsPackageFields {
                            name,
                            version,
                            arch: None,
                            source_name: name,
                            source_version: None,
                            epoch: None,
                            license: None,
                            line: None,
                        });
                        if let Some(p) = b.packages.pop() {
                            removed.push(RemovedPackage {
                                purl: p.purl.to_string(),
                                layer: *layer,
                            });
                        }
                    }
                }
            }
        }
    }
}

/// The most symbolic links followed while resolving one path, as Linux allows.
const MAX_LINKS: usize = 40;

/// The path on disk that `rel` names inside `root`, following symbolic links as the system
/// would with `root` as its `/`.
fn resolve_inside(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let mut pending: Vec<String> = rel.split('/').rev().map(str::to_owned).collect();
    let mut done: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(part) = pending.pop() {
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => {}
        }
        done.push(part);
        let here: PathBuf = done.iter().fold(root.to_path_buf(), |p, c| p.join(c));
        let Ok(meta) = std::fs::symlink_metadata(&here) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            links += 1;
            if links > MAX_LINKS {
                return Err(format!(
                    "too many levels of symbolic links (a loop?) at `{rel}`"
                ));
            }
            let target = std::fs::read_link(&here).map_err(|e| e.to_string())?;
            let target = target.to_string_lossy().into_owned();
            done.pop();
            if target.starts_with('/') {
                done.clear();
            }
            pending.extend(target.split('/').rev().map(str::to_owned));
        }
    }
    Ok(done.iter().fold(root.to_path_buf(), |p, c| p.join(c)))
}

fn exists_inside(root: &Path, rel: &str) -> bool {
    resolve_inside(root, rel).is_ok_and(|p| p.is_file())
}

/// A file's bytes, read inside `root`; `Ok(None)` when it is not there.
fn read_inside(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, String> {
    let path = resolve_inside(root, rel)?;
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => {
            if m.len() > MAX_FILE_BYTES {
                return Err(format!(
                    "the file is {} MiB, more than trusca reads",
                    m.len() >> 20
                ));
            }
            std::fs::read(&path)
                .map(Some)
                .map_err(|e| format!("cannot read file: {e}"))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the database readers' tests.

    use super::*;

    fn distro(id: &str, version: &str) -> Distro {
        Distro {
            id: id.to_owned(),
            version_id: Some(version.to_owned()),
            pretty_name: None,
            lts: false,
        }
    }

    pub(crate) fn debian() -> Distro {
        distro("debian", "12")
    }

    pub(crate) fn alpine() -> Distro {
        distro("alpine", "3.19.1")
    }

    pub(crate) fn alma() -> Distro {
        distro("almalinux", "9.3")
    }

    /// Runs a reader with a builder for `file` and returns what it made.
    pub(crate) fn build(
        distro: &Distro,
        file: &str,
        read: impl FnOnce(&mut Builder<'_>),
    ) -> (Vec<Package>, Vec<Diagnostic>) {
        let ecosystem = match distro.id.as_str() {
            "alpine" => Ecosystem::Apk,
            "almalinux" => Ecosystem::Rpm,
            _ => Ecosystem::Deb,
        };
        let mut b = Builder::new(distro, ecosystem, file);
        read(&mut b);
        (b.packages, b.diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_never_leave_the_root() {
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret"), "ID=host\n").expect("write");
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(root.path().join("etc")).expect("mkdir");
        let abs = outside.path().join("secret");
        std::os::unix::fs::symlink(&abs, root.path().join("etc/os-release")).expect("link");
        assert_eq!(read_inside(root.path(), "etc/os-release"), Ok(None));
        std::os::unix::fs::symlink("loop", root.path().join("loop")).expect("link");
        assert!(read_inside(root.path(), "loop/x").is_err());
    }

    #[test]
    fn a_root_without_os_release_is_reported() {
        let root = tempfile::tempdir().expect("tempdir");
        let found = catalog(root.path(), &OsRoot::default(), None);
        assert!(found.packages.is_empty());
        assert_eq!(found.diagnostics.len(), 1);
    }

    #[test]
    fn reads_a_debian_root_with_licences() {
        let root = tempfile::tempdir().expect("tempdir");
        let put = |rel: &str, text: &str| {
            let p = root.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        put("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        std::fs::create_dir_all(root.path().join("etc")).expect("mkdir");
        std::os::unix::fs::symlink("../usr/lib/os-release", root.path().join("etc/os-release"))
            .expect("link");
        put(
            "var/lib/dpkg/status",
            "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\nSource: zlib\n",
        );
        put(
            "usr/share/doc/zlib1g/copyright",
            "Format: x\n\nFiles: *\nLicense: Zlib\n",
        );
        let found = catalog(root.path(), &OsRoot::default(), None);
        assert_eq!(found.distro.as_ref().map(|d| d.id.as_str()), Some("debian"));
        assert_eq!(found.packages.len(), 1, "{:?}", found.diagnostics);
        let p = &found.packages[0];
        assert_eq!(p.version.as_deref(), Some("1:1.2.13.dfsg-1"));
        assert_eq!(
            p.purl,
            "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12"
        );
        let license = p.license.as_ref().expect("license");
        assert_eq!(license.concluded.as_deref(), Some("Zlib"));
        assert_eq!(found.files.len(), 1);
    }
}

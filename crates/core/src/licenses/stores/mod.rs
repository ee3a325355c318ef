//! Package stores: the places on the machine where package managers keep the packages they
//! fetched (the cargo registry, the Go module cache, virtual environments, the local Maven
//! repository, the NuGet and gem and pub caches) and the ones in the tree (`deps/`, `Pods/`,
//! `.build/checkouts/`). A package's entry there holds its metadata and license files, so every
//! dependency's license is known offline.
//!
//! Stores are read, never written; nothing in them is run. Each package is looked up at the path
//! its store gives it (no store is walked), every file read is bounded in size, and a path that
//! leads out of its store (a symbolic link) is refused. Evidence names the store and the path
//! inside it (`cargo-registry:serde-1.0.130/Cargo.toml`), never the home directory, so two
//! machines with the same stores give the same result.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::expr::Normalized;
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Package};

mod cargo;
mod go;
mod maven;
mod nuget;
mod python;
mod ruby;
mod tree;

/// The largest metadata file read from a store (a `Cargo.toml`, a `.pom`, a `.nuspec`).
pub const MAX_STORE_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// How many license files of one package entry are read.
const MAX_LICENSE_FILES: usize = 16;

/// The kinds of store, each with the directory `--package-store KIND=DIR` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StoreKind {
    /// `CARGO_HOME` (its `registry/src` and `git/checkouts`).
    Cargo,
    /// `GOMODCACHE`.
    Go,
    /// A Python virtual environment (`VIRTUAL_ENV`).
    Python,
    /// A local Maven repository (`~/.m2/repository`).
    Maven,
    /// `GRADLE_USER_HOME` (its `caches/modules-2/files-2.1`).
    Gradle,
    /// The NuGet global packages folder (`NUGET_PACKAGES`, `~/.nuget/packages`).
    NuGet,
    /// A gem home (`GEM_HOME`: `specifications/` and `gems/`).
    Gem,
    /// `PUB_CACHE` (its `hosted/*`).
    Pub,
    /// Mix's `deps/` beside a `mix.lock`.
    HexDeps,
    /// SwiftPM's `.build/checkouts/` beside a `Package.resolved`.
    SwiftCheckouts,
    /// CocoaPods' `Pods/` beside a `Podfile.lock`.
    Pods,
}

impl StoreKind {
    /// Every kind a user can name.
    pub const ALL: [StoreKind; 11] = [
        StoreKind::Cargo,
        StoreKind::Go,
        StoreKind::Python,
        StoreKind::Maven,
        StoreKind::Gradle,
        StoreKind::NuGet,
        StoreKind::Gem,
        StoreKind::Pub,
        StoreKind::HexDeps,
        StoreKind::SwiftCheckouts,
        StoreKind::Pods,
    ];

    /// The name in `--package-store KIND=DIR`.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Cargo => "cargo",
            StoreKind::Go => "go",
            StoreKind::Python => "python",
            StoreKind::Maven => "maven",
            StoreKind::Gradle => "gradle",
            StoreKind::NuGet => "nuget",
            StoreKind::Gem => "gem",
            StoreKind::Pub => "pub",
            StoreKind::HexDeps => "hex-deps",
            StoreKind::SwiftCheckouts => "swift-checkouts",
            StoreKind::Pods => "pods",
        }
    }

    /// The ecosystem whose packages it holds.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            StoreKind::Cargo => Ecosystem::Cargo,
            StoreKind::Go => Ecosystem::Go,
            StoreKind::Python => Ecosystem::PyPI,
            StoreKind::Maven | StoreKind::Gradle => Ecosystem::Maven,
            StoreKind::NuGet => Ecosystem::NuGet,
            StoreKind::Gem => Ecosystem::RubyGems,
            StoreKind::Pub => Ecosystem::Pub,
            StoreKind::HexDeps => Ecosystem::Hex,
            StoreKind::SwiftCheckouts => Ecosystem::SwiftUrl,
            StoreKind::Pods => Ecosystem::CocoaPods,
        }
    }
}

impl std::str::FromStr for StoreKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StoreKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = StoreKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown package store `{s}` (known: {})", names.join(", "))
            })
    }
}

/// One store to read.
#[derive(Debug, Clone)]
pub struct Store {
    /// What it is.
    pub kind: StoreKind,
    /// Its directory, as found or given.
    pub root: PathBuf,
    /// The directory resolved, which every path read must stay inside.
    canonical: PathBuf,
    /// How evidence names it: the store's name, or for a store in the scanned tree its path
    /// relative to the scan root.
    label: Label,
    /// The store's entries where a lookup has to list them (a virtual environment's
    /// `*.dist-info`), listed once.
    listing: Arc<OnceLock<Vec<PathBuf>>>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.canonical == other.canonical
    }
}

impl Eq for Store {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Label {
    /// `cargo-registry:`-style: a store outside the tree.
    Named,
    /// A directory in the tree, relative to the scan root (`app/deps`).
    InTree(String),
}

impl Store {
    /// A store at `root`, if it is a directory.
    pub fn new(kind: StoreKind, root: impl Into<PathBuf>) -> Option<Store> {
        let root = root.into();
        let canonical = std::fs::canonicalize(&root).ok()?;
        canonical.is_dir().then_some(Store {
            kind,
            root,
            canonical,
            label: Label::Named,
            listing: Arc::default(),
        })
    }

    /// A store in the scanned tree at `rel` (relative to `scan_root`).
    fn in_tree(kind: StoreKind, scan_root: &Path, rel: &str) -> Option<Store> {
        let mut store = Store::new(kind, scan_root.join(rel))?;
        store.label = Label::InTree(rel.to_owned());
        Some(store)
    }

    /// How evidence names a file at `rel` (relative to the store root) of a store named `name`.
    fn evidence(&self, name: &str, rel: &str) -> String {
        match &self.label {
            Label::Named => format!("{name}:{rel}"),
            Label::InTree(prefix) if prefix.is_empty() => rel.to_owned(),
            Label::InTree(prefix) => format!("{prefix}/{rel}"),
        }
    }

    /// The entries `list` gives for this store, listed on first use.
    fn listing(&self, list: impl FnOnce(&Path) -> Vec<PathBuf>) -> &[PathBuf] {
        self.listing.get_or_init(|| list(&self.root))
    }

    /// `path` when it lies inside the store once resolved (a link out of it is refused).
    fn resolve(&self, path: &Path) -> Result<PathBuf, StoreError> {
        let resolved = std::fs::canonicalize(path).map_err(|_| StoreError::Missing)?;
        if resolved.starts_with(&self.canonical) {
            Ok(resolved)
        } else {
            Err(StoreError::Outside)
        }
    }
}

/// What a store says about one package.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The license its metadata declares, normalised.
    pub declared: Option<Normalized>,
    /// The metadata file the declaration came from, as evidence
    /// (`cargo-registry:serde-1.0.130/Cargo.toml`).
    pub declared_in: Option<String>,
    /// The entry's license files: the file on disk, and how evidence names it.
    pub license_files: Vec<(PathBuf, String)>,
    /// Whether the store is in the scanned tree (`deps/`, `Pods/`) rather than elsewhere on
    /// the machine.
    pub in_tree: bool,
}

/// Why a store file could not be used.
#[derive(Debug)]
enum StoreError {
    /// Not there (the common case: the package is not in this store).
    Missing,
    /// A link leading out of the store.
    Outside,
}

/// The environment that locates the stores.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreEnv {
    /// The user's home directory.
    pub home: Option<PathBuf>,
    /// `CARGO_HOME`.
    pub cargo_home: Option<PathBuf>,
    /// `GOMODCACHE`.
    pub gomodcache: Option<PathBuf>,
    /// `GOPATH` (its first entry).
    pub gopath: Option<PathBuf>,
    /// `VIRTUAL_ENV`.
    pub virtual_env: Option<PathBuf>,
    /// `GEM_HOME`.
    pub gem_home: Option<PathBuf>,
    /// `PUB_CACHE`.
    pub pub_cache: Option<PathBuf>,
    /// `NUGET_PACKAGES`.
    pub nuget_packages: Option<PathBuf>,
    /// `GRADLE_USER_HOME`.
    pub gradle_user_home: Option<PathBuf>,
}

impl StoreEnv {
    /// The variables as `lookup` gives them; the home directory is `HOME` (`USERPROFILE` on
    /// Windows).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let path = |k: &str| {
            lookup(k)
                .filter(|v| !v.trim().is_empty())
                .map(PathBuf::from)
        };
        let first_of_list = |k: &str| {
            lookup(k).and_then(|v| std::env::split_paths(&v).find(|p| !p.as_os_str().is_empty()))
        };
        StoreEnv {
            home: path("HOME").or_else(|| path("USERPROFILE")),
            cargo_home: path("CARGO_HOME"),
            gomodcache: path("GOMODCACHE"),
            gopath: first_of_list("GOPATH"),
            virtual_env: path("VIRTUAL_ENV"),
            gem_home: path("GEM_HOME"),
            pub_cache: path("PUB_CACHE"),
            nuget_packages: path("NUGET_PACKAGES"),
            gradle_user_home: path("GRADLE_USER_HOME"),
        }
    }
}

/// Where the stores are: the environment that locates them and the stores named on the command
/// line (`--package-store KIND=DIR`), which replace the found store of the same kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The environment.
    pub env: StoreEnv,
    /// The stores named on the command line.
    pub given: Vec<(StoreKind, PathBuf)>,
}

/// A store named on the command line that is not a directory.
#[derive(Debug, thiserror::Error)]
#[error("package store `{kind}={dir}` is not a directory", kind = kind.as_str(), dir = dir.display())]
pub struct NotADirectory {
    /// The kind named.
    pub kind: StoreKind,
    /// The directory named.
    pub dir: PathBuf,
}

/// Parses `KIND=DIR` as `--package-store` takes it.
pub fn parse_given(s: &str) -> Result<(StoreKind, PathBuf), String> {
    let (kind, dir) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not KIND=DIR (for example `cargo=/opt/cargo`)"))?;
    if dir.trim().is_empty() {
        return Err(format!("`{s}` names no directory"));
    }
    Ok((kind.parse()?, PathBuf::from(dir)))
}

impl Search {
    /// The stores found from the environment and the usual default places, with the given ones
    /// in place of the found store of their kind. A given store that is not a directory is an
    /// error; a found one that is not there is left out.
    pub fn discover(&self) -> Result<Vec<Store>, NotADirectory> {
        let mut stores = Vec::new();
        for (kind, dir) in &self.given {
            match Store::new(*kind, dir) {
                Some(s) => stores.push(s),
                None => {
                    return Err(NotADirectory {
                        kind: *kind,
                        dir: dir.clone(),
                    })
                }
            }
        }
        let overridden: Vec<StoreKind> = self.given.iter().map(|(k, _)| *k).collect();
        stores.extend(
            self.env
                .defaults()
                .into_iter()
                .filter(|(kind, _)| !overridden.contains(kind))
                .filter_map(|(kind, dir)| Store::new(kind, dir)),
        );
        Ok(stores)
    }
}

impl StoreEnv {
    /// The store directories the environment and the usual default places name, of every kind
    /// (directories that may not exist).
    fn defaults(&self) -> Vec<(StoreKind, PathBuf)> {
        let home = self.home.as_deref();
        let under_home = |rel: &str| home.map(|h| h.join(rel));
        let found: Vec<(StoreKind, Option<PathBuf>)> = vec![
            (
                StoreKind::Cargo,
                self.cargo_home.clone().or_else(|| under_home(".cargo")),
            ),
            (
                StoreKind::Go,
                self.gomodcache
                    .clone()
                    .or_else(|| self.gopath.as_ref().map(|g| g.join("pkg/mod")))
                    .or_else(|| under_home("go/pkg/mod")),
            ),
            (StoreKind::Python, self.virtual_env.clone()),
            (StoreKind::Maven, under_home(".m2/repository")),
            (
                StoreKind::Gradle,
                self.gradle_user_home
                    .clone()
                    .or_else(|| under_home(".gradle")),
            ),
            (
                StoreKind::NuGet,
                self.nuget_packages
                    .clone()
                    .or_else(|| under_home(".nuget/packages")),
            ),
            (StoreKind::Gem, self.gem_home.clone()),
            (
                StoreKind::Pub,
                self.pub_cache.clone().or_else(|| under_home(".pub-cache")),
            ),
        ];
        let mut out: Vec<(StoreKind, PathBuf)> = found
            .into_iter()
            .filter_map(|(kind, dir)| Some((kind, dir?)))
            .collect();
        // User gem installs: `~/.gem/ruby/<version>/`, each a gem home.
        if let Some(dirs) = under_home(".gem/ruby").and_then(|d| std::fs::read_dir(d).ok()) {
            let mut homes: Vec<PathBuf> = dirs.flatten().map(|e| e.path()).collect();
            homes.sort();
            out.extend(homes.into_iter().map(|h| (StoreKind::Gem, h)));
        }
        out
    }
}

/// The stores in the scanned tree, beside the dependency files that use them: `deps/` beside a
/// `mix.lock`, `.build/checkouts/` beside a `Package.resolved`, `Pods/` beside a `Podfile.lock`.
pub fn in_tree(scan_root: &Path, dependency_files: &[&str]) -> Vec<Store> {
    let mut stores = Vec::new();
    for file in dependency_files {
        let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
        let join = |sub: &str| {
            if dir.is_empty() {
                sub.to_owned()
            } else {
                format!("{dir}/{sub}")
            }
        };
        let (kind, sub) = match name {
            "mix.lock" => (StoreKind::HexDeps, "deps"),
            "Package.resolved" => (StoreKind::SwiftCheckouts, ".build/checkouts"),
            "Podfile.lock" => (StoreKind::Pods, "Pods"),
            _ => continue,
        };
        if let Some(s) = Store::in_tree(kind, scan_root, &join(sub)) {
            if !stores.contains(&s) {
                stores.push(s);
            }
        }
    }
    stores
}

/// What the stores say about `package`: the first store of its ecosystem with an entry for it.
/// Problems with an entry (a link out of the store, a file too large or binary) are
/// diagnostics; the package then stays as it was.
pub fn lookup(stores: &[Store], package: &Package) -> (Option<Entry>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(version) = package.version.as_deref().map(str::trim) else {
        return (None, diagnostics);
    };
    for store in stores
        .iter()
        .filter(|s| s.kind.ecosystem() == package.ecosystem)
    {
        let found = match store.kind {
            StoreKind::Cargo => cargo::lookup(store, package, version),
            StoreKind::Go => go::lookup(store, &package.name, version),
            StoreKind::Python => python::lookup(store, &package.name, version),
            StoreKind::Maven | StoreKind::Gradle => maven::lookup(store, &package.name, version),
            StoreKind::NuGet => nuget::lookup(store, &package.name, version),
            StoreKind::Gem => ruby::lookup(store, &package.name, version),
            StoreKind::Pub => tree::pub_cache(store, &package.name, version),
            StoreKind::HexDeps => tree::hex_deps(store, &package.name),
            StoreKind::SwiftCheckouts => tree::swift_checkout(store, &package.name),
            StoreKind::Pods => tree::pod(store, &package.name),
        };
        match found {
            Ok(Some(entry)) => {
                let in_tree = matches!(store.label, Label::InTree(_));
                return (Some(Entry { in_tree, ..entry }), diagnostics);
            }
            Ok(None) => {}
            Err((evidence, message)) => diagnostics.push(
                Diagnostic::warning(Code::ReadError, message)
                    .in_file(evidence, None)
                    .with_help(
                        "the package's license stays unknown unless another source knows it",
                    ),
            ),
        }
    }
    (None, diagnostics)
}

/// A lookup's answer: an entry, none, or a problem with its evidence and message.
type Found = Result<Option<Entry>, (String, String)>;

/// Reads a store's text file (metadata) after checking it stays inside the store, is not too
/// large and is text. `Ok(None)` when it is not there.
fn read_text(
    store: &Store,
    path: &Path,
    evidence: &str,
) -> Result<Option<String>, (String, String)> {
    let problem = |m: String| (evidence.to_owned(), m);
    let resolved = match store.resolve(path) {
        Ok(p) => p,
        Err(StoreError::Missing) => return Ok(None),
        Err(StoreError::Outside) => {
            return Err(problem(
                "the store entry links outside its store; it was not read".to_owned(),
            ))
        }
    };
    let meta = std::fs::metadata(&resolved).map_err(|e| problem(format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > MAX_STORE_FILE_BYTES {
        return Err(problem(format!(
            "the file is {} KiB, more than the {} KiB trusca reads from a store",
            meta.len() >> 10,
            MAX_STORE_FILE_BYTES >> 10
        )));
    }
    let bytes = std::fs::read(&resolved).map_err(|e| problem(format!("cannot read: {e}")))?;
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(problem("the file is binary, not text".to_owned()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Some(text.to_owned())),
        Err(e) => Err(problem(format!(
            "the file is not valid UTF-8 (bad byte at offset {}); it was not read",
            e.valid_up_to()
        ))),
    }
}

/// Whether the entry directory `dir` is in the store: `Ok(false)` when it is not there, an error
/// naming `evidence` when it is a link out of the store.
fn entry_dir(store: &Store, dir: &Path, evidence: &str) -> Result<bool, (String, String)> {
    match store.resolve(dir) {
        Ok(resolved) => Ok(resolved.is_dir()),
        Err(StoreError::Missing) => Ok(false),
        Err(StoreError::Outside) => Err((
            evidence.to_owned(),
            "the store entry links outside its store; it was not read".to_owned(),
        )),
    }
}

/// The license files directly in `dir` (and its `licenses/` or `LICENSES/` folder) that stay
/// inside the store, with their evidence (`dir_evidence` + `/` + file name), sorted.
fn license_files(store: &Store, dir: &Path, dir_evidence: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut visit = |dir: &Path, prefix: &str| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut names: Vec<(PathBuf, String)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                super::layout::is_license_file_name(&name).then(|| (e.path(), name))
            })
            .collect();
        names.sort_by(|a, b| a.1.cmp(&b.1));
        for (path, name) in names {
            if out.len() >= MAX_LICENSE_FILES {
                return;
            }
            // Files only, inside the store.
            let Ok(resolved) = store.resolve(&path) else {
                continue;
            };
            if resolved.is_file() {
                out.push((resolved, format!("{prefix}/{name}")));
            }
        }
    };
    visit(dir, dir_evidence);
    for sub in ["licenses", "LICENSES", "license"] {
        visit(&dir.join(sub), &format!("{dir_evidence}/{sub}"));
    }
    out
}

/// One path segment from untrusted text (a package name or version): refused when it could
/// leave the directory it is joined to.
fn segment(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s != "." && s != ".." && !s.contains(['/', '\\', '\0'])).then_some(s)
}

#[cfg(test)]
mod tests;

//! Packages: one third-party component found in one file, with where it was found, how it is
//! used and what the file records of it.

use std::fmt;

use serde::{Deserialize, Serialize};

use thin_vec::ThinVec;

use super::{Ecosystem, Interner, LayerRef, LicenseInfo, OsPackage, Shared, SharedStr};

/// How a package is used by the project, as far as the format tells.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Needed at run time (the default when the format does not say).
    #[default]
    Runtime,
    /// Only for development, building or testing.
    Dev,
    /// Optional at run time (an extra, a feature, an optional dependency).
    Optional,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 3] = [Scope::Runtime, Scope::Dev, Scope::Optional];

    /// The kebab-case name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Dev => "dev",
            Scope::Optional => "optional",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Scope {
    type Err = String;

    /// The kebab-case name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim())
            .ok_or_else(|| format!("unknown scope `{s}`"))
    }
}

/// Where a package was declared: a file relative to the scan root, and a 1-based line.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Location {
    // The packages of one file share one copy of its name.
    /// The file, relative to the scan root, with `/` separators.
    pub file: SharedStr,
    /// The 1-based line of the package's entry, where it could be found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Location {
    /// A location in `file` (a name to share, or a string to copy) at `line`.
    pub fn new(file: impl Into<SharedStr>, line: Option<u32>) -> Self {
        Location {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// A content digest the format records for a package.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Hash {
    /// The algorithm, lowercase without dashes: `sha1`, `sha256`, `sha512`, `md5`.
    pub alg: SharedStr,
    /// The digest as lowercase hex.
    pub value: SharedStr,
}

impl Hash {
    /// A hash from an algorithm name in any common spelling (`SHA-256`, `sha256`) and a hex digest.
    pub fn new(alg: &str, value: &str) -> Self {
        Hash {
            alg: SharedStr::digest_name(&alg.to_ascii_lowercase().replace('-', "")),
            value: value.to_ascii_lowercase().into(),
        }
    }

    /// Parses a Subresource-Integrity string (`sha512-<base64>`), as npm lockfiles write.
    pub fn from_sri(sri: &str) -> Option<Self> {
        let (alg, b64) = sri.split_once('-')?;
        if !matches!(alg, "sha1" | "sha256" | "sha384" | "sha512") {
            return None;
        }
        let bytes = decode_base64(b64)?;
        let value: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Some(Hash {
            alg: SharedStr::digest_name(alg),
            value: value.into(),
        })
    }
}

/// Standard base64 with optional padding; the only decoder trusca needs is this one-liner's worth,
/// so it is not worth a dependency.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Where a package's code comes from when it is not the ecosystem's registry.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PackageSource {
    /// A version-control checkout.
    Git {
        /// The repository URL.
        url: SharedStr,
        /// The pinned commit, where the format records one.
        #[serde(skip_serializing_if = "Option::is_none")]
        commit: Option<SharedStr>,
    },
    /// A local path (a workspace member or a path dependency).
    Path {
        /// The path as written in the file.
        path: SharedStr,
    },
    /// A registry other than the ecosystem's default, or a direct URL.
    Url {
        /// The URL as written in the file.
        url: SharedStr,
    },
}

// Kept small, since a scan may hold millions of packages: strings are shared handles of one
// pointer (values repeated in a file are held once where the extractor interns them), lists are
// one pointer while empty, and the license is shared. Doc comments here are the JSON schema's
// descriptions, so they say what a field means, not how it is stored.
/// One third-party component found in one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Package {
    /// The ecosystem it belongs to.
    pub ecosystem: Ecosystem,
    /// The name as the ecosystem spells it (`@scope/name`, `group:artifact`, a Go module path).
    pub name: SharedStr,
    /// The exact version; `None` when the file does not pin one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<SharedStr>,
    /// The declared requirement (a range) where the file gives one instead of, or besides, a version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<SharedStr>,
    /// The package URL (`pkg:type/namespace/name@version`).
    pub purl: SharedStr,
    /// How the project uses it.
    pub scope: Scope,
    /// The dependency groups the format names (`dev`, `optional`, `test`, a Poetry group, …).
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub groups: ThinVec<String>,
    /// Whether the project depends on it directly; `None` when the format does not tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// The purls of the packages it depends on, within the same file.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub dependencies: ThinVec<String>,
    /// For a transitive package: the chain of purls from a direct dependency down to its parent.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub introduced_by: ThinVec<String>,
    /// Where its code comes from, when not the ecosystem's registry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<PackageSource>,
    /// Digests recorded by the format.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[schemars(with = "Vec<Hash>")]
    pub hashes: ThinVec<Hash>,
    /// The file and line that declare it.
    pub location: Location,
    /// What is known of its license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<Shared<LicenseInfo>>,
    /// For an operating-system package: its distribution, architecture and source package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<Shared<OsPackage>>,
    /// In a container image: the layer that added it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Shared<LayerRef>>,
}

impl Package {
    /// Whether it is the scanned project's own (a workspace member: a path source of `.`),
    /// not a third-party component.
    pub fn is_project(&self) -> bool {
        matches!(&self.source, Some(PackageSource::Path { path }) if &**path == ".")
    }

    /// The version advisories can be matched against: the pinned version, unless it is only the
    /// commit of a git checkout (advisories name releases, and a commit is none).
    pub fn release_version(&self) -> Option<&str> {
        let version = self
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())?;
        match &self.source {
            Some(PackageSource::Git {
                commit: Some(commit),
                ..
            }) if commit.as_str() == version => None,
            _ => Some(version),
        }
    }

    /// A runtime package with the purl computed from ecosystem, name and version.
    pub fn new(
        ecosystem: Ecosystem,
        name: &str,
        version: Option<&str>,
        location: Location,
    ) -> Self {
        let version = version.map(str::trim).filter(|v| !v.is_empty());
        let purl = super::purl::for_package(ecosystem, name, version);
        Package::from_parts(
            ecosystem,
            name.into(),
            version.map(SharedStr::from),
            purl.into(),
            location,
        )
    }

    /// Like [`Package::new`], with the name, version and purl taken from `interner`: for the
    /// formats whose files can hold millions of entries with the same few names.
    pub fn interned(
        ecosystem: Ecosystem,
        name: &str,
        version: Option<&str>,
        location: Location,
        interner: &mut Interner,
    ) -> Self {
        let version = version.map(str::trim).filter(|v| !v.is_empty());
        let purl = super::purl::for_package(ecosystem, name, version);
        Package::from_parts(
            ecosystem,
            interner.intern(name),
            version.map(|v| interner.intern(v)),
            interner.intern(&purl),
            location,
        )
    }

    fn from_parts(
        ecosystem: Ecosystem,
        name: SharedStr,
        version: Option<SharedStr>,
        purl: SharedStr,
        location: Location,
    ) -> Self {
        Package {
            ecosystem,
            name,
            version,
            requirement: None,
            purl,
            scope: Scope::Runtime,
            groups: ThinVec::new(),
            direct: None,
            dependencies: ThinVec::new(),
            introduced_by: ThinVec::new(),
            source: None,
            hashes: ThinVec::new(),
            location,
            license: None,
            os: None,
            layer: None,
        }
    }

    /// Sets the scope and returns the package.
    pub fn with_scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// Sets whether it is a direct dependency and returns the package.
    pub fn with_direct(mut self, direct: bool) -> Self {
        self.direct = Some(direct);
        self
    }

    /// Sets the declared requirement and returns the package.
    pub fn with_requirement(mut self, requirement: impl Into<SharedStr>) -> Self {
        let requirement = requirement.into();
        self.requirement = (!requirement.trim().is_empty()).then_some(requirement);
        self
    }

    /// Sets the source and returns the package.
    pub fn with_source(mut self, source: PackageSource) -> Self {
        self.source = Some(source);
        self
    }

    /// Adds a dependency group (kept sorted and unique) and returns the package.
    pub fn with_group(mut self, group: &str) -> Self {
        self.add_group(group);
        self
    }

    /// Adds a dependency group, keeping the list sorted and unique.
    pub fn add_group(&mut self, group: &str) {
        if let Err(at) = self.groups.binary_search_by(|g| g.as_str().cmp(group)) {
            self.groups.insert(at, group.to_owned());
        }
    }

    /// `name@version`, or the name alone when unpinned: how people write a package in prose.
    pub fn display_name(&self) -> String {
        match &self.version {
            Some(v) => format!("{}@{v}", self.name),
            None => self.name.to_string(),
        }
    }

    /// The package's identity (ecosystem and normalised name).
    pub fn id(&self) -> super::PackageId {
        super::PackageId::new(self.ecosystem, &self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_hash_decodes_to_hex() {
        let h = Hash::from_sri("sha1-r/FRbGu/EsyaOBlXI2pG9nVaJTU=").expect("valid sri");
        assert_eq!(h.alg, "sha1");
        assert_eq!(h.value, "aff1516c6bbf12cc9a381957236a46f6755a2535");
        assert!(Hash::from_sri("md5-abc").is_none());
        assert!(Hash::from_sri("sha1-!!!").is_none());
    }

    #[test]
    fn groups_stay_sorted_and_unique() {
        let loc = Location {
            file: "f".into(),
            line: None,
        };
        let p = Package::new(Ecosystem::Npm, "a", Some("1"), loc)
            .with_group("optional")
            .with_group("dev")
            .with_group("dev");
        assert_eq!(p.groups, ["dev", "optional"]);
    }
}

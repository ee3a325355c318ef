//! Ecosystems: the package worlds trusca reads, named as OSV names them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A package ecosystem, named as OSV names it (`affected[].package.ecosystem`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Ecosystem {
    /// Rust crates.
    #[serde(rename = "crates.io")]
    Cargo,
    /// JavaScript packages (npm, yarn, pnpm, bun).
    #[serde(rename = "npm")]
    Npm,
    /// Python packages.
    #[serde(rename = "PyPI")]
    PyPI,
    /// Go modules.
    #[serde(rename = "Go")]
    Go,
    /// Java and other JVM artifacts.
    #[serde(rename = "Maven")]
    Maven,
    /// .NET packages.
    #[serde(rename = "NuGet")]
    NuGet,
    /// Ruby gems.
    #[serde(rename = "RubyGems")]
    RubyGems,
    /// PHP packages (Composer).
    #[serde(rename = "Packagist")]
    Packagist,
    /// Dart and Flutter packages.
    #[serde(rename = "Pub")]
    Pub,
    /// Erlang, Elixir and Gleam packages.
    #[serde(rename = "Hex")]
    Hex,
    /// C and C++ packages (Conan).
    #[serde(rename = "ConanCenter")]
    ConanCenter,
    /// R packages.
    #[serde(rename = "CRAN")]
    Cran,
    /// Haskell packages.
    #[serde(rename = "Hackage")]
    Hackage,
    /// Julia packages.
    #[serde(rename = "Julia")]
    Julia,
    /// Swift packages, named by their repository URL.
    #[serde(rename = "SwiftURL")]
    SwiftUrl,
    /// Objective-C and Swift pods.
    #[serde(rename = "CocoaPods")]
    CocoaPods,
    /// OCaml packages.
    #[serde(rename = "opam")]
    Opam,
    /// Debian packages (dpkg) of Debian, Ubuntu and their derivatives. OSV names their
    /// advisories per distribution and release ([`crate::model::Distro::osv_ecosystem`]).
    #[serde(rename = "deb")]
    Deb,
    /// Alpine packages (apk).
    #[serde(rename = "apk")]
    Apk,
    /// RPM packages of Red Hat, AlmaLinux, Rocky Linux and their relatives.
    #[serde(rename = "rpm")]
    Rpm,
}

impl Ecosystem {
    /// Every ecosystem, in a stable order.
    pub const ALL: [Ecosystem; 20] = [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::Maven,
        Ecosystem::NuGet,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Pub,
        Ecosystem::Hex,
        Ecosystem::ConanCenter,
        Ecosystem::Cran,
        Ecosystem::Hackage,
        Ecosystem::Julia,
        Ecosystem::SwiftUrl,
        Ecosystem::CocoaPods,
        Ecosystem::Opam,
        Ecosystem::Deb,
        Ecosystem::Apk,
        Ecosystem::Rpm,
    ];

    /// The OSV name of the ecosystem.
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::ConanCenter => "ConanCenter",
            Ecosystem::Cran => "CRAN",
            Ecosystem::Hackage => "Hackage",
            Ecosystem::Julia => "Julia",
            Ecosystem::SwiftUrl => "SwiftURL",
            Ecosystem::CocoaPods => "CocoaPods",
            Ecosystem::Opam => "opam",
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Rpm => "rpm",
        }
    }

    /// Whether its packages are an operating system's (installed by dpkg, apk or rpm).
    pub fn is_os(self) -> bool {
        matches!(self, Ecosystem::Deb | Ecosystem::Apk | Ecosystem::Rpm)
    }

    /// The package-url type of the ecosystem (`pkg:<type>/…`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::NuGet => "nuget",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::ConanCenter => "conan",
            Ecosystem::Cran => "cran",
            Ecosystem::Hackage => "hackage",
            Ecosystem::Julia => "julia",
            Ecosystem::SwiftUrl => "swift",
            Ecosystem::CocoaPods => "cocoapods",
            Ecosystem::Opam => "opam",
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Rpm => "rpm",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

/// The error for an ecosystem name that trusca does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown ecosystem `{0}`")]
pub struct UnknownEcosystem(pub String);

impl FromStr for Ecosystem {
    type Err = UnknownEcosystem;

    /// Accepts the OSV name (case-insensitive) or the purl type.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.osv_name().eq_ignore_ascii_case(s) || e.purl_type() == s)
            .ok_or_else(|| UnknownEcosystem(s.to_owned()))
    }
}

impl Ecosystem {
    /// The trusca ecosystem an OSV `affected[].package.ecosystem` string names (any `:suffix`
    /// such as `Maven:https://repo.example` ignored), or `None` for ecosystems trusca does not
    /// inventory (Debian, Alpine, GIT, ...).
    pub fn from_osv(ecosystem: &str) -> Option<Ecosystem> {
        let base = osv_base(ecosystem);
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.osv_name().eq_ignore_ascii_case(base))
    }
}

/// The base of an OSV ecosystem string: `Debian:11` → `Debian`,
/// `Maven:https://repo.example` → `Maven`.
pub fn osv_base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_parses_osv_names_and_purl_types() {
        for eco in Ecosystem::ALL {
            assert_eq!(eco.osv_name().parse::<Ecosystem>().ok(), Some(eco));
            assert_eq!(eco.purl_type().parse::<Ecosystem>().ok(), Some(eco));
        }
        assert!("nope".parse::<Ecosystem>().is_err());
    }

    #[test]
    fn osv_ecosystems_map_by_their_base_name() {
        assert_eq!(Ecosystem::from_osv("PyPI"), Some(Ecosystem::PyPI));
        assert_eq!(Ecosystem::from_osv("crates.io"), Some(Ecosystem::Cargo));
        assert_eq!(
            Ecosystem::from_osv("Maven:https://repo.example/maven2"),
            Some(Ecosystem::Maven)
        );
        assert_eq!(Ecosystem::from_osv("Debian:11"), None);
        assert_eq!(Ecosystem::from_osv("GIT"), None);
        assert_eq!(osv_base("Alpine:v3.16"), "Alpine");
    }
}

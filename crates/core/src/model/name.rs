//! Package identity: an ecosystem and a name in that ecosystem's normal form, made once so that
//! every stage (inventory, licenses, vulnerabilities, the server) compares names the same way.

use std::borrow::Cow;
use std::fmt;

use super::Ecosystem;

/// The identity of a package: its ecosystem and its name normalised at construction, so that a
/// lockfile's spelling, a metadata file's spelling and an advisory's spelling of the same
/// package compare equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackageId {
    ecosystem: Ecosystem,
    name: String,
}

impl PackageId {
    /// The identity of `name` in `ecosystem` ([`normalize_name`] applied).
    pub fn new(ecosystem: Ecosystem, name: &str) -> Self {
        PackageId {
            ecosystem,
            name: normalize_name(ecosystem, name).into_owned(),
        }
    }

    /// The ecosystem.
    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    /// The normalised name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for PackageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.ecosystem, self.name)
    }
}

/// The normal form of a package name in an ecosystem: the one rule behind [`PackageId`], also
/// used for the vulnerability database's index keys.
///
/// - PyPI: PEP 503 (lowercase, every run of `-`, `_`, `.` is one `-`).
/// - crates.io: lowercase, `_` as `-` (the registry treats them as the same crate).
/// - NuGet, Packagist, Pub, Hex, ConanCenter: lowercase (names are case-insensitive there).
/// - SwiftURL: the repository URL without scheme, trailing `/` or `.git`, lowercased.
/// - Everything else (npm, Go, Maven, RubyGems, ...) is case-sensitive and kept as written.
///
/// Surrounding whitespace is dropped in every ecosystem.
pub fn normalize_name(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    let name = name.trim();
    match ecosystem {
        Ecosystem::PyPI => pep503(name),
        Ecosystem::Cargo => {
            if name.bytes().any(|b| b.is_ascii_uppercase() || b == b'_') {
                Cow::Owned(name.to_ascii_lowercase().replace('_', "-"))
            } else {
                Cow::Borrowed(name)
            }
        }
        Ecosystem::NuGet
        | Ecosystem::Packagist
        | Ecosystem::Pub
        | Ecosystem::Hex
        | Ecosystem::ConanCenter => lowercase(name),
        Ecosystem::SwiftUrl => {
            let mut s = name;
            if let Some((scheme, rest)) = s.split_once("://") {
                if scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+')
                {
                    s = rest;
                }
            }
            let s = s.trim_end_matches('/');
            let s = s.strip_suffix(".git").unwrap_or(s);
            match lowercase(s) {
                Cow::Borrowed(b) if b.len() == name.len() => Cow::Borrowed(b),
                other => Cow::Owned(other.into_owned()),
            }
        }
        Ecosystem::Npm
        | Ecosystem::Go
        | Ecosystem::Maven
        | Ecosystem::RubyGems
        | Ecosystem::Cran
        | Ecosystem::Hackage
        | Ecosystem::Julia
        | Ecosystem::CocoaPods
        | Ecosystem::Opam
        | Ecosystem::Deb
        | Ecosystem::Apk
        | Ecosystem::Rpm => Cow::Borrowed(name),
    }
}

/// PEP 503: lowercase, every run of `-`, `_` and `.` replaced by one `-`. Python's dependency
/// group and extra names (PEP 685, PEP 735) normalise the same way. Separators at either end,
/// which no valid name has, are dropped.
pub fn pep503(name: &str) -> Cow<'_, str> {
    let name = name.trim_matches(['-', '_', '.']);
    if name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.contains("--")
    {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.extend(c.to_lowercase());
            in_separator = false;
        }
    }
    Cow::Owned(out)
}

fn lowercase(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_follow_pep_503() {
        for spelling in [
            "Friendly-Bard",
            "friendly.bard",
            "FRIENDLY_BARD",
            "friendly--bard",
            "Friendly._-Bard",
        ] {
            assert_eq!(normalize_name(Ecosystem::PyPI, spelling), "friendly-bard");
        }
        assert!(matches!(
            normalize_name(Ecosystem::PyPI, "django"),
            Cow::Borrowed(_)
        ));
        assert_eq!(normalize_name(Ecosystem::PyPI, "Django"), "django");
        assert_eq!(pep503("Zope.Interface"), "zope-interface");
        assert_eq!(pep503("a__b"), "a-b");
        assert_eq!(pep503("Foo.Bar__baz-"), "foo-bar-baz");
        assert_eq!(
            pep503("combination-._-.also_-._valid"),
            "combination-also-valid"
        );
    }

    #[test]
    fn other_ecosystems_fold_only_where_the_registry_does() {
        assert_eq!(normalize_name(Ecosystem::Cargo, "Serde_JSON"), "serde-json");
        assert_eq!(
            normalize_name(Ecosystem::NuGet, "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalize_name(Ecosystem::Packagist, "League/Flysystem"),
            "league/flysystem"
        );
        assert_eq!(normalize_name(Ecosystem::Npm, "JSONStream"), "JSONStream");
        assert_eq!(
            normalize_name(Ecosystem::Go, "github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(
            normalize_name(
                Ecosystem::SwiftUrl,
                "https://github.com/Apple/swift-nio-http2.git"
            ),
            "github.com/apple/swift-nio-http2"
        );
    }

    #[test]
    fn identities_of_one_package_spelled_differently_are_equal() {
        assert_eq!(
            PackageId::new(Ecosystem::PyPI, "Zope.Interface"),
            PackageId::new(Ecosystem::PyPI, "zope_interface")
        );
        assert_eq!(
            PackageId::new(Ecosystem::Cargo, "serde_json"),
            PackageId::new(Ecosystem::Cargo, "serde-json")
        );
        assert_ne!(
            PackageId::new(Ecosystem::Npm, "React"),
            PackageId::new(Ecosystem::Npm, "react")
        );
        assert_ne!(
            PackageId::new(Ecosystem::Npm, "a"),
            PackageId::new(Ecosystem::Cargo, "a")
        );
        assert_eq!(PackageId::new(Ecosystem::Cargo, "A_b").name(), "a-b");
    }
}

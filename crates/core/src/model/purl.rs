//! Package URLs (purl), written and read through the `packageurl` crate only: each ecosystem's
//! native name is split into purl namespace and name here, and joined back here.

use std::str::FromStr;

use packageurl::PackageUrl;

use super::{Ecosystem, PackageId};

/// The purl of a package: the name is split into namespace and name as the purl type defines.
pub fn for_package(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> String {
    let ty = ecosystem.purl_type();
    let (namespace, short_name) = split_name(ecosystem, name);
    build(ty, namespace, short_name, version)
        // The crate refuses an empty name or a namespace it cannot encode: keep the whole name
        // as the purl name (the crate percent-encodes its `/`), or say it has none.
        .or_else(|| build(ty, None, name, version))
        .or_else(|| build(ty, None, "unnamed", version))
        .unwrap_or_else(|| format!("pkg:{ty}/unnamed"))
}

/// Like [`for_package`], with qualifiers (`platform`, `vcs_url`) added where they are valid; a
/// qualifier the crate refuses is left out.
pub fn for_package_qualified(
    ecosystem: Ecosystem,
    name: &str,
    version: Option<&str>,
    qualifiers: &[(&str, &str)],
) -> String {
    let plain = for_package(ecosystem, name, version);
    let Ok(mut purl) = PackageUrl::from_str(&plain) else {
        return plain;
    };
    for (key, value) in qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
        // A refused qualifier leaves the purl as it was.
        purl.add_qualifier(key.to_string(), value.to_string()).ok();
    }
    purl.to_string()
}

/// Splits an ecosystem-native name into the purl namespace and name.
fn split_name(ecosystem: Ecosystem, name: &str) -> (Option<&str>, &str) {
    match ecosystem {
        // `@scope/name`
        Ecosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some(_) => name
                .split_once('/')
                .map_or((None, name), |(ns, n)| (Some(ns), n)),
            None => (None, name),
        },
        // `group:artifact`
        Ecosystem::Maven => name
            .split_once(':')
            .map_or((None, name), |(g, a)| (Some(g), a)),
        // `vendor/name`; a module path or repository URL is split at its last slash.
        Ecosystem::Packagist | Ecosystem::Go | Ecosystem::SwiftUrl => {
            let trimmed = name
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches(".git");
            trimmed
                .rsplit_once('/')
                .map_or((None, trimmed), |(ns, n)| (Some(ns), n))
        }
        _ => (None, name),
    }
}

fn build(ty: &str, namespace: Option<&str>, name: &str, version: Option<&str>) -> Option<String> {
    let mut purl = PackageUrl::new(ty, name).ok()?;
    if let Some(ns) = namespace.filter(|ns| !ns.is_empty()) {
        purl.with_namespace(ns).ok()?;
    }
    if let Some(v) = version {
        purl.with_version(v).ok()?;
    }
    Some(purl.to_string())
}

/// The purl of an operating-system package: `pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12`,
/// the namespace the distribution's id, the qualifiers given (in the purl spec's sorted order).
pub fn for_os_package(
    ty: &str,
    namespace: &str,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let built = || -> Option<String> {
        let mut purl = PackageUrl::new(ty, name).ok()?;
        if !namespace.is_empty() {
            purl.with_namespace(namespace).ok()?;
        }
        if !version.is_empty() {
            purl.with_version(version).ok()?;
        }
        for (k, v) in qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
            purl.add_qualifier(*k, *v).ok()?;
        }
        Some(purl.to_string())
    };
    built().unwrap_or_else(|| format!("pkg:{ty}/unnamed"))
}

/// A purl read from text (a document, a policy exception, an upload).
#[derive(Debug, Clone)]
pub struct Purl(PackageUrl<'static>);

impl FromStr for Purl {
    type Err = packageurl::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PackageUrl::from_str(s.trim()).map(Purl)
    }
}

impl Purl {
    /// The purl type (`npm`, `maven`, …).
    pub fn ty(&self) -> &str {
        self.0.ty()
    }

    /// The namespace (npm scope, Maven group, Go module path prefix), when not empty.
    pub fn namespace(&self) -> Option<&str> {
        self.0.namespace().filter(|n| !n.is_empty())
    }

    /// The name, without namespace.
    pub fn name(&self) -> &str {
        self.0.name()
    }

    /// The version, when the purl has one.
    pub fn version(&self) -> Option<&str> {
        self.0.version()
    }

    /// The value of a qualifier (`arch`, `distro`, …).
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.0
            .qualifiers()
            .iter()
            .find(|(k, _)| k.as_ref() == key)
            .map(|(_, v)| v.as_ref())
    }

    /// Every qualifier, as key and value.
    pub fn qualifiers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .qualifiers()
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The ecosystem of the purl type, when trusca knows it.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        self.0.ty().parse().ok()
    }

    /// The name as the ecosystem spells it, joined from namespace and name the way
    /// [`for_package`] split it (`group:artifact` for Maven, `@scope/name` for npm).
    pub fn native_name(&self) -> String {
        let name = self.0.name();
        match (self.ecosystem(), self.namespace()) {
            (Some(Ecosystem::Maven), Some(ns)) => format!("{ns}:{name}"),
            (_, Some(ns)) => format!("{ns}/{name}"),
            (_, None) => name.to_owned(),
        }
    }

    /// The package identity, when trusca knows the purl type.
    pub fn package_id(&self) -> Option<PackageId> {
        Some(PackageId::new(self.ecosystem()?, &self.native_name()))
    }

    /// The purl without version, qualifiers and subpath (`pkg:npm/%40scope/name`): the package
    /// whatever its version, for "who uses X".
    pub fn base(&self) -> String {
        let mut base = self.0.clone();
        base.without_version().clear_qualifiers().without_subpath();
        base.to_string()
    }
}

impl std::fmt::Display for Purl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A purl text split into the package it names and what narrows it to one artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The purl without version, qualifiers and subpath (`pkg:npm/%40scope/name`).
    pub package: String,
    /// The version, when the purl names one.
    pub version: Option<String>,
    /// Whether the purl has a version, qualifiers or a subpath.
    pub narrowed: bool,
}

/// Splits a purl text with the `packageurl` crate. One the crate refuses (a purl type's required
/// qualifier missing, such as a `julia` purl without `uuid`, or no purl at all) is split at its
/// first `?` or `#` and at an `@` in its last path segment, so that it still groups with itself.
pub fn parts(purl: &str) -> Parts {
    match purl.parse::<Purl>() {
        Ok(p) => Parts {
            package: p.base(),
            version: p.version().map(str::to_owned),
            narrowed: p.version().is_some()
                || !p.0.qualifiers().is_empty()
                || p.0.subpath().is_some(),
        },
        Err(_) => {
            let end = purl.find(['?', '#']).unwrap_or(purl.len());
            let base = purl.get(..end).unwrap_or(purl);
            let (package, version) = match base.rsplit_once('@') {
                Some((package, version)) if package.contains('/') && !version.contains('/') => {
                    (package, Some(version.to_owned()))
                }
                _ => (base, None),
            };
            Parts {
                package: package.to_owned(),
                narrowed: version.is_some() || end < purl.len(),
                version,
            }
        }
    }
}

/// The package part of a purl text ([`Parts::package`]): the package whatever its version.
pub fn base_of(purl: &str) -> String {
    parts(purl).package
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_follow_each_ecosystems_naming() {
        let cases = [
            (
                Ecosystem::Npm,
                "@babel/core",
                Some("7.0.0"),
                "pkg:npm/%40babel/core@7.0.0",
            ),
            (
                Ecosystem::Npm,
                "left-pad",
                Some("1.3.0"),
                "pkg:npm/left-pad@1.3.0",
            ),
            (
                Ecosystem::Cargo,
                "serde",
                Some("1.0.0"),
                "pkg:cargo/serde@1.0.0",
            ),
            (
                Ecosystem::PyPI,
                "Django_Rest",
                Some("3.0"),
                "pkg:pypi/django-rest@3.0",
            ),
            (
                Ecosystem::Maven,
                "org.slf4j:slf4j-api",
                Some("2.0.0"),
                "pkg:maven/org.slf4j/slf4j-api@2.0.0",
            ),
            (
                Ecosystem::Go,
                "github.com/pkg/errors",
                Some("v0.9.1"),
                "pkg:golang/github.com/pkg/errors@v0.9.1",
            ),
            (
                Ecosystem::Packagist,
                "symfony/console",
                Some("6.0.0"),
                "pkg:composer/symfony/console@6.0.0",
            ),
            (Ecosystem::RubyGems, "rails", None, "pkg:gem/rails"),
        ];
        for (eco, name, version, want) in cases {
            assert_eq!(for_package(eco, name, version), want, "{eco} {name}");
        }
    }

    #[test]
    fn empty_name_still_gives_a_purl() {
        assert_eq!(
            for_package(Ecosystem::Cargo, "", Some("1")),
            "pkg:cargo/unnamed@1"
        );
    }

    #[test]
    fn parsed_purls_give_back_the_native_name_and_base() {
        let p: Purl = "pkg:maven/org.slf4j/slf4j-api@2.0.0?type=jar"
            .parse()
            .expect("purl");
        assert_eq!(p.native_name(), "org.slf4j:slf4j-api");
        assert_eq!(p.base(), "pkg:maven/org.slf4j/slf4j-api");
        assert_eq!(p.version(), Some("2.0.0"));
        assert_eq!(p.qualifier("type"), Some("jar"));
        let npm: Purl = "pkg:npm/%40a/b@1.0.0?x=1#sub".parse().expect("purl");
        assert_eq!(npm.native_name(), "@a/b");
        assert_eq!(npm.base(), "pkg:npm/%40a/b");
        assert_eq!(
            npm.package_id(),
            Some(PackageId::new(Ecosystem::Npm, "@a/b"))
        );
        assert_eq!(base_of("pkg:cargo/serde@1.0.1"), "pkg:cargo/serde");
        assert_eq!(base_of("pkg:cargo/serde"), "pkg:cargo/serde");
        assert_eq!(base_of("not a purl"), "not a purl");
        assert_eq!(base_of(""), "");
    }

    #[test]
    fn versions_and_narrowing_are_reported() {
        let p = parts("pkg:npm/a@1.0?x=y");
        assert_eq!((p.version.as_deref(), p.narrowed), (Some("1.0"), true));
        let p = parts("pkg:npm/a?x=y");
        assert_eq!((p.version, p.narrowed), (None, true));
        let p = parts("pkg:npm/a");
        assert_eq!((p.version, p.narrowed), (None, false));
        assert_eq!(
            base_of("pkg:golang/github.com/a/b@v1.2.3#sub/dir"),
            "pkg:golang/github.com/a/b"
        );
    }

    #[test]
    fn purls_the_crate_refuses_are_split_by_their_separators() {
        // A julia purl needs a `uuid` qualifier.
        let p = parts("pkg:julia/Example@0.5.3");
        assert_eq!(p.package, "pkg:julia/Example");
        assert_eq!(p.version.as_deref(), Some("0.5.3"));
        assert_eq!(base_of("not a purl"), "not a purl");
    }

    #[test]
    fn every_written_purl_reads_back_as_the_same_package() {
        for (eco, name) in [
            (Ecosystem::Npm, "@types/node"),
            (Ecosystem::Maven, "com.google.guava:guava"),
            (Ecosystem::Go, "golang.org/x/net"),
            (Ecosystem::PyPI, "Zope.Interface"),
            (Ecosystem::NuGet, "Newtonsoft.Json"),
        ] {
            let written = for_package(eco, name, Some("1.0"));
            let read: Purl = written.parse().expect("own purl parses");
            assert_eq!(
                read.package_id(),
                Some(PackageId::new(eco, name)),
                "{written}"
            );
            assert_eq!(read.to_string(), written);
        }
    }
}

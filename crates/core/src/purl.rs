//! Package URLs (purl) for packages, built with the `packageurl` crate from each ecosystem's naming.

use packageurl::PackageUrl;

use crate::model::Ecosystem;

/// The purl of a package: the name is split into namespace and name as the purl type defines.
pub fn for_package(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> String {
    let (namespace, short_name) = split_name(ecosystem, name);
    build(ecosystem.purl_type(), namespace, short_name, version)
        .unwrap_or_else(|| fallback(ecosystem.purl_type(), namespace, short_name, version))
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

/// Used only when the crate rejects a component (an empty name): a purl that still names the
/// package, with every reserved character percent-encoded.
fn fallback(ty: &str, namespace: Option<&str>, name: &str, version: Option<&str>) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let mut out = format!("pkg:{ty}/");
    if let Some(ns) = namespace {
        out.push_str(&ns.split('/').map(enc).collect::<Vec<_>>().join("/"));
        out.push('/');
    }
    out.push_str(&enc(if name.is_empty() { "unnamed" } else { name }));
    if let Some(v) = version {
        out.push('@');
        out.push_str(&enc(v));
    }
    out
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
}

//! Package names as OSV compares them: one normal form per ecosystem, so that a lockfile's
//! spelling and a record's spelling of the same package meet. Both the database (its index
//! keys) and the matcher use these functions; they must agree.

use std::borrow::Cow;

use crate::model::Ecosystem;

/// The normal form of a package name in an ecosystem.
///
/// - PyPI: PEP 503 (lowercase, every run of `-`, `_`, `.` is one `-`).
/// - crates.io: lowercase, `_` as `-` (the registry treats them as the same crate).
/// - NuGet, Packagist, Pub, Hex, ConanCenter: lowercase (names are case-insensitive there).
/// - SwiftURL: the repository URL without scheme, trailing `/` or `.git`, lowercased.
/// - Everything else (npm, Go, Maven, RubyGems, ...) is case-sensitive and kept as written.
pub fn normalize_name(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    let name = name.trim();
    match ecosystem {
        Ecosystem::PyPI => {
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
        | Ecosystem::Opam => Cow::Borrowed(name),
    }
}

fn lowercase(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The base of an OSV ecosystem string: `Debian:11` → `Debian`,
/// `Maven:https://repo.example` → `Maven`.
pub fn osv_base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or_default().trim()
}

/// The trusca ecosystem an OSV `affected[].package.ecosystem` string names (any `:suffix`
/// ignored), or `None` for ecosystems trusca does not inventory (Debian, Alpine, GIT, ...).
pub fn ecosystem_of_osv(ecosystem: &str) -> Option<Ecosystem> {
    let base = osv_base(ecosystem);
    Ecosystem::ALL
        .into_iter()
        .find(|e| e.osv_name().eq_ignore_ascii_case(base))
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
    fn osv_ecosystems_map_by_their_base_name() {
        assert_eq!(ecosystem_of_osv("PyPI"), Some(Ecosystem::PyPI));
        assert_eq!(ecosystem_of_osv("crates.io"), Some(Ecosystem::Cargo));
        assert_eq!(
            ecosystem_of_osv("Maven:https://repo.example/maven2"),
            Some(Ecosystem::Maven)
        );
        assert_eq!(ecosystem_of_osv("Debian:11"), None);
        assert_eq!(ecosystem_of_osv("GIT"), None);
        assert_eq!(osv_base("Alpine:v3.16"), "Alpine");
    }
}

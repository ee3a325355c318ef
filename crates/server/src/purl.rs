//! Package URLs as the server groups them: the package a purl names (without version,
//! qualifiers and subpath) and the version it names, read with the `packageurl` crate.

use std::str::FromStr;

use packageurl::PackageUrl;

/// A purl split into the package it names and what narrows it to one artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The purl without version, qualifiers and subpath (`pkg:npm/%40scope/name`).
    pub package: String,
    /// The version, when the purl names one.
    pub version: Option<String>,
    /// Whether the purl has a version, qualifiers or a subpath.
    pub narrowed: bool,
}

/// Splits a purl. One the `packageurl` crate does not accept (a required namespace or
/// qualifier missing, say) is split at its first `?` or `#` and at an `@` in its last path
/// segment.
pub fn parts(purl: &str) -> Parts {
    match PackageUrl::from_str(purl) {
        Ok(mut p) => {
            let version = p.version().map(str::to_owned);
            let narrowed = version.is_some() || !p.qualifiers().is_empty() || p.subpath().is_some();
            p.without_version().without_subpath().clear_qualifiers();
            Parts {
                package: p.to_string(),
                version,
                narrowed,
            }
        }
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

/// `pkg:npm/%40scope/name@1.0?x=y#sub` → `pkg:npm/%40scope/name`.
pub fn package_of(purl: &str) -> String {
    parts(purl).package
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_drops_version_qualifiers_and_subpath() {
        assert_eq!(package_of("pkg:npm/%40a/b@1.0.0?x=1"), "pkg:npm/%40a/b");
        assert_eq!(package_of("pkg:cargo/serde@1.0.1"), "pkg:cargo/serde");
        assert_eq!(package_of("pkg:cargo/serde"), "pkg:cargo/serde");
        assert_eq!(
            package_of("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
            "pkg:maven/org.apache.logging.log4j/log4j-core"
        );
        assert_eq!(
            package_of("pkg:golang/github.com/a/b@v1.2.3#sub/dir"),
            "pkg:golang/github.com/a/b"
        );
        assert_eq!(package_of(""), "");
    }

    #[test]
    fn versions_and_narrowing_are_reported() {
        let p = parts("pkg:npm/a@1.0?x=y");
        assert_eq!((p.version.as_deref(), p.narrowed), (Some("1.0"), true));
        let p = parts("pkg:npm/a?x=y");
        assert_eq!((p.version, p.narrowed), (None, true));
        let p = parts("pkg:npm/a");
        assert_eq!((p.version, p.narrowed), (None, false));
    }

    #[test]
    fn purls_the_crate_refuses_are_split_by_their_separators() {
        // A julia purl needs a `uuid` qualifier.
        let p = parts("pkg:julia/Example@0.5.3");
        assert_eq!(p.package, "pkg:julia/Example");
        assert_eq!(p.version.as_deref(), Some("0.5.3"));
        assert_eq!(package_of("not a purl"), "not a purl");
    }
}

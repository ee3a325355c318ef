//! Version ordering for vulnerability matching: one ordering ("scheme") per ecosystem family.
//!
//! The matcher compares a package's version with many range bounds, so the API has two forms:
//! [`compare`] for a one-off comparison of two strings, and [`Scheme::parse`] /
//! [`Scheme::parse_lenient`] for a [`Version`] that is parsed once and compared many times.
//! Comparing parsed versions always agrees with [`compare`].
//!
//! # Unparsable versions
//!
//! Every string has a place in every scheme's order: like the OSV tooling, a string that is not a
//! valid version of its scheme is parsed leniently rather than rejected, so the comparison of two
//! strings is total and never panics (and transitive, except around PHP's `#` form in
//! Packagist, see that scheme). [`Scheme::parse`] still tells the caller that
//! the string was not valid (a matcher may want to report that), but the lenient form it would
//! have produced is exactly what [`compare`] and [`Scheme::parse_lenient`] use. How each scheme
//! reads a malformed string is described in its module; in short, numeric parts that can be read
//! are compared as numbers and whatever is left over is compared as text, ordered below a version
//! with nothing left over (an unreadable tail never makes a version newer than the clean one).
//!
//! Numbers are compared by value whatever their length (no overflow at `u64`).

use std::cmp::Ordering;
use std::fmt;

use crate::model::Ecosystem;

mod alpine;
mod debian;
mod maven;
mod numeric;
mod packagist;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

#[cfg(test)]
mod tests;

/// A version ordering: how the versions of one family of ecosystems sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// Semantic Versioning 2.0, read leniently: a leading `v`, missing minor or patch numbers and
    /// extra numeric components are accepted, build metadata is ignored (npm, crates.io, Hex,
    /// Bitnami, ConanCenter, SwiftURL, ...).
    SemVer,
    /// Go modules: SemVer with a `v`; `+incompatible` is build metadata and pseudo-versions order
    /// as the SemVer pre-releases they are.
    Go,
    /// Python's PEP 440, with the pre-PEP 440 ("legacy") versions of old `packaging` below every
    /// valid version.
    Pep440,
    /// Maven's `ComparableVersion`.
    Maven,
    /// RubyGems' `Gem::Version`.
    RubyGems,
    /// NuGet: SemVer 2 with up to four numeric parts and case-insensitive pre-release labels.
    NuGet,
    /// Composer / Packagist: PHP's `version_compare`, after dropping a leading `v`.
    Packagist,
    /// Debian's dpkg ordering (epoch, upstream version, revision, `~`); also Ubuntu and opam.
    Debian,
    /// Alpine's apk ordering (letters, `_alpha` ... `_p` suffixes, `-r` revisions).
    Alpine,
    /// RPM's `rpmvercmp` on epoch, version and release (`~`, `^`): Red Hat, AlmaLinux, Rocky
    /// Linux, SUSE, openSUSE, ...
    Rpm,
    /// R package versions (CRAN): integers separated by `.` or `-`.
    Cran,
    /// Haskell package versions (Hackage, PVP): integers separated by `.`.
    Hackage,
    /// Dart's pub versions: SemVer where build metadata takes part in the order.
    Pub,
}

impl Scheme {
    /// Every scheme, in a stable order.
    pub const ALL: [Scheme; 13] = [
        Scheme::SemVer,
        Scheme::Go,
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::NuGet,
        Scheme::Packagist,
        Scheme::Debian,
        Scheme::Alpine,
        Scheme::Rpm,
        Scheme::Cran,
        Scheme::Hackage,
        Scheme::Pub,
    ];

    /// The ordering used for an ecosystem trusca inventories.
    pub fn for_ecosystem(ecosystem: Ecosystem) -> Scheme {
        match ecosystem {
            Ecosystem::Cargo
            | Ecosystem::Npm
            | Ecosystem::Hex
            | Ecosystem::ConanCenter
            | Ecosystem::Julia
            | Ecosystem::SwiftUrl
            | Ecosystem::CocoaPods => Scheme::SemVer,
            Ecosystem::Go => Scheme::Go,
            Ecosystem::PyPI => Scheme::Pep440,
            Ecosystem::Maven => Scheme::Maven,
            Ecosystem::NuGet => Scheme::NuGet,
            Ecosystem::RubyGems => Scheme::RubyGems,
            Ecosystem::Packagist => Scheme::Packagist,
            Ecosystem::Pub => Scheme::Pub,
            Ecosystem::Cran => Scheme::Cran,
            Ecosystem::Hackage => Scheme::Hackage,
            // opam orders versions with the Debian algorithm.
            Ecosystem::Opam | Ecosystem::Deb => Scheme::Debian,
            Ecosystem::Apk => Scheme::Alpine,
            Ecosystem::Rpm => Scheme::Rpm,
        }
    }

    /// The ordering for an OSV `affected[].package.ecosystem` string, including the suffixed
    /// forms (`Debian:11`, `Alpine:v3.16`, `Red Hat:enterprise_linux:9`). `None` when the
    /// ecosystem is unknown or has no ordering (such as `GIT`).
    pub fn for_osv(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or_default().trim();
        let scheme = match base {
            "npm" | "crates.io" | "Hex" | "Bitnami" | "ConanCenter" | "SwiftURL" | "GHC"
            | "Julia" | "Bioconductor" | "CocoaPods" => Scheme::SemVer,
            "Go" => Scheme::Go,
            "PyPI" => Scheme::Pep440,
            "Maven" => Scheme::Maven,
            "RubyGems" => Scheme::RubyGems,
            "NuGet" => Scheme::NuGet,
            "Packagist" => Scheme::Packagist,
            "Pub" => Scheme::Pub,
            "CRAN" => Scheme::Cran,
            "Hackage" => Scheme::Hackage,
            "Debian" | "Ubuntu" | "opam" | "Echo" => Scheme::Debian,
            "Alpine"
            | "Alpaquita"
            | "BellSoft Hardened Containers"
            | "Chainguard"
            | "Wolfi"
            | "MinimOS" => Scheme::Alpine,
            "Red Hat" | "AlmaLinux" | "Rocky Linux" | "SUSE" | "openSUSE" | "Mageia"
            | "openEuler" | "Photon OS" | "Azure Linux" | "Mariner" | "Oracle Linux" => Scheme::Rpm,
            _ => return None,
        };
        Some(scheme)
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::SemVer => "semver",
            Scheme::Go => "go",
            Scheme::Pep440 => "pep440",
            Scheme::Maven => "maven",
            Scheme::RubyGems => "rubygems",
            Scheme::NuGet => "nuget",
            Scheme::Packagist => "packagist",
            Scheme::Debian => "debian",
            Scheme::Alpine => "alpine",
            Scheme::Rpm => "rpm",
            Scheme::Cran => "cran",
            Scheme::Hackage => "hackage",
            Scheme::Pub => "pub",
        }
    }

    /// Parses `version`, or says that it is not a valid version of this scheme.
    ///
    /// When this returns `Ok(v)`, `v` is the same value [`Scheme::parse_lenient`] returns.
    pub fn parse(self, version: &str) -> Result<Version, VersionError> {
        let (version, valid) = self.read(version);
        if valid {
            Ok(version)
        } else {
            Err(VersionError::new(self, &version.original))
        }
    }

    /// Parses `version` as [`compare`] does: every string gives a version (see the module
    /// documentation for how malformed strings order).
    pub fn parse_lenient(self, version: &str) -> Version {
        self.read(version).0
    }

    /// Whether `version` is a valid version of this scheme.
    pub fn is_valid(self, version: &str) -> bool {
        self.read(version).1
    }

    fn read(self, s: &str) -> (Version, bool) {
        let (repr, valid) = match self {
            Scheme::SemVer | Scheme::Go | Scheme::NuGet | Scheme::Pub => {
                let (v, ok) = semver::parse(self, s);
                (Repr::SemVer(v), ok)
            }
            Scheme::Pep440 => {
                let (v, ok) = pep440::parse(s);
                (Repr::Pep440(v), ok)
            }
            Scheme::Maven => {
                let (v, ok) = maven::parse(s);
                (Repr::Maven(v), ok)
            }
            Scheme::RubyGems => {
                let (v, ok) = rubygems::parse(s);
                (Repr::RubyGems(v), ok)
            }
            Scheme::Packagist => {
                let (v, ok) = packagist::parse(s);
                (Repr::Packagist(v), ok)
            }
            Scheme::Debian => {
                let (v, ok) = debian::parse(s);
                (Repr::Debian(v), ok)
            }
            Scheme::Alpine => {
                let (v, ok) = alpine::parse(s);
                (Repr::Alpine(v), ok)
            }
            Scheme::Rpm => {
                let (v, ok) = rpm::parse(s);
                (Repr::Rpm(v), ok)
            }
            Scheme::Cran | Scheme::Hackage => {
                let (v, ok) = numeric::parse(self, s);
                (Repr::Numeric(v), ok)
            }
        };
        let version = Version {
            scheme: self,
            original: s.into(),
            repr,
        };
        (version, valid)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Compares two version strings under `scheme`. Never panics; malformed strings order as the
/// module documentation describes.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Ordering {
    scheme.parse_lenient(a).cmp(&scheme.parse_lenient(b))
}

/// A string that is not a valid version of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{version}` is not a valid {scheme} version")]
pub struct VersionError {
    /// The scheme the string was read under.
    pub scheme: Scheme,
    /// The string (cut to its first 100 characters).
    pub version: String,
}

impl VersionError {
    fn new(scheme: Scheme, version: &str) -> VersionError {
        let version = match version.char_indices().nth(100) {
            Some((end, _)) => format!("{}...", &version[..end]),
            None => version.to_owned(),
        };
        VersionError { scheme, version }
    }
}

/// A parsed version, ready to be compared many times.
///
/// Versions of the same scheme compare by that scheme's order (equality is the scheme's
/// equality: `1.0` and `1.0.0` are equal under SemVer). Versions of different schemes are never
/// meant to be compared; they order by scheme so that `Ord` stays total.
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    original: Box<str>,
    repr: Repr,
}

impl Version {
    /// The scheme the version was parsed under.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The string the version was parsed from.
    pub fn as_str(&self) -> &str {
        &self.original
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.scheme
            .cmp(&other.scheme)
            .then_with(|| self.repr.cmp(&other.repr))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// The parsed form of each scheme. The derived order only compares like with like, because a
/// [`Version`] compares its scheme first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Repr {
    SemVer(semver::SemVer),
    Pep440(pep440::Pep440),
    Maven(maven::Maven),
    RubyGems(rubygems::Gem),
    Packagist(packagist::Php),
    Debian(debian::Dpkg),
    Alpine(alpine::Apk),
    Rpm(rpm::Rpm),
    Numeric(numeric::Numeric),
}

/// Implements `PartialEq`, `Eq` and `PartialOrd` from a hand-written `Ord`, so that equality is
/// the scheme's equality rather than field-by-field equality.
macro_rules! eq_from_ord {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }
        impl Eq for $t {}
        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}
use eq_from_ord;

/// A non-negative integer of any size, kept as its decimal digits without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct Num(Box<str>);

impl Num {
    /// Reads a string of ASCII digits (the caller checks); `""` reads as zero.
    fn new(digits: &str) -> Num {
        Num(digits.trim_start_matches('0').into())
    }

    /// `Some` when `s` is a non-empty string of ASCII digits.
    fn parse(s: &str) -> Option<Num> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| Num::new(s))
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Splits `s` after its leading run of bytes that satisfy `pred`.
fn split_while(s: &str, pred: impl Fn(u8) -> bool) -> (&str, &str) {
    let end = s.bytes().position(|b| !pred(b)).unwrap_or(s.len());
    // `pred` only accepts ASCII bytes in every caller, so `end` is a char boundary; fall back
    // to not splitting if a caller ever breaks that.
    match (s.get(..end), s.get(end..)) {
        (Some(head), Some(tail)) => (head, tail),
        _ => ("", s),
    }
}

/// Compares two lists element by element, the shorter one padded with `pad`.
fn cmp_padded<T: Ord>(a: &[T], b: &[T], pad: &T) -> Ordering {
    let len = a.len().max(b.len());
    for i in 0..len {
        let x = a.get(i).unwrap_or(pad);
        let y = b.get(i).unwrap_or(pad);
        match x.cmp(y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

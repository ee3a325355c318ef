//! Operating-system packages: the distribution a root file system is (from `os-release`), what
//! an OS package records beyond name and version, and the image layer a package came from.

use serde::{Deserialize, Serialize};

/// The distribution of a root file system, as `/etc/os-release` names it.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Distro {
    /// The lowercase id (`debian`, `alpine`, `almalinux`, `ubuntu`).
    pub id: String,
    /// The release (`12`, `3.19.1`, `9.3`, `22.04`), where the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// The name to show (`Debian GNU/Linux 12 (bookworm)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// Whether the release is a long-term-support one (Ubuntu's `VERSION` says `LTS`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lts: bool,
}

impl Distro {
    /// The OSV ecosystem that holds this release's advisories (`Debian:12`, `Alpine:v3.19`,
    /// `AlmaLinux:9`, `Rocky Linux:9`, `Ubuntu:22.04:LTS`); `None` for a distribution or release
    /// OSV has no ecosystem for.
    pub fn osv_ecosystem(&self) -> Option<String> {
        let version = self.version_id.as_deref()?;
        let major = version.split('.').next().filter(|m| !m.is_empty())?;
        let major_minor = || {
            let mut parts = version.split('.');
            Some(format!("{}.{}", parts.next()?, parts.next()?))
        };
        Some(match self.id.as_str() {
            "debian" => format!("Debian:{major}"),
            "ubuntu" if self.lts => format!("Ubuntu:{version}:LTS"),
            "ubuntu" => format!("Ubuntu:{version}"),
            "alpine" => format!("Alpine:v{}", major_minor()?),
            "almalinux" => format!("AlmaLinux:{major}"),
            "rocky" => format!("Rocky Linux:{major}"),
            _ => return None,
        })
    }

    /// The purl `distro` qualifier of its packages: `debian-12`, `almalinux-9.3`, and for
    /// Alpine the bare release (`3.19.1`), as the purl spec's examples write them.
    pub fn purl_qualifier(&self) -> Option<String> {
        let version = self.version_id.as_deref()?;
        Some(match self.id.as_str() {
            "alpine" => version.to_owned(),
            id => format!("{id}-{version}"),
        })
    }

    /// The name to show: the pretty name, else `id version`.
    pub fn display_name(&self) -> String {
        self.pretty_name
            .clone()
            .unwrap_or_else(|| match &self.version_id {
                Some(v) => format!("{} {v}", self.id),
                None => self.id.clone(),
            })
    }
}

/// What an operating-system package records beyond its name and version.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct OsPackage {
    /// The distribution it was installed on.
    pub distro: Distro,
    /// The CPU architecture it was built for (`amd64`, `x86_64`, `all`, `noarch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// The source package it was built from (dpkg `Source`, apk origin, the source rpm's name):
    /// advisories name source packages.
    pub source_name: String,
    /// The source package's version, where it differs from the binary's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
}

/// The image layer a package came from.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct LayerRef {
    /// The layer's index, bottom first, from 0.
    pub index: usize,
    /// The layer's digest.
    pub digest: String,
    /// The build step that made it (history `created_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distro(id: &str, version: &str) -> Distro {
        Distro {
            id: id.to_owned(),
            version_id: Some(version.to_owned()),
            pretty_name: None,
            lts: false,
        }
    }

    #[test]
    fn osv_ecosystems_carry_the_release() {
        assert_eq!(
            distro("debian", "12").osv_ecosystem().as_deref(),
            Some("Debian:12")
        );
        assert_eq!(
            distro("alpine", "3.19.1").osv_ecosystem().as_deref(),
            Some("Alpine:v3.19")
        );
        assert_eq!(
            distro("almalinux", "9.3").osv_ecosystem().as_deref(),
            Some("AlmaLinux:9")
        );
        assert_eq!(
            distro("rocky", "9.3").osv_ecosystem().as_deref(),
            Some("Rocky Linux:9")
        );
        let mut ubuntu = distro("ubuntu", "22.04");
        ubuntu.lts = true;
        assert_eq!(ubuntu.osv_ecosystem().as_deref(), Some("Ubuntu:22.04:LTS"));
        assert_eq!(distro("gentoo", "2.14").osv_ecosystem(), None);
        assert_eq!(distro("alpine", "3").osv_ecosystem(), None);
    }

    #[test]
    fn purl_qualifiers_follow_the_spec_examples() {
        assert_eq!(
            distro("debian", "12").purl_qualifier().as_deref(),
            Some("debian-12")
        );
        assert_eq!(
            distro("alpine", "3.19.1").purl_qualifier().as_deref(),
            Some("3.19.1")
        );
        assert_eq!(
            distro("almalinux", "9.3").purl_qualifier().as_deref(),
            Some("almalinux-9.3")
        );
    }
}

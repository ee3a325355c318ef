//! Which files of an image are kept while its layers stream past: the ones a cataloger reads.
//! Everything else is read over and dropped.

use std::path::Path;

/// The operating-system files read whole: the release and the package databases.
pub const OS_FILES: &[&str] = &[
    "etc/os-release",
    "usr/lib/os-release",
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "var/lib/rpm/rpmdb.sqlite",
    "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/Packages",
    "usr/lib/sysimage/rpm/Packages.db",
];

/// Whether a file (by its path from the image root, without a leading `/`) is kept.
pub fn is_kept(path: &str) -> bool {
    if OS_FILES.contains(&path) {
        return true;
    }
    // Distroless images keep one status file per package.
    if let Some(rest) = path.strip_prefix("var/lib/dpkg/status.d/") {
        return !rest.contains('/');
    }
    // `/usr/share/doc/<package>/copyright`, where Debian keeps each package's licence.
    if let Some(rest) = path.strip_prefix("usr/share/doc/") {
        return rest
            .split_once('/')
            .is_some_and(|(_, file)| file == "copyright");
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    // Installed Python packages' metadata (for their licences).
    if name == "METADATA" && parent_ends_with(path, ".dist-info") {
        return true;
    }
    if name == "PKG-INFO" && parent_ends_with(path, ".egg-info") {
        return true;
    }
    crate::inventory::for_path(Path::new(path)).is_some()
}

fn parent_ends_with(path: &str, suffix: &str) -> bool {
    path.rsplit_once('/')
        .map(|(dir, _)| dir.rsplit('/').next().unwrap_or(dir))
        .is_some_and(|dir| dir.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_catalogers_read() {
        for path in [
            "etc/os-release",
            "var/lib/dpkg/status",
            "var/lib/dpkg/status.d/base",
            "lib/apk/db/installed",
            "usr/share/doc/openssl/copyright",
            "app/package-lock.json",
            "usr/lib/node_modules/npm/package.json",
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
        ] {
            assert!(is_kept(path), "{path}");
        }
        for path in [
            "usr/bin/openssl",
            "var/lib/dpkg/info/openssl.list",
            "usr/share/doc/openssl/changelog.gz",
            "usr/share/doc/openssl/examples/copyright",
            "var/lib/dpkg/status-old",
            "METADATA",
        ] {
            assert!(!is_kept(path), "{path}");
        }
    }
}

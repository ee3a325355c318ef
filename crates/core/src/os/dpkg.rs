//! dpkg's database: `var/lib/dpkg/status` (every installed package in one file) and the
//! `var/lib/dpkg/status.d/` files of distroless images (one or a few packages each).

use super::stanza::{paragraphs, Paragraph};
use super::{Builder, OsPackageFields};

/// The installed packages of one status file. Paragraphs whose `Status` says the package is not
/// installed (removed with its configuration kept) are skipped; one without `Package` or
/// `Version` is reported.
pub fn read(text: &str, builder: &mut Builder<'_>) {
    for p in paragraphs(text) {
        if !is_installed(&p) {
            continue;
        }
        let (Some(name), Some(version)) = (p.first_line("Package"), p.first_line("Version")) else {
            builder.skipped(p.line, "paragraph without `Package` and `Version`");
            continue;
        };
        let (source_name, source_version) = source(&p, name);
        builder.add(OsPackageFields {
            name,
            version,
            arch: p.first_line("Architecture"),
            source_name,
            source_version,
            epoch: None,
            license: None,
            line: Some(p.line),
        });
    }
}

/// The names and versions of the installed packages of a status file (to tell which layer
/// added or removed a package).
pub fn installed(text: &str) -> Vec<(String, String)> {
    paragraphs(text)
        .iter()
        .filter(|p| is_installed(p))
        .filter_map(|p| {
            Some((
                p.first_line("Package")?.to_owned(),
                p.first_line("Version")?.to_owned(),
            ))
        })
        .collect()
}

/// A paragraph without `Status` (status.d) is installed; else its third word says so.
fn is_installed(p: &Paragraph<'_>) -> bool {
    p.first_line("Status")
        .is_none_or(|s| s.split_whitespace().nth(2) == Some("installed"))
}

/// `Source: openssl (3.0.11-1)` → (`openssl`, `3.0.11-1`); the binary's own name without it.
fn source<'a>(p: &'a Paragraph<'_>, name: &'a str) -> (&'a str, Option<&'a str>) {
    match p.first_line("Source") {
        Some(s) => match s.split_once('(') {
            Some((n, v)) => (
                n.trim(),
                Some(v.trim_end_matches(')').trim()).filter(|v| !v.is_empty()),
            ),
            None => (s, None),
        },
        None => (name, None),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{build, debian};
    use super::*;

    const STATUS: &str = "\
Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u2
Description: toolkit
 more text

Package: libssl3
Status: install ok installed
Source: openssl (3.0.11-1~deb12u2)
Architecture: amd64
Version: 3.0.11-1~deb12u2

Package: gone
Status: deinstall ok config-files
Version: 1.0

Package: broken
Status: install ok installed
";

    #[test]
    fn reads_installed_packages_with_their_source() {
        let (packages, diagnostics) = build(&debian(), "var/lib/dpkg/status", |b| read(STATUS, b));
        let purls: Vec<&str> = packages.iter().map(|p| p.purl.as_str()).collect();
        assert_eq!(
            purls,
            [
                "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
                "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
            ]
        );
        let os = packages[1].os.as_ref().expect("os");
        assert_eq!(os.source_name, "openssl");
        assert_eq!(packages[1].location.line, Some(8));
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.contains("`Package`"),
            "{diagnostics:?}"
        );
        assert_eq!(diagnostics[0].line, Some(18));
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in [
            "",
            "\u{0}\u{1b}[2J",
            "Package:\nVersion:\n",
            "::::\n \n\t\n",
            "Package: a\nVersion: 1 (\nSource: (((\n",
        ] {
            let _ = build(&debian(), "var/lib/dpkg/status", |b| read(text, b));
        }
        assert_eq!(installed(STATUS).len(), 2);
    }
}

//! Java archives in the tree (`*.jar`, `*.war`, `*.ear`): the Maven artifacts they carry, from
//! each `META-INF/maven/<group>/<artifact>/pom.properties` (Maven writes one per artifact it
//! packs, a shaded jar several), also inside jars nested in the archive (`BOOT-INF/lib/`,
//! `WEB-INF/lib/`), one level deep.
//!
//! An archive is read from its file, not as text, through the `zip` crate, and bounded: the
//! archive's size, the entries looked at, the bytes inflated for one `pom.properties` and for
//! one nested jar. A jar with no `pom.properties` (built by something other than Maven) gives
//! nothing: its manifest names no group, so no Maven coordinate can be made of it.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "<archive>.jar",
    slug: "jar",
    ecosystem: Ecosystem::Maven,
    kind: Kind::Lockfile,
    matches,
    extract,
};

/// The largest archive opened.
pub(crate) const MAX_ARCHIVE_BYTES: u64 = 128 * 1024 * 1024;
/// The largest nested jar inflated into memory.
const MAX_NESTED_BYTES: u64 = 32 * 1024 * 1024;
/// The largest `pom.properties` read.
const MAX_PROPERTIES_BYTES: u64 = 64 * 1024;
/// The most entries looked at in one archive.
const MAX_ENTRIES: usize = 100_000;
/// The most nested jars opened in one archive.
const MAX_NESTED: usize = 1_000;

fn matches(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["jar", "war", "ear"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// An archive has no text to give: it is read from its file ([`read_path`]).
fn extract(_input: &Input<'_>) -> Result<Extracted, ParseError> {
    Err(ParseError::new(
        "a Java archive is read from its file, not as text",
        None,
    ))
}

/// Reads the archive at `path` (shown as `display`).
pub(crate) fn read_path(path: &Path, display: &str) -> Result<Extracted, ParseError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ParseError::new(format!("cannot read archive: {e}"), None))?;
    if meta.len() > MAX_ARCHIVE_BYTES {
        return Err(ParseError::new(
            format!(
                "archive is {} MiB, more than the {} MiB trusca opens",
                meta.len() >> 20,
                MAX_ARCHIVE_BYTES >> 20
            ),
            None,
        ));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| ParseError::new(format!("cannot read archive: {e}"), None))?;
    let mut out = Extracted::default();
    read_archive(std::io::BufReader::new(file), display, true, &mut out)?;
    Ok(out)
}

/// Adds the artifacts of one archive (and, when `outer`, of the jars nested in it).
fn read_archive<R: Read + Seek>(
    reader: R,
    display: &str,
    outer: bool,
    out: &mut Extracted,
) -> Result<(), ParseError> {
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| ParseError::new(format!("not a readable zip archive: {e}"), None))?;
    let mut nested = 0usize;
    let count = archive.len();
    if count > MAX_ENTRIES {
        out.diagnostics.push(
            Diagnostic::warning(
                Code::LimitReached,
                format!("only the first {MAX_ENTRIES} of {count} archive entries were read"),
            )
            .in_file(display, None),
        );
    }
    for i in 0..count.min(MAX_ENTRIES) {
        let Ok(mut entry) = archive.by_index(i) else {
            continue;
        };
        // zip 9 gives the name only where it decodes; one that does not is no entry we read.
        let Ok(name) = entry.name().map(|n| n.to_string()) else {
            continue;
        };
        if is_pom_properties(&name) {
            if entry.size() > MAX_PROPERTIES_BYTES {
                continue;
            }
            let mut text = String::new();
            if (&mut entry)
                .take(MAX_PROPERTIES_BYTES)
                .read_to_string(&mut text)
                .is_err()
            {
                out.diagnostics.push(
                    Diagnostic::warning(
                        Code::ParseError,
                        format!(
                            "`{}` could not be read as text; skipped",
                            name.escape_default()
                        ),
                    )
                    .in_file(display, None),
                );
                continue;
            }
            if let Some(pkg) = package_of(&text, display) {
                if !out
                    .packages
                    .iter()
                    .any(|p| p.purl == pkg.purl && p.location == pkg.location)
                {
                    out.packages.push(pkg);
                }
            }
        } else if outer && matches(Path::new(&name)) && !entry.is_dir() {
            nested += 1;
            if nested > MAX_NESTED || entry.size() > MAX_NESTED_BYTES {
                continue;
            }
            let mut bytes = Vec::new();
            if (&mut entry)
                .take(MAX_NESTED_BYTES)
                .read_to_end(&mut bytes)
                .is_err()
            {
                continue;
            }
            let inner = format!("{display}!/{}", name.escape_default());
            // A nested entry that is no archive is not an error of the outer one.
            if let Err(e) = read_archive(Cursor::new(bytes), &inner, false, out) {
                out.diagnostics.push(
                    Diagnostic::warning(Code::ParseError, format!("skipped: {}", e.message))
                        .in_file(inner, None),
                );
            }
        }
    }
    Ok(())
}

/// `META-INF/maven/<group>/<artifact>/pom.properties`.
fn is_pom_properties(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() == 5
        && parts[0] == "META-INF"
        && parts[1] == "maven"
        && parts[4] == "pom.properties"
        && parts[2..4].iter().all(|p| !p.is_empty() && *p != "..")
}

/// The artifact a `pom.properties` names (`groupId`, `artifactId`, `version`).
fn package_of(text: &str, display: &str) -> Option<Package> {
    let mut group = None;
    let mut artifact = None;
    let mut version = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some((key, value)) = line.split_once(['=', ':']) else {
            continue;
        };
        let value = value.trim();
        let ok = !value.is_empty()
            && value.len() <= 256
            && !value.chars().any(|c| c.is_control() || c.is_whitespace());
        match key.trim() {
            "groupId" if ok => group = Some(value),
            "artifactId" if ok => artifact = Some(value),
            "version" if ok => version = Some(value),
            _ => {}
        }
    }
    let name = format!("{}:{}", group?, artifact?);
    Some(Package::new(
        Ecosystem::Maven,
        &name,
        version,
        Location::new(display.to_owned(), None),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn jar(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            w.start_file(*name, SimpleFileOptions::default())
                .expect("entry");
            w.write_all(bytes).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    fn read(bytes: &[u8]) -> Result<Extracted, ParseError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.jar");
        std::fs::write(&path, bytes).expect("write");
        read_path(&path, "lib/x.jar")
    }

    /// Issue 18: the Maven wrapper jar committed under `.mvn/wrapper/` (the shape of the one of
    /// a Spring Boot microservices sample) carries its coordinates in `pom.properties`.
    #[test]
    fn maven_wrapper_jar_in_the_tree() {
        let path = super::super::testing::repo_fixtures()
            .join("inventory/maven-wrapper/.mvn/wrapper/maven-wrapper.jar");
        let out = read_path(&path, ".mvn/wrapper/maven-wrapper.jar").expect("reads");
        let got: Vec<_> = out.packages.iter().map(|p| p.purl.as_str()).collect();
        assert_eq!(
            got,
            ["pkg:maven/org.apache.maven.wrapper/maven-wrapper@3.3.2"]
        );
        assert_eq!(
            out.packages[0].location.file,
            ".mvn/wrapper/maven-wrapper.jar"
        );
    }

    #[test]
    fn nested_jars_one_level_deep() {
        let props = |g: &str, a: &str, v: &str| {
            format!("#Generated by Maven\nversion={v}\ngroupId={g}\nartifactId={a}\n")
        };
        let innermost = jar(&[(
            "META-INF/maven/deep/deeper/pom.properties",
            props("deep", "deeper", "1").as_bytes(),
        )]);
        let inner = jar(&[
            (
                "META-INF/maven/org.example/lib/pom.properties",
                props("org.example", "lib", "2.0.1").as_bytes(),
            ),
            ("lib/innermost.jar", &innermost),
        ]);
        let outer = jar(&[
            ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"),
            (
                "META-INF/maven/org.example/app/pom.properties",
                props("org.example", "app", "1.0.0").as_bytes(),
            ),
            ("BOOT-INF/lib/lib-2.0.1.jar", &inner),
            ("BOOT-INF/lib/broken.jar", b"not a zip"),
        ]);
        let out = read(&outer).expect("reads");
        let got: Vec<_> = out
            .packages
            .iter()
            .map(|p| (p.purl.as_str(), p.location.file.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:maven/org.example/app@1.0.0", "lib/x.jar"),
                (
                    "pkg:maven/org.example/lib@2.0.1",
                    "lib/x.jar!/BOOT-INF/lib/lib-2.0.1.jar"
                ),
            ]
        );
        assert_eq!(out.diagnostics.len(), 1, "the broken nested jar");
        assert_eq!(
            out.diagnostics[0].file.as_deref(),
            Some("lib/x.jar!/BOOT-INF/lib/broken.jar")
        );
    }

    #[test]
    fn hostile_archives_give_errors_not_panics() {
        let good = jar(&[(
            "META-INF/maven/g/a/pom.properties",
            b"groupId=g\nartifactId=a\nversion=1\n",
        )]);
        assert!(read(b"").is_err());
        assert!(read(b"PK\x03\x04 truncated").is_err());
        let _ = read(&good[..good.len() / 2]);
        let odd = jar(&[
            (
                "META-INF/maven/../a/pom.properties",
                b"groupId=g\nartifactId=a\n",
            ),
            ("META-INF/maven/g/b/pom.properties", b"\xff\xfe\x00"),
            (
                "META-INF/maven/g/c/pom.properties",
                b"groupId=g\x1b[31m\nartifactId=c\n",
            ),
            (
                "META-INF/maven/g/d/pom.properties",
                b"groupId=\nartifactId=d\n",
            ),
        ]);
        let out = read(&odd).expect("reads");
        assert!(out.packages.is_empty(), "{:?}", out.packages);
        assert_eq!(out.diagnostics.len(), 1, "the one that is not UTF-8");
        assert!(EXTRACTOR
            .run(&Input {
                display: "x.jar",
                path: Path::new("x.jar"),
                text: "",
            })
            .is_err());
    }

    #[test]
    fn matches_archive_extensions() {
        assert!(matches(Path::new(".mvn/wrapper/maven-wrapper.jar")));
        assert!(matches(Path::new("app.WAR")));
        assert!(!matches(Path::new("jar")));
        assert!(!matches(Path::new("pom.xml")));
    }
}

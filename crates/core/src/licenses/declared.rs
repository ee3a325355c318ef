//! Declared licenses: what package metadata present in the scanned tree says.
//!
//! Read here: installed npm packages (`node_modules/**/package.json`: `license`, or the legacy
//! `licenses` array or object), Python distributions (`*.dist-info/METADATA`,
//! `*.egg-info/PKG-INFO`: `License-Expression`, `License`, `Classifier: License :: …`), vendored
//! Rust crates (`vendor/*/Cargo.toml`, and the scanned workspace's own members:
//! `package.license`, `package.license-file`, with workspace inheritance), Go vendored
//! modules (`vendor/modules.txt`, whose module directories hold license files), Composer's
//! `vendor/composer/installed.json`, installed gem specifications (`specifications/*.gemspec`),
//! and the license fields some lockfiles carry themselves (`composer.lock`, `package-lock.json`
//! and `npm-shrinkwrap.json` version 2 and later, `renv.lock` records with `License`). The
//! lockfiles are read again here rather than through the inventory extractors, which keep to
//! packages and versions.

use std::path::Path;

use serde_json::Value;

use super::expr::{self, Normalized};
use super::layout::MetaKind;
use crate::diag::{Code, Diagnostic};
use crate::model::{DeclaredSource, Ecosystem};

/// Metadata files larger than this are not read.
pub const MAX_METADATA_BYTES: u64 = 64 * 1024 * 1024;

/// What one metadata entry says about one package.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The package name.
    pub name: String,
    /// The version, where the metadata gives one.
    pub version: Option<String>,
    /// The declared license, normalised.
    pub declared: Option<Normalized>,
    /// The metadata file, relative to the root.
    pub source: String,
    /// The package's own directory (relative to the root), where its license files are.
    pub dir: Option<String>,
    /// A license file the metadata names (`license-file`), relative to the root.
    pub license_file: Option<String>,
    /// What kind of metadata it is: a package's own (installed, or a workspace member's
    /// manifest) is preferred to a lockfile field.
    pub kind: DeclaredSource,
}

/// Reads one metadata file into records, or a diagnostic.
pub fn read(path: &Path, rel: &str, kind: MetaKind) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = match read_text(path, rel, &mut diags) {
        Some(t) => t,
        None => return (Vec::new(), diags),
    };
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let json = |diags: &mut Vec<Diagnostic>| -> Option<Value> {
        match serde_json::from_str(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(
                    Diagnostic::warning(
                        Code::ParseError,
                        format!("cannot read license metadata: {e}"),
                    )
                    .in_file(rel, u32::try_from(e.line()).ok()),
                );
                None
            }
        }
    };
    let records = match kind {
        MetaKind::NpmPackage => json(&mut diags)
            .and_then(|v| npm_package(&v, rel, &dir))
            .into_iter()
            .collect(),
        MetaKind::PythonMetadata => python_metadata(&text, rel, &dir).into_iter().collect(),
        MetaKind::VendoredCrate => crate_manifest(
            &text,
            path,
            rel,
            &dir,
            DeclaredSource::Installed,
            &mut diags,
        )
        .into_iter()
        .collect(),
        MetaKind::CrateManifest => {
            crate_manifest(&text, path, rel, &dir, DeclaredSource::Manifest, &mut diags)
                .into_iter()
                .collect()
        }
        MetaKind::GoVendor => go_vendor(&text, rel, &dir),
        MetaKind::ComposerInstalled => json(&mut diags)
            .map(|v| composer_installed(&v, rel, &dir))
            .unwrap_or_default(),
        MetaKind::Gemspec => gemspec(&text, rel, &dir).into_iter().collect(),
        MetaKind::ComposerLock => json(&mut diags)
            .map(|v| composer_lock(&v, rel))
            .unwrap_or_default(),
        MetaKind::NpmLock => json(&mut diags)
            .map(|v| npm_lock(&v, rel, &dir))
            .unwrap_or_default(),
        MetaKind::RenvLock => json(&mut diags)
            .map(|v| renv_lock(&v, rel))
            .unwrap_or_default(),
    };
    (records, diags)
}

fn read_text(path: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let warn = |code, msg: String| Diagnostic::warning(code, msg).in_file(rel, None);
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_METADATA_BYTES => {
            diags.push(warn(
                Code::FileTooLarge,
                format!(
                    "license metadata is {} MiB, more than the {} MiB trusca reads",
                    m.len() >> 20,
                    MAX_METADATA_BYTES >> 20
                ),
            ));
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.push(warn(Code::ReadError, format!("cannot read file: {e}")));
            return None;
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(warn(Code::ReadError, format!("cannot read file: {e}")));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_owned()),
        Err(e) => {
            diags.push(warn(
                Code::InvalidUtf8,
                format!(
                    "license metadata is not valid UTF-8 (bad byte at offset {}); read with replacement characters",
                    e.valid_up_to()
                ),
            ));
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

fn record(
    ecosystem: Ecosystem,
    name: &str,
    version: Option<&str>,
    declared: Option<Normalized>,
    source: &str,
    dir: Option<String>,
    kind: DeclaredSource,
) -> Record {
    Record {
        ecosystem,
        name: name.to_owned(),
        version: version.map(str::to_owned).filter(|v| !v.is_empty()),
        declared,
        source: source.to_owned(),
        dir,
        license_file: None,
        kind,
    }
}

/// `license` (a string, or a legacy `{ "type": … }` object) or the legacy `licenses` array.
fn npm_license(v: &Value) -> Option<Normalized> {
    let one = |l: &Value| -> Option<String> {
        match l {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("type").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        }
    };
    if let Some(l) = v.get("license").and_then(one) {
        return expr::normalize(&l);
    }
    let list: Vec<String> = match v.get("licenses") {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(other) => one(other).into_iter().collect(),
        None => Vec::new(),
    };
    expr::normalize_any_of(list.iter().map(String::as_str))
}

fn npm_package(v: &Value, rel: &str, dir: &str) -> Option<Record> {
    let name = v.get("name")?.as_str()?;
    let version = v.get("version").and_then(Value::as_str);
    Some(record(
        Ecosystem::Npm,
        name,
        version,
        npm_license(v),
        rel,
        Some(dir.to_owned()),
        DeclaredSource::Installed,
    ))
}

/// Core metadata (RFC 822 style headers up to the first blank line).
pub(crate) fn python_metadata(text: &str, rel: &str, dir: &str) -> Option<Record> {
    let mut name = None;
    let mut version = None;
    let mut expression = None;
    let mut license: Option<String> = None;
    let mut classifiers = Vec::new();
    let mut last: Option<&str> = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation line, as in a multi-line `License:` holding a whole text.
            if last == Some("License") {
                if let Some(l) = license.as_mut() {
                    l.push('\n');
                    l.push_str(line.trim_start_matches([' ', '\t', '|']));
                }
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        last = Some(match key {
            "Name" => {
                name = Some(value.to_owned());
                "Name"
            }
            "Version" => {
                version = Some(value.to_owned());
                "Version"
            }
            "License-Expression" => {
                expression = Some(value.to_owned());
                "License-Expression"
            }
            "License" => {
                license = Some(value.to_owned());
                "License"
            }
            "Classifier" if value.starts_with("License ::") => {
                classifiers.push(value.to_owned());
                "Classifier"
            }
            _ => "",
        });
    }
    let name = name?;
    let from_license = license.as_deref().and_then(|l| {
        let l = l.trim();
        if l.is_empty() || l.eq_ignore_ascii_case("unknown") || l.eq_ignore_ascii_case("UNKNOWN") {
            return None;
        }
        if l.contains('\n') || l.len() > 200 {
            // The whole license text pasted into the field: identify it.
            let found = super::detect::detect_text(l, rel);
            if let Some(d) = found.first() {
                return expr::normalize(&d.license);
            }
        }
        expr::normalize(l)
    });
    let meaningful: Vec<&str> = classifiers
        .iter()
        .map(String::as_str)
        .filter(|c| {
            !matches!(
                c.trim(),
                "License :: OSI Approved" | "License :: Other/Proprietary License"
            )
        })
        .collect();
    let from_classifiers = expr::normalize_any_of(meaningful);
    let declared = match (
        expression.as_deref().and_then(expr::normalize),
        from_license,
        from_classifiers,
    ) {
        (Some(e), _, _) => Some(e),
        (_, Some(l), _) if l.is_spdx() => Some(l),
        (_, l, Some(c)) if c.is_spdx() || l.is_none() => Some(c),
        (_, l, c) => l.or(c),
    };
    Some(record(
        Ecosystem::PyPI,
        &name,
        version.as_deref(),
        declared,
        rel,
        Some(dir.to_owned()),
        DeclaredSource::Installed,
    ))
}

/// A crate's `Cargo.toml`: vendored (`vendor/<crate>/`) or a member of the scanned workspace,
/// whose `license.workspace = true` and `version.workspace = true` are read from the nearest
/// `Cargo.toml` above it with a `[workspace]` (never above the scan root).
fn crate_manifest(
    text: &str,
    path: &Path,
    rel: &str,
    dir: &str,
    kind: DeclaredSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let doc: toml::Table = match text.parse() {
        Ok(d) => d,
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .and_then(|l| u32::try_from(l).ok());
            diags.push(
                Diagnostic::warning(
                    Code::ParseError,
                    format!("cannot read license metadata: {}", e.message()),
                )
                .in_file(rel, line),
            );
            return None;
        }
    };
    let package = doc.get("package")?.as_table()?;
    let name = package.get("name")?.as_str()?;
    let inherits = |key: &str| {
        package
            .get(key)
            .and_then(toml::Value::as_table)
            .and_then(|t| t.get("workspace"))
            .and_then(toml::Value::as_bool)
            == Some(true)
    };
    let workspace = if inherits("license") || inherits("version") {
        workspace_package(path, rel.matches('/').count())
    } else {
        None
    };
    let field = |key: &str| -> Option<String> {
        match package.get(key) {
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(toml::Value::Table(_)) if inherits(key) => workspace
                .as_ref()
                .and_then(|w| w.get(key))
                .and_then(toml::Value::as_str)
                .map(str::to_owned),
            _ => None,
        }
    };
    let version = field("version");
    let declared = field("license").as_deref().and_then(expr::normalize);
    let mut r = record(
        Ecosystem::Cargo,
        name,
        version.as_deref(),
        declared,
        rel,
        Some(dir.to_owned()),
        kind,
    );
    r.license_file = package
        .get("license-file")
        .and_then(toml::Value::as_str)
        .filter(|f| !f.contains("..") && !f.starts_with('/'))
        .map(|f| {
            if dir.is_empty() {
                f.to_owned()
            } else {
                format!("{dir}/{f}")
            }
        });
    Some(r)
}

/// The `[workspace.package]` table of the nearest `Cargo.toml` above the one at `manifest` with
/// a `[workspace]`, looking at most `levels` directories up.
fn workspace_package(manifest: &Path, levels: usize) -> Option<toml::Table> {
    let mut dir = manifest.parent()?;
    for _ in 0..levels {
        dir = dir.parent()?;
        let candidate = dir.join("Cargo.toml");
        let fits = std::fs::metadata(&candidate)
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_METADATA_BYTES);
        if !fits {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&candidate) else {
            continue;
        };
        let Ok(doc) = text.parse::<toml::Table>() else {
            continue;
        };
        if let Some(workspace) = doc.get("workspace").and_then(toml::Value::as_table) {
            return workspace
                .get("package")
                .and_then(toml::Value::as_table)
                .cloned();
        }
    }
    None
}

/// `# module version` lines; the license files are in `vendor/<module>/`.
fn go_vendor(text: &str, rel: &str, dir: &str) -> Vec<Record> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let module = words.next()?;
            let version = words.next()?;
            Some(record(
                Ecosystem::Go,
                module,
                Some(version),
                None,
                rel,
                Some(format!("{dir}/{module}")),
                DeclaredSource::Installed,
            ))
        })
        .collect()
}

fn json_licenses(v: &Value) -> Option<Normalized> {
    match v.get("license") {
        Some(Value::Array(a)) => expr::normalize_any_of(a.iter().filter_map(Value::as_str)),
        Some(Value::String(s)) => expr::normalize(s),
        _ => None,
    }
}

fn composer_installed(v: &Value, rel: &str, dir: &str) -> Vec<Record> {
    // Composer 2 writes `{ "packages": [...] }`, Composer 1 a bare array.
    let list = v.get("packages").unwrap_or(v);
    let vendor = dir.rsplit_once('/').map_or("", |(d, _)| d);
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            let version = p.get("version").and_then(Value::as_str);
            let pkg_dir = match p.get("install-path").and_then(Value::as_str) {
                Some(ip) if !ip.starts_with('/') => normalize_rel(&format!("{dir}/{ip}")),
                _ => Some(format!("{vendor}/{name}")),
            };
            Some(record(
                Ecosystem::Packagist,
                name,
                version,
                json_licenses(p),
                rel,
                pkg_dir,
                DeclaredSource::Installed,
            ))
        })
        .collect()
}

/// Resolves `.` and `..` in a relative path; `None` when it would leave the root.
fn normalize_rel(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// `s.name = "rack".freeze`, `s.version = "2.2.3"`, `s.licenses = ["MIT".freeze]`.
pub(crate) fn gemspec(text: &str, rel: &str, dir: &str) -> Option<Record> {
    let mut name = None;
    let mut version = None;
    let mut licenses: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((lhs, rhs)) = line.split_once(" = ") else {
            continue;
        };
        let field = lhs.rsplit('.').next().unwrap_or("");
        let strings = quoted(rhs);
        match field {
            "name" => name = strings.into_iter().next(),
            "version" => version = strings.into_iter().next(),
            "licenses" | "license" => licenses.extend(strings),
            _ => {}
        }
    }
    let name = name?;
    let gems_dir = dir
        .strip_suffix("specifications")
        .map(|base| match &version {
            Some(v) => format!("{base}gems/{name}-{v}"),
            None => format!("{base}gems/{name}"),
        });
    Some(record(
        Ecosystem::RubyGems,
        &name,
        version.as_deref(),
        expr::normalize_any_of(licenses.iter().map(String::as_str)),
        rel,
        gems_dir,
        DeclaredSource::Installed,
    ))
}

/// The double- or single-quoted strings in a line of Ruby.
fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '"' || c == '\'' {
            let inner: String = chars.by_ref().take_while(|x| *x != c).collect();
            out.push(inner);
        }
    }
    out
}

fn composer_lock(v: &Value, rel: &str) -> Vec<Record> {
    ["packages", "packages-dev"]
        .iter()
        .filter_map(|k| v.get(*k)?.as_array())
        .flatten()
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            Some(record(
                Ecosystem::Packagist,
                name,
                p.get("version").and_then(Value::as_str),
                json_licenses(p),
                rel,
                None,
                DeclaredSource::Lockfile,
            ))
        })
        .filter(|r| r.declared.is_some())
        .collect()
}

fn npm_lock(v: &Value, rel: &str, dir: &str) -> Vec<Record> {
    let Some(packages) = v.get("packages").and_then(Value::as_object) else {
        return Vec::new();
    };
    packages
        .iter()
        .filter_map(|(path, p)| {
            let at = path.rfind("node_modules/")?;
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&path[at + "node_modules/".len()..]);
            let declared = npm_license(p)?;
            let pkg_dir = if dir.is_empty() {
                path.clone()
            } else {
                format!("{dir}/{path}")
            };
            let mut r = record(
                Ecosystem::Npm,
                name,
                p.get("version").and_then(Value::as_str),
                Some(declared),
                rel,
                Some(pkg_dir),
                DeclaredSource::Lockfile,
            );
            // The installed package directory is read separately when present.
            r.dir = None;
            Some(r)
        })
        .collect()
}

fn renv_lock(v: &Value, rel: &str) -> Vec<Record> {
    let Some(packages) = v.get("Packages").and_then(Value::as_object) else {
        return Vec::new();
    };
    packages
        .values()
        .filter_map(|p| {
            let name = p.get("Package")?.as_str()?;
            let license = p.get("License")?.as_str()?;
            Some(record(
                Ecosystem::Cran,
                name,
                p.get("Version").and_then(Value::as_str),
                r_license(license),
                rel,
                None,
                DeclaredSource::Lockfile,
            ))
        })
        .collect()
}

/// R's `License:` syntax: `MIT + file LICENSE`, `GPL (>= 2)`, `GPL-2 | GPL-3`.
pub fn r_license(s: &str) -> Option<Normalized> {
    let mut t = s.to_owned();
    for tail in ["+ file LICENSE", "+ file LICENCE", "+ FILE LICENSE"] {
        t = t.replace(tail, "");
    }
    let mut out = String::new();
    let mut rest = t.as_str();
    while let Some(open) = rest.find("(>=") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 3..];
        let close = after.find(')').unwrap_or(after.len());
        out.push_str(after[..close].trim());
        out.push('+');
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    let t = out.replace(" | ", " OR ").replace('|', " OR ");
    expr::normalize(t.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exprs(records: &[Record]) -> Vec<(String, Option<String>, Option<String>)> {
        records
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    r.version.clone(),
                    r.declared.as_ref().map(|d| d.expression.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn npm_license_forms() {
        let v: Value =
            serde_json::json!({"name": "a", "version": "1.0.0", "license": "(MIT OR Apache-2.0)"});
        assert_eq!(
            npm_license(&v).map(|n| n.expression).as_deref(),
            Some("MIT OR Apache-2.0")
        );
        let v: Value = serde_json::json!({"license": {"type": "BSD", "url": "x"}});
        assert_eq!(
            npm_license(&v).map(|n| n.expression).as_deref(),
            Some("BSD-3-Clause")
        );
        let v: Value = serde_json::json!({"licenses": [{"type": "MIT"}, {"type": "GPLv2"}]});
        assert_eq!(
            npm_license(&v).map(|n| n.expression).as_deref(),
            Some("MIT OR GPL-2.0-only")
        );
        let v: Value = serde_json::json!({"license": 42});
        assert_eq!(npm_license(&v), None);
    }

    #[test]
    fn python_metadata_prefers_expression_then_license_then_classifiers() {
        let m = "Metadata-Version: 2.4\nName: a\nVersion: 1.0\nLicense-Expression: MIT\nLicense: BSD\n\nbody";
        let r = python_metadata(m, "x/METADATA", "x").expect("record");
        assert_eq!(r.declared.map(|d| d.expression).as_deref(), Some("MIT"));
        let m = "Name: b\nVersion: 2\nLicense: Dual License\nClassifier: License :: OSI Approved\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved :: Apache Software License\n";
        let r = python_metadata(m, "x/METADATA", "x").expect("record");
        assert_eq!(
            r.declared.map(|d| d.expression).as_deref(),
            Some("MIT OR Apache-2.0")
        );
        let m = "Name: c\nVersion: 3\nLicense: Custom terms\n";
        let r = python_metadata(m, "x/METADATA", "x").expect("record");
        let d = r.declared.expect("declared");
        assert_eq!(d.expression, "LicenseRef-Custom-terms");
        assert_eq!(d.raw.as_deref(), Some("Custom terms"));
    }

    #[test]
    fn r_license_syntax() {
        let e = |s| r_license(s).map(|n| n.expression);
        assert_eq!(e("MIT + file LICENSE").as_deref(), Some("MIT"));
        assert_eq!(e("GPL (>= 2)").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(
            e("GPL-2 | GPL-3").as_deref(),
            Some("GPL-2.0-only OR GPL-3.0-only")
        );
    }

    fn fixture(rel: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/licenses")
            .join(rel)
    }

    #[test]
    fn fixture_readers() {
        let cases = [
            (
                "declared/node_modules/left-pad/package.json",
                MetaKind::NpmPackage,
                vec![("left-pad", "1.3.0", "WTFPL OR MIT")],
            ),
            (
                "declared/node_modules/old-style/package.json",
                MetaKind::NpmPackage,
                vec![("old-style", "0.1.0", "MIT OR Apache-2.0")],
            ),
            (
                "declared/venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA",
                MetaKind::PythonMetadata,
                vec![("requests", "2.32.3", "Apache-2.0")],
            ),
            (
                "declared/venv/lib/python3.12/site-packages/oldpkg-0.9.egg-info/PKG-INFO",
                MetaKind::PythonMetadata,
                vec![("oldpkg", "0.9", "BSD-3-Clause")],
            ),
            (
                "declared/vendor/itoa/Cargo.toml",
                MetaKind::VendoredCrate,
                vec![("itoa", "1.0.11", "MIT OR Apache-2.0")],
            ),
            (
                "declared/vendor/composer/installed.json",
                MetaKind::ComposerInstalled,
                vec![
                    ("monolog/monolog", "3.5.0", "MIT"),
                    ("acme/dual", "1.0.0", "GPL-2.0-or-later OR MIT"),
                ],
            ),
            (
                "declared/vendor/bundle/ruby/3.3.0/specifications/rack-3.0.8.gemspec",
                MetaKind::Gemspec,
                vec![("rack", "3.0.8", "MIT")],
            ),
            (
                "declared/composer.lock",
                MetaKind::ComposerLock,
                vec![("psr/log", "3.0.0", "MIT")],
            ),
            (
                "declared/package-lock.json",
                MetaKind::NpmLock,
                vec![("ms", "2.1.3", "MIT")],
            ),
        ];
        for (rel, kind, want) in cases {
            let (records, diags) = read(&fixture(rel), rel, kind);
            assert!(diags.is_empty(), "{rel}: {diags:?}");
            let got = exprs(&records);
            let want: Vec<_> = want
                .into_iter()
                .map(|(n, v, e)| (n.to_owned(), Some(v.to_owned()), Some(e.to_owned())))
                .collect();
            assert_eq!(got, want, "{rel}");
        }
        let (records, _) = read(
            &fixture("declared/vendor/modules.txt"),
            "declared/vendor/modules.txt",
            MetaKind::GoVendor,
        );
        assert_eq!(records.len(), 1);
        assert_eq!(
            records[0].dir.as_deref(),
            Some("declared/vendor/github.com/pkg/errors")
        );
    }

    #[test]
    fn hostile_metadata_gives_diagnostics() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("package.json");
        std::fs::write(&p, b"{\"name\": \"a\xff\", \"license\": \"MIT\"}").expect("write");
        let (records, diags) = read(&p, "node_modules/a/package.json", MetaKind::NpmPackage);
        assert_eq!(diags.first().map(|d| d.code), Some(Code::InvalidUtf8));
        assert_eq!(records.len(), 1);
        std::fs::write(&p, b"{\"name\": ").expect("write");
        let (records, diags) = read(&p, "node_modules/a/package.json", MetaKind::NpmPackage);
        assert!(records.is_empty());
        assert_eq!(diags.first().map(|d| d.code), Some(Code::ParseError));
        std::fs::write(&p, b"[1, 2]").expect("write");
        let (records, diags) = read(&p, "node_modules/a/package.json", MetaKind::NpmPackage);
        assert!(records.is_empty() && diags.is_empty());
        let m = dir.path().join("METADATA");
        std::fs::write(&m, b"Name: x\xc3\nVersion: 1\nLicense: MIT\n").expect("write");
        let (records, diags) = read(&m, "a.dist-info/METADATA", MetaKind::PythonMetadata);
        assert_eq!(records.len(), 1);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn workspace_members_inherit_license_and_version_from_their_workspace() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("crates/core")).expect("mkdir");
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"2.1.0\"\nlicense = \"MIT/Apache-2.0\"\n",
        )
        .expect("write");
        let member = root.join("crates/core/Cargo.toml");
        std::fs::write(
            &member,
            "[package]\nname = \"acme-core\"\nversion.workspace = true\nlicense.workspace = true\n",
        )
        .expect("write");
        let (records, diags) = read(&member, "crates/core/Cargo.toml", MetaKind::CrateManifest);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!(
            (r.name.as_str(), r.version.as_deref()),
            ("acme-core", Some("2.1.0"))
        );
        assert_eq!(r.kind, DeclaredSource::Manifest);
        assert_eq!(
            r.declared.as_ref().map(|d| d.expression.as_str()),
            Some("MIT OR Apache-2.0")
        );
        // Without a workspace above it, an inherited license is unknown, not an error.
        let lone = tempfile::tempdir().expect("tempdir");
        let manifest = lone.path().join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[package]\nname = \"lone\"\nlicense.workspace = true\n",
        )
        .expect("write");
        let (records, diags) = read(&manifest, "Cargo.toml", MetaKind::CrateManifest);
        assert!(diags.is_empty());
        assert_eq!(records[0].declared, None);
        // A broken manifest names its line.
        std::fs::write(&manifest, "[package]\nname = \"x\"\nlicense = [\n").expect("write");
        let (records, diags) = read(&manifest, "Cargo.toml", MetaKind::CrateManifest);
        assert!(records.is_empty());
        assert_eq!(diags[0].file.as_deref(), Some("Cargo.toml"));
        assert!(diags[0].line.is_some(), "{diags:?}");
    }
}

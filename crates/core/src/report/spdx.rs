//! SPDX 2.3 documents as JSON.
//!
//! One package for the scanned project (`SPDXRef-Project`) and one per distinct purl, with an
//! SPDX id built from the purl's type, name and version plus a short hash of the purl, so ids
//! are unique, stable across scans and made only of the characters SPDX allows. Licences are
//! the declared and concluded expressions of the licence stage, `NOASSERTION` where unknown;
//! each `LicenseRef-` used is listed in `hasExtractedLicensingInfos` with the text it stands for. Relationships: the document describes the
//! project, the project depends on its direct packages, and packages depend on packages as the
//! lockfiles' graphs say.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use super::sbom::{short_hash, uri_reference, Component as Merged, Inventory};
use crate::model::PackageSource;
use crate::scan::Scan;
use crate::source::TargetKind;

const NOASSERTION: &str = "NOASSERTION";
const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";
const PROJECT_ID: &str = "SPDXRef-Project";

/// Writes the scan as an SPDX 2.3 JSON document (2-space indented, newline-terminated).
pub fn write_json(scan: &Scan, out: &mut impl Write) -> io::Result<()> {
    let doc = Document::new(&Inventory::new(scan));
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdx_id: &'static str,
    name: String,
    document_namespace: String,
    creation_info: CreationInfo,
    packages: Vec<Package>,
    relationships: Vec<Relationship>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_extracted_licensing_infos: Vec<ExtractedLicense>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExtractedLicense {
    license_id: String,
    extracted_text: String,
}

#[derive(Debug, Serialize)]
struct CreationInfo {
    created: String,
    creators: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    name: String,
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_info: Option<String>,
    download_location: String,
    files_analyzed: bool,
    license_concluded: String,
    license_declared: String,
    /// Where the declared license was read and the files the detected ones were found in.
    #[serde(skip_serializing_if = "Option::is_none")]
    license_comments: Option<String>,
    copyright_text: &'static str,
    primary_package_purpose: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checksums: Vec<Checksum>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExternalRef>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Checksum {
    algorithm: &'static str,
    checksum_value: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef {
    reference_category: &'static str,
    reference_type: &'static str,
    reference_locator: String,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_element_id: String,
    relationship_type: &'static str,
    related_spdx_element: String,
}

impl Document {
    fn new(inv: &Inventory<'_>) -> Self {
        let scan = inv.scan;
        let ids = package_ids(&inv.components);
        let id_of = |purl: &str| ids.get(purl).cloned();

        let root = Package {
            name: scan.target.name.clone(),
            spdx_id: PROJECT_ID.to_owned(),
            version_info: scan.target.commit.clone(),
            download_location: match scan.target.kind {
                TargetKind::Git => {
                    git_download_location(&scan.target.location, scan.target.commit.as_deref())
                }
                TargetKind::Directory
                | TargetKind::Image
                | TargetKind::Rootfs
                | TargetKind::Sbom => NOASSERTION.to_owned(),
            },
            files_analyzed: false,
            license_concluded: NOASSERTION.to_owned(),
            license_declared: NOASSERTION.to_owned(),
            license_comments: None,
            copyright_text: NOASSERTION,
            primary_package_purpose: "APPLICATION",
            checksums: Vec::new(),
            external_refs: Vec::new(),
        };
        let mut root = root;
        if let Some(image) = &scan.target.image {
            // The image is the described package: its tag as the version, its digest as the
            // checksum.
            root.version_info = image.tag.clone();
            root.primary_package_purpose = "CONTAINER";
            if let Some(hex) = image
                .digest
                .as_deref()
                .and_then(|d| d.strip_prefix("sha256:"))
            {
                root.checksums.push(Checksum {
                    algorithm: "SHA256",
                    checksum_value: hex.to_owned(),
                });
            }
        }
        let mut packages = vec![root];
        packages.extend(
            inv.components
                .iter()
                .filter_map(|c| Some(package(c, id_of(c.purl)?))),
        );

        let mut relationships = vec![Relationship {
            spdx_element_id: DOCUMENT_ID.to_owned(),
            relationship_type: "DESCRIBES",
            related_spdx_element: PROJECT_ID.to_owned(),
        }];
        let mut root_edges: Vec<Relationship> = inv
            .root_depends_on()
            .into_iter()
            .filter_map(id_of)
            .map(|to| Relationship {
                spdx_element_id: PROJECT_ID.to_owned(),
                relationship_type: "DEPENDS_ON",
                related_spdx_element: to,
            })
            .collect();
        root_edges.sort();
        let mut edges: Vec<Relationship> = inv
            .components
            .iter()
            .flat_map(|c| c.depends_on.iter().map(move |d| (c.purl, *d)))
            .filter_map(|(from, to)| {
                Some(Relationship {
                    spdx_element_id: id_of(from)?,
                    relationship_type: "DEPENDS_ON",
                    related_spdx_element: id_of(to)?,
                })
            })
            .collect();
        edges.sort();
        relationships.extend(root_edges);
        relationships.extend(edges);

        Document {
            spdx_version: "SPDX-2.3",
            data_license: "CC0-1.0",
            spdx_id: DOCUMENT_ID,
            name: scan.target.name.clone(),
            document_namespace: format!(
                "https://spdx.org/spdxdocs/trusca-{}-{}",
                id_part(&scan.target.name, 64),
                inv.uuid.hyphenated()
            ),
            creation_info: CreationInfo {
                created: scan.generated_at.clone(),
                creators: vec![format!("Tool: {}-{}", scan.tool.name, scan.tool.version)],
            },
            has_extracted_licensing_infos: extracted_licenses(inv),
            packages,
            relationships,
        }
    }
}

/// Every `LicenseRef-` in the packages' expressions, with the declared text it stands for (or
/// the reference itself where trusca has no text, as for an identifier line naming it).
fn extracted_licenses(inv: &Inventory<'_>) -> Vec<ExtractedLicense> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for l in inv.components.iter().filter_map(|c| c.license) {
        for expr in [&l.declared, &l.concluded].into_iter().flatten() {
            for word in expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                if word.starts_with("LicenseRef-") {
                    let text = match (&l.declared, &l.declared_text) {
                        (Some(d), Some(t)) if d == word => t.clone(),
                        _ => word.to_owned(),
                    };
                    out.entry(word.to_owned()).or_insert(text);
                }
            }
        }
    }
    out.into_iter()
        .map(|(license_id, extracted_text)| ExtractedLicense {
            license_id,
            extracted_text,
        })
        .collect()
}

/// `licenseComments`: where the declared license was read (`declared in
/// cargo-registry:serde-1.0.130/Cargo.toml (package-store)`) and where each detected license
/// was found, one clause per line.
fn license_comments(l: &crate::model::LicenseInfo) -> Option<String> {
    let mut lines = Vec::new();
    if let (Some(declared), Some(file)) = (&l.declared, &l.declared_in) {
        let source = l
            .declared_source
            .map(|s| format!(" ({})", s.as_str()))
            .unwrap_or_default();
        lines.push(format!("{declared} declared in {file}{source}"));
    }
    for d in &l.detected {
        lines.push(format!("{} detected in {}", d.license, d.file));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn package(c: &Merged<'_>, spdx_id: String) -> Package {
    let license = c.license;
    let git = c.sources.iter().find_map(|s| match s {
        PackageSource::Git { url, commit } => Some((url, commit)),
        _ => None,
    });
    Package {
        name: c.name.to_owned(),
        spdx_id,
        version_info: c.version.map(str::to_owned),
        download_location: match git {
            Some((url, commit)) => git_download_location(url, commit.as_deref()),
            None => NOASSERTION.to_owned(),
        },
        files_analyzed: false,
        license_concluded: license
            .and_then(|l| l.concluded.clone())
            .unwrap_or_else(|| NOASSERTION.to_owned()),
        license_declared: license
            .and_then(|l| l.declared.clone())
            .unwrap_or_else(|| NOASSERTION.to_owned()),
        license_comments: license.and_then(license_comments),
        copyright_text: NOASSERTION,
        primary_package_purpose: "LIBRARY",
        checksums: c
            .hashes
            .iter()
            .map(|h| Checksum {
                algorithm: h.alg.spdx(),
                checksum_value: h.value.clone(),
            })
            .collect(),
        external_refs: vec![ExternalRef {
            reference_category: "PACKAGE-MANAGER",
            reference_type: "purl",
            reference_locator: c.purl.to_owned(),
        }],
    }
}

/// SPDX's VCS form, `git+<url>[@<commit>]`, or `NOASSERTION` when the URL cannot be one.
fn git_download_location(url: &str, commit: Option<&str>) -> String {
    let Some(url) = uri_reference(url) else {
        return NOASSERTION.to_owned();
    };
    let mut out = if url.starts_with("git+") {
        url
    } else {
        format!("git+{url}")
    };
    if let Some(commit) =
        commit.filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        out.push('@');
        out.push_str(commit);
    }
    out
}

/// `SPDXRef-Package-<type>-<name>-<version>-<hash of the purl>` for every component, unique
/// even if two purls sanitise and hash alike (a numeric suffix, given in purl order).
fn package_ids(components: &[Merged<'_>]) -> BTreeMap<String, String> {
    let mut used = BTreeSet::new();
    let mut ids = BTreeMap::new();
    for c in components {
        let mut readable = format!("{}-{}", c.ecosystem.purl_type(), c.name);
        if let Some(v) = c.version {
            readable.push('-');
            readable.push_str(v);
        }
        let base = format!(
            "SPDXRef-Package-{}-{}",
            id_part(&readable, 96),
            short_hash(c.purl)
        );
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        ids.insert(c.purl.to_owned(), id);
    }
    ids
}

/// Only `[A-Za-z0-9.-]`, as SPDX ids allow: other characters become `-`, runs of `-` collapse,
/// and the result is cut at `max` characters.
fn id_part(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '.' {
            c
        } else {
            '-'
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
        if out.len() >= max {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "x".to_owned()
    } else {
        out.to_owned()
    }
}

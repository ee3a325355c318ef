//! CycloneDX 1.5 and 1.6 documents, as JSON and as XML, from one model.
//!
//! The document is built once as plain serde types ([`Bom`]); JSON is that model serialised,
//! XML is the same model walked in the XSD's element order. Both versions share the emitter:
//! they differ only in the namespace/`specVersion` and in evidence occurrences, where 1.6 has a
//! `line` field and 1.5 gets `file:line` in `location`.
//!
//! Components: one per distinct purl (`bom-ref` = purl), with trusca data that has no field of
//! its own in `trusca:*` properties. `dependencies` is the graph, the project root depending on
//! the direct packages (or every package no file marks as transitive).
//!
//! Vulnerabilities: one entry per (advisory id, affected component), so each carries its own
//! "upgrade to" recommendation; aliases are `references`, CVSS results are `ratings`, and
//! `affects` points at the component's `bom-ref` with the version marked `affected`. A document
//! with vulnerabilities is a VEX-ready BOM: analysis states can be added to these entries.

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use serde::Serialize;

use super::sbom::{uri_reference, Component as Merged, Inventory};
use crate::model::{PackageSource, Scope};
use crate::scan::Scan;
use crate::source::TargetKind;
use crate::vulns::{Finding, SeverityLevel};

/// A CycloneDX specification version trusca writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SpecVersion {
    /// CycloneDX 1.5.
    V1_5,
    /// CycloneDX 1.6 (the default).
    #[default]
    V1_6,
}

impl SpecVersion {
    /// The version as written in documents (`1.6`).
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1_5 => "1.5",
            SpecVersion::V1_6 => "1.6",
        }
    }

    /// The XML namespace of the version.
    pub fn xml_namespace(self) -> &'static str {
        match self {
            SpecVersion::V1_5 => "http://cyclonedx.org/schema/bom/1.5",
            SpecVersion::V1_6 => "http://cyclonedx.org/schema/bom/1.6",
        }
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a CycloneDX version trusca does not write.
#[derive(Debug, thiserror::Error)]
#[error("unsupported CycloneDX version `{0}` (supported: `1.5`, `1.6`)")]
pub struct UnsupportedSpecVersion(pub String);

impl FromStr for SpecVersion {
    type Err = UnsupportedSpecVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "1.5" => Ok(SpecVersion::V1_5),
            "1.6" => Ok(SpecVersion::V1_6),
            other => Err(UnsupportedSpecVersion(other.to_owned())),
        }
    }
}

/// Writes the scan as a CycloneDX JSON document (2-space indented, newline-terminated).
pub fn write_json(scan: &Scan, version: SpecVersion, out: &mut impl Write) -> io::Result<()> {
    let bom = Bom::new(&Inventory::new(scan), version);
    serde_json::to_writer_pretty(&mut *out, &bom)?;
    out.write_all(b"\n")
}

/// Writes the scan as a CycloneDX XML document (2-space indented, newline-terminated).
pub fn write_xml(scan: &Scan, version: SpecVersion, out: &mut impl Write) -> io::Result<()> {
    let bom = Bom::new(&Inventory::new(scan), version);
    let mut w = Writer::new_with_indent(&mut *out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    bom.write_xml(&mut w, version)?;
    out.write_all(b"\n")
}

// ---- the model ----

/// A CycloneDX document, in the JSON field order.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Debug, Serialize)]
struct Metadata {
    timestamp: String,
    tools: Tools,
    component: Component,
}

#[derive(Debug, Serialize)]
struct Tools {
    components: Vec<Component>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<HashEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Evidence>,
}

impl Component {
    fn new(kind: &'static str, name: String) -> Self {
        Component {
            kind,
            bom_ref: None,
            group: None,
            name,
            version: None,
            scope: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            purl: None,
            external_references: Vec::new(),
            properties: Vec::new(),
            evidence: None,
        }
    }
}

/// One entry of a component's `licenses`: a license by id or name, or one SPDX expression.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum LicenseChoice {
    License {
        license: LicenseEntry,
    },
    Expression {
        expression: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        acknowledgement: Option<&'static str>,
    },
}

#[derive(Debug, Serialize)]
struct LicenseEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acknowledgement: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Debug, Serialize)]
struct HashEntry {
    alg: &'static str,
    content: String,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
struct ExternalReference {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct Evidence {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    occurrences: Vec<Occurrence>,
    /// The licenses detected in the package's license files, each with the files
    /// (`trusca:evidence` properties).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
}

#[derive(Debug, Serialize)]
struct Occurrence {
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Vulnerability {
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    id: String,
    source: Source,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<VulnerabilityReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ratings: Vec<Rating>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    advisories: Vec<Advisory>,
    affects: Vec<Affects>,
}

#[derive(Debug, Clone, Serialize)]
struct Source {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Debug, Serialize)]
struct VulnerabilityReference {
    id: String,
    source: Source,
}

#[derive(Debug, Serialize)]
struct Rating {
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vector: Option<String>,
}

#[derive(Debug, Serialize)]
struct Advisory {
    url: String,
}

#[derive(Debug, Serialize)]
struct Affects {
    #[serde(rename = "ref")]
    reference: String,
    versions: Vec<AffectedVersion>,
}

#[derive(Debug, Serialize)]
struct AffectedVersion {
    version: String,
    status: &'static str,
}

// ---- building ----

impl Bom {
    fn new(inv: &Inventory<'_>, version: SpecVersion) -> Self {
        let scan = inv.scan;
        let root_ref = format!("project:{}", scan.target.name);

        let mut root = Component::new("application", scan.target.name.clone());
        root.bom_ref = Some(root_ref.clone());
        root.version = scan.target.commit.clone();
        if let Some(image) = &scan.target.image {
            root.kind = "container";
            root.version = image.tag.clone();
            for (name, value) in [
                ("trusca:image-digest", &image.digest),
                ("trusca:image-id", &Some(image.id.clone())),
            ] {
                if let Some(value) = value {
                    root.properties.push(Property {
                        name,
                        value: value.clone(),
                    });
                }
            }
            if let Some(hex) = image
                .digest
                .as_deref()
                .and_then(|d| d.strip_prefix("sha256:"))
            {
                root.hashes.push(HashEntry {
                    alg: "SHA-256",
                    content: hex.to_owned(),
                });
            }
        }
        if let Some(reference) = &scan.target.reference {
            root.properties.push(Property {
                name: "trusca:git-ref",
                value: reference.clone(),
            });
        }
        if scan.target.kind == TargetKind::Git {
            if let Some(url) = uri_reference(&scan.target.location) {
                root.external_references.push(ExternalReference {
                    kind: "vcs",
                    url,
                    comment: None,
                });
            }
        }

        let mut tool = Component::new("application", scan.tool.name.clone());
        tool.version = Some(scan.tool.version.clone());

        let mut dependencies = vec![Dependency {
            reference: root_ref,
            depends_on: inv
                .root_depends_on()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }];
        dependencies.extend(inv.components.iter().map(|c| Dependency {
            reference: c.purl.to_owned(),
            depends_on: c.depends_on.iter().map(|d| (*d).to_owned()).collect(),
        }));

        Bom {
            bom_format: "CycloneDX",
            spec_version: version.as_str(),
            serial_number: format!("urn:uuid:{}", inv.uuid.hyphenated()),
            version: 1,
            metadata: Metadata {
                timestamp: scan.generated_at.clone(),
                tools: Tools {
                    components: vec![tool],
                },
                component: root,
            },
            components: inv.components.iter().map(|c| library(c, version)).collect(),
            dependencies,
            vulnerabilities: vulnerabilities(inv),
        }
    }
}

/// One entry per (advisory id, component), most severe first, then by id and purl.
fn vulnerabilities(inv: &Inventory<'_>) -> Vec<Vulnerability> {
    let known: std::collections::HashSet<&str> = inv.components.iter().map(|c| c.purl).collect();
    let mut findings: Vec<&Finding> = inv
        .scan
        .findings
        .iter()
        .filter(|f| known.contains(f.purl.as_str()))
        .collect();
    findings.sort_by(|a, b| {
        (std::cmp::Reverse(a.severity), &a.id, &a.purl, &a.location).cmp(&(
            std::cmp::Reverse(b.severity),
            &b.id,
            &b.purl,
            &b.location,
        ))
    });
    findings.dedup_by(|a, b| a.id == b.id && a.purl == b.purl);
    findings.into_iter().map(vulnerability).collect()
}

fn vulnerability(f: &Finding) -> Vulnerability {
    let source = source_of(&f.id);
    let rating = Rating {
        source: source.clone(),
        score: f.score,
        severity: match f.severity {
            SeverityLevel::Critical => "critical",
            SeverityLevel::High => "high",
            SeverityLevel::Medium => "medium",
            SeverityLevel::Low => "low",
            SeverityLevel::Unknown => "unknown",
        },
        method: f.vector.as_deref().map(score_method),
        vector: f.vector.clone(),
    };
    let mut advisories: Vec<Advisory> = f
        .references
        .iter()
        .filter(|r| r.kind == "advisory")
        .filter_map(|r| uri_reference(&r.url))
        .map(|url| Advisory { url })
        .collect();
    advisories.dedup_by(|a, b| a.url == b.url);
    Vulnerability {
        bom_ref: format!("vulnerability:{}:{}", f.id, f.purl),
        id: f.id.clone(),
        source,
        references: f
            .aliases
            .iter()
            .map(|a| VulnerabilityReference {
                id: a.clone(),
                source: source_of(a),
            })
            .collect(),
        ratings: if f.severity == SeverityLevel::Unknown && f.score.is_none() {
            Vec::new()
        } else {
            vec![rating]
        },
        description: f.summary.clone(),
        recommendation: f.fixed_in.as_ref().map(|v| format!("Upgrade to {v}")),
        advisories,
        affects: vec![Affects {
            reference: f.purl.clone(),
            versions: vec![AffectedVersion {
                version: f.version.clone(),
                status: "affected",
            }],
        }],
    }
}

/// Where an advisory id is published, by its prefix.
fn source_of(id: &str) -> Source {
    let (name, url) = if id.starts_with("GHSA-") {
        (
            "GitHub Advisory Database",
            format!("https://github.com/advisories/{id}"),
        )
    } else if id.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else {
        ("OSV", format!("https://osv.dev/vulnerability/{id}"))
    };
    Source {
        name,
        url: uri_reference(&url),
    }
}

/// The CycloneDX score method of a CVSS vector.
fn score_method(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4.") {
        "CVSSv4"
    } else if vector.starts_with("CVSS:3.1") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3.") {
        "CVSSv3"
    } else if vector.starts_with("CVSS:") {
        "other"
    } else {
        "CVSSv2"
    }
}

fn library(c: &Merged<'_>, version: SpecVersion) -> Component {
    let mut out = Component::new("library", c.short_name.clone());
    out.bom_ref = Some(c.purl.to_owned());
    out.group = c.namespace.clone();
    out.version = c.version.map(str::to_owned);
    out.scope = Some(match c.scope {
        Scope::Runtime => "required",
        Scope::Optional => "optional",
        Scope::Dev => "excluded",
    });
    out.hashes = c
        .hashes
        .iter()
        .map(|h| HashEntry {
            alg: h.alg.cyclonedx(),
            content: h.value.clone(),
        })
        .collect();
    out.purl = Some(c.purl.to_owned());
    let (licenses, declared_elsewhere) =
        c.license.map(|l| licenses(l, version)).unwrap_or_default();
    out.licenses = licenses;

    let mut refs = Vec::new();
    let mut props = vec![Property {
        name: "trusca:ecosystem",
        value: c.ecosystem.osv_name().to_owned(),
    }];
    if let Some(direct) = c.direct {
        props.push(Property {
            name: "trusca:direct",
            value: direct.to_string(),
        });
    }
    if !c.groups.is_empty() {
        let groups: Vec<&str> = c.groups.iter().copied().collect();
        props.push(Property {
            name: "trusca:groups",
            value: groups.join(","),
        });
    }
    if let Some(declared) = declared_elsewhere {
        props.push(Property {
            name: "trusca:license-declared",
            value: declared,
        });
    }
    if let Some(l) = c.license {
        if let Some(file) = &l.declared_in {
            props.push(Property {
                name: "trusca:license-declared-in",
                value: file.clone(),
            });
        }
        if let Some(source) = l.declared_source {
            props.push(Property {
                name: "trusca:license-declared-source",
                value: source.as_str().to_owned(),
            });
        }
    }
    if let Some(os) = c.os {
        props.push(Property {
            name: "trusca:source-package",
            value: os.source_name.clone(),
        });
        props.push(Property {
            name: "trusca:distro",
            value: os.distro.display_name(),
        });
    }
    if let Some(layer) = c.layer {
        props.push(Property {
            name: "trusca:layer-digest",
            value: layer.digest.clone(),
        });
        if let Some(created_by) = &layer.created_by {
            props.push(Property {
                name: "trusca:layer-created-by",
                value: created_by.clone(),
            });
        }
    }
    for r in &c.requirements {
        props.push(Property {
            name: "trusca:requirement",
            value: (*r).to_owned(),
        });
    }
    for loc in &c.locations {
        props.push(Property {
            name: "trusca:location",
            value: loc.to_string(),
        });
    }
    for source in &c.sources {
        match source {
            PackageSource::Git { url, commit } => match uri_reference(url) {
                Some(url) => refs.push(ExternalReference {
                    kind: "vcs",
                    url,
                    comment: commit.as_ref().map(|c| format!("commit {c}")),
                }),
                None => props.push(Property {
                    name: "trusca:source-git",
                    value: url.to_string(),
                }),
            },
            PackageSource::Url { url } => match uri_reference(url) {
                Some(url) => refs.push(ExternalReference {
                    kind: "distribution",
                    url,
                    comment: None,
                }),
                None => props.push(Property {
                    name: "trusca:source-url",
                    value: url.to_string(),
                }),
            },
            PackageSource::Path { path } => props.push(Property {
                name: "trusca:source-path",
                value: path.to_string(),
            }),
        }
    }
    refs.sort();
    refs.dedup();
    props.sort();
    props.dedup();
    out.external_references = refs;
    out.properties = props;

    let occurrences = c
        .locations
        .iter()
        .map(|loc| match version {
            SpecVersion::V1_6 => Occurrence {
                location: loc.file.to_string(),
                line: loc.line,
            },
            SpecVersion::V1_5 => Occurrence {
                location: loc.to_string(),
                line: None,
            },
        })
        .collect::<Vec<_>>();
    let licenses = c.license.map(license_evidence).unwrap_or_default();
    if !occurrences.is_empty() || !licenses.is_empty() {
        out.evidence = Some(Evidence {
            occurrences,
            licenses,
        });
    }
    out
}

/// `evidence.licenses`: each license detected in the package's files, once, with the files it
/// was found in. A single id is an `id`; a compound expression (an identifier line's
/// `MIT OR Apache-2.0`, a `WITH` exception) is a `name`, since a list of licenses cannot hold
/// an expression.
fn license_evidence(l: &crate::model::LicenseInfo) -> Vec<LicenseChoice> {
    let mut out: Vec<LicenseChoice> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for d in &l.detected {
        if seen.contains(&d.license.as_str()) {
            continue;
        }
        seen.push(&d.license);
        let properties = l
            .detected
            .iter()
            .filter(|x| x.license == d.license)
            .map(|x| Property {
                name: "trusca:evidence",
                value: x.file.clone(),
            })
            .collect();
        let single = !d.license.contains(' ') && !d.license.ends_with('+');
        out.push(LicenseChoice::License {
            license: LicenseEntry {
                id: single.then(|| d.license.clone()),
                name: (!single).then(|| d.license.clone()),
                acknowledgement: None,
                properties,
            },
        });
    }
    out
}

/// The `licenses` of a component. CycloneDX 1.6 marks each as `declared` or `concluded`, but
/// allows only one entry when it is an expression: when declared and concluded differ and either
/// is a compound expression, the concluded one is given and the declared one goes to the
/// `trusca:license-declared` property (returned here). CycloneDX 1.5 gets one entry, the
/// concluded license (else the declared one), with the same property when they differ.
fn licenses(
    l: &crate::model::LicenseInfo,
    version: SpecVersion,
) -> (Vec<LicenseChoice>, Option<String>) {
    // A single id or reference: a `license` object; anything else (operators, `+`): an expression.
    let one = |e: &str, ack: Option<&'static str>| {
        if e.contains(' ') || e.ends_with('+') {
            LicenseChoice::Expression {
                expression: e.to_owned(),
                acknowledgement: ack,
            }
        } else if e.starts_with("LicenseRef-") {
            let text = match (&l.declared, &l.declared_text) {
                (Some(d), Some(t)) if d == e => t.clone(),
                _ => e.to_owned(),
            };
            LicenseChoice::License {
                license: LicenseEntry {
                    id: None,
                    name: Some(text),
                    acknowledgement: ack,
                    properties: Vec::new(),
                },
            }
        } else {
            LicenseChoice::License {
                license: LicenseEntry {
                    id: Some(e.to_owned()),
                    name: None,
                    acknowledgement: ack,
                    properties: Vec::new(),
                },
            }
        }
    };
    let declared = l.declared.as_deref();
    let concluded = l.concluded.as_deref();
    match version {
        SpecVersion::V1_6 => match (declared, concluded) {
            (None, None) => (Vec::new(), None),
            (Some(d), Some(c)) if d == c => (vec![one(d, Some("declared"))], None),
            (Some(d), None) => (vec![one(d, Some("declared"))], None),
            (None, Some(c)) => (vec![one(c, Some("concluded"))], None),
            (Some(d), Some(c)) => {
                let (d1, c1) = (one(d, Some("declared")), one(c, Some("concluded")));
                match (&d1, &c1) {
                    (LicenseChoice::License { .. }, LicenseChoice::License { .. }) => {
                        (vec![d1, c1], None)
                    }
                    _ => (vec![c1], Some(d.to_owned())),
                }
            }
        },
        SpecVersion::V1_5 => match concluded.or(declared) {
            None => (Vec::new(), None),
            Some(e) => (
                vec![one(e, None)],
                declared.filter(|d| *d != e).map(str::to_owned),
            ),
        },
    }
}

// ---- XML ----

type XmlWriter<'w, W> = Writer<&'w mut W>;

/// Text fit for XML 1.0: characters the format cannot hold at all (most C0 controls, U+FFFE,
/// U+FFFF) become U+FFFD; quick-xml escapes the markup characters.
fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// `<properties>` of a component or a license.
fn write_properties<W: Write>(w: &mut XmlWriter<'_, W>, properties: &[Property]) -> io::Result<()> {
    w.create_element("properties").write_inner_content(|w| {
        for p in properties {
            w.create_element("property")
                .with_attribute(("name", p.name))
                .write_text_content(BytesText::new(&xml_text(&p.value)))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `<licenses>` of a component or of its evidence.
fn write_licenses<W: Write>(
    w: &mut XmlWriter<'_, W>,
    licenses: &[LicenseChoice],
) -> io::Result<()> {
    w.create_element("licenses").write_inner_content(|w| {
        for l in licenses {
            match l {
                LicenseChoice::License { license } => {
                    let mut el = w.create_element("license");
                    if let Some(a) = license.acknowledgement {
                        el = el.with_attribute(("acknowledgement", a));
                    }
                    el.write_inner_content(|w| {
                        if let Some(id) = &license.id {
                            text_element(w, "id", id)?;
                        } else if let Some(name) = &license.name {
                            text_element(w, "name", name)?;
                        }
                        if !license.properties.is_empty() {
                            write_properties(w, &license.properties)?;
                        }
                        Ok(())
                    })?;
                }
                LicenseChoice::Expression {
                    expression,
                    acknowledgement,
                } => {
                    let mut el = w.create_element("expression");
                    if let Some(a) = acknowledgement {
                        el = el.with_attribute(("acknowledgement", *a));
                    }
                    el.write_text_content(BytesText::new(&xml_text(expression)))?;
                }
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn text_element<W: Write>(w: &mut XmlWriter<'_, W>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

impl Bom {
    fn write_xml<W: Write>(
        &self,
        w: &mut XmlWriter<'_, W>,
        version: SpecVersion,
    ) -> io::Result<()> {
        w.create_element("bom")
            .with_attribute(("xmlns", version.xml_namespace()))
            .with_attribute(("serialNumber", self.serial_number.as_str()))
            .with_attribute(("version", self.version.to_string().as_str()))
            .write_inner_content(|w| {
                w.create_element("metadata").write_inner_content(|w| {
                    text_element(w, "timestamp", &self.metadata.timestamp)?;
                    w.create_element("tools").write_inner_content(|w| {
                        write_components(w, &self.metadata.tools.components)
                    })?;
                    write_component(w, "component", &self.metadata.component)
                })?;
                write_components(w, &self.components)?;
                w.create_element("dependencies").write_inner_content(|w| {
                    for d in &self.dependencies {
                        let el = w
                            .create_element("dependency")
                            .with_attribute(("ref", xml_text(&d.reference).as_str()));
                        if d.depends_on.is_empty() {
                            el.write_empty()?;
                        } else {
                            el.write_inner_content(|w| {
                                for on in &d.depends_on {
                                    w.create_element("dependency")
                                        .with_attribute(("ref", xml_text(on).as_str()))
                                        .write_empty()?;
                                }
                                Ok(())
                            })?;
                        }
                    }
                    Ok(())
                })?;
                if !self.vulnerabilities.is_empty() {
                    w.create_element("vulnerabilities")
                        .write_inner_content(|w| {
                            self.vulnerabilities
                                .iter()
                                .try_for_each(|v| write_vulnerability(w, v))
                        })?;
                }
                Ok(())
            })?;
        Ok(())
    }
}

fn write_source<W: Write>(w: &mut XmlWriter<'_, W>, source: &Source) -> io::Result<()> {
    w.create_element("source").write_inner_content(|w| {
        text_element(w, "name", source.name)?;
        if let Some(url) = &source.url {
            text_element(w, "url", url)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One vulnerability, children in the order of the XSD's `vulnerability` sequence.
fn write_vulnerability<W: Write>(w: &mut XmlWriter<'_, W>, v: &Vulnerability) -> io::Result<()> {
    w.create_element("vulnerability")
        .with_attribute(("bom-ref", xml_text(&v.bom_ref).as_str()))
        .write_inner_content(|w| {
            text_element(w, "id", &v.id)?;
            write_source(w, &v.source)?;
            if !v.references.is_empty() {
                w.create_element("references").write_inner_content(|w| {
                    for r in &v.references {
                        w.create_element("reference").write_inner_content(|w| {
                            text_element(w, "id", &r.id)?;
                            write_source(w, &r.source)
                        })?;
                    }
                    Ok(())
                })?;
            }
            if !v.ratings.is_empty() {
                w.create_element("ratings").write_inner_content(|w| {
                    for r in &v.ratings {
                        w.create_element("rating").write_inner_content(|w| {
                            write_source(w, &r.source)?;
                            if let Some(score) = r.score {
                                text_element(w, "score", &score.to_string())?;
                            }
                            text_element(w, "severity", r.severity)?;
                            if let Some(method) = r.method {
                                text_element(w, "method", method)?;
                            }
                            if let Some(vector) = &r.vector {
                                text_element(w, "vector", vector)?;
                            }
                            Ok(())
                        })?;
                    }
                    Ok(())
                })?;
            }
            if let Some(description) = &v.description {
                text_element(w, "description", description)?;
            }
            if let Some(recommendation) = &v.recommendation {
                text_element(w, "recommendation", recommendation)?;
            }
            if !v.advisories.is_empty() {
                w.create_element("advisories").write_inner_content(|w| {
                    for a in &v.advisories {
                        w.create_element("advisory")
                            .write_inner_content(|w| text_element(w, "url", &a.url))?;
                    }
                    Ok(())
                })?;
            }
            w.create_element("affects").write_inner_content(|w| {
                for a in &v.affects {
                    w.create_element("target").write_inner_content(|w| {
                        text_element(w, "ref", &a.reference)?;
                        w.create_element("versions").write_inner_content(|w| {
                            for version in &a.versions {
                                w.create_element("version").write_inner_content(|w| {
                                    text_element(w, "version", &version.version)?;
                                    text_element(w, "status", version.status)
                                })?;
                            }
                            Ok(())
                        })?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

fn write_components<W: Write>(
    w: &mut XmlWriter<'_, W>,
    components: &[Component],
) -> io::Result<()> {
    if components.is_empty() {
        return Ok(());
    }
    w.create_element("components").write_inner_content(|w| {
        components
            .iter()
            .try_for_each(|c| write_component(w, "component", c))
    })?;
    Ok(())
}

/// One component, children in the order of the XSD's `component` sequence.
fn write_component<W: Write>(
    w: &mut XmlWriter<'_, W>,
    element: &str,
    c: &Component,
) -> io::Result<()> {
    let mut el = w.create_element(element).with_attribute(("type", c.kind));
    let bom_ref = c.bom_ref.as_deref().map(xml_text);
    if let Some(r) = &bom_ref {
        el = el.with_attribute(("bom-ref", r.as_str()));
    }
    el.write_inner_content(|w| {
        if let Some(group) = &c.group {
            text_element(w, "group", group)?;
        }
        text_element(w, "name", &c.name)?;
        if let Some(version) = &c.version {
            text_element(w, "version", version)?;
        }
        if let Some(scope) = c.scope {
            text_element(w, "scope", scope)?;
        }
        if !c.hashes.is_empty() {
            w.create_element("hashes").write_inner_content(|w| {
                for h in &c.hashes {
                    w.create_element("hash")
                        .with_attribute(("alg", h.alg))
                        .write_text_content(BytesText::new(&h.content))?;
                }
                Ok(())
            })?;
        }
        if !c.licenses.is_empty() {
            write_licenses(w, &c.licenses)?;
        }
        if let Some(purl) = &c.purl {
            text_element(w, "purl", purl)?;
        }
        if !c.external_references.is_empty() {
            w.create_element("externalReferences")
                .write_inner_content(|w| {
                    for r in &c.external_references {
                        w.create_element("reference")
                            .with_attribute(("type", r.kind))
                            .write_inner_content(|w| {
                                text_element(w, "url", &r.url)?;
                                if let Some(comment) = &r.comment {
                                    text_element(w, "comment", comment)?;
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
        }
        if !c.properties.is_empty() {
            write_properties(w, &c.properties)?;
        }
        if let Some(evidence) = &c.evidence {
            w.create_element("evidence").write_inner_content(|w| {
                if !evidence.occurrences.is_empty() {
                    w.create_element("occurrences").write_inner_content(|w| {
                        for o in &evidence.occurrences {
                            w.create_element("occurrence").write_inner_content(|w| {
                                text_element(w, "location", &o.location)?;
                                if let Some(line) = o.line {
                                    text_element(w, "line", &line.to_string())?;
                                }
                                Ok(())
                            })?;
                        }
                        Ok(())
                    })?;
                }
                if !evidence.licenses.is_empty() {
                    write_licenses(w, &evidence.licenses)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

//! From an SBOM [`Document`] to the packages of a scan: each component with a purl of an
//! ecosystem trusca knows becomes a package (its dependencies and direct/transitive place from
//! the document's graph); the others are listed as not checked, with the reason.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{entry_warning, shown, Document};
use crate::diag::Diagnostic;
use crate::inventory::{graph, Kind, ScannedFile};
use crate::model::purl::Purl;
use crate::model::{Ecosystem, Location, Package};

/// A component of an SBOM that could not be matched against vulnerability data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unidentified {
    /// Its name.
    pub name: String,
    /// Its version, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Its purl, where it has one of a type trusca does not match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Its CPE, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Why it was not checked.
    pub reason: String,
}

/// What an SBOM gives a scan.
#[derive(Debug, Clone, Default)]
pub struct SbomInventory {
    /// One entry per ecosystem of the document's packages, each naming the SBOM file.
    pub files: Vec<ScannedFile>,
    /// The packages, in document order.
    pub packages: Vec<Package>,
    /// The licenses each package lists, as written (same order as `packages`).
    pub licenses: Vec<Vec<String>>,
    /// Components that cannot be matched (no purl, a CPE only, a purl type trusca does not know).
    pub unidentified: Vec<Unidentified>,
    /// Problems met reading the document and its components.
    pub diagnostics: Vec<Diagnostic>,
    /// The document's format (`CycloneDX 1.6 JSON`).
    pub format: String,
    /// What the document describes, when it names it.
    pub name: Option<String>,
}

/// The packages of `doc`, located in the file `display`.
pub fn packages(doc: Document, display: &str) -> SbomInventory {
    let mut out = SbomInventory {
        diagnostics: doc.diagnostics,
        format: doc.format,
        name: doc.name,
        ..SbomInventory::default()
    };
    let root = doc.root.as_deref();
    let mut purl_of: HashMap<&str, String> = HashMap::new();
    let mut refs: Vec<&str> = Vec::new();
    for c in &doc.components {
        if Some(c.reference.as_str()) == root {
            continue;
        }
        let unidentified = |reason: String| Unidentified {
            name: c.name.clone(),
            version: c.version.clone(),
            purl: c.purl.clone(),
            cpe: c.cpe.clone(),
            reason,
        };
        let Some(text) = c.purl.as_deref() else {
            let reason = if c.cpe.is_some() {
                "CPE only, no purl"
            } else {
                "no purl"
            };
            out.unidentified.push(unidentified(reason.into()));
            continue;
        };
        let purl = match Purl::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                out.diagnostics.push(
                    entry_warning(&c.entry, format!("invalid purl `{}`: {e}", shown(text)))
                        .in_file(display, None),
                );
                out.unidentified.push(unidentified("invalid purl".into()));
                continue;
            }
        };
        let Some(ecosystem) = purl.ecosystem() else {
            out.unidentified.push(unidentified(format!(
                "purl type `{}` is not an ecosystem trusca matches",
                purl.ty()
            )));
            continue;
        };
        let version = purl
            .version()
            .map(str::to_owned)
            .or_else(|| c.version.clone());
        let location = Location::new(display, None);
        let mut package =
            Package::new(ecosystem, &purl.native_name(), version.as_deref(), location)
                .with_scope(c.scope);
        package.purl = text.into();
        purl_of
            .entry(c.reference.as_str())
            .or_insert_with(|| text.to_owned());
        refs.push(c.reference.as_str());
        out.packages.push(package);
        out.licenses.push(c.licenses.clone());
    }

    let edges: HashMap<&str, &Vec<String>> = doc
        .dependencies
        .iter()
        .map(|(from, to)| (from.as_str(), to))
        .collect();
    let direct: Option<HashSet<&str>> = root
        .and_then(|r| edges.get(r))
        .map(|to| to.iter().map(String::as_str).collect());
    for (package, reference) in out.packages.iter_mut().zip(&refs) {
        if let Some(to) = edges.get(reference) {
            package.dependencies = to
                .iter()
                .filter_map(|r| purl_of.get(r.as_str()).cloned())
                .collect();
        }
        if let Some(direct) = &direct {
            package.direct = Some(direct.contains(reference));
        }
    }
    graph::annotate_paths(&mut out.packages);

    let mut by_ecosystem: BTreeMap<Ecosystem, usize> = BTreeMap::new();
    for p in &out.packages {
        *by_ecosystem.entry(p.ecosystem).or_default() += 1;
    }
    out.files = by_ecosystem
        .into_iter()
        .map(|(ecosystem, count)| ScannedFile {
            path: display.to_owned(),
            format: out.format.clone(),
            ecosystem,
            kind: Kind::Lockfile,
            packages: count,
            superseded: false,
        })
        .collect();
    out
}
